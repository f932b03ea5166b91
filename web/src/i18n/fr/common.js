// fr: the common area.
export default {
};
