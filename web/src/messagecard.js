// MessageCard (Office 365 connector card) rendered the way Teams shows it: a theme-colour bar,
// title, text, sections (activity header, hero image, facts, images, text, actions), then the
// card's actions. Every string from the card is either set as textContent or rendered by
// markdown.js: text fields with Teams' markdown and HTML subset for connector cards, titles and
// facts as inline markdown without HTML.
//
// Teams behaviours followed (sources in docs/web-client.md):
// - every action of a row is a visible button, wrapping on narrow cards: Teams shows six
//   ("The actionable messages include six visible buttons on the card", learn.microsoft.com/
//   microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using) and the webhook
//   accepts at most four per potentialAction (docs/cards.md; the MessageCard reference's limit,
//   as atc0005/go-teams-notify messagecard.PotentialActionMaxSupported cites it), so no row ever
//   needs an overflow menu;
// - OpenUri opens the target for the person's OS (iOS, android, windows), else `default`, else
//   the first;
// - a section with `markdown: false` shows its texts as typed;
// - a fact value or text that is exactly an ISO 8601 UTC timestamp is shown relative
//   ("2 hours ago") in a <time> whose title is the exact local time (the built-in connectors
//   emit such values).
import { h, safeLinkUrl, safeImageUrl, neutraliseLinks } from './dom.js';
import { markdownInlineNode, messageCardTextNode } from './markdown.js';
import { runAction, actionStatus, actionIdFor } from './actions.js';
import { t, lang } from './i18n.js';

