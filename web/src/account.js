// "Your account" (issue 21 items 2 and 3): change your password, your web sessions (sign one
// out, or sign out everywhere), and API tokens (create with an expiry, shown once; list; revoke).
// Also the screen main.js shows after a sign-in whose password must be changed first.
//
// Server routes: POST /v1.0/me/changePassword, GET/DELETE /api/v1/me/sessions[/{id}],
// GET/POST /api/v1/tokens, DELETE /api/v1/tokens/{id} (docs/identity.md).
import './viewtext.js'; // their areas' catalogs, before any t() of theirs (see viewtext.js)
import { h, announce, clear } from './dom.js';
import { get, post, del, enc, csrfToken } from './api.js';
import { openDialog } from './dialog.js';
import { t, formatDate, formatRelative } from './i18n.js';
import './shared.js'; // the first load's modules, in one chunk (see shared.js)

const MIN_LENGTH = 12; // the server's policy (src/auth/password.c)
const DAY = 86400;
const EXPIRIES = [
  { seconds: 30 * DAY, key: 'account.tokens.expiry30' },
  { seconds: 90 * DAY, key: 'account.tokens.expiry90' },
  { seconds: 365 * DAY, key: 'account.tokens.expiry365' },
];
let seq = 0;
const uid = (name) => `account-${name}-${++seq}`;

function field(label, input, hint) {
  const hintEl = hint ? h('p.hint.muted', { id: uid('hint'), text: hint }) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', {}, h('label', { for: input.id, text: label }), input, hintEl);
}

// The message for a refused password change, from the server's status and code.
function passwordError(err) {
  if (err.status === 403 && err.code === 'InvalidPassword') return t('account.password.wrongCurrent');
  if (err.status === 400 && err.code === 'invalidPassword') return t('account.password.weak', { min: MIN_LENGTH });
  if (err.status === 429) return t('account.password.throttled');
  return t('account.error', { message: err.message });
}

// The change-password form: {el, focus()}; onChanged runs after a 204.
function passwordForm({ currentLabel, submitLabel, onChanged }) {
  const current = h('input', { id: uid('current'), type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { id: uid('new'), type: 'password', autocomplete: 'new-password', required: true, minlength: MIN_LENGTH });
  const again = h('input', { id: uid('again'), type: 'password', autocomplete: 'new-password', required: true });
  const error = h('p.error', { role: 'alert', hidden: true });
  const submit = h('button.button.primary', { type: 'submit', text: submitLabel });
  const form = h('form.account-form', { novalidate: true },
    field(currentLabel, current),
    field(t('account.password.new'), next, t('account.password.hint', { min: MIN_LENGTH })),
    field(t('account.password.confirm'), again),
    error, h('div.form-actions', {}, submit));
  const fail = (text, input) => {
    error.textContent = text;
    error.hidden = false;
    if (input) input.focus();
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    if (!current.value) return fail(t('account.password.needCurrent'), current);
    if ([...next.value].length < MIN_LENGTH) return fail(t('account.password.tooShort', { min: MIN_LENGTH }), next);
    if (next.value !== again.value) return fail(t('account.password.mismatch'), again);
    submit.disabled = true;
    try {
      await post('/v1.0/me/changePassword', { currentPassword: current.value, newPassword: next.value });
      form.reset();
      onChanged();
    } catch (err) {
      fail(passwordError(err), err.status === 403 ? current : next);
    } finally {
      submit.disabled = false;
    }
  });
  return { el: form, focus: () => current.focus() };
}

// An inline "are you sure?" next to a button: resolves true when confirmed. Native confirm()
// is avoided: it cannot be styled, translated consistently or tested.
function confirmInline(host, question, confirmLabel) {
  return new Promise((resolve) => {
    const yes = h('button.button.danger', { type: 'button', text: confirmLabel });
    const no = h('button.button', { type: 'button', text: t('account.cancel') });
    const box = h('div.account-confirm', { role: 'group', 'aria-label': question }, h('span', { text: question }), yes, no);
    const done = (v) => { box.remove(); resolve(v); };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    box.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); e.preventDefault(); done(false); } });
    host.after(box);
    no.focus();
  });
}

function when(iso) {
  return iso ? formatDate(iso) : '';
}

