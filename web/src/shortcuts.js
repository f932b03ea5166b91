// Keyboard shortcuts of the whole app: Ctrl/Cmd+K the quick switcher, Alt+Up/Down the previous
// or next channel, `?` (outside text fields) the list of shortcuts, Ctrl/Cmd+Shift+F search,
// Escape closes what is open (dialogs and menus handle it themselves). The list shown by `?`
// is this table, so it cannot drift from what the keys do.
import { h } from './dom.js';
import { openDialog } from './dialog.js';
import { t } from './i18n.js';

const mac = /Mac|iPhone|iPad/.test(navigator.platform || '');
const mod = () => (mac ? '\u2318' : t('history.keyCtrl'));

export const SHORTCUTS = [
  { keys: () => [mod(), 'K'], action: 'history.shortcutSwitcher' },
  { keys: () => [t('history.keyAlt'), '\u2191'], action: 'history.shortcutPrevChannel' },
  { keys: () => [t('history.keyAlt'), '\u2193'], action: 'history.shortcutNextChannel' },
  { keys: () => [mod(), t('history.keyShift'), 'F'], action: 'history.shortcutSearch' },
  { keys: () => ['?'], action: 'history.shortcutHelp' },
  { keys: () => [t('history.keyEscape')], action: 'history.shortcutEscape' },
  { keys: () => [t('history.keyEnter')], action: 'history.shortcutSend' },
  { keys: () => [t('history.keyShift'), t('history.keyEnter')], action: 'history.shortcutNewline' },
];

export function openShortcutsHelp() {
  const d = openDialog({ title: t('history.shortcutsTitle'), className: 'shortcuts-dialog' });
  d.body.append(h('table.shortcuts', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('history.shortcutKeys') }), h('th', { scope: 'col', text: t('history.shortcutAction') }))),
    h('tbody', {}, ...SHORTCUTS.map((s) => h('tr', {},
      h('td', {}, ...s.keys().flatMap((k, i) => (i ? [' + ', h('kbd', { text: k })] : [h('kbd', { text: k })]))),
      h('td', { text: t(s.action) }))))));
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
