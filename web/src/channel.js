// The channel view: header with the "..." menu, the message stream (newest at the bottom, older
// pages loaded through @odata.nextLink when scrolled to the top), and the composer (composer.js).
import { h } from './dom.js';
import { get, enc, localPath } from './api.js';
import { createComposer } from './composer.js';
import { createMessageItem } from './message.js';
import { createThreadState } from './thread.js';
import { menuButton } from './menu.js';

const PAGE = 25;

export function createChannelView({ team, channel, me = null, onOpenConnectors, onOpenTeamSettings, onToggleDrawer, drawerButton }) {
  const list = h('ol.messages', { 'aria-label': `Messages in ${channel.displayName}` });
  const status = h('p.history-status', { role: 'status' });
  const olderBtn = h('button.button.link.load-older', { type: 'button', text: 'Load older messages', hidden: true });
  const sentinel = h('div.sentinel', { 'aria-hidden': 'true' });
  const scroller = h('div.stream', { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0', 'aria-label': 'Conversation' }, sentinel, olderBtn, status, list);
  const empty = h('p.empty', { text: 'No messages yet. Start the conversation, or add a connector from the \u2026 menu.', hidden: true });

  const composer = createComposer({ team, channel, onSent: (msg) => { addLive(msg); scrollToBottom(); } });

  const menu = menuButton({
    label: `More options for ${channel.displayName}`,
    items: [
      { label: 'Connectors', action: () => onOpenConnectors() },
      { label: 'Manage team', action: () => onOpenTeamSettings() },
    ],
  });

  const header = h('header.channel-header', {},
    drawerButton,
    h('div.channel-title', {}, h('h1', { text: channel.displayName }), h('span.team-name', { text: team.displayName })),
    menu);

  const root = h('section.channel', { 'aria-labelledby': 'channel-h1' }, header, h('div.stream-wrap', {}, scroller, empty), composer.root);
  header.querySelector('h1').id = 'channel-h1';

  const seen = new Set();
  // The message items by id (message.js) and the threads under them (thread.js).
  const msgItems = new Map();
  const threads = createThreadState();
  const itemFor = (m) => {
    const item = createMessageItem(m, { team, channel, me, threads });
    msgItems.set(m.id, item);
    return item.el;
  };
  let nextLink = null;
  let loading = false;
  let destroyed = false;

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const scrollToBottom = () => { scroller.scrollTop = scroller.scrollHeight; };

  function setOlder() {
    olderBtn.hidden = !nextLink;
    empty.hidden = seen.size > 0;
  }

  async function loadPage(url) {
    if (loading) return;
    loading = true;
    status.textContent = url ? 'Loading older messages\u2026' : 'Loading messages\u2026';
    try {
      const page = await get(url ? localPath(url) : `/v1.0/teams/${enc(team.id)}/channels/${enc(channel.id)}/messages?$top=${PAGE}&$expand=replies`);
      if (destroyed) return;
      const items = (page.value || []).filter((m) => !seen.has(m.id));
      const before = scroller.scrollHeight - scroller.scrollTop;
      const frag = document.createDocumentFragment();
      for (const m of items.slice().reverse()) {
        seen.add(m.id);
        frag.append(itemFor(m));
      }
      list.prepend(frag);
      nextLink = page['@odata.nextLink'] || null;
      status.textContent = url ? (items.length ? `Loaded ${items.length} older messages.` : '') : '';
      if (!url) scrollToBottom();
      else scroller.scrollTop = scroller.scrollHeight - before;
      if (!nextLink && url) status.textContent = 'This is the beginning of the conversation.';
    } catch (err) {
      status.textContent = err.message;
    } finally {
      loading = false;
      setOlder();
    }
    // If the first page does not fill the view, keep going so scrolling is possible.
    if (!destroyed && nextLink && scroller.scrollHeight <= scroller.clientHeight + 10) loadPage(nextLink);
  }

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && nextLink && !loading && seen.size) loadPage(nextLink);
  }, { root: scroller, rootMargin: '200px 0px 0px 0px' });
  observer.observe(sentinel);
  olderBtn.addEventListener('click', () => nextLink && loadPage(nextLink));

  function addLive(msg) {
    if (msg.replyToId) { threads.addReply(msg); return; }
    if (seen.has(msg.id)) return;
    seen.add(msg.id);
    const stick = nearBottom();
    list.append(itemFor(msg));
    setOlder();
    if (stick) scrollToBottom();
  }

  // A message changed (a card its service updated, an edit, a reaction, a delete): the item
  // updates in place, so focus, an open thread and a reply being typed stay.
  function replaceMessage(msg) {
    if (msg.replyToId) { threads.addReply(msg); return; }
    const item = msgItems.get(msg.id);
    if (item) item.update(msg);
  }

  loadPage(null);

  return {
    root,
    channelId: channel.id,
    addLive,
    replaceMessage,
    reload() { for (const it of msgItems.values()) it.destroy(); msgItems.clear(); list.replaceChildren(); seen.clear(); nextLink = null; loadPage(null); },
    focusComposer() { composer.focus(); },
    destroy() { destroyed = true; observer.disconnect(); composer.destroy(); for (const it of msgItems.values()) it.destroy(); },
  };
}
