// The Connector Developer Dashboard in a real browser: register a connector through the form
// (client-side and server-side validation messages, logo preview), download its app package,
// edit it (the version moves), send a test card into a channel and see it there, delete it;
// and the dialog at phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { png } from '../e2e/lib/package.mjs';
import { startServer } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

const T = { timeout: 60000 };
let server;
let browser;
let page;
let team;
let channel;

// The entry names of a zip, from its central directory.
function zipNames(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip archive');
  const count = buf.readUInt16LE(eocd + 10);
  let pos = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const n = buf.readUInt16LE(pos + 28);
    names.push(buf.subarray(pos + 46, pos + 46 + n).toString('utf8'));
    pos += 46 + n + buf.readUInt16LE(pos + 30) + buf.readUInt16LE(pos + 32);
  }
  return names.sort();
}

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await newPage(browser, server);
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Dev team' });
  if (!team) {
    const teams = await server.api('GET', '/v1.0/me/joinedTeams');
    team = teams.value.find((t) => t.displayName === 'Dev team');
  }
  const chans = await server.api('GET', `/v1.0/teams/${team.id}/channels`);
  channel = chans.value[0];
}, { timeout: 30000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

// Script errors only: the answers 4xx the flow provokes on purpose are logged as resource loads.
const jsErrors = (p) => p.errors.filter((e) => !/Failed to load resource/.test(e));

async function openDashboard(p) {
  // Below 480 px Developer is in the user menu rather than the top bar.
  if (p.viewportSize().width > 480) await p.getByRole('button', { name: 'Developer' }).click();
  else {
    await p.getByRole('button', { name: 'Profile menu' }).click();
    await p.getByRole('menuitem', { name: 'Developer' }).click();
  }
  const dlg = p.getByRole('dialog', { name: 'Connector Developer Dashboard' });
  await dlg.waitFor();
  return dlg;
}

test('register a connector through the form, with validation messages and a preview', T, async () => {
  await signIn(page, server);
  const dlg = await openDashboard(page);
  await dlg.getByText('No connectors are registered yet.').waitFor();
  await dlg.getByRole('button', { name: 'Register a connector' }).click();
  const form = dlg.getByRole('form', { name: 'Register a connector' });
  await form.waitFor();

  // Client-side checks: every missing field says what it needs.
  await form.getByRole('button', { name: 'Register' }).click();
  await form.getByRole('alert').filter({ hasText: /highlighted fields/ }).waitFor();
  assert.equal(await form.getByLabel('Name').getAttribute('aria-invalid'), 'true');
  await form.getByText('Enter a name.').waitFor();
  await form.getByText('Choose a 192\u00d7192 PNG logo.').waitFor();
  // a logo of the wrong size is refused before sending
  await form.getByLabel('Logo').setInputFiles({ name: 'small.png', mimeType: 'image/png', buffer: png(64, 64) });
  await form.getByText(/The logo must be 192\u00d7192 pixels, not 64\u00d764/).waitFor();

  await form.getByLabel('Name').fill('Build <b>alerts</b>');
  await form.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(192, 192, [0x10, 0x80, 0x40, 0xff]) });
  await form.locator('.dev-preview img:not([hidden])').waitFor();
  assert.equal(await form.locator('.dev-preview strong').textContent(), 'Build <b>alerts</b>');
  await form.getByLabel('Short description').fill('Build results from the CI');
  await form.getByLabel('Long description').fill('Posts the result of every build.');
  await form.getByLabel('Company website').fill('https://ci.example.org');
  await form.getByLabel('Configuration page URL').fill('https://ci.example.org/teams/config');
  await form.getByLabel('Valid domains').fill('ci.example.org, https://bad.example.org');
  await form.getByLabel('Cards may carry actions').check();
  await form.getByLabel('Actions target URL').fill('https://ci.example.org/actions');
  await form.getByRole('button', { name: 'Register' }).click();
  await form.getByText('"https://bad.example.org" is not a host name (no https:// and no path).').waitFor();
  await form.getByLabel('Valid domains').fill('ci.example.org');
  // The server's own rules show on the field it names (http website passes the client? no:
  // send one the client cannot judge: a name over the server's limit is cut by maxlength, so
  // use a configuration URL on a host that is not allowed for http).
  await form.getByLabel('Configuration page URL').fill('http://127.0.0.2:8080/config');
  await form.getByRole('button', { name: 'Register' }).click();
  await form.getByRole('alert').filter({ hasText: /configurationUrl must be an https URL/ }).waitFor();
  assert.equal(await form.getByLabel('Configuration page URL').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Configuration page URL').fill('https://ci.example.org/teams/config');
  await form.getByRole('button', { name: 'Register' }).click();

  await dlg.getByRole('status').filter({ hasText: /was registered/ }).waitFor();
  const item = dlg.locator('.conn-item', { hasText: 'Build <b>alerts</b>' });
  await item.waitFor();
  assert.equal(await dlg.locator('b').count(), 0, 'the name stays text');
  await item.getByText('v1.0.0').waitFor();
  await shot(page, '20-developer-dashboard');
  const regs = await server.api('GET', '/api/v1/connectorRegistrations');
  assert.equal(regs.value.length, 1);
  assert.equal(regs.value[0].actionsUrl, 'https://ci.example.org/actions');
  assert.deepEqual(regs.value[0].validDomains, ['ci.example.org']);
  assert.deepEqual(jsErrors(page), []);
});

