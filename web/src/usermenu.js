// The user menu behind the topbar's avatar and name (the WAI-ARIA menu button pattern). Other
// modules register their items with addUserMenuItem({id, label, action, visible, lang}); label may be
// a function (read when the menu opens, so it follows the language), visible a function saying
// whether the item shows now. Items keep the order they were added in; an id added twice
// replaces the first.
import { h, avatar } from './dom.js';
import { t } from './i18n.js';
import { menuKeys } from './menu.js';

const registered = [];

export function addUserMenuItem(item) {
  const i = registered.findIndex((x) => x.id === item.id);
  if (i >= 0) registered[i] = item; else registered.push(item);
}

export function removeUserMenuItem(id) {
  const i = registered.findIndex((x) => x.id === id);
  if (i >= 0) registered.splice(i, 1);
}

export function userMenu(user) {
  const label = t('common.userMenu');
  // The button is the avatar, named "Profile menu"; the name beside it is text that opens the
  // menu too (inside the button it would have to be part of the button's name).
  const av = avatar(user.displayName, null, 28);
  // The initials are drawn by CSS (attr()), so the button's only text is its name.
  for (const ini of av.querySelectorAll('.avatar-initials')) { ini.dataset.initials = ini.textContent; ini.textContent = ''; }
  const button = h('button.me-button', { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'user-menu', 'aria-label': label, title: label }, av);
  const name = h('span.me-name', { text: user.displayName });
  name.addEventListener('click', () => button.click());
  const menu = h('ul.menu#user-menu', { role: 'menu', 'aria-label': label, hidden: true });
  const wrap = h('div.menu-wrap.me', {}, button, name, menu);
  let entries = [];

  const onDocClick = (e) => { if (!wrap.contains(e.target)) close(false); };
  function build() {
    entries = [];
    menu.replaceChildren();
    // Sign out stays last whoever adds items after it.
    const ordered = registered.filter((x) => x.id !== 'signout').concat(registered.filter((x) => x.id === 'signout'));
    for (const it of ordered) {
      if (it.visible && !it.visible()) continue;
      // lang: an item named in another language (the language choices) says which.
      const li = h('li', { role: 'menuitem', tabindex: '-1', lang: it.lang || null, text: typeof it.label === 'function' ? it.label() : it.label });
      const run = () => { close(true); it.action(); };
      li.addEventListener('click', run);
      li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); run(); } });
      menu.append(li);
      entries.push(li);
    }
  }
  function open(index = 0) {
    build();
    if (!entries.length) return;
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    entries[(index + entries.length) % entries.length].focus();
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
    if (e.key === 'ArrowUp') { e.preventDefault(); open(-1); }
  });
  menuKeys(menu, () => entries, close);
  return wrap;
}
