// Adaptive Cards as Teams renders them, in a real browser: cards posted through a real incoming
// webhook, shown by the web client with Teams' host config (light, dark, high contrast, and
// rendered again when the theme changes), Table and Carousel present, Submit/Execute shown with
// Teams' message, ShowCard/ToggleVisibility/OpenUrl and the overflow menu working,
// msteams.width "Full", <at> mentions as pills, targetWidth, and nothing wider than a phone.
// Outside URLs (an OpenUrl target, images) are answered by the page's own route handler: the
// browser never leaves loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer, postWebhook } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

const T = { timeout: 60000 };
let server;
let browser;
let team;
let general;
let webhook;

const adaptive = (content) => ({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }] });
const tb = (text, more = {}) => ({ type: 'TextBlock', text, wrap: true, ...more });

// A PNG of w x h grey pixels, for images the cards load from (routed) https URLs.
function png(w, h) {
  const crc = (buf) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((w + 1) * h, 0x99);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0; // filter byte
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const WIDE_PNG = png(900, 60);

const CARDS = {
  elements: {
    type: 'AdaptiveCard', version: '1.6',
    body: [
      tb('Sprint board', { size: 'Large', weight: 'Bolder' }),
      { type: 'Container', style: 'good', items: [tb('Build passed')] },
      { type: 'Container', style: 'attention', items: [tb('Two tests flaky')] },
      { type: 'Container', style: 'emphasis', items: [tb('Emphasised note')] },
      {
        type: 'Table', columns: [{ width: 1 }, { width: 2 }],
        rows: [
          { type: 'TableRow', cells: [{ type: 'TableCell', items: [tb('Owner')] }, { type: 'TableCell', items: [tb('Task')] }] },
          { type: 'TableRow', cells: [{ type: 'TableCell', items: [tb('Adele')] }, { type: 'TableCell', items: [tb('Table cell task')] }] },
        ],
      },
      {
        type: 'Carousel',
        pages: [
          { type: 'CarouselPage', items: [tb('Carousel page one')] },
          { type: 'CarouselPage', items: [tb('Carousel page two')] },
        ],
      },
    ],
  },
  actions: {
    type: 'AdaptiveCard', version: '1.5',
    body: [tb('Expense 77 awaits you'), tb('Receipt details: taxi 23 EUR', { id: 'details', isVisible: false })],
    actions: [
      { type: 'Action.Submit', title: 'Approve expense', data: { id: 77 } },
      { type: 'Action.Execute', title: 'Reject expense', verb: 'reject' },
      { type: 'Action.ShowCard', title: 'Add comment', card: { type: 'AdaptiveCard', body: [tb('Comment form inside'), { type: 'Input.Text', id: 'c', label: 'Comment' }] } },
      { type: 'Action.ToggleVisibility', title: 'Show details', targetElements: ['details'] },
      { type: 'Action.OpenUrl', title: 'Open receipt', url: 'https://receipts.example.test/77' },
      { type: 'Action.OpenUrl', title: 'Sneaky link', url: 'javascript:alert(1)' },
      { type: 'Action.OpenUrl', title: 'Seventh action', url: 'https://receipts.example.test/seven' },
    ],
  },
  full: { type: 'AdaptiveCard', version: '1.2', msteams: { width: 'Full' }, body: [tb('Digest card full width')] },
  normal: { type: 'AdaptiveCard', version: '1.2', body: [tb('Digest card normal width')] },
  // As the Jenkins Office 365 Connector plugin and Grafana spell it.
  fullCamel: { type: 'AdaptiveCard', version: '1.2', msTeams: { width: 'full' }, body: [tb('Digest card msTeams full')] },
  mentions: {
    type: 'AdaptiveCard', version: '1.0',
    body: [
      tb('Deploy approved by <at>Adele UPN</at> and <at>Nobody Known</at>'),
      { type: 'FactSet', facts: [{ title: 'Reviewer', value: '<at>Lee AAD</at>' }] },
      tb('Hostile: <at><img src=x onerror=alert(1)></at>'),
    ],
    msteams: {
      entities: [
        { type: 'mention', text: '<at>Adele UPN</at>', mentioned: { id: 'AdeleV@contoso.onmicrosoft.com', name: 'Adele Vance' } },
        { type: 'mention', text: '<at>Lee AAD</at>', mentioned: { id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', name: 'Lee Gu' } },
        { type: 'mention', text: '<at><img src=x onerror=alert(1)></at>', mentioned: { id: 'x', name: '<b>bold</b>' } },
      ],
    },
  },
  responsive: {
    type: 'AdaptiveCard', version: '1.6',
    body: [
      tb('Responsive card'),
      tb('Layout for wide cards', { targetWidth: 'atLeast:Standard' }),
      tb('Layout for phones', { targetWidth: 'atMost:Narrow' }),
    ],
  },
  phone: {
    type: 'AdaptiveCard', version: '1.5',
    body: [
      tb('Phone check: build 4711 of switchboard'),
      tb('https://ci.example.test/a/really/long/path/without/any/break/points/at/all/0123456789abcdef0123456789abcdef'),
      { type: 'FactSet', facts: [{ title: 'Repository name', value: 'switchboard/switchboard' }, { title: 'Triggered by', value: 'a scheduled pipeline' }] },
      { type: 'Image', url: 'https://img.example.test/wide.png', width: '900px', altText: 'Wide chart' },
      {
        type: 'ColumnSet', columns: [
          { type: 'Column', width: 'auto', items: [tb('Column one with text')] },
          { type: 'Column', width: 'auto', items: [tb('Column two with text')] },
          { type: 'Column', width: 'auto', items: [tb('Column three with text')] },
        ],
      },
    ],
    actions: [
      { type: 'Action.OpenUrl', title: 'View the pipeline run', url: 'https://ci.example.test/1' },
      { type: 'Action.OpenUrl', title: 'View the commit', url: 'https://ci.example.test/2' },
      { type: 'Action.OpenUrl', title: 'Download artifacts', url: 'https://ci.example.test/3' },
      { type: 'Action.OpenUrl', title: 'Re-run all jobs', url: 'https://ci.example.test/4' },
    ],
  },
  themed: {
    type: 'AdaptiveCard', version: '1.2',
    body: [tb('Theme follower card'), { type: 'Container', style: 'warning', items: [tb('Warning box')] }],
  },
};

before(async () => {
  server = await startServer();
  browser = await launch();
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Cards team' });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  webhook = await server.api('POST', `/api/v1/channels/${general.id}/webhooks`, { name: 'Card poster' });
  for (const card of Object.values(CARDS)) assert.equal((await postWebhook(webhook.url, adaptive(card))).status, 200);
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

// Errors of the page's scripts; resource loads are not (the session probe before signing in
// answers 401).
function scriptErrors(page) {
  return page.errors.filter((e) => !/Failed to load resource/.test(e));
}

async function openGeneral({ width = 1280, init } = {}) {
  const page = await newPage(browser, server, { viewport: { width, height: 900 } });
  const opened = [];
  await page.context().route(/^https:\/\/[a-z.]+\.example\.test\//, (route) => {
    const url = route.request().url();
    if (url.endsWith('.png')) return route.fulfill({ status: 200, contentType: 'image/png', body: WIDE_PNG });
    opened.push(url);
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'outside page' });
  });
  page.opened = opened;
  if (init) await page.context().addInitScript(init);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  return page;
}

const cardWith = (page, text) => page.locator('.card.adaptivecard', { hasText: text });
// The computed style property of the nearest element matching `selector` around the text.
function styleAround(page, text, selector, prop) {
  return page.getByText(text, { exact: true }).evaluate((el, [sel, p]) => getComputedStyle(el.closest(sel))[p], [selector, prop]);
}

test('Table and Carousel render, with Teams\' container styles and font sizes', T, async () => {
  const page = await openGeneral();
  const card = cardWith(page, 'Sprint board');
  await card.waitFor();
  await card.getByText('Table cell task').waitFor();
  await card.getByText('Carousel page one').waitFor();
  await card.getByRole('button', { name: /next slide/i }).click();
  await card.getByText('Carousel page two').waitFor({ state: 'visible' });
  // Teams' light host config (adaptivecards-designer microsoft-teams-light.json).
  assert.equal(await styleAround(page, 'Build passed', '.ac-container', 'backgroundColor'), 'rgb(204, 255, 204)');
  assert.equal(await styleAround(page, 'Two tests flaky', '.ac-container', 'backgroundColor'), 'rgb(255, 197, 178)');
  assert.equal(await styleAround(page, 'Emphasised note', '.ac-container', 'backgroundColor'), 'rgb(249, 248, 247)');
  assert.equal(await styleAround(page, 'Sprint board', '.ac-textBlock', 'fontSize'), '18px');
  assert.equal(await styleAround(page, 'Build passed', '.ac-textBlock', 'fontSize'), '14px');
  assert.equal(await styleAround(page, 'Sprint board', '.ac-adaptiveCard', 'paddingLeft'), '16px');
  await card.scrollIntoViewIfNeeded();
  await shot(page, '60-adaptive-table-carousel');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('actions: Submit/Execute show Teams\' message, ShowCard, ToggleVisibility, OpenUrl and the overflow menu work', T, async () => {
  const page = await openGeneral();
  const card = cardWith(page, 'Expense 77 awaits you');
  await card.waitFor();
  const status = card.getByRole('status');

  await card.getByRole('button', { name: 'Approve expense' }).click();
  await status.filter({ hasText: 'Unable to reach app. Please try again.' }).waitFor();
  await card.getByRole('button', { name: 'Reject expense' }).click();
  await status.filter({ hasText: 'Unable to reach app. Please try again.' }).waitFor();

  // ShowCard: the inner card opens in Teams' show-card style (emphasis, #F9F8F7).
  await card.getByRole('button', { name: 'Add comment' }).click();
  await card.getByText('Comment form inside').waitFor();
  assert.equal(await styleAround(page, 'Comment form inside', '.ac-container', 'backgroundColor'), 'rgb(249, 248, 247)');

  const details = card.getByText('Receipt details: taxi 23 EUR');
  assert.equal(await details.isVisible(), false);
  await card.getByRole('button', { name: 'Show details' }).click();
  await details.waitFor({ state: 'visible' });
  await card.getByRole('button', { name: 'Show details' }).click();
  await details.waitFor({ state: 'hidden' });

  // OpenUrl (a button with the role of a link) opens an http(s) URL in a new tab; a
  // javascript: one opens nothing.
  await card.getByRole('link', { name: 'Sneaky link' }).click();
  const [popup] = await Promise.all([page.context().waitForEvent('page'), card.getByRole('link', { name: 'Open receipt' }).click()]);
  await popup.waitForLoadState();
  assert.equal(popup.url(), 'https://receipts.example.test/77');
  assert.deepEqual(page.opened, ['https://receipts.example.test/77']);
  await popup.close();

  // Seven actions, six visible (Teams' maxActions): the seventh is in the "..." menu.
  assert.equal(await card.getByRole('link', { name: 'Seventh action' }).count(), 0);
  await card.getByRole('button', { name: /more options/i }).click();
  await page.getByText('Seventh action').waitFor();
  await shot(page, '61-adaptive-actions');
  assert.deepEqual(scriptErrors(page), []);
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
});

test('msteams.width "Full" spans the message column; other cards keep their width', T, async () => {
  const page = await openGeneral();
  const full = cardWith(page, 'Digest card full width');
  const normal = cardWith(page, 'Digest card normal width');
  await full.waitFor();
  await normal.waitFor();
  const column = await full.evaluate((el) => el.closest('.message-body').getBoundingClientRect().width);
  const fullWidth = (await full.boundingBox()).width;
  const camelWidth = (await cardWith(page, 'Digest card msTeams full').boundingBox()).width;
  const normalWidth = (await normal.boundingBox()).width;
  assert.ok(column > 700, `the message column is ${column}px at 1280`);
  assert.ok(Math.abs(fullWidth - column) <= 1, `full card ${fullWidth}px, column ${column}px`);
  assert.ok(Math.abs(camelWidth - column) <= 1, `msTeams full card ${camelWidth}px, column ${column}px`);
  assert.ok(normalWidth <= 640, `normal card ${normalWidth}px`);
  await page.context().close();
});

test('<at> mentions with msteams.entities render as mention pills, never as a literal <at>', T, async () => {
  const page = await openGeneral();
  const card = cardWith(page, 'Deploy approved by');
  await card.waitFor();
  const pills = card.locator('.ac-mention');
  assert.deepEqual(await pills.allTextContents(), ['Adele UPN', 'Lee AAD', '<img src=x onerror=alert(1)>']);
  assert.equal(await pills.first().getAttribute('title'), 'Adele Vance');
  assert.equal(await pills.nth(1).getAttribute('title'), 'Lee Gu');
  // A hostile mention is text: no element made from it.
  assert.equal(await card.locator('img').count(), 0);
  assert.equal(await pills.nth(2).getAttribute('title'), '<b>bold</b>');
  const text = await card.innerText();
  assert.ok(!/<\/?at>/i.test(text), text);
  assert.match(text, /Deploy approved by Adele UPN and Nobody Known/);
  await card.scrollIntoViewIfNeeded();
  await shot(page, '62-adaptive-mentions');
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('targetWidth: elements show only at their card width, also when the window is resized', T, async () => {
  const page = await openGeneral({ width: 1280 });
  const card = cardWith(page, 'Responsive card');
  await card.waitFor();
  for (const [width, shown, hidden] of [[1280, 'Layout for wide cards', 'Layout for phones'], [375, 'Layout for phones', 'Layout for wide cards'], [1280, 'Layout for wide cards', 'Layout for phones']]) {
    await page.setViewportSize({ width, height: 900 });
    await card.getByText(shown).waitFor({ state: 'visible' });
    await card.getByText(hidden).waitFor({ state: 'hidden' });
  }
  await page.context().close();
});

test('at 375 px nothing overflows: buttons wrap, facts stack, images and columns fit', T, async () => {
  const page = await openGeneral({ width: 375 });
  const card = cardWith(page, 'Phone check: build 4711');
  await card.waitFor();
  await card.getByRole('img', { name: 'Wide chart' }).evaluate((img) => img.complete || new Promise((r) => { img.onload = r; }));
  await card.scrollIntoViewIfNeeded();
  const box = await card.boundingBox();
  const buttons = await card.locator('button').all();
  assert.equal(buttons.length, 4);
  for (const b of buttons) {
    const r = await b.boundingBox();
    assert.ok(r.x >= box.x - 0.5 && r.x + r.width <= box.x + box.width + 0.5, `button ${await b.textContent()} at ${r.x}+${r.width} outside the card ${box.x}+${box.width}`);
  }
  // Every descendant fits in the card.
  const over = await card.evaluate((root) => {
    const edge = root.getBoundingClientRect().right + 0.5;
    return [...root.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > edge && el.getClientRects().length)
      .map((el) => `${el.tagName}.${el.className}`);
  });
  assert.deepEqual(over, []);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  // A fact's name above its value.
  const name = await card.getByText('Repository name').boundingBox();
  const value = await card.getByText('switchboard/switchboard').boundingBox();
  assert.ok(name.y + name.height <= value.y + 0.5, `name ${JSON.stringify(name)} value ${JSON.stringify(value)}`);
  await shot(page, '63-adaptive-phone');
  await page.context().close();
});

test('dark and high contrast: Teams\' dark host config, cards rendered again when the theme changes', T, async () => {
  const page = await openGeneral();
  const card = cardWith(page, 'Theme follower card');
  await card.waitFor();
  const root = () => styleAround(page, 'Theme follower card', '.ac-adaptiveCard', 'backgroundColor');
  const text = () => styleAround(page, 'Theme follower card', '.ac-textBlock', 'color');
  assert.equal(await root(), 'rgb(255, 255, 255)');
  // The system turns dark while the page is open.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.waitForFunction(() => [...document.querySelectorAll('.ac-adaptiveCard')].every((el) => getComputedStyle(el).backgroundColor === 'rgb(45, 44, 44)'));
  assert.equal(await text(), 'rgb(255, 255, 255)');
  assert.equal(await styleAround(page, 'Warning box', '.ac-container', 'backgroundColor'), 'rgb(255, 226, 178)');
  await shot(page, '64-adaptive-dark');
  await page.context().close();

  // The user's setting: high contrast.
  const hc = await openGeneral({ init: () => localStorage.setItem('sb.theme', 'contrast') });
  await cardWith(hc, 'Theme follower card').waitFor();
  assert.equal(await styleAround(hc, 'Theme follower card', '.ac-adaptiveCard', 'backgroundColor'), 'rgb(0, 0, 0)');
  assert.equal(await styleAround(hc, 'Theme follower card', '.ac-textBlock', 'color'), 'rgb(255, 255, 255)');
  await shot(hc, '65-adaptive-contrast');
  assert.deepEqual(scriptErrors(hc), []);
  await hc.context().close();
});
