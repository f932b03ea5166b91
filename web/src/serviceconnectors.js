// Built-in service connectors (GitHub, GitLab, Prometheus Alertmanager, JSON template) in the
// Connectors dialog: the configuration form of each kind (name, secret, event and branch
// filters, or the template with a live preview from a pasted sample), the page that shows the
// URL and secret to paste with what to do in the service, and the delivery log.
import { h, clear, formatTime, announce } from './dom.js';
import { get, post, patch, enc } from './api.js';
import { renderMessageCard } from './messagecard.js';
import { renderAdaptiveCard } from './adaptive.js';

const KINDS = {
  github: {
    label: 'GitHub',
    secretLabel: 'Secret',
    events: [
      ['push', 'Pushes (commits, with a compare link)'],
      ['pull_request', 'Pull requests (opened, closed, merged, review requested)'],
      ['pull_request_review', 'Pull request reviews (approved, changes requested)'],
      ['issues', 'Issues (opened, closed, reopened)'],
      ['issue_comment', 'Issue and pull request comments'],
      ['pull_request_review_comment', 'Pull request review comments'],
      ['release', 'Releases (published)'],
      ['workflow_run', 'Workflow runs (success, failure)'],
    ],
    branches: 'Branches (pushes, pull request base branches, workflow runs)',
    docs: (cfg) => [
      'In GitHub, open the repository (or organisation) and choose Settings \u2192 Webhooks \u2192 Add webhook.',
      `Payload URL: paste the URL above.`,
      'Content type: application/json (application/x-www-form-urlencoded works too).',
      `Secret: paste the secret above${cfg ? '' : ' (shown once the connector is created)'}. Posts without a valid X-Hub-Signature-256 are refused.`,
      'Which events: "Let me select individual events" and tick the ones chosen here (Pushes, Pull requests, Pull request reviews, Issues, Issue comments, Pull request review comments, Releases, Workflow runs). Other events are acknowledged and ignored, and listed in the delivery log.',
      'Keep "Active" ticked and choose Add webhook. GitHub sends a ping at once: it appears in the delivery log below.',
    ],
  },
  gitlab: {
    label: 'GitLab',
    secretLabel: 'Secret token',
    events: [
      ['push', 'Push events'],
      ['tag_push', 'Tag push events'],
      ['merge_request', 'Merge request events (opened, merged, closed, approved)'],
      ['issue', 'Issue events (opened, closed, reopened)'],
      ['pipeline', 'Pipeline events (finished: success, failed, canceled)'],
    ],
    branches: 'Branches (pushes, merge request target branches, pipelines)',
    docs: () => [
      'In GitLab, open the project and choose Settings \u2192 Webhooks \u2192 Add new webhook.',
      'URL: paste the URL above.',
      'Secret token: paste the secret token above. GitLab sends it as X-Gitlab-Token; posts without it are refused.',
      'Trigger: tick Push events, Tag push events, Merge request events, Issues events and Pipeline events (those chosen here).',
      'Choose Add webhook, then Test \u2192 Push events to see a card arrive.',
    ],
  },
  alertmanager: {
    label: 'Prometheus Alertmanager',
    docs: (cfg) => [
      'Add a receiver with a webhook_configs entry to alertmanager.yml and route alerts to it:',
      { code: `route:\n  receiver: switchboard\nreceivers:\n  - name: switchboard\n    webhook_configs:\n      - url: '${cfg ? cfg.url : '<the URL above>'}'\n        send_resolved: true` },
      'Reload Alertmanager (SIGHUP or POST /-/reload). Each notification becomes one card: red while firing, green when resolved, one section per alert with its labels and annotations, and links to the alert source, Alertmanager and a new silence.',
      'The URL itself is the credential: keep it secret, and remove the connector to revoke it.',
    ],
  },
  template: {
    label: 'JSON template',
    docs: (cfg) => [
      `Make the service POST JSON (Content-Type: application/json) to ${cfg ? 'the URL above' : 'the URL shown once the connector is created'}.`,
      'Placeholders read the posted JSON: {{ .field }} for a field, {{ .a.b }} inside objects, {{ .list.0.name }} for the first element of a list. A missing field gives an empty text; lists and objects appear as JSON.',
      'Colour: a hex colour (2EB886) or a word: good, success, warning, danger, failure, firing, resolved.',
      'Facts: one per line, "Name: value", where both may use placeholders.',
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
  const btn = h('button.button', { type: 'button', text: 'Copy', 'aria-label': `Copy ${label}` });
  btn.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(value); } catch { input.select(); }
    msg.textContent = 'Copied';
  });
  input.addEventListener('focus', () => input.select());
  return h('div.field', {}, h('label', { for: id, text: label }), h('div.copy-row', {}, input, btn, msg));
}

