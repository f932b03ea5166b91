// MessageCard (Office 365 connector card) rendered the way Teams shows it: a theme-colour bar,
// title, text, sections (activity header, facts, images, text), then the actions. Every string
// from the card is either set as textContent or passed through markdown-it (html:false).
import { h, safeLinkUrl, safeImageUrl, neutraliseLinks } from './dom.js';
import { markdownNode, markdownInlineNode } from './markdown.js';
import { runAction, actionStatus, actionIdFor } from './actions.js';

const str = (v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const arr = (v) => (Array.isArray(v) ? v : []);

function themeColor(v) {
  const s = str(v).trim().replace(/^#/, '');
  return /^([0-9a-f]{3}|[0-9a-f]{6})$/i.test(s) ? '#' + s : null;
}

function section(sec, ctx, base) {
  const el = h('div.mc-section');
  if (sec.startGroup) el.classList.add('mc-group');
  if (str(sec.title)) el.append(markdownNode(sec.title, 'mc-section-title md'));
  const hasActivity = str(sec.activityTitle) || str(sec.activitySubtitle) || str(sec.activityText) || str(sec.activityImage);
  if (hasActivity) {
    const act = h('div.mc-activity');
    const img = safeImageUrl(str(sec.activityImage));
    if (img) act.append(h('img.mc-activity-image', { src: img, alt: '', width: 36, height: 36, loading: 'lazy', referrerPolicy: 'no-referrer' }));
    const txt = h('div.mc-activity-text');
    if (str(sec.activityTitle)) txt.append(h('div.mc-activity-title', {}, markdownInlineNode(sec.activityTitle)));
    if (str(sec.activitySubtitle)) txt.append(h('div.mc-activity-subtitle', {}, markdownInlineNode(sec.activitySubtitle)));
    if (str(sec.activityText)) txt.append(markdownNode(sec.activityText, 'mc-activity-body md'));
    act.append(txt);
    el.append(act);
  }
  const facts = arr(sec.facts).filter((f) => f && typeof f === 'object');
  if (facts.length) {
    const table = h('table.mc-facts');
    const body = h('tbody');
    for (const f of facts) {
      body.append(h('tr', {}, h('th', { scope: 'row' }, markdownInlineNode(str(f.name))), h('td', {}, markdownInlineNode(str(f.value)))));
    }
    table.append(body);
    el.append(table);
  }
  if (str(sec.text)) el.append(markdownNode(sec.text, 'mc-text md'));
  const images = arr(sec.images).map((i) => i && safeImageUrl(str(i.image))).filter(Boolean);
  if (images.length) {
    el.append(h('div.mc-images', {}, images.map((src, i) => h('img', { src, alt: str(sec.images[i] && sec.images[i].title) || '', loading: 'lazy', referrerPolicy: 'no-referrer' }))));
  }
  const actions = renderActions(sec.potentialAction, ctx, `${base}/potentialAction`);
  if (actions) el.append(actions);
  return el;
}

function openUriLink(action) {
  const targets = arr(action.targets);
  const t = targets.find((x) => x && /^default$/i.test(str(x.os))) || targets[0];
  const href = t && safeLinkUrl(str(t.uri));
  const name = str(action.name) || 'Open';
  if (!href) return h('span.mc-button.mc-button-disabled', { text: name, title: 'This link is not an http, https or mailto URL' });
  return h('a.mc-button', { href, target: '_blank', rel: 'noopener noreferrer', text: name });
}

// ctx: {messageId, attachmentId, uniqueIds} when the server allows actions (it leaves them out otherwise);
// without it (previews) the button is shown disabled.
function httpPostButton(action, ctx, pointer, collect) {
  const name = str(action.name) || 'Action';
  if (!ctx) return h('button.mc-button', { type: 'button', disabled: true, text: name });
  const status = actionStatus();
  const button = h('button.mc-button', { type: 'button', text: name });
  button.addEventListener('click', () => runAction({
    messageId: ctx.messageId, actionId: actionIdFor(ctx, pointer, action), inputs: collect ? collect() : {}, statusEl: status, buttons: [button],
  }));
  return h('span.mc-httppost', {}, button, status);
}

let uid = 0;
function actionCard(action, ctx, pointer) {
  const d = h('details.mc-actioncard');
  d.append(h('summary.mc-button', { text: str(action.name) || 'More' }));
  const form = h('div.mc-actioncard-body');
  const fields = []; // [input id, () => value]
  for (const input of arr(action.inputs)) {
    if (!input || typeof input !== 'object') continue;
    const id = `mc-in-${++uid}`;
    const label = str(input.title) || str(input.id) || 'Input';
    const wrap = h('div.mc-input');
    wrap.append(h('label', { for: id, text: label }));
    const type = str(input['@type']);
    if (type === 'MultichoiceInput') {
      const choices = arr(input.choices).filter((c) => c && typeof c === 'object');
      if (input.isMultiSelect) {
        const group = h('div', { role: 'group', id });
        for (const c of choices) {
          const cid = `mc-in-${++uid}`;
          group.append(h('div', {}, h('input', { type: 'checkbox', id: cid, value: str(c.value) }), h('label', { for: cid, text: str(c.display) })));
        }
        fields.push([str(input.id), () => [...group.querySelectorAll('input:checked')].map((x) => x.value).join(',')]);
        wrap.append(group);
      } else {
        const sel = h('select', { id });
        for (const c of choices) sel.append(h('option', { value: str(c.value), text: str(c.display) }));
        fields.push([str(input.id), () => sel.value]);
        wrap.append(sel);
      }
    } else {
      const field = type === 'DateInput' ? h('input', { type: 'date', id, value: str(input.value) })
        : input.isMultiline ? h('textarea', { id, rows: 3, text: str(input.value) })
          : h('input', { type: 'text', id, value: str(input.value) });
      fields.push([str(input.id), () => field.value]);
      wrap.append(field);
    }
    form.append(wrap);
  }
  const collect = () => Object.fromEntries(fields.filter(([k]) => k).map(([k, f]) => [k, f()]));
  const buttons = h('div.mc-actions');
  arr(action.actions).forEach((a, j) => {
    if (!a || typeof a !== 'object') return;
    if (a['@type'] === 'OpenUri') buttons.append(openUriLink(a));
    else if (a['@type'] === 'HttpPOST') buttons.append(httpPostButton(a, ctx, `${pointer}/actions/${j}`, collect));
  });
  form.append(buttons);
  d.append(form);
  return d;
}

// base: the JSON Pointer of the list in the card ("/potentialAction", "/sections/0/potentialAction").
function renderActions(list, ctx, base) {
  const row = h('div.mc-actions');
  arr(list).forEach((a, i) => {
    if (!a || typeof a !== 'object') return;
    const pointer = `${base}/${i}`;
    switch (a['@type']) {
      case 'OpenUri': row.append(openUriLink(a)); break;
      case 'HttpPOST': row.append(httpPostButton(a, ctx, pointer)); break;
      case 'ActionCard': row.append(actionCard(a, ctx, pointer)); break;
      default: break; // InvokeAddInCommand and anything else: nothing to show
    }
  });
  return row.childNodes.length ? row : null;
}

// Images that cannot be loaded are hidden instead of showing a broken-image icon.
function hideBroken(root) {
  for (const img of root.querySelectorAll('img')) img.addEventListener('error', () => { img.hidden = true; }, { once: true });
  return root;
}

export function renderMessageCard(card, ctx = null) {
  const root = h('div.card.messagecard', { role: 'article', 'aria-label': str(card.title) || str(card.summary) || 'Card' });
  const color = themeColor(card.themeColor);
  if (color) root.style.setProperty('--theme', color);
  else root.classList.add('no-theme');
  if (str(card.title)) root.append(h('h3.mc-title', {}, markdownInlineNode(card.title)));
  if (str(card.text)) root.append(markdownNode(card.text, 'mc-text md'));
  arr(card.sections).forEach((sec, i) => {
    if (sec && typeof sec === 'object') root.append(section(sec, ctx, `/sections/${i}`));
  });
  const actions = renderActions(card.potentialAction, ctx, '/potentialAction');
  if (actions) root.append(actions);
  return hideBroken(neutraliseLinks(root));
}
