// fr: the signin area.
export default {
};
