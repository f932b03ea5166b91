// Single sign-on (contract §6, docs/sso.md) against a real OpenID provider (`oidc-provider`,
// started here) and, for the ID tokens a real provider never sends (another issuer or
// audience, expired, another nonce, another key), a provider written with jose. Every refusal
// checks that nobody got a session, no user was created and nothing secret reached the log.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, createUser, uniqueUpn, randomToken } from './lib/server.mjs';
import { expectStatus, expectGraphError } from './lib/graph.mjs';
import { request, metric } from './lib/contract.mjs';
import { startOidcProvider, startForgingIssuer } from './lib/oidc.mjs';

const CALLBACK = '/api/v1/auth/oidc/callback';

const cookiesOf = (r) => r.setCookie.map((c) => c.split(';')[0]).filter((c) => !/=$/.test(c)).join('; ');
const sessionCookie = (r) => r.setCookie.find((c) => /^sb_session=[^;]/.test(c));

async function userUpns(admin) {
  return (await admin('GET', '/v1.0/users')).body.value.map((u) => u.userPrincipalName);
}

// Nothing the provider or the client configuration hold as secrets is in the server's log.
function assertNoSecretLogged(s, secrets) {
  const log = s.stderr.join('\n');
  for (const x of secrets.filter(Boolean)) assert.ok(!log.includes(x), `the log holds a secret: ${x.slice(0, 6)}...`);
}

