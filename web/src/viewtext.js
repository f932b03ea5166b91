// The catalogs of the views opened on demand (account, admin, connectors, apps, forwarding: ~80 KB
// of the ~115 KB of both languages' catalogs), added to i18n.js's when one of those views is first
// loaded: every module loaded with import() that shows them (admin.js, account.js, connectors.js,
// developer.js, teamsettings.js) and apphost.js's bundle import this one, so its catalogs are
// in place before any of their t() runs. The strings of those areas that the first load uses are
// in i18n/<lang>/shared.js instead.
import { addCatalogs } from './i18n.js';
import enAccount from './i18n/en/account.js';
import enAdmin from './i18n/en/admin.js';
import enConnectors from './i18n/en/connectors.js';
import enApps from './i18n/en/apps.js';
import enForwarding from './i18n/en/forwarding.js';
import frAccount from './i18n/fr/account.js';
import frAdmin from './i18n/fr/admin.js';
import frConnectors from './i18n/fr/connectors.js';
import frApps from './i18n/fr/apps.js';
import frForwarding from './i18n/fr/forwarding.js';

addCatalogs({
  en: { ...enAccount, ...enAdmin, ...enConnectors, ...enApps, ...enForwarding },
  fr: { ...frAccount, ...frAdmin, ...frConnectors, ...frApps, ...frForwarding },
});
