// The Connectors dialog of a channel: Configured (manage, remove, update URL), All and Uploaded
// with a search box, and the Incoming Webhook flow (name, image, create, copy URL, done).
import './viewtext.js'; // their areas' catalogs, before any t() of theirs (see viewtext.js)
import { h, avatar, clear, formatTime, announce } from './dom.js';
import { get, post, patch, del, enc, localPath } from './api.js';
import { openDialog } from './dialog.js';
import { forwardingTabs } from './forwarding.js';
import { showConfigPage, showRemovePage } from './confighost.js';
import { teamUploadControl } from './appcatalog.js';
import { isServiceKind, serviceLabel, showServiceForm } from './serviceconnectors.js';
import { t } from './i18n.js';
import './shared.js'; // the first load's modules, in one chunk (see shared.js)

export const INCOMING_WEBHOOK_ID = '203a1e2c-26cc-47ca-83ae-be98f960b6b2';
const MAX_IMAGE = 256 * 1024;
const CATALOG = [
  { connectorId: INCOMING_WEBHOOK_ID, name: 'Incoming Webhook', description: 'Send data from a service to this channel. You get a URL that accepts MessageCards and Adaptive Cards.', section: 'builtin' },
];

let users = null;
async function userName(id) {
  if (!users) {
    try { users = new Map(((await get('/v1.0/users')).value || []).map((u) => [u.id, u.displayName])); } catch { users = new Map(); }
  }
  return users.get(id) || t('connectors.someone');
}

function copyRow(label, value, idBase) {
  const id = `${idBase}-${Math.random().toString(36).slice(2, 8)}`;
  const input = h('input.url-field', { id, type: 'text', readonly: true, value, spellcheck: false });
  const msg = h('span.copy-status', { role: 'status' });
  const btn = h('button.button', { type: 'button', text: t('connectors.copy') });
  btn.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      input.select();
      document.execCommand && document.execCommand('copy');
    }
    msg.textContent = t('connectors.copied');
    setTimeout(() => { msg.textContent = ''; }, 2000);
  });
  input.addEventListener('focus', () => input.select());
  return h('div.field', {}, h('label', { for: id, text: label }), h('div.copy-row', {}, input, btn, msg));
}

