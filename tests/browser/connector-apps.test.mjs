// Connector apps with configuration pages, in a real browser: a vendor's service on a second
// localhost origin serves two configuration pages written the way vendors write them, one with
// @microsoft/teams-js 2.x and one with 1.x (the npm packages, unmodified). Through the
// Connectors dialog the person adds each connector, the page validates and saves, the vendor's
// backend receives the webhook URL and posts a card that appears in the channel; Manage edits
// and Remove removes (the 2.x app through its removeUrl page, the 1.x app through its remove
// handler); an app whose page is on a domain outside its validDomains is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, postWebhook } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';
import { startVendor } from './lib/vendor.mjs';
import { appPackage } from '../e2e/lib/package.mjs';

const T = { timeout: 60000 };
const DEPLOYS_CONNECTOR = '6b1f3c2a-8d4e-4f5a-9b6c-1d2e3f4a5b6c';
const ALERTS_CONNECTOR = '7c2a4d3b-9e5f-4a6b-8c7d-2e3f4a5b6c7d';
const ELSEWHERE_CONNECTOR = '8d3b5e4c-af60-4b7c-9d8e-3f4a5b6c7d8e';

let server;
let vendor;
let browser;
let page;
let team;
let general;
let me;
let deploysAppId;
let elsewhereAppId;

async function upload(path, zip) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/zip' },
    body: zip,
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

function app({ id, connectorId, name, configurationUrl, validDomains }) {
  return appPackage({
    id,
    packageName: `org.example.${name.toLowerCase().replace(/\W+/g, '')}`,
    name: { short: name, full: `${name} for Switchboard` },
    description: { short: `${name} posts to a channel`, full: `${name} posts to a channel.` },
    connectors: [{ connectorId, configurationUrl, scopes: ['team'] }],
    validDomains,
  });
}

before(async () => {
  server = await startServer();
  vendor = await startVendor();
  // The vendor runs on plain http on the loopback interface: the administrator allows it.
  await server.api('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${vendor.port}`, `localhost:${vendor.port}`] });
  me = await server.api('GET', '/v1.0/me');
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Vendors ' + Date.now().toString(36) });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  deploysAppId = (await upload('/v1.0/appCatalogs/teamsApps', app({
    id: '1a2b3c4d-0000-4000-8000-000000000001', connectorId: DEPLOYS_CONNECTOR, name: 'Deploy notifier',
    configurationUrl: `${vendor.url}/deploys/config.html`, validDomains: ['127.0.0.1'],
  }))).id;
  await upload(`/v1.0/teams/${team.id}/installedApps`, app({
    id: '1a2b3c4d-0000-4000-8000-000000000002', connectorId: ALERTS_CONNECTOR, name: 'Alert relay',
    configurationUrl: `${vendor.url}/alerts/config.html`, validDomains: ['127.0.0.1'],
  }));
  elsewhereAppId = (await upload('/v1.0/appCatalogs/teamsApps', app({
    id: '1a2b3c4d-0000-4000-8000-000000000003', connectorId: ELSEWHERE_CONNECTOR, name: 'Elsewhere',
    configurationUrl: `http://localhost:${vendor.port}/deploys/config.html`, validDomains: ['example.org'],
  }))).id;
  browser = await launch();
  page = await newPage(browser, server);
  await signIn(page, server);
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close();
  if (vendor) await vendor.close();
  if (server) await server.stop();
}, { timeout: 20000 });

async function openConnectors() {
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for "General"/ });
  await dlg.waitFor();
  return dlg;
}

