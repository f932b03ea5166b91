// en: the admin area.
export default {
};
