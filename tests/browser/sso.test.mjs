// Single sign-on in a real browser against a real OpenID provider (`oidc-provider`): the sign-in
// page offers "Sign in with Contoso ID", the click goes to the provider's own sign-in form, and
// the browser comes back signed in. A person without an account comes back to the sign-in page
// with the reason shown. With password sign-in off, the password form hides behind the
// break-glass disclosure. Screenshots at 1280 and 375 px, in English and French.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, shot } from './lib/browser.mjs';
import { startOidcProvider } from '../e2e/lib/oidc.mjs';

const T = { timeout: 60000 };
let idp;
let server;
let browser;

before(async () => {
  idp = await startOidcProvider();
  server = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.clientId, '--oidc-client-secret', idp.clientSecret, '--oidc-name', 'Contoso ID'] });
  idp.configure(`${server.url}/api/v1/auth/oidc/callback`);
  await server.api('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [new URL(idp.issuer).host] });
  browser = await launch();
}, { timeout: 30000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (idp) await idp.close();
}, { timeout: 20000 });

// At the provider's own (development) sign-in form: any login name, any password.
async function providerSignIn(page, login) {
  await page.waitForURL((u) => u.origin === idp.issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

test('"Sign in with Contoso ID": the provider\'s form, then back in Switchboard signed in', T, async () => {
  const upn = `sso.browser.${Date.now().toString(36)}@switchboard.test`;
  const user = await server.api('POST', '/v1.0/users', { displayName: 'Ada Browser', userPrincipalName: upn, passwordProfile: { password: 'Unused-password-1234' } });
  idp.people.set('ada', { preferred_username: upn, email: upn, name: 'Ada Browser' });
  const page = await newPage(browser, server);
  await page.goto('/');
  const sso = page.getByRole('link', { name: 'Sign in with Contoso ID' });
  await sso.waitFor();
  // The password form is offered too (password sign-in is on), after "or".
  await page.getByLabel('User name').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.textContent), 'Sign in with Contoso ID');
  await shot(page, 'sso-01-signin-1280');
  await sso.click();
  await providerSignIn(page, 'ada');
  await page.locator('.app .topbar').waitFor();
  assert.equal(new URL(page.url()).origin, server.url);
  const me = await page.evaluate(async () => (await (await fetch('/v1.0/me')).json()).id);
  assert.equal(me, user.id);
  // No script error on the way (failed loads are the provider page's own: favicon, fonts).
  assert.deepEqual(page.errors.filter((e) => !e.startsWith('console: Failed to load resource')), []);
  await page.context().close();
});

test('a person without an account comes back to the sign-in page with the reason, and the address is clean', T, async () => {
  idp.people.set('stranger', { preferred_username: 'stranger@elsewhere.test', email: 'stranger@elsewhere.test' });
  const page = await newPage(browser, server, { viewport: { width: 375, height: 740 } });
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Contoso ID' }).click();
  await providerSignIn(page, 'stranger');
  const err = page.locator('#signin-error');
  await err.waitFor({ state: 'visible' });
  assert.match(await err.textContent(), /no account here/);
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await page.locator('.app .topbar').count(), 0);
  await shot(page, 'sso-02-refused-375');
  await page.context().close();
});

test('in French: « Se connecter avec Contoso ID » and the refusal in French', T, async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, baseURL: server.url, locale: 'fr-FR', reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto('/?ssoError=userUnknown');
  await page.getByRole('link', { name: 'Se connecter avec Contoso ID' }).waitFor();
  assert.match(await page.locator('#signin-error').textContent(), /pas encore de compte/);
  assert.equal(await page.title(), 'Connexion | Switchboard');
  await shot(page, 'sso-03-signin-fr-375');
  await context.close();
});

test('with --disable-password-sign-in the password form is behind "Administrator sign-in with a password"', T, async () => {
  const s2 = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.clientId, '--oidc-client-secret', idp.clientSecret, '--oidc-name', 'Contoso ID', '--disable-password-sign-in', '--break-glass-admin', 'admin'] });
  try {
    const page = await newPage(browser, s2);
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Contoso ID' }).waitFor();
    assert.equal(await page.getByLabel('User name').isVisible(), false);
    await shot(page, 'sso-04-password-off-1280');
    await page.getByText('Administrator sign-in with a password').click();
    await page.getByLabel('User name').fill(s2.adminName);
    await page.getByLabel('Password').fill(s2.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('.app .topbar').waitFor();
    await page.context().close();
  } finally {
    await s2.stop();
  }
});
