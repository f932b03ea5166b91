// One chatMessage as a list item: avatar, sender, time, then the text or the cards.
import { h, avatar, formatTime } from './dom.js';
import { renderMessageCard } from './messagecard.js';
import { renderAdaptiveCard } from './adaptive.js';
import { uniqueActionIds } from './actions.js';

const MESSAGE_CARD = 'application/vnd.microsoft.teams.card.o365connector';
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function senderOf(msg) {
  const from = msg.from || {};
  if (from.application) {
    const app = from.application;
    // imageUrl is a same-origin path, present only when the connector has an avatar: a
    // configuration's image, or a catalog app's icon (connector apps, test cards).
    const image = typeof app.imageUrl === 'string' && /^\/(api\/v1\/connectors|v1\.0\/appCatalogs\/teamsApps)\/[\w-]+\/(image|icon)$/.test(app.imageUrl) ? app.imageUrl : null;
    return { name: app.displayName || 'Connector', image, app: true };
  }
  if (from.user) return { name: from.user.displayName || 'Unknown user', image: null, app: false };
  return { name: 'Unknown', image: null, app: false };
}

// A person's html message is shown as its text: parsed in an inert document, never inserted.
function htmlToText(html) {
  const doc = new DOMParser().parseFromString(String(html), 'text/html');
  for (const br of doc.querySelectorAll('br')) br.replaceWith('\n');
  for (const p of doc.querySelectorAll('p, div, li')) p.append('\n');
  return (doc.body.textContent || '').replace(/\n+$/, '');
}

function cardOf(att) {
  if (typeof att.content !== 'string') return att.content;
  try { return JSON.parse(att.content); } catch { return null; }
}

// uniqueIds: the action ids that name one action of the whole message (actions.js).
function renderAttachment(att, msg, uniqueIds) {
  const type = String(att.contentType || '').toLowerCase();
  const content = cardOf(att);
  if (!content || typeof content !== 'object') return h('p.card-error', { text: 'This attachment could not be shown.' });
  // Connector cards may carry actions the server runs (actions.js); it leaves them out of the
  // message when policy turns them off.
  const ctx = msg && msg.id && att.id && msg.from && msg.from.application ? { messageId: msg.id, attachmentId: att.id, uniqueIds } : null;
  if (type === MESSAGE_CARD) return renderMessageCard(content, ctx);
  if (type === ADAPTIVE_CARD) return renderAdaptiveCard(content, ctx);
  return h('p.card-error', { text: `Attachment of type ${att.contentType || 'unknown'} (${att.name || 'unnamed'})` });
}

export function renderMessage(msg, { continuation = false } = {}) {
  const sender = senderOf(msg);
  const li = h('li.message', { dataset: { id: msg.id }, tabindex: '-1' });
  if (continuation) li.classList.add('continued');
  if (sender.app) li.classList.add('from-app');
  const time = h('time', { datetime: msg.createdDateTime || '', text: formatTime(msg.createdDateTime) });
  const head = h('div.message-head', {}, h('span.sender', { text: sender.name }), sender.app ? h('span.badge', { text: 'Connector' }) : null, time);
  const body = h('div.message-body');
  const atts = Array.isArray(msg.attachments) ? msg.attachments : [];
  const content = msg.body && typeof msg.body.content === 'string' ? msg.body.content : '';
  if (msg.deletedDateTime) {
    body.append(h('p.text.deleted', { text: 'This message has been deleted.' }));
  } else if (atts.length) {
    const uniqueIds = uniqueActionIds(atts.map(cardOf));
    for (const a of atts) body.append(renderAttachment(a, msg, uniqueIds));
  } else if (msg.body && String(msg.body.contentType).toLowerCase() === 'html') {
    body.append(h('p.text', { text: htmlToText(content) }));
  } else {
    body.append(h('p.text', { text: content }));
  }
  li.append(h('div.message-avatar', {}, avatar(sender.name, sender.image, 32)), h('div.message-main', {}, head, body));
  return li;
}
