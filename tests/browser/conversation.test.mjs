// The conversation around a message (issue 20), with two people in two browser contexts: what
// one does (a formatted message with a mention, a reply, a reaction, an edit, a delete and its
// undo) appears live for the other; people's html stays inert; drafts survive channel
// switches and reloads; on a phone Enter is a newline. Every step is also checked against the
// server's own answer (GET of the message), not only the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, getToken } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';
import { until } from '../e2e/lib/contract.mjs';

const T = { timeout: 40000 };
let server;
let browser;
let team;
let general;
let second;
let ann; // the administrator (owner of the team), page A
let bea; // a member, page B
let beaApi;
let pa;
let pb;
let rootId;
const BEA_UPN = `bea.${Date.now()}@switchboard.test`;
const BEA_PW = 'Bea-password-' + Math.random().toString(36).slice(2);

// Console noise that is not a fault: the 401 of the session check before signing in, the 403s
// of admin-only lookups a member's page makes, the browser's own /favicon.ico (404), and Chromium's report that it blocked the
// inline handlers of a hostile message while parsing it in an inert document (nothing runs:
// the test of inert html checks that).
const faults = (page) => page.errors.filter((e) => !/Failed to load resource: the server responded with a status of 40[134]/.test(e) && !/Executing inline event handler violates/.test(e));
const msgPath = (id) => `/v1.0/teams/${team.id}/channels/${general.id}/messages/${id}`;
const rootItem = (page) => page.locator(`.messages > li.message[data-id="${rootId}"]`);

