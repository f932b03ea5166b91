// en: the history area.
export default {
};
