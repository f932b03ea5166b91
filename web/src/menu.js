// A menu button (WAI-ARIA menu button pattern): Enter/Space/ArrowDown open it, arrows move,
// Escape closes and returns focus, a click outside closes.
import { h } from './dom.js';

let seq = 0;
export function menuButton({ label, items, text = '\u2026' }) {
  const id = `menu-${++seq}`;
  const button = h('button.icon-button.menu-button', { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': id, 'aria-label': label, title: label, text });
  const menu = h('ul.menu', { id, role: 'menu', 'aria-label': label, hidden: true });
  const entries = items.map((it) => {
    const li = h('li', { role: 'menuitem', tabindex: '-1', text: it.label });
    li.addEventListener('click', () => { close(true); it.action(); });
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); close(true); it.action(); }
    });
    menu.append(li);
    return li;
  });
  const wrap = h('div.menu-wrap', {}, button, menu);

  const onDocClick = (e) => { if (!wrap.contains(e.target)) close(false); };
  function open(index = 0) {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    entries[index].focus();
    document.addEventListener('mousedown', onDocClick);
  }
  function close(focusButton = true) {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('mousedown', onDocClick);
    if (focusButton) button.focus();
  }
  button.addEventListener('click', () => (menu.hidden ? open() : close()));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); open(0); }
    if (e.key === 'ArrowUp') { e.preventDefault(); open(entries.length - 1); }
  });
  menuKeys(menu, () => entries, close);
  return wrap;
}

// Arrow keys, Home and End move through a menu's items (items() gives them, as the menu has them
// now); Escape closes it onto its button, Tab closes it and lets the focus go on (the WAI-ARIA
// menu button pattern). menuButton, the user menu and a message's menu share it.
export function menuKeys(menu, items, close) {
  menu.addEventListener('keydown', (e) => {
    const entries = items();
    const n = entries.length;
    if (!n) { if (e.key === 'Escape' || e.key === 'Tab') close(e.key === 'Escape'); return; }
    const i = entries.indexOf(document.activeElement);
    if (e.key === 'ArrowDown') { e.preventDefault(); entries[(i + 1) % n].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); entries[(i - 1 + n) % n].focus(); }
    else if (e.key === 'Home') { e.preventDefault(); entries[0].focus(); }
    else if (e.key === 'End') { e.preventDefault(); entries[n - 1].focus(); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); }
    else if (e.key === 'Tab') close(false);
  });
}
