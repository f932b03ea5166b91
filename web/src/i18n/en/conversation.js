// en: the conversation area.
export default {
};
