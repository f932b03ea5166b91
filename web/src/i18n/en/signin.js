// en: the signin area.
export default {
};