describe('single sign-on against oidc-provider', () => {
  let idp;
  let s;
  let admin;
  before(async () => {
    idp = await startOidcProvider();
    s = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.clientId, '--oidc-name', 'Contoso ID'], env: { SWITCHBOARD_OIDC_CLIENT_SECRET: idp.clientSecret } });
    idp.configure(`${s.url}${CALLBACK}`);
    admin = api(s, s.adminToken);
    expectStatus(await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [idp.host] }), 200);
  });
  after(async () => {
    await s?.close();
    await idp?.close();
  });

  // start -> the provider's pages -> the callback URL (not yet followed) and the state cookie.
  async function toCallback(login) {
    const start = await request(s, 'GET', '/api/v1/auth/oidc/start');
    assert.equal(start.status, 302, start.text);
    const back = new URL(await idp.signIn(start.headers.location, login));
    assert.equal(`${back.origin}${back.pathname}`, `${s.url}${CALLBACK}`);
    return { back, cookies: cookiesOf(start) };
  }
  const callback = (back, cookies) => request(s, 'GET', back.pathname + back.search, { headers: cookies ? { Cookie: cookies } : {} });

  test('the sign-in page is offered "Contoso ID" and password sign-in', async () => {
    const r = expectStatus(await request(s, 'GET', '/api/v1/auth/providers'), 200);
    assert.deepEqual(r.body, { value: [{ id: 'oidc', label: 'Contoso ID' }], passwordSignIn: true });
  });

  test('a person with an account signs in through the provider: session cookie, 302 to the web client, /v1.0/me is them', async () => {
    const u = await createUser(s, { userPrincipalName: uniqueUpn('idp') });
    idp.people.set('alice', { preferred_username: u.userPrincipalName, email: u.userPrincipalName, name: 'Alice' });
    const { back, cookies } = await toCallback('alice');
    const r = await callback(back, cookies);
    assert.equal(r.status, 302, r.text);
    assert.equal(r.headers.location, `${s.url}/`);
    const cookie = sessionCookie(r);
    assert.ok(cookie, r.setCookie.join(' | '));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const me = expectStatus(await request(s, 'GET', '/v1.0/me', { headers: { Cookie: cookie.split(';')[0] } }), 200);
    assert.equal(me.body.id, u.id);
    // The web client's session call works with it too (and hands out the CSRF token).
    const sess = expectStatus(await request(s, 'GET', '/api/v1/session', { headers: { Cookie: cookie.split(';')[0] } }), 200);
    assert.equal(sess.body.user.id, u.id);
    assert.ok(sess.body.csrfToken);
    assertNoSecretLogged(s, [idp.clientSecret, back.searchParams.get('code'), back.searchParams.get('state')]);
  });

  test('matched by email when preferred_username names nobody', async () => {
    const u = await createUser(s, { userPrincipalName: uniqueUpn('mail') });
    idp.people.set('bob', { preferred_username: 'bob-at-the-provider', email: u.userPrincipalName, email_verified: true, name: 'Bob' });
    const { back, cookies } = await toCallback('bob');
    const r = await callback(back, cookies);
    const me = expectStatus(await request(s, 'GET', '/v1.0/me', { headers: { Cookie: sessionCookie(r).split(';')[0] } }), 200);
    assert.equal(me.body.id, u.id);
  });

  test('an email the provider has not verified matches nobody (no session, nobody created)', async () => {
    const u = await createUser(s, { userPrincipalName: uniqueUpn('unverified') });
    idp.people.set('mallory', { preferred_username: 'mallory-at-the-provider', email: u.userPrincipalName, email_verified: false });
    const before = await userUpns(admin);
    const { back, cookies } = await toCallback('mallory');
    const r = await callback(back, cookies);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, `${s.url}/?ssoError=userUnknown`);
    assert.equal(sessionCookie(r), undefined);
    assert.deepEqual(await userUpns(admin), before);
  });

  test('a replayed callback (same URL, same browser) gets no session: the state is used once', async () => {
    const u = await createUser(s, { userPrincipalName: uniqueUpn('replay') });
    idp.people.set('carol', { preferred_username: u.userPrincipalName });
    const { back, cookies } = await toCallback('carol');
    assert.ok(sessionCookie(await callback(back, cookies)));
    const again = await callback(back, cookies);
    assert.equal(again.status, 302);
    assert.equal(again.headers.location, `${s.url}/?ssoError=stateUnknown`);
    assert.equal(sessionCookie(again), undefined);
  });

  test('a replayed code under a fresh state is refused by the provider: no session', async () => {
    const u = await createUser(s, { userPrincipalName: uniqueUpn('code') });
    idp.people.set('dave', { preferred_username: u.userPrincipalName });
    const first = await toCallback('dave');
    assert.ok(sessionCookie(await callback(first.back, first.cookies)));
    const second = await toCallback('dave');
    second.back.searchParams.set('code', first.back.searchParams.get('code'));
    const r = await callback(second.back, second.cookies);
    assert.equal(r.headers.location, `${s.url}/?ssoError=codeRefused`);
    assert.equal(sessionCookie(r), undefined);
    assertNoSecretLogged(s, [first.back.searchParams.get('code')]);
  });

  test('a callback without the browser\'s state cookie (a link sent to someone else) gets no session, and the sign-in stays usable by its browser', async () => {
    const u = await createUser(s, { userPrincipalName: uniqueUpn('csrf') });
    idp.people.set('erin', { preferred_username: u.userPrincipalName });
    const { back, cookies } = await toCallback('erin');
    const r = await callback(back, '');
    assert.equal(r.headers.location, `${s.url}/?ssoError=stateMismatch`);
    assert.equal(sessionCookie(r), undefined);
    assert.ok(sessionCookie(await callback(back, cookies)));
  });

  test('a forged state gets no session', async () => {
    const { back, cookies } = await toCallback('erin');
    back.searchParams.set('state', randomToken(32).slice(0, 43));
    const r = await callback(back, cookies);
    assert.equal(r.headers.location, `${s.url}/?ssoError=stateMismatch`);
    assert.equal(sessionCookie(r), undefined);
  });

  test('the provider\'s refusal (error=access_denied) gets no session', async () => {
    const start = await request(s, 'GET', '/api/v1/auth/oidc/start');
    const state = new URL(start.headers.location).searchParams.get('state');
    const r = await callback(new URL(`${s.url}${CALLBACK}?error=access_denied&state=${state}`), cookiesOf(start));
    assert.equal(r.headers.location, `${s.url}/?ssoError=providerRefused`);
    assert.equal(sessionCookie(r), undefined);
  });

  test('an unknown person is not created without --oidc-create-users', async () => {
    const upn = uniqueUpn('nobody');
    idp.people.set('frank', { preferred_username: upn, email: upn, name: 'Frank' });
    const before = await userUpns(admin);
    const { back, cookies } = await toCallback('frank');
    const r = await callback(back, cookies);
    assert.equal(r.headers.location, `${s.url}/?ssoError=userUnknown`);
    assert.equal(sessionCookie(r), undefined);
    assert.deepEqual(await userUpns(admin), before);
  });

  test('outboundAllowedHosts without the provider\'s host: the http issuer is refused at start (403), nothing is sent to it', async () => {
    expectStatus(await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [] }), 200);
    try {
      const r = await request(s, 'GET', '/api/v1/auth/oidc/start');
      expectGraphError(r, 403);
      assert.equal(r.body.error.code, 'outboundRefused');
      assert.equal(r.headers.location, undefined);
    } finally {
      expectStatus(await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [idp.host] }), 200);
    }
  });
});

describe('single sign-on: --oidc-create-users', () => {
  test('an unknown person is created on first sign-in (display name from the token) and the same account is used the next time', async () => {
    const idp = await startOidcProvider();
    const s = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.clientId, '--oidc-client-secret', idp.clientSecret, '--oidc-create-users'] });
    try {
      idp.configure(`${s.url}${CALLBACK}`);
      const admin = api(s, s.adminToken);
      await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [idp.host] });
      const upn = uniqueUpn('newcomer');
      idp.people.set('grace', { preferred_username: upn, email: upn, name: 'Grace Hopper' });
      const ids = [];
      for (let i = 0; i < 2; i++) {
        const start = await request(s, 'GET', '/api/v1/auth/oidc/start');
        const back = new URL(await idp.signIn(start.headers.location, 'grace'));
        const r = await request(s, 'GET', back.pathname + back.search, { headers: { Cookie: cookiesOf(start) } });
        const me = expectStatus(await request(s, 'GET', '/v1.0/me', { headers: { Cookie: sessionCookie(r).split(';')[0] } }), 200);
        assert.equal(me.body.userPrincipalName, upn);
        assert.equal(me.body.displayName, 'Grace Hopper');
        ids.push(me.body.id);
      }
      assert.equal(ids[0], ids[1]);
      assert.equal((await userUpns(admin)).filter((x) => x === upn).length, 1);
      // Created without a password: a password sign-in is refused.
      const pw = await request(s, 'POST', '/api/v1/session', { body: { userPrincipalName: upn, password: 'any password at all' } });
      expectGraphError(pw, 401);
      assertNoSecretLogged(s, [idp.clientSecret]);
    } finally {
      await s.close();
      await idp.close();
    }
  });
});

