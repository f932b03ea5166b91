// Sign-in hardening (contract §6 "Web sign-in"): throttling per account and per client address
// (429 + Retry-After before any password hashing, shared by every process on PostgreSQL), login
// CSRF (JSON only, same origin), the same-origin checks of every cookie-authenticated state
// change, and the session cookie's name and attributes over http and with an https public URL.
//
// Each test signs in from its own loopback source address (127.0.0.N) so that the per-address
// counts of one test do not spill into another. "Before hashing" is shown by
// switchboard_password_hashes_total in /metrics, which a refused attempt must not move.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { startServer, createUser, uniqueUpn, randomToken, api, STORE } from './lib/server.mjs';
import { sharedCluster } from './lib/postgres.mjs';
import { expectStatus, expectGraphError, uniqueName } from './lib/graph.mjs';

let nextHost = 10;
// A loopback source address of its own for one test.
function newSource() {
  nextHost += 1;
  return `127.0.0.${nextHost}`;
}

// One request through node:http (fetch cannot pick the source address). body: an object is sent
// as JSON unless headers say otherwise; a string is sent as is.
function request(srv, method, path, { body, headers = {}, from = '127.0.0.1' } = {}) {
  const url = new URL(path, srv.url);
  const h = { Accept: 'application/json', ...headers };
  let payload;
  if (body !== undefined) {
    payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    h['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: h, localAddress: from, timeout: 60_000 }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let parsed = text;
        if (/json/i.test(res.headers['content-type'] || '') && text) {
          try { parsed = JSON.parse(text); } catch { parsed = text; }
        }
        const setCookie = [].concat(res.headers['set-cookie'] || []);
        resolve({ status: res.statusCode, headers: res.headers, setCookie, text, body: parsed, method, url: url.href });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.href}: timed out`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const signIn = (srv, upn, password, opts = {}) =>
  request(srv, 'POST', opts.path || '/api/v1/session', { body: { userPrincipalName: upn, password }, ...opts });

// The Graph error shape with the expected status.
function expectError(r, status, note = '') {
  assert.equal(r.status, status, `${note} ${r.method} ${r.url} -> ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(typeof r.body, 'object', `not JSON: ${r.text.slice(0, 200)}`);
  assert.equal(typeof r.body.error?.code, 'string');
  assert.equal(typeof r.body.error?.message, 'string');
}

function expectOk(r, status, note = '') {
  assert.equal(r.status, status, `${note} ${r.method} ${r.url} -> ${r.status} ${r.text.slice(0, 300)}`);
}

async function metric(srv, name) {
  const r = await api(srv)('GET', '/metrics', undefined, { headers: { Accept: 'text/plain' } });
  expectStatus(r, 200);
  const m = r.text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  assert.ok(m, `${name} missing from /metrics`);
  return Number(m[1]);
}

function expectThrottled(r, note = '') {
  expectError(r, 429, note);
  const retry = Number(r.headers['retry-after']);
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 15 * 60, `Retry-After ${r.headers['retry-after']} ${note}`);
}

function userPassword() {
  return 'Passw0rd-' + randomToken(6);
}

