// The language setting: a menu of the client's languages (each named in its own language),
// stored by i18n.js (localStorage sb.lang, the browser's language until chosen). The page
// reloads so every view is drawn again in the new language.
import { menuButton } from './menu.js';
import { t, lang, setLang, LANGUAGES } from './i18n.js';

export function languageMenu({ reload = () => location.reload() } = {}) {
  const items = LANGUAGES.map((l) => ({ label: l.label, action: () => { if (l.id !== lang()) { setLang(l.id); reload(); } } }));
  // The button shows the current language's code; its name contains it (WCAG 2.5.3).
  const wrap = menuButton({ label: t('admin.language.button', { code: lang().toUpperCase() }), items, text: lang().toUpperCase() });
  wrap.classList.add('language-menu');
  const entries = [...wrap.querySelectorAll('[role=menuitem]')];
  LANGUAGES.forEach((l, i) => {
    const li = entries[i];
    li.setAttribute('role', 'menuitemradio');
    li.setAttribute('aria-checked', String(l.id === lang()));
    li.setAttribute('lang', l.id);
  });
  return wrap;
}

// The same choice as items of the user menu (usermenu.js addUserMenuItem), for when the top
// bar's entries move there: one item per language, named in its own language.
export function languageMenuItems({ reload = () => location.reload() } = {}) {
  return LANGUAGES.map((l) => ({ id: `language-${l.id}`, label: l.label, action: () => { if (l.id !== lang()) { setLang(l.id); reload(); } } }));
}
