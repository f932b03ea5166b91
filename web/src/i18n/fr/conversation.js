// fr: the conversation area.
export default {
};
