// Outbound hosts: the host[:port] entries that outbound calls (card actions, configuration
// pages, forwards, Graph connector notifications) may reach even on loopback or private
// addresses and over plain http. Adding one asks first: it opens the internal network.
import { h, clear } from '../dom.js';
import { get, patch } from '../api.js';
import { t } from '../i18n.js';
import { section, confirmChange } from './common.js';

const ORG = '/api/v1/admin/organization';

export function outboundSection() {
  const s = section('outbound', t('admin.section.outbound'), t('admin.outbound.intro'));
  const load = async () => {
    let org;
    try { org = await get(ORG); } catch (err) { s.showError(err); return; }
    clear(s.body);
    const hosts = org.outboundAllowedHosts || [];
    const save = async (list) => {
      s.clearError();
      try { await patch(ORG, { outboundAllowedHosts: list }); s.saved(); } catch (err) { s.showError(err); }
      await load();
    };
    const list = h('ul.admin-list');
    if (!hosts.length) list.append(h('li.muted', { text: t('admin.outbound.none') }));
    for (const host of hosts) {
      const remove = h('button.button.danger', { type: 'button', text: t('admin.outbound.remove'), 'aria-label': t('admin.outbound.removeHost', { host }) });
      remove.addEventListener('click', async () => {
        const ok = await confirmChange({ title: t('admin.outbound.confirmRemove', { host }), consequences: [t('admin.outbound.removeConsequence', { host })], confirmLabel: t('admin.outbound.remove') });
        if (ok) await save(hosts.filter((x) => x !== host));
      });
      list.append(h('li.admin-list-item', {}, h('code', { text: host }), remove));
    }
    const input = h('input#admin-outbound-add', { type: 'text', autocomplete: 'off', spellcheck: false, placeholder: t('admin.outbound.placeholder'), 'aria-describedby': 'admin-outbound-hint' });
    const form = h('form.admin-inline-form', {},
      h('div.field', {}, h('label', { for: 'admin-outbound-add', text: t('admin.outbound.add') }), input,
        h('p.hint.muted', { id: 'admin-outbound-hint', text: t('admin.outbound.hint') })),
      h('button.button.primary', { type: 'submit', text: t('admin.outbound.addButton') }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const host = input.value.trim();
      if (!host) { input.focus(); return; }
      const ok = await confirmChange({ title: t('admin.outbound.confirmAdd', { host }), consequences: [t('admin.outbound.addConsequence', { host })], confirmLabel: t('admin.outbound.addButton') });
      if (ok) await save([...hosts, host]);
    });
    s.body.append(list, form);
  };
  load();
  return s.root;
}
