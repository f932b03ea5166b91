// Actionable messages in a real browser: a person fills a card's input and clicks its action; the
// server calls a real service (which verifies our token with jose), the service's
// CARD-ACTION-STATUS is shown, and the card it sends back replaces the old one for the clicker
// and, live, for another viewer. Adaptive Card Action.Http too; with the organisation switch off
// the buttons are gone (the card still shows).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postWebhook } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';
import { startActionService } from '../e2e/lib/actions.mjs';

const T = { timeout: 40000 };
let server;
let browser;
let svc;
let team;
let general;
let webhook;

before(async () => {
  server = await startServer();
  svc = await startActionService(server.url);
  browser = await launch();
  await server.api('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${svc.port}`] });
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Expenses team' });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  webhook = await server.api('POST', `/api/v1/channels/${general.id}/webhooks`, { name: 'Expenses' });
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (svc) await svc.close();
  if (server) await server.stop();
}, { timeout: 20000 });

// Errors of the page's scripts; resource loads are not (the session probe before signing in
// answers 401, there is no favicon).
function scriptErrors(page) {
  return page.errors.filter((e) => !/Failed to load resource/.test(e));
}

async function openGeneral(page) {
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
}

test('click an action with an input: the status is shown and the updated card replaces the old one', T, async () => {
  const page = await newPage(browser, server);
  const other = await newPage(browser, server);
  await signIn(page, server);
  await signIn(other, server);
  await openGeneral(page);
  await openGeneral(other);
  const card = {
    '@type': 'MessageCard',
    summary: 'Expense 42',
    title: 'Expense report 42',
    text: 'Taxi, 23 EUR',
    potentialAction: [
      {
        '@type': 'ActionCard',
        name: 'Comment',
        inputs: [{ '@type': 'TextInput', id: 'comment', title: 'Your comment', isMultiline: true }],
        actions: [{ '@type': 'HttpPOST', '@id': 'send-comment', name: 'Send comment', target: svc.url('/update'), body: '{"comment":"{{comment.value}}"}' }],
      },
      { '@type': 'HttpPOST', name: 'Approve', target: svc.url('/ok') },
    ],
  };
  assert.equal((await postWebhook(webhook.url, card)).status, 200);
  const msg = page.locator('.message', { hasText: 'Expense report 42' });
  await msg.waitFor();
  await other.locator('.message', { hasText: 'Expense report 42' }).waitFor();

  // The plain button: the service's status is shown.
  await msg.getByRole('button', { name: 'Approve' }).click();
  await msg.getByRole('status').filter({ hasText: 'Done: /ok' }).waitFor();

  // The ActionCard: its input, then its button.
  await msg.locator('summary', { hasText: 'Comment' }).click();
  await msg.getByLabel('Your comment').fill('Fine by me <b>ok</b>');
  await msg.getByRole('button', { name: 'Send comment' }).click();
  const updated = page.locator('.message', { hasText: 'Updated: {"comment":"Fine by me <b>ok</b>"}' });
  await updated.waitFor();
  await updated.getByRole('status').filter({ hasText: 'Done: /update' }).waitFor();
  assert.equal(await page.locator('.message', { hasText: 'Expense report 42' }).count(), 0, 'the old card is gone');
  // Another viewer sees the new card live.
  await other.locator('.message', { hasText: 'Updated: {"comment":' }).waitFor();
  await shot(page, '40-card-action-updated');
  const call = svc.calls.find((c) => c.path === '/update');
  assert.equal(call.tokenError, null);
  assert.deepEqual(JSON.parse(call.body), { comment: 'Fine by me <b>ok</b>' });
  // The browser names an action by its @id (contract §4); Approve has none: its JSON Pointer.
  assert.equal(call.claims.actionId, 'send-comment');
  assert.match(svc.calls.find((c) => c.path === '/ok').claims.actionId, /^[0-9a-f-]{36}:\/potentialAction\/1$/);
  assert.deepEqual(scriptErrors(page), []);
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
  await other.context().close();
});

test('an Adaptive Card Action.Http with an input; errors are shown clearly', T, async () => {
  const page = await newPage(browser, server, { viewport: { width: 375, height: 800 } });
  await signIn(page, server);
  await openGeneral(page);
  const card = {
    type: 'AdaptiveCard',
    version: '1.2',
    body: [{ type: 'TextBlock', text: 'Vacation request' }, { type: 'Input.Text', id: 'days', label: 'Days', placeholder: 'Days' }],
    actions: [
      { type: 'Action.Http', id: 'request-days', title: 'Request', method: 'POST', url: svc.url('/update?adaptive=1'), body: '{"days":"{{days.value}}"}' },
      { type: 'Action.Http', title: 'Break', method: 'POST', url: svc.url('/fail'), body: '' },
    ],
  };
  assert.equal((await postWebhook(webhook.url, { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] })).status, 200);
  const msg = page.locator('.message', { hasText: 'Vacation request' });
  await msg.waitFor();
  await msg.getByRole('button', { name: 'Break' }).click();
  await msg.getByRole('status').filter({ hasText: /Could not complete the action: The service could not do it\. \(the service answered HTTP 500\)/ }).waitFor();
  await msg.locator('input').first().fill('3');
  await msg.getByRole('button', { name: 'Request' }).click();
  await page.locator('.message', { hasText: 'Updated: {"days":"3"}' }).waitFor();
  // By its id; Break has none: its JSON Pointer.
  assert.equal(svc.calls.find((c) => c.path === '/update' && c.query === '?adaptive=1').claims.actionId, 'request-days');
  assert.match(svc.calls.find((c) => c.path === '/fail').claims.actionId, /^[0-9a-f-]{36}:\/actions\/1$/);
  await shot(page, '41-adaptive-action-375');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('with actionable messages off, cards show without their action buttons', T, async () => {
  await server.api('PATCH', '/api/v1/admin/organization', { connectorsActionableMessagesEnabled: false });
  try {
    assert.equal((await postWebhook(webhook.url, {
      '@type': 'MessageCard', title: 'Switched off', text: 'no buttons',
      potentialAction: [{ '@type': 'HttpPOST', name: 'Approve it', target: svc.url('/ok') }, { '@type': 'OpenUri', name: 'Open site', targets: [{ os: 'default', uri: 'https://example.com/' }] }],
    })).status, 200);
    const page = await newPage(browser, server);
    await signIn(page, server);
    await openGeneral(page);
    const msg = page.locator('.message', { hasText: 'Switched off' });
    await msg.waitFor();
    assert.equal(await msg.getByRole('button', { name: 'Approve it' }).count(), 0);
    assert.equal(await msg.getByRole('link', { name: 'Open site' }).count(), 1);
    // The earlier cards lost their buttons too.
    assert.equal(await page.getByRole('button', { name: 'Request' }).count(), 0);
    await page.context().close();
  } finally {
    await server.api('PATCH', '/api/v1/admin/organization', { connectorsActionableMessagesEnabled: null });
  }
});

test('the group feed view lists the group posts under their date', T, async () => {
  const groupHook = await server.api('POST', `/api/v1/channels/${general.id}/webhooks`, { name: 'Group news', appType: 'groups' });
  assert.equal((await postWebhook(groupHook.url, { text: 'Group post one' })).status, 200);
  assert.equal((await postWebhook(groupHook.url, { text: 'Group post two' })).status, 200);
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openGeneral(page);
  await page.getByRole('link', { name: 'Group feed' }).click();
  await page.getByRole('heading', { name: 'Group feed' }).waitFor();
  const day = page.locator('.feed-day').first();
  await day.locator('.message', { hasText: 'Group post two' }).waitFor();
  const texts = await day.locator('.message').allInnerTexts();
  assert.ok(texts[0].includes('Group post two') && texts[1].includes('Group post one'), texts.join(' | '));
  assert.equal(await page.locator('.feed .message', { hasText: 'Expense report' }).count(), 0, 'teams posts are not in the feed');
  assert.match(await day.locator('h2.feed-date').textContent(), /\d{4}/);
  await shot(page, '42-group-feed');
  await page.context().close();
});
