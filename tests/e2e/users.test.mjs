// Users: POST /v1.0/users (admins), GET /v1.0/me, GET /v1.0/users/{id}; request-body limits.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, uniqueUpn, rawRequest, getToken } from './lib/server.mjs';
import { expectStatus, expectJson, expectGraphError, expectGuid } from './lib/graph.mjs';

const MiB = 1024 * 1024;

let srv;
let admin; // request function with the admin token
let bob; // a plain user

before(async () => {
  srv = await startServer();
  admin = api(srv, srv.adminToken);
  bob = await newUser(srv, 'bob');
});

after(async () => {
  if (srv) await srv.close();
});

function userBody(over = {}) {
  return {
    displayName: 'Carol Example',
    userPrincipalName: uniqueUpn('carol'),
    passwordProfile: { password: 'Sup3r-secret-pw' },
    ...over,
  };
}

describe('POST /v1.0/users', () => {
  test('admin creates a user -> 201 {id, displayName, userPrincipalName}', async () => {
    const body = userBody();
    const r = await admin('POST', '/v1.0/users', body);
    expectStatus(r, 201);
    const u = expectJson(r);
    expectGuid(u.id);
    assert.equal(u.displayName, body.displayName);
    assert.equal(u.userPrincipalName, body.userPrincipalName);
    assert.ok(!r.text.includes(body.passwordProfile.password), 'the password must not be echoed');
  });

  test('the new user can sign in with that password', async () => {
    const body = userBody();
    const u = expectStatus(await admin('POST', '/v1.0/users', body), 201).body;
    const tok = await getToken(srv, body.userPrincipalName, body.passwordProfile.password);
    const me = await api(srv, tok)('GET', '/v1.0/me');
    expectStatus(me, 200);
    assert.equal(me.body.id, u.id);
  });

  test('ids are distinct', async () => {
    const a = expectStatus(await admin('POST', '/v1.0/users', userBody()), 201).body;
    const b = expectStatus(await admin('POST', '/v1.0/users', userBody()), 201).body;
    assert.notEqual(a.id, b.id);
  });

  test('a non-admin -> 403', async () => {
    expectGraphError(await bob.api('POST', '/v1.0/users', userBody()), 403);
  });

  test('anonymous -> 401', async () => {
    expectGraphError(await api(srv)('POST', '/v1.0/users', userBody()), 401);
  });

  test('duplicate userPrincipalName -> 409', async () => {
    const body = userBody();
    expectStatus(await admin('POST', '/v1.0/users', body), 201);
    expectGraphError(await admin('POST', '/v1.0/users', { ...body, displayName: 'Other' }), 409);
  });

  test('duplicate userPrincipalName in another case -> 409', async () => {
    const body = userBody();
    expectStatus(await admin('POST', '/v1.0/users', body), 201);
    const upper = body.userPrincipalName.toUpperCase();
    expectGraphError(await admin('POST', '/v1.0/users', { ...body, userPrincipalName: upper }), 409);
    const mixed = body.userPrincipalName[0].toUpperCase() + body.userPrincipalName.slice(1);
    expectGraphError(await admin('POST', '/v1.0/users', { ...body, userPrincipalName: mixed }), 409);
  });

  const invalid = [
    ['missing displayName', (b) => { delete b.displayName; }, 'displayName'],
    ['missing userPrincipalName', (b) => { delete b.userPrincipalName; }, 'userPrincipalName'],
    ['missing passwordProfile', (b) => { delete b.passwordProfile; }, /password/],
    ['missing passwordProfile.password', (b) => { b.passwordProfile = {}; }, /password/],
    ['displayName: 5', (b) => { b.displayName = 5; }, 'displayName'],
    ['displayName: null', (b) => { b.displayName = null; }, 'displayName'],
    ['displayName: ""', (b) => { b.displayName = ''; }, 'displayName'],
    ['userPrincipalName: 5', (b) => { b.userPrincipalName = 5; }, 'userPrincipalName'],
    ['userPrincipalName: ""', (b) => { b.userPrincipalName = ''; }, 'userPrincipalName'],
    ['passwordProfile: "x"', (b) => { b.passwordProfile = 'x'; }, /password/],
    ['passwordProfile.password: 12345678', (b) => { b.passwordProfile = { password: 12345678 }; }, /password/],
  ];
  for (const [name, mutate, mentions] of invalid) {
    test(`${name} -> 400 naming the field`, async () => {
      const body = userBody();
      mutate(body);
      expectGraphError(await admin('POST', '/v1.0/users', body), 400, mentions);
    });
  }

  test('malformed JSON -> 400', async () => {
    expectGraphError(await admin('POST', '/v1.0/users', '{"displayName": "x", '), 400);
  });

  test('a JSON array instead of an object -> 400', async () => {
    expectGraphError(await admin('POST', '/v1.0/users', '[]'), 400);
  });

  test('an empty body -> 400', async () => {
    expectGraphError(await admin('POST', '/v1.0/users', ''), 400);
  });

  // Refused on the headers, before the body is read (the client waits for 100 Continue).
  test('body larger than 1 MiB (Content-Length) -> 413', async () => {
    const body = JSON.stringify(userBody({ displayName: 'x'.repeat(MiB + 1024) }));
    const r = await rawRequest(srv, 'POST', '/v1.0/users', {
      headers: { Authorization: `Bearer ${srv.adminToken}`, 'Content-Type': 'application/json', Expect: '100-continue' },
      chunks: [body],
    });
    expectGraphError(r, 413);
  });

  test('body larger than 1 MiB (chunked, no Content-Length) -> 413', async () => {
    const chunk = Buffer.from('x'.repeat(64 * 1024));
    const chunks = ['{"displayName":"'];
    for (let i = 0; i < 18; i++) chunks.push(chunk); // 1.125 MiB
    chunks.push('","userPrincipalName":"big@switchboard.test","passwordProfile":{"password":"Passw0rd-big"}}');
    const r = await rawRequest(srv, 'POST', '/v1.0/users', {
      headers: { Authorization: `Bearer ${srv.adminToken}`, 'Content-Type': 'application/json' },
      chunks,
      chunked: true,
    });
    expectGraphError(r, 413);
  });

  test('a body just under 1 MiB is not refused as too large', async () => {
    const base = JSON.stringify(userBody({ displayName: '' }));
    const pad = MiB - base.length - 64;
    const body = JSON.stringify(userBody({ displayName: 'y'.repeat(pad) }));
    assert.ok(body.length < MiB);
    const r = await rawRequest(srv, 'POST', '/v1.0/users', {
      headers: { Authorization: `Bearer ${srv.adminToken}`, 'Content-Type': 'application/json' },
      chunks: [body],
    });
    assert.notEqual(r.status, 413, `a ${body.length}-byte body was refused as too large`);
    assert.ok([201, 400].includes(r.status), `got ${r.status} ${r.text.slice(0, 200)}`);
  });

  test('the server still answers after the oversized requests', async () => {
    expectStatus(await admin('GET', '/v1.0/me'), 200);
  });
});

