// The quick switcher (Ctrl/Cmd+K): a combobox over every channel of the person's teams (and the
// teams' feeds), filtered as one types; Up/Down move, Enter opens, Escape closes.
import { h } from './dom.js';
import { openDialog } from './dialog.js';
import { t } from './i18n.js';

let seq = 0;

// entries: [{label, detail, open()}], best first when nothing is typed (recent channels).
export function openSwitcher(entries) {
  const d = openDialog({ title: t('history.switcherTitle'), className: 'switcher-dialog' });
  const listId = `switcher-list-${++seq}`;
  const input = h('input.switcher-input', { type: 'text', role: 'combobox', 'aria-expanded': 'true', 'aria-controls': listId, 'aria-autocomplete': 'list', autocomplete: 'off', 'aria-label': t('history.switcherLabel'), placeholder: t('history.switcherPlaceholder') });
  const list = h('ul.switcher-list', { id: listId, role: 'listbox', 'aria-label': t('history.switcherResults') });
  const status = h('p.visually-hidden', { role: 'status' });
  d.body.append(input, list, status);
  let shown = [];
  let active = 0;

  function setActive(i) {
    active = Math.max(0, Math.min(shown.length - 1, i));
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === active)));
    const li = list.children[active];
    if (li) { input.setAttribute('aria-activedescendant', li.id); li.scrollIntoView({ block: 'nearest' }); } else input.removeAttribute('aria-activedescendant');
  }
  function filter() {
    const q = input.value.trim().toLowerCase();
    const words = q.split(/\s+/).filter(Boolean);
    shown = entries.filter((e) => words.every((w) => (e.label + ' ' + e.detail).toLowerCase().includes(w))).slice(0, 50);
    list.replaceChildren(...shown.map((e, i) => {
      const li = h('li.switcher-option', { id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false' },
        h('span.switcher-label', { text: e.label }), h('span.switcher-detail', { text: e.detail }));
      li.addEventListener('mousedown', (ev) => ev.preventDefault());
      li.addEventListener('click', () => choose(i));
      return li;
    }));
    status.textContent = shown.length ? t('history.switcherCount', { count: shown.length }) : t('history.switcherNone');
    setActive(0);
  }
  function choose(i) {
    const e = shown[i];
    if (!e) return;
    d.close();
    e.open();
  }
  input.addEventListener('input', filter);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive(active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive(active - 1); }
    else if (e.key === 'Enter') { e.preventDefault(); choose(active); }
  });
  filter();
  input.focus();
  return d;
}