function sessionsSection({ onSignedOut }) {
  const list = h('ul.credential-list', { 'aria-label': t('account.sessions.title') });
  const error = h('p.error', { role: 'alert', hidden: true });
  const everywhere = h('button.button', { type: 'button', text: t('account.sessions.everywhere') });
  const section = h('section.account-section', { 'aria-labelledby': 'account-sessions-title' },
    h('h3#account-sessions-title', { text: t('account.sessions.title') }),
    h('p.muted', { text: t('account.sessions.intro') }),
    list, error, h('div.form-actions', {}, everywhere));

  async function load() {
    error.hidden = true;
    let value;
    try {
      ({ value } = await get('/api/v1/me/sessions'));
    } catch (err) {
      error.textContent = t('account.error', { message: err.message });
      error.hidden = false;
      return;
    }
    clear(list);
    for (const s of value) {
      const label = t('account.sessions.started', { date: when(s.createdDateTime) });
      const used = s.lastUsedDateTime ? t('account.sessions.lastActive', { when: formatRelative(s.lastUsedDateTime) }) : '';
      const li = h('li.credential', {}, h('div.credential-text', {}, h('span', { text: label }), used ? h('span.muted', { text: used }) : null));
      if (s.isCurrent) {
        li.append(h('span.badge', { text: t('account.sessions.thisDevice') }));
      } else {
        const end = h('button.button.subtle', { type: 'button', text: t('account.sessions.signOut'), 'aria-label': t('account.sessions.signOutOne', { date: when(s.createdDateTime) }) });
        end.addEventListener('click', async () => {
          end.disabled = true;
          try {
            await del(`/api/v1/me/sessions/${enc(s.id)}`);
            announce(t('account.sessions.ended'));
            await load();
            everywhere.focus();
          } catch (err) {
            error.textContent = t('account.error', { message: err.message });
            error.hidden = false;
            end.disabled = false;
          }
        });
        li.append(end);
      }
      list.append(li);
    }
  }

  everywhere.addEventListener('click', async () => {
    if (!(await confirmInline(everywhere, t('account.sessions.confirmEverywhere'), t('account.sessions.everywhere')))) {
      everywhere.focus();
      return;
    }
    try {
      await del('/api/v1/me/sessions');
      onSignedOut();
    } catch (err) {
      error.textContent = t('account.error', { message: err.message });
      error.hidden = false;
    }
  });
  load();
  return section;
}

// POST /api/v1/tokens is the sign-in route: a wrong password is a 401 that must not sign the
// person out of the web client (api.js would), so it is called here directly.
async function createToken(user, password, expiresIn) {
  const res = await fetch('/api/v1/tokens', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken() || '' },
    body: JSON.stringify({ userPrincipalName: user.userPrincipalName, password, expiresIn }),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw Object.assign(new Error(e.message || String(res.status)), { status: res.status, code: e.code });
  }
  return data.token;
}