test('download the package: a zip with the manifest and both icons', T, async () => {
  const dlg = page.getByRole('dialog', { name: 'Connector Developer Dashboard' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dlg.getByRole('link', { name: /Download the app package of Build/ }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^Build-b-alerts-b-1\.0\.0\.zip$/);
  const file = await download.path();
  const buf = fs.readFileSync(file);
  assert.deepEqual(zipNames(buf), ['color.png', 'manifest.json', 'outline.png']);
});

test('edit bumps the version; send a test card into a channel and see it there', T, async () => {
  const dlg = page.getByRole('dialog', { name: 'Connector Developer Dashboard' });
  await dlg.getByRole('button', { name: /^Edit Build/ }).click();
  const form = dlg.getByRole('form', { name: /^Edit Build/ });
  await form.getByLabel('Short description').fill('Build and deploy results');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await dlg.getByRole('status').filter({ hasText: /version 1\.0\.1/ }).waitFor();
  await dlg.getByText('v1.0.1').waitFor();
  await dlg.getByText('Build and deploy results').waitFor();

  await dlg.getByRole('button', { name: /Send a test card from Build/ }).click();
  const testForm = dlg.getByRole('form', { name: /Send a test card from Build/ });
  await testForm.getByLabel('Channel').selectOption({ label: `${channel.displayName} (Dev team)` });
  await testForm.getByRole('button', { name: 'Send' }).click();
  await dlg.getByRole('status').filter({ hasText: /Test card sent to General \(Dev team\)/ }).waitFor();
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'detached' });

  // the card is in the channel, from the connector, with its action button
  await page.locator('.channel-link', { hasText: channel.displayName }).first().click();
  const msg = page.locator('.message', { hasText: 'Test card from Build <b>alerts</b>' });
  await msg.waitFor();
  await msg.getByText('Run test action').waitFor();
  // the connector's icon is the sender's avatar
  await msg.locator('.message-avatar img[src^="/v1.0/appCatalogs/teamsApps/"]').waitFor();
  await msg.locator('.message-avatar .avatar-initials[hidden]').waitFor({ state: 'attached' });
  await shot(page, '22-developer-test-card');
  const messages = await server.api('GET', `/v1.0/teams/${team.id}/channels/${channel.id}/messages`);
  const m = messages.value.find((x) => x.from.application);
  assert.equal(JSON.parse(m.attachments[0].content).potentialAction[0]['@type'], 'HttpPOST');
  assert.deepEqual(jsErrors(page), []);
});

test('at 375 px the dashboard fits; delete asks first and removes the connector', T, async () => {
  const phone = await newPage(browser, server, { viewport: { width: 375, height: 740 } });
  await signIn(phone, server);
  const bar = await phone.evaluate(() => [document.querySelector('.topbar').scrollWidth, document.querySelector('.topbar').clientWidth]);
  assert.ok(bar[0] <= bar[1], `the top bar fits (${bar})`);
  const dlg = await openDashboard(phone);
  const item = dlg.locator('.conn-item', { hasText: 'Build <b>alerts</b>' });
  await item.waitFor();
  const overflow = await phone.evaluate(() => document.querySelector('.developer-dialog .dialog-body').scrollWidth);
  const width = await phone.evaluate(() => document.querySelector('.developer-dialog .dialog-body').clientWidth);
  assert.ok(overflow <= width, `no horizontal scroll in the dialog (${overflow} > ${width})`);
  await dlg.getByRole('button', { name: 'Register a connector' }).click();
  const form = dlg.getByRole('form', { name: 'Register a connector' });
  await form.getByLabel('Name').waitFor();
  const box = await form.getByLabel('Configuration page URL').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `fields fit the screen (${box.x}+${box.width})`);
  await shot(phone, '21-developer-phone');
  await form.getByRole('button', { name: 'Cancel' }).click();

  await dlg.getByRole('button', { name: /^Delete Build/ }).click();
  await dlg.getByText(/Delete Build <b>alerts<\/b>\? Its app leaves/).waitFor();
  await dlg.locator('.confirm + .button.danger').click();
  await dlg.getByRole('status').filter({ hasText: /was deleted/ }).waitFor();
  await dlg.getByText('No connectors are registered yet.').waitFor();
  assert.deepEqual((await server.api('GET', '/api/v1/connectorRegistrations')).value, []);
  assert.deepEqual(jsErrors(phone), []);
  await phone.context().close();
});

test('a person who is not an administrator gets the Developer page once the admin page allows it', T, async () => {
  const upn = `dev${Date.now()}@switchboard.test`;
  await server.api('POST', '/v1.0/users', { displayName: 'Dev Person', userPrincipalName: upn, passwordProfile: { password: 'dev-password-1' } });
  const dev = await newPage(browser, server);
  const asked = dev.waitForResponse((r) => r.url().endsWith('/api/v1/connectorRegistrations'));
  await signIn(dev, server, upn, 'dev-password-1');
  await asked;
  await dev.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.equal(await dev.getByRole('button', { name: 'Developer' }).isVisible(), false);

  await page.getByRole('button', { name: 'Admin' }).click();
  const adm = page.locator('.admin-content');
  const sw = adm.getByRole('checkbox', { name: 'Everyone may register connectors', exact: true });
  assert.equal(await sw.isChecked(), false);
  await sw.check();
  await adm.getByRole('button', { name: /Use the default for Everyone may register connectors/ }).waitFor();
  assert.equal((await server.api('GET', '/api/v1/admin/organization')).developersMayRegisterConnectors, true);
  await page.keyboard.press('Escape');

  await dev.reload();
  const dlg = await openDashboard(dev);
  await dlg.getByRole('button', { name: 'Register a connector' }).waitFor();
  await dlg.getByText('No connectors are registered yet.').waitFor();
  assert.deepEqual(jsErrors(dev), []);
  await dev.context().close();
  await server.api('PATCH', '/api/v1/admin/organization', { developersMayRegisterConnectors: null });
});
