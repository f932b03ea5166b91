// History paging, unread counts, the phone-width drawer and team settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postWebhook, api, getToken } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

const T = { timeout: 40000 };
let server;
let browser;
let team;
let general;
let second;
let webhook;

before(async () => {
  server = await startServer();
  browser = await launch();
  team = await server.api('POST', '/v1.0/teams', { displayName: 'History team' });
  const chans = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value;
  general = chans[0];
  second = await server.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: 'Alerts' });
  webhook = await server.api('POST', `/api/v1/channels/${general.id}/webhooks`, { name: 'Pager' });
  // 70 messages, oldest first: "History 1" .. "History 70".
  for (let i = 1; i <= 70; i++) {
    await server.api('POST', `/v1.0/teams/${team.id}/channels/${general.id}/messages`, { body: { contentType: 'text', content: `History ${i}` } });
  }
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

test('the newest message is at the bottom; scrolling up loads older pages via nextLink', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.message .text', { hasText: /^History 70$/ }).waitFor();
  const texts = await page.locator('.message .text').allTextContents();
  assert.equal(texts[texts.length - 1], 'History 70', 'newest last');
  assert.ok(!texts.includes('History 1'), 'the first page is not everything');
  // Scroll to the top repeatedly until the very first message is there.
  for (let i = 0; i < 10 && (await page.locator('.message .text', { hasText: /^History 1$/ }).count()) === 0; i++) {
    await page.locator('.stream').evaluate((el) => { el.scrollTop = 0; });
    await page.waitForFunction((n) => document.querySelectorAll('.message').length > n || document.querySelector('.history-status').textContent.includes('beginning'),
      await page.locator('.message').count(), { timeout: 5000 }).catch(() => {});
  }
  await page.locator('.message .text', { hasText: /^History 1$/ }).waitFor();
  const all = await page.locator('.message .text').allTextContents();
  assert.deepEqual(all, Array.from({ length: 70 }, (_, i) => `History ${i + 1}`), 'every message once, in order');
  await page.context().close();
});

test('a message in another channel shows an unread count, cleared when opened', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.live-state[data-state="live"]').waitFor();
  const hook = await server.api('POST', `/api/v1/channels/${second.id}/webhooks`, { name: 'Alerter' });
  for (let i = 0; i < 2; i++) assert.equal((await postWebhook(hook.url, { text: `alert ${i}` })).status, 200);
  const link = page.locator(`.channel-link[data-channel-id="${second.id}"]`);
  await link.locator('.unread', { hasText: '2' }).waitFor();
  await link.click();
  await page.locator('.message .md', { hasText: 'alert 1' }).waitFor();
  assert.equal(await link.locator('.unread').count(), 0);
  await page.context().close();
});

// Replies belong under their message (threads come with the conversation work): they never show
// up in the channel's list, live or after a reload; a soft-deleted message says so, live.
test('a reply made through the API stays out of the channel list; a deleted message says so live', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.live-state[data-state="live"]').waitFor();
  const base = `/v1.0/teams/${team.id}/channels/${general.id}/messages`;
  const root = await server.api('POST', base, { body: { contentType: 'text', content: 'Root of a thread' } });
  await page.locator('.message .text', { hasText: 'Root of a thread' }).waitFor();
  await server.api('POST', `${base}/${root.id}/replies`, { body: { contentType: 'text', content: 'A reply, not a root' } });
  const after = await server.api('POST', base, { body: { contentType: 'text', content: 'Posted after the reply' } });
  await page.locator('.message .text', { hasText: 'Posted after the reply' }).waitFor();
  assert.equal(await page.locator('.message', { hasText: 'A reply, not a root' }).count(), 0);
  await server.api('POST', `${base}/${after.id}/softDelete`);
  const gone = page.locator(`.message[data-id="${after.id}"]`);
  await gone.locator('.deleted', { hasText: 'This message has been deleted.' }).waitFor();
  assert.equal(await gone.locator('.text', { hasText: 'Posted after the reply' }).count(), 0);
  await page.reload();
  await page.locator('.message .text', { hasText: 'Root of a thread' }).waitFor();
  assert.equal(await page.locator('.message', { hasText: 'A reply, not a root' }).count(), 0);
  await page.context().close();
});

