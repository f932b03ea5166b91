// The teams directory in a real browser: "Browse teams" lists public teams (not others' private
// ones), Join puts the team in the sidebar; an owner makes a team public, finds a person by
// searching, adds them, changes their role and removes them. Screenshots at 1280 and 375 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

const T = { timeout: 60000 };
let server;
let browser;
let bob;
const bobPw = 'Bob-password-' + Math.random().toString(36).slice(2);
const stamp = Date.now().toString(36);

before(async () => {
  server = await startServer();
  browser = await launch();
  bob = await server.api('POST', '/v1.0/users', { displayName: 'Bob Browser', userPrincipalName: `bob.${stamp}@switchboard.test`, passwordProfile: { password: bobPw } });
}, { timeout: 30000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

test('Browse teams: public teams are listed, a private one is not; Join puts the team in the sidebar', T, async () => {
  const pub = await server.api('POST', '/v1.0/teams', { displayName: `Public Ops ${stamp}`, description: 'Everyone welcome', visibility: 'public' });
  await server.api('POST', '/v1.0/teams', { displayName: `Secret ${stamp}`, visibility: 'private' });
  for (const [viewport, name] of [[{ width: 1280, height: 800 }, 'directory-01-browse-1280'], [{ width: 375, height: 740 }, 'directory-02-browse-375']]) {
    const page = await newPage(browser, server, { viewport });
    await signIn(page, server, bob.userPrincipalName, bobPw);
    if (viewport.width < 600) await page.getByRole('button', { name: /teams and channels/i }).click().catch(() => {});
    await page.getByRole('button', { name: 'Browse teams' }).click();
    const dlg = page.getByRole('dialog', { name: 'Browse teams' });
    await dlg.locator('.directory-team h3', { hasText: `Public Ops ${stamp}` }).waitFor();
    assert.equal(await dlg.locator('.directory-team h3', { hasText: `Secret ${stamp}` }).count(), 0);
    await shot(page, name);
    await page.context().close();
  }
  const page = await newPage(browser, server);
  await signIn(page, server, bob.userPrincipalName, bobPw);
  await page.getByRole('button', { name: 'Browse teams' }).click();
  const dlg = page.getByRole('dialog', { name: 'Browse teams' });
  await dlg.getByRole('button', { name: `Join Public Ops ${stamp}` }).click();
  await dlg.locator('.directory-joined').first().waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.team-label', { hasText: `Public Ops ${stamp}` }).waitFor();
  const members = (await server.api('GET', `/v1.0/teams/${pub.id}/members`)).value;
  assert.ok(members.some((m) => m.userId === bob.id && m.roles.length === 0));
  await page.context().close();
});

test('team settings: the owner makes the team public, adds a person found by searching, makes them owner, removes them', T, async () => {
  const team = await server.api('POST', '/v1.0/teams', { displayName: `Owned ${stamp}` });
  const general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  const page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Manage team' }).click();
  const dlg = page.getByRole('dialog', { name: /Manage team/ });
  await dlg.getByLabel(/^Public/).check();
  await dlg.getByText('Saved').waitFor();
  assert.equal((await server.api('GET', `/v1.0/teams/${team.id}`)).visibility, 'public');
  await dlg.getByLabel('Search people by name').fill('Bob Brow');
  await dlg.getByRole('button', { name: 'Add Bob Browser' }).click();
  await dlg.locator('table.members td', { hasText: 'Bob Browser' }).waitFor();
  await dlg.getByLabel('Role of Bob Browser').selectOption('owner');
  await page.waitForFunction(async ([tid, uid]) => {
    const r = await fetch(`/v1.0/teams/${tid}/members`);
    const v = (await r.json()).value;
    return v.some((m) => m.userId === uid && m.roles.includes('owner'));
  }, [team.id, bob.id]);
  await shot(page, 'directory-03-team-settings-1280');
  await dlg.getByRole('button', { name: 'Remove Bob Browser' }).click();
  await dlg.locator('table.members td', { hasText: 'Bob Browser' }).waitFor({ state: 'detached' });
  const members = (await server.api('GET', `/v1.0/teams/${team.id}/members`)).value;
  assert.ok(!members.some((m) => m.userId === bob.id));
  await page.context().close();
});