before(async () => {
  server = await startServer();
  browser = await launch();
  ann = await server.api('GET', '/v1.0/me');
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Incident room' });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value.find((c) => c.displayName === 'General');
  second = await server.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: 'Alerts' });
  bea = await server.api('POST', '/v1.0/users', { displayName: 'Bea Member', userPrincipalName: BEA_UPN, passwordProfile: { password: BEA_PW } });
  await server.api('POST', `/v1.0/teams/${team.id}/members`, { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: [], 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${bea.id}')` });
  beaApi = api(server.url, await getToken(server.url, BEA_UPN, BEA_PW));
  pa = await newPage(browser, server);
  await signIn(pa, server);
  pb = await newPage(browser, server);
  await signIn(pb, server, BEA_UPN, BEA_PW);
  for (const p of [pa, pb]) {
    await p.goto(`/t/${team.id}/c/${general.id}`);
    await p.locator('.live-state[data-state="live"]').waitFor();
  }
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

test('a formatted message with an @mention picked from the list: sent as html with mentions, shown formatted to the other', T, async () => {
  const box = pa.locator('#composer');
  await box.click();
  await pa.keyboard.type('**Disk full** on db-1, see https://example.com/runbook and `df -h` cc @Be');
  const option = pa.getByRole('option', { name: /Bea Member/ });
  await option.waitFor();
  assert.match(await box.getAttribute('aria-activedescendant'), /^mention-list-\d+-0$/);
  await pa.keyboard.press('Enter'); // picks, does not send
  assert.match(await box.inputValue(), /cc @Bea Member $/);
  await pa.keyboard.type('please look');
  await pa.keyboard.press('Enter');
  await pa.locator('.messages .msg-html strong', { hasText: 'Disk full' }).waitFor();

  // The server got html with one <at id="0"> and the matching mention of Bea.
  const list = (await server.api('GET', `/v1.0/teams/${team.id}/channels/${general.id}/messages`)).value;
  const sent = list.find((m) => /Disk full/.test(m.body.content));
  assert.ok(sent, 'the message is stored');
  rootId = sent.id;
  assert.equal(sent.body.contentType, 'html');
  assert.match(sent.body.content, /<strong>Disk full<\/strong>/);
  assert.match(sent.body.content, /<at id="0">Bea Member<\/at>/);
  assert.equal(sent.mentions.length, 1);
  assert.equal(sent.mentions[0].mentioned.user.id, bea.id);

  // Bea sees it live, formatted: bold, a link that opens safely, code, her mention highlighted.
  const item = rootItem(pb);
  await item.waitFor();
  // She is reading General at its newest message: her read position moves to it, so the
  // mention is read (history.js, unread.js; the count itself is in tests/e2e).
  const beaState = await until(async () => (await beaApi('GET', '/api/v1/me/channelStates')).value.find((s) => s.channelId === general.id),
    (st) => st.lastReadMessageId === rootId);
  assert.deepEqual({ last: beaState.lastReadMessageId, mentions: beaState.mentionCount }, { last: rootId, mentions: 0 });
  assert.equal(await item.locator('.msg-html strong').textContent(), 'Disk full');
  const link = item.locator('.msg-html a');
  assert.equal(await link.getAttribute('href'), 'https://example.com/runbook');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await item.locator('.msg-html code').textContent(), 'df -h');
  assert.equal(await item.locator('.mention.mention-me').textContent(), 'Bea Member');
  assert.ok(await item.evaluate((el) => el.classList.contains('mentions-me')));
  // The draft was cleared by sending.
  assert.equal(await box.inputValue(), '');
  assert.equal(await pa.evaluate((c) => localStorage.getItem('sb.draft.' + c), general.id), null);
});

test('a reply from one person appears live under the message for the other, collapsed as "1 reply"', T, async () => {
  const item = rootItem(pb);
  await item.getByRole('button', { name: 'Reply', exact: true }).click();
  const replyBox = item.getByRole('textbox', { name: 'Your reply' });
  await replyBox.waitFor();
  assert.ok(await replyBox.evaluate((el) => el === document.activeElement), 'the reply box has the focus');
  await pb.keyboard.type('On it, clearing _old logs_');
  await pb.keyboard.press('Enter');
  await item.locator('.replies .msg-html em', { hasText: 'old logs' }).waitFor();

  const replies = (await server.api('GET', `${msgPath(rootId)}/replies`)).value;
  assert.equal(replies.length, 1);
  assert.equal(replies[0].replyToId, rootId);
  assert.equal(replies[0].from.user.id, bea.id);

  const aItem = rootItem(pa);
  const toggle = aItem.locator('.thread-toggle');
  await toggle.filter({ hasText: '1 reply' }).waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await aItem.locator('.replies .message').count(), 0, 'collapsed: the reply is not shown');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await aItem.locator('.replies .message .msg-html', { hasText: 'On it, clearing old logs' }).waitFor();
  // Replies are not in the channel's own list.
  assert.equal(await pa.locator('.messages > li.message > .message-main > .message-body', { hasText: 'On it, clearing' }).count(), 0);
  await shot(pa, '70-conversation-thread');
});

test('a reaction from the picker appears live with who reacted; pressing it toggles your own', T, async () => {
  const item = rootItem(pb);
  await item.hover();
  await item.getByRole('button', { name: 'Add a reaction' }).first().click();
  await item.getByRole('button', { name: 'Like' }).click();
  const aReaction = rootItem(pa).locator('.reactions').first().locator('.reaction[data-type="like"]');
  await aReaction.waitFor();
  assert.equal(await aReaction.locator('.reaction-count').textContent(), '1');
  assert.equal(await aReaction.getAttribute('aria-pressed'), 'false');
  assert.match(await aReaction.getAttribute('title'), /Bea Member/);
  let m = await server.api('GET', msgPath(rootId));
  assert.deepEqual(m.reactions.map((r) => [r.reactionType, r.user.user.id]), [['like', bea.id]]);

  await aReaction.click();
  await rootItem(pa).locator('.reaction[data-type="like"][aria-pressed="true"] .reaction-count', { hasText: '2' }).waitFor();
  await rootItem(pb).locator('.reaction[data-type="like"] .reaction-count', { hasText: '2' }).first().waitFor();
  m = await server.api('GET', msgPath(rootId));
  assert.equal(m.reactions.length, 2);
  // Pressed again: Ann's reaction goes, Bea's stays.
  await rootItem(pa).locator('.reaction[data-type="like"]').first().click();
  await rootItem(pb).locator('.reaction[data-type="like"] .reaction-count', { hasText: /^1$/ }).first().waitFor();
  m = await server.api('GET', msgPath(rootId));
  assert.deepEqual(m.reactions.map((r) => r.user.user.id), [bea.id]);
});