function tokensSection({ user }) {
  const list = h('ul.credential-list', { 'aria-label': t('account.tokens.title') });
  const empty = h('p.muted', { text: t('account.tokens.none'), hidden: true });
  const error = h('p.error', { role: 'alert', hidden: true });
  const expiry = h('select', { id: uid('expiry') },
    EXPIRIES.map((x) => h('option', { value: String(x.seconds), text: t(x.key), selected: x.seconds === 90 * DAY })));
  const password = h('input', { id: uid('token-password'), type: 'password', autocomplete: 'current-password', required: true });
  const create = h('button.button.primary', { type: 'submit', text: t('account.tokens.create') });
  const formError = h('p.error', { role: 'alert', hidden: true });
  const shown = h('div.token-once', { hidden: true });
  const form = h('form.account-form', { novalidate: true, 'aria-labelledby': 'account-token-new' },
    h('h4#account-token-new', { text: t('account.tokens.new') }),
    h('div.inline-fields', {}, field(t('account.tokens.expiry'), expiry), field(t('account.tokens.password'), password, t('account.tokens.passwordHint'))),
    formError, h('div.form-actions', {}, create));
  const section = h('section.account-section', { 'aria-labelledby': 'account-tokens-title' },
    h('h3#account-tokens-title', { text: t('account.tokens.title') }),
    h('p.muted', { text: t('account.tokens.intro') }),
    list, empty, error, shown, form);

  async function load() {
    let value;
    try {
      ({ value } = await get('/api/v1/tokens'));
    } catch (err) {
      error.textContent = t('account.error', { message: err.message });
      error.hidden = false;
      return;
    }
    clear(list);
    empty.hidden = value.length > 0;
    for (const tok of value) {
      const created = t('account.tokens.created', { date: when(tok.createdDateTime) });
      const expires = tok.expiresDateTime ? t('account.tokens.expires', { date: when(tok.expiresDateTime) }) : t('account.tokens.neverExpires');
      const used = tok.lastUsedDateTime ? t('account.tokens.lastUsed', { when: formatRelative(tok.lastUsedDateTime) }) : t('account.tokens.neverUsed');
      const revoke = h('button.button.subtle', { type: 'button', text: t('account.tokens.revoke'), 'aria-label': t('account.tokens.revokeOne', { date: when(tok.createdDateTime) }) });
      const li = h('li.credential', {}, h('div.credential-text', {}, h('span', { text: created }), h('span.muted', { text: `${expires} \u00b7 ${used}` })), revoke);
      revoke.addEventListener('click', async () => {
        if (!(await confirmInline(revoke, t('account.tokens.confirmRevoke'), t('account.tokens.revoke')))) { revoke.focus(); return; }
        try {
          await del(`/api/v1/tokens/${enc(tok.id)}`);
          announce(t('account.tokens.revoked'));
          await load();
          create.focus();
        } catch (err) {
          error.textContent = t('account.error', { message: err.message });
          error.hidden = false;
        }
      });
      list.append(li);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    formError.hidden = true;
    if (!password.value) {
      formError.textContent = t('account.tokens.needPassword');
      formError.hidden = false;
      password.focus();
      return;
    }
    create.disabled = true;
    try {
      const token = await createToken(user, password.value, Number(expiry.value));
      password.value = '';
      const out = h('input.token-value', { id: uid('token'), type: 'text', readonly: true, value: token, spellcheck: false });
      const copy = h('button.button', { type: 'button', text: t('account.tokens.copy') });
      copy.addEventListener('click', async () => {
        out.select();
        try { await navigator.clipboard.writeText(token); announce(t('account.tokens.copied')); } catch { /* selected: Ctrl+C works */ }
      });
      shown.replaceChildren(
        h('p', { role: 'status', text: t('account.tokens.showOnce') }),
        h('div.field', {}, h('label', { for: out.id, text: t('account.tokens.value') }), h('div.token-row', {}, out, copy)));
      shown.hidden = false;
      out.focus();
      out.select();
      await load();
    } catch (err) {
      formError.textContent = err.status === 401 ? t('account.tokens.wrongPassword')
        : err.status === 429 ? t('account.password.throttled') : t('account.error', { message: err.message });
      formError.hidden = false;
      password.focus();
    } finally {
      create.disabled = false;
    }
  });
  load();
  return section;
}

// The "Your account" dialog. onSignedOut: after "sign out everywhere" (this session ended too).
export function openAccount({ user, onSignedOut }) {
  const d = openDialog({ title: t('account.title'), className: 'account-dialog', wide: true });
  const status = h('p.account-status', { role: 'status', hidden: true });
  const pw = passwordForm({
    currentLabel: t('account.password.current'),
    submitLabel: t('account.password.change'),
    onChanged: () => {
      status.textContent = t('account.password.changed');
      status.hidden = false;
      announce(t('account.password.changed'));
    },
  });
  d.body.append(
    h('p.muted', { text: t('account.signedInAs', { name: user.displayName, upn: user.userPrincipalName }) }),
    h('section.account-section', { 'aria-labelledby': 'account-password-title' },
      h('h3#account-password-title', { text: t('account.password.title') }), status, pw.el),
    sessionsSection({ onSignedOut: () => { d.close(); onSignedOut(); } }),
    tokensSection({ user }));
  d.focusFirst();
  return d;
}

// After a sign-in whose password must be changed (an administrator's reset or
// `switchboard admin reset-password`): every other call is refused until this succeeds.
export function renderPasswordChange(root, { user, onDone, onSignOut }) {
  document.title = t('account.forced.pageTitle');
  const pw = passwordForm({
    currentLabel: t('account.forced.current'),
    submitLabel: t('account.forced.submit'),
    onChanged: () => { announce(t('account.password.changed')); onDone(user); },
  });
  const signOut = h('button.button.link', { type: 'button', text: t('account.forced.signOut'), onclick: onSignOut });
  root.replaceChildren(h('main.signin.password-change', { id: 'main' },
    h('div.signin-brand', { 'aria-hidden': 'true', text: 'S' }), // i18n-ignore: the logo's letter, hidden from assistive technology
    h('div.signin-form', { role: 'region', 'aria-labelledby': 'forced-title' },
      h('h1#forced-title', { text: t('account.forced.title') }),
      h('p', { text: t('account.forced.intro', { name: user.displayName }) }),
      pw.el, signOut)));
  pw.focus();
}
