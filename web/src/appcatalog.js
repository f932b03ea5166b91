// App packages from the web client: the apps on the admin page (list, upload a new app or a new
// version, delete, block and allow) and "Upload a custom app" in a team's connectors dialog.
// The server validates every package and its errors name the field and the rule; they are
// shown as they come.
import { h, clear, avatar, announce } from './dom.js';
import { get, post, patch, del, enc, localPath } from './api.js';
import { confirmChange } from './admin/common.js';
import { t } from './i18n.js';

const MAX_PACKAGE = 1024 * 1024;

// A labelled file input for a .zip; onFile(file) runs with the chosen file (size checked).
function zipPicker(id, label, onFile, showError) {
  const input = h(`input#${id}`, { type: 'file', accept: '.zip,application/zip' });
  input.addEventListener('change', async () => {
    const f = input.files && input.files[0];
    if (!f) return;
    if (f.size > MAX_PACKAGE) { showError(new Error(t('apps.catalog.tooBig'))); input.value = ''; return; }
    try { await onFile(f); } finally { input.value = ''; }
  });
  return h('div.field', {}, h('label', { for: id, text: label }), input);
}

// What blocking or allowing `a` does, from the server's counts of its live configurations.
function blockConsequences(a, blocking) {
  const configs = a.configurationCount
    ? t('apps.catalog.blockKeeps', { count: a.configurationCount, teams: t('apps.catalog.teams', { count: a.teamCount }) })
    : t('apps.catalog.blockKeeps.none');
  if (!blocking) return [t('apps.catalog.allowConsequence', { name: a.displayName })];
  return [t('apps.catalog.blockConsequence', { name: a.displayName }), configs, t('apps.catalog.blockUpload', { name: a.displayName })];
}

// Block / Allow for one app: asks first, then PATCH /api/v1/admin/apps/{id}.
function blockButton(a, { onDone, showError }) {
  const blocking = !a.blocked;
  const label = blocking ? t('apps.catalog.block') : t('apps.catalog.allow');
  const button = h(`button.button${blocking ? '.danger' : ''}`, { type: 'button', text: label,
    'aria-label': t(blocking ? 'apps.catalog.blockWho' : 'apps.catalog.allowWho', { name: a.displayName }) });
  button.addEventListener('click', async () => {
    const ok = await confirmChange({
      title: t(blocking ? 'apps.catalog.confirmBlock' : 'apps.catalog.confirmAllow', { name: a.displayName }),
      consequences: blockConsequences(a, blocking), confirmLabel: label, danger: blocking,
    });
    if (!ok) { button.focus(); return; }
    button.disabled = true;
    try {
      await patch(`/api/v1/admin/apps/${enc(a.id)}`, { blocked: blocking });
      announce(t(blocking ? 'apps.catalog.blocked' : 'apps.catalog.allowed', { name: a.displayName }));
      await onDone();
    } catch (err) { showError(err); button.disabled = false; }
  });
  return button;
}

// The admin page's section: every app (GET /api/v1/admin/apps): the organisation's, which can be
// deleted, and those uploaded to teams; each can be blocked and allowed.
export function appCatalogSection() {
  const error = h('p.error', { role: 'alert', hidden: true });
  const status = h('span.copy-status', { role: 'status' });
  const list = h('ul.conn-list', {}, h('li.muted', { text: t('apps.catalog.loading') }));
  const uploads = h('ul.conn-list', {});
  const uploadsTitle = h('h4#admin-apps-uploaded', { text: t('apps.catalog.uploadedTitle'), hidden: true });
  const showError = (err) => { error.textContent = err.message; error.hidden = false; status.textContent = ''; };
  const item = (a) => {
    const buttons = h('div.conn-buttons', {}, blockButton(a, { onDone: load, showError }));
    if (a.distributionMethod === 'organization') {
      const remove = h('button.button.danger', { type: 'button', text: t('apps.catalog.delete'), 'aria-label': t('apps.catalog.deleteWho', { name: a.displayName }) });
      remove.addEventListener('click', async () => {
        const ok = await confirmChange({ title: t('apps.catalog.confirmDelete', { name: a.displayName }), consequences: [t('apps.catalog.deleteConsequence', { name: a.displayName })], confirmLabel: t('apps.catalog.delete') });
        if (!ok) return;
        remove.disabled = true;
        try {
          await del(`/v1.0/appCatalogs/teamsApps/${enc(a.id)}`);
          announce(t('apps.catalog.deleted', { name: a.displayName }));
          await load();
        } catch (err) { showError(err); remove.disabled = false; }
      });
      buttons.append(remove);
    }
    const facts = [t('apps.catalog.version', { version: a.version })];
    if (a.teamName) facts.push(t('apps.catalog.uploadedTo', { team: a.teamName }));
    facts.push(a.configurationCount
      ? t('apps.catalog.inUse', { count: a.configurationCount, teams: t('apps.catalog.teams', { count: a.teamCount }) })
      : t('apps.catalog.inUse.none'));
    return h(`li.conn-item${a.blocked ? '.app-blocked' : ''}`, {},
      avatar(a.displayName, localPath(`/v1.0/appCatalogs/teamsApps/${a.id}/icon`), 36),
      h('div.conn-info', {},
        h('strong', { text: a.displayName }),
        a.blocked ? h('span.badge.attention.app-blocked-badge', { text: t('apps.catalog.blockedBadge') }) : null,
        h('p.muted', { text: facts.join(' · ') })),
      buttons);
  };
  const load = async () => {
    try {
      const res = await get('/api/v1/admin/apps');
      clear(list);
      clear(uploads);
      const apps = res.value || [];
      const org = apps.filter((a) => a.distributionMethod === 'organization');
      const uploaded = apps.filter((a) => a.distributionMethod !== 'organization');
      if (!org.length) list.append(h('li.muted', { text: t('apps.catalog.none') }));
      for (const a of org) list.append(item(a));
      for (const a of uploaded) uploads.append(item(a));
      uploadsTitle.hidden = !uploaded.length;
    } catch (err) { showError(err); }
  };
  const picker = zipPicker('admin-app-upload', t('apps.catalog.publish'), async (f) => {
    error.hidden = true;
    status.textContent = t('apps.catalog.uploading');
    try {
      const app = await post('/v1.0/appCatalogs/teamsApps', f);
      status.textContent = t('apps.catalog.published', { name: app.displayName, version: app.version });
      await load();
    } catch (err) { showError(err); }
  }, showError);
  load();
  return h('section.settings', { 'aria-labelledby': 'admin-apps' }, h('h3#admin-apps', { text: t('apps.catalog.title') }),
    picker, error, status, list, uploadsTitle, uploads);
}

// The connectors dialog's "Upload a custom app" (the team's Uploaded section).
export function teamUploadControl({ teamId, onDone }) {
  const error = h('p.error', { role: 'alert', hidden: true });
  const status = h('span.copy-status', { role: 'status' });
  const showError = (err) => { error.textContent = err.message; error.hidden = false; status.textContent = ''; };
  const picker = zipPicker('team-app-upload', t('apps.catalog.uploadCustom'), async (f) => {
    error.hidden = true;
    status.textContent = t('apps.catalog.uploading');
    try {
      const app = await post(`/v1.0/teams/${enc(teamId)}/installedApps`, f);
      announce(t('apps.catalog.uploadedWho', { name: (app.teamsApp && app.teamsApp.displayName) || t('apps.catalog.theApp') }));
      status.textContent = t('apps.catalog.uploaded');
      onDone();
    } catch (err) { showError(err); }
  }, showError);
  return h('div.team-upload', {}, picker, error, status);
}
