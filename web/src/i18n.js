// Languages: every person-facing string of the web client comes from a message catalog through
// t(). English and French; the browser's language by default, a setting (localStorage sb.lang)
// to change it. Dates and numbers go through Intl with the same locale.
//
// A catalog entry is a string with {name} placeholders, or, for counts, an object of
// Intl.PluralRules categories ({one, other}) chosen by the `count` parameter. A key missing in
// French falls back to English; a key missing in English is a programming error and shows the
// key itself (scripts/check-web-i18n fails the build before that can ship).
//
// The first load carries the areas of the channel view (i18n/<lang>/first.js); the views loaded
// on demand bring their areas' catalogs (viewtext.js, through addCatalogs) before they render.
import enFirst from './i18n/en/first.js';
import frFirst from './i18n/fr/first.js';

const en = { ...enFirst };
const fr = { ...frFirst };

const CATALOGS = { en, fr };
export const LANGUAGES = [
  { id: 'en', label: 'English' },
  { id: 'fr', label: 'Fran\u00e7ais' },
];
const STORAGE_KEY = 'sb.lang';

function detect() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && CATALOGS[saved]) return saved;
  } catch { /* storage disabled */ }
  // Outside a browser (node's tests of format.js) there is no navigator: English.
  const nav = typeof navigator === 'undefined' ? { languages: ['en'] } : navigator;
  for (const tag of nav.languages || [nav.language || 'en']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (CATALOGS[base]) return base;
  }
  return 'en';
}

let current = detect();
let plural = new Intl.PluralRules(current);
if (typeof document !== 'undefined') document.documentElement.lang = current;

export function lang() { return current; }

// Adds the catalogs of views loaded on demand: { en: {...}, fr: {...} }.
export function addCatalogs(byLang) {
  for (const [id, entries] of Object.entries(byLang)) if (CATALOGS[id]) Object.assign(CATALOGS[id], entries);
}

// Changes the language for this browser; the caller re-renders (main.js restarts the shell).
export function setLang(id) {
  if (!CATALOGS[id]) return;
  current = id;
  plural = new Intl.PluralRules(id);
  document.documentElement.lang = id;
  try { localStorage.setItem(STORAGE_KEY, id); } catch { /* storage disabled */ }
  window.dispatchEvent(new CustomEvent('sb-langchange', { detail: id }));
}

function lookup(key) {
  const v = CATALOGS[current][key];
  return v === undefined ? en[key] : v;
}

export function t(key, params = {}) {
  let v = lookup(key);
  if (v === undefined) return key;
  if (typeof v === 'object') {
    const n = Number(params.count ?? 0);
    v = v[plural.select(n)] ?? v.other;
  }
  return v.replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in params)) return m;
    const p = params[name];
    return typeof p === 'number' ? formatNumber(p) : String(p);
  });
}

export function has(key) { return en[key] !== undefined; }

export function formatNumber(n, opts) {
  return new Intl.NumberFormat(current, opts).format(n);
}

export function formatDate(d, opts = { dateStyle: 'medium', timeStyle: 'short' }) {
  return new Intl.DateTimeFormat(current, opts).format(d instanceof Date ? d : new Date(d));
}

// "3 minutes ago", "yesterday": the largest unit that fits.
const UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
export function formatRelative(d, now = Date.now()) {
  const secs = Math.round(((d instanceof Date ? d : new Date(d)).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size || unit === 'second') return rtf.format(Math.round(secs / size), unit);
  }
  return '';
}
