// The channel list and history at scale (issue 20, web): 1,000 cards in a virtualized list
// (DOM nodes counted), the history kept when switching channels, unread and mention counts from
// the server agreeing across two tabs, the "New messages" divider and the tab title, a mention
// raising a browser notification, message search finding a card's text and jumping to it,
// reconnecting after the stream was cut, and the keyboard (quick switcher, Alt+Up/Down, `?`,
// the skip link). Screenshots at 1280 and 375 px.
import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postWebhook, getToken, api, REPO_ROOT } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';
import { until } from '../e2e/lib/contract.mjs';

const T = { timeout: 180000 };
const CARDS = 1000;
let server;
let browser;
let team;
let general;
let alerts;
let quiet;
let hook;
let alertsHook;
let member;
const MEMBER_PW = 'member-password-1';

const card = (i) => ({
  '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: `Card ${i}`, themeColor: '0076D7',
  title: `Build ${i} finished`,
  text: i === 17 ? 'The zebrafish pipeline needs a look' : `Build number ${i} went out`,
  sections: [{ facts: [{ name: 'Number', value: String(i) }, { name: 'Branch', value: 'main' }] }],
});

const domCount = (page) => page.evaluate(() => document.querySelectorAll('*').length);

before(async () => {
  server = await startServer();
  browser = await launch();
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Scale team' });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  alerts = await server.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: 'Alerts' });
  quiet = await server.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: 'Quiet' });
  hook = await server.api('POST', `/api/v1/channels/${general.id}/webhooks`, { name: 'Builds' });
  alertsHook = await server.api('POST', `/api/v1/channels/${alerts.id}/webhooks`, { name: 'Pager' });
  const upn = `member${Date.now()}@switchboard.test`;
  member = await server.api('POST', '/v1.0/users', { displayName: 'Mia Member', userPrincipalName: upn, passwordProfile: { password: MEMBER_PW } });
  member.upn = upn;
  await server.api('POST', `/v1.0/teams/${team.id}/members`, { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: [], 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${member.id}')` });
  member.api = api(server.url, await getToken(server.url, upn, MEMBER_PW));
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

let bigPage;

test('1,000 cards posted live through a webhook stay under 5,000 DOM nodes, scrolling both ways', T, async () => {
  const page = bigPage = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.live-state[data-state="live"]').waitFor();
  for (let i = 1; i <= CARDS; i++) {
    const r = await postWebhook(hook.url, card(i));
    assert.equal(r.status, 200, r.text);
  }
  await page.locator('.messagecard', { hasText: `Build ${CARDS} finished` }).waitFor({ timeout: 60000 });
  let max = await domCount(page);
  const live = max;
  // Scroll to the very beginning, a window at a time, counting the DOM on the way.
  for (let i = 0; i < 400; i++) {
    if (await page.locator('.messagecard', { hasText: /^Build 1 finished/ }).count()) break;
    await page.locator('.stream').evaluate((el) => { el.scrollTop = 0; });
    await page.waitForFunction(() => document.querySelector('.stream').scrollTop > 0 || document.querySelector('.history-status').textContent.includes('beginning'), null, { timeout: 10000 });
    max = Math.max(max, await domCount(page));
  }
  await page.locator('.messagecard', { hasText: /^Build 1 finished/ }).waitFor();
  assert.match(await page.locator('.history-status').textContent(), /beginning of the conversation/);
  assert.equal(await page.locator('.messagecard', { hasText: `Build ${CARDS} finished` }).count(), 0, 'the newest cards left the DOM');
  // And back down to the newest by scrolling.
  for (let i = 0; i < 400; i++) {
    if (await page.locator('.messagecard', { hasText: `Build ${CARDS} finished` }).count()) break;
    await page.locator('.stream').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    max = Math.max(max, await domCount(page));
  }
  await page.locator('.messagecard', { hasText: `Build ${CARDS} finished` }).waitFor();
  const cardsInDom = await page.locator('.messagecard').count();
  console.log(`# DOM nodes with ${CARDS} cards: ${live} at the newest, at most ${max} while scrolling both ways; ${cardsInDom} cards rendered`);
  assert.ok(max < 5000, `${max} DOM nodes`);
  assert.ok(cardsInDom < CARDS / 2, `${cardsInDom} cards in the DOM`);
  // Every card once, in order, across the window: numbers along the list increase by one.
  const numbers = await page.locator('.mc-facts td:nth-child(2)').evaluateAll((tds) => tds.filter((td, i) => i % 2 === 0).map((td) => Number(td.textContent)));
  for (let i = 1; i < numbers.length; i++) assert.equal(numbers[i], numbers[i - 1] + 1, `card order at ${i}: ${numbers.slice(Math.max(0, i - 3), i + 2)}`);
  await shot(page, '60-history-1000-cards');
  // Read at the newest: the server's position is the newest card (the writes of a fast stream
  // of reads land in order).
  const newest = (await server.api('GET', `/v1.0/teams/${team.id}/channels/${general.id}/messages?$top=1`)).value[0].id;
  const st = await until(async () => (await server.api('GET', '/api/v1/me/channelStates')).value.find((v) => v.channelId === general.id),
    (v) => v.lastReadMessageId === newest);
  assert.deepEqual({ unread: st.unreadCount, last: st.lastReadMessageId }, { unread: 0, last: newest });
});

test('the history and the scroll place are kept when switching channels and back (no new request)', T, async () => {
  const page = bigPage;
  await page.locator('.stream').evaluate((el) => { el.scrollTop = el.scrollHeight / 3; });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const firstVisible = () => page.evaluate(() => {
    const top = document.querySelector('.stream').getBoundingClientRect().top;
    const li = [...document.querySelectorAll('.messages > li.message')].find((x) => x.getBoundingClientRect().bottom > top + 1);
    return li && li.dataset.id;
  });
  const before = await firstVisible();
  await page.locator(`.channel-link[data-channel-id="${quiet.id}"]`).click();
  await page.locator('.channel-header h1', { hasText: 'Quiet' }).waitFor();
  const asked = [];
  page.on('request', (r) => { if (r.url().includes(`/channels/${general.id}/messages`)) asked.push(r.url()); });
  await page.locator(`.channel-link[data-channel-id="${general.id}"]`).click();
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  await page.locator('.messagecard').first().waitFor();
  await page.locator(`.message[data-id="${before}"]`).waitFor();
  assert.equal(await firstVisible(), before, 'the same message is at the top of the view');
  assert.deepEqual(asked, [], 'nothing was fetched again');
  // Jump to latest brings the newest card back.
  await page.getByRole('button', { name: /Jump to latest/ }).click();
  await page.locator('.messagecard', { hasText: `Build ${CARDS} finished` }).waitFor();
  assert.ok(await domCount(page) < 5000);
});

test('search finds a card\'s text among 1,000, by keyboard, and jumps to it (far back, paged in)', T, async () => {
  const page = bigPage;
  await page.reload();
  await page.locator('.messagecard', { hasText: `Build ${CARDS} finished` }).waitFor();
  assert.equal(await page.locator('.messagecard', { hasText: 'zebrafish' }).count(), 0, 'not loaded yet');
  await page.keyboard.press('Control+Shift+F');
  const dlg = page.getByRole('dialog', { name: 'Search' });
  await dlg.getByLabel('Search messages, channels and people').fill('ZEBRAFISH');
  await page.keyboard.press('Enter');
  await dlg.getByRole('status').filter({ hasText: '1 result' }).waitFor();
  const hit = dlg.locator('.search-message');
  assert.match(await hit.textContent(), /Builds.*Scale team › General/);
  assert.equal(await hit.locator('mark').textContent(), 'zebrafish');
  await shot(page, '61-search-messages');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('search-message')), true);
  await page.keyboard.press('Enter');
  await dlg.waitFor({ state: 'detached' });
  const found = page.locator('.message', { has: page.locator('.messagecard', { hasText: 'zebrafish' }) });
  await found.waitFor();
  assert.ok(await found.evaluate((el) => el === document.activeElement), 'the message has focus');
  assert.ok(await found.isVisible());
  assert.match(page.url(), new RegExp(`/t/${team.id}/c/${general.id}/m/`));
  assert.ok(await domCount(page) < 5000);
  // The link of a message opens the channel at it in a new tab.
  const other = await page.context().newPage();
  await other.goto(page.url());
  await other.locator('.message', { has: other.locator('.messagecard', { hasText: 'zebrafish' }) }).waitFor();
  await other.close();
  await page.context().close();
});

