// A channel's history: the root messages kept per channel for the whole session (so switching
// away and back shows the same place at once), and the virtualized list that shows a window of
// them. Only the messages of the window are in the DOM, bounded by a DOM-node budget; scrolling
// near an edge slides the window (and pages older messages in from the server once the cache is
// exhausted), so 1,000 cards cost what a hundred do. Date separators, grouping of consecutive
// messages by the same sender, a "New messages" divider at the last read position, "jump to
// latest" and jump to a message by id (paging back until it is loaded).
import { h } from './dom.js';
import { get, enc, localPath } from './api.js';
import { createMessageItem } from './message.js';
import { createThreadState } from './thread.js';
import { t, formatDate } from './i18n.js';

const PAGE = 50; // Graph's largest page of channel messages
const NODE_BUDGET = 2500; // DOM nodes the rendered messages may use together (counted live)
const STEP = 15; // messages added at an edge at a time
const INITIAL = 30; // messages in a fresh window
const MIN_WINDOW = 8;
const EDGE = 400; // px from an edge that slides the window
const JUMP_PAGES = 40; // at most 2,000 messages paged back to find a message
const GROUP_MS = 5 * 60 * 1000;

// ---- The per-channel cache -------------------------------------------------------------------

const stores = new Map();

export function channelStore(team, channel) {
  let s = stores.get(channel.id);
  if (!s) {
    s = {
      team, channel,
      msgs: [], // root messages, oldest first
      byId: new Map(),
      olderLink: undefined, // undefined: nothing loaded yet; null: the beginning is loaded
      latestId: null, // the newest message seen, replies included (the read position to set)
      threads: createThreadState(),
      listeners: new Set(),
      saved: null, // the list's window and scroll place when the view was left
      loading: null,
    };
    stores.set(channel.id, s);
  }
  return s;
}

export function existingStore(channelId) { return stores.get(channelId) || null; }
export function allStores() { return [...stores.values()]; }
export function forgetStores() { stores.clear(); }

function emit(s, e) { for (const fn of s.listeners) fn(e); }
// $expand=replies: each root brings its newest replies and their count (thread.js seeds them).
const firstUrl = (s) => `/v1.0/teams/${enc(s.team.id)}/channels/${enc(s.channel.id)}/messages?$top=${PAGE}&$expand=replies`;

// One page further back (or the first page); resolves with the number of messages added.
export function loadOlder(s) {
  if (s.olderLink === null) return Promise.resolve(0);
  if (s.loading) return s.loading;
  const url = s.olderLink ? localPath(s.olderLink) : firstUrl(s);
  s.loading = get(url).then((page) => {
    const first = s.olderLink === undefined;
    const items = (page.value || []).filter((m) => !s.byId.has(m.id)).reverse();
    for (const m of items) s.byId.set(m.id, m);
    s.msgs = items.concat(s.msgs);
    s.olderLink = page['@odata.nextLink'] || null;
    if (first && s.msgs.length && !s.latestId) s.latestId = s.msgs[s.msgs.length - 1].id;
    emit(s, { type: 'prepend', count: items.length });
    return items.length;
  }).finally(() => { s.loading = null; });
  return s.loading;
}

// A message from the stream (or the composer): roots join the list, replies their thread.
export function addMessage(s, msg) {
  if (msg.replyToId) {
    // The root's item takes it when it is rendered (it keeps the thread state itself),
    // otherwise the thread state does, for when the root is rendered again.
    s.latestId = msg.id;
    const e = { type: 'reply', reply: msg, taken: false };
    emit(s, e);
    if (!e.taken) s.threads.addReply(msg);
    return;
  }
  if (s.olderLink === undefined) return; // never loaded: the first page will bring it
  s.latestId = msg.id;
  if (s.byId.has(msg.id)) { updateMessage(s, msg); return; }
  s.byId.set(msg.id, msg);
  s.msgs.push(msg);
  emit(s, { type: 'append', msg });
}

export function updateMessage(s, msg) {
  if (msg.replyToId) {
    // The thread state replaces a reply it has and tells the items that show it.
    s.threads.addReply(msg);
    return;
  }
  const i = s.msgs.findIndex((m) => m.id === msg.id);
  if (i < 0) return;
  s.msgs[i] = msg;
  s.byId.set(msg.id, msg);
  emit(s, { type: 'update', msg });
}