test('the message menu by keyboard: the author edits (Edited shows live); someone else gets no Edit and nothing changes', T, async () => {
  // Bea (a member, not the author) has nothing to change on Ann's message.
  const bItem = rootItem(pb);
  await bItem.hover();
  await bItem.getByRole('button', { name: 'More options' }).first().click();
  await bItem.locator('.message-menu .menu-empty').first().waitFor();
  assert.equal(await bItem.getByRole('menuitem', { name: 'Edit' }).count(), 0);
  await pb.keyboard.press('Escape');

  const before = await server.api('GET', msgPath(rootId));
  const aItem = rootItem(pa);
  const menuBtn = aItem.locator(':scope > .message-main > .message-actions .message-menu-button');
  await menuBtn.focus();
  await pa.keyboard.press('ArrowDown');
  await aItem.getByRole('menuitem', { name: 'Edit' }).waitFor();
  assert.equal(await pa.evaluate(() => document.activeElement.textContent), 'Edit');
  await pa.keyboard.press('Enter');
  const editBox = aItem.getByRole('textbox', { name: 'Edit message' });
  await editBox.waitFor();
  // The html came back as the markdown-ish text, the mention as "@Name".
  assert.match(await editBox.inputValue(), /^\*\*Disk full\*\* on db-1, see https:\/\/example\.com\/runbook and `df -h` cc @Bea Member please look$/);
  await editBox.fill('**Disk full** on db-1: fixed by @Bea Member');
  await pa.keyboard.press('Enter');
  await bItem.locator('.message-head .edited').first().waitFor();
  await bItem.locator('.message-body .msg-html', { hasText: 'fixed by Bea Member' }).waitFor();
  const after = await server.api('GET', msgPath(rootId));
  assert.ok(after.lastEditedDateTime && !before.lastEditedDateTime);
  assert.match(after.body.content, /fixed by <at id="0">Bea Member<\/at>/);
  assert.equal(after.mentions.length, 1, 'the mention was sent again with the edit');
  // The server refuses Bea's edit of Ann's message and nothing changes.
  await assert.rejects(beaApi('PATCH', msgPath(rootId), { body: { contentType: 'text', content: 'hijacked' } }), /403/);
  assert.equal((await server.api('GET', msgPath(rootId))).body.content, after.body.content);
  await shot(pa, '71-conversation-edited-reactions');
});

test('delete shows "This message has been deleted" to the other; the author\'s Undo brings it back', T, async () => {
  const aItem = rootItem(pa);
  await aItem.hover();
  await aItem.locator(':scope > .message-main > .message-actions .message-menu-button').click();
  await aItem.getByRole('menuitem', { name: 'Delete' }).click();
  const undo = aItem.getByRole('button', { name: 'Undo' });
  await undo.waitFor();
  assert.ok(await undo.evaluate((el) => el === document.activeElement), 'focus on Undo');
  await rootItem(pb).locator('.message-body .deleted', { hasText: 'This message has been deleted.' }).first().waitFor();
  assert.equal(await rootItem(pb).getByRole('button', { name: 'Undo' }).count(), 0, 'no Undo for others');
  assert.ok((await server.api('GET', msgPath(rootId))).deletedDateTime);
  // The replies stay, as in Teams.
  assert.equal(await rootItem(pb).locator('.replies .message').count(), 1);
  await shot(pb, '72-conversation-deleted');
  await undo.click();
  await rootItem(pb).locator('.message-body .msg-html', { hasText: 'fixed by Bea Member' }).first().waitFor();
  assert.equal((await server.api('GET', msgPath(rootId))).deletedDateTime, null);

  // A team owner deletes someone else's reply (Bea's) and undoes it; Bea sees both live.
  const reply = rootItem(pa).locator('.replies > li.message').first();
  const replyId = await reply.getAttribute('data-id');
  await reply.hover();
  await reply.locator('.message-menu-button').click();
  assert.equal(await reply.getByRole('menuitem', { name: 'Edit' }).count(), 0, 'no Edit of someone else\'s reply');
  await reply.getByRole('menuitem', { name: 'Delete' }).click();
  await rootItem(pb).locator(`.replies > li.message[data-id="${replyId}"] .deleted`).waitFor();
  assert.ok((await server.api('GET', `${msgPath(rootId)}/replies/${replyId}`)).deletedDateTime);
  await reply.getByRole('button', { name: 'Undo' }).click();
  await rootItem(pb).locator(`.replies > li.message[data-id="${replyId}"] .msg-html`, { hasText: 'old logs' }).waitFor();
  assert.equal((await server.api('GET', `${msgPath(rootId)}/replies/${replyId}`)).deletedDateTime, null);
});

