// Health, metrics, bearer tokens and the web session (cookie + CSRF).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, getToken } from './lib/server.mjs';
import { expectStatus, expectJson, expectGraphError, expectGuid, uniqueName } from './lib/graph.mjs';

let srv;
let alice; // a plain signed-in user

before(async () => {
  srv = await startServer();
  alice = await newUser(srv, 'alice');
});

after(async () => {
  if (srv) await srv.close();
});

describe('health and metrics', () => {
  test('GET /healthz -> 200 {"status":"ok"} without credentials', async () => {
    const r = await api(srv)('GET', '/healthz');
    expectStatus(r, 200);
    assert.deepEqual(expectJson(r), { status: 'ok' });
  });

  test('GET /metrics -> 200 Prometheus text', async () => {
    const r = await api(srv)('GET', '/metrics', undefined, { headers: { Accept: 'text/plain' } });
    expectStatus(r, 200);
    assert.match(r.contentType, /^text\/plain/i);
    assert.equal(typeof r.body, 'string');
    assert.match(r.body, /^# TYPE \S+ (counter|gauge|histogram|summary|untyped)$/m);
  });
});

describe('bearer authentication', () => {
  test('no token -> 401 with the Graph error shape', async () => {
    expectGraphError(await api(srv)('GET', '/v1.0/me'), 401);
  });

  test('an unknown token -> 401', async () => {
    expectGraphError(await api(srv, 'sb_' + 'x'.repeat(43))('GET', '/v1.0/me'), 401);
  });

  test('a garbage token -> 401', async () => {
    expectGraphError(await api(srv, 'not a token at all')('GET', '/v1.0/me'), 401);
  });

  test('a non-Bearer Authorization scheme -> 401', async () => {
    const r = await api(srv)('GET', '/v1.0/me', undefined, {
      headers: { Authorization: 'Basic ' + Buffer.from(`${alice.userPrincipalName}:${alice.password}`).toString('base64') },
    });
    expectGraphError(r, 401);
  });

  test('the admin token from SWITCHBOARD_ADMIN_TOKEN authenticates', async () => {
    const r = await api(srv, srv.adminToken)('GET', '/v1.0/me');
    expectStatus(r, 200);
    expectGuid(r.body.id);
  });

  test('POST /api/v1/tokens with the right password -> 201 {token}', async () => {
    const r = await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: alice.userPrincipalName, password: alice.password });
    expectStatus(r, 201);
    const body = expectJson(r);
    assert.equal(typeof body.token, 'string');
    assert.ok(body.token.length >= 16, 'token too short');
  });

  test('the token works as Bearer and identifies its user', async () => {
    const tok = await getToken(srv, alice.userPrincipalName, alice.password);
    const r = await api(srv, tok)('GET', '/v1.0/me');
    expectStatus(r, 200);
    assert.equal(r.body.id, alice.id);
    assert.equal(r.body.userPrincipalName, alice.userPrincipalName);
  });

  test('tokens are distinct per request', async () => {
    const a = await getToken(srv, alice.userPrincipalName, alice.password);
    const b = await getToken(srv, alice.userPrincipalName, alice.password);
    assert.notEqual(a, b);
  });

  test('UPN matching for sign-in is case-insensitive', async () => {
    const tok = await getToken(srv, alice.userPrincipalName.toUpperCase(), alice.password);
    const r = await api(srv, tok)('GET', '/v1.0/me');
    expectStatus(r, 200);
    assert.equal(r.body.id, alice.id);
  });

  test('wrong password -> 401', async () => {
    const r = await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: alice.userPrincipalName, password: alice.password + 'x' });
    expectGraphError(r, 401);
    assert.ok(!('token' in r.body));
  });

  test('unknown user -> 401 (same as a wrong password)', async () => {
    const r = await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: 'nobody@switchboard.test', password: 'whatever-123' });
    expectGraphError(r, 401);
  });

  test('token request with missing fields -> 400', async () => {
    expectGraphError(await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: alice.userPrincipalName }), 400);
  });

  test('token request with malformed JSON -> 400', async () => {
    expectGraphError(await api(srv)('POST', '/api/v1/tokens', '{"userPrincipalName": '), 400);
  });
});

describe('errors', () => {
  test('an unknown /v1.0 route -> 404 with the Graph error shape', async () => {
    expectGraphError(await alice.api('GET', '/v1.0/noSuchResource'), 404);
  });

  test('an unknown /api/v1 route -> 404 with the Graph error shape', async () => {
    expectGraphError(await alice.api('GET', '/api/v1/noSuchResource'), 404);
  });
});

