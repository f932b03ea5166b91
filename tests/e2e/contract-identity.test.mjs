// Contract conformance, §6 prose: web sign-in (JSON only, same origin, throttling per account
// and per address before any hashing, reset on success), the session cookie over http and with
// an https public URL, sandbox origins, single sign-on (OIDC, against an issuer run here on
// 127.0.0.1 with jose), the forced password change and `switchboard admin reset-password`.
// Each throttling test signs in from a loopback source address of its own (127.0.0.x), so the
// per-address count of one test never reaches another's.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

import { startServer, api, newUser, createUser, runCli, getToken, randomToken, uniqueUpn } from './lib/server.mjs';
import { expectStatus, expectGraphError } from './lib/graph.mjs';
import { request, metric } from './lib/contract.mjs';


let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.close();
});

let nextHost = 40;
function newSource() {
  nextHost += 1;
  return `127.0.0.${nextHost}`;
}

const signIn = (s, upn, password, opts = {}) => request(s, 'POST', '/api/v1/session', { body: { userPrincipalName: upn, password }, ...opts });

function cookieAttrs(setCookie) {
  return setCookie.split(';').slice(1).map((a) => a.trim().toLowerCase());
}

describe('§6 web sign-in', () => {
  test('§6 POST /api/v1/session takes only Content-Type: application/json (415 otherwise), nothing hashed, no cookie', async () => {
    const u = await newUser(srv, 'json');
    const hashes = await metric(srv, 'switchboard_password_hashes_total');
    const form = `userPrincipalName=${encodeURIComponent(u.userPrincipalName)}&password=${encodeURIComponent(u.password)}`;
    const r = await request(srv, 'POST', '/api/v1/session', { body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, from: newSource() });
    expectGraphError(r, 415);
    assert.deepEqual(r.setCookie, []);
    assert.equal(await metric(srv, 'switchboard_password_hashes_total'), hashes);
    expectStatus(await signIn(srv, u.userPrincipalName, u.password, { from: newSource() }), 200);
  });

  test('§6 POST /api/v1/session refuses a foreign Origin (403, no cookie)', async () => {
    const u = await newUser(srv, 'origin');
    const r = await signIn(srv, u.userPrincipalName, u.password, { headers: { Origin: 'https://evil.example' }, from: newSource() });
    expectGraphError(r, 403);
    assert.deepEqual(r.setCookie, []);
    expectStatus(await signIn(srv, u.userPrincipalName, u.password, { headers: { Origin: srv.url }, from: newSource() }), 200);
  });

  test('§6 after 5 failed sign-ins for one account, further attempts get 429 + Retry-After before any password hashing (the right password too)', async () => {
    const u = await newUser(srv, 'victim');
    for (let i = 0; i < 5; i++) expectGraphError(await signIn(srv, u.userPrincipalName, `wrong-${i}`, { from: newSource() }), 401);
    const hashes = await metric(srv, 'switchboard_password_hashes_total');
    const r = await signIn(srv, u.userPrincipalName, u.password, { from: newSource() });
    expectGraphError(r, 429);
    assert.match(r.headers['retry-after'] || '', /^[1-9]\d*$/);
    assert.ok(Number(r.headers['retry-after']) <= 15 * 60, `Retry-After ${r.headers['retry-after']}`);
    assert.equal(await metric(srv, 'switchboard_password_hashes_total'), hashes, 'a throttled attempt was hashed');
  });

  test('§6 after 20 failed sign-ins from one address within 15 minutes, further attempts get 429 + Retry-After', async () => {
    const from = newSource();
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await newUser(srv, `addr${i}`));
    // 4 failures for each of 5 accounts: 20 from this address, no account at its limit.
    for (const u of users) for (let i = 0; i < 4; i++) expectGraphError(await signIn(srv, u.userPrincipalName, `bad-${i}`, { from }), 401);
    const fresh = await newUser(srv, 'addr-fresh');
    const r = await signIn(srv, fresh.userPrincipalName, fresh.password, { from });
    expectGraphError(r, 429);
    assert.match(r.headers['retry-after'] || '', /^[1-9]\d*$/);
    expectStatus(await signIn(srv, fresh.userPrincipalName, fresh.password, { from: newSource() }), 200, 'another address is not throttled');
  });

  test('§6 a success for the account resets its count', async () => {
    const u = await newUser(srv, 'reset');
    for (let i = 0; i < 4; i++) expectGraphError(await signIn(srv, u.userPrincipalName, `x-${i}`, { from: newSource() }), 401);
    expectStatus(await signIn(srv, u.userPrincipalName, u.password, { from: newSource() }), 200);
    for (let i = 0; i < 5; i++) expectGraphError(await signIn(srv, u.userPrincipalName, `y-${i}`, { from: newSource() }), 401);
    expectGraphError(await signIn(srv, u.userPrincipalName, 'z', { from: newSource() }), 429);
  });
});

