// Adaptive Cards through the official renderer, as Teams shows them: Teams' host config for
// the theme (adaptive/hostconfig.js; cards are rendered again when the theme changes), every
// element and action up to 1.5 and Teams' 1.6 registered explicitly (adaptive/registry.js),
// targetWidth (adaptive/targetwidth.js), msteams.width "Full", and <at> mentions from
// msteams.entities as mention pills (adaptive/mentions.js).
//
// Markdown goes through markdown-it (html:false) and the sanitizer; Action.OpenUrl and
// selectAction open only http, https and mailto URLs, and every href the renderer writes (a
// TextRun's selectAction becomes <a href>) is checked against the same rule, in show-cards too
// when they open. Action.Submit and Action.Execute are shown, as Teams shows them on a webhook's
// card, and answer a click with Teams' message: a webhook has no bot to receive them.
// Action.Http is registered when the message allows it (ctx given): the server runs it
// (actions.js), named by the JSON Pointer of the action in the stored card.
import * as AC from 'adaptivecards';
import { h, safeLinkUrl, neutraliseLinks } from './dom.js';
import { renderMarkdown, sanitizeHtml } from './markdown.js';
import { runAction, actionStatus, actionIdFor, pointerToken } from './actions.js';
import { currentTheme } from './theme.js';
import { elementRegistry, actionRegistry } from './adaptive/registry.js';
import { hostConfigFor } from './adaptive/hostconfig.js';
import { markMentions, renderMentions, teamsPropsOf } from './adaptive/mentions.js';
import { markTargetWidths, followWidth } from './adaptive/targetwidth.js';
import { t } from './i18n.js';

const ACTION_ID = 'sb-action:';
// What Teams says when a card's Submit/Execute action reaches no bot (an incoming webhook's
// card has none): MicrosoftDocs/msteams-docs#6497, microsoft/AdaptiveCards#7712.
export const NO_BOT_MESSAGE = 'Unable to reach app. Please try again.';

AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  const frag = sanitizeHtml(renderMarkdown(text));
  const div = document.createElement('div');
  div.append(frag);
  result.outputHtml = div.innerHTML;
  result.didProcess = true;
};
// More actions than the host config's maxActions go to the "..." menu instead of being dropped.
AC.GlobalSettings.allowMoreThanMaxActionsInOverflowMenu = true;

function context(withHttp) {
  const ctx = new AC.SerializationContext();
  ctx.setElementRegistry(elementRegistry());
  ctx.setActionRegistry(actionRegistry(withHttp));
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

// Shows a message in the card's status line (a polite live region).
function say(status, text) {
  status.hidden = false;
  status.dataset.kind = 'error';
  status.textContent = text;
}

// Images the renderer created point only at https or data: rasters (CSP blocks the rest
// anyway), and leak no referrer.
function checkImages(el) {
  for (const img of el.querySelectorAll('img')) {
    const src = img.getAttribute('src') || '';
    if (!/^(https:\/\/|data:image\/(png|jpeg|gif|webp);)/i.test(src)) img.removeAttribute('src');
    img.referrerPolicy = 'no-referrer';
  }
}

// The cards on screen and what they were rendered from ({json, ctx, observer}), for rendering
// them again in the new theme's host config.
const rendered = new WeakMap();

// Renders json into wrap (emptied first) with the host config of `theme`.
function renderInto(wrap, json, ctx, theme) {
  const source = rendered.get(wrap);
  if (source.observer) source.observer.disconnect();
  source.observer = null;
  wrap.replaceChildren();
  const own = new Map(); // pointer -> the Action.Http as the card has it
  const props = teamsPropsOf(json);
  const wide = props && typeof props.width === 'string' && props.width.toLowerCase() === 'full';
  wrap.classList.toggle('ac-width-full', !!wide);
  try {
    const card = new AC.AdaptiveCard();
    const status = actionStatus();
    card.hostConfig = hostConfigFor(theme);
    const marked = markMentions(ctx ? tagHttpActions(json, own) : json);
    const targeted = markTargetWidths(marked.card);
    const finish = (root) => {
      neutraliseLinks(root);
      checkImages(root);
      renderMentions(root, marked.mentions);
    };
    card.onExecuteAction = (action) => {
      if (action instanceof AC.OpenUrlAction) {
        const url = safeLinkUrl(action.url);
        if (url) window.open(url, '_blank', 'noopener,noreferrer');
      } else if (action instanceof AC.SubmitAction || action instanceof AC.ExecuteAction) {
        say(status, NO_BOT_MESSAGE);
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
    card.onInlineCardExpanded = () => finish(wrap);
    card.parse(targeted.card, context(!!ctx));
    const el = card.render();
    if (el) {
      finish(el);
      wrap.append(el, status);
      source.observer = followWidth(card, wrap, targeted.targets);
    } else {
      wrap.append(h('p.card-error', { text: t('connectors.card.notShown') }));
    }
  } catch (err) {
    wrap.append(h('p.card-error', { text: t('connectors.card.notShownWhy', { error: err && err.message }) }));
  }
}

window.addEventListener('sb-themechange', (e) => {
  const theme = (e.detail && e.detail.theme) || currentTheme();
  for (const wrap of document.querySelectorAll('.card.adaptivecard')) {
    const source = rendered.get(wrap);
    if (source) renderInto(wrap, source.json, source.ctx, theme);
  }
});

// ctx: {messageId, attachmentId, uniqueIds} for a message whose actions the server allows.
export function renderAdaptiveCard(json, ctx = null) {
  const wrap = h('div.card.adaptivecard', { role: 'article', 'aria-label': t('connectors.card.adaptive') });
  rendered.set(wrap, { json, ctx, observer: null });
  renderInto(wrap, json, ctx, currentTheme());
  return wrap;
}