test('people\'s html through the API stays inert: no script, no image, no javascript: link', T, async () => {
  const body = '<p>Hi <script>window.__x=1</script><img src=x onerror="window.__y=1"><a href="javascript:window.__z=1">click</a> <iframe src="https://example.com"></iframe><b onclick="window.__w=1">bold</b></p>';
  const m = await server.api('POST', `/v1.0/teams/${team.id}/channels/${general.id}/messages`, { body: { contentType: 'html', content: body } });
  const item = pb.locator(`li.message[data-id="${m.id}"]`);
  await item.locator('strong', { hasText: 'bold' }).waitFor();
  assert.equal(await item.locator('script, img, iframe, [onclick], [onerror]').count(), 0);
  assert.equal(await item.locator('a[href]').count(), 0);
  assert.equal(await item.locator('.msg-html').textContent(), 'Hi click bold');
  await item.locator('strong').click();
  assert.deepEqual(await pb.evaluate(() => [window.__x, window.__y, window.__z, window.__w]), [undefined, undefined, undefined, undefined]);
  assert.deepEqual(pb.dialogs, []);
});

test('drafts: the channel\'s and a thread\'s survive a channel switch and a reload', T, async () => {
  await pb.locator('#composer').fill('half-written *status* update');
  const item = rootItem(pb);
  const replyBox = item.getByRole('textbox', { name: 'Your reply' });
  await replyBox.fill('a reply I have not sent');
  await pb.locator('.channel-link', { hasText: 'Alerts' }).click();
  await pb.locator('.channel-header h1', { hasText: 'Alerts' }).waitFor();
  assert.equal(await pb.locator('#composer').inputValue(), '', 'another channel has its own draft');
  await pb.locator('.channel-link', { hasText: 'General' }).click();
  await pb.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  assert.equal(await pb.locator('#composer').inputValue(), 'half-written *status* update');
  await pb.reload();
  await pb.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  assert.equal(await pb.locator('#composer').inputValue(), 'half-written *status* update');
  const again = rootItem(pb);
  await again.locator('.thread-toggle').click();
  assert.equal(await again.getByRole('textbox', { name: 'Your reply' }).inputValue(), 'a reply I have not sent');
  // Nothing was sent meanwhile.
  assert.equal((await server.api('GET', `${msgPath(rootId)}/replies`)).value.length, 1);
});

