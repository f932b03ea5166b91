// `<at>Name</at>` mentions as Teams shows them: a mention pill when the card's
// msteams.entities has a mention with that exact text, else the name as plain text; never the
// literal tag. Texts go through markdown first, so a mention is swapped for a marker of
// private-use characters (which markdown and the sanitizer leave alone) and the marker for the
// pill in the rendered DOM.
import { h } from '../dom.js';

const AT = /<at>([\s\S]*?)<\/at>/gi;
const MARK = /\uE000(\d+)\uE001/g;
// Where a text is shown as rich text (markdown), so a pill can stand in it.
const RICH_KEYS = new Set(['text']);
// Other shown strings: the tag is dropped, its text stays.
const PLAIN_KEYS = new Set(['title', 'value', 'label', 'placeholder', 'altText', 'fallbackText', 'errorMessage', 'tooltip']);

// The card's `msteams` member, whatever the case of its name (integrations also send
// `msTeams`; Teams reads the payload without regard to case).
export function teamsPropsOf(card) {
  if (!card || typeof card !== 'object') return null;
  const key = Object.keys(card).find((k) => k.toLowerCase() === 'msteams');
  const v = key ? card[key] : null;
  return v && typeof v === 'object' ? v : null;
}

function entitiesOf(card) {
  const props = teamsPropsOf(card);
  const list = props && Array.isArray(props.entities) ? props.entities : [];
  const byText = new Map();
  for (const e of list) {
    if (!e || e.type !== 'mention' || typeof e.text !== 'string') continue;
    const m = e.mentioned && typeof e.mentioned === 'object' ? e.mentioned : {};
    byText.set(e.text, { id: typeof m.id === 'string' ? m.id : '', name: typeof m.name === 'string' ? m.name : '' });
  }
  return byText;
}

// Returns {card, mentions}: a copy of the card with its mentions replaced by markers, and the
// mentions the markers number ({text, id, name} or {text} for one without an entity).
export function markMentions(card) {
  const byText = entitiesOf(card);
  const mentions = [];
  // The card's own private-use markers are dropped first: only ours name a mention.
  const rich = (s) => s.replace(/[\uE000\uE001]/g, '').replace(AT, (tag, inner) => {
    const e = byText.get(tag);
    mentions.push(e ? { text: inner, ...e } : { text: inner });
    return `\uE000${mentions.length - 1}\uE001`;
  });
  const plain = (s) => s.replace(AT, (tag, inner) => inner);
  const walk = (v, key, inFacts) => {
    if (typeof v === 'string') {
      if (!v.includes('<') && !/[\uE000\uE001]/.test(v)) return v;
      if (RICH_KEYS.has(key) || (inFacts && (key === 'title' || key === 'value'))) return rich(v);
      return PLAIN_KEYS.has(key) ? plain(v) : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key, key === 'facts'));
    if (!v || typeof v !== 'object') return v;
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = k.toLowerCase() === 'msteams' ? x : walk(x, k, inFacts);
    return out;
  };
  return { card: walk(card, '', false), mentions };
}

// Replaces the markers in root's text with the mentions.
export function renderMentions(root, mentions) {
  if (!mentions.length) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.nodeValue.includes('\uE000')) nodes.push(n);
  for (const node of nodes) {
    const parts = [];
    let last = 0;
    const s = node.nodeValue;
    for (const m of s.matchAll(MARK)) {
      parts.push(s.slice(last, m.index));
      const mention = mentions[Number(m[1])];
      if (!mention) parts.push('');
      else if (mention.id === undefined) parts.push(mention.text);
      else {
        parts.push(h('span.ac-mention', {
          text: mention.text, title: mention.name || mention.text,
          dataset: { mentionId: mention.id },
        }));
      }
      last = m.index + m[0].length;
    }
    parts.push(s.slice(last));
    node.replaceWith(...parts.filter((p) => p !== ''));
  }
}