test('phone width 375x740: the channel list is a drawer; a live message is readable', T, async () => {
  const page = await newPage(browser, server, { viewport: { width: 375, height: 740 } });
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.message').first().waitFor();
  const toggle = page.locator('.channel-header .drawer-toggle');
  await toggle.waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#sidebar').isVisible(), false, 'drawer closed at first');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.locator('#sidebar').waitFor({ state: 'visible' });
  await page.locator('.channel-link', { hasText: 'Alerts' }).waitFor({ state: 'visible' });
  await shot(page, '10-phone-drawer');
  // Escape closes the drawer and gives focus back to the toggle.
  await page.keyboard.press('Escape');
  await page.locator('#sidebar').waitFor({ state: 'hidden' });
  // Pick General from the drawer.
  await toggle.click();
  await page.locator('.channel-link', { hasText: 'General' }).click();
  await page.locator('#sidebar').waitFor({ state: 'hidden' });
  const card = { summary: 'phone', title: 'Disk almost full', themeColor: 'E81123', sections: [{ activityTitle: 'db-01', facts: [{ name: 'Usage', value: '97 %' }] }], potentialAction: [{ '@type': 'OpenUri', name: 'Open dashboard', targets: [{ os: 'default', uri: 'https://example.com/d' }] }] };
  assert.equal((await postWebhook(webhook.url, card)).status, 200);
  const mc = page.locator('.messagecard', { hasText: 'Disk almost full' });
  await mc.waitFor();
  const box = await mc.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `card fits the screen (${box.x}+${box.width})`);
  assert.ok(await mc.isVisible());
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 375, `no horizontal scroll (${overflow})`);
  // The composer is usable.
  await page.locator('#composer').fill('from the phone');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('.message .text', { hasText: 'from the phone' }).waitFor();
  await shot(page, '11-phone-channel');
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
});

test('team settings: an owner adds and removes a member and toggles the connector permission', T, async () => {
  const pw = 'Passw0rd-' + Math.random().toString(36).slice(2);
  const upn = `member.${Date.now()}@switchboard.test`;
  const member = await server.api('POST', '/v1.0/users', { displayName: 'Mia Member', userPrincipalName: upn, passwordProfile: { password: pw } });
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Manage team' }).click();
  const dlg = page.getByRole('dialog', { name: /Manage team/ });
  await dlg.getByLabel('Search people by name').fill('Mia Mem');
  await dlg.getByRole('button', { name: 'Add Mia Member' }).click();
  await dlg.locator('table.members td', { hasText: 'Mia Member' }).waitFor();
  const perm = dlg.getByLabel('Allow members to create, update and remove connectors');
  assert.equal(await perm.isChecked(), true);
  await perm.uncheck();
  await dlg.getByText('Saved').waitFor();
  const t = await server.api('GET', `/v1.0/teams/${team.id}`);
  assert.equal(t.memberSettings.allowCreateUpdateRemoveConnectors, false);
  await shot(page, '12-team-settings');

  // The member now cannot create a webhook: the catalog is empty and the dialog says why.
  const mpage = await newPage(browser, server);
  await signIn(mpage, server, upn, pw);
  await mpage.goto(`/t/${team.id}/c/${general.id}`);
  await mpage.getByRole('button', { name: /More options for General/ }).click();
  await mpage.getByRole('menuitem', { name: 'Connectors' }).click();
  const cd = mpage.getByRole('dialog', { name: /Connectors for/ });
  await cd.locator('.conn-name', { hasText: 'Pager' }).waitFor();
  assert.equal(await cd.getByRole('button', { name: 'Manage Pager' }).count(), 0, 'no Manage without permission');
  await cd.locator('.disabled-reason').waitFor();
  assert.match(await cd.locator('.disabled-reason').textContent(), /does not allow members/);
  assert.equal(await cd.getByRole('button', { name: 'Add Incoming Webhook' }).count(), 0, 'no Add without permission');
  await mpage.context().close();

  await perm.check();
  await dlg.getByRole('button', { name: 'Remove Mia Member' }).click();
  await dlg.locator('table.members td', { hasText: 'Mia Member' }).waitFor({ state: 'detached' });
  const members = (await server.api('GET', `/v1.0/teams/${team.id}/members`)).value;
  assert.ok(!members.some((m) => m.userId === member.id));
  await page.context().close();
});

