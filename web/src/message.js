// One chatMessage as a list item: avatar, sender, time, then the text or the cards.
// - renderMessage(msg, opts): the message as it is, read-only (the group feed and others);
// - createMessageItem(msg, ctx): the message in a channel, with its reactions, its menu (edit,
//   delete with undo), and, for a root message, its thread (thread.js). ctx = { team, channel,
//   me, threads } where threads is the channel's createThreadState(). The item answers
//   { el, update(msg), addReply(reply), destroy() } (and `msg`, the message it shows).
import { h, avatar, announce } from './dom.js';
import { post, patch, get, enc } from './api.js';
import { t, formatDate } from './i18n.js';
import { cardNode, MESSAGE_CARD, ADAPTIVE_CARD } from './cards.js';
import { uniqueActionIds } from './actions.js';
import { htmlNode, toText } from './format.js';
import { createReactionsBar, reactionPicker } from './reactions.js';
import { messageMenu } from './messagemenu.js';
import { createThreadSection } from './thread.js';
import { createComposer } from './composer.js';
import { teamMembers } from './mentionpicker.js';

// How long the person who deleted a message is offered "Undo" in place (the server allows an
// undo at any time; after this the message just reads as deleted).
export const UNDO_MS = 30000;

export function senderOf(msg) {
  const from = msg.from || {};
  if (from.application) {
    const app = from.application;
    // imageUrl is a same-origin path, present only when the connector has an avatar: a
    // configuration's image, or a catalog app's icon (connector apps, test cards).
    const image = typeof app.imageUrl === 'string' && /^\/(api\/v1\/connectors|v1\.0\/appCatalogs\/teamsApps)\/[\w-]+\/(image|icon)$/.test(app.imageUrl) ? app.imageUrl : null;
    return { name: app.displayName || t('conversation.connector'), image, app: true };
  }
  if (from.user) return { name: from.user.displayName || t('conversation.unknownUser'), image: null, app: false, id: from.user.id };
  return { name: t('conversation.unknownSender'), image: null, app: false };
}

function cardOf(att) {
  if (typeof att.content !== 'string') return att.content;
  try { return JSON.parse(att.content); } catch { return null; }
}

// uniqueIds: the action ids that name one action of the whole message (actions.js).
function renderAttachment(att, msg, uniqueIds) {
  const type = String(att.contentType || '').toLowerCase();
  const content = cardOf(att);
  if (!content || typeof content !== 'object') return h('p.card-error', { text: t('conversation.attachmentError') });
  // Connector cards may carry actions the server runs (actions.js); it leaves them out of the
  // message when policy turns them off.
  const ctx = msg && msg.id && att.id && msg.from && msg.from.application ? { messageId: msg.id, attachmentId: att.id, uniqueIds } : null;
  if (type === MESSAGE_CARD || type === ADAPTIVE_CARD) return cardNode(type, content, ctx);
  return h('p.card-error', { text: t('conversation.attachmentOther', { type: att.contentType || t('conversation.unknownType'), name: att.name || t('conversation.unnamed') }) });
}

