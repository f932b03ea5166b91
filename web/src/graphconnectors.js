// The admin page's Graph connectors section: catalog apps with a graphConnector, each with its
// on/off switch (turning it on or off notifies the app), the state of the last notification,
// the app's registrations and the connections the app made; and registering an app (the client
// secret is shown once).
import { h, clear, formatTime } from './dom.js';
import { get, post, patch, enc } from './api.js';
import { confirmChange } from './admin/common.js';
import { t } from './i18n.js';

function notificationText(n) {
  if (!n) return t('apps.graph.noNotification');
  if (n.state === 'done') return t('apps.graph.delivered', { count: n.attempts });
  if (n.state === 'failed') return t('apps.graph.failed', { count: n.attempts, error: n.lastError || t('apps.graph.noAnswer') });
  const parts = [t('apps.graph.pending', { count: n.attempts })];
  if (n.lastError) parts.push(t('apps.graph.last', { error: n.lastError }));
  if (n.nextAttemptDateTime) parts.push(t('apps.graph.next', { when: formatTime(n.nextAttemptDateTime) }));
  return parts.join(' ');
}

export function graphConnectorsSection(showError) {
  const section = h('section.settings', { 'aria-labelledby': 'admin-gc' }, h('h3#admin-gc', { text: t('apps.graph.title') }));
  const list = h('ul.conn-list.gc-list');
  const status = h('span.copy-status', { role: 'status' });
  const secretBox = h('div.gc-secret', { hidden: true });
  section.append(list, status, secretBox);

  const registerForm = (apps) => {
    const name = h('input#gc-reg-name', { type: 'text', required: true, maxLength: 256, autocomplete: 'off' });
    const app = h('select#gc-reg-app', {}, h('option', { value: '', text: t('apps.graph.noApp') }),
      ...apps.map((a) => h('option', { value: a.appId, text: a.displayName })));
    const form = h('form.gc-register', {},
      h('h4', { text: t('apps.graph.register') }),
      h('div.field', {}, h('label', { for: 'gc-reg-name', text: t('apps.graph.displayName') }), name),
      h('div.field', {}, h('label', { for: 'gc-reg-app', text: t('apps.graph.catalogApp') }), app),
      h('button.button.primary', { type: 'submit', text: t('apps.graph.registerButton') }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        // The contract's form: the catalog app is teamsAppId, and appId in the answer is the
        // new application's own id, the client id of the token endpoint.
        const r = await post('/api/v1/admin/applications', { displayName: name.value, ...(app.value ? { teamsAppId: app.value } : {}) });
        clear(secretBox);
        secretBox.append(h('p', { text: t('apps.graph.copySecret') }),
          h('dl.gc-creds', {}, h('dt', { text: t('apps.graph.clientId') }), h('dd', {}, h('code', { text: r.appId })),
            h('dt', { text: t('apps.graph.clientSecret') }), h('dd', {}, h('code', { text: r.clientSecret }))));
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
        if (!cb.checked) {
          // Off tells the app to delete its connections: say how much stops being searchable.
          const conns = a.connections || [];
          const items = conns.reduce((n, x) => n + (x.itemCount || 0), 0);
          const ok = await confirmChange({ title: t('apps.graph.confirmOff', { name: a.displayName }),
            consequences: [t('apps.graph.offConsequence', { name: a.displayName, count: items, connections: t('apps.graph.connections', { count: conns.length }) })],
            confirmLabel: t('admin.confirm.turnOff') });
          if (!ok) { cb.checked = true; return; }
        }
        cb.disabled = true;
        try {
          await patch(`/api/v1/admin/graphConnectors/${enc(a.appId)}`, { enabled: cb.checked });
          status.textContent = t(cb.checked ? 'apps.graph.turnedOn' : 'apps.graph.turnedOff', { name: a.displayName });
          await load();
        } catch (err) { cb.checked = !cb.checked; cb.disabled = false; showError(err); }
      });
      const conns = h('ul.gc-connections', { 'aria-label': t('apps.graph.connectionsOf', { name: a.displayName }) });
      for (const c of a.connections || []) {
        conns.append(h('li', {}, h('code', { text: c.id }), ` ${t('apps.graph.connection', { name: c.name, state: c.state, count: c.itemCount })}`));
      }
      if (!conns.childNodes.length) conns.append(h('li.muted', { text: t('apps.graph.noConnections') }));
      const regs = (a.registrations || []).map((r) => r.clientId).join(', ');
      list.append(h('li.conn-item.gc-app', {},
        h('div.conn-info', {},
          h('div.field.switch', {}, cb, h('label', { for: id, text: a.displayName })),
          h('p.muted', { text: t('apps.graph.notifies', { url: a.notificationUrl }) }),
          h('p.muted', { text: regs ? t('apps.graph.clientIds', { ids: regs }) : t('apps.graph.notRegistered') }),
          h('p.gc-notification', { text: notificationText(a.notification) }),
          conns)));
    }
    if (!list.childNodes.length) list.append(h('li.muted', { text: t('apps.graph.none') }));
    const old = section.querySelector('form.gc-register');
    if (old) old.remove();
    section.append(registerForm(data.value || []));
  };
  load();
  return section;
}
