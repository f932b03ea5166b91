// Teams: every team of the organisation (GET /api/v1/admin/teams) with its members, owners and
// configurations, and the group-level connector switch; turning a team's connectors off asks
// first and says how many webhooks and connectors stop.
import { h, clear } from '../dom.js';
import { get, patch, enc } from '../api.js';
import { t, lang, formatNumber, formatDate } from '../i18n.js';
import { section, confirmChange } from './common.js';

const VALUES = [['null', 'admin.teams.switch.unset'], ['false', 'admin.teams.switch.off'], ['true', 'admin.teams.switch.on']];

// The owners by name ("Ada, Bob and Cy" in the page's language); none: "No owner".
function ownersText(team) {
  const names = (team.owners || []).map((o) => o.displayName);
  if (!names.length) return team.ownerCount ? formatNumber(team.ownerCount) : t('admin.teams.noOwner');
  return new Intl.ListFormat(lang(), { type: 'conjunction' }).format(names);
}

export function teamsSection() {
  const s = section('teams', t('admin.section.teams'), t('admin.teams.intro'));
  const load = async () => {
    let res;
    try { res = await get('/api/v1/admin/teams'); } catch (err) { s.showError(err); return; }
    clear(s.body);
    const teams = res.value || [];
    if (!teams.length) { s.body.append(h('p.muted', { text: t('admin.teams.none') })); return; }
    const cols = ['name', 'members', 'owners', 'connectors', 'switch'];
    const tbody = h('tbody');
    for (const team of teams) {
      const sel = h('select', { 'aria-label': t('admin.teams.switchFor', { name: team.displayName }) },
        VALUES.map(([v, key]) => h('option', { value: v, text: t(key) })));
      const current = team.connectorsEnabled === null || team.connectorsEnabled === undefined ? 'null' : String(team.connectorsEnabled);
      sel.value = current;
      sel.addEventListener('change', async () => {
        const value = JSON.parse(sel.value);
        if (value === false) {
          const consequence = team.connectorCount
            ? t('admin.teams.offConsequence', { count: team.connectorCount, name: team.displayName })
            : t('admin.teams.offConsequence.none', { name: team.displayName });
          const ok = await confirmChange({ title: t('admin.teams.confirmOff', { name: team.displayName }), consequences: [consequence], confirmLabel: t('admin.confirm.turnOff') });
          if (!ok) { sel.value = current; return; }
        }
        s.clearError();
        try { await patch(`/api/v1/admin/teams/${enc(team.id)}`, { connectorsEnabled: value }); s.saved(); } catch (err) { s.showError(err); }
        await load();
      });
      tbody.append(h('tr', {},
        h('th', { scope: 'row' }, h('span.admin-team-name', { text: team.displayName }),
          h('span.muted.admin-small', { text: t('admin.teams.created', { date: formatDate(team.createdDateTime, { dateStyle: 'medium' }) }) })),
        h('td', { 'data-label': t('admin.teams.col.members'), text: formatNumber(team.memberCount) }),
        h('td', { 'data-label': t('admin.teams.col.owners'), text: ownersText(team) }),
        h('td', { 'data-label': t('admin.teams.col.connectors'), text: t('admin.teams.connectorCount', { count: team.connectorCount, webhooks: t('admin.teams.webhooks', { count: team.webhookCount }) }) }),
        h('td', { 'data-label': t('admin.teams.col.switch') }, sel)));
    }
    s.body.append(h('div.table-wrap', {}, h('table.admin-table', {},
      h('caption.visually-hidden', { text: t('admin.section.teams') }),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', text: t(`admin.teams.col.${c}`) })))), tbody)));
  };
  load();
  return s.root;
}
