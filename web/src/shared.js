// The modules of the first load that views loaded on demand use too. Every module loaded with
// import() (admin.js, account.js, connectors.js, developer.js, teamsettings.js, cardrender.js,
// chattext.js) imports this one. esbuild puts a module in a chunk by the set of entries that
// reach it, so without this each combination of views sharing a module made a chunk of its own
// that the first load had to fetch (six of them); with it they are one chunk, and the first load
// is index.html, then app.css, app.js, that chunk and the two API calls index.html preloads:
// six requests, what a browser sends to one host at once over HTTP/1.1 (a seventh waits a
// whole round trip). scripts/finish-web fails the build when app.js imports more than one chunk:
// a module added to the first load and used by a view on demand is listed here.
import './dom.js';
import './i18n.js';
import './api.js';
import './dialog.js';
import './menu.js';
import './theme.js';
import './actions.js';
import './access.js';
import './cards.js';
