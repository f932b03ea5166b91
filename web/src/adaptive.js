// Adaptive Cards through the official renderer. Markdown goes through markdown-it (html:false)
// and the sanitizer; Action.OpenUrl and selectAction open only http, https and mailto URLs, and
// every href the renderer writes (a TextRun's selectAction becomes <a href>) is checked against
// the same rule, in show-cards too when they open; Action.Submit/Execute are not
// registered (a webhook has no bot to receive them), so the renderer leaves them out.
// Action.Http is registered when the message allows it (ctx given): the server runs it
// (actions.js), named by the JSON Pointer of the action in the stored card.
import * as AC from 'adaptivecards';
import { h, safeLinkUrl, neutraliseLinks } from './dom.js';
import { renderMarkdown, sanitizeHtml } from './markdown.js';
import { runAction, actionStatus, actionIdFor, pointerToken } from './actions.js';

const ACTION_ID = 'sb-action:';

AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  const frag = sanitizeHtml(renderMarkdown(text));
  const div = document.createElement('div');
  div.append(frag);
  result.outputHtml = div.innerHTML;
  result.didProcess = true;
};

const hostConfig = new AC.HostConfig({
  fontFamily: "'Segoe UI', system-ui, -apple-system, sans-serif",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 12 },
  supportsInteractivity: true,
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, accent: { default: '#5b5fc7', subtle: '#6264a7' }, attention: { default: '#c4314b' }, good: { default: '#237b4b' }, warning: { default: '#835c00' } } },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
  },
  actions: { maxActions: 6, actionsOrientation: 'horizontal', buttonSpacing: 8, showCard: { actionMode: 'inline', inlineTopMargin: 8 } },
});

function context(withHttp) {
  const ctx = new AC.SerializationContext();
  const actions = new AC.CardObjectRegistry();
  AC.GlobalRegistry.populateWithDefaultActions(actions);
  actions.unregister('Action.Submit');
  actions.unregister('Action.Execute');
  if (withHttp) actions.register(AC.HttpAction.JsonTypeName, AC.HttpAction);
  ctx.setActionRegistry(actions);
  return ctx;
}

// A copy of the card whose Action.Http actions carry their JSON Pointer as their id; `own`
// maps each pointer to the action as the card has it (its own id included).
function tagHttpActions(v, own, pointer = '') {
  if (Array.isArray(v)) return v.map((x, i) => tagHttpActions(x, own, `${pointer}/${i}`));
  if (!v || typeof v !== 'object') return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k] = tagHttpActions(x, own, `${pointer}/${pointerToken(k)}`);
  if (out.type === 'Action.Http') {
    own.set(pointer, v);
    out.id = ACTION_ID + pointer;
  }
  return out;
}

// ctx: {messageId, attachmentId, uniqueIds} for a message whose actions the server allows.
export function renderAdaptiveCard(json, ctx = null) {
  const wrap = h('div.card.adaptivecard', { role: 'article', 'aria-label': 'Adaptive Card' });
  const own = new Map(); // pointer -> the Action.Http as the card has it
  try {
    const card = new AC.AdaptiveCard();
    const status = actionStatus();
    card.hostConfig = hostConfig;
    card.onExecuteAction = (action) => {
      if (action instanceof AC.OpenUrlAction) {
        const url = safeLinkUrl(action.url);
        if (url) window.open(url, '_blank', 'noopener,noreferrer');
      } else if (ctx && action instanceof AC.HttpAction && String(action.id).startsWith(ACTION_ID)) {
        const inputs = {};
        for (const input of card.getAllInputs()) {
          if (input.id && input.value !== undefined) inputs[input.id] = String(input.value);
        }
        const pointer = String(action.id).slice(ACTION_ID.length);
        runAction({
          messageId: ctx.messageId, actionId: actionIdFor(ctx, pointer, own.get(pointer)),
          inputs, statusEl: status, buttons: [...wrap.querySelectorAll('button')],
        });
      }
    };
    // A show-card is rendered only when it is first opened.
    card.onInlineCardExpanded = () => neutraliseLinks(wrap);
    card.parse(ctx ? tagHttpActions(json, own) : json, context(!!ctx));
    const el = card.render();
    if (el) {
      neutraliseLinks(el);
      // The renderer's anchors (from markdown) already went through the sanitizer; make sure
      // images it created point only at https or data: rasters (CSP blocks the rest anyway).
      for (const img of el.querySelectorAll('img')) {
        const src = img.getAttribute('src') || '';
        if (!/^(https:\/\/|data:image\/(png|jpeg|gif|webp);)/i.test(src)) img.removeAttribute('src');
        img.referrerPolicy = 'no-referrer';
      }
      wrap.append(el, status);
    } else {
      wrap.append(h('p.card-error', { text: 'This card could not be shown.' }));
    }
  } catch (err) {
    wrap.append(h('p.card-error', { text: 'This card could not be shown: ' + (err && err.message) }));
  }
  return wrap;
}