describe('single sign-on: ID tokens that must be refused', () => {
  let idp;
  let s;
  let admin;
  let person;
  before(async () => {
    idp = await startForgingIssuer();
    s = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.state.clientId, '--oidc-client-secret', 'forged-secret', '--oidc-create-users'] });
    admin = api(s, s.adminToken);
    await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [idp.host] });
    person = await createUser(s, { userPrincipalName: uniqueUpn('forged') });
  });
  after(async () => {
    await s?.close();
    await idp?.close();
  });

  async function flow(bad, who) {
    idp.state.bad = bad;
    idp.state.person = who;
    const start = await request(s, 'GET', '/api/v1/auth/oidc/start');
    assert.equal(start.status, 302, start.text);
    const at = await request(idp.issuer, 'GET', new URL(start.headers.location).pathname + new URL(start.headers.location).search);
    const back = new URL(at.headers.location);
    return request(s, 'GET', back.pathname + back.search, { headers: { Cookie: cookiesOf(start) } });
  }

  test('a good token signs in (the refusals below differ from it in one thing only)', async () => {
    const r = await flow({}, { preferred_username: person.userPrincipalName });
    assert.ok(sessionCookie(r), `${r.headers.location}`);
  });

  for (const [what, bad] of [
    ['from another issuer', { iss: 'https://evil.example' }],
    ['for another audience', { aud: 'someone-else' }],
    ['expired', { exp: -600 }],
    ['for another sign-in (nonce)', { nonce: 'not-the-nonce' }],
    ['signed with a key not in the issuer\'s JWKS', { key: 'other' }],
  ]) {
    test(`an ID token ${what}: no session, nobody created (even with --oidc-create-users)`, async () => {
      const upn = uniqueUpn('forged-new');
      const before = await userUpns(admin);
      for (const who of [{ preferred_username: person.userPrincipalName }, { preferred_username: upn }]) {
        const r = await flow(bad, who);
        assert.equal(r.status, 302);
        assert.equal(r.headers.location, `${s.url}/?ssoError=tokenInvalid`);
        assert.equal(sessionCookie(r), undefined);
      }
      assert.deepEqual(await userUpns(admin), before);
      assertNoSecretLogged(s, ['forged-secret']);
    });
  }
});

describe('single sign-on: --disable-password-sign-in', () => {
  let idp;
  let s;
  let breakGlass;
  let person;
  before(async () => {
    idp = await startForgingIssuer();
    const upn = uniqueUpn('breakglass');
    s = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.state.clientId, '--oidc-client-secret', 'x-secret', '--disable-password-sign-in', '--break-glass-admin', upn] });
    const password = 'break-glass-' + randomToken(8);
    breakGlass = { ...(await createUser(s, { userPrincipalName: upn, password })), password };
    const own = 'sso-only-' + randomToken(8);
    person = { ...(await createUser(s, { userPrincipalName: uniqueUpn('ssoonly'), password: own })), password: own };
  });
  after(async () => {
    await s?.close();
    await idp?.close();
  });

  test('the sign-in page is told password sign-in is off', async () => {
    const r = expectStatus(await request(s, 'GET', '/api/v1/auth/providers'), 200);
    assert.equal(r.body.passwordSignIn, false);
  });

  test('everyone but the break-glass administrator is refused (403) before any password is hashed, on both password routes', async () => {
    const hashes = await metric(s, 'switchboard_password_hashes_total');
    for (const path of ['/api/v1/session', '/api/v1/tokens']) {
      const r = await request(s, 'POST', path, { body: { userPrincipalName: person.userPrincipalName, password: person.password } });
      expectGraphError(r, 403);
      assert.equal(r.body.error.code, 'passwordSignInDisabled');
      assert.deepEqual(r.setCookie, []);
    }
    assert.equal(await metric(s, 'switchboard_password_hashes_total'), hashes);
    const ok = await request(s, 'POST', '/api/v1/session', { body: { userPrincipalName: breakGlass.userPrincipalName.toUpperCase(), password: breakGlass.password } });
    expectStatus(ok, 200);
  });
});

describe('single sign-on: flags', () => {
  test('without --oidc-issuer there is no provider and start/callback are 404', async () => {
    const s = await startServer();
    try {
      const r = expectStatus(await request(s, 'GET', '/api/v1/auth/providers'), 200);
      assert.deepEqual(r.body, { value: [], passwordSignIn: true });
      expectGraphError(await request(s, 'GET', '/api/v1/auth/oidc/start'), 404);
      expectGraphError(await request(s, 'GET', `${CALLBACK}?code=x&state=y`), 404);
    } finally {
      await s.close();
    }
  });
});