// The time of a message in the page's language: today's as the time only.
function messageTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return d.toDateString() === new Date().toDateString()
    ? formatDate(d, { hour: '2-digit', minute: '2-digit' })
    : formatDate(d, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function renderHead(msg) {
  const sender = senderOf(msg);
  const time = h('time', { datetime: msg.createdDateTime || '', text: messageTime(msg.createdDateTime), title: msg.createdDateTime ? formatDate(msg.createdDateTime, { dateStyle: 'full', timeStyle: 'short' }) : null });
  const edited = msg.lastEditedDateTime && !msg.deletedDateTime
    ? h('span.edited', { text: t('conversation.edited'), title: formatDate(msg.lastEditedDateTime, { dateStyle: 'medium', timeStyle: 'short' }) })
    : null;
  return [h('span.sender', { text: sender.name }), sender.app ? h('span.badge', { text: t('conversation.connectorBadge') }) : null, time, edited];
}

function renderBody(msg, me) {
  const atts = Array.isArray(msg.attachments) ? msg.attachments : [];
  const content = msg.body && typeof msg.body.content === 'string' ? msg.body.content : '';
  if (msg.deletedDateTime) return [h('p.text.deleted', { text: t('conversation.deleted') })];
  const out = [];
  if (atts.length) {
    const uniqueIds = uniqueActionIds(atts.map(cardOf));
    for (const a of atts) out.push(renderAttachment(a, msg, uniqueIds));
  } else if (msg.body && String(msg.body.contentType).toLowerCase() === 'html') {
    const node = htmlNode(content, msg.mentions, me);
    node.classList.add('text');
    out.push(node);
  } else {
    out.push(h('p.text', { text: content }));
  }
  return out;
}

export function renderMessage(msg, { continuation = false, me = null } = {}) {
  const sender = senderOf(msg);
  const li = h('li.message', { dataset: { id: msg.id }, tabindex: '-1' });
  if (continuation) li.classList.add('continued');
  if (sender.app) li.classList.add('from-app');
  const head = h('div.message-head', {}, renderHead(msg));
  const body = h('div.message-body', {}, renderBody(msg, me));
  const reactions = createReactionsBar({ onToggle: () => {}, readOnly: true });
  reactions.render(msg.deletedDateTime ? [] : msg.reactions, me);
  li.append(h('div.message-avatar', {}, avatar(sender.name, sender.image, 32)), h('div.message-main', {}, head, body, reactions.el));
  return li;
}

function messagePath(ctx, msg) {
  const base = `/v1.0/teams/${enc(ctx.team.id)}/channels/${enc(ctx.channel.id)}/messages`;
  return msg.replyToId ? `${base}/${enc(msg.replyToId)}/replies/${enc(msg.id)}` : `${base}/${enc(msg.id)}`;
}

export function createMessageItem(msg, ctx) {
  const { team, me, threads } = ctx;
  const isReply = !!msg.replyToId;
  let current = msg;
  let editor = null;
  let undoTimer = null;
  let undoUntil = 0;
  let destroyed = false;

  const li = h(`li.message${isReply ? '.reply' : ''}`, { dataset: { id: msg.id }, tabindex: '-1' });
  const avatarBox = h('div.message-avatar');
  const head = h('div.message-head');
  const body = h('div.message-body');
  const reactions = createReactionsBar({ onToggle: (type, on) => react(type, on) });
  const picker = reactionPicker({ onPick: (type) => react(type, true) });
  const menu = messageMenu({ label: t('conversation.moreOptions'), items: menuItems });
  const actions = h('div.message-actions', { role: 'group', 'aria-label': t('conversation.messageActions') }, picker.el, menu.el);
  let error = null; // made on the first error
  const main = h('div.message-main', {}, head, body, reactions.el, actions);
  const thread = isReply ? null : createThreadSection(msg, ctx, (r) => createMessageItem(r, ctx));
  if (thread) main.append(thread.el);
  li.append(avatarBox, main);

  const mine = () => !!(me && current.from && current.from.user && current.from.user.id === me.id);

  function showError(err) {
    if (!err && !error) return;
    if (!error) {
      error = h('p.error.message-error', { role: 'alert' });
      reactions.el.before(error);
    }
    error.textContent = err ? err.message : '';
    error.hidden = !err;
  }

  // The message as the server has it now, into this item (a reply through the thread state,
  // which updates every item showing it).
  async function refresh() {
    const fresh = await get(messagePath(ctx, current));
    if (fresh.replyToId && threads) threads.addReply(fresh);
    else update(fresh);
    return fresh;
  }

  async function react(type, on) {
    showError(null);
    try {
      await post(`${messagePath(ctx, current)}/${on ? 'setReaction' : 'unsetReaction'}`, { reactionType: type });
      await refresh();
    } catch (err) { showError(err); }
  }

  async function isOwner() {
    try {
      const members = await teamMembers(team.id);
      const m = members.find((x) => me && x.userId === me.id);
      return !!(m && (m.roles || []).includes('owner'));
    } catch { return false; }
  }

  async function menuItems() {
    const list = [];
    if (current.deletedDateTime) return list;
    const sender = senderOf(current);
    if (mine() && !sender.app) list.push({ id: 'edit', label: t('conversation.edit'), action: startEdit });
    if (mine() || await isOwner()) list.push({ id: 'delete', label: t('conversation.delete'), action: remove });
    return list;
  }

  function startEdit() {
    if (editor || current.deletedDateTime) return;
    const content = current.body && typeof current.body.content === 'string' ? current.body.content : '';
    const initial = current.body && String(current.body.contentType).toLowerCase() === 'html' ? toText(content, current.mentions) : { text: content, picked: [] };
    editor = createComposer({
      team, channel: ctx.channel, initial,
      submit: async (payload) => { await patch(messagePath(ctx, current), payload); return refresh(); },
      onSent: () => stopEdit(),
      onCancel: () => stopEdit(),
    });
    body.hidden = true;
    body.after(editor.root);
    editor.focus();
    editor.textarea.setSelectionRange(editor.textarea.value.length, editor.textarea.value.length);
  }
  function stopEdit() {
    if (!editor) return;
    editor.root.remove();
    editor = null;
    body.hidden = false;
    li.focus();
  }

  async function remove() {
    showError(null);
    try {
      await post(`${messagePath(ctx, current)}/softDelete`);
      undoUntil = Date.now() + UNDO_MS;
      clearTimeout(undoTimer);
      undoTimer = setTimeout(() => { undoUntil = 0; if (!destroyed) render(); }, UNDO_MS);
      await refresh();
      announce(t('conversation.deletedAnnounce'));
      const undo = body.querySelector('.undo');
      if (undo) undo.focus();
    } catch (err) { showError(err); }
  }
  async function undoDelete() {
    showError(null);
    try {
      await post(`${messagePath(ctx, current)}/undoSoftDelete`);
      clearTimeout(undoTimer);
      undoUntil = 0;
      await refresh();
      announce(t('conversation.restored'));
      li.focus();
    } catch (err) { showError(err); }
  }

  function render() {
    const sender = senderOf(current);
    li.classList.toggle('from-app', sender.app);
    li.classList.toggle('is-deleted', !!current.deletedDateTime);
    li.classList.toggle('mine', mine());
    li.classList.toggle('mentions-me', !!(me && (current.mentions || []).some((m) => m.mentioned && m.mentioned.user && m.mentioned.user.id === me.id)));
    // A re-render (the stream's copy of a change we just made) keeps the focus on Undo.
    const undoHadFocus = !!(document.activeElement && document.activeElement.classList.contains('undo') && body.contains(document.activeElement));
    avatarBox.replaceChildren(avatar(sender.name, sender.image, isReply ? 24 : 32));
    head.replaceChildren(...renderHead(current).filter(Boolean));
    body.replaceChildren(...renderBody(current, me));
    // Undo is offered to whoever deleted it here (the author, or a team owner), for a while.
    if (current.deletedDateTime && Date.now() < undoUntil) {
      const undo = h('button.button.link.undo', { type: 'button', text: t('conversation.undo') });
      undo.addEventListener('click', undoDelete);
      body.querySelector('.deleted').append(' ', undo);
      if (undoHadFocus) undo.focus();
    }
    reactions.render(current.deletedDateTime ? [] : current.reactions, me);
    actions.hidden = !!current.deletedDateTime;
    if (thread) thread.setCanReply(!current.deletedDateTime);
    if (editor && current.deletedDateTime) stopEdit();
  }

  // Shift+F10 or the context-menu key on a focused message opens its menu (as a right click
  // would), so edit and delete are reachable without hunting for the button.
  li.addEventListener('keydown', (e) => {
    if (e.target !== li) return;
    if ((e.key === 'F10' && e.shiftKey) || e.key === 'ContextMenu') { e.preventDefault(); if (!current.deletedDateTime) menu.open(0); }
  });

  function update(next) {
    if (!next || next.id !== current.id) {
      // A reply's update reaches the root's item too: it belongs to the thread.
      if (next && next.replyToId === current.id && threads) threads.addReply(next);
      return;
    }
    current = next;
    if (!destroyed) render();
  }

  render();
  return {
    el: li,
    get msg() { return current; },
    update,
    addReply(reply) { if (threads) threads.addReply(reply); },
    destroy() {
      destroyed = true;
      clearTimeout(undoTimer);
      if (thread) thread.destroy();
      if (editor) editor.destroy();
    },
  };
}
