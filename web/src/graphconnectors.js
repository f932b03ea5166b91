// The admin page's Graph connectors section: catalog apps with a graphConnector, each with its
// on/off switch (turning it on or off notifies the app), the state of the last notification,
// the app's registrations and the connections the app made; and registering an app (the client
// secret is shown once).
import { h, clear, formatTime } from './dom.js';
import { get, post, patch, enc } from './api.js';

function notificationText(n) {
  if (!n) return 'No notification sent yet.';
  if (n.state === 'done') return `Notification delivered (attempt ${n.attempts}).`;
  if (n.state === 'failed') return `Notification failed after ${n.attempts} attempts: ${n.lastError || 'no answer'}. The app was not told.`;
  const next = n.nextAttemptDateTime ? `; next attempt ${formatTime(n.nextAttemptDateTime)}` : '';
  return `Notification pending (${n.attempts} attempts so far${n.lastError ? `, last: ${n.lastError}` : ''}${next}).`;
}

export function graphConnectorsSection(showError) {
  const section = h('section.settings', { 'aria-labelledby': 'admin-gc' }, h('h3#admin-gc', { text: 'Graph connectors' }));
  const list = h('ul.conn-list.gc-list');
  const status = h('span.copy-status', { role: 'status' });
  const secretBox = h('div.gc-secret', { hidden: true });
  section.append(list, status, secretBox);

  const registerForm = (apps) => {
    const name = h('input#gc-reg-name', { type: 'text', required: true, maxLength: 256, autocomplete: 'off' });
    const app = h('select#gc-reg-app', {}, h('option', { value: '', text: 'No app (not linked)' }),
      ...apps.map((a) => h('option', { value: a.appId, text: a.displayName })));
    const form = h('form.gc-register', {},
      h('h4', { text: 'Register an app' }),
      h('div.field', {}, h('label', { for: 'gc-reg-name', text: 'Display name' }), name),
      h('div.field', {}, h('label', { for: 'gc-reg-app', text: 'Catalog app' }), app),
      h('button.button.primary', { type: 'submit', text: 'Register' }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        // The contract's form: the catalog app is teamsAppId, and appId in the answer is the
        // new application's own id, the client id of the token endpoint.
        const r = await post('/api/v1/admin/applications', { displayName: name.value, ...(app.value ? { teamsAppId: app.value } : {}) });
        clear(secretBox);
        secretBox.append(h('p', { text: 'Copy the client secret now: it is not shown again.' }),
          h('dl.gc-creds', {}, h('dt', { text: 'Client id' }), h('dd', {}, h('code', { text: r.appId })),
            h('dt', { text: 'Client secret' }), h('dd', {}, h('code', { text: r.clientSecret }))));
        secretBox.hidden = false;
        name.value = '';
        await load(false);
      } catch (err) { showError(err); }
    });
    return form;
  };

  const load = async (hideSecret = true) => {
    let data;
    try { data = await get('/api/v1/admin/graphConnectors'); } catch (err) { showError(err); return; }
    if (hideSecret) secretBox.hidden = true;
    clear(list);
    for (const a of data.value || []) {
      const id = `gc-sw-${a.appId}`;
      const cb = h(`input#${id}`, { type: 'checkbox', checked: !!a.enabled });
      cb.addEventListener('change', async () => {
        cb.disabled = true;
        try {
          await patch(`/api/v1/admin/graphConnectors/${enc(a.appId)}`, { enabled: cb.checked });
          status.textContent = cb.checked ? `${a.displayName}: turned on, the app is notified` : `${a.displayName}: turned off, the app is notified`;
          await load();
        } catch (err) { cb.checked = !cb.checked; cb.disabled = false; showError(err); }
      });
      const conns = h('ul.gc-connections', { 'aria-label': `Connections of ${a.displayName}` });
      for (const c of a.connections || []) {
        conns.append(h('li', {}, h('code', { text: c.id }), ` ${c.name} \u2013 ${c.state}, ${c.itemCount} items`));
      }
      if (!conns.childNodes.length) conns.append(h('li.muted', { text: 'No connections.' }));
      const regs = (a.registrations || []).map((r) => r.clientId).join(', ');
      list.append(h('li.conn-item.gc-app', {},
        h('div.conn-info', {},
          h('div.field.switch', {}, cb, h('label', { for: id, text: a.displayName })),
          h('p.muted', { text: `Notifies ${a.notificationUrl}` }),
          h('p.muted', { text: regs ? `Client id: ${regs}` : 'Not registered yet: register it below before turning it on.' }),
          h('p.gc-notification', { text: notificationText(a.notification) }),
          conns)));
    }
    if (!list.childNodes.length) list.append(h('li.muted', { text: 'No app in the catalog has a graphConnector.' }));
    const old = section.querySelector('form.gc-register');
    if (old) old.remove();
    section.append(registerForm(data.value || []));
  };
  load();
  return section;
}
