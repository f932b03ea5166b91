// The admin page (docs/admin.md): a full page at /admin/<section>, every change with
// consequences confirmed with them stated (counts from GET /api/v1/admin/impact), cancelling
// changes nothing, the audit log with names, filters and CSV export, and the page in French
// through the language menu. Screenshots of each section in both languages at 1280 and 375 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, postWebhook, getToken, api } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

const T = { timeout: 60000 };
const PASSWORD = 'Correct-Horse-Battery-9';
let server;
let browser;
let ops;
let sales;
let hooks;
let member;

before(async () => {
  server = await startServer();
  browser = await launch();
  // Teams made by another person: the admin is in none of them and still sees them here.
  const upn = 'owner.admin-test@switchboard.test';
  await server.api('POST', '/v1.0/users', { displayName: 'Olive Owner', userPrincipalName: upn, passwordProfile: { password: PASSWORD } });
  const owner = api(server.url, await getToken(server.url, upn, PASSWORD));
  ops = await owner('POST', '/v1.0/teams', { displayName: 'Operations' });
  sales = await owner('POST', '/v1.0/teams', { displayName: 'Sales' });
  const opsGeneral = (await owner('GET', `/v1.0/teams/${ops.id}/channels`)).value[0];
  const salesGeneral = (await owner('GET', `/v1.0/teams/${sales.id}/channels`)).value[0];
  hooks = [
    await owner('POST', `/api/v1/channels/${opsGeneral.id}/webhooks`, { name: 'Pager' }),
    await owner('POST', `/api/v1/channels/${opsGeneral.id}/webhooks`, { name: 'Builds' }),
    await owner('POST', `/api/v1/channels/${salesGeneral.id}/webhooks`, { name: 'Leads' }),
  ];
  member = { upn: 'member.admin-test@switchboard.test' };
  await server.api('POST', '/v1.0/users', { displayName: 'Max Member', userPrincipalName: member.upn, passwordProfile: { password: PASSWORD } });
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

async function openAdminPage(page, section) {
  await page.getByRole('button', { name: 'Admin' }).click();
  await page.waitForURL('**/admin/organisation');
  if (section) {
    await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: section }).click();
  }
}

// Script errors only: the 401 of the first session check and similar answers are expected.
const jsErrors = (page) => page.errors.filter((e) => !/Failed to load resource/.test(e));

const org = () => server.api('GET', '/api/v1/admin/organization');

test('the admin page is a full page at /admin with its sections; reloading keeps the section', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openAdminPage(page);
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  assert.equal(await page.locator('dialog').count(), 0, 'not a modal');
  const links = await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link').allTextContents();
  assert.deepEqual(links, ['Organisation', 'Cloud environment', 'Outbound hosts', 'Webhook URLs', 'Apps', 'Users', 'Teams', 'Audit log']);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.waitForURL('**/admin/audit');
  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Audit log' }).waitFor();
  assert.match(await page.title(), /^Audit log \| Administration/);
  await page.goBack();
  await page.getByRole('heading', { level: 2, name: 'Organisation' }).waitFor();
  assert.deepEqual(jsErrors(page), []);
  await page.context().close();
});