describe('GET /v1.0/me and /v1.0/users/{id}', () => {
  test('GET /v1.0/me -> the caller', async () => {
    const r = await bob.api('GET', '/v1.0/me');
    expectStatus(r, 200);
    const me = expectJson(r);
    assert.equal(me.id, bob.id);
    assert.equal(me.displayName, bob.displayName);
    assert.equal(me.userPrincipalName, bob.userPrincipalName);
    assert.ok(!('passwordProfile' in me) || me.passwordProfile === null, 'no password data on /me');
  });

  test('GET /v1.0/users/{id} works for any signed-in user', async () => {
    const other = await newUser(srv, 'dave');
    const r = await bob.api('GET', `/v1.0/users/${other.id}`);
    expectStatus(r, 200);
    const u = expectJson(r);
    assert.equal(u.id, other.id);
    assert.equal(u.displayName, other.displayName);
    assert.equal(u.userPrincipalName, other.userPrincipalName);
  });

  test('GET /v1.0/users/{id} of oneself equals /me', async () => {
    const a = await bob.api('GET', `/v1.0/users/${bob.id}`);
    const b = await bob.api('GET', '/v1.0/me');
    expectStatus(a, 200);
    expectStatus(b, 200);
    assert.deepEqual(a.body, b.body);
  });

  test('unknown user id -> 404', async () => {
    expectGraphError(await bob.api('GET', '/v1.0/users/00000000-0000-4000-8000-000000000000'), 404);
  });

  test('a non-GUID user id -> 404 (or 400, as Graph)', async () => {
    expectGraphError(await bob.api('GET', '/v1.0/users/not-a-guid'), [400, 404]);
  });

  test('anonymous -> 401', async () => {
    expectGraphError(await api(srv)('GET', `/v1.0/users/${bob.id}`), 401);
  });
});
