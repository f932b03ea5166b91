// Built-in service connectors (GitHub, GitLab, Prometheus Alertmanager, JSON template) in the
// Connectors dialog: the configuration form of each kind (name, secret, event and branch
// filters, or the template with a live preview from a pasted sample), the page that shows the
// URL and secret to paste with what to do in the service, and the delivery log.
import { h, clear, formatTime, announce } from './dom.js';
import { get, post, patch, enc } from './api.js';
import { cardNode, MESSAGE_CARD, ADAPTIVE_CARD } from './cards.js';
import { t } from './i18n.js';

const KINDS = {
  github: {
    label: 'GitHub', // i18n-ignore: a product name
    secretLabel: t('connectors.service.secret'),
    events: [
      ['push', t('connectors.service.gh.push')],
      ['pull_request', t('connectors.service.gh.pr')],
      ['pull_request_review', t('connectors.service.gh.review')],
      ['issues', t('connectors.service.gh.issues')],
      ['issue_comment', t('connectors.service.gh.comments')],
      ['pull_request_review_comment', t('connectors.service.gh.reviewComments')],
      ['release', t('connectors.service.gh.release')],
      ['workflow_run', t('connectors.service.gh.workflow')],
    ],
    branches: t('connectors.service.gh.branches'),
    docs: (cfg) => [
      t('connectors.service.gh.doc1'),
      t('connectors.service.gh.doc2'),
      t('connectors.service.gh.doc3'),
      cfg ? t('connectors.service.gh.doc4') : t('connectors.service.gh.doc4new'),
      t('connectors.service.gh.doc5'),
      t('connectors.service.gh.doc6'),
    ],
  },
  gitlab: {
    label: 'GitLab', // i18n-ignore: a product name
    secretLabel: t('connectors.service.secretToken'),
    events: [
      ['push', t('connectors.service.gl.push')],
      ['tag_push', t('connectors.service.gl.tag')],
      ['merge_request', t('connectors.service.gl.mr')],
      ['issue', t('connectors.service.gl.issue')],
      ['pipeline', t('connectors.service.gl.pipeline')],
    ],
    branches: t('connectors.service.gl.branches'),
    docs: () => [
      t('connectors.service.gl.doc1'),
      t('connectors.service.gl.doc2'),
      t('connectors.service.gl.doc3'),
      t('connectors.service.gl.doc4'),
      t('connectors.service.gl.doc5'),
    ],
  },
  alertmanager: {
    label: 'Prometheus Alertmanager', // i18n-ignore: a product name
    docs: (cfg) => [
      t('connectors.service.am.doc1'),
      { code: `route:\n  receiver: switchboard\nreceivers:\n  - name: switchboard\n    webhook_configs:\n      - url: '${cfg ? cfg.url : '<URL>'}'\n        send_resolved: true` },
      t('connectors.service.am.doc3'),
      t('connectors.service.am.doc4'),
    ],
  },
  template: {
    label: t('connectors.service.jsonTemplate'),
    docs: (cfg) => [
      cfg ? t('connectors.service.tp.doc1') : t('connectors.service.tp.doc1new'),
      t('connectors.service.tp.doc2'),
      t('connectors.service.tp.doc3'),
      t('connectors.service.tp.doc4'),
    ],
  },
};

export function isServiceKind(kind) {
  return Object.prototype.hasOwnProperty.call(KINDS, kind);
}

export function serviceLabel(kind) {
  return isServiceKind(kind) ? KINDS[kind].label : null;
}

let seq = 0;
const uid = (base) => `${base}-${++seq}`;

function copyField(label, value) {
  const id = uid('svc-copy');
  const input = h('input.url-field', { id, type: 'text', readonly: true, value, spellcheck: false });
  const msg = h('span.copy-status', { role: 'status' });
  const btn = h('button.button', { type: 'button', text: t('connectors.copy'), 'aria-label': t('connectors.service.copyWhat', { what: label }) });
  btn.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(value); } catch { input.select(); }
    msg.textContent = t('connectors.copied');
  });
  input.addEventListener('focus', () => input.select());
  return h('div.field', {}, h('label', { for: id, text: label }), h('div.copy-row', {}, input, btn, msg));
}

