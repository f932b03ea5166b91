// The whole en catalog: one file per area of the client, so changes to one area do not touch
// another's. The client loads it in two parts (first.js with the first load, the rest with the
// views on demand: web/src/viewtext.js); scripts/check-web-i18n reads this file.
import first from './first.js';
import account from './account.js';
import admin from './admin.js';
import connectors from './connectors.js';
import apps from './apps.js';
import forwarding from './forwarding.js';

export default { ...first, ...account, ...admin, ...connectors, ...apps, ...forwarding };