// After the stream was down: the newest page again, merged (edits show, a gap is filled); when
// more than a page was missed the cache starts over from the newest page.
export async function refreshNewest(s) {
  if (s.olderLink === undefined) return;
  const page = await get(firstUrl(s));
  const fresh = (page.value || []).slice().reverse();
  const newest = s.msgs[s.msgs.length - 1];
  if (newest && !fresh.some((m) => m.id === newest.id) && fresh.length === PAGE) {
    s.msgs = fresh;
    s.byId = new Map(fresh.map((m) => [m.id, m]));
    s.olderLink = page['@odata.nextLink'] || null;
    s.saved = null;
    emit(s, { type: 'reset' });
    return;
  }
  for (const m of fresh) {
    const old = s.byId.get(m.id);
    if (!old) addMessage(s, m);
    else if (JSON.stringify(old) !== JSON.stringify(m)) updateMessage(s, m);
  }
}

// ---- The list ----------------------------------------------------------------------------------

const senderKey = (m) => {
  const f = m.from || {};
  if (f.user) return 'u:' + f.user.id;
  if (f.application) return 'a:' + (f.application.id || '') + ':' + (f.application.displayName || '');
  return '';
};
const dayKey = (m) => {
  const d = new Date(m.createdDateTime);
  return Number.isNaN(d.getTime()) ? '' : d.toDateString();
};
function grouped(prev, m) {
  if (!prev || prev.deletedDateTime || m.deletedDateTime) return false;
  const k = senderKey(m);
  return !!k && k === senderKey(prev) && new Date(m.createdDateTime) - new Date(prev.createdDateTime) < GROUP_MS;
}
function dayLabel(m) {
  const d = new Date(m.createdDateTime);
  const today = new Date();
  const yesterday = new Date(today.getTime() - 86400000);
  if (d.toDateString() === today.toDateString()) return t('history.today');
  if (d.toDateString() === yesterday.toDateString()) return t('history.yesterday');
  return formatDate(d, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

// createHistoryList({store, ctx, onAtLatest}) -> {root, start({dividerAfter}), jumpTo(id),
// jumpToLatest(), atLatest(), destroy()}
// onAtLatest(id) is called whenever the newest message is on screen (the channel is read).
export function createHistoryList({ store: s, ctx, onAtLatest, label }) {
  const list = h('ol.messages', { 'aria-label': label });
  const status = h('p.history-status', { role: 'status' });
  const olderBtn = h('button.button.link.load-older', { type: 'button', text: t('history.loadOlder'), hidden: true });
  const scroller = h('div.stream', { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0', 'aria-label': t('history.conversation'), style: { overflowAnchor: 'none' } }, olderBtn, status, list);
  const jumpBtn = h('button.button.jump-latest', { type: 'button', hidden: true, text: t('history.jumpToLatest') });
  const empty = h('p.empty', { text: t('history.empty'), hidden: true });
  const root = h('div.stream-wrap', {}, scroller, empty, jumpBtn);

  const items = new Map(); // message id -> {item}
  const seps = new Map(); // separator key -> element
  let lo = 0;
  let hi = 0;
  let dividerAfter = null;
  let destroyed = false;
  let busy = false;
  let unseen = 0; // live messages that arrived below the window

  const len = () => s.msgs.length;
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
  const showsLatest = () => hi === len();

  function sep(key, make) {
    let el = seps.get(key);
    if (!el) { el = make(); seps.set(key, el); }
    return el;
  }

  function anchorOf() {
    const top = scroller.getBoundingClientRect().top;
    for (const li of list.children) {
      const r = li.getBoundingClientRect();
      if (r.bottom > top) return { el: li, top: r.top };
    }
    return null;
  }

  // Puts the window lo..hi in the DOM, moving as few nodes as possible (a focused message stays
  // focused), and keeps `keep` (an anchor, 'bottom' or null) where it was.
  function render(keep) {
    const anchor = keep === undefined ? anchorOf() : keep;
    const want = [];
    const used = new Set();
    let prev = null;
    for (let i = lo; i < hi; i++) {
      const m = s.msgs[i];
      let it = items.get(m.id);
      if (!it) {
        const item = createMessageItem(m, ctx);
        it = { item };
        items.set(m.id, it);
      }
      let broke = false;
      if (!prev || dayKey(prev) !== dayKey(m)) {
        const key = 'day:' + dayKey(m) + ':' + m.id;
        want.push(sep(key, () => h('li.day-divider', {}, h('span', { text: dayLabel(m) }))));
        used.add(key);
        broke = true;
      }
      if (prev && dividerAfter && prev.id === dividerAfter) {
        want.push(sep('new', () => h('li.new-divider', {}, h('span', { text: t('history.newMessages') }))));
        used.add('new');
        broke = true;
      }
      it.item.el.classList.toggle('continued', !broke && grouped(prev, m));
      want.push(it.item.el);
      used.add(m.id);
      prev = m;
    }
    for (const [id, it] of items) {
      if (!used.has(id)) { it.item.el.remove(); it.item.destroy(); items.delete(id); }
    }
    for (const [key, el] of seps) if (!used.has(key)) { el.remove(); seps.delete(key); }
    let cur = list.firstChild;
    for (const node of want) {
      if (node === cur) { cur = cur.nextSibling; continue; }
      list.insertBefore(node, cur);
    }
    while (cur) { const n = cur.nextSibling; cur.remove(); cur = n; }
    if (anchor === 'bottom') scroller.scrollTop = scroller.scrollHeight;
    else if (anchor && anchor.el && anchor.el.isConnected) scroller.scrollTop += anchor.el.getBoundingClientRect().top - anchor.top;
    empty.hidden = len() > 0 || s.olderLink === undefined;
    olderBtn.hidden = lo === 0 && s.olderLink === null;
    if (lo === 0 && s.olderLink === null && len()) status.textContent = t('history.beginning');
    else if (status.textContent === t('history.beginning')) status.textContent = '';
    updateJump();
  }

  // Counted when needed, not when rendered: an item grows (a thread opened, a card updated).
  const nodesAt = (i) => { const it = items.get(s.msgs[i].id); return it ? it.item.el.getElementsByTagName('*').length + 1 : 0; };

  // Trims the far side once the window is over its budget: 'top' or 'bottom'.
  function trim(side) {
    let total = 0;
    for (let i = lo; i < hi; i++) total += nodesAt(i);
    if (total <= NODE_BUDGET) return false;
    while (total > NODE_BUDGET && hi - lo > MIN_WINDOW) {
      if (side === 'top') { total -= nodesAt(lo); lo++; }
      else { hi--; total -= nodesAt(hi); }
    }
    return true;
  }

  function updateJump() {
    const latest = showsLatest() && nearBottom();
    jumpBtn.hidden = latest;
    if (latest) unseen = 0;
    jumpBtn.textContent = unseen ? t('history.jumpToLatestNew', { count: unseen }) : t('history.jumpToLatest');
    if (latest && len() && document.visibilityState === 'visible' && onAtLatest) onAtLatest(s.latestId || s.msgs[len() - 1].id);
  }

  async function extendUp() {
    if (lo === 0) {
      if (s.olderLink === null || busy) return;
      busy = true;
      status.textContent = t('history.loadingOlder');
      try {
        await loadOlder(s); // shifts lo and hi through the 'prepend' event
        status.textContent = '';
      } catch (err) {
        status.textContent = err.message;
        busy = false;
        return;
      }
      busy = false;
      if (destroyed || lo === 0) { render(); return; }
    }
    lo = Math.max(0, lo - STEP);
    render();
    if (trim('bottom')) render();
    schedule();
  }

  function extendDown() {
    if (hi >= len()) return;
    hi = Math.min(len(), hi + STEP);
    render();
    if (trim('top')) render();
    schedule();
  }

  let raf = 0;
  function schedule() {
    if (raf || destroyed) return;
    raf = requestAnimationFrame(() => { raf = 0; checkEdges(); });
  }
  function checkEdges() {
    if (destroyed || busy || s.olderLink === undefined) return;
    if (scroller.scrollTop < EDGE && (lo > 0 || s.olderLink !== null)) extendUp();
    else if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < EDGE && hi < len()) extendDown();
    else updateJump();
  }
  scroller.addEventListener('scroll', schedule, { passive: true });
  olderBtn.addEventListener('click', () => extendUp());
  jumpBtn.addEventListener('click', () => jumpToLatest());
  const onVisible = () => { if (document.visibilityState === 'visible') updateJump(); };
  document.addEventListener('visibilitychange', onVisible);

  function onStore(e) {
    if (destroyed) return;
    if (e.type === 'prepend') { lo += e.count; hi += e.count; if (!busy) render(); return; }
    if (e.type === 'reset') { lo = Math.max(0, len() - INITIAL); hi = len(); render('bottom'); return; }
    if (e.type === 'update') {
      const it = items.get(e.msg.id);
      if (it) { it.item.update(e.msg); render(); }
      return;
    }
    if (e.type === 'reply') {
      const it = items.get(e.reply.replyToId);
      if (it) { it.item.addReply(e.reply); e.taken = true; }
      updateJump();
      return;
    }
    if (e.type === 'append') {
      if (hi === len() - 1) {
        const stick = nearBottom();
        hi = len();
        render(stick ? 'bottom' : undefined);
        if (trim('top')) render(stick ? 'bottom' : undefined);
        if (!stick) unseen++;
      } else {
        unseen++;
      }
      updateJump();
    }
  }
  s.listeners.add(onStore);

  function jumpToLatest() {
    lo = Math.max(0, len() - INITIAL);
    hi = len();
    unseen = 0;
    render('bottom');
    if (trim('top')) render('bottom');
    schedule();
  }

  function showAround(idx, focus) {
    lo = Math.max(0, idx - 10);
    hi = Math.min(len(), idx + 20);
    render(null);
    if (trim('bottom')) render(null);
    const it = items.get(s.msgs[idx].id);
    if (!it) return;
    it.item.el.scrollIntoView({ block: 'center' });
    if (focus) {
      it.item.el.classList.add('highlight');
      setTimeout(() => it.item.el.classList.remove('highlight'), 4000);
      it.item.el.focus({ preventScroll: true });
    }
    schedule();
  }

  async function ensureFirstPage() {
    if (s.olderLink !== undefined) return;
    status.textContent = t('history.loading');
    await loadOlder(s);
    status.textContent = '';
  }

  return {
    root,
    scroller,
    // Shows the channel: where it was left, at the "New messages" divider, or at the bottom.
    async start({ dividerAfterId = null, unreadCount = 0 } = {}) {
      try {
        await ensureFirstPage();
        // Load back to the last read message when it is not far (the divider has a place).
        for (let i = 0; dividerAfterId && unreadCount && !s.byId.has(dividerAfterId) && s.olderLink && i < 5; i++) await loadOlder(s);
      } catch (err) {
        status.textContent = err.message;
        return;
      }
      if (destroyed) return;
      const at = dividerAfterId ? s.msgs.findIndex((m) => m.id === dividerAfterId) : -1;
      dividerAfter = unreadCount && at >= 0 && at < len() - 1 ? dividerAfterId : null;
      const saved = s.saved;
      if (saved && !dividerAfter && saved.hi <= len()) {
        lo = saved.lo;
        hi = saved.atBottom ? len() : saved.hi;
        render(null);
        if (trim('top')) render(null);
        const el = saved.anchorId && items.get(saved.anchorId);
        if (saved.atBottom || !el) scroller.scrollTop = scroller.scrollHeight;
        else scroller.scrollTop += el.item.el.getBoundingClientRect().top - scroller.getBoundingClientRect().top - saved.offset;
      } else if (dividerAfter) {
        showAround(at + 1, false);
        const div = seps.get('new');
        if (div) div.scrollIntoView({ block: 'start' });
      } else {
        lo = Math.max(0, len() - INITIAL);
        hi = len();
        render('bottom');
        if (trim('top')) render('bottom');
      }
      schedule();
    },
    async jumpTo(id) {
      try {
        await ensureFirstPage();
        for (let i = 0; !s.byId.has(id) && s.olderLink && i < JUMP_PAGES; i++) {
          status.textContent = t('history.findingMessage');
          await loadOlder(s);
        }
      } catch (err) {
        status.textContent = err.message;
        return false;
      }
      if (destroyed) return false;
      const idx = s.msgs.findIndex((m) => m.id === id);
      if (idx < 0) { status.textContent = t('history.messageNotFound'); return false; }
      status.textContent = '';
      showAround(idx, true);
      return true;
    },
    jumpToLatest,
    atLatest: () => showsLatest() && nearBottom(),
    destroy() {
      destroyed = true;
      const a = anchorOf();
      const id = a && [...items].find(([, it]) => it.item.el === a.el);
      s.saved = { lo, hi, atBottom: showsLatest() && nearBottom(), anchorId: id ? id[0] : null, offset: a ? a.top - scroller.getBoundingClientRect().top : 0 };
      s.listeners.delete(onStore);
      document.removeEventListener('visibilitychange', onVisible);
      cancelAnimationFrame(raf);
      for (const it of items.values()) it.item.destroy();
    },
  };
}
