// Entry point: decide between the sign-in form and the app, and switch on sign in / sign out.
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
  // The cookie survives a reload but the CSRF token lives in sessionStorage: without it no
  // change can be made, so sign in again (the new session replaces the old one).
  if (!csrfToken()) { showSignIn(); return; }
  try {
    const me = await get('/v1.0/me');
    showApp(me);
  } catch {
    showSignIn();
  }
}

start();
