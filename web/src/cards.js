// Cards where a view shows one (a message's attachments, the connector previews): the renderers
// (cardrender.js, with the Adaptive Cards library and Swiper, ~450 KB) are loaded on the first
// card that must be drawn, not with the client. cardNode() answers at once: the card itself once
// the renderers are loaded, a placeholder until then (about the card's height, so the list does
// not jump much when the card replaces it; a list kept at its bottom stays there).
import { h } from './dom.js';
import { t } from './i18n.js';

export const MESSAGE_CARD = 'application/vnd.microsoft.teams.card.o365connector';
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

let renderers = null; // the module, once loaded
let loading = null; // its import() promise

export function loadCardRenderers() {
  if (!loading) {
    loading = import('./cardrender.js').then((m) => { renderers = m; return m; });
    loading.catch(() => { loading = null; }); // a later card tries again
  }
  return loading;
}

function draw(m, type, content, ctx) {
  return type === MESSAGE_CARD ? m.renderMessageCard(content, ctx) : m.renderAdaptiveCard(content, ctx);
}

// A rough height for the placeholder, from what the card lists: a line per element, fact and
// section, a row of buttons for the actions. Cards vary: it only has to be close.
function estimateHeight(type, c) {
  const n = (v) => (Array.isArray(v) ? v.length : 0);
  let lines;
  if (type === MESSAGE_CARD) {
    lines = (c.title ? 1 : 0) + (c.text ? 2 : 0);
    for (const s of Array.isArray(c.sections) ? c.sections : []) lines += 1 + n(s && s.facts) + (s && s.text ? 1 : 0);
    lines += n(c.potentialAction) ? 2 : 0;
  } else {
    lines = n(c.body) + (n(c.actions) ? 2 : 0);
  }
  return Math.min(600, 32 + 22 * Math.max(1, lines));
}

// The scrolling list the node is in, and whether it is scrolled to its bottom.
function scrollerOf(node) {
  for (let el = node.parentElement; el; el = el.parentElement) {
    if (el.scrollHeight > el.clientHeight && /(auto|scroll)/.test(getComputedStyle(el).overflowY)) return el;
  }
  return null;
}

// type: MESSAGE_CARD or ADAPTIVE_CARD; ctx as renderMessageCard/renderAdaptiveCard take it.
export function cardNode(type, content, ctx = null) {
  if (renderers) return draw(renderers, type, content, ctx);
  const holder = h('div.card.card-pending', { 'aria-busy': 'true' },
    h('span.visually-hidden', { text: t('conversation.cardLoading') }));
  holder.style.height = `${estimateHeight(type, content)}px`;
  loadCardRenderers().then((m) => {
    const scroller = holder.isConnected ? scrollerOf(holder) : null;
    const atBottom = scroller && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
    holder.replaceWith(draw(m, type, content, ctx));
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
  }, () => {
    holder.replaceWith(h('p.card-error', { text: t('connectors.card.notShown') }));
  });
  return holder;
}