function docsPanel(kind, cfg) {
  const steps = KINDS[kind].docs(cfg);
  const list = h('ol.svc-docs-steps');
  for (const s of steps) list.append(typeof s === 'string' ? h('li', { text: s }) : h('li', {}, h('pre.svc-code', {}, h('code', { text: s.code }))));
  return h('section.svc-docs', { 'aria-labelledby': 'svc-docs-title' }, h('h4#svc-docs-title', { text: t('connectors.service.setUp', { name: KINDS[kind].label }) }), list);
}

// The template form's fields <-> the template object the server stores.
function templateFromFields(f) {
  const tpl = {};
  if (f.title.value.trim()) tpl.title = f.title.value.trim();
  if (f.text.value.trim()) tpl.text = f.text.value;
  if (f.color.value.trim()) tpl.themeColor = f.color.value.trim();
  const facts = f.facts.value.split('\n').map((line) => {
    const i = line.indexOf(':');
    return i > 0 ? { name: line.slice(0, i).trim(), value: line.slice(i + 1).trim() } : null;
  }).filter((x) => x && x.name);
  if (facts.length) tpl.facts = facts;
  if (f.link.value.trim()) tpl.links = [{ name: f.linkName.value.trim() || 'Open', url: f.link.value.trim() }];
  return tpl;
}

function fillTemplateFields(f, t) {
  if (!t) return;
  f.title.value = t.title || '';
  f.text.value = t.text || '';
  f.color.value = t.themeColor || '';
  f.facts.value = Array.isArray(t.facts) ? t.facts.map((x) => `${x.name}: ${x.value}`).join('\n') : '';
  const l = Array.isArray(t.links) && t.links[0];
  f.linkName.value = (l && l.name) || '';
  f.link.value = (l && l.url) || '';
}

function field(label, input, hint) {
  return h('div.field', {}, h('label', { for: input.id, text: label }), input, hint ? h('p.muted.svc-hint', { text: hint }) : null);
}

const SAMPLE = '{\n  "status": "failure",\n  "check": { "name": "api", "url": "https://status.example.com/api" },\n  "host": "web-1"\n}';

