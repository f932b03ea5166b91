import './viewtext.js'; // their areas' catalogs, before any t() of theirs (see viewtext.js)
import { t } from './i18n.js';
// The host frame of a connector's configuration page. It runs on the app's sandbox origin
// (apphost.h), embeds the vendor's page from the same origin (so @microsoft/teams-js trusts it:
// a parent with the page's own origin), answers the teams-js protocol (1.x and 2.x wire
// formats: docs/teams-js-host.md) and relays to the main client, whose origin the server wrote
// into this page. Messages are accepted only from those two windows, each with its exact origin.
// The ticket in this page's URL was exchanged for the sandbox's session cookie by the server:
// drop it from the address so nothing keeps it around.
if (location.search) history.replaceState(null, '', location.pathname);
const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const PARENT_ORIGIN = meta('sb-parent-origin');
const UPSTREAM = meta('sb-upstream-origin');
const SELF = location.origin;
const ERROR_NOT_SUPPORTED = 100; // teams-js ErrorCode.NOT_SUPPORTED_ON_PLATFORM

let frame = null;
let frameContext = 'settings';
let context = {};
let settings = {};
const handlers = { save: false, remove: false };

const toParent = (msg) => window.parent.postMessage({ sb: 'host', ...msg }, PARENT_ORIGIN);

// Vendors build contentUrl from location.origin, which here is the sandbox origin: map such
// URLs back to the vendor's origin so what is stored is the page's real address.
function toUpstream(url) {
  if (typeof url !== 'string') return url;
  if (url === SELF || url.startsWith(`${SELF}/`) || url.startsWith(`${SELF}?`)) return UPSTREAM + url.slice(SELF.length);
  return url;
}

function runtimeConfig() {
  return JSON.stringify({
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isLegacyTeams: false,
    supports: { appInitialization: {}, pages: { config: {} } },
  });
}

function reply(req, args) {
  // 2.x matches responses by uuid (sent as uuidAsString), 1.x by the numeric id.
  const msg = { id: req.id, args };
  if (req.uuidAsString) msg.uuidAsString = req.uuidAsString;
  frame.contentWindow.postMessage(msg, SELF);
}

function sendEvent(func, args) {
  frame.contentWindow.postMessage({ func, args }, SELF);
}

function legacyContext() {
  return { ...context, frameContext, hostClientType: 'web', hostName: 'Teams', locale: context.locale || navigator.language || 'en-us', theme: 'default' };
}

function onPageMessage(msg) {
  const { func } = msg;
  const args = Array.isArray(msg.args) ? msg.args : [];
  switch (func) {
    case 'initialize': {
      const major = parseInt(String(args[0] || '1'), 10);
      // 1.x reads (frameContext, hostClientType, clientSupportedSDKVersion); 2.x has the
      // runtime configuration (a JSON string) in third place.
      if (major >= 2) reply(msg, [frameContext, 'web', runtimeConfig(), String(args[0])]);
      else reply(msg, [frameContext, 'web', String(args[0] || '1.0.0')]);
      toParent({ event: 'initialized', sdkVersion: String(args[0] || '') });
      return;
    }
    case 'getContext':
      reply(msg, [legacyContext()]);
      return;
    case 'settings.getSettings':
      reply(msg, [{ ...settings }]);
      return;
    case 'settings.setSettings': {
      const s = args[0] && typeof args[0] === 'object' ? args[0] : {};
      const next = {};
      for (const k of ['entityId', 'configName', 'contentUrl', 'removeUrl', 'websiteUrl', 'suggestedDisplayName']) {
        if (typeof s[k] === 'string') next[k] = k.endsWith('Url') ? toUpstream(s[k]) : s[k];
      }
      settings = { ...settings, ...next };
      toParent({ event: 'settings', settings: next });
      reply(msg, [true]);
      return;
    }
    case 'settings.setValidityState':
      toParent({ event: 'validity', valid: args[0] === true });
      return;
    case 'registerHandler':
      if (args[0] === 'save' || args[0] === 'remove') {
        handlers[args[0]] = true;
        toParent({ event: 'handlers', ...handlers });
      }
      return;
    case 'settings.save.success':
      toParent({ event: 'saved' });
      return;
    case 'settings.save.failure':
      toParent({ event: 'saveFailed', reason: typeof args[0] === 'string' ? args[0] : '' });
      return;
    case 'settings.remove.success':
      toParent({ event: 'removed' });
      return;
    case 'settings.remove.failure':
      toParent({ event: 'removeFailed', reason: typeof args[0] === 'string' ? args[0] : '' });
      return;
    case 'appInitialization.appLoaded':
    case 'appInitialization.success':
      toParent({ event: 'loaded' });
      return;
    case 'appInitialization.failure':
    case 'appInitialization.expectedFailure':
      toParent({ event: 'initFailed', reason: typeof args[1] === 'string' ? args[1] : String(args[0] || '') });
      return;
    default:
      // A request the host does not implement gets an error instead of silence, so the page's
      // promise settles (teams-js rejects with the error code).
      if (typeof msg.id === 'number') reply(msg, [{ errorCode: ERROR_NOT_SUPPORTED, message: `${func} is not supported by this host` }]);
  }
}

function load(cmd) {
  const url = String(cmd.url || '');
  if (!(url === UPSTREAM || url.startsWith(`${UPSTREAM}/`) || url.startsWith(`${UPSTREAM}?`))) {
    toParent({ event: 'error', message: t('connectors.host.wrongOrigin', { url, origin: UPSTREAM }) });
    return;
  }
  frameContext = cmd.frameContext === 'remove' ? 'remove' : 'settings';
  context = cmd.context && typeof cmd.context === 'object' ? cmd.context : {};
  settings = cmd.settings && typeof cmd.settings === 'object' ? { ...cmd.settings } : {};
  handlers.save = false;
  handlers.remove = false;
  if (frame) frame.remove();
  frame = document.createElement('iframe');
  frame.title = t('connectors.config.frameTitle');
  frame.src = url.slice(UPSTREAM.length) || '/';
  document.body.append(frame);
}

window.addEventListener('message', (e) => {
  if (frame && e.source === frame.contentWindow && e.origin === SELF) {
    if (e.data && typeof e.data === 'object' && typeof e.data.func === 'string') onPageMessage(e.data);
    return;
  }
  if (e.source !== window.parent || e.origin !== PARENT_ORIGIN || !e.data || e.data.sb !== 'client') return;
  const cmd = e.data;
  if (cmd.command === 'load') load(cmd);
  else if (cmd.command === 'save' && frame) {
    settings = { ...settings, ...(cmd.settings || {}) };
    sendEvent('settings.save', [{ webhookUrl: settings.webhookUrl }]);
  } else if (cmd.command === 'remove' && frame) {
    sendEvent('settings.remove', []);
  }
});

toParent({ event: 'ready' });
