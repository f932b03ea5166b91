// Entry point: decide between the sign-in form and the app, and switch on sign in / sign out.
// theme.js first: it sets <html data-theme> before anything is drawn.
import './theme.js';
import { get, del, csrfToken, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { renderSignIn } from './signin.js';
import { renderShell } from './shell.js';

const root = document.getElementById('app');
let shell = null;

function showSignIn(notice) {
  if (shell) { shell.destroy(); shell = null; }
  document.body.classList.remove('drawer-open');
  document.title = 'Sign in | Switchboard';
  renderSignIn(root, { onSignedIn: showApp, notice });
}

function showApp(user) {
  if (shell) shell.destroy();
  shell = renderShell(root, {
    user,
    onSignOut: async () => {
      try { await del('/api/v1/session'); } catch { /* the cookie may already be gone */ }
      setCsrfToken(null);
      showSignIn();
    },
  });
}

setUnauthorizedHandler(() => {
  setCsrfToken(null);
  showSignIn('Your session has ended. Sign in again.');
});

async function start() {
  // The cookie outlives the tab; the CSRF token lives in sessionStorage. A new tab asks the
  // server for the session's token (GET /api/v1/session needs the cookie itself).
  try {
    if (!csrfToken()) {
      const session = await get('/api/v1/session');
      if (!session.csrfToken) { showSignIn(); return; }
      setCsrfToken(session.csrfToken);
      showApp(session.user);
      return;
    }
    const me = await get('/v1.0/me');
    showApp(me);
  } catch {
    showSignIn();
  }
}

start();
