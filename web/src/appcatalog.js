// App packages from the web client: the organisation catalog on the admin page (list, upload a
// new app or a new version, delete) and "Upload a custom app" in a team's connectors dialog.
// The server validates every package and its errors name the field and the rule; they are
// shown as they come.
import { h, clear, avatar, announce } from './dom.js';
import { get, post, del, enc, localPath } from './api.js';

const MAX_PACKAGE = 1024 * 1024;

// A labelled file input for a .zip; onFile(file) runs with the chosen file (size checked).
function zipPicker(id, label, onFile, showError) {
  const input = h(`input#${id}`, { type: 'file', accept: '.zip,application/zip' });
  input.addEventListener('change', async () => {
    const f = input.files && input.files[0];
    if (!f) return;
    if (f.size > MAX_PACKAGE) { showError(new Error('The app package must be at most 1 MB.')); input.value = ''; return; }
    try { await onFile(f); } finally { input.value = ''; }
  });
  return h('div.field', {}, h('label', { for: id, text: label }), input);
}

// The admin page's section: the organisation's apps.
export function appCatalogSection() {
  const error = h('p.error', { role: 'alert', hidden: true });
  const status = h('span.copy-status', { role: 'status' });
  const list = h('ul.conn-list', {}, h('li.muted', { text: 'Loading\u2026' }));
  const showError = (err) => { error.textContent = err.message; error.hidden = false; status.textContent = ''; };
  const load = async () => {
    try {
      const res = await get('/v1.0/appCatalogs/teamsApps');
      clear(list);
      const apps = (res.value || []).filter((a) => a.distributionMethod === 'organization');
      if (!apps.length) list.append(h('li.muted', { text: 'No apps have been published to the organization.' }));
      for (const a of apps) {
        const remove = h('button.button.danger', { type: 'button', text: 'Delete', 'aria-label': `Delete ${a.displayName}` });
        remove.addEventListener('click', async () => {
          remove.disabled = true;
          try {
            await del(`/v1.0/appCatalogs/teamsApps/${enc(a.id)}`);
            announce(`${a.displayName} deleted`);
            await load();
          } catch (err) { showError(err); remove.disabled = false; }
        });
        list.append(h('li.conn-item', {},
          avatar(a.displayName, localPath(`/v1.0/appCatalogs/teamsApps/${a.id}/icon`), 36),
          h('div.conn-info', {}, h('strong', { text: a.displayName }), h('p.muted', { text: `Version ${a.version}` })),
          h('div.conn-buttons', {}, remove)));
      }
    } catch (err) { showError(err); }
  };
  const picker = zipPicker('admin-app-upload', 'Publish an app package (.zip: manifest.json and icons; a new version replaces the app)', async (f) => {
    error.hidden = true;
    status.textContent = 'Uploading\u2026';
    try {
      const app = await post('/v1.0/appCatalogs/teamsApps', f);
      status.textContent = `Published ${app.displayName} ${app.version}`;
      await load();
    } catch (err) { showError(err); }
  }, showError);
  load();
  return h('section.settings', { 'aria-labelledby': 'admin-apps' }, h('h3#admin-apps', { text: 'Apps (organization catalog)' }), picker, error, status, list);
}

// The connectors dialog's "Upload a custom app" (the team's Uploaded section).
export function teamUploadControl({ teamId, onDone }) {
  const error = h('p.error', { role: 'alert', hidden: true });
  const status = h('span.copy-status', { role: 'status' });
  const showError = (err) => { error.textContent = err.message; error.hidden = false; status.textContent = ''; };
  const picker = zipPicker('team-app-upload', 'Upload a custom app (.zip)', async (f) => {
    error.hidden = true;
    status.textContent = 'Uploading\u2026';
    try {
      const app = await post(`/v1.0/teams/${enc(teamId)}/installedApps`, f);
      announce(`${(app.teamsApp && app.teamsApp.displayName) || 'The app'} was uploaded`);
      status.textContent = 'Uploaded';
      onDone();
    } catch (err) { showError(err); }
  }, showError);
  return h('div.team-upload', {}, picker, error, status);
}
