// A message's "More options" menu (WAI-ARIA menu button): its items are asked for when it
// opens (whether you may edit or delete depends on the message as it is then, and on your role
// in the team, fetched once). Enter/Space/ArrowDown open it, arrows move, Escape closes.
import { h } from './dom.js';
import { t } from './i18n.js';
import { menuKeys } from './menu.js';

let seq = 0;
// items(): Promise<[{id, label, action}]> (an empty list leaves the menu closed).
export function messageMenu({ label, items }) {
  const id = `msg-menu-${++seq}`;
  const button = h('button.icon-button.message-menu-button', { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': id, 'aria-label': label, title: label, text: '\u2026' });
  const menu = h('ul.menu.message-menu', { id, role: 'menu', 'aria-label': label, hidden: true });
  const wrap = h('div.menu-wrap', {}, button, menu);
  let entries = [];
  const onDoc = (e) => { if (!wrap.contains(e.target)) close(false); };

  async function open(index = 0) {
    const list = await items();
    if (!list.length) {
      menu.replaceChildren(h('li.menu-empty', { role: 'none', text: t('conversation.noActions') }));
      entries = [];
    } else {
      entries = list.map((it) => {
        const li = h('li', { role: 'menuitem', tabindex: '-1', text: it.label, dataset: { action: it.id } });
        const run = () => { close(true); it.action(); };
        li.addEventListener('click', run);
        li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); run(); } });
        return li;
      });
      menu.replaceChildren(...entries);
    }
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    (entries[index < 0 ? entries.length - 1 : index] || button).focus();
    document.addEventListener('mousedown', onDoc);
  }
  function close(focusButton = true) {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('mousedown', onDoc);
    if (focusButton && button.isConnected) button.focus();
  }
  button.addEventListener('click', () => (menu.hidden ? open() : close()));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); open(0); }
    if (e.key === 'ArrowUp') { e.preventDefault(); open(-1); }
    if (e.key === 'Escape' && !menu.hidden) { e.preventDefault(); close(true); }
  });
  menuKeys(menu, () => entries, close);
  return { el: wrap, open, close, button };
}