// Node does not resolve *.localhost as browsers do: connect to the server and name the sandbox
// origin in the Host header.
function getWithHost(serverUrl, url) {
  const s = new URL(serverUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: s.hostname, port: s.port, path: url.pathname + url.search, headers: { Host: url.host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

// The vendor's page inside the host frame inside the dialog.
const vendorFrame = () => page.frameLocator('iframe.config-frame').frameLocator('iframe');

async function configurations() {
  return (await server.api('GET', `/api/v1/channels/${general.id}/connectors`)).value;
}

test('teams-js 2.x: Add shows the page, validity enables Save, the backend gets the webhook URL and its card arrives', T, async () => {
  const dlg = await openConnectors();
  await dlg.getByRole('button', { name: 'Add Deploy notifier' }).click();
  const save = dlg.getByRole('button', { name: 'Save', exact: true });
  await vendorFrame().locator('#state', { hasText: 'ready' }).waitFor();
  assert.equal(await save.isDisabled(), true, 'Save starts disabled until the page says the form is valid');
  await vendorFrame().getByLabel('Project to follow').fill('api');
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll('.config-host button')].find((x) => x.textContent === 'Save');
    return b && !b.disabled;
  });
  await shot(page, '16-connector-config-page');
  await save.click();
  const sub = await vendor.waitFor((e) => e.type === 'subscribe' && e.connector === 'deploys');
  assert.match(sub.settings.webhookUrl, /^http:\/\/127\.0\.0\.1:\d+\/webhookb2\//);
  assert.equal(sub.settings.entityId, 'deploys-api');
  assert.equal(sub.settings.configName, 'Deploys of api');
  assert.equal(sub.settings.appType, 'teams');
  assert.equal(sub.settings.userObjectId, me.id);
  assert.equal(sub.channelId, general.id);
  assert.equal(sub.userId, me.id);
  assert.equal(sub.frameContext, 'settings');
  assert.match(sub.tenantId, /^[0-9a-f-]{36}$/);
  // The dialog goes back to the list, with the new configuration in it.
  await dlg.locator('.conn-item .conn-name', { hasText: 'Deploys of api' }).waitFor();
  const [cfg] = (await configurations()).filter((c) => c.kind === 'app');
  assert.equal(cfg.entityId, 'deploys-api');
  // contentUrl was built from the sandbox origin in the page: it is stored as the vendor's URL.
  assert.equal(cfg.contentUrl, `${vendor.url}/deploys/config.html`);
  assert.equal(cfg.removeUrl, `${vendor.url}/deploys/remove.html`);
  assert.equal(cfg.webhookUrl, sub.settings.webhookUrl);
  await dlg.getByRole('button', { name: 'Close' }).first().click();
  await page.locator('.message', { hasText: 'Deploy notifier connected: api' }).waitFor();
  await shot(page, '17-connector-app-card');
  // The vendor's pages never saw Switchboard's session cookie.
  for (const r of vendor.requests) assert.doesNotMatch(String(r.headers.cookie || ''), /sb_session/);
});

test('teams-js 2.x: Manage reloads the page with its settings, an edit is saved', T, async () => {
  const dlg = await openConnectors();
  const before = (await configurations()).find((c) => c.kind === 'app');
  await dlg.getByRole('button', { name: 'Manage Deploys of api' }).click();
  const input = vendorFrame().getByLabel('Project to follow');
  await vendorFrame().locator('#state', { hasText: 'ready' }).waitFor();
  assert.equal(await input.inputValue(), 'api', 'getConfig prefilled the form');
  await input.fill('web');
  const n = vendor.events.length;
  await dlg.getByRole('button', { name: 'Save', exact: true }).click();
  const sub = await vendor.waitFor((e, i) => e.type === 'subscribe' && e.project === 'web' && vendor.events.indexOf(e) >= n);
  assert.equal(sub.settings.webhookUrl, before.webhookUrl, 'an edit keeps the webhook URL');
  await dlg.locator('.conn-item .conn-name', { hasText: 'Deploys of web' }).waitFor();
  const after = (await configurations()).find((c) => c.kind === 'app');
  assert.equal(after.id, before.id);
  assert.equal(after.entityId, 'deploys-web');
  await dlg.getByRole('button', { name: 'Close' }).first().click();
});

test('teams-js 2.x: Remove loads removeUrl, the remove handler runs, the configuration and its URL go', T, async () => {
  const cfg = (await configurations()).find((c) => c.kind === 'app');
  const dlg = await openConnectors();
  await dlg.getByRole('button', { name: 'Remove Deploys of web' }).click();
  await vendorFrame().locator('#state', { hasText: 'ready' }).waitFor();
  const remove = dlg.locator('.config-host').getByRole('button', { name: 'Remove', exact: true });
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll('.config-host button')].find((x) => x.textContent === 'Remove');
    return b && !b.disabled;
  });
  await remove.click();
  const unsub = await vendor.waitFor((e) => e.type === 'unsubscribe' && e.connector === 'deploys');
  assert.equal(unsub.frameContext, 'remove');
  assert.equal(unsub.settings.webhookUrl, cfg.webhookUrl);
  await dlg.getByText('No connectors are configured for this channel yet.').waitFor();
  const gone = await postWebhook(cfg.webhookUrl, { text: 'after removal' });
  assert.equal(gone.status, 410);
  await dlg.getByRole('button', { name: 'Close' }).first().click();
});

