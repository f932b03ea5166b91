// Connector configuration pages in the Connectors dialog: Add (a new configuration), Manage
// (the page again, with the saved settings) and Remove (the page's removeUrl, or its remove
// handler). The vendor's page runs in the app's sandbox origin inside a host frame
// (apphost.js); this side owns the dialog's buttons and the API calls, and trusts messages only
// from that frame's window and exact origin. docs/teams-js-host.md describes the protocol.
import { h, clear, announce } from './dom.js';
import { post, patch, del, enc } from './api.js';
import { t } from './i18n.js';

const SAVE_TIMEOUT_MS = 30000;

function originOf(url) {
  try { return new URL(url).origin; } catch { return null; }
}

// Mounts the host frame into container and resolves once it is ready; onEvent gets every
// event the host relays. Returns {send(command, data), destroy()}.
function mountHost(container, hostUrl, onEvent) {
  const origin = originOf(hostUrl);
  const iframe = h('iframe.config-frame', {
    title: t('connectors.config.frameTitle'),
    src: hostUrl,
    sandbox: 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox',
    referrerpolicy: 'no-referrer',
  });
  let ready;
  const readyP = new Promise((resolve) => { ready = resolve; });
  const listener = (e) => {
    if (e.source !== iframe.contentWindow || e.origin !== origin) return;
    const m = e.data;
    if (!m || typeof m !== 'object' || m.sb !== 'host') return;
    if (m.event === 'ready') ready();
    else onEvent(m);
  };
  window.addEventListener('message', listener);
  container.append(iframe);
  return {
    ready: readyP,
    send(command, data = {}) { iframe.contentWindow.postMessage({ sb: 'client', command, ...data }, origin); },
    destroy() { window.removeEventListener('message', listener); iframe.remove(); },
  };
}

function pageContext({ team, channel, user, tenantId, entityId, appId }) {
  return {
    entityId: entityId || '',
    appId,
    channelId: channel.id,
    channelName: channel.displayName,
    teamId: team ? team.id : channel.teamId,
    teamName: team ? team.displayName : '',
    groupId: team ? team.id : channel.teamId,
    tid: tenantId || '',
    userObjectId: user ? user.id : '',
    userDisplayName: user ? user.displayName : '',
    userPrincipalName: user ? (user.userPrincipalName || user.mail || '') : '',
    loginHint: user ? (user.userPrincipalName || user.mail || '') : '',
    locale: navigator.language || 'en-us',
  };
}

// Waits for one of the named events (or the time-out); resolves with the event.
function waitFor(events, names) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { events.delete(fn); resolve({ event: 'timeout' }); }, SAVE_TIMEOUT_MS);
    const fn = (m) => {
      if (!names.includes(m.event)) return;
      clearTimeout(timer);
      events.delete(fn);
      resolve(m);
    };
    events.add(fn);
  });
}

// Shows a configuration page in body. mode: 'add' (entry from the catalog) or 'edit'
// (cfg from the configured list). done() goes back to the list.
export function showConfigPage({ body, mode, entry, cfg, team, channel, user, tenantId, back, done }) {
  clear(body);
  const name = mode === 'add' ? entry.name : cfg.name;
  const hostUrl = mode === 'add' ? entry.configurationHostUrl : cfg.configurationHostUrl;
  const pageUrl = mode === 'add' ? entry.configurationUrl : cfg.contentUrl;
  const status = h('p.config-status', { role: 'status' });
  const error = h('p.error', { role: 'alert', hidden: true });
  const save = h('button.button.primary', { type: 'button', text: t('connectors.save'), disabled: true });
  const cancel = back(t('connectors.cancel'));
  const stage = h('div.config-stage');
  body.append(h('div.config-host', {},
    h('h3', { text: mode === 'add' ? t('connectors.addWho', { name }) : t('connectors.manageWho', { name }) }),
    stage, error, status,
    h('div.form-actions', {}, cancel, save)));
  const fail = (msg) => { error.textContent = msg; error.hidden = false; };
  if (!hostUrl || !pageUrl) { fail(t('connectors.config.noPage')); return () => {}; }

  const listeners = new Set();
  // What the page set with setSettings; for an edit it starts from the saved configuration.
  let pending = mode === 'edit'
    ? { entityId: cfg.entityId, configName: cfg.name, contentUrl: cfg.contentUrl, removeUrl: cfg.removeUrl, webhookUrl: cfg.webhookUrl }
    : {};
  const host = mountHost(stage, hostUrl, (m) => {
    if (m.event === 'validity') save.disabled = !m.valid;
    else if (m.event === 'settings') pending = { ...pending, ...m.settings };
    else if (m.event === 'error') fail(m.message);
    else if (m.event === 'initFailed') fail(m.reason ? t('connectors.config.initFailedWhy', { reason: m.reason }) : t('connectors.config.initFailed'));
    for (const fn of listeners) fn(m);
  });
  host.ready.then(() => {
    const settings = mode === 'edit'
      ? { ...pending, appType: cfg.appType || 'teams', userObjectId: user ? user.id : '' }
      : { appType: 'teams', userObjectId: user ? user.id : '' };
    host.send('load', {
      url: pageUrl,
      frameContext: 'settings',
      context: pageContext({ team, channel, user, tenantId, entityId: pending.entityId, appId: mode === 'add' ? entry.appId : cfg.appId }),
      settings,
    });
  });

  save.addEventListener('click', async () => {
    error.hidden = true;
    save.disabled = true;
    status.textContent = t('connectors.config.saving');
    const fields = {
      configName: pending.configName || name,
      entityId: pending.entityId || '',
      contentUrl: pending.contentUrl || pageUrl,
    };
    if (pending.removeUrl) fields.removeUrl = pending.removeUrl;
    let saved;
    try {
      // The configuration (and its URL) exists before the page's save handler runs: the page
      // reads webhookUrl with getSettings and hands it to its backend.
      saved = mode === 'add'
        ? await post(`/api/v1/channels/${enc(channel.id)}/connectors`, { connectorId: entry.connectorId, ...fields })
        : await patch(`/api/v1/connectors/${enc(cfg.id)}`, fields);
    } catch (err) {
      status.textContent = '';
      fail(err.message);
      save.disabled = false;
      return;
    }
    const result = waitFor(listeners, ['saved', 'saveFailed']);
    host.send('save', { settings: { ...fields, webhookUrl: saved.webhookUrl, appType: saved.appType || 'teams', userObjectId: user ? user.id : '' } });
    const m = await result;
    if (m.event === 'saved') {
      // Pages written after Teams' own sample call setSettings inside their save handler: what
      // they set there is the configuration's final state.
      const final = { configName: pending.configName || fields.configName, entityId: pending.entityId || fields.entityId, contentUrl: pending.contentUrl || fields.contentUrl };
      if (pending.removeUrl) final.removeUrl = pending.removeUrl;
      const changed = Object.keys(final).filter((k) => final[k] !== fields[k]);
      if (changed.length) {
        try {
          await patch(`/api/v1/connectors/${enc(saved.id)}`, final);
        } catch (err) {
          status.textContent = '';
          fail(t('connectors.config.settingsRefused', { error: err.message }));
          return;
        }
      }
      announce(t('connectors.config.saved', { name: final.configName }));
      host.destroy();
      done();
      return;
    }
    // The page refused (or never answered): a new configuration is taken back, so no URL is
    // left behind that nobody knows about.
    if (mode === 'add') { try { await del(`/api/v1/connectors/${enc(saved.id)}`); } catch { /* shown below */ } }
    status.textContent = '';
    fail(m.event === 'timeout' ? t('connectors.config.saveTimeout') : m.reason ? t('connectors.config.saveFailedWhy', { reason: m.reason }) : t('connectors.config.saveFailed'));
    save.disabled = false;
  });
  return () => host.destroy();
}

