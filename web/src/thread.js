// The replies under a message (one level, as Teams): collapsed to "3 replies" with the latest
// repliers' avatars, opened inline with a reply box; new replies arrive live.
//
// createThreadState(): one per channel, kept by the channel view (history.js) for as long as it
// keeps the channel; per root message id it holds the loaded replies (oldest first), the next
// page, and whether the thread is open, so that an item the virtualized list re-creates shows
// the same. threads.addReply(reply) inserts or replaces a reply (a live `message` with
// replyToId, or a `messageUpdated` of a reply) whether or not its root is rendered.
import { h, avatar } from './dom.js';
import { get, enc, localPath } from './api.js';
import { t } from './i18n.js';
import { createComposer } from './composer.js';
import { senderOf } from './message.js';

const PAGE = 50;
// Replies are asked for per root message as items appear; a few at a time so a page of 25
// messages does not fire 25 requests at once.
const MAX_IN_FLIGHT = 4;

export function createThreadState() {
  const entries = new Map();
  const queue = [];
  let inFlight = 0;

  function entry(rootId) {
    let e = entries.get(rootId);
    if (!e) {
      e = { replies: [], total: null, loaded: false, loading: null, nextLink: null, expanded: false, listeners: new Set() };
      entries.set(rootId, e);
    }
    return e;
  }
  const notify = (e) => { for (const fn of e.listeners) fn(); };

  function upsert(e, reply) {
    const i = e.replies.findIndex((r) => r.id === reply.id);
    if (i >= 0) e.replies[i] = reply;
    else {
      if (e.total !== null) e.total++;
      e.replies.push(reply);
      e.replies.sort((a, b) => String(a.createdDateTime).localeCompare(String(b.createdDateTime)));
    }
  }

  function pump() {
    while (inFlight < MAX_IN_FLIGHT && queue.length) {
      const job = queue.shift();
      inFlight++;
      job().finally(() => { inFlight--; pump(); });
    }
  }
  function schedule(fn) {
    return new Promise((resolve, reject) => {
      queue.push(() => fn().then(resolve, reject));
      pump();
    });
  }

  async function fetchPage(e, url) {
    const page = await get(localPath(url));
    // The server lists replies newest first; a live reply may already be there. An older page
    // goes before what is there; the sort is stable, so replies of the same millisecond keep
    // the server's order.
    const older = (page.value || []).slice().reverse().filter((r) => !e.replies.some((x) => x.id === r.id));
    e.replies = [...older, ...e.replies];
    e.replies.sort((a, b) => String(a.createdDateTime).localeCompare(String(b.createdDateTime)));
    e.nextLink = page['@odata.nextLink'] || null;
  }

  return {
    get: entry,
    // A root read with $expand=replies brings its first page of replies and their count: the
    // thread needs no request of its own.
    seed(root) {
      if (!Array.isArray(root.replies)) return;
      const e = entry(root.id);
      if (e.loaded) return;
      const known = root.replies.slice().reverse().filter((r) => !e.replies.some((x) => x.id === r.id));
      e.replies = [...known, ...e.replies];
      e.replies.sort((a, b) => String(a.createdDateTime).localeCompare(String(b.createdDateTime)));
      e.nextLink = root['replies@odata.nextLink'] || null;
      const count = root['replies@odata.count'];
      e.total = Number.isInteger(count) ? Math.max(count, e.replies.length) : null;
      e.loaded = true;
    },
    // The first page of a root's replies, once.
    load(team, channel, rootId) {
      const e = entry(rootId);
      if (e.loaded) return Promise.resolve(e);
      if (!e.loading) {
        const url = `/v1.0/teams/${enc(team.id)}/channels/${enc(channel.id)}/messages/${enc(rootId)}/replies?$top=${PAGE}`;
        e.loading = schedule(() => fetchPage(e, url)).then(() => { e.loaded = true; notify(e); return e; }, (err) => { e.loading = null; throw err; });
      }
      return e.loading;
    },
    async loadMore(rootId) {
      const e = entry(rootId);
      if (!e.nextLink) return e;
      await fetchPage(e, e.nextLink);
      notify(e);
      return e;
    },
    addReply(reply) {
      if (!reply || !reply.replyToId) return;
      const e = entry(reply.replyToId);
      upsert(e, reply);
      notify(e);
    },
    setExpanded(rootId, on) {
      const e = entry(rootId);
      e.expanded = on;
      notify(e);
    },
    subscribe(rootId, fn) {
      const e = entry(rootId);
      e.listeners.add(fn);
      return () => e.listeners.delete(fn);
    },
  };
}

