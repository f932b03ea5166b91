import { lang } from './i18n.js';
// Tiny DOM helpers. Everything that may come from another person (names, message text, card
// fields) goes in through textContent or attributes set one by one; never through innerHTML.

// h('div.cls#id', {attr: v, onclick: fn, text: 'x'}, child...)
export function h(spec, props = {}, ...children) {
  const m = /^([a-z0-9-]+)?((?:[.#][\w-]+)*)$/i.exec(spec);
  const el = document.createElement((m && m[1]) || 'div');
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g)) {
      if (part[0] === '.') el.classList.add(part.slice(1));
      else el.id = part.slice(1);
    }
  }
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'class') el.className = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Only absolute http(s) URLs are ever made clickable or loaded.
export function safeHttpUrl(value) {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (!/^https?:\/\/[^/\s]/i.test(s)) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

// Links that a card makes (markdown, OpenUri, Action.OpenUrl, selectAction): http, https and
// mailto only, as Teams makes clickable; anything else (javascript:, vbscript:, data:, file:,
// relative paths, schemes hidden behind control characters) stays text.
export function safeLinkUrl(value) {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (!/^mailto:[^\s]/i.test(s)) return safeHttpUrl(s);
  try {
    const u = new URL(s);
    return u.protocol === 'mailto:' ? u.href : null;
  } catch {
    return null;
  }
}

// Removes every href in root that is not a safe link (the element and its text stay), and makes
// the remaining ones open in a new tab without opener or referrer.
export function neutraliseLinks(root) {
  for (const a of root.querySelectorAll('[href]')) {
    const href = safeLinkUrl(a.getAttribute('href'));
    if (!href) {
      a.removeAttribute('href');
      continue;
    }
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
  return root;
}

// Images may also be data: URLs of raster types (img-src allows data:) or https.
export function safeImageUrl(value) {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i.test(s)) return s;
  return safeHttpUrl(s);
}

export function initials(name) {
  const parts = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}

// A colour picked from the name so avatars without images are told apart.
export function avatarColor(name) {
  let n = 0;
  for (const ch of String(name || '')) n = (n * 31 + ch.codePointAt(0)) >>> 0;
  const palette = ['#6264a7', '#c4314b', '#0f7b6c', '#ca5010', '#5c2e91', '#038387', '#8764b8', '#986f0b'];
  return palette[n % palette.length];
}

// Image URLs that failed once (a connector without an image answers 404) are not asked again.
const failedImages = new Set();

// An avatar: image when given (falls back to initials if it fails to load), else initials.
export function avatar(name, imageUrl, size = 32) {
  const box = h('span.avatar', { 'aria-hidden': 'true', style: { width: size + 'px', height: size + 'px', background: avatarColor(name) } });
  const text = h('span.avatar-initials', { text: initials(name) });
  box.append(text);
  if (imageUrl && !failedImages.has(imageUrl)) {
    const img = h('img', { alt: '', src: imageUrl, width: size, height: size, loading: 'lazy', referrerPolicy: 'no-referrer' });
    img.addEventListener('load', () => { text.hidden = true; });
    img.addEventListener('error', () => { failedImages.add(imageUrl); img.remove(); });
    box.append(img);
  }
  return box;
}

export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString(lang(), { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString(lang(), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

// Announces a short status text to assistive technology (a polite live region).
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 30);
}
