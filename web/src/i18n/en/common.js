// en: the common area.
export default {
};
