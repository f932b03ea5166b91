// markdown-it configured for text that senders write: raw HTML is escaped (html:false), links
// only to http(s)/mailto and opened in a new tab without opener or referrer.
import MarkdownIt from 'markdown-it';
import { safeLinkUrl } from './dom.js';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

md.validateLink = (url) => safeLinkUrl(String(url)) !== null;

const defaultLinkOpen = md.renderer.rules.link_open || ((tokens, idx, options, env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('target', '_blank');
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};
// Images inside markdown text: only https (CSP also enforces it); anything else becomes its alt text.
const defaultImage = md.renderer.rules.image;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const src = tokens[idx].attrGet('src') || '';
  if (!/^https:\/\//i.test(src)) return md.utils.escapeHtml(tokens[idx].content || '');
  return defaultImage(tokens, idx, options, env, self);
};

export function renderMarkdown(text) {
  return md.render(String(text ?? ''));
}

export function renderMarkdownInline(text) {
  return md.renderInline(String(text ?? ''));
}

// Builds a <div> from markdown. The HTML comes only from markdown-it with html:false, so every
// character the sender wrote is escaped; links were filtered above. As a second line of defence
// the fragment is parsed inertly (<template>) and anything but the tags markdown-it emits is
// dropped, as are attributes other than href/title/rel/target/src/alt.
const ALLOWED = new Set(['P', 'BR', 'STRONG', 'EM', 'A', 'UL', 'OL', 'LI', 'CODE', 'PRE', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HR', 'S', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'IMG']);
const ATTRS = new Set(['href', 'title', 'rel', 'target', 'src', 'alt', 'start', 'style']);

export function sanitizeHtml(html) {
  const tpl = document.createElement('template');
  tpl.innerHTML = html;
  const walk = (node) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === Node.ELEMENT_NODE) {
        if (!ALLOWED.has(child.tagName)) {
          child.replaceWith(document.createTextNode(child.textContent));
          continue;
        }
        for (const a of [...child.attributes]) {
          if (!ATTRS.has(a.name)) child.removeAttribute(a.name);
        }
        if (child.tagName === 'A') {
          const href = child.getAttribute('href') || '';
          if (!safeLinkUrl(href)) child.removeAttribute('href');
          child.setAttribute('rel', 'noopener noreferrer');
          child.setAttribute('target', '_blank');
        }
        if (child.tagName === 'IMG' && !/^https:\/\//i.test(child.getAttribute('src') || '')) {
          child.replaceWith(document.createTextNode(child.getAttribute('alt') || ''));
          continue;
        }
        if (child.hasAttribute('style') && !/^text-align:(left|right|center)$/.test(child.getAttribute('style'))) child.removeAttribute('style');
        walk(child);
      } else if (child.nodeType !== Node.TEXT_NODE) {
        child.remove();
      }
    }
  };
  walk(tpl.content);
  return tpl.content;
}

export function markdownNode(text, cls = 'md') {
  const div = document.createElement('div');
  div.className = cls;
  div.append(sanitizeHtml(renderMarkdown(text)));
  return div;
}

// The same for one-line fields (titles, fact names and values): inline markdown in a <span>.
export function markdownInlineNode(text, cls = 'md md-inline') {
  const span = document.createElement('span');
  span.className = cls;
  span.append(sanitizeHtml(renderMarkdownInline(text)));
  return span;
}
