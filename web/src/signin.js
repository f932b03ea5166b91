// The sign-in form: POST /api/v1/session, keep the CSRF token, hand the user to the app.
import { h } from './dom.js';
import { post, setCsrfToken } from './api.js';

export function renderSignIn(root, { onSignedIn, notice }) {
  const error = h('p.error#signin-error', { role: 'alert', hidden: !notice, text: notice || '' });
  const upn = h('input#signin-upn', { name: 'userPrincipalName', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: false });
  const pw = h('input#signin-password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button.button.primary', { type: 'submit', text: 'Sign in' });
  const form = h('form.signin-form', { 'aria-labelledby': 'signin-title', novalidate: true },
    h('h1#signin-title', { text: 'Sign in to Switchboard' }),
    h('div.field', {}, h('label', { for: 'signin-upn', text: 'User name' }), upn),
    h('div.field', {}, h('label', { for: 'signin-password', text: 'Password' }), pw),
    error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!upn.value.trim() || !pw.value) {
      error.textContent = 'Enter your user name and password.';
      error.hidden = false;
      (upn.value.trim() ? pw : upn).focus();
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    try {
      const res = await post('/api/v1/session', { userPrincipalName: upn.value.trim(), password: pw.value });
      setCsrfToken(res.csrfToken);
      onSignedIn(res.user);
    } catch (err) {
      error.textContent = err.status === 401 ? 'That user name and password do not match.' + (err.message ? ` (${err.message})` : '') : err.message;
      error.hidden = false;
      pw.select();
      pw.focus();
    } finally {
      submit.disabled = false;
    }
  });
  root.replaceChildren(h('main.signin', { id: 'main' }, h('div.signin-brand', { 'aria-hidden': 'true', text: 'S' }), form));
  upn.focus();
}