// Teams shows a card's first 10 sections and a section's first 5 images, and drops the rest
// ("Any additional sections, images, or actions in a message do not appear": Teams' cards
// reference); the server accepts such cards as Teams does.
const SHOWN_SECTIONS = 10;
const SHOWN_IMAGES = 5;
const str = (v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const arr = (v) => (Array.isArray(v) ? v : []);

function themeColor(v) {
  const s = str(v).trim().replace(/^#/, '');
  return /^([0-9a-f]{3}|[0-9a-f]{6})$/i.test(s) ? '#' + s : null;
}

// ---- Times -------------------------------------------------------------------------------

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function isIsoTimestamp(s) {
  return typeof s === 'string' && ISO_UTC.test(s.trim()) && !Number.isNaN(Date.parse(s.trim()));
}

const UNITS = [['year', 365 * 86400], ['month', 30 * 86400], ['week', 7 * 86400], ['day', 86400], ['hour', 3600], ['minute', 60]];

export function relativeTime(date, now = Date.now()) {
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const diff = (date.getTime() - now) / 1000;
  for (const [unit, secs] of UNITS) {
    if (Math.abs(diff) >= secs) return rtf.format(Math.trunc(diff / secs), unit);
  }
  return rtf.format(0, 'second');
}

// The relative texts are refreshed once a minute while any is on the page.
let ticker = null;
function refreshTimes() {
  const times = document.querySelectorAll('time.mc-time');
  if (!times.length) { clearInterval(ticker); ticker = null; return; }
  for (const t of times) t.textContent = relativeTime(new Date(t.dateTime));
}

function timeNode(iso) {
  const d = new Date(iso.trim());
  const exact = d.toLocaleString(lang(), { dateStyle: 'full', timeStyle: 'long' });
  if (!ticker) ticker = setInterval(refreshTimes, 60_000);
  return h('time.mc-time', { datetime: iso.trim(), title: exact, text: relativeTime(d) });
}

// ---- Text --------------------------------------------------------------------------------

// Mentions are an Adaptive Card feature (msteams.entities); a MessageCard has no entities, so
// "<at>Name</at>" shows the name, never the tags.
const unmention = (s) => s.replace(/<at>([\s\S]*?)<\/at>/gi, '$1');

// A field that is nothing but a data: image URL (senders paste screenshots and charts so) is
// that image when it is a raster one, else the word "image": never the base64 as text.
const DATA_IMAGE = /^\s*data:image\/[^\s]*\s*$/i;
function dataImageNode(value) {
  const src = safeImageUrl(value);
  return src ? h('img.mc-inline-image', { src, alt: '' }) : h('span.mc-plain', { text: t('connectors.card.image') });
}

// A text field (card text, section text, activityText).
function textNode(raw, cls, markdown = true) {
  const value = unmention(raw);
  if (DATA_IMAGE.test(value)) return h(`div.${cls.split(' ').join('.')}`, {}, dataImageNode(value));
  if (isIsoTimestamp(value)) return h(`div.${cls.split(' ').join('.')}`, {}, timeNode(value));
  if (!markdown) return h(`div.${cls.split(' ').join('.')}.mc-plain`, { text: value });
  return messageCardTextNode(value, cls + ' md');
}

// A one-line field (titles, fact names and values).
function inlineNode(raw, markdown = true) {
  const value = unmention(raw);
  if (DATA_IMAGE.test(value)) return dataImageNode(value);
  if (isIsoTimestamp(value)) return timeNode(value);
  if (!markdown) return h('span.mc-plain', { text: value });
  return markdownInlineNode(value);
}

// ---- Actions -----------------------------------------------------------------------------

// The OS name Teams' OpenUri targets use for this browser.
function platformOs() {
  const ua = navigator.userAgent || '';
  if (/iPhone|iPad|iPod/i.test(ua)) return 'iOS';
  if (/Android/i.test(ua)) return 'android';
  if (/Windows/i.test(ua)) return 'windows';
  return 'default';
}

export function openUriTarget(action, os = platformOs()) {
  const targets = arr(action.targets).filter((x) => x && typeof x === 'object');
  const pick = (name) => targets.find((x) => str(x.os).toLowerCase() === name.toLowerCase());
  const t = pick(os) || pick('default') || targets[0];
  return t ? safeLinkUrl(str(t.uri)) : null;
}

function openUriLink(action) {
  const href = openUriTarget(action);
  const name = str(action.name) || t('connectors.card.open');
  if (!href) return h('span.mc-button.mc-button-disabled', { text: name, title: t('connectors.card.badLink') });
  return h('a.mc-button', { href, target: '_blank', rel: 'noopener noreferrer', text: name });
}

// ctx: {messageId, attachmentId, uniqueIds} when the server allows actions (it leaves them out otherwise);
// without it (previews) the button is shown disabled.
function httpPostButton(action, ctx, pointer, collect) {
  const name = str(action.name) || t('connectors.card.action');
  if (!ctx) return h('button.mc-button', { type: 'button', disabled: true, text: name });
  const status = actionStatus();
  const button = h('button.mc-button', { type: 'button', text: name });
  button.addEventListener('click', () => runAction({
    messageId: ctx.messageId, actionId: actionIdFor(ctx, pointer, action), inputs: collect ? collect() : {}, statusEl: status, buttons: [button],
  }));
  return h('span.mc-httppost', {}, button, status);
}

let uid = 0;

function choiceInput(input, id, fields) {
  const choices = arr(input.choices).filter((c) => c && typeof c === 'object');
  // Teams: a multi-select list is expanded unless style is "normal"/compact; a single-select one compact.
  const expanded = input.isMultiSelect ? str(input.style) !== 'normal' : str(input.style) === 'expanded';
  if (expanded) {
    const group = h('div.mc-choices', { role: input.isMultiSelect ? 'group' : 'radiogroup', id });
    const name = `mc-choice-${uid}`;
    for (const c of choices) {
      const cid = `mc-in-${++uid}`;
      group.append(h('div.mc-choice', {}, h('input', { type: input.isMultiSelect ? 'checkbox' : 'radio', name, id: cid, value: str(c.value), checked: str(c.value) === str(input.value) }), h('label', { for: cid, text: str(c.display) })));
    }
    fields.push([str(input.id), () => [...group.querySelectorAll('input:checked')].map((x) => x.value).join(',')]);
    return group;
  }
  const sel = h('select', { id, multiple: Boolean(input.isMultiSelect) });
  for (const c of choices) sel.append(h('option', { value: str(c.value), text: str(c.display), selected: str(c.value) === str(input.value) }));
  fields.push([str(input.id), () => [...sel.selectedOptions].map((o) => o.value).join(',')]);
  return sel;
}

function actionCard(action, ctx, pointer) {
  const d = h('details.mc-actioncard');
  d.append(h('summary.mc-button', { text: str(action.name) || t('connectors.card.more') }));
  const form = h('div.mc-actioncard-body');
  const fields = []; // [input id, () => value]
  for (const input of arr(action.inputs)) {
    if (!input || typeof input !== 'object') continue;
    const id = `mc-in-${++uid}`;
    const label = str(input.title) || str(input.id) || t('connectors.card.input');
    const wrap = h('div.mc-input');
    wrap.append(h('label', { for: id, text: label }));
    const type = str(input['@type']);
    const maxlength = Number.isInteger(input.maxLength) && input.maxLength > 0 ? input.maxLength : null;
    const required = input.isRequired === true;
    let field;
    if (type === 'MultichoiceInput') {
      field = choiceInput(input, id, fields);
    } else {
      field = type === 'DateInput' ? h('input', { type: input.includeTime ? 'datetime-local' : 'date', id, value: str(input.value), required })
        : input.isMultiline ? h('textarea', { id, rows: 3, text: str(input.value), maxlength, required })
          : h('input', { type: 'text', id, value: str(input.value), maxlength, required });
      fields.push([str(input.id), () => field.value]);
    }
    wrap.append(field);
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
      default: break; // InvokeAddInCommand (an Outlook add-in) and anything else: nothing to show, as in Teams
    }
  });
  return row.childNodes.length ? row : null;
}

