// fr: the history area.
export default {
};
