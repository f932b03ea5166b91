// Reactions under a message: one button per reaction type with its count (pressed when it is
// yours: pressing it again takes it back), who reacted in the tooltip, on a long press or a
// right click (phones have no hover), and a small picker: Teams' six and a few emoji.
// The server keeps one reaction per person per message (another type replaces it).
import { h } from './dom.js';
import { t, formatNumber } from './i18n.js';

// Teams' reaction names, shown as their emoji.
export const TEAMS_REACTIONS = [
  ['like', '\u{1F44D}'], ['heart', '\u2764\uFE0F'], ['laugh', '\u{1F606}'],
  ['surprised', '\u{1F62E}'], ['sad', '\u{1F622}'], ['angry', '\u{1F620}'],
];
// The picker's names (Teams' six, then a few emoji sent as themselves).
const CHOICES = () => [
  { type: 'like', emoji: '\u{1F44D}', name: t('conversation.reaction.like') },
  { type: 'heart', emoji: '\u2764\uFE0F', name: t('conversation.reaction.heart') },
  { type: 'laugh', emoji: '\u{1F606}', name: t('conversation.reaction.laugh') },
  { type: 'surprised', emoji: '\u{1F62E}', name: t('conversation.reaction.surprised') },
  { type: 'sad', emoji: '\u{1F622}', name: t('conversation.reaction.sad') },
  { type: 'angry', emoji: '\u{1F620}', name: t('conversation.reaction.angry') },
  { type: '\u{1F389}', emoji: '\u{1F389}', name: t('conversation.reaction.party') },
  { type: '\u2705', emoji: '\u2705', name: t('conversation.reaction.done') },
  { type: '\u{1F440}', emoji: '\u{1F440}', name: t('conversation.reaction.eyes') },
  { type: '\u{1F64F}', emoji: '\u{1F64F}', name: t('conversation.reaction.thanks') },
  { type: '\u{1F525}', emoji: '\u{1F525}', name: t('conversation.reaction.fire') },
  { type: '\u{1F44F}', emoji: '\u{1F44F}', name: t('conversation.reaction.clap') },
];
const EMOJI = new Map(TEAMS_REACTIONS);

export function reactionEmoji(type) { return EMOJI.get(type) || type; }

// [{type, emoji, count, mine, names}] in the order each type was first given.
export function groupReactions(reactions, me) {
  const groups = new Map();
  for (const r of Array.isArray(reactions) ? reactions : []) {
    const type = r.reactionType;
    if (!type) continue;
    let g = groups.get(type);
    if (!g) groups.set(type, (g = { type, emoji: reactionEmoji(type), count: 0, mine: false, names: [] }));
    g.count++;
    const u = r.user && r.user.user;
    if (u && me && u.id === me.id) g.mine = true;
    g.names.push(u && u.id && me && u.id === me.id ? t('conversation.you') : (u && u.displayName) || t('conversation.someone'));
  }
  return [...groups.values()];
}

function whoLabel(g) {
  return t('conversation.reactedBy', { emoji: g.emoji, names: g.names.join(', '), count: g.count });
}

// onToggle(type, on): set (on) or unset the caller's reaction; resolves when the server answered.
export function createReactionsBar({ onToggle, readOnly = false }) {
  const el = h('div.reactions', { role: 'group', 'aria-label': t('conversation.reactions') });
  let popover = null;
  const closePopover = () => { if (popover) { popover.remove(); popover = null; } };

  function showWho(btn, g) {
    closePopover();
    popover = h('div.reaction-who', { role: 'tooltip' }, h('strong', { text: g.emoji + ' ' + formatNumber(g.count) }), h('ul', {}, g.names.map((n) => h('li', { text: n }))));
    btn.after(popover);
    const off = (e) => { if (!popover || popover.contains(e.target)) return; closePopover(); document.removeEventListener('pointerdown', off, true); };
    document.addEventListener('pointerdown', off, true);
  }

  function render(reactions, me) {
    closePopover();
    const groups = groupReactions(reactions, me);
    el.replaceChildren(...groups.map((g) => {
      const btn = h('button.reaction', {
        type: 'button', 'aria-pressed': g.mine ? 'true' : 'false', title: whoLabel(g), 'aria-label': whoLabel(g),
        dataset: { type: g.type }, disabled: readOnly,
      }, h('span.reaction-emoji', { 'aria-hidden': 'true', text: g.emoji }), h('span.reaction-count', { 'aria-hidden': 'true', text: formatNumber(g.count) }));
      let timer = null;
      let longPressed = false;
      btn.addEventListener('pointerdown', (e) => {
        if (e.pointerType !== 'touch') return;
        longPressed = false;
        timer = setTimeout(() => { longPressed = true; showWho(btn, g); }, 500);
      });
      const cancel = () => clearTimeout(timer);
      btn.addEventListener('pointerup', cancel);
      btn.addEventListener('pointerleave', cancel);
      btn.addEventListener('contextmenu', (e) => { e.preventDefault(); showWho(btn, g); });
      btn.addEventListener('click', () => {
        if (longPressed) { longPressed = false; return; }
        onToggle(g.type, !g.mine);
      });
      return btn;
    }));
    el.hidden = groups.length === 0;
  }
  return { el, render };
}

// The picker: a button that opens a grid of reactions. Arrows move, Enter picks, Esc closes.
let pickerSeq = 0;
export function reactionPicker({ onPick, label = t('conversation.addReaction') }) {
  const id = `reaction-picker-${++pickerSeq}`;
  const button = h('button.icon-button.react-button', { type: 'button', 'aria-haspopup': 'true', 'aria-expanded': 'false', 'aria-controls': id, 'aria-label': label, title: label, text: '\u{1F642}' });
  // The choices are made when the picker first opens: a channel shows many messages, each
  // with a picker, and the list keeps few DOM nodes per message (history.js's budget).
  let choices = [];
  let items = [];
  const panel = h('div.reaction-picker', { id, role: 'group', 'aria-label': label, hidden: true });
  const wrap = h('div.picker-wrap', {}, button, panel);
  const onDoc = (e) => { if (!wrap.contains(e.target)) close(false); };
  function build() {
    choices = CHOICES();
    items = choices.map((c, i) => {
      const b = h('button.reaction-choice', { type: 'button', tabindex: '-1', 'aria-label': c.name, title: c.name, text: c.emoji, dataset: { type: c.type } });
      b.addEventListener('click', () => { close(true); onPick(choices[i].type); });
      return b;
    });
    panel.replaceChildren(...items);
  }
  function open() {
    if (!items.length) build();
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    items[0].tabIndex = 0;
    items[0].focus();
    document.addEventListener('pointerdown', onDoc, true);
  }
  function close(focus = true) {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', onDoc, true);
    if (focus) button.focus();
  }
  button.addEventListener('click', () => (panel.hidden ? open() : close()));
  panel.addEventListener('keydown', (e) => {
    const i = items.indexOf(document.activeElement);
    const per = 6;
    let j = null;
    if (e.key === 'ArrowRight') j = (i + 1) % items.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + items.length) % items.length;
    else if (e.key === 'ArrowDown') j = Math.min(i + per, items.length - 1);
    else if (e.key === 'ArrowUp') j = Math.max(i - per, 0);
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = items.length - 1;
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); return; }
    else if (e.key === 'Tab') { close(false); return; }
    if (j !== null) { e.preventDefault(); items[j].focus(); }
  });
  return { el: wrap, open, close };
}