// ---- Card --------------------------------------------------------------------------------

function section(sec, ctx, base) {
  const el = h('div.mc-section');
  const markdown = sec.markdown !== false;
  if (sec.startGroup) el.classList.add('mc-group');
  if (str(sec.title)) el.append(textNode(str(sec.title), 'mc-section-title', markdown));
  const hasActivity = str(sec.activityTitle) || str(sec.activitySubtitle) || str(sec.activityText) || str(sec.activityImage);
  if (hasActivity) {
    const act = h('div.mc-activity');
    const img = safeImageUrl(str(sec.activityImage));
    if (img) {
      const image = h('img.mc-activity-image', { src: img, alt: '', width: 36, height: 36, loading: 'lazy', referrerPolicy: 'no-referrer' });
      // Outlook's "article" type is a square picture; the default a round avatar.
      if (/^article$/i.test(str(sec.activityImageType))) image.classList.add('mc-square');
      act.append(image);
    }
    const txt = h('div.mc-activity-text');
    if (str(sec.activityTitle)) txt.append(h('div.mc-activity-title', {}, inlineNode(str(sec.activityTitle), markdown)));
    if (str(sec.activitySubtitle)) txt.append(h('div.mc-activity-subtitle', {}, inlineNode(str(sec.activitySubtitle), markdown)));
    if (str(sec.activityText)) txt.append(textNode(str(sec.activityText), 'mc-activity-body', markdown));
    act.append(txt);
    el.append(act);
  }
  const hero = sec.heroImage && typeof sec.heroImage === 'object' ? safeImageUrl(str(sec.heroImage.image)) : null;
  if (hero) el.append(h('img.mc-hero', { src: hero, alt: str(sec.heroImage.title), title: str(sec.heroImage.title) || null, loading: 'lazy', referrerPolicy: 'no-referrer' }));
  const facts = arr(sec.facts).filter((f) => f && typeof f === 'object');
  if (facts.length) {
    // A table, stacked name above value when the card is narrow (messagecard.css).
    const body = document.createDocumentFragment();
    for (const f of facts) body.append(h('tr', { role: 'row' }, h('th', { scope: 'row', role: 'rowheader' }, inlineNode(str(f.name), markdown)), h('td', { role: 'cell' }, inlineNode(str(f.value), markdown))));
    // Explicit roles: a stacked (display:block) table keeps its meaning for assistive technology.
    el.append(h('table.mc-facts', { role: 'table' }, h('tbody', { role: 'rowgroup' }, body)));
  }
  if (str(sec.text)) el.append(textNode(str(sec.text), 'mc-text', markdown));
  const images = arr(sec.images).slice(0, SHOWN_IMAGES).filter((i) => i && typeof i === 'object' && safeImageUrl(str(i.image)));
  if (images.length) {
    el.append(h('div.mc-images', {}, images.map((i) => h('img', { src: safeImageUrl(str(i.image)), alt: str(i.title), title: str(i.title) || null, loading: 'lazy', referrerPolicy: 'no-referrer' }))));
  }
  const actions = renderActions(sec.potentialAction, ctx, `${base}/potentialAction`);
  if (actions) el.append(actions);
  return el;
}

// Images that cannot be loaded are hidden instead of showing a broken-image icon.
function hideBroken(root) {
  for (const img of root.querySelectorAll('img')) img.addEventListener('error', () => { img.hidden = true; }, { once: true });
  return root;
}

export function renderMessageCard(card, ctx = null) {
  const root = h('div.card.messagecard', { role: 'article', 'aria-label': str(card.title) || str(card.summary) || t('connectors.card.card') });
  const color = themeColor(card.themeColor);
  if (color) root.style.setProperty('--theme', color);
  else root.classList.add('no-theme');
  if (str(card.title)) root.append(h('h3.mc-title', {}, inlineNode(str(card.title))));
  if (str(card.text)) root.append(textNode(str(card.text), 'mc-text'));
  let sections = 0;
  arr(card.sections).slice(0, SHOWN_SECTIONS).forEach((sec, i) => {
    if (!sec || typeof sec !== 'object') return;
    sections++;
    root.append(section(sec, ctx, `/sections/${i}`));
  });
  const actions = renderActions(card.potentialAction, ctx, '/potentialAction');
  if (actions) root.append(actions);
  // A card with nothing else to show shows its summary (the text Teams puts in notifications).
  if (!str(card.title) && !str(card.text) && !sections && str(card.summary)) root.prepend(h('p.mc-summary', { text: str(card.summary) }));
  return hideBroken(neutraliseLinks(root));
}
