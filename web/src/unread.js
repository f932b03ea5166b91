// Unread and mention counts from the server (GET /api/v1/me/channelStates): the same on every
// device and tab. The stream's messages ask for them again (debounced) rather than counting
// here; the tab's focus or becoming visible asks again too, so a channel read in another tab
// or on another device shows read here as soon as the person comes back to this tab.
// markRead moves the server's read position (PUT /api/v1/channels/{c}/readState).
import { get, request, enc } from './api.js';

export function createUnread({ onChange }) {
  let states = new Map();
  let timer = null;
  let seq = 0;
  const pendingRead = new Map(); // channel -> message id being written

  async function refresh() {
    const mine = ++seq;
    try {
      const r = await get('/api/v1/me/channelStates');
      if (mine !== seq) return; // a newer answer is on its way
      states = new Map((r.value || []).map((v) => [v.channelId, v]));
      // A read this tab has just written wins over an answer computed before it.
      for (const [cid, id] of pendingRead) {
        const st = states.get(cid);
        if (st) Object.assign(st, { unreadCount: 0, mentionCount: 0, lastReadMessageId: id });
      }
      onChange();
    } catch { /* offline: the next event or focus asks again */ }
  }

  // The first load's states come with the teams (GET /api/v1/bootstrap), not from refresh().
  function seed(value) {
    seq++;
    states = new Map((value || []).map((v) => [v.channelId, v]));
    onChange();
  }

  function soon(ms = 300) {
    clearTimeout(timer);
    timer = setTimeout(refresh, ms);
  }

  // One write at a time per channel, the newest wanted position last: two PUTs in flight could
  // land in either order and leave the server's position behind the one shown.
  const inflight = new Set();
  const wanted = new Map();
  async function markRead(channelId, messageId) {
    const st = states.get(channelId);
    if (!messageId || (st && st.lastReadMessageId === messageId && !st.unreadCount && !st.mentionCount)) return;
    if (pendingRead.get(channelId) === messageId || wanted.get(channelId) === messageId) return;
    wanted.set(channelId, messageId);
    pendingRead.set(channelId, messageId);
    if (st) Object.assign(st, { unreadCount: 0, mentionCount: 0, lastReadMessageId: messageId });
    onChange();
    if (inflight.has(channelId)) return;
    inflight.add(channelId);
    while (wanted.has(channelId)) {
      const id = wanted.get(channelId);
      wanted.delete(channelId);
      try {
        await request('PUT', `/api/v1/channels/${enc(channelId)}/readState`, { lastReadMessageId: id });
      } catch { /* a message we cannot name as read (deleted): the counts come back from the server */ }
    }
    inflight.delete(channelId);
    pendingRead.delete(channelId);
    soon();
    if (tabs) tabs.postMessage({ channelId });
  }

  const tabs = typeof BroadcastChannel === 'function' ? new BroadcastChannel('sb-readstate') : null;
  if (tabs) tabs.onmessage = () => soon(0);

  const onFocus = () => soon(0);
  const onVisible = () => { if (document.visibilityState === 'visible') soon(0); };
  window.addEventListener('focus', onFocus);
  document.addEventListener('visibilitychange', onVisible);

  return {
    refresh,
    seed,
    soon,
    markRead,
    get: (cid) => states.get(cid) || null,
    unread: (cid) => (states.get(cid) || {}).unreadCount || 0,
    mentions: (cid) => (states.get(cid) || {}).mentionCount || 0,
    total() { let n = 0; for (const s of states.values()) n += s.unreadCount || 0; return n; },
    destroy() {
      clearTimeout(timer);
      window.removeEventListener('focus', onFocus);
      if (tabs) tabs.close();
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