describe('sign-in throttling', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { if (srv) await srv.close(); });

  test('after 5 failures for an account the 6th attempt gets 429 + Retry-After without hashing; the right password is refused too', async () => {
    const password = userPassword();
    const user = await createUser(srv, { password });
    const upn = user.userPrincipalName;
    const from = newSource();
    for (let i = 1; i <= 5; i++) expectError(await signIn(srv, upn, 'wrong-password-' + i, { from }), 401, `failure ${i}`);
    const hashes = await metric(srv, 'switchboard_password_hashes_total');
    expectThrottled(await signIn(srv, upn, 'wrong-password-6', { from }), '6th failure');
    const right = await signIn(srv, upn, password, { from });
    expectThrottled(right, 'right password while throttled');
    assert.deepEqual(right.setCookie.filter((c) => !/max-age=0/i.test(c)), [], 'a throttled sign-in set a cookie');
    // The same account from elsewhere, in other letter case, and through POST /api/v1/tokens.
    expectThrottled(await signIn(srv, upn, password, { from: newSource() }), 'another address');
    expectThrottled(await signIn(srv, upn.toUpperCase(), password, { from: newSource() }), 'upper-case UPN');
    expectThrottled(await signIn(srv, upn, password, { from: newSource(), path: '/api/v1/tokens' }), 'POST /api/v1/tokens');
    assert.equal(await metric(srv, 'switchboard_password_hashes_total'), hashes, 'a throttled attempt was hashed');
    // Another account from the same address is not affected.
    const otherPassword = userPassword();
    const other = await createUser(srv, { password: otherPassword });
    expectOk(await signIn(srv, other.userPrincipalName, otherPassword, { from }), 200, 'another account');
  });

  test('after 20 failures from one address (different accounts) the 21st attempt gets 429, even with a right password', async () => {
    const password = userPassword();
    const user = await createUser(srv, { password });
    const from = newSource();
    for (let i = 1; i <= 20; i++) {
      const path = i % 2 ? '/api/v1/session' : '/api/v1/tokens';
      expectError(await signIn(srv, uniqueUpn('guess'), 'wrong-password', { from, path }), 401, `failure ${i}`);
    }
    const hashes = await metric(srv, 'switchboard_password_hashes_total');
    const throttled = await metric(srv, 'switchboard_signins_throttled_total');
    expectThrottled(await signIn(srv, user.userPrincipalName, password, { from }), '21st attempt');
    expectThrottled(await signIn(srv, user.userPrincipalName, password, { from, path: '/api/v1/tokens' }), '22nd attempt');
    assert.equal(await metric(srv, 'switchboard_password_hashes_total'), hashes, 'a throttled attempt was hashed');
    assert.equal(await metric(srv, 'switchboard_signins_throttled_total'), throttled + 2);
    // The account itself is fine from another address.
    expectOk(await signIn(srv, user.userPrincipalName, password, { from: newSource() }), 200, 'another address');
  });

  test('a successful sign-in resets the account count (not the address count)', async () => {
    const password = userPassword();
    const user = await createUser(srv, { password });
    const upn = user.userPrincipalName;
    const from = newSource();
    for (let round = 1; round <= 3; round++) {
      for (let i = 1; i <= 4; i++) expectError(await signIn(srv, upn, 'wrong-password', { from }), 401, `round ${round} failure ${i}`);
      expectOk(await signIn(srv, upn, password, { from }), 200, `round ${round} success`);
    }
    // 12 failures from this address so far; 8 more (other accounts) reach the address limit.
    for (let i = 1; i <= 8; i++) expectError(await signIn(srv, uniqueUpn('guess'), 'wrong-password', { from }), 401);
    expectThrottled(await signIn(srv, upn, password, { from }), 'the address count survived the successes');
  });

  test('successful sign-ins do not count against the address', async () => {
    const password = userPassword();
    const user = await createUser(srv, { password });
    const from = newSource();
    for (let i = 1; i <= 25; i++) expectOk(await signIn(srv, user.userPrincipalName, password, { from, path: '/api/v1/tokens' }), 201, `sign-in ${i}`);
  });
});

describe('sign-in throttling across two server processes', () => {
  const skip = STORE !== 'postgres' && 'needs PostgreSQL (SB_STORE=postgres): SQLite serves one process';
  let a;
  let b;
  before(async () => {
    if (skip) return;
    const url = await (await sharedCluster()).createDatabase();
    const adminToken = randomToken();
    a = await startServer({ adminToken, args: ['--db', url] });
    b = await startServer({ adminToken, args: ['--db', url] });
  });
  after(async () => {
    if (a) await a.close();
    if (b) await b.close();
  });

  test('failures counted on node A throttle the account on node B; a success on B resets it for A', { skip }, async () => {
    const password = userPassword();
    const user = await createUser(a, { password });
    const upn = user.userPrincipalName;
    const from = newSource();
    for (let i = 1; i <= 4; i++) expectError(await signIn(a, upn, 'wrong-password', { from }), 401, `failure ${i} on A`);
    expectOk(await signIn(b, upn, password, { from }), 200, 'success on B');
    for (let i = 1; i <= 5; i++) expectError(await signIn(i % 2 ? a : b, upn, 'wrong-password', { from }), 401, `failure ${i} after the reset`);
    expectThrottled(await signIn(b, upn, password, { from }), 'on B');
    expectThrottled(await signIn(a, upn, password, { from }), 'on A');
  });
});

