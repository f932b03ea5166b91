// "Your account" in a real browser (issue 21 items 2 and 3): change the password (a wrong
// current one refused), see and end your sessions (another browser is signed out), create an API
// token that is shown once and works, revoke it, sign out everywhere; and the forced password
// change after an administrator's reset, at 1280 and 375 px, in English and French.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, REPO_ROOT } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

// axe-core on what is on screen: the serious and critical violations (issue 21 item 8). Run
// through evaluate: the page's Content-Security-Policy refuses injected script tags.
const AXE = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
async function axeSerious(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const T = { timeout: 60000 };
let server;
let browser;
let admin;

async function newPerson(label, password = `Passw0rd-${label}-${Date.now().toString(36)}`) {
  const upn = `${label}.${Date.now().toString(36)}@switchboard.test`;
  const u = await admin('POST', '/v1.0/users', { displayName: `${label[0].toUpperCase()}${label.slice(1)} Example`, userPrincipalName: upn, passwordProfile: { password } });
  return { ...u, password };
}

// A fetch from the page with its cookie: the status of GET /v1.0/me.
const meStatus = (page) => page.evaluate(async () => (await fetch('/v1.0/me', { credentials: 'same-origin' })).status);
const bearerStatus = async (token) => (await fetch(server.url + '/v1.0/me', { headers: { Authorization: `Bearer ${token}` } })).status;

before(async () => {
  server = await startServer();
  admin = api(server.url, server.adminToken);
  browser = await launch();
}, { timeout: 30000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

// "Your account" is an item of the user menu (the avatar button in the top bar).
async function openAccount(page, name = 'Your account') {
  await page.locator('.me-button').click();
  await page.getByRole('menuitem', { name }).click();
}

test('change your password: a wrong current one is refused, the right one changes it and signs out the other browser', T, async () => {
  const alice = await newPerson('alice');
  const page = await newPage(browser, server);
  const other = await newPage(browser, server);
  await signIn(page, server, alice.userPrincipalName, alice.password);
  await signIn(other, server, alice.userPrincipalName, alice.password);
  await openAccount(page);
  const dlg = page.getByRole('dialog', { name: 'Your account' });
  await dlg.getByLabel('Current password', { exact: true }).fill('not-my-password');
  await dlg.getByLabel('New password', { exact: true }).fill('A-brand-new-passphrase');
  await dlg.getByLabel('Confirm the new password').fill('A-brand-new-passphrase');
  await dlg.getByRole('button', { name: 'Change password' }).click();
  await dlg.getByText('The current password is not correct.').waitFor();
  assert.equal(await meStatus(other), 200, 'nothing changed: the other browser is still signed in');
  await dlg.getByLabel('Current password', { exact: true }).fill(alice.password);
  await dlg.getByRole('button', { name: 'Change password' }).click();
  await dlg.getByText('Your password has been changed.', { exact: false }).waitFor();
  assert.equal(await meStatus(page), 200);
  assert.equal(await meStatus(other), 401);
  await shot(page, '60-account-1280');
  await page.context().close();
  await other.context().close();
});

test('sessions: this browser is marked, another one is signed out from here; sign out everywhere returns to sign-in', T, async () => {
  const bob = await newPerson('bob');
  const page = await newPage(browser, server);
  const other = await newPage(browser, server);
  await signIn(other, server, bob.userPrincipalName, bob.password);
  await signIn(page, server, bob.userPrincipalName, bob.password);
  await openAccount(page);
  const dlg = page.getByRole('dialog', { name: 'Your account' });
  const sessions = dlg.getByRole('list', { name: 'Where you are signed in' });
  await sessions.getByRole('listitem').nth(1).waitFor();
  assert.equal(await sessions.getByRole('listitem').count(), 2);
  assert.equal(await sessions.getByText('This browser').count(), 1);
  await sessions.getByRole('button', { name: /^Sign out the session started/ }).click();
  await dlg.getByText('That session has been signed out.').waitFor({ state: 'attached' }).catch(() => {});
  await page.waitForFunction(() => document.querySelectorAll('.credential-list li').length >= 1);
  await sessions.getByRole('listitem').nth(1).waitFor({ state: 'detached' });
  assert.equal(await meStatus(other), 401);
  assert.equal(await meStatus(page), 200);
  // Cancelling changes nothing; confirming ends this session too.
  await dlg.getByRole('button', { name: 'Sign out everywhere' }).click();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await meStatus(page), 200);
  await dlg.getByRole('button', { name: 'Sign out everywhere' }).first().click();
  await dlg.getByRole('group').getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await meStatus(page), 401);
  await page.context().close();
  await other.context().close();
});

test('API tokens: a wrong password is refused without signing out; a new token is shown once, works, and is revoked', T, async () => {
  const carol = await newPerson('carol');
  const page = await newPage(browser, server);
  await signIn(page, server, carol.userPrincipalName, carol.password);
  await openAccount(page);
  const dlg = page.getByRole('dialog', { name: 'Your account' });
  const tokens = dlg.getByRole('list', { name: 'API tokens' });
  await dlg.getByText('You have no API tokens.').waitFor();
  await dlg.getByLabel('Your password', { exact: true }).fill('wrong-password-here');
  await dlg.getByRole('button', { name: 'Create token' }).click();
  await dlg.getByText('That password is not correct.').waitFor();
  assert.equal(await meStatus(page), 200, 'still signed in');
  assert.equal(await tokens.getByRole('listitem').count(), 0, 'no token created');
  await dlg.getByLabel('Expires after').selectOption({ label: '30 days' });
  await dlg.getByLabel('Your password', { exact: true }).fill(carol.password);
  await dlg.getByRole('button', { name: 'Create token' }).click();
  const value = dlg.getByLabel('Your new token');
  await value.waitFor();
  const token = await value.inputValue();
  assert.match(token, /^sb_/);
  assert.equal(await bearerStatus(token), 200);
  await tokens.getByRole('listitem').first().waitFor();
  assert.match(await tokens.textContent(), /expires/);
  await shot(page, '61-account-token-1280');
  assert.deepEqual(await axeSerious(page), []);
  await tokens.getByRole('button', { name: /^Revoke the token/ }).click();
  await dlg.getByRole('group').getByRole('button', { name: 'Revoke' }).click();
  await dlg.getByText('You have no API tokens.').waitFor();
  assert.equal(await bearerStatus(token), 401);
  await page.context().close();
});

test('at 375 px the account view fits the screen', T, async () => {
  const dan = await newPerson('dan');
  const page = await newPage(browser, server, { viewport: { width: 375, height: 800 } });
  await signIn(page, server, dan.userPrincipalName, dan.password);
  await openAccount(page);
  const dlg = page.getByRole('dialog', { name: 'Your account' });
  await dlg.getByRole('list', { name: 'Where you are signed in' }).getByRole('listitem').first().waitFor();
  const overflow = await page.evaluate(() => {
    const d = document.querySelector('dialog.account-dialog');
    return d.scrollWidth - d.clientWidth;
  });
  assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
  await shot(page, '62-account-375');
  assert.deepEqual(await axeSerious(page), []);
  await page.context().close();
});

test('forced change after an administrator\'s reset: the app waits for a new password (weak one refused), then opens', T, async () => {
  const erin = await newPerson('erin');
  await admin('PATCH', `/v1.0/users/${erin.id}`, { passwordProfile: { password: 'Temporary-Passw0rd-1', forceChangePasswordNextSignIn: true } });
  for (const [width, suffix] of [[375, '375'], [1280, '1280']]) {
    const page = await newPage(browser, server, { viewport: { width, height: 800 } });
    page.bad = [];
    page.on('response', (r) => { if (r.status() >= 400) page.bad.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
    await page.goto('/');
    await page.getByLabel('User name').fill(erin.userPrincipalName);
    await page.getByLabel('Password').fill('Temporary-Passw0rd-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    assert.equal(await page.locator('.app .topbar').count(), 0, 'no app before the change');
    await shot(page, `63-password-change-${suffix}`);
    assert.deepEqual(await axeSerious(page), []);
    if (width === 375) {
      await page.context().close();
      continue;
    }
    await page.getByLabel('Password you signed in with').fill('Temporary-Passw0rd-1');
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('Confirm the new password').fill('password1234');
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    await page.getByText('This password is too easy to guess.', { exact: false }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('Erin-own-long-passphrase');
    await page.getByLabel('Confirm the new password').fill('Erin-own-long-passphrase');
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    await page.locator('.app .topbar').waitFor();
    // A reload keeps the app: the change is done.
    await page.reload();
    await page.locator('.app .topbar').waitFor();
    // Script errors only: refused requests (the 400 above, admin.js's probe) are expected.
    assert.deepEqual(page.errors.filter((e) => !e.startsWith('console: Failed to load resource')), []);
    assert.ok(!page.bad.some((b) => b.startsWith('403') && !b.includes('/api/v1/admin/')), page.bad.join('\n'));
    await page.context().close();
  }
});

test('in French: « Votre compte » and the forced change screen', T, async () => {
  const fanny = await newPerson('fanny');
  const page = await newPage(browser, server);
  await page.addInitScript(() => localStorage.setItem('sb.lang', 'fr'));
  await page.goto('/');
  await page.locator('#signin-upn').fill(fanny.userPrincipalName);
  await page.locator('#signin-password').fill(fanny.password);
  await page.locator('#signin-password').press('Enter');
  await page.locator('.app .topbar').waitFor();
  await openAccount(page, 'Votre compte');
  const dlg = page.getByRole('dialog', { name: 'Votre compte' });
  await dlg.getByRole('button', { name: 'Se déconnecter partout' }).waitFor();
  await dlg.getByText('Ce navigateur').waitFor();
  await shot(page, '64-account-fr-1280');
  assert.deepEqual(await axeSerious(page), []);
  await page.context().close();
  await admin('PATCH', `/v1.0/users/${fanny.id}`, { passwordProfile: { password: 'Temporary-Passw0rd-2' } });
  const forced = await newPage(browser, server, { viewport: { width: 375, height: 800 } });
  await forced.addInitScript(() => localStorage.setItem('sb.lang', 'fr'));
  await forced.goto('/');
  // The sign-in form by its ids: its own language is signin.js's business.
  await forced.locator('#signin-upn').fill(fanny.userPrincipalName);
  await forced.locator('#signin-password').fill('Temporary-Passw0rd-2');
  await forced.locator('#signin-password').press('Enter');
  await forced.getByRole('heading', { name: 'Choisissez un nouveau mot de passe' }).waitFor();
  assert.equal(await forced.title(), 'Choisissez un nouveau mot de passe | Switchboard');
  await shot(forced, '65-password-change-fr-375');
  assert.deepEqual(await axeSerious(forced), []);
  await forced.context().close();
});
