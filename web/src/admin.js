// The administrator's page: organisation connector switches and cloud environment, the group
// switch of the teams the admin belongs to, and the audit log of policy and connector changes.
import { h, clear, formatTime } from './dom.js';
import { get, patch, enc } from './api.js';
import { openDialog } from './dialog.js';
import { appCatalogSection } from './appcatalog.js';
import { graphConnectorsSection } from './graphconnectors.js';

const SWITCHES = [
  ['connectorsEnabled', 'Connectors (Set-OrganizationConfig -ConnectorsEnabled)'],
  ['connectorsEnabledForTeams', 'Connectors for Teams (-ConnectorsEnabledForTeams)'],
  ['connectorsActionableMessagesEnabled', 'Actionable messages (-ConnectorsActionableMessagesEnabled)'],
  ['developersMayRegisterConnectors', 'Everyone may register connectors (Developer page)'],
  ['unsignedWebhookUrlsAccepted', 'Unsigned webhook URLs (-UnsignedWebhookUrlsAccepted)'],
];
const CLOUDS = ['commercial', 'gcc', 'gcch', 'dod'];

// True when the signed-in person is a global administrator (the organisation resource is theirs).
export async function isAdmin() {
  try { await get('/api/v1/admin/organization'); return true; } catch { return false; }
}

export function openAdmin() {
  const d = openDialog({ title: 'Administration', wide: true, className: 'admin-dialog' });
  d.footer.append(h('button.button', { type: 'button', text: 'Close', onclick: () => d.close() }));

  const load = async () => {
    clear(d.body);
    const error = h('p.error', { role: 'alert', hidden: true });
    const status = h('span.copy-status', { role: 'status' });
    const showError = (err) => { error.textContent = err.message; error.hidden = false; };
    d.body.append(error);
    let org;
    let teams;
    try {
      [org, teams] = await Promise.all([get('/api/v1/admin/organization'), get('/v1.0/me/joinedTeams')]);
    } catch (err) { showError(err); return; }
    const explicit = new Set(org.explicitSettings || []);
    const save = async (body) => {
      error.hidden = true;
      try { await patch('/api/v1/admin/organization', body); status.textContent = 'Saved'; await load(); } catch (err) { showError(err); }
    };

    const orgSection = h('section.settings', { 'aria-labelledby': 'admin-org' }, h('h3#admin-org', { text: 'Organization' }));
    for (const [name, label] of SWITCHES) {
      const cb = h(`input#sw-${name}`, { type: 'checkbox', checked: !!org[name] });
      cb.addEventListener('change', () => save({ [name]: cb.checked }));
      const reset = h('button.button.link', { type: 'button', text: 'Use default', 'aria-label': `Use the default for ${label}`, hidden: !explicit.has(name) });
      reset.addEventListener('click', () => save({ [name]: null }));
      orgSection.append(h('div.field.switch', {}, cb, h('label', { for: `sw-${name}`, text: label }),
        h('span.muted', { text: explicit.has(name) ? ' (set)' : ' (default)' }), reset));
    }
    const cloud = h('select#admin-cloud');
    for (const c of CLOUDS) cloud.append(h('option', { value: c, text: c, selected: org.cloudEnvironment === c }));
    cloud.addEventListener('change', () => save({ cloudEnvironment: cloud.value }));
    orgSection.append(h('div.field', {}, h('label', { for: 'admin-cloud', text: 'Cloud environment' }), cloud),
      h('p.muted', { text: org.customConnectorsAllowed ? 'Custom connector apps can be uploaded.' : 'Custom connector apps are not available in this cloud environment.' }), status);

    const teamSection = h('section.settings', { 'aria-labelledby': 'admin-teams' }, h('h3#admin-teams', { text: 'Teams (group switch)' }));
    const tlist = h('ul.conn-list');
    for (const t of teams.value || []) {
      const sel = h(`select#team-sw-${t.id}`, { 'aria-label': `Connectors for ${t.displayName}` },
        h('option', { value: 'null', text: 'Not set (organization decides)' }), h('option', { value: 'false', text: 'Off for this team' }), h('option', { value: 'true', text: 'On' }));
      sel.value = t.connectorsEnabled === undefined ? 'null' : JSON.stringify(t.connectorsEnabled);
      sel.addEventListener('change', async () => {
        try { await patch(`/api/v1/admin/teams/${enc(t.id)}`, { connectorsEnabled: JSON.parse(sel.value) }); status.textContent = 'Saved'; await loadAudit(); } catch (err) { showError(err); }
      });
      tlist.append(h('li.conn-item', {}, h('div.conn-info', {}, h('strong', { text: t.displayName })), sel));
    }
    if (!tlist.childNodes.length) tlist.append(h('li.muted', { text: 'You are not a member of any team.' }));
    teamSection.append(tlist);

    const auditSection = h('section.settings', { 'aria-labelledby': 'admin-audit' }, h('h3#admin-audit', { text: 'Audit log' }));
    const table = h('table.deliveries.audit', {}, h('thead', {}, h('tr', {}, ...['When', 'Who', 'What', 'Target', 'Change'].map((t) => h('th', { scope: 'col', text: t })))));
    const body = h('tbody');
    table.append(body);
    const more = h('button.button', { type: 'button', text: 'Load more', hidden: true });
    auditSection.append(h('div.table-wrap', {}, table), more);
    let next = null;
    const change = (e) => {
      if (!e.after) return 'removed';
      const keys = Object.keys(e.after).filter((k) => !e.before || JSON.stringify(e.before[k]) !== JSON.stringify(e.after[k]));
      return keys.map((k) => `${k}: ${e.before && k in e.before ? JSON.stringify(e.before[k]) : '\u2013'} \u2192 ${JSON.stringify(e.after[k])}`).join('; ');
    };
    const addRows = (page) => {
      for (const e of page.value || []) {
        body.append(h('tr', {}, h('td', { text: formatTime(e.dateTime) }), h('td', { text: e.actor.displayName }), h('td', { text: e.action }), h('td', { text: e.target }), h('td', { text: change(e) })));
      }
      next = page['@odata.nextLink'] || null;
      more.hidden = !next;
    };
    const loadAudit = async () => {
      clear(body);
      try { addRows(await get('/api/v1/admin/audit')); } catch (err) { showError(err); }
    };
    more.addEventListener('click', async () => {
      try { addRows(await get(new URL(next).pathname + new URL(next).search)); } catch (err) { showError(err); }
    });
    d.body.append(orgSection, appCatalogSection(), graphConnectorsSection(showError), teamSection, auditSection);
    await loadAudit();
  };
  load();
  return d;
}
