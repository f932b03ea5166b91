// markdown-it configured for text that senders write. Two flavours:
// - `md` (Adaptive Card TextBlocks, MessageCard titles and facts): raw HTML is escaped
//   (html:false), a single newline is a line break;
// - `mcMd` (the text fields of a MessageCard: text, section text, activityText): Teams' subset
//   for connector cards, markdown plus the limited HTML Teams lists (strong, em, h1-h3, strike,
//   ul/ol/li, pre, blockquote, a, img, p, br; see filterTeamsHtml), a newline only from a blank
//   line ("\n\n"), as Teams renders them (learn.microsoft.com/microsoftteams/platform/
//   task-modules-and-cards/cards/cards-format, "connector cards").
// In both, links only to http(s)/mailto, opened in a new tab without opener or referrer; a link
// to anything else keeps its text and loses the link; images only https or raster data:
// (anything else becomes its alt text, never the URL: a data: URL is never dumped as text).
import MarkdownIt from 'markdown-it';
import { safeLinkUrl, safeImageUrl } from './dom.js';

// An image source markdown may load: https, or a raster data: URL (the CSP allows both).
export function inlineImageUrl(value) {
  const s = safeImageUrl(value);
  return s && !/^http:/i.test(s) ? s : null;
}

function configure(m) {
  // Every destination is parsed as a link or image so that its text never shows the URL; the
  // renderer rules below decide what becomes a link or an image.
  m.validateLink = (url) => safeLinkUrl(String(url)) !== null || /^data:/i.test(String(url).trim());
  const defaultLinkOpen = m.renderer.rules.link_open || ((tokens, idx, options, env, self) => self.renderToken(tokens, idx, options));
  const defaultLinkClose = m.renderer.rules.link_close || ((tokens, idx, options, env, self) => self.renderToken(tokens, idx, options));
  m.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    if (!safeLinkUrl(tokens[idx].attrGet('href') || '')) {
      // A data: link: its text stays, as text.
      for (let j = idx + 1; j < tokens.length; j++) {
        if (tokens[j].type === 'link_close' && tokens[j].level === tokens[idx].level) { tokens[j].meta = { drop: true }; break; }
      }
      return '';
    }
    tokens[idx].attrSet('target', '_blank');
    tokens[idx].attrSet('rel', 'noopener noreferrer');
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  m.renderer.rules.link_close = (tokens, idx, options, env, self) => (tokens[idx].meta && tokens[idx].meta.drop ? '' : defaultLinkClose(tokens, idx, options, env, self));
  // A URL made into a link shows as written: markdown-it would show it percent-decoded
  // (%28 as "("), which is not the text the sender wrote, nor what Teams shows.
  m.normalizeLinkText = (text) => text;
  const defaultImage = m.renderer.rules.image;
  m.renderer.rules.image = (tokens, idx, options, env, self) => {
    if (!inlineImageUrl(tokens[idx].attrGet('src') || '')) return m.utils.escapeHtml(tokens[idx].content || '');
    return defaultImage(tokens, idx, options, env, self);
  };
  return m;
}

const md = configure(new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false }));

// Teams' HTML subset for connector cards. Every other tag, and an allowed tag whose link or
// image is not allowed, is shown as the characters the sender wrote.
const TEAMS_TAGS = new Set(['strong', 'em', 'h1', 'h2', 'h3', 'strike', 'ul', 'ol', 'li', 'pre', 'blockquote', 'a', 'img', 'p', 'br']);
const TAG_RE = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;

function attrOf(attrs, name) {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'=<>\`]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3]) : null;
}

const escapeText = (t) => t.replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (t) => t.replace(/&(?![a-z0-9#]+;)/gi, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function filterTeamsHtml(html, state = { links: 0 }) {
  let out = '';
  let last = 0;
  for (const m of html.matchAll(TAG_RE)) {
    out += escapeText(html.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].startsWith('<!--')) continue; // comments are not shown
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    const attrs = m[3] || '';
    let kept = null;
    if (TEAMS_TAGS.has(tag)) {
      if (tag === 'a' && !closing) {
        const href = attrOf(attrs, 'href');
        if (href !== null && safeLinkUrl(href)) { kept = `<a href="${escapeAttr(href)}">`; state.links++; }
      } else if (tag === 'a') {
        if (state.links > 0) { kept = '</a>'; state.links--; }
      } else if (tag === 'img') {
        const src = attrOf(attrs, 'src');
        const alt = attrOf(attrs, 'alt');
        if (!closing && src !== null && inlineImageUrl(src)) kept = `<img src="${escapeAttr(src)}" alt="${escapeAttr(alt || '')}">`;
        else if (closing) kept = ''; // "</img>", as Teams' own examples write it
      } else {
        kept = closing ? `</${tag}>` : `<${tag}>`;
      }
    }
    out += kept ?? escapeText(m[0]);
  }
  return out + escapeText(html.slice(last));
}

// Tables are not in Teams' list for connector cards: their rows stay text.
const mcMd = configure(new MarkdownIt({ html: true, linkify: true, breaks: false, typographer: false })).disable('table');
mcMd.renderer.rules.html_block = (tokens, idx, options, env) => filterTeamsHtml(tokens[idx].content, env.teamsHtml);
mcMd.renderer.rules.html_inline = (tokens, idx, options, env) => filterTeamsHtml(tokens[idx].content, env.teamsHtml);

// A MessageCard text field as Teams renders it, in a <div class=cls>.
export function messageCardTextNode(text, cls = 'md') {
  const div = document.createElement('div');
  div.className = cls;
  div.append(sanitizeHtml(mcMd.render(String(text ?? ''), { teamsHtml: { links: 0 } })));
  return div;
}

export function renderMarkdown(text) {
  return md.render(String(text ?? ''));
}

export function renderMarkdownInline(text) {
  return md.renderInline(String(text ?? ''));
}

// Builds a <div> from markdown. The HTML comes only from markdown-it with html:false, so every
// character the sender wrote is escaped; links were filtered above. As a second line of defence
// the fragment is parsed inertly (<template>) and anything but the tags markdown-it emits is
// dropped (its text stays), as are attributes other than href/title/rel/target/src/alt.
const ALLOWED = new Set(['P', 'BR', 'STRONG', 'EM', 'A', 'UL', 'OL', 'LI', 'CODE', 'PRE', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HR', 'S', 'STRIKE', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'IMG']);
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
        if (child.tagName === 'IMG' && !inlineImageUrl(child.getAttribute('src') || '')) {
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
