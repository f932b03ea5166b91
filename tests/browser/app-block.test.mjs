// Apps: block/allow on the admin page (issue 21 item 6, docs/admin.md). The administrator blocks
// an app from Admin > Apps: the confirmation states, with the server's counts, that its
// configurations keep working and nobody can add new ones; cancelling changes nothing; once
// blocked the app is gone from the channel's connectors dialog and its configurations still
// post; allowing brings it back. Screenshots in English and French at 1280 and 375 px, axe on
// the section and the confirmation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, getToken, api, postWebhook, REPO_ROOT } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';
import { appPackage } from '../e2e/lib/package.mjs';

const T = { timeout: 60000 };
const AXE = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const PASSWORD = 'Correct-Horse-Battery-9';
const CONNECTOR = 'b10cb10c-0000-4000-8000-000000000001';
let server;
let browser;
let owner;
let ops;
let opsGeneral;
let app;
let configs;

function appZip(id, connectorId, name) {
  return appPackage({
    id, packageName: `org.example.${id.slice(-4)}`, name: { short: name, full: name },
    connectors: [{ connectorId, configurationUrl: 'https://example.org/config', scopes: ['team'] }], validDomains: ['example.org'],
  });
}

async function upload(token, p, body) {
  const res = await fetch(server.url + p, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/zip' }, body });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return JSON.parse(text);
}

before(async () => {
  server = await startServer();
  browser = await launch();
  const upn = 'owner.app-block@switchboard.test';
  await server.api('POST', '/v1.0/users', { displayName: 'Olive Owner', userPrincipalName: upn, passwordProfile: { password: PASSWORD } });
  const ownerToken = await getToken(server.url, upn, PASSWORD);
  owner = api(server.url, ownerToken);
  ops = await owner('POST', '/v1.0/teams', { displayName: 'Operations' });
  const sales = await owner('POST', '/v1.0/teams', { displayName: 'Sales' });
  opsGeneral = (await owner('GET', `/v1.0/teams/${ops.id}/channels`)).value[0];
  const salesGeneral = (await owner('GET', `/v1.0/teams/${sales.id}/channels`)).value[0];
  app = await upload(server.adminToken, '/v1.0/appCatalogs/teamsApps', appZip('b10cb10c-0000-4000-8000-00000000a001', CONNECTOR, 'Build Alerts'));
  await upload(ownerToken, `/v1.0/teams/${ops.id}/installedApps`, appZip('b10cb10c-0000-4000-8000-00000000a002', 'b10cb10c-0000-4000-8000-000000000002', 'Ops Pager'));
  const configure = (ch, configName) => owner('POST', `/api/v1/channels/${ch.id}/connectors`, { connectorId: CONNECTOR, configName, entityId: 'e', contentUrl: 'https://example.org/content' });
  configs = [await configure(opsGeneral, 'Builds'), await configure(opsGeneral, 'Nightly'), await configure(salesGeneral, 'Releases')];
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

const jsErrors = (page) => page.errors.filter((e) => !/Failed to load resource/.test(e));
const adminApp = async () => (await server.api('GET', '/api/v1/admin/apps')).value.find((a) => a.id === app.id);
const offered = async () => (await owner('GET', `/api/v1/channels/${opsGeneral.id}/connectorCatalog`)).value.some((e) => e.appId === app.id);

// axe inside `root` (this change's part of the page: the section, the dialog).
async function expectAxeClean(page, view, root) {
  await page.evaluate(AXE);
  const res = await page.evaluate(async (sel) => {
    const r = await window.axe.run({ include: [sel] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  }, root);
  const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${view}: ${JSON.stringify(bad, null, 1)}`);
}

test('blocking an app states what keeps working; cancel changes nothing; blocked it leaves the connectors dialog; allowing restores it', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto('/admin/apps');
  const content = page.locator('.admin-content');
  const item = content.locator('.conn-item', { hasText: 'Build Alerts' });
  await item.getByText('Version 1.0.0 · 3 configurations in 2 teams').waitFor();
  await content.getByRole('heading', { name: 'Apps uploaded to teams' }).waitFor();
  await content.locator('.conn-item', { hasText: 'Ops Pager' }).getByText('Uploaded to Operations').waitFor();

  await page.getByRole('button', { name: 'Block Build Alerts' }).click();
  const dlg = page.getByRole('dialog', { name: 'Block Build Alerts?' });
  await dlg.getByText('3 configurations in 2 teams keep working; nobody can add new ones.').waitFor();
  await dlg.getByText('Build Alerts leaves the connectors dialog of every channel: nobody can add new configurations of it.').waitFor();
  await dlg.getByText('Build Alerts cannot be uploaded to a team while it is blocked.').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Cancel', 'Cancel has the focus');
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await dlg.waitFor({ state: 'detached' });
  assert.equal((await adminApp()).blocked, false, 'cancelling sent nothing');
  assert.ok(await offered());

  await page.getByRole('button', { name: 'Block Build Alerts' }).click();
  await dlg.getByRole('button', { name: 'Block', exact: true }).click();
  await item.getByText('Blocked', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Allow Build Alerts' }).waitFor();
  assert.equal((await adminApp()).blocked, true);
  assert.ok(!(await offered()), 'gone from the catalog');
  for (const c of configs) assert.equal((await postWebhook(c.webhookUrl, { text: 'still posting' })).status, 200, 'its configurations keep posting');

  // The owner's connectors dialog no longer offers it; the team's own upload is still there.
  const ownerPage = await newPage(browser, server);
  await signIn(ownerPage, server, 'owner.app-block@switchboard.test', PASSWORD);
  await ownerPage.goto(`/t/${ops.id}/c/${opsGeneral.id}`);
  await ownerPage.getByRole('button', { name: /More options for General/ }).click();
  await ownerPage.getByRole('menuitem', { name: 'Connectors' }).click();
  const connectors = ownerPage.getByRole('dialog', { name: /Connectors for "General"/ });
  await connectors.locator('.conn-item', { hasText: 'Ops Pager' }).waitFor();
  assert.equal(await connectors.locator('.conn-item', { hasText: 'Build Alerts' }).count(), 0, 'a blocked app is not offered');
  await ownerPage.context().close();

  await page.getByRole('button', { name: 'Allow Build Alerts' }).click();
  const allow = page.getByRole('dialog', { name: 'Allow Build Alerts again?' });
  await allow.getByText(/is offered again in the connectors dialog/).waitFor();
  await allow.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.getByRole('button', { name: 'Block Build Alerts' }).waitFor();
  assert.equal(await item.getByText('Blocked', { exact: true }).count(), 0);
  assert.equal((await adminApp()).blocked, false);
  assert.ok(await offered(), 'offered again');
  const audit = (await server.api('GET', '/api/v1/admin/audit?action=app.')).value.map((e) => e.action);
  assert.deepEqual(audit.slice(0, 2), ['app.allow', 'app.block']);
  assert.deepEqual(jsErrors(page), []);
  await page.context().close();
});

test('screenshots in English and French at 1280 and 375 px; axe finds nothing serious in the section or the confirmation', { timeout: 120000 }, async () => {
  await server.api('PATCH', `/api/v1/admin/apps/${app.id}`, { blocked: true });
  for (const width of [1280, 375]) {
    for (const lang of ['en', 'fr']) {
      const page = await newPage(browser, server, { viewport: { width, height: width > 600 ? 800 : 740 } });
      await signIn(page, server);
      await page.evaluate((l) => localStorage.setItem('sb.lang', l), lang);
      await page.goto('/admin/apps');
      const blocked = lang === 'en' ? 'Blocked' : 'Bloqu\u00e9e';
      await page.locator('.admin-content .conn-item', { hasText: 'Build Alerts' }).getByText(blocked, { exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, `admin-apps-blocked-${lang}-${width}`);
      await expectAxeClean(page, `apps section ${lang} ${width}`, '.admin-content');
      await page.getByRole('button', { name: lang === 'en' ? 'Allow Build Alerts' : 'Autoriser Build Alerts' }).click();
      await page.getByRole('dialog').waitFor();
      await page.getByRole('button', { name: lang === 'en' ? 'Cancel' : 'Annuler' }).click();
      await page.getByRole('button', { name: lang === 'en' ? 'Block Ops Pager' : 'Bloquer Ops Pager' }).click();
      const dlg = page.getByRole('dialog');
      const keeps = lang === 'en' ? 'No channel has a configuration of it yet.' : 'Aucun canal n\u2019en a encore de configuration.';
      await dlg.getByText(keeps).waitFor();
      await shot(page, `admin-apps-block-confirm-${lang}-${width}`);
      await expectAxeClean(page, `block confirmation ${lang} ${width}`, 'dialog');
      await dlg.getByRole('button', { name: lang === 'en' ? 'Cancel' : 'Annuler' }).click();
      assert.deepEqual(jsErrors(page), []);
      await page.context().close();
    }
  }
  // The French confirmation of the blocked app's counts.
  await server.api('PATCH', `/api/v1/admin/apps/${app.id}`, { blocked: false });
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.evaluate(() => localStorage.setItem('sb.lang', 'fr'));
  await page.goto('/admin/apps');
  await page.getByRole('button', { name: 'Bloquer Build Alerts' }).click();
  await page.getByRole('dialog', { name: 'Bloquer Build Alerts\u00a0?' })
    .getByText('3\u00a0configurations dans 2\u00a0\u00e9quipes continuent de fonctionner\u00a0; plus personne ne peut en ajouter.').waitFor();
  await page.getByRole('button', { name: 'Annuler' }).click();
  assert.equal((await adminApp()).blocked, false);
  await page.context().close();
});
