// fr: the account area.
export default {
};
