// App packages from the web client: the organisation catalog on the admin page (list, upload a
// new app or a new version, delete) and "Upload a custom app" in a team's connectors dialog.
// The server validates every package and its errors name the field and the rule; they are
// shown as they come.
import { h, clear, avatar, announce } from './dom.js';
import { get, post, del, enc, localPath } from './api.js';
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

// The admin page's section: the organisation's apps.
export function appCatalogSection() {
  const error = h('p.error', { role: 'alert', hidden: true });
  const status = h('span.copy-status', { role: 'status' });
  const list = h('ul.conn-list', {}, h('li.muted', { text: t('apps.catalog.loading') }));
  const showError = (err) => { error.textContent = err.message; error.hidden = false; status.textContent = ''; };
  const load = async () => {
    try {
      const res = await get('/v1.0/appCatalogs/teamsApps');
      clear(list);
      const apps = (res.value || []).filter((a) => a.distributionMethod === 'organization');
      if (!apps.length) list.append(h('li.muted', { text: t('apps.catalog.none') }));
      for (const a of apps) {
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
        list.append(h('li.conn-item', {},
          avatar(a.displayName, localPath(`/v1.0/appCatalogs/teamsApps/${a.id}/icon`), 36),
          h('div.conn-info', {}, h('strong', { text: a.displayName }), h('p.muted', { text: t('apps.catalog.version', { version: a.version }) })),
          h('div.conn-buttons', {}, remove)));
      }
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
  return h('section.settings', { 'aria-labelledby': 'admin-apps' }, h('h3#admin-apps', { text: t('apps.catalog.title') }), picker, error, status, list);
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
