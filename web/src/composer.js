// A composer: the channel's (under its messages), a thread's reply box (replyTo = the root
// message's id) and the edit box of a message (submit given) are all this one.
// - Markdown-ish text with a small toolbar, sent as html (format.js) with the mentions picked
//   through @-autocomplete (mentionpicker.js).
// - Drafts per channel and per thread in localStorage (sb.draft.<channel>[.<root>]), kept
//   across channel switches and reloads, cleared when sent.
// - Enter sends on desktop, Shift+Enter adds a line; on phones (coarse pointer or a narrow
//   screen) Enter adds a line and the button sends.
// onSent(msg) gets the server's chatMessage so the view can show it at once.
import { h, announce } from './dom.js';
import { post, enc } from './api.js';
import { t } from './i18n.js';
import { attachMentionPicker } from './mentionpicker.js';

// The text -> html conversion (markdown-it) is not part of the first load: it is asked for when
// a composer is first focused, so it is there by the time the message is sent.
const chatMarkdown = () => import('./chattext.js');

const MAX_LENGTH = 28000;
let seq = 0;

export function isPhone() {
  try {
    return window.matchMedia('(pointer: coarse)').matches || window.innerWidth <= 600;
  } catch {
    return false;
  }
}

function draftKey(channel, replyTo) {
  return `sb.draft.${channel.id}${replyTo ? '.' + replyTo : ''}`;
}
function loadDraft(key) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || 'null');
    return v && typeof v.text === 'string' ? { text: v.text, picked: Array.isArray(v.picked) ? v.picked : [] } : null;
  } catch { return null; }
}
function saveDraft(key, text, picked) {
  try {
    if (text.trim()) localStorage.setItem(key, JSON.stringify({ text, picked: picked.filter((p) => text.includes('@' + p.text)) }));
    else localStorage.removeItem(key);
  } catch { /* storage full or disabled: the draft lives in the page only */ }
}

// Toolbar actions: wrap the selection (or the current line for block ones) in markers.
const TOOLS = [
  { id: 'bold', key: 'b', wrap: ['**', '**'], icon: 'B', label: () => t('conversation.format.bold') },
  { id: 'italic', key: 'i', wrap: ['_', '_'], icon: 'I', label: () => t('conversation.format.italic') },
  { id: 'strike', wrap: ['~~', '~~'], icon: 'S', label: () => t('conversation.format.strike') },
  { id: 'code', key: 'e', wrap: ['`', '`'], icon: '</>', label: () => t('conversation.format.code') },
  { id: 'codeBlock', wrap: ['```\n', '\n```'], block: true, icon: '{ }', label: () => t('conversation.format.codeBlock') },
  { id: 'quote', prefix: '> ', icon: '\u201C', label: () => t('conversation.format.quote') },
  { id: 'bullets', prefix: '- ', icon: '\u2022', label: () => t('conversation.format.bullets') },
  { id: 'numbers', prefix: '1. ', icon: '', // drawn by conversation.css: a visible "1." would be taken for the button's name
    label: () => t('conversation.format.numbers') },
  { id: 'link', link: true, icon: '\u{1F517}', label: () => t('conversation.format.link') },
];

