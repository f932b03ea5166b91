// Adaptive Cards 1.6 responsive layout: an element with `targetWidth` (veryNarrow, narrow,
// standard, wide, atLeast:X, atMost:X) shows only when the card's width is in that category.
// The renderer (adaptivecards 3.0.6) does not know the property: the elements that have one
// get an id here, and their visibility follows the card's width through a ResizeObserver.
import { WIDTH_BREAKPOINTS } from './hostconfig.js';

const ORDER = ['veryNarrow', 'narrow', 'standard', 'wide'];
let counter = 0;

function rank(name) {
  return ORDER.findIndex((x) => x.toLowerCase() === String(name).trim().toLowerCase());
}

function category(width) {
  if (width <= WIDTH_BREAKPOINTS.veryNarrow) return 0;
  if (width <= WIDTH_BREAKPOINTS.narrow) return 1;
  if (width <= WIDTH_BREAKPOINTS.standard) return 2;
  return 3;
}

// Whether an element with targetWidth `tw` shows at category `cat`; an unknown value shows.
export function matches(tw, cat) {
  const m = /^\s*(atleast|atmost)\s*:\s*(\w+)\s*$/i.exec(tw);
  const r = rank(m ? m[2] : tw);
  if (r < 0) return true;
  if (!m) return r === cat;
  return m[1].toLowerCase() === 'atleast' ? cat >= r : cat <= r;
}

// Returns {card, targets}: a copy of the card in which every element with a string
// targetWidth has an id, and the map id -> {tw, visible} (visible: isVisible as the card says:
// an element the card hides stays hidden at its width too).
export function markTargetWidths(card) {
  const targets = new Map();
  const walk = (v) => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = k.toLowerCase() === 'msteams' ? x : walk(x);
    if (typeof out.type === 'string' && typeof out.targetWidth === 'string' && out.type !== 'AdaptiveCard' && !out.type.startsWith('Action.')) {
      if (typeof out.id !== 'string' || !out.id) out.id = `sb-tw-${++counter}`;
      targets.set(out.id, { tw: out.targetWidth, visible: out.isVisible !== false });
    }
    return out;
  };
  return { card: walk(card), targets };
}

// Shows and hides card's targeted elements as wrap's width changes; returns the observer (to
// disconnect when the card is rendered again), or null.
export function followWidth(card, wrap, targets) {
  if (!targets.size || typeof ResizeObserver === 'undefined') return null;
  let current = -1;
  const update = () => {
    const cat = category(wrap.clientWidth);
    if (cat === current || !wrap.clientWidth) return;
    current = cat;
    for (const [id, { tw, visible }] of targets) {
      const el = card.getElementById(id);
      if (el) el.isVisible = visible && matches(tw, cat);
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(wrap);
  return observer;
}
