// What a person types in the composer (markdown-ish: **bold**, _italic_, `code`, ``` blocks,
// > quotes, - and 1. lists, links, line breaks) -> the html body sent with contentType "html"
// (Teams' way), with `<at id="N">` for the mentions picked (mentionpicker.js) and the
// `mentions` array contract §6 asks for (the server refuses any mismatch between tags and
// mentions). Apart from format.js because of markdown-it (~100 KB): composer.js loads it (through
// chattext.js) when a composer is first used, not with the client. markdown.js stays the cards'
// renderer: its flavours follow Teams' card rules, not the chat's.
import MarkdownIt from 'markdown-it';
import { safeLinkUrl } from './dom.js';

// Chat markdown: no raw html, no images, tables, headings or indented code (people indent
// text without meaning code); a newline is a line break, as in Teams' compose box.
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })
  .disable(['table', 'heading', 'lheading', 'hr', 'image', 'code', 'reference', 'html_block', 'html_inline', 'entity']);
md.validateLink = (url) => safeLinkUrl(String(url)) !== null;
md.normalizeLinkText = (text) => text;

const OPEN = '\uE000';
const CLOSE = '\uE001';
const escapeHtml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// picked: [{ text: 'Ann Lee', mentioned: { user: {id, displayName} } | { conversation: {...} } }]
// Each "@text" of a picked mention still in the text becomes one <at id>, in order.
export function toHtml(text, picked = []) {
  let src = String(text ?? '').replace(/[\uE000\uE001]/g, '');
  const found = [];
  // Longest names first, so "@Ann Lee" is not taken as "@Ann".
  const names = [...new Map(picked.map((p) => [p.text, p])).values()].sort((a, b) => b.text.length - a.text.length);
  for (const p of names) {
    const needle = '@' + p.text;
    let at = src.indexOf(needle);
    while (at !== -1) {
      found.push({ index: at, p });
      src = src.slice(0, at) + OPEN + String(found.length - 1) + CLOSE + src.slice(at + needle.length);
      at = src.indexOf(needle, at + 1);
    }
  }
  let html = md.render(src).trim();
  // Ids in the order the mentions appear in the message, as Teams numbers them.
  const order = [];
  html = html.replace(/\uE000(\d+)\uE001/g, (m, n) => {
    const id = order.length;
    order.push(found[Number(n)].p);
    return `<at id="${id}">${escapeHtml(found[Number(n)].p.text)}</at>`;
  });
  const mentions = order.map((p, id) => ({ id, mentionText: escapeHtml(p.text), mentioned: p.mentioned }));
  // A single paragraph is sent without its <p>, as Teams sends one-line messages.
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  if (single && !/<\/?p>/.test(single[1])) html = single[1];
  return { html, mentions };
}