test('unread counts from the server agree across two tabs; reading in one clears the other', T, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url, reducedMotion: 'reduce' });
  const a = await context.newPage();
  await signIn(a, server);
  await a.goto(`/t/${team.id}/c/${quiet.id}`);
  const b = await context.newPage();
  await b.goto(`/t/${team.id}/c/${quiet.id}`);
  for (const p of [a, b]) await p.locator('.live-state[data-state="live"]').waitFor();
  // General holds 1,000 unread cards already (read in the first test? the admin read them there).
  const before = (await server.api('GET', '/api/v1/me/channelStates')).value.find((v) => v.channelId === alerts.id);
  assert.equal(before.unreadCount, 0);
  for (let i = 1; i <= 3; i++) assert.equal((await postWebhook(alertsHook.url, { text: `disk alert ${i}` })).status, 200);
  for (const p of [a, b]) await p.locator(`.channel-link[data-channel-id="${alerts.id}"] .unread`, { hasText: '3' }).waitFor();
  assert.match(await a.title(), /^\(3\) Quiet \| Scale team \| Switchboard$/);
  await shot(a, '62-unread-badges');
  // Read in tab B.
  await b.bringToFront();
  await b.locator(`.channel-link[data-channel-id="${alerts.id}"]`).click();
  await b.locator('.message .md', { hasText: 'disk alert 3' }).waitFor();
  await b.waitForFunction(() => !document.querySelector('.channel-link.has-unread'));
  const after = (await server.api('GET', '/api/v1/me/channelStates')).value.find((v) => v.channelId === alerts.id);
  assert.equal(after.unreadCount, 0, 'the server has the read position');
  // Tab A agrees at once (the tabs of a browser tell each other), without being looked at.
  await a.locator(`.channel-link[data-channel-id="${alerts.id}"] .unread`).waitFor({ state: 'detached' });
  assert.equal(await a.title(), 'Quiet | Scale team | Switchboard');
  // Two more while neither tab looks at Alerts: opening it in tab A shows the "New messages"
  // divider before them.
  await b.locator(`.channel-link[data-channel-id="${quiet.id}"]`).click();
  await b.locator('.channel-header h1', { hasText: 'Quiet' }).waitFor();
  for (let i = 4; i <= 5; i++) assert.equal((await postWebhook(alertsHook.url, { text: `disk alert ${i}` })).status, 200);
  for (const p of [a, b]) await p.locator(`.channel-link[data-channel-id="${alerts.id}"] .unread`, { hasText: '2' }).waitFor();
  await a.locator(`.channel-link[data-channel-id="${alerts.id}"]`).click();
  const divider = a.locator('.new-divider');
  await divider.waitFor();
  const order = await a.locator('.messages > li').evaluateAll((lis) => lis.map((li) => (li.classList.contains('new-divider') ? 'NEW' : (li.textContent.match(/disk alert \d/) || [''])[0])).filter(Boolean));
  assert.deepEqual(order.slice(-3), ['NEW', 'disk alert 4', 'disk alert 5']);
  await shot(a, '63-new-messages-divider');
  await b.locator(`.channel-link[data-channel-id="${alerts.id}"] .unread`).waitFor({ state: 'detached' });
  // Another device (a token) marks Alerts unread again from disk alert 3: this browser's tabs
  // show it when they get focus again.
  const three = (await server.api('GET', `/v1.0/teams/${team.id}/channels/${alerts.id}/messages?$top=3`)).value[2];
  await a.locator(`.channel-link[data-channel-id="${quiet.id}"]`).click();
  await a.locator('.channel-header h1', { hasText: 'Quiet' }).waitFor();
  await server.api('PUT', `/api/v1/channels/${alerts.id}/readState`, { lastReadMessageId: three.id });
  assert.equal(await a.locator(`.channel-link[data-channel-id="${alerts.id}"] .unread`).count(), 0);
  await a.evaluate(() => window.dispatchEvent(new Event('focus')));
  await a.locator(`.channel-link[data-channel-id="${alerts.id}"] .unread`, { hasText: '2' }).waitFor();
  assert.match(await a.title(), /^\(2\) Quiet/);
  await context.close();
});

