// The fr catalog: one file per area of the client, so changes to one area do not touch another's.
import common from './common.js';
import conversation from './conversation.js';
import history from './history.js';
import account from './account.js';
import signin from './signin.js';
import admin from './admin.js';
import connectors from './connectors.js';
import apps from './apps.js';
import directory from './directory.js';
import forwarding from './forwarding.js';

export default { ...common, ...conversation, ...history, ...account, ...signin, ...admin, ...connectors, ...apps, ...directory, ...forwarding };
