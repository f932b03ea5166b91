// fr: the connectors area.
export default {
};
