// What every section of the admin page shares: a section frame with its error and status
// lines, and the confirmation of a change with consequences, which names them before anything
// is sent ("17 webhooks in 5 teams will stop accepting posts").
import { h, announce } from '../dom.js';
import { get } from '../api.js';
import { openDialog } from '../dialog.js';
import { t } from '../i18n.js';

// A section: {root, body, showError(err), saved(text?), clearError()}.
export function section(id, title, intro) {
  const error = h('p.error', { role: 'alert', hidden: true });
  const status = h('p.admin-status', { role: 'status' });
  const body = h('div.admin-section-body');
  const root = h('section.admin-section', { 'aria-labelledby': `admin-h-${id}` },
    h('h2', { id: `admin-h-${id}`, text: title }),
    intro ? h('p.muted', { text: intro }) : null, error, status, body);
  return {
    root, body,
    showError(err) { error.textContent = err.message; error.hidden = false; status.textContent = ''; },
    clearError() { error.hidden = true; },
    saved(text = t('admin.saved')) { status.textContent = text; announce(text); },
  };
}

// What the organisation switches reach now (GET /api/v1/admin/impact); null when it cannot
// be read (the confirmation then says so instead of a number).
export async function readImpact() {
  try { return await get('/api/v1/admin/impact'); } catch { return null; }
}

// The sentence for webhooks and connectors that would stop: "{count} webhooks and connectors in
// {teams} teams will stop accepting posts."
export function reachText(key, reach) {
  if (!reach) return t('admin.impact.unknown');
  if (!reach.count) return t(`${key}.none`);
  return t(key, { count: reach.count, teams: t('admin.impact.teams', { count: reach.teams }) });
}

// Asks before a change with consequences. consequences: sentences (strings). Resolves true
// when the administrator confirms.
export function confirmChange({ title, consequences, confirmLabel, danger = true }) {
  return new Promise((resolve) => {
    const d = openDialog({ title, className: 'admin-confirm' });
    let ok = false;
    d.body.append(h('p', { text: t('admin.confirm.intro') }),
      h('ul.admin-consequences', {}, consequences.filter(Boolean).map((c) => h('li', { text: c }))));
    const cancel = h('button.button', { type: 'button', text: t('admin.confirm.cancel'), onclick: () => d.close() });
    const go = h(`button.button.${danger ? 'danger' : 'primary'}`, { type: 'button', text: confirmLabel || t('admin.confirm.ok'),
      onclick: () => { ok = true; d.close(); } });
    d.footer.append(cancel, go);
    d.onClose(() => resolve(ok));
    cancel.focus();
  });
}