test('the toolbar formats the selection; on a phone Enter is a newline and the button sends', T, async () => {
  const phone = await newPage(browser, server, { viewport: { width: 375, height: 740 } });
  await signIn(phone, server, BEA_UPN, BEA_PW);
  await phone.goto(`/t/${team.id}/c/${second.id}`);
  const box = phone.locator('#composer');
  await box.fill('line one');
  await box.press('Enter');
  await box.pressSequentially('urgent');
  assert.equal(await box.inputValue(), 'line one\nurgent', 'Enter added a line');
  await box.evaluate((el) => el.setSelectionRange(9, 15));
  await phone.getByRole('button', { name: 'Bold' }).click();
  assert.equal(await box.inputValue(), 'line one\n**urgent**');
  await shot(phone, '73-conversation-phone-composer');
  await phone.getByRole('button', { name: 'Send', exact: true }).click();
  const text = phone.locator('.messages .msg-html', { hasText: 'urgent' });
  await text.waitFor();
  assert.equal(await text.locator('strong').textContent(), 'urgent');
  assert.equal(await text.locator('br').count(), 1, 'the line break is kept');
  const stored = (await server.api('GET', `/v1.0/teams/${team.id}/channels/${second.id}/messages`)).value[0];
  assert.equal(stored.body.content, 'line one<br>\n<strong>urgent</strong>');
  // The thread at 375 px.
  await phone.goto(`/t/${team.id}/c/${general.id}`);
  const item = phone.locator(`.messages > li.message[data-id="${rootId}"]`);
  await item.locator('.thread-toggle').click();
  await item.locator('.replies .message').first().waitFor();
  await item.scrollIntoViewIfNeeded();
  await shot(phone, '74-conversation-phone-thread');
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 375), 'no horizontal scroll at 375 px');
  assert.deepEqual(faults(phone), []);
  await phone.context().close();
  assert.deepEqual(faults(pa), []);
  assert.deepEqual(faults(pb), []);
});

test('in French: the conversation\'s words are French; the channel is mentioned from the list; who reacted on a right click', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server, BEA_UPN, BEA_PW);
  await page.evaluate(() => localStorage.setItem('sb.lang', 'fr'));
  await page.goto(`/t/${team.id}/c/${general.id}`);
  const box = page.locator('#composer');
  await box.waitFor();
  assert.equal(await box.getAttribute('placeholder'), 'Tapez un message');
  const item = page.locator(`.messages > li.message[data-id="${rootId}"]`);
  await item.locator('.thread-toggle', { hasText: '1 réponse' }).waitFor();
  assert.equal(await page.getByRole('toolbar', { name: 'Mise en forme' }).count() > 0, true);

  // Who reacted: a right click (a long press on touch screens) lists them.
  await item.locator('.reaction[data-type="like"]').first().click({ button: 'right' });
  const who = item.locator('.reaction-who');
  await who.waitFor();
  assert.match(await who.textContent(), /Vous/, 'Bea sees herself as "Vous"');

  // Ann looks at another channel meanwhile, so the mention stays unread for her.
  await pa.goto(`/t/${team.id}/c/${second.id}`);
  await pa.locator('.channel-header h1', { hasText: second.displayName }).waitFor();
  await box.click();
  await page.keyboard.type('Point à 15 h pour @Gen');
  await page.getByRole('option', { name: /General/ }).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Tab'); // Tab picks too
  assert.equal(await box.inputValue(), 'Point à 15 h pour @General ');
  await shot(page, '75-conversation-fr');
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await page.locator('.messages .mention.mention-channel', { hasText: 'General' }).waitFor();
  const stored = (await server.api('GET', `/v1.0/teams/${team.id}/channels/${general.id}/messages`)).value[0];
  assert.equal(stored.body.content, 'Point à 15 h pour <at id="0">General</at>');
  assert.equal(stored.mentions[0].mentioned.conversation.id, general.id);
  assert.equal(stored.mentions[0].mentioned.conversation.conversationIdentityType, 'channel');
  // Ann's mention count of General went up (a channel mention counts for everyone in it).
  const annStates = (await server.api('GET', '/api/v1/me/channelStates')).value;
  assert.ok(annStates.find((s) => s.channelId === general.id).mentionCount >= 1);
  await pa.goto(`/t/${team.id}/c/${general.id}`);
  await pa.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  assert.deepEqual(faults(page), []);
  await page.context().close();
});

