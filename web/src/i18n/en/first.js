// The en catalog's areas that the first load carries (i18n.js imports this file): the channel
// view, its history, the directory, sign-in and the strings of other areas its modules use
// (shared.js). The areas of the views opened on demand (account, admin, connectors, apps,
// forwarding) load with those views: web/src/viewtext.js.
import common from './common.js';
import conversation from './conversation.js';
import history from './history.js';
import signin from './signin.js';
import directory from './directory.js';
import shared from './shared.js';

export default { ...common, ...conversation, ...history, ...signin, ...directory, ...shared };
