// en: the account area.
export default {
};
