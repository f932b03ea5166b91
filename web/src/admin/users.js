// Users: find people, create an account, disable or enable it, reset a password (a one-time
// password shown once; the person chooses a new one at next sign-in), delete. Graph's user
// resource (contract §6: /v1.0/users); disabling and deleting end the person's sessions and
// tokens at once, which the confirmation says.
import { h, clear } from '../dom.js';
import { get, post, patch, del, enc } from '../api.js';
import { t } from '../i18n.js';
import { section, confirmChange } from './common.js';

// A one-time password: 16 characters from an alphabet without look-alikes.
export function oneTimePassword() {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

function roleText(u) {
  const roles = (u.roles || []).map((r) => String(r).toLowerCase());
  if (roles.some((r) => r.includes('admin'))) return t('admin.users.role.admin');
  if (roles.some((r) => r.includes('guest'))) return t('admin.users.role.guest');
  return t('admin.users.role.member');
}

export function usersSection() {
  const s = section('users', t('admin.section.users'), t('admin.users.intro'));
  const secret = h('div.admin-secret', { hidden: true, role: 'region', 'aria-label': t('admin.users.oneTime') });
  const results = h('div.admin-users');
  const search = h('input#admin-user-search', { type: 'search', autocomplete: 'off', placeholder: t('admin.users.searchPlaceholder') });
  const searchForm = h('form.admin-inline-form', { role: 'search' },
    h('div.field', {}, h('label', { for: 'admin-user-search', text: t('admin.users.search') }), search),
    h('button.button', { type: 'submit', text: t('admin.users.searchButton') }));

  const showSecret = (user, password) => {
    clear(secret);
    secret.append(h('p', { text: t('admin.users.oneTimeFor', { name: user.displayName }) }), h('p', {}, h('code.admin-password', { text: password })),
      h('p.muted', { text: t('admin.users.oneTimeHint') }));
    secret.hidden = false;
    secret.focus();
  };

  const load = async () => {
    const q = search.value.trim();
    let res;
    try {
      res = await get(`/v1.0/users?$top=100${q ? `&$search=${enc(`"${q}"`)}` : ''}`);
    } catch (err) {
      clear(results);
      if (err.status === 404 || err.status === 405) results.append(h('p.muted', { text: t('admin.users.unavailable') }));
      else s.showError(err);
      return;
    }
    clear(results);
    const users = res.value || [];
    if (!users.length) { results.append(h('p.muted', { text: t('admin.users.none') })); return; }
    const tbody = h('tbody');
    for (const u of users) {
      const enabled = u.accountEnabled !== false;
      const toggle = h('button.button', { type: 'button', text: enabled ? t('admin.users.disable') : t('admin.users.enable'), 'aria-label': t(enabled ? 'admin.users.disableWho' : 'admin.users.enableWho', { name: u.displayName }) });
      toggle.addEventListener('click', async () => {
        if (enabled) {
          const ok = await confirmChange({ title: t('admin.users.confirmDisable', { name: u.displayName }),
            consequences: [t('admin.users.signedOut', { name: u.displayName }), t('admin.users.cannotSignIn')], confirmLabel: t('admin.users.disable') });
          if (!ok) return;
        }
        s.clearError();
        try { await patch(`/v1.0/users/${enc(u.id)}`, { accountEnabled: !enabled }); s.saved(); } catch (err) { s.showError(err); }
        await load();
      });
      const reset = h('button.button', { type: 'button', text: t('admin.users.reset'), 'aria-label': t('admin.users.resetWho', { name: u.displayName }) });
      reset.addEventListener('click', async () => {
        const ok = await confirmChange({ title: t('admin.users.confirmReset', { name: u.displayName }),
          consequences: [t('admin.users.resetConsequence', { name: u.displayName })], confirmLabel: t('admin.users.reset') });
        if (!ok) return;
        const password = oneTimePassword();
        s.clearError();
        try {
          await patch(`/v1.0/users/${enc(u.id)}`, { passwordProfile: { password, forceChangePasswordNextSignIn: true } });
          showSecret(u, password);
        } catch (err) { s.showError(err); }
      });
      const remove = h('button.button.danger', { type: 'button', text: t('admin.users.delete'), 'aria-label': t('admin.users.deleteWho', { name: u.displayName }) });
      remove.addEventListener('click', async () => {
        const ok = await confirmChange({ title: t('admin.users.confirmDelete', { name: u.displayName }),
          consequences: [t('admin.users.signedOut', { name: u.displayName }), t('admin.users.messagesStay'), t('admin.users.connectorsStay')], confirmLabel: t('admin.users.delete') });
        if (!ok) return;
        s.clearError();
        try { await del(`/v1.0/users/${enc(u.id)}`); s.saved(t('admin.users.deleted', { name: u.displayName })); } catch (err) { s.showError(err); }
        await load();
      });
      tbody.append(h('tr', {},
        h('th', { scope: 'row' }, h('span', { text: u.displayName }), h('span.muted.admin-small', { text: u.userPrincipalName })),
        h('td', { 'data-label': t('admin.users.col.role'), text: roleText(u) }),
        h('td', { 'data-label': t('admin.users.col.status'), text: enabled ? t('admin.users.enabled') : t('admin.users.disabled') }),
        h('td', {}, h('div.admin-actions', {}, toggle, reset, remove))));
    }
    results.append(h('div.table-wrap', {}, h('table.admin-table', {},
      h('caption.visually-hidden', { text: t('admin.section.users') }),
      h('thead', {}, h('tr', {}, ['name', 'role', 'status', 'actions'].map((c) => h('th', { scope: 'col', text: t(`admin.users.col.${c}`) })))), tbody)));
  };
  searchForm.addEventListener('submit', (e) => { e.preventDefault(); s.clearError(); load(); });

  // Create: name, sign-in name, a password (a one-time one is offered, the person changes it).
  const name = h('input#admin-new-name', { type: 'text', required: true, autocomplete: 'off' });
  const upn = h('input#admin-new-upn', { type: 'email', required: true, autocomplete: 'off' });
  const create = h('form.admin-create', {},
    h('h3', { text: t('admin.users.create') }),
    h('div.field', {}, h('label', { for: 'admin-new-name', text: t('admin.users.name') }), name),
    h('div.field', {}, h('label', { for: 'admin-new-upn', text: t('admin.users.upn') }), upn),
    h('p.muted', { text: t('admin.users.createHint') }),
    h('button.button.primary', { type: 'submit', text: t('admin.users.createButton') }));
  create.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.value.trim() || !upn.value.trim()) { (name.value.trim() ? upn : name).focus(); return; }
    const password = oneTimePassword();
    s.clearError();
    try {
      const u = await post('/v1.0/users', { displayName: name.value.trim(), userPrincipalName: upn.value.trim(), passwordProfile: { password, forceChangePasswordNextSignIn: true } });
      name.value = '';
      upn.value = '';
      s.saved(t('admin.users.created', { name: u.displayName }));
      showSecret(u, password);
      await load();
    } catch (err) { s.showError(err); }
  });
  secret.tabIndex = -1;
  s.body.append(secret, searchForm, results, create);
  load();
  return s.root;
}
