// The colour theme of the whole client: light, dark or high contrast (Teams' three themes).
// Contract (docs/web-client.md; adaptive.js relies on it):
// - <html data-theme="light|dark|contrast"> is the effective theme, set as soon as this module
//   is imported (main.js imports it first, so the first paint already has it);
// - the person's setting is localStorage['sb.theme']: 'system' (default), 'light', 'dark' or
//   'contrast'; 'system' follows prefers-color-scheme, and forced-colors: active or
//   prefers-contrast: more give 'contrast';
// - when the effective theme changes, window gets the event 'sb-themechange' with detail.theme;
// - currentTheme() returns the effective theme.
// <meta name="color-scheme"> follows, so form controls and scrollbars match. themeMenu() is the
// person's setting (in the top bar, shell.js).
import { menuButton } from './menu.js';
import { t } from './i18n.js';

const KEY = 'sb.theme';
export const THEME_SETTINGS = ['system', 'light', 'dark', 'contrast'];

const media = (q) => (typeof window.matchMedia === 'function' ? window.matchMedia(q) : null);
const darkQuery = media('(prefers-color-scheme: dark)');
const contrastQueries = [media('(forced-colors: active)'), media('(prefers-contrast: more)')].filter(Boolean);

// Where storage is disabled the choice made on this page still counts, for this page.
let unstored = null;

function readSetting() {
  let v = unstored;
  try { v = window.localStorage.getItem(KEY); } catch { /* storage disabled: the page's choice */ }
  return THEME_SETTINGS.includes(v) ? v : 'system';
}

function systemTheme() {
  if (contrastQueries.some((q) => q.matches)) return 'contrast';
  return darkQuery && darkQuery.matches ? 'dark' : 'light';
}

function effective(setting) {
  return setting === 'system' ? systemTheme() : setting;
}

let applied = null;

function apply() {
  const theme = effective(readSetting());
  const root = document.documentElement;
  root.dataset.theme = theme;
  const meta = document.querySelector('meta[name="color-scheme"]');
  if (meta) meta.setAttribute('content', theme === 'light' ? 'light' : 'dark');
  if (theme !== applied) {
    const first = applied === null;
    applied = theme;
    if (!first) window.dispatchEvent(new CustomEvent('sb-themechange', { detail: { theme } }));
  }
}

export function currentTheme() {
  return applied || effective(readSetting());
}

export function themeSetting() {
  return readSetting();
}

// Stores the person's choice ('system' removes it) and applies it at once.
export function setThemeSetting(value) {
  // i18n-ignore: a programming error, never shown to people
  if (!THEME_SETTINGS.includes(value)) throw new Error(`unknown theme setting ${value}`);
  unstored = value;
  try {
    if (value === 'system') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, value);
  } catch { /* storage disabled: kept in `unstored` */ }
  apply();
}

for (const q of [darkQuery, ...contrastQueries]) if (q) q.addEventListener('change', apply);
// Another tab changed the setting.
window.addEventListener('storage', (e) => { if (e.key === KEY || e.key === null) apply(); });
apply();

// The person's setting in the top bar: a menu button whose entries are radio items.
const LABELS = { system: 'admin.theme.system', light: 'admin.theme.light', dark: 'admin.theme.dark', contrast: 'admin.theme.contrast' };

export function themeMenu() {
  const items = THEME_SETTINGS.map((value) => ({ label: t(LABELS[value]), action: () => { setThemeSetting(value); mark(); } }));
  const wrap = menuButton({ label: t('admin.theme.menu'), items, text: '\u25D0' });
  wrap.classList.add('theme-menu');
  const entries = [...wrap.querySelectorAll('[role=menuitem]')];
  function mark() {
    const current = themeSetting();
    entries.forEach((li, i) => {
      li.setAttribute('role', 'menuitemradio');
      li.setAttribute('aria-checked', String(THEME_SETTINGS[i] === current));
    });
  }
  mark();
  // The setting may have changed in another tab: the entries are marked again on opening.
  const button = wrap.querySelector('button');
  button.addEventListener('click', mark);
  button.addEventListener('keydown', mark);
  return wrap;
}
