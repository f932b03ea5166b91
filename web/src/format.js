// People's messages as they are shown and edited (what a person types becomes html in
// chatmarkdown.js, loaded when the composer is first used):
// - htmlNode(html, mentions, me): a message's html body (ours, Graph's, or anyone's through the
//   API) -> DOM nodes built one by one from an inert parse: only a small subset of tags is
//   kept, every attribute but a safe link's href is dropped, no html string from a person is
//   ever inserted into the page;
// - toText(html, mentions): the html back to the markdown-ish text, to edit a message.
import { safeLinkUrl } from './dom.js';

// Tags kept as they are; a few are renamed (b -> strong). Others are unwrapped (their text
// stays) or dropped with their content (DROP).
const KEEP = { P: 'p', DIV: 'div', BR: 'br', STRONG: 'strong', B: 'strong', EM: 'em', I: 'em', U: 'u', S: 's', STRIKE: 's', DEL: 's', CODE: 'code', PRE: 'pre', BLOCKQUOTE: 'blockquote', UL: 'ul', OL: 'ol', LI: 'li', A: 'a', H1: 'strong', H2: 'strong', H3: 'strong' };
const DROP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT', 'EMBED', 'NOSCRIPT', 'TEXTAREA', 'SELECT', 'HEAD', 'TITLE', 'SVG', 'MATH']);
const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

// Text with its http(s) URLs made into links.
function linkify(text, out) {
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const href = safeLinkUrl(m[0]);
    if (!href) continue;
    if (m.index > last) out.append(document.createTextNode(text.slice(last, m.index)));
    out.append(link(href, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.append(document.createTextNode(text.slice(last)));
}

function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = text;
  return a;
}

export function htmlNode(html, mentions = [], me = null) {
  const doc = new DOMParser().parseFromString(String(html ?? ''), 'text/html');
  const byId = new Map((Array.isArray(mentions) ? mentions : []).map((m) => [String(m.id), m]));
  const root = document.createElement('div');
  root.className = 'msg-html';
  const walk = (src, dst, inLink) => {
    for (const node of src.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (inLink || dst.closest('code, pre')) dst.append(document.createTextNode(node.data));
        else linkify(node.data, dst);
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = node.tagName;
      if (DROP.has(tag)) continue;
      if (tag === 'AT') {
        const m = byId.get(node.getAttribute('id') || '');
        const span = document.createElement('span');
        span.className = 'mention';
        const user = m && m.mentioned && m.mentioned.user;
        if (m && m.mentioned && m.mentioned.conversation) span.classList.add('mention-channel');
        if (me && user && user.id === me.id) span.classList.add('mention-me');
        if (user && user.id) span.dataset.userId = user.id;
        span.textContent = node.textContent;
        dst.append(span);
        continue;
      }
      if (tag === 'IMG') {
        const alt = node.getAttribute('alt');
        if (alt) dst.append(document.createTextNode(alt));
        continue;
      }
      const name = KEEP[tag];
      if (!name) { walk(node, dst, inLink); continue; }
      if (name === 'a') {
        const href = safeLinkUrl(node.getAttribute('href') || '');
        if (!href || inLink) { walk(node, dst, inLink); continue; }
        const a = link(href, '');
        walk(node, a, true);
        dst.append(a);
        continue;
      }
      const el = document.createElement(name);
      if (name === 'ol') {
        const start = Number.parseInt(node.getAttribute('start') || '', 10);
        if (Number.isInteger(start) && start > 1 && start < 1e6) el.start = start;
      }
      walk(node, el, inLink);
      dst.append(el);
    }
  };
  walk(doc.body, root, false);
  return root;
}

// The html body as markdown-ish text for the edit box; mentions come back as "@Name" with
// what the composer needs to send them again.
export function toText(html, mentions = []) {
  const doc = new DOMParser().parseFromString(String(html ?? ''), 'text/html');
  const byId = new Map((Array.isArray(mentions) ? mentions : []).map((m) => [String(m.id), m]));
  const picked = [];
  const inline = (node) => {
    let s = '';
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) { s += c.data; continue; }
      if (c.nodeType !== Node.ELEMENT_NODE || DROP.has(c.tagName)) continue;
      const tag = c.tagName;
      if (tag === 'BR') s += '\n';
      else if (tag === 'AT') {
        const m = byId.get(c.getAttribute('id') || '');
        const text = c.textContent;
        if (m && m.mentioned) picked.push({ text, mentioned: stripMentioned(m.mentioned) });
        s += '@' + text;
      } else if (tag === 'STRONG' || tag === 'B') s += '**' + inline(c) + '**';
      else if (tag === 'EM' || tag === 'I') s += '_' + inline(c) + '_';
      else if (tag === 'S' || tag === 'STRIKE' || tag === 'DEL') s += '~~' + inline(c) + '~~';
      else if (tag === 'CODE') s += '`' + c.textContent + '`';
      else if (tag === 'A') {
        const text = inline(c);
        const href = c.getAttribute('href') || '';
        s += text === href || !safeLinkUrl(href) ? text : `[${text}](${href})`;
      } else s += block(c);
    }
    return s;
  };
  const block = (node) => {
    const tag = node.tagName;
    if (tag === 'PRE') return '```\n' + node.textContent.replace(/\n$/, '') + '\n```\n';
    if (tag === 'BLOCKQUOTE') return blocks(node).trim().split('\n').map((l) => '> ' + l).join('\n') + '\n';
    if (tag === 'UL' || tag === 'OL') {
      let n = Number.parseInt(node.getAttribute('start') || '1', 10) || 1;
      return [...node.children].filter((li) => li.tagName === 'LI').map((li) => (tag === 'OL' ? `${n++}. ` : '- ') + blocks(li).trim()).join('\n') + '\n';
    }
    if (tag === 'P' || tag === 'DIV' || /^H\d$/.test(tag)) return inline(node) + '\n';
    return inline(node);
  };
  const blocks = (node) => {
    let s = '';
    for (const c of node.childNodes) {
      if (c.nodeType === Node.ELEMENT_NODE && ['P', 'DIV', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'H1', 'H2', 'H3'].includes(c.tagName)) {
        if (s && !s.endsWith('\n')) s += '\n';
        s += block(c);
      } else if (c.nodeType === Node.ELEMENT_NODE || c.nodeType === Node.TEXT_NODE) {
        const wrap = document.createElement('span');
        wrap.append(c.cloneNode(true));
        s += inline(wrap);
      }
    }
    return s;
  };
  return { text: blocks(doc.body).replace(/\n+$/, ''), picked };
}

// What a stored mention names, in the shape a new message sends (Graph's rendered mention has
// null siblings and @odata.type; the server wants just the user or the conversation).
export function stripMentioned(mentioned) {
  if (mentioned.user) return { user: { id: mentioned.user.id, displayName: mentioned.user.displayName } };
  if (mentioned.conversation) return { conversation: { id: mentioned.conversation.id, displayName: mentioned.conversation.displayName, conversationIdentityType: 'channel' } };
  return mentioned;
}
