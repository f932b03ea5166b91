// Graph connectors in the web client: the search box (hits with the title, url and iconUrl
// labels, highlighted summaries, hostile text kept as text, paging) and the admin page's
// Graph connectors section (the switch, the notification state, registering an app).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';
import { appPackage } from '../e2e/lib/package.mjs';

const T = { timeout: 60000 };
let server;
let browser;
let appId;

before(async () => {
  server = await startServer();
  browser = await launch();
  const reg = await server.api('POST', '/api/v1/admin/appRegistrations', { displayName: 'Ticket app' });
  const oidc = await server.api('GET', '/.well-known/openid-configuration');
  const tok = await fetch(oidc.token_endpoint, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: reg.clientId, client_secret: reg.clientSecret, grant_type: 'client_credentials', scope: `${server.url}/.default` }),
  }).then((r) => r.json());
  const app = api(server.url, tok.access_token);
  await app('POST', '/v1.0/external/connections', { id: 'tickets', name: 'Tickets' });
  const res = await fetch(`${server.url}/v1.0/external/connections/tickets/schema`, {
    method: 'PATCH', headers: { Authorization: `Bearer ${tok.access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ baseType: 'microsoft.graph.externalItem', properties: [
      { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
      { name: 'link', type: 'string', isRetrievable: true, labels: ['url'] },
      { name: 'icon', type: 'string', isRetrievable: true, labels: ['iconUrl'] },
    ] }),
  });
  for (;;) {
    const op = await app('GET', res.headers.get('location'));
    if (op.status !== 'inprogress') break;
  }
  const everyone = [{ type: 'everyone', value: 'tenant', accessType: 'grant' }];
  const icon = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  await app('PUT', '/v1.0/external/connections/tickets/items/T1', { acl: everyone, properties: { title: 'Payment gateway error', link: 'https://tickets.example/T1', icon }, content: { value: 'Card payments fail with 500 since the deploy.', type: 'text' } });
  await app('PUT', '/v1.0/external/connections/tickets/items/T2', { acl: everyone, properties: { title: '<img src=x onerror=alert(1)> payment', link: 'javascript:alert(1)' }, content: { value: '<script>alert(2)</script> payment <b>bold</b>', type: 'text' } });
  for (let i = 3; i <= 14; i++) {
    await app('PUT', `/v1.0/external/connections/tickets/items/T${i}`, { acl: everyone, properties: { title: `Payment follow-up ${i}` }, content: { value: 'payment', type: 'text' } });
  }
  const pub = await fetch(`${server.url}/v1.0/appCatalogs/teamsApps`, {
    method: 'POST', headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/zip' },
    body: appPackage({ id: '7d7a6f0e-1b2c-4d3e-8f90-a1b2c3d4e5f6', connectors: undefined, name: { short: 'Helpdesk', full: 'Helpdesk tickets' }, graphConnector: { notificationUrl: 'http://127.0.0.2:9/notify' } }),
  });
  appId = (await pub.json()).id;
}, T);

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

test('the search box shows permitted hits with labels and highlights; hostile text stays text', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.getByRole('button', { name: 'Search' }).click();
  const dlg = page.getByRole('dialog', { name: 'Search' });
  await dlg.getByLabel('Search in').selectOption('external');
  await dlg.getByLabel('Search connected content').fill('payment');
  await dlg.getByRole('button', { name: 'Search', exact: true }).click();
  await dlg.getByRole('status').filter({ hasText: '14 results' }).waitFor();
  assert.equal(await dlg.locator('.search-hit').count(), 10);
  await dlg.getByRole('button', { name: 'More results' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.search-hit').length === 14);
  assert.equal(await dlg.getByRole('button', { name: 'More results' }).isVisible(), false);
  const link = dlg.getByRole('link', { name: 'Payment gateway error' });
  assert.equal(await link.getAttribute('href'), 'https://tickets.example/T1');
  assert.ok((await dlg.locator('.search-hit mark').count()) >= 10, 'terms are highlighted');
  // The hostile item: its title is text, its javascript: url is not a link, nothing ran.
  const hostile = dlg.locator('.search-hit', { hasText: '<img src=x onerror=alert(1)> payment' });
  assert.equal(await hostile.locator('a').count(), 0);
  assert.equal(await hostile.locator('img').count(), 0);
  assert.match(await hostile.locator('.search-summary').textContent(), /<script>alert\(2\)<\/script>/);
  await shot(page, '50-search');
  await page.setViewportSize({ width: 375, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 375 px (${overflow})`);
  await shot(page, '51-search-375');
  assert.deepEqual(page.dialogs, []);
  // (failed loads are the session probe before signing in and the favicon)
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.context().close();
});

test('the admin page lists Graph connector apps with a switch, the notification state, and registers apps', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Apps' }).click();
  const dlg = page.locator('.admin-content');
  const sw = dlg.getByRole('checkbox', { name: 'Helpdesk' });
  await sw.waitFor();
  assert.equal(await sw.isChecked(), false);
  await dlg.getByText('Not registered yet').waitFor();
  // Registering it shows the secret once.
  await dlg.getByLabel('Display name').fill('Helpdesk connector');
  await dlg.getByLabel('Catalog app').selectOption(appId);
  // through the contract's form of the route (not the older appRegistrations alias)
  const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/admin/applications');
  await dlg.getByRole('button', { name: 'Register' }).click();
  await sent;
  await dlg.getByText('Copy the client secret now').waitFor();
  assert.match(await dlg.locator('.gc-creds code').nth(1).textContent(), /^sbcs_/);
  // The client id shown is the new registration's, and it is linked to the catalog app chosen.
  const clientId = await dlg.locator('.gc-creds code').nth(0).textContent();
  assert.ok(clientId, 'a client id is shown');
  await dlg.locator('.gc-app', { hasText: 'Helpdesk' }).getByText(`Client id: ${clientId}`).waitFor();
  // Turning it on queues the notification (the URL is not allowed: it stays pending).
  await dlg.getByRole('checkbox', { name: 'Helpdesk' }).check();
  await dlg.getByText(/turned on, the app is notified/).waitFor();
  await dlg.getByText(/Notification pending/).waitFor();
  assert.equal(await dlg.getByRole('checkbox', { name: 'Helpdesk' }).isChecked(), true);
  await shot(page, '52-admin-graph-connectors');
  // Turning it off asks first and says what stops; cancelling leaves it on.
  await dlg.getByRole('checkbox', { name: 'Helpdesk' }).click();
  const confirm = page.getByRole('dialog', { name: 'Turn off Helpdesk?' });
  await confirm.getByText('Helpdesk is told to delete its 0 connections: 0 items stop being searchable.').waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.gc-app input[type=checkbox]')].some((c) => c.checked));
  const list = await server.api('GET', '/api/v1/admin/graphConnectors');
  assert.equal(list.value.find((a) => a.displayName === 'Helpdesk').enabled, true, 'cancel kept it on');
  // (failed loads are the session probe before signing in and the favicon)
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.context().close();
});