function docsPanel(kind, cfg) {
  const steps = KINDS[kind].docs(cfg);
  const list = h('ol.svc-docs-steps');
  for (const s of steps) list.append(typeof s === 'string' ? h('li', { text: s }) : h('li', {}, h('pre.svc-code', {}, h('code', { text: s.code }))));
  return h('section.svc-docs', { 'aria-labelledby': 'svc-docs-title' }, h('h4#svc-docs-title', { text: `Set up ${KINDS[kind].label}` }), list);
}

// The template form's fields <-> the template object the server stores.
function templateFromFields(f) {
  const t = {};
  if (f.title.value.trim()) t.title = f.title.value.trim();
  if (f.text.value.trim()) t.text = f.text.value;
  if (f.color.value.trim()) t.themeColor = f.color.value.trim();
  const facts = f.facts.value.split('\n').map((line) => {
    const i = line.indexOf(':');
    return i > 0 ? { name: line.slice(0, i).trim(), value: line.slice(i + 1).trim() } : null;
  }).filter((x) => x && x.name);
  if (facts.length) t.facts = facts;
  if (f.link.value.trim()) t.links = [{ name: f.linkName.value.trim() || 'Open', url: f.link.value.trim() }];
  return t;
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
  const backBtn = h('button.button.link.back', { type: 'button', text: '\u2190 Back to connectors', onclick: back });
  form.append(field('Name (shown as the sender of its messages)', name));

  let secret = null;
  if (k.secretLabel) {
    secret = h('input', { id: uid('svc-secret'), type: 'text', maxlength: 256, autocomplete: 'off', spellcheck: false, placeholder: cfg ? 'unchanged' : 'generated for you when left empty' });
    form.append(field(`${k.secretLabel} (optional)`, secret, cfg ? 'Type a new one to replace the current secret.' : 'Leave empty and Switchboard makes a strong one.'));
  }

  const boxes = [];
  let branches = null;
  if (k.events) {
    const chosen = new Set(settings.events || []);
    const fs = h('fieldset.svc-events', {}, h('legend', { text: 'Events to post (none ticked: all of them)' }));
    for (const [id, label] of k.events) {
      const cb = h('input', { type: 'checkbox', id: uid(`svc-ev-${id}`), value: id, checked: chosen.has(id) });
      boxes.push(cb);
      fs.append(h('div.check', {}, cb, h('label', { for: cb.id, text: label })));
    }
    form.append(fs);
    branches = h('input', { id: uid('svc-branches'), type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'main, release/*', value: (settings.branches || []).join(', ') });
    form.append(field(k.branches, branches, 'Comma-separated; * and ? match. Empty: every branch.'));
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
    const previewBtn = h('button.button', { type: 'button', text: 'Preview' });
    previewBox = h('div.svc-preview', { 'aria-live': 'polite' });
    previewBtn.addEventListener('click', async () => {
      let parsed;
      try { parsed = JSON.parse(sample.value); } catch (err) {
        previewBox.replaceChildren(h('p.error', { text: `The sample is not JSON: ${err.message}` }));
        return;
      }
      try {
        const r = await post('/api/v1/serviceConnectors/preview', { template: templateFromFields(tf), sample: parsed });
        const c = r.card;
        const node = c && c.type === 'message' && Array.isArray(c.attachments) ? renderAdaptiveCard(c.attachments[0].content) : renderMessageCard(c);
        previewBox.replaceChildren(node);
      } catch (err) {
        previewBox.replaceChildren(h('p.error', { text: err.message }));
      }
    });
    form.append(
      field('Title', tf.title), field('Text', tf.text), field('Colour', tf.color),
      field('Facts (one per line, Name: value)', tf.facts),
      h('div.inline-fields', {}, field('Link text', tf.linkName), field('Link URL', tf.link)),
      field('Sample payload (JSON the service posts)', sample),
      h('div.form-actions.left', {}, previewBtn), previewBox);
  }

  const submit = h('button.button.primary', { type: 'submit', text: cfg ? 'Save' : 'Create' });
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
    if (!name.value.trim()) { error.textContent = 'Name is required.'; error.hidden = false; name.focus(); return; }
    submit.disabled = true;
    try {
      if (cfg) {
        const r = await patch(`/api/v1/connectors/${enc(cfg.id)}`, { configName: name.value.trim(), ...body() });
        Object.assign(cfg, r);
        if (secret) secret.value = '';
        saved.textContent = 'Saved';
        renderSetup();
      } else {
        const r = await post(`/api/v1/channels/${enc(channel.id)}/serviceConnectors`, { kind, name: name.value.trim(), ...body() });
        announce(`${k.label} connector created`);
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
      setup.append(copyField(kind === 'gitlab' ? 'URL' : kind === 'github' ? 'Payload URL' : 'Webhook URL', cfg.url));
      if (cfg.settings && cfg.settings.secret) setup.append(copyField(k.secretLabel, cfg.settings.secret));
      // A leaked URL is replaced: the old one stops at once, so the service needs the new one.
      const status = h('span.copy-status', { role: 'status' });
      const rotate = h('button.button', { type: 'button', text: 'New URL', 'aria-label': `Replace the URL of ${cfg.name}` });
      rotate.addEventListener('click', async () => {
        rotate.disabled = true;
        try {
          cfg.url = (await post(`/api/v1/webhooks/${enc(cfg.id)}/updateUrl`)).url;
          renderSetup();
          announce('The URL was replaced. The old URL no longer works.');
          setup.querySelector('.svc-rotated').textContent = 'Replaced: paste the new URL into the service.';
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
    h('h3', { text: cfg ? `${k.label}: ${cfg.name}` : `Add ${k.label}` }),
    cfg ? h('p', { text: 'Paste the URL (and secret) below into the service. Changes to the form apply to the next post.' }) : null,
    setup, form,
    cfg ? h('h4#svc-log-title', { text: 'Delivery log' }) : null,
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
  log.replaceChildren(h('p.muted', { text: 'Loading the delivery log\u2026' }));
  try {
    const rows = (await get(`/api/v1/connectors/${enc(cfg.id)}/deliveries`)).value || [];
    if (!rows.length) { log.replaceChildren(h('p.muted', { text: 'Nothing has been posted yet.' })); return; }
    const tbody = h('tbody');
    for (const r of rows) {
      const ok = r.status >= 200 && r.status < 300;
      tbody.append(h('tr', {},
        h('td', {}, h('time', { datetime: r.dateTime, text: formatTime(r.dateTime) })),
        h('td', {}, h('span', { class: ok ? 'status-ok' : 'status-fail', text: String(r.status) })),
        h('td', { text: `${r.size} B` }),
        h('td', { text: r.error || (r.messageId ? 'Posted' : '') })));
    }
    log.replaceChildren(h('div.table-scroll', {}, h('table.deliveries', { 'aria-labelledby': 'svc-log-title' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Time' }), h('th', { scope: 'col', text: 'Status' }), h('th', { scope: 'col', text: 'Size' }), h('th', { scope: 'col', text: 'Result' }))),
      tbody)));
  } catch (err) {
    log.replaceChildren(h('p.error', { text: err.message }));
  }
}