test('a legacy webhook shows "Attention required"; Update URL gives a new URL and clears it', T, async () => {
  await server.api('PATCH', '/api/v1/admin/organization', { webhookUrlFormat: 'legacy' });
  const legacy = await server.api('POST', `/api/v1/channels/${second.id}/webhooks`, { name: 'Old hook' });
  await server.api('PATCH', '/api/v1/admin/organization', { webhookUrlFormat: 'v2' });
  assert.match(legacy.url, /\/webhook\//);
  const page = await newPage(browser, server);
  await signIn(page, server);
  // A reload keeps the session (the CSRF token is in sessionStorage).
  await page.goto(`/t/${team.id}/c/${second.id}`);
  await page.reload();
  await page.locator('.channel-header h1', { hasText: 'Alerts' }).waitFor();
  await page.getByRole('button', { name: /More options for Alerts/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for/ });
  const item = dlg.locator('.conn-item', { has: page.locator('.conn-name', { hasText: 'Old hook' }) });
  await item.locator('.badge.attention', { hasText: 'Attention required' }).waitFor();
  await shot(page, '13-attention');
  await item.getByRole('button', { name: 'Update URL of Old hook' }).click();
  const urlField = dlg.getByLabel('Webhook URL');
  await urlField.waitFor();
  const fresh = await urlField.inputValue();
  assert.match(fresh, /\/webhookb2\//);
  assert.equal((await postWebhook(fresh, { text: 'new url works' })).status, 200);
  assert.notEqual((await postWebhook(legacy.url, { text: 'old url' })).status, 200);
  await dlg.getByRole('button', { name: 'Done' }).click();
  await dlg.locator('.conn-name', { hasText: 'Old hook' }).waitFor();
  assert.equal(await item.locator('.badge.attention').count(), 0);
  await page.context().close();
});

test('the admin page: organisation switches apply, and the audit log shows who changed what', T, async () => {
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  const adminBtn = page.getByRole('button', { name: 'Admin', exact: true });
  await adminBtn.click();
  // A full page at /admin (issue 21): the switches in plain words, the cmdlet beside them.
  await page.waitForURL('**/admin/organisation');
  const adm = page.locator('.admin-content');
  const sw = adm.getByRole('checkbox', { name: 'Connectors and incoming webhooks', exact: true });
  assert.equal(await sw.isChecked(), true);
  await sw.uncheck();
  await page.getByRole('dialog').getByRole('button', { name: 'Turn off' }).click();
  // The section reloads from the server: the switch is off, explicitly set, and audited.
  await adm.getByRole('button', { name: 'Use the default for Connectors and incoming webhooks' }).waitFor();
  const org = await server.api('GET', '/api/v1/admin/organization');
  assert.equal(org.connectorsEnabled, false);
  await shot(page, '14-admin');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await adm.locator('td', { hasText: 'Organisation settings changed' }).first().waitFor();
  assert.match(await adm.locator('table.admin-audit tbody tr').first().textContent(), /Connectors and incoming webhooks: on → off/);
  await page.getByRole('link', { name: 'Organisation' }).click();
  await adm.getByRole('button', { name: 'Use the default for Connectors and incoming webhooks' }).click();
  await adm.getByRole('button', { name: 'Use the default for Connectors and incoming webhooks' }).waitFor({ state: 'hidden' });
  assert.equal((await server.api('GET', '/api/v1/admin/organization')).connectorsEnabled, true);
  await page.context().close();

  // unsignedWebhookUrlsAccepted: a labelled switch like the others; off refuses the unsigned
  // URL forms (410), "Use the default" turns them back on.
  const unsigned = webhook.url.replace(/\/V2[A-Za-z0-9_-]+$/, '');
  assert.equal((await postWebhook(unsigned, { text: 'unsigned before' })).status, 200);
  const page2 = await newPage(browser, server);
  await signIn(page2, server);
  await page2.goto('/admin/webhook-urls');
  const dlg2 = page2.locator('.admin-content');
  const usw = dlg2.getByRole('checkbox', { name: 'Accept unsigned webhook URLs', exact: true });
  assert.equal(await usw.isChecked(), true);
  await usw.uncheck();
  await page2.getByRole('dialog').getByRole('button', { name: 'Turn off' }).click();
  await dlg2.getByRole('button', { name: /Use the default for Accept unsigned webhook URLs/ }).waitFor();
  assert.equal((await server.api('GET', '/api/v1/admin/organization')).unsignedWebhookUrlsAccepted, false);
  assert.equal(await dlg2.getByRole('checkbox', { name: 'Accept unsigned webhook URLs', exact: true }).isChecked(), false);
  assert.equal((await postWebhook(unsigned, { text: 'unsigned while off' })).status, 410);
  assert.equal((await postWebhook(webhook.url, { text: 'signed while unsigned off' })).status, 200);
  await dlg2.getByRole('button', { name: /Use the default for Accept unsigned webhook URLs/ }).click();
  await dlg2.getByRole('button', { name: /Use the default for Accept unsigned webhook URLs/ }).waitFor({ state: 'hidden' });
  assert.equal((await server.api('GET', '/api/v1/admin/organization')).unsignedWebhookUrlsAccepted, true);
  assert.equal((await postWebhook(unsigned, { text: 'unsigned again' })).status, 200);
  await page2.context().close();

  // A person who is not an administrator has no Admin button.
  const upn = `plain${Date.now()}@switchboard.test`;
  await server.api('POST', '/v1.0/users', { displayName: 'Plain Person', userPrincipalName: upn, passwordProfile: { password: 'plain-password-1' } });
  const ppage = await newPage(browser, server);
  const asked = ppage.waitForResponse((r) => r.url().endsWith('/api/v1/admin/organization'));
  await signIn(ppage, server, upn, 'plain-password-1');
  assert.equal((await asked).status(), 403);
  await ppage.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.equal(await ppage.getByRole('button', { name: 'Admin', exact: true }).isVisible(), false);
  await ppage.context().close();
});

test('an app uploaded to the team appears under "Uploaded" in the connectors dialog', T, async () => {
  const { appPackage } = await import('../e2e/lib/package.mjs');
  const conn = '7d1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
  const res = await fetch(`${server.url}/v1.0/teams/${team.id}/installedApps`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/zip' },
    body: appPackage({ id: '8d1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', name: { short: 'Ticket Bot' }, connectors: [{ connectorId: conn, configurationUrl: 'https://example.org/c', scopes: ['team'] }] }),
  });
  assert.equal(res.status, 201, await res.text());
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for/ });
  const uploaded = dlg.getByRole('region', { name: 'Uploaded' });
  await uploaded.locator('.conn-item', { hasText: 'Ticket Bot' }).waitFor();
  assert.equal(await dlg.locator('#conn-all + ul .conn-item', { hasText: 'Ticket Bot' }).count(), 0, 'not under All');
  await shot(page, '15-uploaded');
  await page.context().close();
});