test('a mention raises a browser notification and a mention badge for the person mentioned', T, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url, reducedMotion: 'reduce', permissions: ['notifications'] });
  // Records every notification the page shows (the real constructor still runs).
  await context.addInitScript(() => {
    const Real = window.Notification;
    window.__notes = [];
    window.Notification = class extends Real {
      constructor(title, opts) { super(title, opts); window.__notes.push({ title, body: opts && opts.body }); }
    };
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await signIn(page, server, member.upn, MEMBER_PW);
  await page.goto(`/t/${team.id}/c/${quiet.id}`);
  await page.locator('.live-state[data-state="live"]').waitFor();
  assert.equal(await page.evaluate(() => Notification.permission), 'granted');
  // A plain message in Alerts: no notification (not opted in), only the count.
  await server.api('POST', `/v1.0/teams/${team.id}/channels/${alerts.id}/messages`, { body: { contentType: 'text', content: 'no mention here' } });
  await server.api('POST', `/v1.0/teams/${team.id}/channels/${alerts.id}/messages`, {
    body: { contentType: 'html', content: `Can you look, <at id="0">Mia Member</at>?` },
    mentions: [{ id: 0, mentionText: 'Mia Member', mentioned: { user: { id: member.id, displayName: 'Mia Member' } } }],
  });
  const link = page.locator(`.channel-link[data-channel-id="${alerts.id}"]`);
  await link.locator('.mention-badge', { hasText: '@1' }).waitFor();
  await page.waitForFunction(() => window.__notes.length > 0);
  const adminName = (await server.api('GET', '/v1.0/me')).displayName;
  assert.deepEqual(await page.evaluate(() => window.__notes), [{ title: `${adminName} mentioned you in Alerts`, body: 'Can you look, Mia Member?' }]);
  // Opting in for every message of Alerts notifies a plain one too.
  await page.locator(`.channel-link[data-channel-id="${alerts.id}"]`).click();
  await page.getByRole('button', { name: 'More options for Alerts' }).click();
  await page.getByRole('menuitem', { name: 'Notify me of every message' }).click();
  await page.locator(`.channel-link[data-channel-id="${quiet.id}"]`).click();
  await server.api('POST', `/v1.0/teams/${team.id}/channels/${alerts.id}/messages`, { body: { contentType: 'text', content: 'plain but opted in' } });
  await page.waitForFunction(() => window.__notes.length > 1);
  assert.equal((await page.evaluate(() => window.__notes))[1].body, 'plain but opted in');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a server restart shows "Reconnecting"/"Offline"; messages posted before the stream is back arrive once (Last-Event-ID, and ?lastEventId= after CLOSED)', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${quiet.id}`);
  await page.locator('.live-state[data-state="live"]').waitFor();
  await member.api('POST', `/v1.0/teams/${team.id}/channels/${quiet.id}/messages`, { body: { contentType: 'text', content: 'before the restart' } });
  await page.locator('.message .text', { hasText: 'before the restart' }).waitFor();
  // The browser cannot reach the stream until unroute: what is posted meanwhile is a real gap.
  await page.route('**/api/v1/events**', (r) => r.abort());
  await server.restart();
  await page.locator('.live-state:not([data-state="live"])').waitFor();
  assert.match(await page.locator('.live-state').textContent(), /Reconnecting|Offline/);
  for (let i = 1; i <= 3; i++) await member.api('POST', `/v1.0/teams/${team.id}/channels/${quiet.id}/messages`, { body: { contentType: 'text', content: `while you were away ${i}` } });
  await shot(page, '64-reconnecting');
  assert.equal(await page.locator('.message .text', { hasText: 'while you were away' }).count(), 0);
  await page.unroute('**/api/v1/events**');
  await page.locator('.live-state[data-state="live"]').waitFor({ timeout: 40000 });
  for (let i = 1; i <= 3; i++) await page.locator('.message .text', { hasText: `while you were away ${i}` }).waitFor();
  assert.equal(await page.locator('.message .text', { hasText: 'while you were away' }).count(), 3, 'each once');
  assert.equal(await page.locator('.message .text', { hasText: 'before the restart' }).count(), 1, 'nothing twice');

  // When the stream is answered with an error the browser gives up (CLOSED): the client opens a
  // new EventSource itself, naming the last event it saw, and the server replays the gap.
  await page.route('**/api/v1/events**', (r) => r.fulfill({ status: 503, body: 'down' }));
  await server.restart();
  await page.locator('.live-state[data-state="offline"]', { hasText: 'Offline, retrying' }).waitFor();
  for (let i = 1; i <= 2; i++) await member.api('POST', `/v1.0/teams/${team.id}/channels/${quiet.id}/messages`, { body: { contentType: 'text', content: `after the error ${i}` } });
  const opened = page.waitForRequest((r) => r.url().includes('/api/v1/events?lastEventId='));
  await page.unroute('**/api/v1/events**');
  await opened;
  await page.locator('.live-state[data-state="live"]').waitFor({ timeout: 40000 });
  for (let i = 1; i <= 2; i++) await page.locator('.message .text', { hasText: `after the error ${i}` }).waitFor();
  assert.equal(await page.locator('.message .text', { hasText: 'after the error' }).count(), 2, 'each once');
  assert.equal(await page.locator('.message .text', { hasText: 'while you were away' }).count(), 3, 'nothing twice');
  await page.context().close();
});

