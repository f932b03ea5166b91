// The Forwarding tab of a channel's connectors dialog (issue 24): the channel's forwards (to a
// Teams Workflows URL, a Slack-compatible webhook or e-mail), their delivery log with retry, a
// form to add one, and the MessageCard migration helper (translate.js). The destination URL is
// a secret: the server never sends it back, so it is only ever typed here.
import { h, clear, announce } from './dom.js';
import { get, post, del, enc } from './api.js';
import { t, formatDate, formatNumber } from './i18n.js';
import { openTranslateHelper } from './translate.js';

const KINDS = ['workflows', 'slack', 'email'];
let seq = 0;

// The tab strip shown above both views; `current` is 'connectors' or 'forwarding'.
export function forwardingTabs({ body, channel, current = 'connectors', back }) {
  const tab = (id, label, onSelect) => {
    const selected = id === current;
    const b = h('button.button.subtle.fwd-tab', { type: 'button', role: 'tab', id: `fwd-tab-${id}`, text: label, 'aria-selected': String(selected), tabindex: selected ? '0' : '-1' });
    b.addEventListener('click', () => { if (!selected) onSelect(); });
    return b;
  };
  const strip = h('div.fwd-tabs', { role: 'tablist', 'aria-label': t('forwarding.tabs') },
    tab('connectors', t('forwarding.tab.connectors'), () => back()),
    tab('forwarding', t('forwarding.tab.forwarding'), () => showForwarding({ body, channel, back })));
  // Arrow keys move between the two tabs (the tabs pattern of WAI-ARIA).
  strip.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const tabs = [...strip.querySelectorAll('[role=tab]')];
    const other = tabs.find((x) => x.getAttribute('aria-selected') !== 'true');
    e.preventDefault();
    other.focus();
    other.click();
  });
  return strip;
}

function describeFilters(f) {
  const inc = f.include || {};
  const parts = [];
  if (inc.people) parts.push(t('forwarding.filters.people'));
  parts.push(Array.isArray(inc.connectors) ? t('forwarding.filters.connectors.some', { count: inc.connectors.length }) : t('forwarding.filters.connectors.all'));
  if (inc.keywords && inc.keywords.length) parts.push(t('forwarding.filters.keywords', { list: inc.keywords.join(', ') }));
  if (inc.colors && inc.colors.length) parts.push(t('forwarding.filters.colors', { list: inc.colors.join(', ') }));
  return parts.join(' \u00b7 ');
}

const splitList = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