// The thread under a root item. createItem(reply) makes a reply's item (message.js).
export function createThreadSection(root, ctx, createItem) {
  const { team, channel, threads } = ctx;
  const rootId = root.id;
  const section = h('div.thread', { role: 'group', 'aria-label': t('conversation.threadLabel') });
  const toggle = h('button.thread-toggle', { type: 'button', 'aria-expanded': 'false' });
  const replyBtn = h('button.button.link.reply-button', { type: 'button', text: t('conversation.reply') });
  section.append(toggle, replyBtn);
  // The open thread's parts are made when it first opens (few DOM nodes per message).
  let list = null;
  let moreBtn = null;
  let body = null;
  function ensureBody() {
    if (body) return;
    list = h('ol.replies', { 'aria-label': t('conversation.repliesLabel') });
    moreBtn = h('button.button.link.more-replies', { type: 'button', text: t('conversation.olderReplies'), hidden: true });
    moreBtn.addEventListener('click', () => threads.loadMore(rootId).catch(() => {}));
    body = h('div.thread-body', { hidden: true }, moreBtn, list);
    toggle.after(body);
  }
  const items = new Map();
  let composer = null;
  let destroyed = false;
  let canReply = true;

  function renderToggle(e) {
    const n = e.total ?? e.replies.length;
    const more = e.total === null && !!e.nextLink;
    toggle.hidden = n === 0;
    toggle.setAttribute('aria-expanded', e.expanded ? 'true' : 'false');
    const people = [];
    for (let i = e.replies.length - 1; i >= 0 && people.length < 3; i--) {
      const s = senderOf(e.replies[i]);
      if (!people.some((p) => p.name === s.name)) people.push(s);
    }
    const label = e.expanded ? t('conversation.hideReplies') : more ? t('conversation.repliesMore', { count: n }) : t('conversation.replies', { count: n });
    toggle.replaceChildren(...[
      e.expanded ? null : h('span.repliers', { 'aria-hidden': 'true' }, people.map((p) => avatar(p.name, p.image, 20))),
      h('span.thread-count', { text: label }),
      e.expanded || !people.length ? null : h('span.visually-hidden', { text: t('conversation.lastRepliers', { names: people.map((p) => p.name).join(', ') }) }),
    ].filter(Boolean));
  }

  function renderList(e) {
    // Keep the items there are (their menus, edit boxes and focus), add new ones in order.
    const seen = new Set();
    let prev = null;
    for (const r of e.replies) {
      seen.add(r.id);
      let item = items.get(r.id);
      if (!item) {
        item = createItem(r);
        items.set(r.id, item);
      } else if (item.msg !== r) item.update(r);
      const want = prev ? prev.el.nextSibling : list.firstChild;
      if (want !== item.el) list.insertBefore(item.el, want);
      prev = item;
    }
    for (const [id, item] of items) if (!seen.has(id)) { item.destroy(); item.el.remove(); items.delete(id); }
    moreBtn.hidden = !e.nextLink;
  }

  function ensureComposer() {
    if (composer) return composer;
    ensureBody();
    composer = createComposer({ team, channel, replyTo: rootId, onSent: (reply) => threads.addReply(reply) });
    body.append(composer.root);
    return composer;
  }

  function render() {
    if (destroyed) return;
    const e = threads.get(rootId);
    renderToggle(e);
    if (e.expanded) ensureBody();
    if (body) body.hidden = !e.expanded;
    replyBtn.hidden = e.expanded || !canReply;
    if (e.expanded) {
      renderList(e);
      if (canReply) ensureComposer();
    }
    if (composer) composer.root.hidden = !canReply;
  }

  threads.seed(root);
  const unsubscribe = threads.subscribe(rootId, render);
  toggle.addEventListener('click', () => {
    const e = threads.get(rootId);
    threads.setExpanded(rootId, !e.expanded);
    if (!e.expanded) toggle.focus();
  });
  replyBtn.addEventListener('click', () => {
    threads.setExpanded(rootId, true);
    ensureComposer().focus();
  });
  threads.load(team, channel, rootId).catch(() => {});
  render();

  return {
    el: section,
    // A deleted message keeps its replies (as in Teams) but takes no new ones.
    setCanReply(on) {
      if (canReply === on) return;
      canReply = on;
      render();
    },
    destroy() {
      destroyed = true;
      unsubscribe();
      for (const item of items.values()) item.destroy();
      if (composer) composer.destroy();
    },
  };
}