describe('login CSRF and same-origin checks', () => {
  let srv;
  let password;
  let user;
  before(async () => {
    srv = await startServer();
    password = userPassword();
    user = await createUser(srv, { password });
  });
  after(async () => { if (srv) await srv.close(); });

  const body = () => JSON.stringify({ userPrincipalName: user.userPrincipalName, password });

  test('POST /api/v1/session takes only application/json (415 otherwise, nothing hashed, no cookie)', async () => {
    const hashes = await metric(srv, 'switchboard_password_hashes_total');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', undefined]) {
      const headers = type ? { 'Content-Type': type } : { 'Content-Type': '' };
      const r = await request(srv, 'POST', '/api/v1/session', { body: body(), headers, from: newSource() });
      expectError(r, 415, String(type));
      assert.deepEqual(r.setCookie, [], `${type}: a cookie was set`);
    }
    assert.equal(await metric(srv, 'switchboard_password_hashes_total'), hashes, 'a refused sign-in was hashed');
    const ok = await request(srv, 'POST', '/api/v1/session', { body: body(), headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expectOk(ok, 200, 'application/json; charset=utf-8');
  });

  test('POST /api/v1/session from a foreign origin -> 403; our origin or none -> 200', async () => {
    const sandbox = new URL(srv.url);
    for (const headers of [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { Origin: `http://app1.${sandbox.hostname}:${sandbox.port}` },
      { Origin: `https://${sandbox.host}` },
      { Origin: srv.url, 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ]) {
      const r = await request(srv, 'POST', '/api/v1/session', { body: body(), headers });
      expectError(r, 403, JSON.stringify(headers));
      assert.deepEqual(r.setCookie, [], `${JSON.stringify(headers)}: a cookie was set`);
    }
    expectOk(await request(srv, 'POST', '/api/v1/session', { body: body(), headers: { Origin: srv.url, 'Sec-Fetch-Site': 'same-origin' } }), 200, 'our origin');
    expectOk(await request(srv, 'POST', '/api/v1/session', { body: body() }), 200, 'no Origin (not a browser)');
  });

  test('cookie-authenticated state changes need our Origin and Sec-Fetch-Site same-origin (when sent), on top of X-CSRF-Token', async () => {
    const s = await request(srv, 'POST', '/api/v1/session', { body: body() });
    expectOk(s, 200);
    const cookie = s.setCookie.find((c) => /^sb_session=/.test(c)).split(';')[0];
    const csrf = s.body.csrfToken;
    const sandbox = new URL(srv.url);
    for (const extra of [
      { Origin: 'https://evil.example' },
      { Origin: `http://app1.${sandbox.hostname}:${sandbox.port}` },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: srv.url, 'Sec-Fetch-Site': 'same-site' },
    ]) {
      const name = uniqueName('Refused');
      const r = await request(srv, 'POST', '/v1.0/teams', { body: { displayName: name }, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...extra } });
      expectError(r, 403, JSON.stringify(extra));
      const mine = await request(srv, 'GET', '/v1.0/me/joinedTeams', { headers: { Cookie: cookie, ...extra } });
      expectOk(mine, 200, 'GET is not a state change');
      assert.ok(!mine.body.value.some((t) => t.displayName === name), 'the refused request created a team');
    }
    expectOk(await request(srv, 'POST', '/v1.0/teams', { body: { displayName: uniqueName('Ours') }, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: srv.url, 'Sec-Fetch-Site': 'same-origin' } }), 201, 'our origin');
    expectOk(await request(srv, 'POST', '/v1.0/teams', { body: { displayName: uniqueName('NoOrigin') }, headers: { Cookie: cookie, 'X-CSRF-Token': csrf } }), 201, 'no Origin');
    // Bearer tokens are not sent by browsers on their own: no origin rule for them.
    expectOk(await request(srv, 'POST', '/v1.0/teams', { body: { displayName: uniqueName('Bearer') }, headers: { Authorization: `Bearer ${srv.adminToken}`, Origin: 'https://evil.example' } }), 201, 'bearer');
    // Signing out is a state change too.
    expectError(await request(srv, 'DELETE', '/api/v1/session', { headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: 'https://evil.example' } }), 403, 'sign-out from elsewhere');
    expectOk(await request(srv, 'GET', '/v1.0/me', { headers: { Cookie: cookie } }), 200, 'still signed in');
  });
});

