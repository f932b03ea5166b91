// Card actions that call the sender's service (actionable messages). The browser never calls
// the service: it asks the server to run the action named by its own id (a MessageCard
// HttpPOST's "@id", an Adaptive Card Action.Http's "id", when no other action of the message
// has it), or else by the card's attachment id and a JSON Pointer into the card
// (POST /api/v1/messages/{id}/actions), then follows the execution
// (GET /api/v1/actionExecutions/{id}) and shows the service's CARD-ACTION-STATUS, or the error.
// A card the service replaced arrives for everyone as a messageUpdated event.
import { h } from './dom.js';
import { post, get, enc } from './api.js';
import { t } from './i18n.js';

// RFC 6901 escaping of one pointer token.
export function pointerToken(t) {
  return String(t).replace(/~/g, '~0').replace(/\//g, '~1');
}

// Whether v is a service-calling action, and its own id.
function ownId(v) {
  if (v['@type'] === 'HttpPOST') return typeof v['@id'] === 'string' ? v['@id'] : '';
  if (v.type === 'Action.Http') return typeof v.id === 'string' ? v.id : '';
  return null;
}

// The own ids that exactly one service-calling action of these cards (a message's) has: the
// server finds an action by such an id; a shared one names none.
export function uniqueActionIds(cards) {
  const seen = new Map();
  const walk = (v) => {
    if (Array.isArray(v)) { v.forEach(walk); return; }
    if (!v || typeof v !== 'object') return;
    const id = ownId(v);
    if (id) seen.set(id, (seen.get(id) || 0) + 1);
    Object.values(v).forEach(walk);
  };
  cards.forEach(walk);
  return new Set([...seen].filter(([, n]) => n === 1).map(([id]) => id));
}

// The actionId to send for the action `action` at `pointer` of the card of ctx.attachmentId.
export function actionIdFor(ctx, pointer, action) {
  const id = action && ownId(action);
  return id && ctx.uniqueIds && ctx.uniqueIds.has(id) ? id : `${ctx.attachmentId}:${pointer}`;
}

// The element that reports an action's progress to the person (a polite live region).
export function actionStatus() {
  return h('p.action-status', { role: 'status', 'aria-live': 'polite', hidden: true });
}

// The card may have been replaced (its service updated it) while the action ran: the status
// then goes under the new rendering of the same message.
function place(el, messageId) {
  if (el.isConnected) return el;
  const li = [...document.querySelectorAll('li.message')].find((x) => x.dataset.id === messageId);
  const body = li && li.querySelector('.message-body');
  if (!body) return el;
  const fresh = body.querySelector(':scope > .action-status') || body.appendChild(actionStatus());
  return fresh;
}

function show(el, text, kind, messageId) {
  const target = place(el, messageId);
  target.hidden = false;
  target.textContent = text;
  target.dataset.kind = kind;
}

const POLL_DELAYS = [150, 250, 400, 700, 1000, 1500, 2000];
const POLL_LIMIT_MS = 60_000;

// Runs the action; `buttons` are disabled while it runs. Resolves with the final execution.
export async function runAction({ messageId, actionId, inputs, statusEl, buttons = [] }) {
  for (const b of buttons) b.disabled = true;
  show(statusEl, 'Sending\u2026', 'pending', messageId);
  try {
    let exec = await post(`/api/v1/messages/${enc(messageId)}/actions`, { actionId, inputs });
    const start = Date.now();
    for (let i = 0; exec.status === 'pending'; i++) {
      if (Date.now() - start > POLL_LIMIT_MS) {
        show(statusEl, 'The service has not answered yet. The action will still run.', 'pending', messageId);
        return exec;
      }
      await new Promise((r) => setTimeout(r, POLL_DELAYS[Math.min(i, POLL_DELAYS.length - 1)]));
      exec = await get(`/api/v1/actionExecutions/${enc(exec.id)}`);
    }
    if (exec.status === 'succeeded') {
      let text = exec.cardActionStatus || (exec.cardUpdated ? t('connectors.action.cardUpdated') : t('connectors.action.done'));
      if (exec.error) text += ` (${exec.error})`;
      show(statusEl, text, 'ok', messageId);
    } else {
      const why = exec.cardActionStatus ? `${exec.cardActionStatus} (${exec.error || t('connectors.action.failed')})` : exec.error || t('connectors.action.actionFailed');
      show(statusEl, t('connectors.action.couldNot', { why }), 'error', messageId);
    }
    return exec;
  } catch (err) {
    show(statusEl, t('connectors.action.couldNot', { why: err.message }), 'error', messageId);
    return null;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}
