// App packages from the web client: an administrator publishes a package to the organisation
// catalog on the admin page (and sees the validator's error for a broken one), a team owner
// uploads a custom app in the connectors dialog and finds it under "Uploaded"; deleting from the
// admin page takes the app out of every channel's catalog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';
import { appPackage, zip } from '../e2e/lib/package.mjs';

const T = { timeout: 60000 };
let server;
let browser;
let page;
let team;
let general;
let dir;

function file(name, bytes) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-upload-'));
  server = await startServer();
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Uploads ' + Date.now().toString(36) });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  browser = await launch();
  page = await newPage(browser, server);
  await signIn(page, server);
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, { timeout: 20000 });

test('the admin page publishes a package, shows a broken one\'s rule, and deletes', T, async () => {
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Apps' }).click();
  const dlg = page.locator('.admin-content');
  const input = dlg.getByLabel(/Publish an app package/);
  await input.setInputFiles(file('broken.zip', zip([{ name: 'manifest.json', data: '{"manifestVersion":"1.17"' }])));
  await dlg.getByRole('alert').filter({ hasText: /manifest\.json/ }).waitFor();
  await input.setInputFiles(file('org.zip', appPackage({
    id: '3c4d5e6f-0000-4000-8000-000000000001', name: { short: 'Org Alerts', full: 'Org Alerts' },
    connectors: [{ connectorId: 'e49b1ea2-0000-4000-8000-000000000001', configurationUrl: 'https://example.org/config', scopes: ['team'] }],
  })));
  await dlg.locator('.conn-item', { hasText: 'Org Alerts' }).waitFor();
  await dlg.getByText('Published Org Alerts 1.0.0').waitFor();
  await shot(page, '23-admin-apps');
  const catalog = await server.api('GET', `/api/v1/channels/${general.id}/connectorCatalog`);
  assert.ok(catalog.value.some((e) => e.name === 'Org Alerts' && e.section === 'organization'));
  await dlg.getByRole('button', { name: 'Delete Org Alerts' }).click();
  // Deleting asks first; cancelling keeps the app.
  const confirm = page.getByRole('dialog', { name: 'Delete Org Alerts from the catalog?' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  assert.ok((await server.api('GET', `/api/v1/channels/${general.id}/connectorCatalog`)).value.some((e) => e.name === 'Org Alerts'));
  await dlg.getByRole('button', { name: 'Delete Org Alerts' }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await dlg.getByText('No apps have been published to the organization.').waitFor();
  const after = await server.api('GET', `/api/v1/channels/${general.id}/connectorCatalog`);
  assert.ok(!after.value.some((e) => e.name === 'Org Alerts'));
});

test('the connectors dialog uploads a custom app to the team: it is listed under "Uploaded"', T, async () => {
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for "General"/ });
  await dlg.getByText(/No custom connectors have been uploaded/).waitFor();
  await dlg.getByLabel('Upload a custom app (.zip)').setInputFiles(file('team.zip', appPackage({
    id: '3c4d5e6f-0000-4000-8000-000000000002', name: { short: 'Team Pager', full: 'Team Pager' },
    connectors: [{ connectorId: 'e49b1ea2-0000-4000-8000-000000000002', configurationUrl: 'https://example.org/pager', scopes: ['team'] }],
  })));
  const section = dlg.locator('section.conn-section', { has: page.locator('#conn-uploaded') });
  await section.locator('.conn-item', { hasText: 'Team Pager' }).waitFor();
  await shot(page, '24-team-upload');
  const catalog = await server.api('GET', `/api/v1/channels/${general.id}/connectorCatalog`);
  assert.ok(catalog.value.some((e) => e.name === 'Team Pager' && e.section === 'uploaded'));
  assert.deepEqual(page.dialogs, []);
});
