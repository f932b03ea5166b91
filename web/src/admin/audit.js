// Audit log: who changed what, with names instead of ids (the server names the target: a team,
// a configuration, a person, an app), filters (kind of change, who, from, to) and a CSV export
// of everything the filters select.
import { h, clear } from '../dom.js';
import { get, localPath } from '../api.js';
import { t, has, formatDate } from '../i18n.js';
import { section } from './common.js';

const FAMILIES = ['organization.', 'team.', 'webhook.', 'connector.', 'app.', 'appRegistration.', 'graphConnector.'];
const CSV_MAX = 10000;

export function actionText(action) {
  const key = `admin.audit.action.${action}`;
  return has(key) ? t(key) : action;
}

// The target's name: the server's targetName, else the name the entry itself recorded.
export function targetText(e) {
  if (e.target === 'organization') return t('admin.audit.organization');
  if (e.targetName) return e.targetName;
  for (const v of [e.after, e.before]) {
    if (v && typeof v === 'object') {
      const n = v.displayName || v.name;
      if (typeof n === 'string' && n) return n;
    }
  }
  return e.target || '';
}

function show(v) {
  if (v === undefined) return '\u2013';
  if (v === null) return t('admin.audit.notSet');
  if (v === true) return t('admin.audit.on');
  if (v === false) return t('admin.audit.off');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function changeText(e) {
  if (!e.after) return t('admin.audit.removed');
  if (!e.before) return t('admin.audit.added');
  const keys = Object.keys(e.after).filter((k) => JSON.stringify(e.before[k]) !== JSON.stringify(e.after[k]));
  // Settings by their plain names where the admin page has one (connectorsEnabled -> "Connectors and incoming webhooks").
  const field = (k) => (has(`admin.org.${k}`) ? t(`admin.org.${k}`) : k);
  return keys.map((k) => t('admin.audit.changed', { field: field(k), from: show(e.before[k]), to: show(e.after[k]) })).join('; ');
}

function csvCell(v) {
  const s = String(v ?? '');
  // A leading = + - @ would be a formula in a spreadsheet: quote it with an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditSection() {
  const s = section('audit', t('admin.section.audit'), t('admin.audit.intro'));
  const family = h('select#admin-audit-action', {}, h('option', { value: '', text: t('admin.audit.filter.all') }),
    FAMILIES.map((f) => h('option', { value: f, text: t(`admin.audit.family.${f.slice(0, -1)}`) })));
  const actor = h('input#admin-audit-actor', { type: 'search', autocomplete: 'off' });
  const since = h('input#admin-audit-since', { type: 'date' });
  const until = h('input#admin-audit-until', { type: 'date' });
  const exportBtn = h('button.button', { type: 'button', text: t('admin.audit.export') });
  const filters = h('form.admin-filters', { 'aria-label': t('admin.audit.filters') },
    h('div.field', {}, h('label', { for: 'admin-audit-action', text: t('admin.audit.filter.action') }), family),
    h('div.field', {}, h('label', { for: 'admin-audit-actor', text: t('admin.audit.filter.actor') }), actor),
    h('div.field', {}, h('label', { for: 'admin-audit-since', text: t('admin.audit.filter.since') }), since),
    h('div.field', {}, h('label', { for: 'admin-audit-until', text: t('admin.audit.filter.until') }), until),
    h('div.admin-filter-buttons', {}, h('button.button.primary', { type: 'submit', text: t('admin.audit.apply') }), exportBtn));
  const tbody = h('tbody');
  const table = h('table.admin-table.admin-audit', {}, h('caption.visually-hidden', { text: t('admin.section.audit') }),
    h('thead', {}, h('tr', {}, ['when', 'who', 'what', 'target', 'change'].map((c) => h('th', { scope: 'col', text: t(`admin.audit.col.${c}`) })))), tbody);
  const more = h('button.button', { type: 'button', text: t('admin.audit.more'), hidden: true });
  const empty = h('p.muted', { text: t('admin.audit.none'), hidden: true });
  let next = null;

  // Dates are the administrator's local days: from the start of "from" to the end of "to".
  const query = () => {
    const p = new URLSearchParams();
    if (family.value) p.set('action', family.value);
    if (actor.value.trim()) p.set('actor', actor.value.trim());
    if (since.value) p.set('since', new Date(`${since.value}T00:00:00`).toISOString());
    if (until.value) {
      const d = new Date(`${until.value}T00:00:00`);
      d.setDate(d.getDate() + 1);
      p.set('until', d.toISOString());
    }
    const qs = p.toString();
    return `/api/v1/admin/audit${qs ? `?${qs}` : ''}`;
  };
  const addRows = (page) => {
    for (const e of page.value || []) {
      tbody.append(h('tr', {},
        h('td', { 'data-label': t('admin.audit.col.when') }, h('time', { datetime: e.dateTime, text: formatDate(e.dateTime) })),
        h('td', { 'data-label': t('admin.audit.col.who'), text: e.actor.displayName }),
        h('td', { 'data-label': t('admin.audit.col.what'), text: actionText(e.action) }),
        h('td', { 'data-label': t('admin.audit.col.target'), text: targetText(e) }),
        h('td', { 'data-label': t('admin.audit.col.change'), text: changeText(e) })));
    }
    next = page['@odata.nextLink'] || null;
    more.hidden = !next;
    empty.hidden = tbody.childNodes.length > 0;
  };
  const load = async () => {
    s.clearError();
    clear(tbody);
    try { addRows(await get(query())); } catch (err) { s.showError(err); }
  };
  filters.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  more.addEventListener('click', async () => {
    try { addRows(await get(localPath(next))); } catch (err) { s.showError(err); }
  });
  exportBtn.addEventListener('click', async () => {
    s.clearError();
    exportBtn.disabled = true;
    try {
      const rows = [['when', 'who', 'what', 'target', 'change'].map((c) => t(`admin.audit.col.${c}`)).concat([t('admin.audit.col.action'), t('admin.audit.col.targetId')])];
      let url = query();
      while (url && rows.length <= CSV_MAX) {
        const page = await get(url);
        for (const e of page.value || []) rows.push([e.dateTime, e.actor.displayName, actionText(e.action), targetText(e), changeText(e), e.action, e.target]);
        url = page['@odata.nextLink'] ? localPath(page['@odata.nextLink']) : null;
      }
      const csv = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
      const blob = new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
      const a = h('a', { href: URL.createObjectURL(blob), download: `switchboard-audit-${new Date().toISOString().slice(0, 10)}.csv`, hidden: true });
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      s.saved(t('admin.audit.exported', { count: rows.length - 1 }));
    } catch (err) { s.showError(err); } finally { exportBtn.disabled = false; }
  });
  s.body.append(filters, h('div.table-wrap', {}, table), empty, more);
  load();
  return s.root;
}
