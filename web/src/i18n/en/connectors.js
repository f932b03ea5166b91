// en: the connectors area.
export default {
};