test('a long thread: "55 replies" (the count of $expand=replies), the newest 50 first, "Show older replies" brings the rest in order', T, async () => {
  const base = `/v1.0/teams/${team.id}/channels/${second.id}/messages`;
  const root = await server.api('POST', base, { body: { contentType: 'text', content: 'long thread' } });
  for (let i = 1; i <= 55; i++) await server.api('POST', `${base}/${root.id}/replies`, { body: { contentType: 'text', content: `r${i}` } });
  await pa.goto(`/t/${team.id}/c/${second.id}`);
  const item = pa.locator(`.messages > li.message[data-id="${root.id}"]`);
  const toggle = item.locator('.thread-toggle');
  await toggle.filter({ hasText: '55 replies' }).waitFor();
  await toggle.click();
  const texts = () => item.locator('.replies > li.message .text').allTextContents();
  await item.locator('.replies > li.message .text', { hasText: /^r55$/ }).waitFor();
  assert.deepEqual(await texts(), Array.from({ length: 50 }, (_, i) => `r${i + 6}`));
  await item.getByRole('button', { name: 'Show older replies' }).click();
  await item.locator('.replies > li.message .text', { hasText: /^r1$/ }).waitFor();
  assert.deepEqual(await texts(), Array.from({ length: 55 }, (_, i) => `r${i + 1}`));
  assert.equal(await item.getByRole('button', { name: 'Show older replies' }).isVisible(), false);
  await toggle.filter({ hasText: 'Hide replies' }).waitFor();
  // Shift+F10 on a focused message opens its menu, Escape closes it onto the menu button.
  await item.evaluate((el) => el.focus());
  await pa.keyboard.press('Shift+F10');
  await item.getByRole('menuitem', { name: 'Edit' }).first().waitFor();
  assert.equal(await pa.evaluate(() => document.activeElement.textContent), 'Edit');
  await pa.keyboard.press('Escape');
  assert.equal(await pa.evaluate(() => document.activeElement.getAttribute('aria-label')), 'More options');
  assert.equal(await item.locator(':scope > .message-main > .message-actions .message-menu-button').getAttribute('aria-expanded'), 'false');
});

test('on a touch screen a long press on a reaction shows who reacted, without toggling it', T, async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, baseURL: server.url, hasTouch: true, isMobile: true, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await signIn(page, server, BEA_UPN, BEA_PW);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  const reaction = page.locator(`.messages > li.message[data-id="${rootId}"] .reaction[data-type="like"]`).first();
  await reaction.waitFor();
  const before = (await server.api('GET', msgPath(rootId))).reactions;
  await reaction.dispatchEvent('pointerdown', { pointerType: 'touch', isPrimary: true });
  const who = page.locator('.reaction-who');
  await who.waitFor();
  assert.match(await who.textContent(), /You/);
  // The click that ends a long press does not toggle the reaction: the page's fetch calls are
  // recorded as they are made (a toggle calls fetch within the click handler).
  await page.evaluate(() => {
    window.__calls = [];
    const f = window.fetch;
    window.fetch = (...a) => { window.__calls.push(String(a[0])); return f(...a); };
  });
  await reaction.dispatchEvent('pointerup', { pointerType: 'touch', isPrimary: true });
  await reaction.dispatchEvent('click');
  assert.deepEqual(await page.evaluate(() => window.__calls.filter((u) => /Reaction$/.test(u))), []);
  assert.equal(await reaction.getAttribute('aria-pressed'), 'true');
  assert.deepEqual((await server.api('GET', msgPath(rootId))).reactions, before);
  // A plain tap afterwards does toggle it (the check above can fail).
  await reaction.dispatchEvent('click');
  assert.deepEqual(await page.evaluate(() => window.__calls.filter((u) => /Reaction$/.test(u)).length), 1);
  await page.locator(`.messages > li.message[data-id="${rootId}"] .reaction[data-type="like"]`).waitFor({ state: 'detached' });
  assert.deepEqual((await server.api('GET', msgPath(rootId))).reactions, []);
  // The actions are always shown on a touch screen (no hover).
  assert.ok(await page.locator(`.messages > li.message[data-id="${rootId}"] > .message-main > .message-actions`).isVisible());
  await context.close();
});
