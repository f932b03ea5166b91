// @-autocomplete in a composer: typing "@" and a few letters lists the team's members and the
// channel; picking one writes "@Name" into the text and remembers who it names, so that the
// composer sends an <at id> tag and a matching `mentions` entry (format.js, contract §6).
// The textarea stays the focus (combobox pattern: aria-activedescendant on the textarea).
import { h } from './dom.js';
import { get, enc } from './api.js';
import { t } from './i18n.js';

// Members per team, asked once per page load (the list changes rarely; a failed fetch is
// asked again next time).
const membersCache = new Map();
export function teamMembers(teamId) {
  if (!membersCache.has(teamId)) {
    const p = get(`/v1.0/teams/${enc(teamId)}/members`).then((r) => (r && r.value) || []);
    p.catch(() => membersCache.delete(teamId));
    membersCache.set(teamId, p);
  }
  return membersCache.get(teamId);
}

const MAX = 8;
let seq = 0;

// picked: the array the composer sends from (entries {text, mentioned}); onChange after a pick.
export function attachMentionPicker(textarea, { team, channel, picked, onChange }) {
  const id = `mention-list-${++seq}`;
  const list = h('ul.mention-list', { id, role: 'listbox', 'aria-label': t('conversation.mentionSuggestions'), hidden: true });
  textarea.setAttribute('aria-autocomplete', 'list');
  // aria-expanded is not allowed on a textarea (it cannot be a combobox): the list's own
  // visibility and aria-activedescendant carry it.
  textarea.setAttribute('aria-controls', id);
  let options = [];
  let active = 0;
  let query = null; // {start, text} of the "@..." being typed

  function close() {
    list.hidden = true;
    options = [];
    query = null;
    textarea.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    active = i;
    options.forEach((o, j) => o.el.setAttribute('aria-selected', j === i ? 'true' : 'false'));
    if (options[i]) {
      textarea.setAttribute('aria-activedescendant', options[i].el.id);
      options[i].el.scrollIntoView({ block: 'nearest' });
    }
  }

  function pick(i) {
    const o = options[i];
    if (!o || !query) return;
    const before = textarea.value.slice(0, query.start);
    const after = textarea.value.slice(textarea.selectionStart);
    const insert = '@' + o.text + ' ';
    textarea.value = before + insert + after;
    const caret = before.length + insert.length;
    textarea.setSelectionRange(caret, caret);
    picked.push({ text: o.text, mentioned: o.mentioned });
    close();
    if (onChange) onChange();
  }

  async function update() {
    const caret = textarea.selectionStart;
    const upto = textarea.value.slice(0, caret);
    const m = /(^|\s)@([^\s@]{0,30}(?: [^\s@]{0,30})?)$/u.exec(upto);
    if (!m || textarea.selectionEnd !== caret) { close(); return; }
    const start = caret - m[2].length - 1;
    // A mention already picked and complete ("@Ann Lee" right before the caret) is not asked
    // about again: Enter then sends.
    if (picked.some((p) => p.text === m[2])) { close(); return; }
    const q = m[2].toLowerCase();
    query = { start, text: m[2] };
    let members = [];
    try { members = await teamMembers(team.id); } catch { members = []; }
    if (!query || query.start !== start || textarea.selectionStart !== caret) return; // typed on
    const words = (s) => String(s || '').toLowerCase().split(/\s+/);
    const matches = (name) => !q || String(name || '').toLowerCase().startsWith(q) || words(name).some((w) => w.startsWith(q));
    const found = [];
    if (matches(channel.displayName)) {
      found.push({ text: channel.displayName, hint: t('conversation.mentionChannel'), mentioned: { conversation: { id: channel.id, displayName: channel.displayName, conversationIdentityType: 'channel' } } });
    }
    for (const mb of members) {
      if (!mb.userId || !matches(mb.displayName)) continue;
      found.push({ text: mb.displayName, hint: mb.email || '', mentioned: { user: { id: mb.userId, displayName: mb.displayName } } });
      if (found.length >= MAX) break;
    }
    if (!found.length) { close(); return; }
    options = found.map((o, i) => {
      const el = h('li.mention-option', { id: `${id}-${i}`, role: 'option', 'aria-selected': 'false' },
        h('span.mention-name', { text: o.text }), o.hint ? h('span.mention-hint', { text: o.hint }) : null);
      el.addEventListener('mousedown', (e) => { e.preventDefault(); pick(i); });
      return { ...o, el };
    });
    list.replaceChildren(...options.map((o) => o.el));
    list.hidden = false;
    setActive(0);
  }

  textarea.addEventListener('input', update);
  textarea.addEventListener('click', update);
  textarea.addEventListener('blur', () => setTimeout(close, 150));

  return {
    el: list,
    // The composer asks first: true when the key was the picker's (Enter picks, not sends).
    handleKey(e) {
      if (list.hidden || !options.length) return false;
      if (e.key === 'ArrowDown') setActive((active + 1) % options.length);
      else if (e.key === 'ArrowUp') setActive((active - 1 + options.length) % options.length);
      else if (e.key === 'Enter' || e.key === 'Tab') pick(active);
      else if (e.key === 'Escape') close();
      else return false;
      e.preventDefault();
      e.stopPropagation();
      return true;
    },
    close,
  };
}
