// Keyboard shortcuts of the whole app: Ctrl/Cmd+K the quick switcher, Alt+Up/Down the previous
// or next channel, `?` (outside text fields) the list of shortcuts, Ctrl/Cmd+Shift+F search,
// Escape closes what is open (dialogs and menus handle it themselves). The list shown by `?`
// is this table, so it cannot drift from what the keys do.
import { h } from './dom.js';
import { openDialog } from './dialog.js';
import { t } from './i18n.js';

const mac = /Mac|iPhone|iPad/.test(navigator.platform || '');

export const SHORTCUTS = [
  { keys: () => [mac ? '\u2318' : 'Ctrl', 'K'], label: 'history.shortcutSwitcher' },
  { keys: () => ['Alt', '\u2191'], label: 'history.shortcutPrevChannel' },
  { keys: () => ['Alt', '\u2193'], label: 'history.shortcutNextChannel' },
  { keys: () => [mac ? '\u2318' : 'Ctrl', 'Shift', 'F'], label: 'history.shortcutSearch' },
  { keys: () => ['?'], label: 'history.shortcutHelp' },
  { keys: () => ['Esc'], label: 'history.shortcutEscape' },
  { keys: () => ['Enter'], label: 'history.shortcutSend' },
  { keys: () => ['Shift', 'Enter'], label: 'history.shortcutNewline' },
];

export function openShortcutsHelp() {
  const d = openDialog({ title: t('history.shortcutsTitle'), className: 'shortcuts-dialog' });
  d.body.append(h('table.shortcuts', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('history.shortcutKeys') }), h('th', { scope: 'col', text: t('history.shortcutAction') }))),
    h('tbody', {}, ...SHORTCUTS.map((s) => h('tr', {},
      h('td', {}, ...s.keys().flatMap((k, i) => (i ? [' + ', h('kbd', { text: k })] : [h('kbd', { text: k })]))),
      h('td', { text: t(s.label) }))))));
  d.focusFirst();
  return d;
}

const editable = (el) => !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
const dialogOpen = () => !!document.querySelector('dialog[open]');

// handlers: {switcher(), move(delta), search()}; returns a function that removes them.
export function installShortcuts(handlers) {
  const onKey = (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const mod = mac ? e.metaKey : e.ctrlKey;
    if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      if (!dialogOpen()) handlers.switcher();
    } else if (mod && e.shiftKey && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      if (!dialogOpen()) handlers.search();
    } else if (e.altKey && !mod && !e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      if (dialogOpen()) return;
      e.preventDefault();
      handlers.move(e.key === 'ArrowUp' ? -1 : 1);
    } else if (e.key === '?' && !mod && !e.altKey && !editable(e.target) && !dialogOpen()) {
      e.preventDefault();
      openShortcutsHelp();
    }
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
