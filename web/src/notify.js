// Browser notifications (the Notification API): permission is asked only from a click (the
// user menu's item, or turning on "every message" for a channel), never on load. Mentions of
// the person or of the channel notify once allowed; every message of a channel only for the
// channels the person opted in (kept in this browser, localStorage sb.notifyAll).
import { t } from './i18n.js';

const KEY = 'sb.notifyAll';

export const supported = () => typeof window.Notification === 'function';
export const permission = () => (supported() ? Notification.permission : 'denied');

function optedIn() {
  try { return new Set(JSON.parse(localStorage.getItem(KEY) || '[]')); } catch { return new Set(); }
}

export function notifyAllEnabled(channelId) { return optedIn().has(channelId); }

export async function askPermission() {
  if (!supported()) return 'denied';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

export async function setNotifyAll(channelId, on) {
  const set = optedIn();
  if (on) set.add(channelId); else set.delete(channelId);
  try { localStorage.setItem(KEY, JSON.stringify([...set])); } catch { /* storage disabled */ }
  if (on) await askPermission();
}

export function mentionsMe(msg, me) {
  const cid = msg.channelIdentity && msg.channelIdentity.channelId;
  return (msg.mentions || []).some((m) => {
    const w = m.mentioned || {};
    return (w.user && w.user.id === me.id) || (w.conversation && w.conversation.id === cid);
  });
}

function textOf(msg) {
  const b = msg.body || {};
  let s = String(b.content || '');
  if (String(b.contentType).toLowerCase() === 'html') s = new DOMParser().parseFromString(s, 'text/html').body.textContent || '';
  if (!s.trim() && msg.summary) s = msg.summary;
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > 140 ? s.slice(0, 139) + '\u2026' : s;
}

// Shows a notification for msg when the person wants one; onClick opens the message.
// visible: whether the person is looking at the message's channel now.
export function maybeNotify(msg, { me, channelName, visible, onClick }) {
  if (permission() !== 'granted' || msg.deletedDateTime) return null;
  const from = msg.from || {};
  if (from.user && from.user.id === me.id) return null;
  const cid = msg.channelIdentity && msg.channelIdentity.channelId;
  const mention = mentionsMe(msg, me);
  if (!mention && !notifyAllEnabled(cid)) return null;
  if (visible && document.visibilityState === 'visible') return null;
  const sender = (from.user && from.user.displayName) || (from.application && from.application.displayName) || '';
  const title = mention ? t('history.notifyMention', { sender, channel: channelName }) : t('history.notifyMessage', { sender, channel: channelName });
  try {
    const n = new Notification(title, { body: textOf(msg), tag: msg.id });
    n.onclick = () => { window.focus(); if (onClick) onClick(); n.close(); };
    return n;
  } catch {
    return null; // e.g. Android Chrome needs a service worker for notifications
  }
}