test('turning connectors off states how many webhooks in how many teams stop; cancel changes nothing, confirm applies', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openAdminPage(page);
  const sw = page.getByRole('checkbox', { name: 'Connectors and incoming webhooks', exact: true });
  await sw.waitFor();
  assert.equal(await sw.isChecked(), true);
  await page.getByText('Set-OrganizationConfig -ConnectorsEnabled', { exact: true }).waitFor();
  await sw.click();
  const dlg = page.getByRole('dialog', { name: 'Turn off Connectors and incoming webhooks?' });
  await dlg.getByText('3 webhooks and connectors in 2 teams will stop accepting posts.').waitFor();
  await shot(page, 'admin-confirm-en-1280');
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await dlg.waitFor({ state: 'detached' });
  // The switch goes back on once the dialog has answered.
  await page.waitForFunction(() => document.getElementById('admin-sw-connectorsEnabled').checked === true);
  let o = await org();
  assert.equal(o.connectorsEnabled, true);
  assert.ok(!(o.explicitSettings || []).includes('connectorsEnabled'), 'nothing was saved');
  assert.equal((await postWebhook(hooks[0].url, { text: 'still on' })).status, 200);

  await sw.click();
  await dlg.getByRole('button', { name: 'Turn off' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor();
  o = await org();
  assert.equal(o.connectorsEnabled, false);
  assert.notEqual((await postWebhook(hooks[0].url, { text: 'off now' })).status, 200, 'posts refused');
  // Back to the default: no confirmation needed to turn something on.
  await page.getByRole('button', { name: 'Use the default for Connectors and incoming webhooks' }).click();
  await page.waitForFunction(() => document.getElementById('admin-sw-connectorsEnabled')?.checked === true);
  o = await org();
  assert.equal(o.connectorsEnabled, true);
  assert.ok(!(o.explicitSettings || []).includes('connectorsEnabled'));
  assert.deepEqual(jsErrors(page), []);
  await page.context().close();
});

test('outbound hosts: adding asks first and says what it opens; removing too', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openAdminPage(page, 'Outbound hosts');
  await page.getByLabel('Allow a host').fill('alerts.internal:8443');
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Allow outbound calls to alerts.internal:8443?' });
  await dlg.getByText('even on your internal network').waitFor();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual((await org()).outboundAllowedHosts, [], 'cancel saved nothing');
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await dlg.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('button', { name: 'Remove alerts.internal:8443' }).waitFor();
  assert.deepEqual((await org()).outboundAllowedHosts, ['alerts.internal:8443']);
  // A bad entry: the server's message, nothing saved.
  await page.getByLabel('Allow a host').fill('http://not a host/');
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Allow' }).click();
  await page.locator('.admin-section .error:not([hidden])').waitFor();
  assert.deepEqual((await org()).outboundAllowedHosts, ['alerts.internal:8443']);
  await page.getByRole('button', { name: 'Remove alerts.internal:8443' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await page.getByText('No host is allowed').waitFor();
  assert.deepEqual((await org()).outboundAllowedHosts, []);
  await page.context().close();
});

test('webhook URLs: refusing unsigned URLs names the webhooks that have only unsigned ones', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openAdminPage(page, 'Webhook URLs');
  await page.getByRole('checkbox', { name: 'Accept unsigned webhook URLs', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Refuse unsigned webhook URLs?' });
  await dlg.getByText('Every webhook has a signed URL: none stops entirely.').waitFor();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await org()).unsignedWebhookUrlsAccepted, true);
  await page.context().close();
});

test('teams: every team with counts; switching a team off states its webhooks and applies', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openAdminPage(page, 'Teams');
  const row = page.getByRole('row').filter({ hasText: 'Operations' });
  await row.waitFor();
  assert.match(await row.textContent(), /2 \(2 webhooks\)/);
  assert.match(await row.textContent(), /Olive Owner/, 'owners by name');
  await row.getByRole('combobox', { name: 'Connectors for Operations' }).selectOption('false');
  const dlg = page.getByRole('dialog', { name: 'Turn off connectors for Operations?' });
  await dlg.getByText('2 webhooks and connectors in Operations will stop accepting posts.').waitFor();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  let teams = (await server.api('GET', '/api/v1/admin/teams')).value;
  assert.equal(teams.find((t) => t.id === ops.id).connectorsEnabled, null, 'cancel changed nothing');
  // The select goes back once the dialog's close event has run (a task after the click).
  await page.waitForFunction(() => document.querySelector('select[aria-label="Connectors for Operations"]').value === 'null');
  await row.getByRole('combobox').selectOption('false');
  await dlg.getByRole('button', { name: 'Turn off' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor();
  teams = (await server.api('GET', '/api/v1/admin/teams')).value;
  assert.equal(teams.find((t) => t.id === ops.id).connectorsEnabled, false);
  assert.notEqual((await postWebhook(hooks[1].url, { text: 'team off' })).status, 200);
  assert.equal((await postWebhook(hooks[2].url, { text: 'other team on' })).status, 200);
  await page.getByRole('row').filter({ hasText: 'Operations' }).getByRole('combobox').selectOption('null');
  await page.waitForFunction(async () => true);
  await page.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor();
  await page.context().close();
});

test('audit log: names, not ids; filters; CSV export of what the filters select', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openAdminPage(page, 'Audit log');
  const table = page.locator('table.admin-audit');
  await table.getByRole('cell', { name: 'Operations', exact: true }).first().waitFor();
  const text = await table.textContent();
  assert.ok(!text.includes(ops.id), 'no team id in the table');
  assert.ok(!text.includes(hooks[0].id), 'no configuration id in the table');
  assert.ok(text.includes('Team connectors switched'));
  assert.ok(text.includes('Pager'), 'webhooks by name');
  await page.getByLabel('Kind of change').selectOption('webhook.');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('table.admin-audit tbody tr td:nth-child(3)')].every((td) => td.textContent === 'Webhook created'));
  assert.equal(await table.locator('tbody tr').count(), 3);
  await page.getByLabel('Made by').fill('Olive');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.admin-audit tbody tr').length === 3);
  await page.getByLabel('Made by').fill('Nobody at all');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText('No entry matches.').waitFor();
  await page.getByLabel('Made by').fill('');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.admin-audit tbody tr').length === 3);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0], 'When,Who,What,Applies to,Change,Action,Target id');
  assert.equal(lines.length, 4, csv);
  assert.ok(lines.slice(1).every((l) => l.includes(',Olive Owner,Webhook created,') && l.includes('webhook.create')), csv);
  assert.ok(['Pager', 'Builds', 'Leads'].every((n) => csv.includes(`,${n},`)), csv);
  await page.context().close();
});

