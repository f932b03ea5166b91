// The sign-in page: "Sign in with LABEL" for each provider of GET /api/v1/auth/providers
// (single sign-on: a plain link to /api/v1/auth/oidc/start, the browser follows the redirects),
// and the password form (POST /api/v1/session). When the server has turned password sign-in off
// (--disable-password-sign-in), the form stays reachable behind a disclosure for the
// break-glass administrator. A refused single sign-on comes back as /?ssoError=<code>: the page
// names the problem and takes the code out of the address bar.
import { h } from './dom.js';
import { get, post, setCsrfToken } from './api.js';
import { t } from './i18n.js';

const SSO_ERRORS = new Set(['stateMismatch', 'stateUnknown', 'codeRefused', 'tokenInvalid', 'userUnknown', 'providerRefused', 'providerFailed', 'outboundRefused', 'outboundFailed', 'outboundTimeout']);

// The sentence for a single sign-on refusal code (unknown codes get the general one).
function ssoErrorText(code) {
  return SSO_ERRORS.has(code) ? t(`signin.ssoError.${code}`) : t('signin.ssoError.other');
}

// Reads and removes ?ssoError= from the address.
function takeSsoError() {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('ssoError');
  if (code === null) return null;
  url.searchParams.delete('ssoError');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  return code;
}

async function loadProviders() {
  try {
    const r = await get('/api/v1/auth/providers');
    return { providers: Array.isArray(r.value) ? r.value : [], passwordSignIn: r.passwordSignIn !== false };
  } catch {
    return { providers: [], passwordSignIn: true }; // an older server: the password form only
  }
}

function passwordForm({ onSignedIn, error, autofocus }) {
  const upn = h('input#signin-upn', { name: 'userPrincipalName', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: false });
  const pw = h('input#signin-password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button.button.primary', { type: 'submit', text: t('signin.submit') });
  const form = h('form.signin-password', { novalidate: true },
    h('div.field', {}, h('label', { for: 'signin-upn', text: t('signin.userName') }), upn),
    h('div.field', {}, h('label', { for: 'signin-password', text: t('signin.password') }), pw),
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!upn.value.trim() || !pw.value) {
      error.textContent = t('signin.missing');
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
      if (err.status === 401) error.textContent = t('signin.wrong');
      else if (err.status === 403 && err.code === 'passwordSignInDisabled') error.textContent = t('signin.passwordOff');
      else if (err.status === 429) error.textContent = t('signin.throttled');
      else error.textContent = err.message || t('signin.failed');
      error.hidden = false;
      pw.select();
      pw.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return { form, focus: () => { if (autofocus) upn.focus(); } };
}

export function renderSignIn(root, { onSignedIn, notice }) {
  const ssoError = takeSsoError();
  const message = ssoError !== null ? ssoErrorText(ssoError) : notice;
  const error = h('p.error#signin-error', { role: 'alert', hidden: !message, text: message || '' });
  const card = h('section.signin-form', { 'aria-labelledby': 'signin-title' },
    h('h1#signin-title', { text: t('signin.title') }));
  document.title = t('signin.documentTitle');
  root.replaceChildren(h('main.signin', { id: 'main' }, h('div.signin-brand', { 'aria-hidden': 'true', text: 'S' }), card));

  loadProviders().then(({ providers, passwordSignIn }) => {
    const sso = providers.map((p) => h('a.button.primary.signin-sso', {
      href: `/api/v1/auth/${encodeURIComponent(p.id)}/start`,
      text: t('signin.with', { label: p.label }),
    }));
    const pw = passwordForm({ onSignedIn, error, autofocus: sso.length === 0 });
    const parts = [error, ...sso];
    if (passwordSignIn) {
      if (sso.length) parts.push(h('p.signin-or', { text: t('signin.or') }));
      parts.push(pw.form);
    } else {
      // Only the break-glass administrator may still use a password.
      parts.push(h('details.signin-breakglass', {},
        h('summary', { text: t('signin.adminPassword') }), pw.form));
    }
    card.append(...parts);
    if (sso.length) sso[0].focus();
    else pw.focus();
  });
}
