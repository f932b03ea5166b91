// The effective theme (light | dark | contrast) on <html data-theme>, from the user setting
// (localStorage 'sb.theme': system | light | dark | contrast) and, for 'system', the system's
// colour scheme and contrast settings. Dispatches window 'sb-themechange' {detail: {theme}}
// when it changes. Minimal version for the Adaptive Card renderer; the theme work replaces it.
const KEY = 'sb.theme';
const dark = window.matchMedia('(prefers-color-scheme: dark)');
const contrast = window.matchMedia('(forced-colors: active), (prefers-contrast: more)');

function effective() {
  let setting = 'system';
  try { setting = localStorage.getItem(KEY) || 'system'; } catch { /* storage off: system */ }
  if (setting === 'light' || setting === 'dark' || setting === 'contrast') return setting;
  if (contrast.matches) return 'contrast';
  return dark.matches ? 'dark' : 'light';
}

export function currentTheme() {
  return document.documentElement.dataset.theme || effective();
}

function apply() {
  const theme = effective();
  if (document.documentElement.dataset.theme === theme) return;
  document.documentElement.dataset.theme = theme;
  window.dispatchEvent(new CustomEvent('sb-themechange', { detail: { theme } }));
}

apply();
dark.addEventListener('change', apply);
contrast.addEventListener('change', apply);
window.addEventListener('storage', (e) => { if (e.key === KEY) apply(); });