describe('§6 the session cookie', () => {
  test('§6 over plain http the session cookie is sb_session; HttpOnly, SameSite=Lax, Path=/, no Domain, no Secure', async () => {
    const u = await newUser(srv, 'cookie');
    const r = expectStatus(await signIn(srv, u.userPrincipalName, u.password, { from: newSource() }), 200);
    assert.equal(r.setCookie.length, 1, r.setCookie.join(' | '));
    assert.match(r.setCookie[0], /^sb_session=[^;\s]+;/);
    const a = cookieAttrs(r.setCookie[0]);
    for (const want of ['httponly', 'samesite=lax', 'path=/']) assert.ok(a.includes(want), `${want}: ${r.setCookie[0]}`);
    assert.ok(!a.some((x) => x.startsWith('domain')), r.setCookie[0]);
    assert.ok(!a.includes('secure'), r.setCookie[0]);
  });

  test('§6 with an https --public-url (also behind a TLS-terminating proxy) it is __Host-sb_session with Secure; HttpOnly, SameSite=Lax, Path=/, no Domain', async () => {
    const s = await startServer({ args: ['--public-url', 'https://switchboard.test'] });
    try {
      const password = 'Passw0rd-' + randomToken(4);
      const u = await createUser(s, { password });
      const r = expectStatus(await signIn(s, u.userPrincipalName, password, { headers: { Origin: 'https://switchboard.test' } }), 200);
      assert.equal(r.setCookie.length, 1, r.setCookie.join(' | '));
      assert.match(r.setCookie[0], /^__Host-sb_session=[^;\s]+;/);
      const a = cookieAttrs(r.setCookie[0]);
      for (const want of ['secure', 'httponly', 'samesite=lax', 'path=/']) assert.ok(a.includes(want), `${want}: ${r.setCookie[0]}`);
      assert.ok(!a.some((x) => x.startsWith('domain')), r.setCookie[0]);
    } finally {
      await s.close();
    }
  });

  test('§6 nothing served from an app sandbox origin can set the session cookie: a sign-in with a sandbox Origin -> 403 without Set-Cookie', async () => {
    const u = await newUser(srv, 'sandbox');
    const port = new URL(srv.url).port;
    for (const origin of [`http://app1.apps.localhost:${port}`, `http://x.apps.127.0.0.1:${port}`]) {
      const r = await signIn(srv, u.userPrincipalName, u.password, { headers: { Origin: origin }, from: newSource() });
      expectGraphError(r, 403);
      assert.deepEqual(r.setCookie, [], origin);
    }
  });
});