test('keyboard: Ctrl+K switches channel, Alt+Up/Down move, ? lists the shortcuts, the skip link reaches the composer', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  await page.locator('#composer').waitFor();
  // Tab stops before the composer from the top of a freshly loaded page, without the skip link
  // and with it.
  let stops = 0;
  for (; stops < 1000; stops++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement && document.activeElement.id === 'composer')) break;
  }
  console.log(`# tab stops before the composer: ${stops} without the skip link, 1 with it`);
  await page.reload();
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  await page.locator('#composer').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'composer');

  await page.keyboard.press('Control+k');
  const sw = page.getByRole('dialog', { name: 'Go to a channel' });
  await sw.waitFor();
  await page.keyboard.type('aler');
  assert.deepEqual(await sw.getByRole('option').allTextContents(), ['AlertsScale team']);
  await shot(page, '65-switcher');
  await page.keyboard.press('Enter');
  await page.locator('.channel-header h1', { hasText: 'Alerts' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'composer');
  await page.keyboard.press('Alt+ArrowDown');
  await page.locator('.channel-header h1', { hasText: 'Quiet' }).waitFor();
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  await page.locator('.stream').focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.ok((await help.locator('tr').count()) >= 7);
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  // The user menu opens by keyboard and lists its items.
  await page.getByRole('button', { name: 'Profile menu' }).focus();
  await page.keyboard.press('ArrowDown');
  const items = await page.getByRole('menuitem').allTextContents();
  assert.ok(items.includes('Keyboard shortcuts') && items.includes('Sign out'), items.join(', '));
  await page.keyboard.press('Escape');
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  // Phone width: the channel with its history and the user menu fit.
  await page.setViewportSize({ width: 375, height: 740 });
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  await page.locator('#composer').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 375 px (${overflow})`);
  await shot(page, '66-history-phone');
  await page.getByRole('button', { name: 'Profile menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByLabel('User name').waitFor();
  await page.context().close();
});

test('in French (the language setting): the list, the history and the title', T, async () => {
  const page = await newPage(browser, server, { viewport: { width: 375, height: 740 } });
  await signIn(page, server);
  await page.evaluate(() => localStorage.setItem('sb.lang', 'fr'));
  await server.api('POST', `/v1.0/teams/${team.id}/channels/${general.id}/messages`, { body: { contentType: 'text', content: 'Bonjour' } });
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.message .text', { hasText: 'Bonjour' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await page.locator('.live-state[data-state="live"]', { hasText: 'En direct' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 375 px (${overflow})`);
  // Nothing in the top bar overlaps: each item's box ends before the next one's starts.
  const boxes = await page.locator('.topbar > *:visible').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => [r.left, r.right]));
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i][0] >= boxes[i - 1][1] - 0.5, `top bar items overlap: ${JSON.stringify(boxes)}`);
  await shot(page, '68-history-fr-375');
  await page.getByRole('button', { name: 'Menu du profil' }).click();
  assert.deepEqual(await page.getByRole('menuitem').allTextContents(), ['Votre compte', 'Raccourcis clavier', 'D\u00e9veloppeur', 'Administration', 'English', 'Fran\u00e7ais', 'Se d\u00e9connecter']);
  await page.keyboard.press('Escape');
  assert.equal(await page.title(), 'General | Scale team | Switchboard');
  await page.locator('.channel-header .drawer-toggle[aria-label="Afficher les \u00e9quipes et les canaux"]').click();
  await page.getByRole('navigation', { name: '\u00c9quipes et canaux' }).waitFor();
  await page.keyboard.press('Escape');
  const day = await page.locator('.day-divider').last().textContent();
  assert.equal(day, 'Aujourd\u2019hui');
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Aller \u00e0 un canal' }).waitFor();
  await shot(page, '67-switcher-fr-375');
  await page.keyboard.press('Escape');
  await page.context().close();
});

