// fr: the admin area.
export default {
};