describe('the session cookie', () => {
  function attrs(setCookie) {
    return setCookie.split(';').slice(1).map((a) => a.trim().toLowerCase());
  }

  test('over plain http: sb_session, HttpOnly, SameSite=Lax, Path=/, no Domain, no Secure; __Host-sb_session is not read', async () => {
    const srv = await startServer();
    try {
      const password = userPassword();
      const user = await createUser(srv, { password });
      const r = await signIn(srv, user.userPrincipalName, password);
      expectOk(r, 200);
      assert.equal(r.setCookie.length, 1, r.setCookie.join(' | '));
      const [nameValue] = r.setCookie[0].split(';');
      assert.match(nameValue, /^sb_session=[^;\s]+$/);
      const a = attrs(r.setCookie[0]);
      for (const want of ['httponly', 'samesite=lax', 'path=/']) assert.ok(a.includes(want), `missing ${want}: ${r.setCookie[0]}`);
      assert.ok(!a.some((x) => x.startsWith('domain')), `Domain set: ${r.setCookie[0]}`);
      assert.ok(!a.includes('secure'), `Secure over http: ${r.setCookie[0]}`);
      const value = nameValue.slice('sb_session='.length);
      expectOk(await request(srv, 'GET', '/v1.0/me', { headers: { Cookie: nameValue } }), 200);
      expectError(await request(srv, 'GET', '/v1.0/me', { headers: { Cookie: `__Host-sb_session=${value}` } }), 401, 'the other name');
      const out = await request(srv, 'DELETE', '/api/v1/session', { headers: { Cookie: nameValue, 'X-CSRF-Token': r.body.csrfToken } });
      expectOk(out, 204);
      assert.equal(out.setCookie.length, 1);
      assert.match(out.setCookie[0], /^sb_session=;/);
      assert.ok(attrs(out.setCookie[0]).includes('max-age=0'), out.setCookie[0]);
    } finally {
      await srv.close();
    }
  });

  test('with an https --public-url (plain http behind a TLS proxy): __Host-sb_session with Secure; sb_session is not read', async () => {
    const srv = await startServer({ args: ['--public-url', 'https://switchboard.test'] });
    try {
      const password = userPassword();
      const user = await createUser(srv, { password });
      const r = await signIn(srv, user.userPrincipalName, password, { headers: { Origin: 'https://switchboard.test' } });
      expectOk(r, 200);
      assert.equal(r.setCookie.length, 1, r.setCookie.join(' | '));
      const [nameValue] = r.setCookie[0].split(';');
      assert.match(nameValue, /^__Host-sb_session=[^;\s]+$/);
      const a = attrs(r.setCookie[0]);
      for (const want of ['httponly', 'samesite=lax', 'path=/', 'secure']) assert.ok(a.includes(want), `missing ${want}: ${r.setCookie[0]}`);
      assert.ok(!a.some((x) => x.startsWith('domain')), `Domain set: ${r.setCookie[0]}`);
      const value = nameValue.slice('__Host-sb_session='.length);
      expectOk(await request(srv, 'GET', '/v1.0/me', { headers: { Cookie: nameValue } }), 200);
      expectError(await request(srv, 'GET', '/v1.0/me', { headers: { Cookie: `sb_session=${value}` } }), 401, 'a tossed sb_session');
      // The origin of an https public URL: the http origin the listener really has is foreign.
      expectError(await signIn(srv, user.userPrincipalName, password, { headers: { Origin: srv.url } }), 403, 'the listener origin');
      const out = await request(srv, 'DELETE', '/api/v1/session', { headers: { Cookie: nameValue, 'X-CSRF-Token': r.body.csrfToken, Origin: 'https://switchboard.test' } });
      expectOk(out, 204);
      assert.equal(out.setCookie.length, 1);
      assert.match(out.setCookie[0], /^__Host-sb_session=;/);
      for (const want of ['max-age=0', 'secure', 'path=/']) assert.ok(attrs(out.setCookie[0]).includes(want), out.setCookie[0]);
      expectError(await request(srv, 'GET', '/v1.0/me', { headers: { Cookie: nameValue } }), 401, 'after sign-out');
    } finally {
      await srv.close();
    }
  });
});