// axe-core (npm) on this file's views in both languages: no serious or critical violation.
test('axe: the channel with its history, the switcher, search, shortcuts and user menu, en and fr', T, async () => {
  const axe = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const found = [];
  assert.equal((await postWebhook(alertsHook.url, { title: 'Disk alert for axe', text: 'disk **full**' })).status, 200);
  for (const lang of ['en', 'fr']) {
    for (const width of [1280, 375]) {
      const page = await newPage(browser, server, { viewport: { width, height: 800 } });
      await signIn(page, server);
      await page.evaluate((l) => localStorage.setItem('sb.lang', l), lang);
      await page.goto(`/t/${team.id}/c/${alerts.id}`);
      await page.locator('.message').first().waitFor();
      await page.evaluate(axe + '\n;true'); // through the debugger: the page's CSP allows no inline script
      const check = async (view) => {
        const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
          .filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`));
        for (const x of v) found.push(`${lang} ${width} ${view}: ${x}`);
      };
      await check('channel');
      await page.keyboard.press('Control+k');
      await page.locator('.switcher-dialog').waitFor();
      await check('switcher');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+F');
      await page.locator('#search-q').fill('disk');
      await page.keyboard.press('Enter');
      await page.locator('.search-message').first().waitFor();
      await check('search');
      await page.keyboard.press('Escape');
      await page.locator('.stream').focus();
      await page.keyboard.press('?');
      await page.locator('.shortcuts').waitFor();
      await check('shortcuts');
      await page.keyboard.press('Escape');
      await page.locator('.me-button').click();
      await page.getByRole('menuitem').first().waitFor();
      await check('user menu');
      await page.context().close();
    }
  }
  assert.deepEqual(found, []);
});
