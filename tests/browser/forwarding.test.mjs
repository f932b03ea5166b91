// The Forwarding tab of the connectors dialog and the MessageCard migration helper in a real
// browser: a forward to a local Workflows-style destination is added through the form, a message
// is delivered and shows as Delivered in the log; the helper renders a pasted MessageCard and
// its Adaptive Card side by side with the JSON to copy; the tab in French. Screenshots at 1280
// and 375 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';
import { until } from '../e2e/lib/contract.mjs';

const T = { timeout: 90000 };
let server;
let browser;
let dest;
const calls = [];
const stamp = Date.now().toString(36);

before(async () => {
  dest = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    calls.push({ path: req.url, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
    res.writeHead(202);
    res.end();
  });
  await new Promise((r) => dest.listen(0, '127.0.0.1', r));
  server = await startServer();
  browser = await launch();
  await server.api('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${dest.address().port}`] });
}, { timeout: 30000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (dest) { dest.closeAllConnections(); await new Promise((r) => dest.close(r)); }
}, { timeout: 20000 });

async function openForwarding(page, team, general) {
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for "General"/ });
  await dlg.getByRole('tab', { name: 'Forwarding' }).click();
  return dlg;
}

test('Forwarding tab: add a Workflows forward with the form, a message is delivered and logged', T, async () => {
  const team = await server.api('POST', '/v1.0/teams', { displayName: `Forwarded ${stamp}` });
  const general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  const page = await newPage(browser, server);
  await signIn(page, server);
  const dlg = await openForwarding(page, team, general);
  await dlg.getByText('This channel is not forwarded anywhere yet.').waitFor();
  assert.equal(await dlg.getByRole('tab', { name: 'Forwarding' }).getAttribute('aria-selected'), 'true');
  await dlg.getByRole('button', { name: 'Add a forward' }).click();
  await dlg.getByLabel('Name').fill('To the ops flow');
  await dlg.getByLabel('Destination', { exact: true }).selectOption('workflows');
  await dlg.getByLabel('Destination URL').fill(`http://127.0.0.1:${dest.address().port}/flow?sig=abc`);
  await dlg.getByLabel('Forward people\u2019s messages too').check();
  await dlg.getByRole('button', { name: 'Add forward' }).click();
  await dlg.locator('.fwd-item', { hasText: 'To the ops flow' }).waitFor();
  const forwards = (await server.api('GET', `/api/v1/channels/${general.id}/forwards`)).value;
  assert.equal(forwards.length, 1);
  assert.equal(forwards[0].include.people, true);
  await server.api('POST', `/v1.0/teams/${team.id}/channels/${general.id}/messages`, { body: { contentType: 'text', content: `forwarded from the browser ${stamp}` } });
  // The list is read when the button is pressed: press until the delivery shows as delivered.
  await until(async () => {
    await dlg.getByRole('button', { name: 'Deliveries of To the ops flow' }).click();
    return dlg.locator('.badge.fwd-delivered').count();
  }, (n) => n > 0, 20_000);
  await dlg.locator('.badge.fwd-delivered', { hasText: 'Delivered' }).waitFor();
  assert.ok(calls.some((c) => c.path === '/flow?sig=abc' && JSON.stringify(c.json).includes(`forwarded from the browser ${stamp}`)));
  await shot(page, 'forwarding-01-tab-1280');
  await page.setViewportSize({ width: 375, height: 740 });
  await shot(page, 'forwarding-02-tab-375');
  // Back to the connectors view through the tab; arrow keys move between the tabs.
  await dlg.getByRole('tab', { name: 'Connectors' }).click();
  await dlg.getByLabel('Search connectors').waitFor();
  await dlg.getByRole('tab', { name: 'Connectors' }).focus();
  await page.keyboard.press('ArrowRight');
  await dlg.locator('.fwd-item', { hasText: 'To the ops flow' }).waitFor();
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.context().close();
});

test('the migration helper renders the MessageCard and its Adaptive Card side by side, with the JSON to copy', T, async () => {
  const team = await server.api('POST', '/v1.0/teams', { displayName: `Helper ${stamp}` });
  const general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  for (const [viewport, name] of [[{ width: 1280, height: 900 }, 'forwarding-03-helper-1280'], [{ width: 375, height: 740 }, 'forwarding-04-helper-375']]) {
    const page = await newPage(browser, server, { viewport });
    await signIn(page, server);
    const dlg = await openForwarding(page, team, general);
    await dlg.getByRole('button', { name: 'MessageCard migration helper' }).click();
    const helper = page.getByRole('dialog', { name: 'MessageCard migration helper' });
    await helper.getByLabel('MessageCard JSON').fill(JSON.stringify({
      '@type': 'MessageCard', summary: 'Build 42', themeColor: 'D70000', title: 'Build 42 failed',
      sections: [{ activityTitle: 'checkout-service', facts: [{ name: 'Branch', value: 'main' }, { name: 'Stage', value: 'integration tests' }] }],
      potentialAction: [{ '@type': 'OpenUri', name: 'Open the build', targets: [{ os: 'default', uri: 'https://ci.example.com/42' }] }],
    }));
    await helper.getByRole('button', { name: 'Translate' }).click();
    const result = helper.getByRole('region', { name: 'Adaptive Card' });
    await result.locator('.adaptivecard').waitFor();
    for (const text of ['Build 42 failed', 'checkout-service', 'Branch', 'integration tests', 'Open the build']) {
      await result.getByText(text).first().waitFor();
    }
    await helper.getByRole('region', { name: 'MessageCard' }).locator('.messagecard').waitFor();
    const json = JSON.parse(await helper.locator('#translate-json').textContent());
    assert.equal(json.type, 'message');
    assert.equal(json.attachments[0].content.version, '1.4');
    await helper.getByRole('button', { name: 'Copy JSON' }).click();
    if (viewport.width > 600) assert.equal(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())).type, 'message');
    await shot(page, name);
    assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
    await page.context().close();
  }
});

test('the Forwarding tab in French', T, async () => {
  const team = await server.api('POST', '/v1.0/teams', { displayName: `Transfert ${stamp}` });
  const general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.evaluate(() => localStorage.setItem('sb.lang', 'fr'));
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.channel-header button[aria-label*="General"]').first().click();
  await page.getByRole('menuitem').filter({ hasText: /Connect/ }).first().click();
  const tab = page.getByRole('tab', { name: 'Transfert' });
  await tab.click();
  await page.getByText('Ce canal n\u2019est encore transféré nulle part.').waitFor();
  await page.getByRole('button', { name: 'Ajouter un transfert' }).waitFor();
  await page.context().close();
});
