// en: the common area (strings shared by every view).
export default {
  'common.close': 'Close',
  'common.signOut': 'Sign out',
  'common.admin': 'Admin',
  'common.developer': 'Developer',
  'common.userMenu': 'Profile menu',
};