describe('web session', () => {
  let cookie; // "sb_session=..."
  let csrf;
  let setCookie;
  let sessionBody;

  before(async () => {
    const r = await api(srv)('POST', '/api/v1/session', { userPrincipalName: alice.userPrincipalName, password: alice.password });
    expectStatus(r, 200, 'POST /api/v1/session');
    sessionBody = r.body;
    setCookie = r.headers.getSetCookie().find((c) => /^sb_session=/.test(c));
    if (setCookie) cookie = setCookie.split(';')[0];
    csrf = sessionBody && sessionBody.csrfToken;
  });

  test('POST /api/v1/session -> 200 {user:{id,displayName,userPrincipalName}, csrfToken}', () => {
    assert.equal(typeof sessionBody, 'object');
    assert.equal(sessionBody.user.id, alice.id);
    assert.equal(sessionBody.user.displayName, alice.displayName);
    assert.equal(sessionBody.user.userPrincipalName, alice.userPrincipalName);
    assert.equal(typeof sessionBody.csrfToken, 'string');
    assert.ok(sessionBody.csrfToken.length >= 16, 'csrfToken too short');
  });

  test('sets an sb_session cookie that is HttpOnly and SameSite=Lax', () => {
    assert.ok(setCookie, 'no Set-Cookie: sb_session=...');
    assert.match(cookie, /^sb_session=[^;\s]+$/);
    const attrs = setCookie.split(';').slice(1).map((a) => a.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'), `missing HttpOnly: ${setCookie}`);
    assert.ok(attrs.includes('samesite=lax'), `missing SameSite=Lax: ${setCookie}`);
  });

  test('the csrfToken is not the cookie value', () => {
    assert.notEqual(cookie.slice('sb_session='.length), csrf);
  });

  test('wrong password -> 401 and no session cookie', async () => {
    const r = await api(srv)('POST', '/api/v1/session', { userPrincipalName: alice.userPrincipalName, password: 'wrong-password' });
    expectGraphError(r, 401);
    const issued = r.headers.getSetCookie().filter((c) => /^sb_session=[^;]+/.test(c) && !/max-age=0/i.test(c));
    assert.deepEqual(issued, [], 'a failed sign-in must not issue a session cookie');
  });

  test('the cookie authenticates GET /v1.0/me', async () => {
    const r = await api(srv)('GET', '/v1.0/me', undefined, { cookie });
    expectStatus(r, 200);
    assert.equal(r.body.id, alice.id);
  });

  test('a state-changing request with the cookie but no X-CSRF-Token -> 403', async () => {
    const r = await api(srv)('POST', '/v1.0/teams', { displayName: uniqueName('NoCsrf') }, { cookie });
    expectGraphError(r, 403);
  });

  test('a wrong X-CSRF-Token -> 403', async () => {
    const r = await api(srv)('POST', '/v1.0/teams', { displayName: uniqueName('BadCsrf') }, { cookie, headers: { 'X-CSRF-Token': csrf + 'x' } });
    expectGraphError(r, 403);
  });

  test('the refused request changed nothing', async () => {
    const name = uniqueName('Refused');
    expectGraphError(await api(srv)('POST', '/v1.0/teams', { displayName: name }, { cookie }), 403);
    const r = await api(srv)('GET', '/v1.0/me/joinedTeams', undefined, { cookie });
    expectStatus(r, 200);
    assert.ok(!r.body.value.some((t) => t.displayName === name));
  });

  test('with cookie and the right X-CSRF-Token -> 201', async () => {
    const r = await api(srv)('POST', '/v1.0/teams', { displayName: uniqueName('WithCsrf') }, { cookie, headers: { 'X-CSRF-Token': csrf } });
    expectStatus(r, 201);
    expectGuid(r.body.id);
  });

  test('PATCH and DELETE with the cookie but no X-CSRF-Token -> 403', async () => {
    const team = expectStatus(await alice.api('POST', '/v1.0/teams', { displayName: uniqueName('CsrfVerbs') }), 201).body;
    const patch = { memberSettings: { allowCreateUpdateRemoveConnectors: false } };
    expectGraphError(await api(srv)('PATCH', `/v1.0/teams/${team.id}`, patch, { cookie }), 403);
    const mine = expectStatus(await alice.api('GET', `/v1.0/teams/${team.id}/members`), 200).body.value[0];
    expectGraphError(await api(srv)('DELETE', `/v1.0/teams/${team.id}/members/${mine.id}`, undefined, { cookie }), 403);
    const t = expectStatus(await alice.api('GET', `/v1.0/teams/${team.id}`), 200).body;
    assert.equal(t.memberSettings.allowCreateUpdateRemoveConnectors, true, 'the refused PATCH was applied');
    expectStatus(await api(srv)('PATCH', `/v1.0/teams/${team.id}`, patch, { cookie, headers: { 'X-CSRF-Token': csrf } }), 204);
  });

  test('bearer-token requests need no CSRF header', async () => {
    expectStatus(await alice.api('POST', '/v1.0/teams', { displayName: uniqueName('Bearer') }), 201);
  });

  test('DELETE /api/v1/session without the CSRF header -> 403 (session stays)', async () => {
    expectGraphError(await api(srv)('DELETE', '/api/v1/session', undefined, { cookie }), 403);
    expectStatus(await api(srv)('GET', '/v1.0/me', undefined, { cookie }), 200);
  });

  test('DELETE /api/v1/session -> 204, then the cookie no longer authenticates', async () => {
    const r = await api(srv)('DELETE', '/api/v1/session', undefined, { cookie, headers: { 'X-CSRF-Token': csrf } });
    expectStatus(r, 204);
    expectGraphError(await api(srv)('GET', '/v1.0/me', undefined, { cookie }), 401);
    expectGraphError(
      await api(srv)('POST', '/v1.0/teams', { displayName: uniqueName('AfterLogout') }, { cookie, headers: { 'X-CSRF-Token': csrf } }),
      401,
    );
  });

  test('a made-up session cookie -> 401', async () => {
    expectGraphError(await api(srv)('GET', '/v1.0/me', undefined, { cookie: 'sb_session=forged' + 'a'.repeat(40) }), 401);
  });

  test('signing out of one session leaves API tokens working', async () => {
    expectStatus(await alice.api('GET', '/v1.0/me'), 200);
  });
});