// Removal: the page at removeUrl (frame context "remove") when there is one, whose validity
// enables Remove; otherwise the content page, whose remove handler runs if it registered one.
export function showRemovePage({ body, cfg, team, channel, user, tenantId, back, done }) {
  clear(body);
  const status = h('p.config-status', { role: 'status' });
  const error = h('p.error', { role: 'alert', hidden: true });
  const remove = h('button.button.danger', { type: 'button', text: t('connectors.remove'), disabled: !!cfg.removeUrl });
  const stage = h('div.config-stage');
  body.append(h('div.config-host', {},
    h('h3', { text: t('connectors.removeWho', { name: cfg.name }) }),
    h('p', { text: t('connectors.config.removeStops') }),
    stage, error, status,
    h('div.form-actions', {}, back(t('connectors.cancel')), remove)));
  const fail = (msg) => { error.textContent = msg; error.hidden = false; };
  const listeners = new Set();
  let removeHandler = false;
  const host = cfg.configurationHostUrl ? mountHost(stage, cfg.configurationHostUrl, (m) => {
    if (m.event === 'validity' && cfg.removeUrl) remove.disabled = !m.valid;
    else if (m.event === 'handlers') removeHandler = !!m.remove;
    else if (m.event === 'error') fail(m.message);
    for (const fn of listeners) fn(m);
  }) : null;
  if (host) {
    host.ready.then(() => host.send('load', {
      url: cfg.removeUrl || cfg.contentUrl,
      frameContext: cfg.removeUrl ? 'remove' : 'settings',
      context: pageContext({ team, channel, user, tenantId, entityId: cfg.entityId, appId: cfg.appId }),
      settings: { entityId: cfg.entityId, configName: cfg.name, contentUrl: cfg.contentUrl, removeUrl: cfg.removeUrl, webhookUrl: cfg.webhookUrl, appType: cfg.appType || 'teams', userObjectId: user ? user.id : '' },
    }));
  }
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    error.hidden = true;
    if (host && (cfg.removeUrl || removeHandler)) {
      status.textContent = t('connectors.config.removing');
      const result = waitFor(listeners, ['removed', 'removeFailed']);
      host.send('remove');
      const m = await result;
      if (m.event !== 'removed') {
        status.textContent = '';
        fail(m.event === 'timeout' ? t('connectors.config.removeTimeout') : m.reason ? t('connectors.config.removeFailedWhy', { reason: m.reason }) : t('connectors.config.removeFailed'));
        remove.disabled = false;
        return;
      }
    }
    try {
      await del(`/api/v1/connectors/${enc(cfg.id)}`);
    } catch (err) {
      status.textContent = '';
      fail(err.message);
      remove.disabled = false;
      return;
    }
    announce(t('connectors.removed', { name: cfg.name }));
    if (host) host.destroy();
    done();
  });
  return () => { if (host) host.destroy(); };
}