// An OpenID provider on 127.0.0.1: discovery, JWKS, an authorization endpoint that redirects
// back with a code at once (for `person`), a token endpoint that checks PKCE and returns an ID
// token carrying the nonce of the authorization request.
async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map();
  const state = { person: { preferred_username: 'nobody@switchboard.test', email: 'nobody@switchboard.test', name: 'Nobody' }, clientId: 'sb-client' };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, issuer);
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const json = (code, body) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const code = randomToken(8);
      codes.set(code, { nonce: url.searchParams.get('nonce'), challenge: url.searchParams.get('code_challenge'), redirect: url.searchParams.get('redirect_uri') });
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state'));
      res.writeHead(302, { Location: back.href });
      return res.end();
    }
    if (url.pathname === '/token') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const c = codes.get(form.get('code'));
      const verifier = form.get('code_verifier') || '';
      const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
      if (!c || c.challenge !== challenge) return json(400, { error: 'invalid_grant' });
      codes.delete(form.get('code'));
      const idToken = await new SignJWT({ ...state.person, nonce: c.nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(state.clientId).setSubject(randomToken(6))
        .setIssuedAt().setExpirationTime('5m').sign(privateKey);
      return json(200, { token_type: 'Bearer', access_token: randomToken(8), id_token: idToken, expires_in: 300 });
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  return { issuer, state, host: `127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

describe('§6 single sign-on', () => {
  let idp;
  let s;
  let admin;
  before(async () => {
    idp = await startIssuer();
    try {
      s = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.state.clientId, '--oidc-client-secret', 'sb-secret', '--oidc-name', 'Contoso ID'] });
      admin = api(s, s.adminToken);
      await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [idp.host] });
    } catch (err) {
      s = { error: err }; // a server that does not start: each test below fails with its error
    }
  });
  after(async () => {
    if (s && !s.error) await s.close();
    await idp?.close();
  });

  function server() {
    if (s.error) throw s.error;
    return s;
  }

  // Follows the authorization code flow with `person`; returns the callback's answer.
  async function flow(person) {
    idp.state.person = person;
    const start = await request(server(), 'GET', '/api/v1/auth/oidc/start');
    assert.equal(start.status, 302, start.text);
    const at = await request(idp.issuer, 'GET', new URL(start.headers.location).pathname + new URL(start.headers.location).search);
    assert.equal(at.status, 302);
    const cb = new URL(at.headers.location);
    const cookies = start.setCookie.map((c) => c.split(';')[0]).join('; ');
    return request(server(), 'GET', cb.pathname + cb.search, { headers: cookies ? { Cookie: cookies } : {} });
  }

  test('§6 --oidc-issuer/--oidc-client-id/--oidc-client-secret/--oidc-name: GET /api/v1/auth/providers -> {value:[{id:"oidc", label}]}', async () => {
    const r = expectStatus(await request(server(), 'GET', '/api/v1/auth/providers'), 200);
    assert.deepEqual(r.body.value, [{ id: 'oidc', label: 'Contoso ID' }]);
  });

  test('§6 GET /api/v1/auth/oidc/start -> 302 to the issuer\'s authorization endpoint (code flow with PKCE S256, state, nonce)', async () => {
    const r = await request(server(), 'GET', '/api/v1/auth/oidc/start');
    assert.equal(r.status, 302, r.text);
    const loc = new URL(r.headers.location);
    assert.equal(`${loc.origin}${loc.pathname}`, `${idp.issuer}/authorize`);
    assert.equal(loc.searchParams.get('response_type'), 'code');
    assert.equal(loc.searchParams.get('client_id'), idp.state.clientId);
    assert.equal(loc.searchParams.get('code_challenge_method'), 'S256');
    for (const p of ['code_challenge', 'state', 'nonce', 'redirect_uri']) assert.ok(loc.searchParams.get(p), p);
    assert.ok(loc.searchParams.get('redirect_uri').endsWith('/api/v1/auth/oidc/callback'));
  });

  test('§6 GET /api/v1/auth/oidc/callback: the person matched by preferred_username or email = userPrincipalName gets the session cookie and a 302 to the web client', async () => {
    const u = await createUser(server(), { userPrincipalName: uniqueUpn('sso') });
    const r = await flow({ preferred_username: u.userPrincipalName, email: u.userPrincipalName, name: 'SSO person' });
    assert.equal(r.status, 302, r.text);
    const cookie = r.setCookie.find((c) => /^sb_session=/.test(c));
    assert.ok(cookie, r.setCookie.join(' | '));
    const me = expectStatus(await request(server(), 'GET', '/v1.0/me', { headers: { Cookie: cookie.split(';')[0] } }), 200);
    assert.equal(me.body.id, u.id);
  });

  test('§6 single sign-on: state is checked (a callback with another state gets no session)', async () => {
    const u = await createUser(server(), { userPrincipalName: uniqueUpn('state') });
    idp.state.person = { preferred_username: u.userPrincipalName, email: u.userPrincipalName, name: 'State' };
    const start = await request(server(), 'GET', '/api/v1/auth/oidc/start');
    assert.equal(start.status, 302, start.text);
    const at = await request(idp.issuer, 'GET', new URL(start.headers.location).pathname + new URL(start.headers.location).search);
    const cb = new URL(at.headers.location);
    cb.searchParams.set('state', randomToken(16));
    const cookies = start.setCookie.map((c) => c.split(';')[0]).join('; ');
    const r = await request(server(), 'GET', cb.pathname + cb.search, { headers: cookies ? { Cookie: cookies } : {} });
    assert.ok(!r.setCookie.some((c) => /sb_session=[^;]/.test(c)), `a session for a forged state: ${r.setCookie.join(' | ')}`);
  });

  test('§6 single sign-on: unknown people are not created without --oidc-create-users', async () => {
    const upn = uniqueUpn('stranger');
    const r = await flow({ preferred_username: upn, email: upn, name: 'Stranger' });
    assert.ok(!r.setCookie.some((c) => /sb_session=[^;]/.test(c)), 'no session');
    const list = await admin('GET', '/v1.0/users');
    assert.ok(!list.body.value.some((x) => x.userPrincipalName === upn));
  });

  test('§6 single sign-on: with --oidc-create-users unknown people are created on first sign-in', async () => {
    const s2 = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.state.clientId, '--oidc-client-secret', 'sb-secret', '--oidc-create-users'] });
    try {
      await api(s2, s2.adminToken)('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [idp.host] });
      const saved = s;
      s = s2;
      try {
        const upn = uniqueUpn('newcomer');
        const r = await flow({ preferred_username: upn, email: upn, name: 'Newcomer' });
        assert.equal(r.status, 302, r.text);
        const cookie = r.setCookie.find((c) => /^sb_session=/.test(c));
        const me = expectStatus(await request(s2, 'GET', '/v1.0/me', { headers: { Cookie: cookie.split(';')[0] } }), 200);
        assert.equal(me.body.userPrincipalName, upn);
      } finally {
        s = saved;
      }
    } finally {
      await s2.close();
    }
  });

  test('§6 single sign-on: an http issuer whose host is not in outboundAllowedHosts is refused', async () => {
    const s3 = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', 'c', '--oidc-client-secret', 'x'] });
    try {
      const r = await request(s3, 'GET', '/api/v1/auth/oidc/start');
      assert.ok(!(r.status === 302 && String(r.headers.location).startsWith(idp.issuer)), `redirected to the http issuer: ${r.status} ${r.headers.location}`);
      assert.ok(r.status >= 400, `${r.status}`);
    } finally {
      await s3.close();
    }
  });
});

describe('§6 password changes', () => {
  test('§6 a password that must be changed signs in with passwordChangeRequired: true, and every other call gets 403 until changePassword succeeds', async () => {
    const admin = api(srv, srv.adminToken);
    const u = await newUser(srv, 'forced');
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { passwordProfile: { password: 'Temp-Passw0rd-1', forceChangePasswordNextSignIn: true } }), 204);
    const r = expectStatus(await signIn(srv, u.userPrincipalName, 'Temp-Passw0rd-1', { from: newSource() }), 200);
    assert.equal(r.body.passwordChangeRequired, true);
    const cookie = r.setCookie[0].split(';')[0];
    const headers = { Cookie: cookie, 'X-CSRF-Token': r.body.csrfToken };
    expectGraphError(await request(srv, 'GET', '/v1.0/me/joinedTeams', { headers }), 403);
    expectStatus(await request(srv, 'POST', '/v1.0/me/changePassword', { headers, body: { currentPassword: 'Temp-Passw0rd-1', newPassword: 'Final-Passw0rd-2' } }), 204);
    expectStatus(await request(srv, 'GET', '/v1.0/me/joinedTeams', { headers }), 200);
  });

  for (const who of ['a user', 'the bootstrap administrator']) {
    test(`§6 switchboard admin reset-password <userPrincipalName> prints a one-time password; ${who} must choose a new one at next sign-in`, async () => {
      const upn = who === 'a user' ? (await newUser(srv, 'forgot')).userPrincipalName : 'admin';
      const r = await runCli(['admin', '--data', srv.dataDir, 'reset-password', upn]);
      assert.equal(r.code, 0, r.stderr);
      const pw = r.stdout.trim().split(/\s+/).pop();
      assert.ok(pw && pw.length >= 8, r.stdout);
      const s = expectStatus(await signIn(srv, upn, pw, { from: newSource() }), 200);
      assert.equal(s.body.passwordChangeRequired, true);
      await assert.rejects(getToken(srv, upn, 'definitely-not-it'));
    });
  }
});