test('users: adding a person shows a one-time password once, which signs them in', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openAdminPage(page, 'Users');
  await page.getByRole('row').filter({ hasText: 'Olive Owner' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Nina New');
  await page.getByLabel('Sign-in name (email)').fill('nina.new@switchboard.test');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const secret = page.getByRole('region', { name: 'One-time password' });
  await secret.getByText('One-time password for Nina New:').waitFor();
  const password = await secret.locator('code').textContent();
  assert.match(password, /^[A-Za-z0-9]{16}$/);
  await page.getByRole('row').filter({ hasText: 'nina.new@switchboard.test' }).waitFor();
  await shot(page, 'admin-user-added-en-1280');
  // The password shown is the account's: it gets a token.
  assert.ok(await getToken(server.url, 'nina.new@switchboard.test', password));
  // Shown once: reloading the section does not show it again.
  await page.reload();
  await page.getByRole('row').filter({ hasText: 'nina.new@switchboard.test' }).waitFor();
  assert.equal(await page.getByText(password).count(), 0);
  await page.context().close();
});

// Disabling, resetting and deleting use PATCH/DELETE /v1.0/users/{id} (contract §6).
test('users: disable (cancel changes nothing), reset a password, delete; each states its consequences', T, async () => {
  const upn = 'dana.disable@switchboard.test';
  await server.api('POST', '/v1.0/users', { displayName: 'Dana Disable', userPrincipalName: upn, passwordProfile: { password: PASSWORD } });
  const token = await getToken(server.url, upn, PASSWORD);
  const dana = api(server.url, token);
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openAdminPage(page, 'Users');
  const row = page.getByRole('row').filter({ hasText: upn });
  await row.getByRole('button', { name: 'Disable Dana Disable' }).click();
  const dlg = page.getByRole('dialog', { name: 'Disable Dana Disable?' });
  await dlg.getByText('Dana Disable is signed out everywhere at once and their API tokens stop working.').waitFor();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.ok(await dana('GET', '/v1.0/me'), 'cancel: the token still works');
  await row.getByRole('button', { name: 'Disable Dana Disable' }).click();
  await dlg.getByRole('button', { name: 'Disable' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor();
  await assert.rejects(dana('GET', '/v1.0/me'), /401/);
  await row.getByRole('button', { name: 'Enable Dana Disable' }).click();
  await row.getByText('Active', { exact: true }).waitFor();
  // Reset: a one-time password shown once; the old one no longer works.
  await row.getByRole('button', { name: 'Reset password for Dana Disable' }).click();
  await page.getByRole('dialog', { name: 'Reset the password of Dana Disable?' }).getByRole('button', { name: 'Reset password' }).click();
  const secret = page.getByRole('region', { name: 'One-time password' });
  await secret.getByText('One-time password for Dana Disable:').waitFor();
  await assert.rejects(getToken(server.url, upn, PASSWORD));
  // Delete: messages stay, connectors keep working; the person is gone from the list.
  await row.getByRole('button', { name: 'Delete Dana Disable' }).click();
  const del = page.getByRole('dialog', { name: 'Delete Dana Disable?' });
  await del.getByText('Their messages stay, shown as from a former member.').waitFor();
  await del.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  await page.context().close();
});

test('members who open /admin are told it is not for them, and see no Admin button', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server, member.upn, PASSWORD);
  await page.goto('/admin/organisation');
  await page.getByRole('alert').filter({ hasText: 'Only global administrators can use this page.' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Admin' }).isVisible(), false);
  assert.equal(await page.getByRole('checkbox', { name: 'Connectors and incoming webhooks', exact: true }).count(), 0);
  await page.context().close();
});

test('in French through the language menu; screenshots of every section in both languages at 1280 and 375 px', { timeout: 120000 }, async () => {
  for (const width of [1280, 375]) {
    const page = await newPage(browser, server, { viewport: { width, height: width > 600 ? 800 : 740 } });
    await signIn(page, server);
    await page.goto('/admin/organisation');
    await page.getByRole('heading', { level: 2, name: 'Organisation' }).waitFor();
    const sections = await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const lang of ['en', 'fr']) {
      if (lang === 'fr') {
        if (width > 480) {
          await page.getByRole('button', { name: 'Language EN' }).click();
          await Promise.all([page.waitForEvent('load'), page.getByRole('menuitemradio', { name: 'Fran\u00e7ais' }).click()]);
        } else {
          // Below 480 px the language choice is in the user menu (usermenu.js).
          await page.getByRole('button', { name: 'Profile menu' }).click();
          await Promise.all([page.waitForEvent('load'), page.getByRole('menuitem', { name: 'Fran\u00e7ais' }).click()]);
        }
        await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
      }
      for (const href of sections) {
        await page.goto(href);
        await page.locator('.admin-content h2').waitFor();
        await page.waitForLoadState('networkidle');
        await shot(page, `admin-${href.split('/').pop()}-${lang}-${width}`);
      }
    }
    // French texts, counts included.
    await page.goto('/admin/organisation');
    await page.getByRole('heading', { level: 2, name: 'Organisation' }).waitFor();
    await page.getByRole('checkbox', { name: 'Connecteurs et webhooks entrants', exact: true }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByText('3\u00a0webhooks et connecteurs dans 2\u00a0\u00e9quipes cesseront d\u2019accepter les publications.').waitFor();
    await shot(page, `admin-confirm-fr-${width}`);
    await dlg.getByRole('button', { name: 'Annuler' }).click();
    assert.equal((await org()).connectorsEnabled, true);
    await page.goto('/admin/audit');
    await page.getByRole('heading', { level: 2, name: 'Journal d\u2019audit' }).waitFor();
    await page.getByRole('cell', { name: 'Webhook cr\u00e9\u00e9' }).first().waitFor();
    // Back to English for the next width (the setting is this browser's).
    if (width > 480) {
      await page.getByRole('button', { name: 'Langue FR' }).click();
      await Promise.all([page.waitForEvent('load'), page.getByRole('menuitemradio', { name: 'English' }).click()]);
    } else {
      await page.getByRole('button', { name: 'Menu du profil' }).click();
      await Promise.all([page.waitForEvent('load'), page.getByRole('menuitem', { name: 'English' }).click()]);
    }
    await page.getByRole('heading', { level: 2, name: 'Audit log' }).waitFor();
    assert.deepEqual(jsErrors(page), []);
    await page.context().close();
  }
});
