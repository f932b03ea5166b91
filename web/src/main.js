// Entry point: decide between the sign-in form, the forced password change and the app, and
// switch on sign in / sign out. theme.js first: it sets <html data-theme> before anything is
// drawn.
import './theme.js';
import { get, del, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { renderSignIn } from './signin.js';
import { renderShell } from './shell.js';
import { t } from './i18n.js';

const root = document.getElementById('app');
let shell = null;

function showSignIn(notice) {
  if (shell) { shell.destroy(); shell = null; }
  document.body.classList.remove('drawer-open');
  document.title = t('account.signInPageTitle');
  renderSignIn(root, { onSignedIn: afterSignIn, notice });
}

async function signOut() {
  try { await del('/api/v1/session'); } catch { /* the cookie may already be gone */ }
  setCsrfToken(null);
  showSignIn();
}

function showApp(user, firstBootstrap = null) {
  if (shell) shell.destroy();
  shell = renderShell(root, { user, onSignOut: signOut, firstBootstrap });
}

// A session whose password must be changed first (contract §6: every other call is 403 until
// then) gets the password form instead of the app.
// The form lives with "Your account" (account.js), loaded on demand.
async function showSession(session, firstBootstrap = null) {
  if (session.passwordChangeRequired) {
    if (shell) { shell.destroy(); shell = null; }
    const { renderPasswordChange } = await import('./account.js');
    renderPasswordChange(root, { user: session.user, onDone: showApp, onSignOut: signOut });
  } else {
    showApp(session.user, firstBootstrap);
  }
}

// The sign-in answer has the same flag, but signin.js hands over only the user: ask again.
async function afterSignIn(user) {
  try {
    showSession(await get('/api/v1/session'));
  } catch {
    showApp(user);
  }
}

setUnauthorizedHandler(() => {
  setCsrfToken(null);
  showSignIn(t('account.sessionEnded'));
});

async function start() {
  // The cookie outlives the tab; the CSRF token lives in sessionStorage. GET /api/v1/session
  // (it needs the cookie itself) gives a new tab the session's token, and says whether the
  // password must be changed first. GET /api/v1/bootstrap (what the channel view needs first)
  // goes at the same time instead of one round trip later: index.html preloads both, so on a
  // slow link they are under way while the scripts load. When there is no session its answer
  // is a 401 nobody looks at (quiet: the sign-in form is shown once, by the session's answer);
  // it is read here all the same so that the preload is used up, not answered to a later call.
  const boot = get('/api/v1/bootstrap', { quiet: true });
  boot.catch(() => {});
  try {
    const session = await get('/api/v1/session');
    if (!session.csrfToken) { showSignIn(); return; }
    setCsrfToken(session.csrfToken);
    showSession(session, boot);
  } catch {
    showSignIn();
  }
}

start();