function applyTool(textarea, tool) {
  const { selectionStart: s, selectionEnd: e, value } = textarea;
  let next;
  let selStart;
  let selEnd;
  if (tool.prefix) {
    const lineStart = value.lastIndexOf('\n', s - 1) + 1;
    const block = value.slice(lineStart, e);
    const lines = block.split('\n').map((l, i) => (tool.prefix === '1. ' ? `${i + 1}. ` : tool.prefix) + l);
    next = value.slice(0, lineStart) + lines.join('\n') + value.slice(e);
    selStart = lineStart;
    selEnd = lineStart + lines.join('\n').length;
  } else if (tool.link) {
    const text = value.slice(s, e) || t('conversation.linkText');
    const ins = `[${text}](https://)`;
    next = value.slice(0, s) + ins + value.slice(e);
    selStart = s + text.length + 3;
    selEnd = selStart + 8;
  } else {
    const [a, b] = tool.wrap;
    const lead = tool.block && s > 0 && value[s - 1] !== '\n' ? '\n' : '';
    next = value.slice(0, s) + lead + a + value.slice(s, e) + b + value.slice(e);
    selStart = s + lead.length + a.length;
    selEnd = selStart + (e - s);
  }
  textarea.value = next;
  textarea.focus();
  textarea.setSelectionRange(selStart, selEnd);
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

// opts: { team, channel, onSent, replyTo, submit, initial, onCancel, label }
// submit({html, mentions}) replaces the POST (the edit box); initial = {text, picked}.
export function createComposer({ team, channel, onSent = () => {}, replyTo = null, submit = null, initial = null, onCancel = null, label = null }) {
  const n = ++seq;
  const main = !replyTo && !submit;
  const textareaId = main ? 'composer' : `composer-${n}`;
  const helpId = `${textareaId}-help`;
  const key = submit ? null : draftKey(channel, replyTo);
  const phone = isPhone();
  const draft = initial || (key && loadDraft(key)) || { text: '', picked: [] };
  const picked = [...draft.picked];

  const placeholder = submit ? '' : replyTo ? t('conversation.replyPlaceholder') : t('conversation.placeholder');
  const textarea = h(`textarea#${textareaId}`, { rows: 1, placeholder, 'aria-describedby': helpId, maxlength: MAX_LENGTH });
  textarea.value = draft.text;
  const sendLabel = submit ? t('conversation.save') : replyTo ? t('conversation.sendReply') : t('conversation.send');
  const sendBtn = h('button.button.primary.send', { type: 'submit', text: sendLabel });
  const cancelBtn = onCancel ? h('button.button.cancel', { type: 'button', text: t('conversation.cancel') }) : null;
  const composerError = h('p.error', { role: 'alert', hidden: true });
  const picker = attachMentionPicker(textarea, { team, channel, picked, onChange: () => persist() });
  const toolbar = h('div.format-toolbar', { role: 'toolbar', 'aria-label': t('conversation.formatting'), 'aria-controls': textareaId },
    TOOLS.map((tool, i) => {
      const name = tool.label();
      const b = h('button.format-button', { type: 'button', tabindex: i === 0 ? '0' : '-1', 'aria-label': name, title: tool.key ? t('conversation.format.withShortcut', { name, key: 'Ctrl+' + tool.key.toUpperCase() }) : name, dataset: { tool: tool.id } },
        h('span', { 'aria-hidden': 'true', text: tool.icon }));
      b.addEventListener('mousedown', (e) => e.preventDefault());
      b.addEventListener('click', () => applyTool(textarea, tool));
      return b;
    }));
  // Roving tab stop inside the toolbar: one Tab stop, arrows move.
  toolbar.addEventListener('keydown', (e) => {
    const btns = [...toolbar.querySelectorAll('button')];
    const i = btns.indexOf(document.activeElement);
    let j = null;
    if (e.key === 'ArrowRight') j = (i + 1) % btns.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + btns.length) % btns.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = btns.length - 1;
    if (j === null) return;
    e.preventDefault();
    btns.forEach((b, k) => { b.tabIndex = k === j ? 0 : -1; });
    btns[j].focus();
  });

  const formLabel = label || (submit ? t('conversation.editMessage') : replyTo ? t('conversation.replyBox') : t('conversation.newMessage'));
  const fieldLabel = submit ? t('conversation.editMessage') : replyTo ? t('conversation.replyLabel') : t('conversation.messageLabel', { channel: channel.displayName });
  const root = h(`form.composer${submit ? '.edit-box' : replyTo ? '.reply-box' : ''}`, { 'aria-label': formLabel },
    h('label.visually-hidden', { for: textareaId, text: fieldLabel }),
    h(`span#${helpId}.visually-hidden`, { text: phone ? t('conversation.helpPhone') : t('conversation.helpDesktop') }),
    composerError,
    toolbar,
    h('div.composer-row', {}, h('div.composer-field', {}, textarea, picker.el), cancelBtn, sendBtn));

  function persist() {
    if (key) saveDraft(key, textarea.value, picked);
  }

  let sending = false;
  async function send() {
    const text = textarea.value;
    if (!text.trim() || sending) return;
    sending = true;
    sendBtn.disabled = true;
    composerError.hidden = true;
    const chosen = [...picked];
    try {
      const { html, mentions } = (await chatMarkdown()).toHtml(text, chosen);
      const body = { body: { contentType: 'html', content: html } };
      if (mentions.length) body.mentions = mentions;
      let msg;
      if (submit) msg = await submit(body);
      else {
        const base = `/v1.0/teams/${enc(team.id)}/channels/${enc(channel.id)}/messages`;
        msg = await post(replyTo ? `${base}/${enc(replyTo)}/replies` : base, body);
      }
      textarea.value = '';
      picked.length = 0;
      if (key) saveDraft(key, '', []);
      autosize();
      onSent(msg);
      announce(submit ? t('conversation.saved') : replyTo ? t('conversation.replySent') : t('conversation.sent'));
    } catch (err) {
      composerError.textContent = err.message;
      composerError.hidden = false;
    } finally {
      sending = false;
      sendBtn.disabled = false;
      if (root.isConnected) textarea.focus();
    }
  }
  function autosize() {
    textarea.style.height = 'auto';
    textarea.style.height = Math.min(textarea.scrollHeight, 200) + 'px';
  }
  textarea.addEventListener('input', () => { autosize(); persist(); });
  textarea.addEventListener('focus', () => { chatMarkdown().catch(() => {}); }, { once: true });
  textarea.addEventListener('keydown', (e) => {
    if (picker.handleKey(e)) return;
    if (e.key === 'Escape' && onCancel) { e.preventDefault(); e.stopPropagation(); onCancel(); return; }
    if ((e.ctrlKey || e.metaKey) && !e.altKey) {
      const tool = TOOLS.find((x) => x.key === e.key.toLowerCase());
      if (tool) { e.preventDefault(); applyTool(textarea, tool); return; }
      if (e.key === 'Enter') { e.preventDefault(); send(); return; }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !phone) {
      e.preventDefault();
      send();
    }
  });
  root.addEventListener('submit', (e) => { e.preventDefault(); send(); });
  if (cancelBtn) cancelBtn.addEventListener('click', () => onCancel());
  requestAnimationFrame(autosize);

  return {
    root,
    textarea,
    focus() { textarea.focus(); },
    destroy() { persist(); picker.close(); },
  };
}
