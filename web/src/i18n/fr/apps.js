// fr: the apps area.
export default {
};
