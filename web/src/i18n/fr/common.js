// fr: the common area (strings shared by every view).
export default {
  'common.close': 'Fermer',
  'common.signOut': 'Se d\u00e9connecter',
  'common.admin': 'Administration',
  'common.developer': 'D\u00e9veloppeur',
  'common.userMenu': 'Menu du profil',
};