test('teams-js 1.x: an uploaded connector is added from "Uploaded"; settings set in the save handler are kept', T, async () => {
  const dlg = await openConnectors();
  await dlg.locator('#conn-uploaded').waitFor();
  await dlg.getByRole('button', { name: 'Add Alert relay' }).click();
  await vendorFrame().locator('#state', { hasText: 'ready' }).waitFor();
  await vendorFrame().getByLabel('Severity to relay').selectOption('critical');
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll('.config-host button')].find((x) => x.textContent === 'Save');
    return b && !b.disabled;
  });
  await dlg.getByRole('button', { name: 'Save', exact: true }).click();
  const sub = await vendor.waitFor((e) => e.type === 'subscribe' && e.connector === 'alerts');
  assert.match(sub.settings.webhookUrl, /\/webhookb2\//);
  assert.equal(sub.saveResult.webhookUrl, sub.settings.webhookUrl, '1.x SaveEvent.result carries webhookUrl');
  assert.equal(sub.channelId, general.id);
  assert.equal(sub.userId, me.id);
  await dlg.locator('.conn-item .conn-name', { hasText: 'Alerts: critical' }).waitFor();
  const cfg = (await configurations()).find((c) => c.kind === 'app');
  assert.equal(cfg.entityId, 'critical');
  assert.equal(cfg.contentUrl, `${vendor.url}/alerts/config.html`);
  assert.equal(cfg.removeUrl, undefined);
  await dlg.getByRole('button', { name: 'Close' }).first().click();
  await page.locator('.message', { hasText: 'Alert relay connected: critical' }).waitFor();
});

test('teams-js 1.x: without removeUrl, Remove runs the page\'s remove handler', T, async () => {
  const cfg = (await configurations()).find((c) => c.kind === 'app');
  const dlg = await openConnectors();
  await dlg.getByRole('button', { name: 'Remove Alerts: critical' }).click();
  await vendorFrame().locator('#state', { hasText: 'ready' }).waitFor();
  await dlg.locator('.config-host').getByRole('button', { name: 'Remove', exact: true }).click();
  const unsub = await vendor.waitFor((e) => e.type === 'unsubscribe' && e.connector === 'alerts');
  assert.equal(unsub.settings.webhookUrl, cfg.webhookUrl);
  await dlg.getByText('No connectors are configured for this channel yet.').waitFor();
  assert.equal((await postWebhook(cfg.webhookUrl, { text: 'x' })).status, 410);
});

test('a configuration page on a domain outside validDomains is refused', T, async () => {
  const dlg = await openConnectors();
  const item = dlg.locator('.conn-item', { hasText: 'Elsewhere' });
  await item.getByText(/not in the app's validDomains/).waitFor();
  assert.equal(await item.getByRole('button', { name: 'Add Elsewhere' }).count(), 0);
  await shot(page, '18-connector-refused-domain');
  // The sandbox origin refuses it too: the catalog hands out no ticket for it, and another app's
  // ticket does not open it.
  const catalog = await server.api('GET', `/api/v1/channels/${general.id}/connectorCatalog`);
  assert.equal(catalog.value.find((c) => c.appId === elsewhereAppId).configurationHostUrl, undefined);
  const deploys = catalog.value.find((c) => c.appId === deploysAppId);
  const hostUrl = new URL(deploys.configurationHostUrl);
  hostUrl.hostname = hostUrl.hostname.replace(deploysAppId, elsewhereAppId);
  const res = await getWithHost(server.url, hostUrl);
  assert.equal(res.status, 403);
  assert.match(res.text, /opens only from Switchboard's Connectors dialog|link has expired or is not valid/);
  // No script error anywhere, vendor frames included. (Console lines about failed loads are
  // expected: teams-js 2.x fetches Microsoft's origin list from a CDN this machine cannot reach
  // and falls back to its built-in list.)
  assert.deepEqual(page.errors.filter((e) => !e.startsWith('console: Failed to load resource')), []);
  assert.deepEqual(page.dialogs, []);
});

test('at 375 px wide the configuration page fills the dialog and Save stays reachable', T, async () => {
  const phone = await newPage(browser, server, { viewport: { width: 375, height: 740 } });
  try {
    await signIn(phone, server);
    await phone.goto(`/t/${team.id}/c/${general.id}`);
    await phone.getByRole('button', { name: /More options for General/ }).click();
    await phone.getByRole('menuitem', { name: 'Connectors' }).click();
    const dlg = phone.getByRole('dialog', { name: /Connectors for "General"/ });
    await dlg.getByRole('button', { name: 'Add Deploy notifier' }).click();
    const frame = phone.frameLocator('iframe.config-frame').frameLocator('iframe');
    await frame.locator('#state', { hasText: 'ready' }).waitFor();
    await frame.getByLabel('Project to follow').fill('mobile');
    const box = await phone.locator('iframe.config-frame').boundingBox();
    assert.ok(box.width >= 280 && box.x >= 0 && box.x + box.width <= 375, JSON.stringify(box));
    const save = dlg.getByRole('button', { name: 'Save', exact: true });
    await save.scrollIntoViewIfNeeded();
    assert.equal(await save.isVisible(), true);
    await shot(phone, '19-connector-config-phone');
    await dlg.getByRole('button', { name: /Cancel/ }).click();
  } finally {
    await phone.context().close();
  }
});
