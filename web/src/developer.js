// The Connector Developer Dashboard: register a connector (name, logo, descriptions, website,
// configuration page, valid domains, actions), list the registered ones, download their app
// package, edit, delete, and send a test card into a channel. Everything the server returns
// goes in as text; logos are read from files into data URLs and checked before sending.
import './viewtext.js'; // their areas' catalogs, before any t() of theirs (see viewtext.js)
import { h, clear, announce } from './dom.js';
import { get, post, patch, del, enc, localPath } from './api.js';
import { openDialog } from './dialog.js';
import { t } from './i18n.js';
import './shared.js'; // the first load's modules, in one chunk (see shared.js)

const REG = '/api/v1/connectorRegistrations';
const HTTPS = /^https:\/\/[^/\s?#]/i;
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

// Reads a file as a data URL and its pixel size.
function readPng(file) {
  return new Promise((resolve, reject) => {
    if (file.type && file.type !== 'image/png') { reject(new Error(t('apps.dev.notPng'))); return; }
    const reader = new FileReader();
    reader.onerror = () => reject(new Error(t('apps.dev.unreadable')));
    reader.onload = () => {
      const url = String(reader.result).replace(/^data:[^;,]*;base64,/, 'data:image/png;base64,');
      const img = new Image();
      img.onload = () => resolve({ url, width: img.naturalWidth, height: img.naturalHeight });
      img.onerror = () => reject(new Error(t('apps.dev.notPng')));
      img.src = url;
    };
    reader.readAsDataURL(file);
  });
}

let seq = 0;
// A labelled field with its own error line (aria-describedby), returned as {wrap, input, error}.
function field(label, input, hint) {
  const id = `dev-${++seq}`;
  input.id = id;
  const error = h('p.error.field-error', { id: `${id}-err`, hidden: true });
  const hintEl = hint ? h('p.muted.hint', { id: `${id}-hint`, text: hint }) : null;
  input.setAttribute('aria-describedby', [hintEl && hintEl.id, error.id].filter(Boolean).join(' '));
  const wrap = h('div.field', {}, h('label', { for: id, text: label }), input, hintEl, error);
  return { wrap, input, error };
}

function setError(f, message) {
  f.error.textContent = message || '';
  f.error.hidden = !message;
  if (message) f.input.setAttribute('aria-invalid', 'true');
  else f.input.removeAttribute('aria-invalid');
}

export function openDeveloper() {
  const d = openDialog({ title: t('apps.dev.title'), wide: true, className: 'developer-dialog' });
  const closeBtn = h('button.button', { type: 'button', text: t('admin.ui.close'), onclick: () => d.close() });
  d.footer.append(closeBtn);
  const state = { list: [], canRegister: false, channels: null };

  async function channels() {
    if (state.channels) return state.channels;
    const teams = (await get('/v1.0/me/joinedTeams')).value || [];
    const out = [];
    for (const t of teams) {
      const chans = (await get(`/v1.0/teams/${enc(t.id)}/channels`)).value || [];
      out.push({ team: t, channels: chans });
    }
    state.channels = out;
    return out;
  }

  async function showList(notice) {
    clear(d.body);
    const error = h('p.error', { role: 'alert', hidden: true });
    const status = h('p.copy-status', { role: 'status', text: notice || '' });
    d.body.append(error, status);
    try {
      const r = await get(REG);
      state.list = r.value || [];
      state.canRegister = !!r.canRegister;
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      return;
    }
    const listHeading = h('h3#dev-list-h', { text: t('apps.dev.registered'), tabIndex: -1 });
    const section = h('section.conn-section', { 'aria-labelledby': 'dev-list-h' }, listHeading);
    const register = h('button.button.primary', { type: 'button', text: t('apps.dev.registerTitle'), hidden: !state.canRegister });
    register.addEventListener('click', () => showForm(null));
    const ul = h('ul.conn-list.dev-list');
    if (!state.list.length) ul.append(h('li.muted', { text: state.canRegister ? t('apps.dev.noneYet') : t('apps.dev.noneYours') }));
    for (const reg of state.list) ul.append(item(reg, error, status));
    section.append(ul);
    if (!state.canRegister) section.append(h('p.muted', { text: t('apps.dev.onlyAdmins') }));
    d.body.append(h('div.form-actions.left', {}, register), section);
    // After a save or a removal the form or the item is gone: continue from the list.
    if (notice) { listHeading.focus(); announce(notice); }
  }

  function item(reg, error, status) {
    const li = h('li.conn-item', { dataset: { registrationId: reg.id } });
    const icon = h('img.dev-icon', { src: localPath(reg.iconUrl), alt: '', width: 36, height: 36 });
    const info = h('div.conn-info', {},
      h('strong', { text: reg.name }),
      h('span.badge', { text: `v${reg.version}` /* i18n-ignore: a version number */ }),
      h('p.muted', { text: reg.shortDescription }),
      h('p.muted', {}, t('apps.dev.connectorId'), ' ', h('code', { text: reg.id })));
    const download = h('a.button', { href: localPath(reg.packageUrl), download: '', text: t('apps.dev.download'), 'aria-label': t('apps.dev.downloadOf', { name: reg.name }) });
    const buttons = h('div.conn-buttons', {}, download);
    if (state.canRegister) {
      const edit = h('button.button', { type: 'button', text: t('apps.dev.edit'), 'aria-label': t('apps.dev.editWho', { name: reg.name }) });
      edit.addEventListener('click', () => showForm(reg));
      buttons.append(edit);
      if (reg.actionsEnabled) {
        const test = h('button.button', { type: 'button', text: t('apps.dev.sendTest'), 'aria-label': t('apps.dev.sendTestFrom', { name: reg.name }) });
        test.addEventListener('click', () => testCard(li, reg, test, error, status));
        buttons.append(test);
      }
      const remove = h('button.button.danger', { type: 'button', text: t('apps.catalog.delete'), 'aria-label': t('apps.catalog.deleteWho', { name: reg.name }) });
      remove.addEventListener('click', () => confirmDelete(li, reg, buttons, error));
      buttons.append(remove);
    }
    li.append(icon, info, buttons);
    return li;
  }

  function confirmDelete(li, reg, buttons, error) {
    buttons.hidden = true;
    const q = h('span.confirm', { text: t('apps.dev.confirmDelete', { name: reg.name }) });
    const yes = h('button.button.danger', { type: 'button', text: t('apps.catalog.delete') });
    const no = h('button.button', { type: 'button', text: t('admin.ui.cancel') });
    const row = h('div.conn-buttons', {}, q, yes, no);
    no.addEventListener('click', () => { row.remove(); buttons.hidden = false; buttons.querySelector('.danger').focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await del(`${REG}/${enc(reg.id)}`);
        await showList(t('apps.dev.deleted', { name: reg.name }));
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
        yes.disabled = false;
      }
    });
    li.append(row);
    no.focus();
  }

  async function testCard(li, reg, opener, error, status) {
    const old = li.querySelector('.dev-test');
    if (old) { old.remove(); opener.focus(); return; }
    const select = h('select', {});
    const f = field(t('apps.dev.channel'), select);
    const send = h('button.button.primary', { type: 'submit', text: t('apps.dev.send') });
    const cancel = h('button.button', { type: 'button', text: t('admin.ui.cancel') });
    const form = h('form.dev-test', { 'aria-label': t('apps.dev.sendTestFrom', { name: reg.name }) }, f.wrap, h('div.form-actions.left', {}, send, cancel));
    cancel.addEventListener('click', () => { form.remove(); opener.focus(); });
    li.append(form);
    try {
      for (const { team, channels: chans } of await channels()) {
        const group = h('optgroup', { label: team.displayName });
        for (const c of chans) group.append(h('option', { value: c.id, text: t('apps.dev.channelInTeam', { channel: c.displayName, team: team.displayName }) }));
        select.append(group);
      }
    } catch (err) { setError(f, err.message); }
    if (!select.options.length) { setError(f, t('apps.dev.noTeam')); send.disabled = true; }
    select.focus();
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      setError(f, null);
      send.disabled = true;
      try {
        await post(`${REG}/${enc(reg.id)}/testCard`, { channelId: select.value });
        const label = select.options[select.selectedIndex].textContent;
        form.remove();
        status.textContent = t('apps.dev.testSent', { where: label });
        announce(status.textContent);
        opener.focus();
      } catch (err) {
        setError(f, err.message);
        send.disabled = false;
      }
    });
    error.hidden = true;
  }

  function showForm(reg) {
    clear(d.body);
    const editing = !!reg;
    const form = h('form.form.dev-form', { novalidate: true, 'aria-labelledby': 'dev-form-h' });
    const heading = h('h3#dev-form-h', { text: editing ? t('apps.dev.editWho', { name: reg.name }) : t('apps.dev.registerTitle') });
    const formError = h('p.error', { role: 'alert', hidden: true });
    const text = (value, max, extra = {}) => h('input', { type: 'text', value: value || '', maxLength: max, autocomplete: 'off', ...extra });

    const longText = h('textarea', { rows: 4, maxLength: 4000, required: true });
    longText.value = (reg && reg.longDescription) || '';
    const f = {
      name: field(t('apps.dev.name'), text(reg && reg.name, 30, { required: true }), t('apps.dev.nameHint')),
      logo: field(t('apps.dev.logo'), h('input', { type: 'file', accept: 'image/png', required: !editing }), editing ? t('apps.dev.logoHintEdit') : t('apps.dev.logoHint')),
      outline: field(t('apps.dev.outline'), h('input', { type: 'file', accept: 'image/png' }), t('apps.dev.outlineHint')),
      shortDescription: field(t('apps.dev.short'), text(reg && reg.shortDescription, 80, { required: true }), t('apps.dev.shortHint')),
      longDescription: field(t('apps.dev.long'), longText, t('apps.dev.longHint')),
      websiteUrl: field(t('apps.dev.website'), text(reg && reg.websiteUrl, 2048, { inputMode: 'url', placeholder: 'https://example.com', required: true })), // i18n-ignore: example URLs
      configurationUrl: field(t('apps.dev.configUrl'), text(reg && reg.configurationUrl, 2048, { inputMode: 'url', placeholder: 'https://example.com/teams/configure', required: true }), t('apps.dev.configUrlHint')), // i18n-ignore: example URLs
      validDomains: field(t('apps.dev.domains'), text(reg && reg.validDomains.join(', '), 8000, { placeholder: 'example.com, *.example.com' }), t('apps.dev.domainsHint')), // i18n-ignore: example URLs
      actionsUrl: field(t('apps.dev.actionsUrl'), text(reg && reg.actionsUrl, 2048, { inputMode: 'url', placeholder: 'https://example.com/teams/actions' /* i18n-ignore: an example URL */ }), t('apps.dev.actionsUrlHint')),
    };
    const actions = h('input#dev-actions', { type: 'checkbox', checked: !!(reg && reg.actionsEnabled) });
    const actionsRow = h('div.field.check', {}, actions, h('label', { for: 'dev-actions', text: t('apps.dev.actions') }));
    const syncActions = () => { f.actionsUrl.wrap.hidden = !actions.checked; };
    actions.addEventListener('change', syncActions);
    syncActions();

    // A live preview of the catalog entry.
    const pImg = h('img.dev-preview-logo', { alt: '', width: 48, height: 48, src: reg ? localPath(reg.iconUrl) : null, hidden: !reg });
    const pName = h('strong', { text: (reg && reg.name) || t('apps.dev.previewName') });
    const pDesc = h('p.muted', { text: (reg && reg.shortDescription) || t('apps.dev.short') });
    const preview = h('section.dev-preview', { 'aria-label': t('apps.dev.preview') }, h('p.muted', { text: t('apps.dev.previewIn') }),
      h('div.conn-item', {}, pImg, h('div.conn-info', {}, pName, pDesc)));
    const syncPreview = () => {
      pName.textContent = f.name.input.value.trim() || t('apps.dev.previewName');
      pDesc.textContent = f.shortDescription.input.value.trim() || t('apps.dev.short');
    };
    f.name.input.addEventListener('input', syncPreview);
    f.shortDescription.input.addEventListener('input', syncPreview);

    const files = { logo: null, outline: null };
    const pick = (key, size, fieldRef) => async () => {
      setError(fieldRef, null);
      files[key] = null;
      const file = fieldRef.input.files[0];
      if (!file) return;
      try {
        const png = await readPng(file);
        if (png.width !== size || png.height !== size) throw new Error(t('apps.dev.size', { size, width: png.width, height: png.height }));
        files[key] = png.url;
        if (key === 'logo') { pImg.src = png.url; pImg.hidden = false; }
      } catch (err) {
        setError(fieldRef, t(key === 'logo' ? 'apps.dev.logoError' : 'apps.dev.outlineError', { error: err.message }));
      }
    };
    f.logo.input.addEventListener('change', pick('logo', 192, f.logo));
    f.outline.input.addEventListener('change', pick('outline', 32, f.outline));

    const submit = h('button.button.primary', { type: 'submit', text: editing ? t('apps.dev.saveChanges') : t('apps.dev.register') });
    const cancel = h('button.button', { type: 'button', text: t('admin.ui.cancel') });
    cancel.addEventListener('click', () => showList());
    form.append(heading, formError, f.name.wrap, f.logo.wrap, f.outline.wrap, preview, f.shortDescription.wrap, f.longDescription.wrap,
      f.websiteUrl.wrap, f.configurationUrl.wrap, f.validDomains.wrap, actionsRow, f.actionsUrl.wrap, h('div.form-actions', {}, cancel, submit));
    d.body.append(form);
    f.name.input.focus();

    const check = () => {
      const errs = [];
      const need = (key, ok, message) => { if (!ok) errs.push([key, message]); };
      const v = (key) => f[key].input.value.trim();
      need('name', v('name'), t('apps.dev.enterName'));
      need('logo', editing || files.logo, f.logo.error.hidden ? t('apps.dev.chooseLogo') : f.logo.error.textContent);
      if (!f.outline.error.hidden) errs.push(['outline', f.outline.error.textContent]);
      need('shortDescription', v('shortDescription'), t('apps.dev.enterShort'));
      need('longDescription', v('longDescription'), t('apps.dev.enterLong'));
      need('websiteUrl', HTTPS.test(v('websiteUrl')), t('apps.dev.enterWebsite'));
      need('configurationUrl', /^https?:\/\/[^/\s?#]/i.test(v('configurationUrl')), t('apps.dev.enterConfig'));
      const domains = v('validDomains').split(/[\s,]+/).filter(Boolean);
      const bad = domains.find((x) => !DOMAIN.test(x));
      need('validDomains', !bad, t('apps.dev.badDomain', { domain: bad }));
      if (actions.checked) need('actionsUrl', HTTPS.test(v('actionsUrl')), t('apps.dev.enterActions'));
      return { errs, domains };
    };

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      formError.hidden = true;
      for (const x of Object.values(f)) if (x !== f.logo && x !== f.outline) setError(x, null);
      const { errs, domains } = check();
      for (const [key, message] of errs) setError(f[key], message);
      if (errs.length) {
        formError.textContent = t('apps.dev.check', { count: errs.length });
        formError.hidden = false;
        f[errs[0][0]].input.focus();
        return;
      }
      const body = {
        name: f.name.input.value.trim(),
        shortDescription: f.shortDescription.input.value.trim(),
        longDescription: f.longDescription.input.value.trim(),
        websiteUrl: f.websiteUrl.input.value.trim(),
        configurationUrl: f.configurationUrl.input.value.trim(),
        validDomains: domains,
        actionsEnabled: actions.checked,
        actionsUrl: actions.checked ? f.actionsUrl.input.value.trim() : (f.actionsUrl.input.value.trim() || null),
      };
      if (files.logo) body.logo = files.logo;
      if (files.outline) body.outlineLogo = files.outline;
      submit.disabled = true;
      try {
        const saved = editing ? await patch(`${REG}/${enc(reg.id)}`, body) : await post(REG, body);
        await showList(editing ? t('apps.dev.saved', { name: saved.name, version: saved.version }) : t('apps.dev.registeredNow', { name: saved.name }));
      } catch (err) {
        // The server names the field first ("websiteUrl must be ..."): point at it.
        const m = /^(\w+)/.exec(err.message || '');
        const key = m && (m[1] === 'outlineLogo' ? 'outline' : m[1]);
        if (key && f[key]) { setError(f[key], err.message); f[key].input.focus(); }
        formError.textContent = err.message;
        formError.hidden = false;
        submit.disabled = false;
      }
    });
  }

  showList();
  return d;
}
