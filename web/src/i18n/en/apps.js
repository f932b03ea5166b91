// en: the apps area.
export default {
};
