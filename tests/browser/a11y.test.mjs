// Accessibility (issue 21 item 8): axe-core (npm, run inside the page) on every view of the web
// client, in English and in French: no serious or critical violation. Views: sign-in, the
// channel with people's messages, a MessageCard and an Adaptive Card, the channel menu, the
// connectors dialog, the Incoming Webhook form, the webhook's URL page, team settings, search,
// the Developer dashboard, the theme and language menus, each admin section, an admin
// confirmation, and the same at phone width (375 px) for the channel and the admin page.
// Views are opened by structure, not by their English names, so the French run works as the
// other areas' strings are translated.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, postWebhook, REPO_ROOT } from './lib/server.mjs';
import { launch, newPage, signIn } from './lib/browser.mjs';

const AXE = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let server;
let browser;
let team;
let general;
const checked = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Accessible team' });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  const hook = await server.api('POST', `/api/v1/channels/${general.id}/webhooks`, { name: 'Pager' });
  await server.api('POST', `/v1.0/teams/${team.id}/channels/${general.id}/messages`, { body: { contentType: 'text', content: 'Hello, everyone' } });
  await postWebhook(hook.url, { '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: 'Build', themeColor: '0076D7', title: 'Build 42 passed',
    sections: [{ activityTitle: 'CI', facts: [{ name: 'Branch', value: 'main' }, { name: 'Time', value: '3 min' }] }],
    potentialAction: [{ '@type': 'OpenUri', name: 'Open build', targets: [{ os: 'default', uri: 'https://example.com/build/42' }] }] });
  await postWebhook(hook.url, { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: {
    type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Deploy finished', weight: 'Bolder' }, { type: 'FactSet', facts: [{ title: 'Env', value: 'prod' }] }],
    actions: [{ type: 'Action.OpenUrl', title: 'Open', url: 'https://example.com/deploy' }] } }] });
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

// Runs axe on the page (or inside a root selector); returns the serious and critical ones.
async function audit(page, view, lang, width) {
  await page.evaluate(AXE);
  const res = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  }, TAGS);
  const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  checked.push({ view, lang, width, serious: bad.length, minor: res.length - bad.length });
  return bad;
}

async function expectClean(page, view, lang, width) {
  const bad = await audit(page, view, lang, width);
  assert.deepEqual(bad, [], `${view} (${lang}, ${width}px): ${JSON.stringify(bad, null, 1)}`);
}

async function setLanguage(page, lang) {
  await page.evaluate((l) => localStorage.setItem('sb.lang', l), lang);
  await page.reload();
}

for (const lang of ['en', 'fr']) {
  test(`every view has no serious or critical axe violation (${lang})`, { timeout: 120000 }, async () => {
    const page = await newPage(browser, server);
    await page.goto('/');
    await setLanguage(page, lang);
    await page.locator('form').first().waitFor();
    await expectClean(page, 'sign-in', lang, 1280);
    await setLanguage(page, 'en');
    await signIn(page, server);
    await setLanguage(page, lang);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);

    await page.goto(`/t/${team.id}/c/${general.id}`);
    await page.locator('.messagecard').first().waitFor();
    await page.locator('.adaptivecard').first().waitFor();
    await expectClean(page, 'channel with messages and cards', lang, 1280);

    await page.locator('.channel-header .menu-button').click();
    await page.locator('[role=menu]:not([hidden])').waitFor();
    await expectClean(page, 'channel menu', lang, 1280);
    await page.locator('[role=menu]:not([hidden]) [role=menuitem]').nth(0).click();
    const conn = page.locator('dialog.connectors-dialog');
    await conn.locator('.conn-item').first().waitFor();
    await expectClean(page, 'connectors dialog', lang, 1280);
    await conn.locator('.conn-list button.primary').first().click();
    await conn.locator('form.webhook-form').waitFor();
    await expectClean(page, 'incoming webhook form', lang, 1280);
    await conn.locator('#webhook-name').fill('Axe hook');
    await conn.locator('form.webhook-form button[type=submit]').click();
    await conn.locator('.webhook-created').waitFor();
    await expectClean(page, 'webhook URL page', lang, 1280);
    await page.keyboard.press('Escape');
    await conn.waitFor({ state: 'detached' });

    await page.locator('.channel-header .menu-button').click();
    await page.locator('[role=menu]:not([hidden]) [role=menuitem]').nth(1).click();
    await page.locator('dialog').waitFor();
    await page.waitForLoadState('networkidle');
    await expectClean(page, 'team settings', lang, 1280);
    await page.keyboard.press('Escape');

    await page.locator('.topbar button', { hasText: /Search|Recherch/ }).click();
    await page.locator('dialog').waitFor();
    await expectClean(page, 'search', lang, 1280);
    await page.keyboard.press('Escape');

    await page.locator('.topbar button', { hasText: /Developer|D\u00e9veloppeur/ }).click();
    await page.locator('dialog.developer-dialog').waitFor();
    await page.waitForLoadState('networkidle');
    await expectClean(page, 'developer dashboard', lang, 1280);
    await page.keyboard.press('Escape');

    await page.locator('.theme-menu button').click();
    await expectClean(page, 'theme menu', lang, 1280);
    await page.keyboard.press('Escape');
    await page.locator('.language-menu button').click();
    await expectClean(page, 'language menu', lang, 1280);
    await page.keyboard.press('Escape');

    for (const section of ['organisation', 'cloud', 'outbound', 'webhook-urls', 'apps', 'users', 'teams', 'audit']) {
      await page.goto(`/admin/${section}`);
      await page.locator('.admin-content h2').waitFor();
      await page.waitForLoadState('networkidle');
      await expectClean(page, `admin: ${section}`, lang, 1280);
    }
    await page.goto('/admin/organisation');
    await page.locator('#admin-sw-connectorsEnabled').click();
    await page.locator('dialog.admin-confirm li').first().waitFor();
    await expectClean(page, 'admin confirmation', lang, 1280);
    await page.keyboard.press('Escape');
    await page.context().close();

    const phone = await newPage(browser, server, { viewport: { width: 375, height: 740 } });
    await signIn(phone, server);
    await setLanguage(phone, lang);
    await phone.goto(`/t/${team.id}/c/${general.id}`);
    await phone.locator('.messagecard').first().waitFor();
    await expectClean(phone, 'channel', lang, 375);
    await phone.locator('.drawer-toggle').first().click();
    await expectClean(phone, 'channel list drawer', lang, 375);
    for (const section of ['organisation', 'teams', 'audit']) {
      await phone.goto(`/admin/${section}`);
      await phone.locator('.admin-content h2').waitFor();
      await phone.waitForLoadState('networkidle');
      await expectClean(phone, `admin: ${section}`, lang, 375);
    }
    await phone.context().close();
  });
}

test('the views checked', () => {
  assert.ok(checked.length >= 2 * 25, `views checked: ${checked.length}`);
  console.log(`axe: ${checked.length} views checked, ${checked.reduce((n, c) => n + c.serious, 0)} serious or critical, ${checked.reduce((n, c) => n + c.minor, 0)} moderate or minor`);
});