// showServiceForm(d, {channel, kind, cfg?, back}) fills the dialog body with the form of kind;
// cfg is an existing configuration (Manage) or undefined (Add). back() returns to the list.
export function showServiceForm(d, { channel, kind, cfg, back }) {
  const k = KINDS[kind];
  clear(d.body);
  const error = h('p.error', { role: 'alert', hidden: true });
  const settings = (cfg && cfg.settings) || {};
  const name = h('input', { id: uid('svc-name'), type: 'text', required: true, maxlength: 256, autocomplete: 'off', value: cfg ? cfg.name : k.label });
  const form = h('form.form.svc-form', { novalidate: true, dataset: { kind } });
  const backBtn = h('button.button.link.back', { type: 'button', text: `\u2190 ${t('connectors.backToConnectors')}` /* i18n-ignore: an arrow and a translated label */, onclick: back });
  form.append(field(t('connectors.service.name'), name));

  let secret = null;
  if (k.secretLabel) {
    secret = h('input', { id: uid('svc-secret'), type: 'text', maxlength: 256, autocomplete: 'off', spellcheck: false, placeholder: cfg ? t('connectors.service.unchanged') : t('connectors.service.generated') });
    form.append(field(t('connectors.service.optional', { label: k.secretLabel }), secret, cfg ? t('connectors.service.typeNew') : t('connectors.service.leaveEmpty')));
  }

  const boxes = [];
  let branches = null;
  if (k.events) {
    const chosen = new Set(settings.events || []);
    const fs = h('fieldset.svc-events', {}, h('legend', { text: t('connectors.service.events') }));
    for (const [id, label] of k.events) {
      const cb = h('input', { type: 'checkbox', id: uid(`svc-ev-${id}`), value: id, checked: chosen.has(id) });
      boxes.push(cb);
      fs.append(h('div.check', {}, cb, h('label', { for: cb.id, text: label })));
    }
    form.append(fs);
    branches = h('input', { id: uid('svc-branches'), type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'main, release/*' /* i18n-ignore: branch patterns */, value: (settings.branches || []).join(', ') });
    form.append(field(k.branches, branches, t('connectors.service.branchesHint')));
  }

  let tf = null;
  let previewBox = null;
  if (kind === 'template') {
    tf = {
      title: h('input', { id: uid('svc-t-title'), type: 'text', autocomplete: 'off', value: '{{ .check.name }} is {{ .status }}' }),
      text: h('textarea', { id: uid('svc-t-text'), rows: 2 }),
      color: h('input', { id: uid('svc-t-color'), type: 'text', autocomplete: 'off', value: '{{ .status }}' }),
      facts: h('textarea', { id: uid('svc-t-facts'), rows: 3 }),
      linkName: h('input', { id: uid('svc-t-linkname'), type: 'text', autocomplete: 'off', value: 'Open check' }),
      link: h('input', { id: uid('svc-t-link'), type: 'text', autocomplete: 'off', spellcheck: false, value: '{{ .check.url }}' }),
    };
    tf.facts.value = 'Host: {{ .host }}';
    fillTemplateFields(tf, settings.template);
    const sample = h('textarea.svc-sample', { id: uid('svc-sample'), rows: 6, spellcheck: false });
    sample.value = SAMPLE;
    const previewBtn = h('button.button', { type: 'button', text: t('connectors.service.preview') });
    previewBox = h('div.svc-preview', { 'aria-live': 'polite' });
    previewBtn.addEventListener('click', async () => {
      let parsed;
      try { parsed = JSON.parse(sample.value); } catch (err) {
        previewBox.replaceChildren(h('p.error', { text: t('connectors.service.notJson', { error: err.message }) }));
        return;
      }
      try {
        const r = await post('/api/v1/serviceConnectors/preview', { template: templateFromFields(tf), sample: parsed });
        const c = r.card;
        const node = c && c.type === 'message' && Array.isArray(c.attachments) ? cardNode(ADAPTIVE_CARD, c.attachments[0].content) : cardNode(MESSAGE_CARD, c);
        previewBox.replaceChildren(node);
      } catch (err) {
        previewBox.replaceChildren(h('p.error', { text: err.message }));
      }
    });
    form.append(
      field(t('connectors.service.title'), tf.title), field(t('connectors.service.text'), tf.text), field(t('connectors.service.colour'), tf.color),
      field(t('connectors.service.facts'), tf.facts),
      h('div.inline-fields', {}, field(t('connectors.service.linkText'), tf.linkName), field(t('connectors.service.linkUrl'), tf.link)),
      field(t('connectors.service.sample'), sample),
      h('div.form-actions.left', {}, previewBtn), previewBox);
  }

  const submit = h('button.button.primary', { type: 'submit', text: cfg ? t('connectors.save') : t('connectors.create') });
  const saved = h('span.copy-status', { role: 'status' });
  form.append(error, h('div.form-actions', {}, saved, submit));

  const body = () => {
    const b = {};
    if (secret && secret.value.trim()) b.secret = secret.value.trim();
    if (k.events) {
      b.events = boxes.filter((x) => x.checked).map((x) => x.value);
      b.branches = branches.value.split(',').map((s) => s.trim()).filter(Boolean);
    }
    if (tf) b.template = templateFromFields(tf);
    return b;
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    if (!name.value.trim()) { error.textContent = t('connectors.nameIsRequired'); error.hidden = false; name.focus(); return; }
    submit.disabled = true;
    try {
      if (cfg) {
        const r = await patch(`/api/v1/connectors/${enc(cfg.id)}`, { configName: name.value.trim(), ...body() });
        Object.assign(cfg, r);
        if (secret) secret.value = '';
        saved.textContent = t('connectors.saved');
        renderSetup();
      } else {
        const r = await post(`/api/v1/channels/${enc(channel.id)}/serviceConnectors`, { kind, name: name.value.trim(), ...body() });
        announce(t('connectors.service.created', { name: k.label }));
        showServiceForm(d, { channel, kind, cfg: r, back, created: true });
      }
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  const setup = h('div.svc-setup');
  const renderSetup = () => {
    clear(setup);
    if (cfg && cfg.url) {
      setup.append(copyField(kind === 'gitlab' ? 'URL' : kind === 'github' ? 'Payload URL' : t('connectors.webhookUrl'), cfg.url));
      if (cfg.settings && cfg.settings.secret) setup.append(copyField(k.secretLabel, cfg.settings.secret));
      // A leaked URL is replaced: the old one stops at once, so the service needs the new one.
      const status = h('span.copy-status', { role: 'status' });
      const rotate = h('button.button', { type: 'button', text: t('connectors.service.newUrl'), 'aria-label': t('connectors.service.replaceUrlOf', { name: cfg.name }) });
      rotate.addEventListener('click', async () => {
        rotate.disabled = true;
        try {
          cfg.url = (await post(`/api/v1/webhooks/${enc(cfg.id)}/updateUrl`)).url;
          renderSetup();
          announce(t('connectors.service.replaced'));
          setup.querySelector('.svc-rotated').textContent = t('connectors.service.replacedPaste');
        } catch (err) {
          status.textContent = err.message;
          rotate.disabled = false;
        }
      });
      setup.append(h('div.form-actions.left', {}, rotate, h('span.copy-status.svc-rotated', { role: 'status' }), status));
    }
    setup.append(docsPanel(kind, cfg));
  };
  renderSetup();

  const log = h('div.delivery-log');
  d.body.append(h('div.svc-config', {},
    backBtn,
    h('h3', { text: cfg ? t('connectors.service.heading', { kind: k.label, name: cfg.name }) : t('connectors.addWho', { name: k.label }) }),
    cfg ? h('p', { text: t('connectors.service.pasteBelow') }) : null,
    setup, form,
    cfg ? h('h4#svc-log-title', { text: t('connectors.deliveryLog') }) : null,
    cfg ? log : null));
  if (cfg) {
    loadLog(cfg, log);
    const first = setup.querySelector('.copy-row button');
    (first || name).focus();
  } else {
    name.focus();
  }
}

async function loadLog(cfg, log) {
  log.replaceChildren(h('p.muted', { text: t('connectors.loadingTheDeliveryLog') }));
  try {
    const rows = (await get(`/api/v1/connectors/${enc(cfg.id)}/deliveries`)).value || [];
    if (!rows.length) { log.replaceChildren(h('p.muted', { text: t('connectors.service.nothingYet') })); return; }
    const tbody = h('tbody');
    for (const r of rows) {
      const ok = r.status >= 200 && r.status < 300;
      tbody.append(h('tr', {},
        h('td', {}, h('time', { datetime: r.dateTime, text: formatTime(r.dateTime) })),
        h('td', {}, h('span', { class: ok ? 'status-ok' : 'status-fail', text: String(r.status) })),
        h('td', { text: t('connectors.bytes', { count: r.size }) }),
        h('td', { text: r.error || (r.messageId ? t('connectors.service.posted') : '') })));
    }
    log.replaceChildren(h('div.table-scroll', {}, h('table.deliveries', { 'aria-labelledby': 'svc-log-title' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('connectors.time') }), h('th', { scope: 'col', text: t('connectors.status') }), h('th', { scope: 'col', text: t('connectors.size') }), h('th', { scope: 'col', text: t('connectors.result') }))),
      tbody)));
  } catch (err) {
    log.replaceChildren(h('p.error', { text: err.message }));
  }
}