export function openConnectorsDialog({ team, channel, user }) {
  const d = openDialog({ title: t('connectors.dialogTitle', { name: channel.displayName }), wide: true, className: 'connectors-dialog' });
  const doneBtn = h('button.button', { type: 'button', text: t('connectors.close'), onclick: () => d.close() });
  d.footer.append(doneBtn);
  let tenantId = '';
  // A configuration page in the dialog is torn down when the view changes or the dialog closes.
  let teardown = () => {};
  let closed = false;
  d.onClose(() => { closed = true; teardown(); });
  const pageArgs = () => ({ body: d.body, team, channel, user, tenantId, back, done: () => showList() });

  const showList = async (focusSel) => {
    teardown();
    teardown = () => {};
    clear(d.body);
    const error = h('p.error', { role: 'alert', hidden: true });
    const search = h('input#connector-search', { type: 'search', placeholder: t('connectors.search'), autocomplete: 'off' });
    const configured = h('section.conn-section', { 'aria-labelledby': 'conn-configured' }, h('h3#conn-configured', { text: t('connectors.configured') }));
    const configuredList = h('ul.conn-list', {}, h('li.muted', { text: t('connectors.loading') }));
    configured.append(configuredList);
    const all = h('section.conn-section', { 'aria-labelledby': 'conn-all' }, h('h3#conn-all', { text: t('connectors.all') }));
    const allList = h('ul.conn-list');
    all.append(allList);
    const uploadedList = h('ul.conn-list');
    const uploaded = h('section.conn-section', { 'aria-labelledby': 'conn-uploaded' }, h('h3#conn-uploaded', { text: t('connectors.uploaded') }),
      teamUploadControl({ teamId: team ? team.id : channel.teamId, onDone: () => showList('#team-app-upload') }), uploadedList);
    d.body.append(forwardingTabs({ body: d.body, channel, back: () => showList() }), error, h('div.field.search-field', {}, h('label', { for: 'connector-search', text: t('connectors.searchConnectors') }), search), configured, all, uploaded);

    // The catalog comes from the server: built-in connectors, retired ones (shown, but they
    // cannot be added) and, when policy turns connectors off, the reason the list is empty.
    // Organisation apps join "All"; apps uploaded to this team are "Uploaded". Their
    // configuration pages open once the configuration host exists: until then they are listed.
    let catalog = CATALOG;
    let disabledReason = null;
    const entry = (c) => {
      let action;
      if (c.retired) {
        action = h('span.badge.retired', { text: t('connectors.retired') });
      } else if (c.connectorId === INCOMING_WEBHOOK_ID) {
        action = h('button.button.primary', { type: 'button', text: t('connectors.add'), 'aria-label': t('connectors.addWho', { name: c.name }) });
        action.addEventListener('click', () => showCreateWebhook());
      } else if (c.configurationHostUrl) {
        action = h('button.button.primary', { type: 'button', text: t('connectors.add'), 'aria-label': t('connectors.addWho', { name: c.name }) });
        action.addEventListener('click', async () => {
          // The host frame's URL carries a ticket valid a few minutes: take a fresh one.
          const fresh = await get(`/api/v1/channels/${enc(channel.id)}/connectorCatalog`).then((res) => (res.value || []).find((x) => x.appId === c.appId), () => null);
          if (!closed) teardown = showConfigPage({ ...pageArgs(), mode: 'add', entry: fresh && fresh.configurationHostUrl ? fresh : c });
        });
      } else if (isServiceKind(c.kind)) {
        action = h('button.button.primary', { type: 'button', text: t('connectors.add'), 'aria-label': t('connectors.addWho', { name: c.name }) });
        action.addEventListener('click', () => showServiceForm(d, { channel, kind: c.kind, back: () => showList() }));
      } else {
        action = h('span.muted', { text: c.unavailableReason || t('connectors.thisConnectorHasNoConfiguration') });
      }
      const icon = c.iconUrl ? avatar(c.name, localPath(c.iconUrl), 36) : webhookIcon();
      return h(c.retired ? 'li.conn-item.retired' : 'li.conn-item', {}, icon, h('div.conn-info', {}, h('strong', { text: c.name }), h('p.muted', { text: c.description || '' })), h('div.conn-buttons', {}, action));
    };
    const renderAll = () => {
      const q = search.value.trim().toLowerCase();
      const match = (c) => !q || c.name.toLowerCase().includes(q) || (c.description || '').toLowerCase().includes(q);
      clear(allList);
      clear(uploadedList);
      if (disabledReason) { allList.append(h('li.muted.disabled-reason', { text: disabledReason })); return; }
      // Retired connectors go last: they are listed so people find them, not to be added.
      const items = catalog.filter((c) => c.section !== 'uploaded' && match(c)).sort((a, b) => Number(!!a.retired) - Number(!!b.retired));
      if (!items.length) allList.append(h('li.muted', { text: t('connectors.noMatch', { query: search.value.trim() }) }));
      for (const c of items) allList.append(entry(c));
      const mine = catalog.filter((c) => c.section === 'uploaded');
      if (!mine.length) uploadedList.append(h('li.muted.uploaded-note', { text: t('connectors.noCustomConnectorsHaveBeen') }));
      for (const c of mine.filter(match)) uploadedList.append(entry(c));
    };
    search.addEventListener('input', renderAll);
    renderAll();
    get(`/api/v1/channels/${enc(channel.id)}/connectorCatalog`).then((res) => {
      catalog = res.value || [];
      disabledReason = res.disabledReason || null;
      tenantId = res.tenantId || '';
      renderAll();
    }).catch(() => {});

    try {
      const res = await get(`/api/v1/channels/${enc(channel.id)}/connectors`);
      const items = res.value || [];
      clear(configuredList);
      if (!items.length) configuredList.append(h('li.muted', { text: t('connectors.noConnectorsAreConfiguredFor') }));
      for (const cfg of items) configuredList.append(await configuredItem(cfg, error));
    } catch (err) {
      clear(configuredList);
      error.textContent = err.message;
      error.hidden = false;
    }
    const f = focusSel && d.body.querySelector(focusSel);
    (f || search).focus();
  };

  const configuredItem = async (cfg, error) => {
    const canManage = typeof cfg.url === 'string';
    const li = h('li.conn-item', { dataset: { connectorConfigId: cfg.id } });
    const who = await userName(cfg.createdBy);
    const info = h('div.conn-info', {},
      h('strong.conn-name', { text: cfg.name }),
      cfg.attentionRequired ? h('span.badge.attention', { text: t('connectors.attentionRequired') }) : null,
      h('p.muted', { text: t('connectors.configuredBy', { kind: cfg.kind === 'app' ? t('connectors.connectorApp') : (serviceLabel(cfg.kind) || t('connectors.incomingWebhook')), who, when: formatTime(cfg.createdDateTime) }) }));
    const buttons = h('div.conn-buttons');
    if (canManage) {
      if (cfg.attentionRequired) {
        const upd = h('button.button.primary', { type: 'button', text: t('connectors.updateUrl'), 'aria-label': t('connectors.updateUrlOf', { name: cfg.name }) });
        upd.addEventListener('click', async () => {
          upd.disabled = true;
          try {
            const r = await post(`/api/v1/webhooks/${enc(cfg.id)}/updateUrl`);
            showUrl({ ...cfg, url: r.url, workflowUrl: r.workflowUrl, attentionRequired: false }, t('connectors.urlUpdatedGive'));
          } catch (err) { error.textContent = err.message; error.hidden = false; upd.disabled = false; }
        });
        buttons.append(upd);
      }
      const manage = h('button.button', { type: 'button', text: t('connectors.manage'), 'aria-label': t('connectors.manageWho', { name: cfg.name }) });
      const remove = h('button.button.danger', { type: 'button', text: t('connectors.remove'), 'aria-label': t('connectors.removeWho', { name: cfg.name }) });
      if (cfg.kind === 'app') {
        // The host frame's URL carries a ticket valid a few minutes: take a fresh one.
        const fresh = () => get(`/api/v1/connectors/${enc(cfg.id)}`).then((res) => ({ ...cfg, configurationHostUrl: res.configurationHostUrl || cfg.configurationHostUrl }), () => cfg);
        manage.addEventListener('click', async () => { const f = await fresh(); if (!closed) teardown = showConfigPage({ ...pageArgs(), mode: 'edit', cfg: f }); });
        remove.addEventListener('click', async () => { const f = await fresh(); if (!closed) teardown = showRemovePage({ ...pageArgs(), cfg: f }); });
      } else {
        manage.addEventListener('click', () => (isServiceKind(cfg.kind) ? showServiceForm(d, { channel, kind: cfg.kind, cfg, back: () => showList() }) : showManage(cfg)));
        remove.addEventListener('click', () => confirmRemove(li, cfg, buttons, error));
      }
      buttons.append(manage, remove);
    }
    li.append(avatar(cfg.name, cfg.imageUrl ? localPath(cfg.imageUrl) : null, 36), info, buttons);
    return li;
  };

  const confirmRemove = (li, cfg, buttons, error) => {
    const saved = [...buttons.childNodes];
    const yes = h('button.button.danger', { type: 'button', text: t('connectors.remove'), 'aria-label': t('connectors.confirmRemoving', { name: cfg.name }) });
    const no = h('button.button', { type: 'button', text: t('connectors.cancel') });
    const q = h('span.confirm', { text: t('connectors.removeThisConnectorItsUrl') });
    buttons.replaceChildren(q, yes, no);
    no.addEventListener('click', () => { buttons.replaceChildren(...saved); saved[saved.length - 1].focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await del(`/api/v1/connectors/${enc(cfg.id)}`);
        announce(t('connectors.removed', { name: cfg.name }));
        showList();
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
        buttons.replaceChildren(...saved);
      }
    });
    yes.focus();
  };

  const back = (label = t('connectors.back')) => {
    const b = h('button.button.link.back', { type: 'button', text: `\u2190 ${label}` /* i18n-ignore: an arrow and a translated label */ });
    b.addEventListener('click', () => showList());
    return b;
  };

  const showCreateWebhook = () => {
    clear(d.body);
    const error = h('p.error', { role: 'alert', hidden: true });
    const name = h('input#webhook-name', { type: 'text', required: true, maxlength: 256, autocomplete: 'off' });
    const file = h('input#webhook-image', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp' });
    const preview = h('div.image-preview', {}, webhookIcon());
    const create = h('button.button.primary', { type: 'submit', text: t('connectors.create') });
    let image = null;
    file.addEventListener('change', () => {
      image = null;
      error.hidden = true;
      const f = file.files && file.files[0];
      if (!f) { preview.replaceChildren(webhookIcon()); return; }
      if (!/^image\/(png|jpeg|gif|webp)$/.test(f.type)) { error.textContent = t('connectors.chooseAPngJpegGif'); error.hidden = false; file.value = ''; return; }
      if (f.size > MAX_IMAGE) { error.textContent = t('connectors.theImageMustBeAt'); error.hidden = false; file.value = ''; return; }
      const reader = new FileReader();
      reader.onload = () => {
        image = String(reader.result);
        preview.replaceChildren(h('img', { src: image, alt: t('connectors.selectedImage'), width: 48, height: 48 }));
      };
      reader.readAsDataURL(f);
    });
    const form = h('form.form.webhook-form', { novalidate: true },
      h('h3', { text: t('connectors.incomingWebhook') }),
      h('p.muted', { text: t('connectors.giveTheWebhookAName') }),
      h('div.field', {}, h('label', { for: 'webhook-name', text: t('connectors.name') }), name),
      h('div.field', {}, h('label', { for: 'webhook-image', text: t('connectors.imageOptionalPngJpegGif') }), h('div.image-row', {}, preview, file)),
      error,
      h('div.form-actions', {}, back(t('connectors.cancel')), create));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!name.value.trim()) { error.textContent = t('connectors.nameIsRequired'); error.hidden = false; name.focus(); return; }
      create.disabled = true;
      try {
        const body = { name: name.value.trim() };
        if (image) body.image = image;
        const w = await post(`/api/v1/channels/${enc(channel.id)}/webhooks`, body);
        announce(t('connectors.webhookCreated'));
        showUrl(w, t('connectors.copyThisUrl'));
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
        create.disabled = false;
      }
    });
    d.body.append(form);
    name.focus();
  };

  const showUrl = (w, text) => {
    clear(d.body);
    const done = h('button.button.primary', { type: 'button', text: t('connectors.done') });
    done.addEventListener('click', () => showList());
    d.body.append(h('div.webhook-created', {},
      h('h3', { text: w.name }),
      h('p', { text }),
      copyRow(t('connectors.webhookUrl'), w.url, 'webhook-url'),
      w.workflowUrl ? copyRow(t('connectors.workflowsUrl'), w.workflowUrl, 'workflow-url') : null,
      h('div.form-actions', {}, done)));
    d.body.querySelector('.copy-row button').focus();
  };

  const showManage = async (cfg) => {
    clear(d.body);
    const error = h('p.error', { role: 'alert', hidden: true });
    const name = h('input#manage-name', { type: 'text', value: cfg.name, required: true, maxlength: 256 });
    const save = h('button.button.primary', { type: 'submit', text: t('connectors.save') });
    const saved = h('span.copy-status', { role: 'status' });
    const form = h('form.form', { novalidate: true },
      h('div.field', {}, h('label', { for: 'manage-name', text: t('connectors.name') }), h('div.copy-row', {}, name, save, saved)));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!name.value.trim()) { error.textContent = t('connectors.nameIsRequired'); error.hidden = false; return; }
      save.disabled = true;
      try {
        await patch(`/api/v1/connectors/${enc(cfg.id)}`, { configName: name.value.trim() });
        cfg.name = name.value.trim();
        saved.textContent = t('connectors.saved');
        error.hidden = true;
      } catch (err) { error.textContent = err.message; error.hidden = false; } finally { save.disabled = false; }
    });
    const updateBtn = h('button.button', { type: 'button', text: t('connectors.updateUrl') });
    updateBtn.addEventListener('click', async () => {
      updateBtn.disabled = true;
      try {
        const r = await post(`/api/v1/webhooks/${enc(cfg.id)}/updateUrl`);
        showUrl({ ...cfg, url: r.url, workflowUrl: r.workflowUrl }, t('connectors.urlUpdated'));
      } catch (err) { error.textContent = err.message; error.hidden = false; updateBtn.disabled = false; }
    });
    const log = h('div.delivery-log', {}, h('p.muted', { text: t('connectors.loadingTheDeliveryLog') }));
    d.body.append(h('div.manage', {},
      back(t('connectors.backToConnectors')),
      h('h3', { text: t('connectors.manageWho', { name: cfg.name }) }),
      form, error,
      cfg.url ? copyRow(t('connectors.webhookUrl'), cfg.url, 'manage-url') : null,
      h('div.form-actions.left', {}, updateBtn),
      h('h4#delivery-log-title', { text: t('connectors.deliveryLog') }),
      log));
    name.focus();
    try {
      const res = await get(`/api/v1/connectors/${enc(cfg.id)}/deliveries`);
      const rows = res.value || [];
      if (!rows.length) { log.replaceChildren(h('p.muted', { text: t('connectors.nothingHasBeenPostedTo') })); return; }
      const tbody = h('tbody');
      for (const r of rows) {
        const ok = r.status >= 200 && r.status < 300;
        tbody.append(h('tr', {},
          h('td', {}, h('time', { datetime: r.dateTime, text: formatTime(r.dateTime) })),
          h('td', {}, h('span', { class: ok ? 'status-ok' : 'status-fail', text: String(r.status) })),
          h('td', { text: t('connectors.bytes', { count: r.size }) }),
          h('td', { text: r.error || (ok ? t('connectors.delivered') : '') })));
      }
      log.replaceChildren(h('div.table-scroll', {}, h('table.deliveries', { 'aria-labelledby': 'delivery-log-title' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('connectors.time') }), h('th', { scope: 'col', text: t('connectors.status') }), h('th', { scope: 'col', text: t('connectors.size') }), h('th', { scope: 'col', text: t('connectors.result') }))),
        tbody)));
    } catch (err) {
      log.replaceChildren(h('p.error', { text: err.message }));
    }
  };

  showList();
  return d;
}

function webhookIcon() {
  return h('span.conn-icon', { 'aria-hidden': 'true', text: '\u21AA' });
}