export function showForwarding({ body, channel, back }) {
  clear(body);
  const status = h('p.error', { role: 'alert', hidden: true });
  const fail = (err) => { status.hidden = false; status.textContent = t('forwarding.error', { message: err.message || String(err) }); };
  const list = h('ul.conn-list.fwd-list', { 'aria-labelledby': 'fwd-list-title' }, h('li.muted', { text: t('forwarding.loading') }));
  const detail = h('div.fwd-detail');
  const addBtn = h('button.button.primary', { type: 'button', text: t('forwarding.add') });
  const helperBtn = h('button.button', { type: 'button', text: t('forwarding.helper.open'), onclick: () => openTranslateHelper() });
  body.append(forwardingTabs({ body, channel, current: 'forwarding', back }),
    h('p.muted', { text: t('forwarding.intro') }), status,
    h('section.conn-section', { 'aria-labelledby': 'fwd-list-title' }, h('h3#fwd-list-title', { text: t('forwarding.list') }), list),
    h('div.fwd-buttons', {}, addBtn, helperBtn), detail);
  body.querySelector('#fwd-tab-forwarding').focus();

  const load = async () => {
    let forwards;
    try { forwards = (await get(`/api/v1/channels/${enc(channel.id)}/forwards`)).value || []; } catch (err) { fail(err); return; }
    clear(list);
    if (!forwards.length) list.append(h('li.muted', { text: t('forwarding.none') }));
    for (const f of forwards) {
      const logBtn = h('button.button', { type: 'button', text: t('forwarding.deliveries'), 'aria-label': t('forwarding.deliveriesOf', { name: f.name }) });
      logBtn.addEventListener('click', () => showDeliveries(f));
      const rmBtn = h('button.button.danger', { type: 'button', text: t('forwarding.remove'), 'aria-label': t('forwarding.removeOf', { name: f.name }) });
      rmBtn.addEventListener('click', async () => {
        if (!window.confirm(t('forwarding.removeConfirm', { name: f.name }))) return;
        try { await del(`/api/v1/forwards/${enc(f.id)}`); } catch (err) { fail(err); return; }
        announce(t('forwarding.removed', { name: f.name }));
        clear(detail);
        await load();
        addBtn.focus();
      });
      const where = f.kind === 'email' && Array.isArray(f.to) ? `${t(`forwarding.kind.${f.kind}`)}: ${f.to.join(', ')}` : t(`forwarding.kind.${f.kind}`);
      list.append(h('li.conn-item.fwd-item', { 'data-forward': f.id },
        h('div.conn-info', {}, h('strong', { text: f.name }), h('p.muted', { text: where }), h('p.muted', { text: describeFilters(f) })),
        h('div.conn-buttons', {}, logBtn, rmBtn)));
    }
  };

  async function showDeliveries(f) {
    clear(detail);
    const titleId = `fwd-log-${++seq}`;
    const section = h('section.conn-section', { 'aria-labelledby': titleId }, h('h3', { id: titleId, text: t('forwarding.deliveriesOf', { name: f.name }) }));
    detail.append(section);
    let value;
    try { value = (await get(`/api/v1/forwards/${enc(f.id)}/deliveries?$top=50`)).value || []; } catch (err) { fail(err); return; }
    if (!value.length) { section.append(h('p.muted', { text: t('forwarding.deliveries.none') })); return; }
    const rows = value.map((d) => {
      const cells = [
        h('td', { text: d.messageId.slice(0, 8) }),
        h('td', {}, h(`span.badge.fwd-${d.status}`, { text: t(`forwarding.status.${d.status}`) })),
        h('td', { text: formatNumber(d.attempts) }),
        h('td', { text: [d.httpStatus, d.error].filter(Boolean).join(' \u2014 ') }),
        h('td', { text: d.lastAttemptDateTime ? formatDate(d.lastAttemptDateTime) : '' }),
      ];
      const act = h('td');
      if (d.status === 'failed') {
        const retry = h('button.button', { type: 'button', text: t('forwarding.retry'), 'aria-label': t('forwarding.retryOf', { id: d.messageId.slice(0, 8) }) });
        retry.addEventListener('click', async () => {
          try { await post(`/api/v1/forwards/${enc(f.id)}/deliveries/${enc(d.id)}/retry`); } catch (err) { fail(err); return; }
          announce(t('forwarding.retried'));
          await showDeliveries(f);
        });
        act.append(retry);
      }
      return h('tr', {}, ...cells, act);
    });
    section.append(h('div.table-scroll', {}, h('table.deliveries', { 'aria-labelledby': titleId },
      h('thead', {}, h('tr', {}, ...['message', 'status', 'attempts', 'answer', 'last'].map((k) => h('th', { scope: 'col', text: t(`forwarding.deliveries.${k}`) })), h('td'))),
      h('tbody', {}, ...rows))));
  }

  async function showForm() {
    clear(detail);
    const id = (k) => `fwd-${k}-${seq}`;
    seq++;
    const name = h('input', { id: id('name'), required: true, autocomplete: 'off' });
    const kind = h('select', { id: id('kind') }, ...KINDS.map((k) => h('option', { value: k, text: t(`forwarding.kind.${k}`) })));
    const url = h('input', { id: id('url'), type: 'url', autocomplete: 'off', 'aria-describedby': id('url-help') });
    const to = h('input', { id: id('to'), type: 'text', autocomplete: 'off', 'aria-describedby': id('to-help') });
    const people = h('input', { id: id('people'), type: 'checkbox' });
    const keywords = h('input', { id: id('kw'), type: 'text', autocomplete: 'off', 'aria-describedby': id('kw-help') });
    // i18n-ignore: a colour value, the same in every language
    const colors = h('input', { id: id('colors'), type: 'text', autocomplete: 'off', placeholder: '#D70000', 'aria-describedby': id('colors-help') });
    const allConn = h('input', { id: id('allconn'), type: 'checkbox', checked: true });
    const connBoxes = h('div.fwd-connectors');
    const urlField = h('div.field', {}, h('label', { for: id('url'), text: t('forwarding.url') }), url, h('p.muted', { id: id('url-help'), text: t('forwarding.url.help') }));
    const toField = h('div.field', { hidden: true }, h('label', { for: id('to'), text: t('forwarding.to') }), to, h('p.muted', { id: id('to-help'), text: t('forwarding.to.help') }));
    kind.addEventListener('change', () => { urlField.hidden = kind.value === 'email'; toField.hidden = kind.value !== 'email'; });
    const error = h('p.error', { role: 'alert', hidden: true });
    const save = h('button.button.primary', { type: 'submit', text: t('forwarding.save') });
    const cancel = h('button.button', { type: 'button', text: t('forwarding.cancel'), onclick: () => { clear(detail); addBtn.focus(); } });
    const form = h('form.fwd-form', { 'aria-labelledby': id('title') },
      h('h3', { id: id('title'), text: t('forwarding.add') }),
      h('div.field', {}, h('label', { for: id('name'), text: t('forwarding.name') }), name),
      h('div.field', {}, h('label', { for: id('kind'), text: t('forwarding.kind') }), kind),
      urlField, toField,
      h('div.field.check', {}, people, h('label', { for: id('people'), text: t('forwarding.people') })),
      h('fieldset.field', {}, h('legend', { text: t('forwarding.connectors') }),
        h('div.check', {}, allConn, h('label', { for: id('allconn'), text: t('forwarding.connectors.all') })), connBoxes),
      h('div.field', {}, h('label', { for: id('kw'), text: t('forwarding.keywords') }), keywords, h('p.muted', { id: id('kw-help'), text: t('forwarding.keywords.help') })),
      h('div.field', {}, h('label', { for: id('colors'), text: t('forwarding.colors') }), colors, h('p.muted', { id: id('colors-help'), text: t('forwarding.colors.help') })),
      error, h('div.fwd-buttons', {}, save, cancel));
    detail.append(form);
    name.focus();
    get(`/api/v1/channels/${enc(channel.id)}/connectors`).then((res) => {
      for (const c of res.value || []) {
        const cid = `fwd-conn-${c.id}`;
        connBoxes.append(h('div.check', {}, h('input', { id: cid, type: 'checkbox', value: c.id, disabled: allConn.checked }), h('label', { for: cid, text: c.name || c.displayName || c.id })));
      }
    }, () => {});
    allConn.addEventListener('change', () => { for (const b of connBoxes.querySelectorAll('input')) b.disabled = allConn.checked; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.hidden = true;
      const include = { people: people.checked };
      if (!allConn.checked) include.connectors = [...connBoxes.querySelectorAll('input:checked')].map((b) => b.value);
      const kw = splitList(keywords.value);
      if (kw.length) include.keywords = kw;
      const cs = splitList(colors.value);
      if (cs.length) include.colors = cs;
      const payload = { name: name.value.trim(), kind: kind.value, include };
      if (kind.value === 'email') payload.to = splitList(to.value); else payload.url = url.value.trim();
      save.disabled = true;
      try {
        const f = await post(`/api/v1/channels/${enc(channel.id)}/forwards`, payload);
        announce(t('forwarding.created', { name: f.name }));
        clear(detail);
        await load();
        addBtn.focus();
      } catch (err) {
        error.hidden = false;
        error.textContent = err.message || String(err);
        save.disabled = false;
      }
    });
  }

  addBtn.addEventListener('click', showForm);
  load();
}
