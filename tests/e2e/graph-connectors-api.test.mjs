// Graph connectors: the rules of the API (plain HTTP; the SDK-level flow over HTTPS is in
// graph-connectors.test.mjs). Connections (ids, names, ticket and connectorId together,
// conflicts, patch, delete), schema (properties, types, flags, labels; the operation fails
// when a registered property would change), items (schema types, annotations, dates,
// content, ACLs, PATCH semantics, 4 MB, 429 with Retry-After), external groups and members,
// the token endpoint's refusals.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';

import { startServer, api, rawRequest, tempDir, newUser, randomToken, STORE } from './lib/server.mjs';
import { sharedCluster } from './lib/postgres.mjs';
import { expectStatus, expectGraphError, expectCollection } from './lib/graph.mjs';

async function registerApp(srv, admin, name = 'App') {
  const reg = await admin('POST', '/api/v1/admin/appRegistrations', { displayName: name });
  expectStatus(reg, 201);
  const oidc = await admin('GET', '/.well-known/openid-configuration');
  const tok = await api(srv)('POST', new URL(oidc.body.token_endpoint).pathname,
    new URLSearchParams({ client_id: reg.body.clientId, client_secret: reg.body.clientSecret, grant_type: 'client_credentials', scope: `${srv.url}/.default` }).toString(),
    { contentType: 'application/x-www-form-urlencoded' });
  expectStatus(tok, 200);
  return { reg: reg.body, token: tok.body.access_token, call: api(srv, tok.body.access_token), tokenPath: new URL(oidc.body.token_endpoint).pathname };
}

const SCHEMA = {
  baseType: 'microsoft.graph.externalItem',
  properties: [
    { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
    { name: 'count', type: 'int64', isQueryable: true, isRetrievable: true },
    { name: 'score', type: 'double', isRetrievable: true },
    { name: 'done', type: 'boolean', isRetrievable: true },
    { name: 'due', type: 'dateTime', isRetrievable: true },
    { name: 'tags', type: 'stringCollection', isSearchable: true, isRetrievable: true },
    { name: 'days', type: 'dateTimeCollection', isRetrievable: true },
  ],
};

async function readyConnection(app, id, schema = SCHEMA) {
  expectStatus(await app('POST', '/v1.0/external/connections', { id, name: id }), 201);
  const r = await app('PATCH', `/v1.0/external/connections/${id}/schema`, schema);
  expectStatus(r, 202);
  return waitOperation(app, r.headers.get('location'));
}

async function waitOperation(app, location) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const op = await app('GET', location);
    expectStatus(op, 200);
    if (op.body.status !== 'inprogress' || Date.now() > deadline) return op.body;
  }
}

const EVERYONE = [{ type: 'everyone', value: 'tenant', accessType: 'grant' }];

describe('Graph connectors API rules', () => {
  let srv;
  let admin;
  let app;

  before(async () => {
    srv = await startServer();
    admin = api(srv, srv.adminToken);
    app = (await registerApp(srv, admin)).call;
    const op = await readyConnection(app, 'rules');
    assert.equal(op.status, 'completed');
  });
  after(async () => { await srv.close(); });

  test('connection ids, names and the ticket rules', async () => {
    const bad = [
      [{ id: 'ab', name: 'x' }, '3 to 32'],
      [{ id: 'a'.repeat(33), name: 'x' }, '3 to 32'],
      [{ id: 'has-dash', name: 'x' }, 'letters and digits'],
      [{ id: 'MicrosoftThings', name: 'x' }, 'Microsoft'],
      [{ id: 'sharepoint', name: 'x' }, 'reserved'],
      [{ id: 'okid1', name: 'n'.repeat(129) }, 'name'],
      [{ id: 'okid2' }, 'name'],
      [{ id: 'okid3', name: 'x', connectorId: '5f2d9a4e-6c1b-4c3a-9f0e-2b7d8a1c4e6f' }, 'GraphConnectors-Ticket'],
      [{ id: 'okid4', name: 'x', configuration: 'no' }, 'configuration'],
    ];
    for (const [body, words] of bad) expectGraphError(await app('POST', '/v1.0/external/connections', body), 400, words);
    expectGraphError(await app('POST', '/v1.0/external/connections', { id: 'okid5', name: 'x' }, { headers: { 'GraphConnectors-Ticket': 't' } }), 400, 'connectorId');
    expectGraphError(await app('POST', '/v1.0/external/connections', { id: 'rules', name: 'again' }), 409);
    const c = await app('POST', '/v1.0/external/connections', { id: 'Wiki2', name: 'Wiki', description: 'Pages', configuration: { authorizedAppIds: [] } });
    expectStatus(c, 201);
    assert.equal(c.body.state, 'draft');
    assert.deepEqual(c.body.configuration, { authorizedAppIds: [] });
    assert.match(c.headers.get('location'), /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/external\/connections\/Wiki2$/);
    expectStatus(await app('PATCH', '/v1.0/external/connections/Wiki2', { name: 'Wiki pages' }), 204);
    const got = await app('GET', '/v1.0/external/connections/Wiki2');
    assert.equal(got.body.name, 'Wiki pages');
    assert.equal(got.body.description, 'Pages');
    expectGraphError(await app('PATCH', '/v1.0/external/connections/Wiki2', { id: 'other' }), 400, 'id');
    expectGraphError(await app('GET', '/v1.0/external/connections/Wiki2/schema'), 404, 'schema');
    expectStatus(await app('DELETE', '/v1.0/external/connections/Wiki2'), 202);
    expectGraphError(await app('GET', '/v1.0/external/connections/Wiki2'), 404);
    assert.deepEqual(expectCollection(await app('GET', '/v1.0/external/connections')).map((x) => x.id), ['rules']);
  });

  test('schema rules', async () => {
    expectStatus(await app('POST', '/v1.0/external/connections', { id: 'schemas', name: 'S' }), 201);
    const p = (props) => ({ baseType: 'microsoft.graph.externalItem', properties: props });
    const many = Array.from({ length: 129 }, (_, i) => ({ name: `p${i}`, type: 'string' }));
    const bad = [
      [{ properties: [{ name: 'a', type: 'string' }] }, 'baseType'],
      [p([]), '1 to 128'],
      [p(many), '1 to 128'],
      [p([{ name: 'has space', type: 'string' }]), 'letters or digits'],
      [p([{ name: 'a'.repeat(33), type: 'string' }]), 'letters or digits'],
      [p([{ name: 'a', type: 'text' }]), 'type'],
      [p([{ name: 'n', type: 'int64', isSearchable: true }]), 'only string'],
      [p([{ name: 's', type: 'string', isSearchable: true, isRefinable: true }]), 'refinable'],
      [p([{ name: 's', type: 'string', isSearchable: 'maybe' }]), 'true or false'],
      [p([{ name: 's', type: 'string' }, { name: 'S', type: 'string' }]), 'twice'],
      [p([{ name: 's', type: 'string', labels: ['title'] }, { name: 't', type: 'string', labels: ['title'] }]), 'title'],
      [p([{ name: 'd', type: 'int64', labels: ['createdDateTime'] }]), 'dateTime'],
      [p([{ name: 's', type: 'string', labels: ['headline'] }]), 'labels'],
      [p([{ name: 's', type: 'string', aliases: ['bad alias'] }]), 'aliases'],
    ];
    for (const [body, words] of bad) expectGraphError(await app('PATCH', '/v1.0/external/connections/schemas/schema', body), 400, words);
    assert.equal((await app('GET', '/v1.0/external/connections/schemas')).body.state, 'draft', 'nothing registered');
    // Microsoft's own example: capitalised types and string booleans.
    const r = await app('PATCH', '/v1.0/external/connections/schemas/schema', p([
      { name: 'ticketTitle', type: 'String', isSearchable: 'true', isRetrievable: 'true', labels: ['title'] },
      { name: 'priority', type: 'String', isQueryable: 'true', isRetrievable: 'true', isSearchable: 'false' },
    ]));
    expectStatus(r, 202);
    assert.equal((await waitOperation(app, r.headers.get('location'))).status, 'completed');
    const got = await app('GET', '/v1.0/external/connections/schemas/schema');
    expectStatus(got, 200);
    assert.deepEqual(got.body.properties.map((x) => [x.name, x.type, x.isSearchable]), [['ticketTitle', 'string', true], ['priority', 'string', false]]);
    assert.equal((await app('GET', '/v1.0/external/connections/schemas')).body.state, 'ready');
    // Adding a property is fine; changing or removing a registered one fails the operation.
    const add = await app('PATCH', '/v1.0/external/connections/schemas/schema', p([...got.body.properties, { name: 'owner', type: 'string' }]));
    assert.equal((await waitOperation(app, add.headers.get('location'))).status, 'completed');
    const change = await app('PATCH', '/v1.0/external/connections/schemas/schema', p([{ name: 'ticketTitle', type: 'int64' }]));
    const failed = await waitOperation(app, change.headers.get('location'));
    assert.equal(failed.status, 'failed');
    assert.match(failed.error.message, /ticketTitle/);
    expectGraphError(await app('GET', '/v1.0/external/connections/schemas/operations/00000000-0000-4000-8000-000000000000'), 404);
  });

  test('items are checked against the schema', async () => {
    const put = (id, body) => app('PUT', `/v1.0/external/connections/rules/items/${id}`, body);
    const ok = {
      acl: EVERYONE,
      properties: {
        title: 'Día de pago', 'title@odata.type': 'String', count: 3, score: 1.5, done: false, due: '2026-03-01T10:00:00Z',
        'tags@odata.type': 'Collection(String)', tags: ['a', 'b'],
        'days@odata.type': 'Collection(DateTimeOffset)', days: ['2026-03-01T10:00:00Z'],
      },
      content: { value: '<p>Pay <b>day</b></p>', type: 'html' },
    };
    const r = await put('I1', ok);
    expectStatus(r, 200);
    const got = await app('GET', '/v1.0/external/connections/rules/items/I1');
    expectStatus(got, 200);
    assert.equal(got.body.properties.title, 'Día de pago');
    assert.deepEqual(got.body.properties.tags, ['a', 'b']);
    assert.deepEqual(got.body.content, { value: '<p>Pay <b>day</b></p>', type: 'html' });
    const bad = [
      [{ ...ok, properties: { nope: 1 } }, 'nope'],
      [{ ...ok, properties: { count: 'three' } }, 'count'],
      [{ ...ok, properties: { count: 1.5 } }, 'count'],
      [{ ...ok, properties: { due: 'yesterday' } }, 'due'],
      [{ ...ok, properties: { done: 'yes' } }, 'done'],
      [{ ...ok, properties: { tags: ['a'] } }, 'Collection(String)'],
      [{ ...ok, properties: { tags: ['a', 2], 'tags@odata.type': 'Collection(String)' } }, 'tags[1]'],
      [{ ...ok, properties: { days: ['x'], 'days@odata.type': 'Collection(DateTime)' } }, 'Collection(DateTimeOffset)'],
      [{ ...ok, properties: {} }, 'properties'],
      [{ ...ok, acl: [] }, 'acl'],
      [{ ...ok, acl: [{ type: 'user', value: 'not-a-guid', accessType: 'grant' }] }, 'acl[0]'],
      [{ ...ok, acl: [{ type: 'everyone', value: 't', accessType: 'allow' }] }, 'accessType'],
      [{ ...ok, content: { value: 'x', type: 'pdf' } }, 'content.type'],
      [{ ...ok, id: 'other' }, 'id'],
    ];
    for (const [body, words] of bad) expectGraphError(await put('I2', body), 400, words);
    expectGraphError(await put('bad*id', ok), 400, 'item id');
    expectGraphError(await app('GET', '/v1.0/external/connections/rules/items/I2'), 404);
    // PATCH replaces what it names; the rest stays.
    const patched = await app('PATCH', '/v1.0/external/connections/rules/items/I1', { properties: { title: 'Renamed' } });
    expectStatus(patched, 200);
    assert.deepEqual(patched.body.properties, { title: 'Renamed' });
    assert.deepEqual(patched.body.acl, EVERYONE);
    assert.equal(patched.body.content.type, 'html');
    expectGraphError(await app('PATCH', '/v1.0/external/connections/rules/items/I9', { properties: { title: 'x' } }), 404);
    expectStatus(await app('DELETE', '/v1.0/external/connections/rules/items/I1'), 204);
    expectGraphError(await app('DELETE', '/v1.0/external/connections/rules/items/I1'), 404);
    // Items need a registered schema.
    expectStatus(await app('POST', '/v1.0/external/connections', { id: 'noschema', name: 'n' }), 201);
    expectGraphError(await app('PUT', '/v1.0/external/connections/noschema/items/A', ok), 400, 'schema');
  });

  // Refused on its headers (Content-Length over the limit), before any of the body is read: the
  // client waits for 100 Continue as curl does for large bodies, so it is not cut off mid-send.
  test('an item body over 4 MB is refused with 413', async () => {
    const big = JSON.stringify({ acl: EVERYONE, properties: { title: 'big' }, content: { value: 'x'.repeat(4_000_001), type: 'text' } });
    const r = await rawRequest(srv, 'PUT', '/v1.0/external/connections/rules/items/Big', {
      headers: { Authorization: `Bearer ${(await registerApp(srv, admin, 'Big')).token}`, 'Content-Type': 'application/json', Expect: '100-continue' },
      chunks: [big],
    });
    assert.equal(r.status, 413);
  });

  test('external groups and members', async () => {
    const g = await app('POST', '/v1.0/external/connections/rules/groups', { id: 'ops', displayName: 'Operations' });
    expectStatus(g, 201);
    assert.equal(g.body.displayName, 'Operations');
    expectGraphError(await app('POST', '/v1.0/external/connections/rules/groups', { id: 'ops' }), 409);
    expectGraphError(await app('POST', '/v1.0/external/connections/rules/groups', { id: 'bad id' }), 400, 'id');
    expectStatus(await app('PATCH', '/v1.0/external/connections/rules/groups/ops', { description: 'On call' }), 204);
    assert.equal((await app('GET', '/v1.0/external/connections/rules/groups/ops')).body.description, 'On call');
    const user = (await admin('GET', '/v1.0/me')).body.id;
    const m = await app('POST', '/v1.0/external/connections/rules/groups/ops/members', { id: user, type: 'user' });
    expectStatus(m, 201);
    assert.deepEqual({ id: m.body.id, type: m.body.type }, { id: user, type: 'user' });
    expectGraphError(await app('POST', '/v1.0/external/connections/rules/groups/ops/members', { id: user, type: 'user' }), 409);
    expectGraphError(await app('POST', '/v1.0/external/connections/rules/groups/ops/members', { id: 'x', type: 'robot' }), 400, 'type');
    expectGraphError(await app('POST', '/v1.0/external/connections/rules/groups/ops/members', { id: 'ops', type: 'externalGroup' }), 400, 'itself');
    expectStatus(await app('POST', '/v1.0/external/connections/rules/groups/ops/members', { id: 'nested', type: 'externalGroup' }), 201);
    assert.deepEqual(expectCollection(await app('GET', '/v1.0/external/connections/rules/groups/ops/members')).map((x) => x.type).sort(), ['externalGroup', 'user']);
    expectStatus(await app('DELETE', `/v1.0/external/connections/rules/groups/ops/members/${user}`), 204);
    expectGraphError(await app('DELETE', `/v1.0/external/connections/rules/groups/ops/members/${user}`), 404);
    expectStatus(await app('DELETE', '/v1.0/external/connections/rules/groups/ops'), 204);
    expectGraphError(await app('GET', '/v1.0/external/connections/rules/groups/ops'), 404);
  });

  test('the token endpoint refuses what it should', async () => {
    const { reg, tokenPath } = await registerApp(srv, admin, 'Tokens');
    const form = (o) => new URLSearchParams(o).toString();
    const post = (body, path = tokenPath) => api(srv)('POST', path, body, { contentType: 'application/x-www-form-urlencoded' });
    const good = { client_id: reg.clientId, client_secret: reg.clientSecret, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' };
    let r = await post(form({ ...good, grant_type: 'password' }));
    assert.deepEqual([r.status, r.body.error], [400, 'unsupported_grant_type']);
    r = await post(form({ ...good, client_secret: 'wrong' }));
    assert.deepEqual([r.status, r.body.error], [401, 'invalid_client']);
    r = await post(form({ ...good, client_id: '00000000-0000-4000-8000-000000000000' }));
    assert.deepEqual([r.status, r.body.error], [401, 'invalid_client']);
    r = await post(form({ ...good, scope: 'https://graph.microsoft.com/User.Read' }));
    assert.deepEqual([r.status, r.body.error], [400, 'invalid_scope']);
    r = await post(form(good), '/00000000-0000-4000-8000-000000000000/oauth2/v2.0/token');
    assert.deepEqual([r.status, r.body.error], [400, 'invalid_request']);
    r = await post('%zz=1');
    assert.deepEqual([r.status, r.body.error], [400, 'invalid_request']);
    r = await post(form({ ...good, client_id: reg.clientId.toUpperCase() }));
    expectStatus(r, 200, 'client ids are GUIDs in any case');
    r = await post(form(good));
    expectStatus(r, 200);
    const [, payload] = r.body.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    assert.equal(claims.appid, reg.clientId);
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.deepEqual(claims.roles, ['ExternalConnection.ReadWrite.OwnedBy', 'ExternalItem.ReadWrite.OwnedBy']);
    assert.equal(claims.iss, srv.url);
    assert.equal(claims.exp - claims.iat, 3599);
    // Only administrators manage registrations.
    const list = expectCollection(await admin('GET', '/api/v1/admin/appRegistrations'));
    assert.ok(list.some((x) => x.clientId === reg.clientId && !('clientSecret' in x)));
  });
});

describe('Graph connectors: search shows only retrievable properties', () => {
  let srv;
  let app;
  let person;

  before(async () => {
    srv = await startServer();
    app = (await registerApp(srv, api(srv, srv.adminToken))).call;
    person = await newUser(srv, 'searcher');
    const op = await readyConnection(app, 'secrets', {
      baseType: 'microsoft.graph.externalItem',
      properties: [
        { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
        // Searchable but not retrievable: finds the item, never shown.
        { name: 'internalNotes', type: 'string', isSearchable: true, isRetrievable: false },
        { name: 'costCentre', type: 'string', isQueryable: true, isRetrievable: false, labels: ['url'] },
        { name: 'owner', type: 'string', isRetrievable: true },
      ],
    });
    assert.equal(op.status, 'completed');
    expectStatus(await app('PUT', '/v1.0/external/connections/secrets/items/S1', {
      acl: EVERYONE,
      properties: { title: 'Quarterly plan', internalNotes: 'layoffs zanzibar', costCentre: 'https://cc.example/4711', owner: 'Ann' },
      content: { value: 'Plans for the quarter.', type: 'text' },
    }), 200);
  });
  after(async () => { await srv.close(); });

  const search = async (queryString, extra = {}) => {
    const r = await person.api('POST', '/v1.0/search/query', {
      requests: [{ entityTypes: ['externalItem'], contentSources: ['/external/connections/secrets'], query: { queryString }, ...extra }],
    });
    expectStatus(r, 200);
    return r.body.value[0].hitsContainers[0].hits;
  };

  test('isRetrievable: false properties stay searchable but are left out of hits, even when asked for', async () => {
    for (const [words, extra] of [['quarterly', {}], ['zanzibar', {}], ['quarterly', { fields: ['internalNotes', 'costCentre', 'owner'] }]]) {
      const hits = await search(words, extra);
      assert.deepEqual(hits.map((h) => h.hitId), ['S1'], `${words} ${JSON.stringify(extra)}`);
      const props = hits[0].resource.properties;
      assert.equal('internalNotes' in props, false, JSON.stringify(props));
      assert.equal('costCentre' in props, false, JSON.stringify(props));
      assert.equal(JSON.stringify(hits[0].resource).includes('4711'), false);
      assert.equal('url' in hits[0].labels, false, 'a label on a hidden property is hidden too');
      // The content lacks the word, so the summary quotes the properties: only retrievable ones.
      assert.doesNotMatch(hits[0].summary, /zanzibar|layoffs/, hits[0].summary);
    }
    assert.match((await search('quarterly')).at(0).summary, /<c0>Quarterly<\/c0> plan/);
    assert.deepEqual((await search('quarterly')).at(0).resource.properties, { title: 'Quarterly plan', owner: 'Ann' });
    assert.deepEqual((await search('quarterly', { fields: ['internalNotes', 'owner'] })).at(0).resource.properties, { owner: 'Ann' });
  });

  test('a query word longer than 64 bytes is cut on a character, not inside one', async () => {
    const word = 'x' + '\u00e9'.repeat(40);
    const r = await person.api('POST', '/v1.0/search/query', {
      requests: [{ entityTypes: ['externalItem'], contentSources: ['/external/connections/secrets'], query: { queryString: `${word} plan` } }],
    });
    expectStatus(r, 200);
    assert.deepEqual(r.body.value[0].searchTerms, ['x' + '\u00e9'.repeat(31), 'plan']);
  });
});

describe('Graph connectors: certificate credentials', () => {
  let srv;
  let admin;
  let dir;
  before(async () => { srv = await startServer(); admin = api(srv, srv.adminToken); dir = tempDir('sb-e2e-gc-cert-'); });
  after(async () => { await srv.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  function keyPair(name, bits = 2048) {
    const key = path.join(dir, `${name}.key`);
    const cert = path.join(dir, `${name}.pem`);
    execFileSync('openssl', ['req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-days', '2', '-keyout', key, '-out', cert, '-subj', `/CN=${name}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
  }

  test('an app with a registered certificate gets tokens with a signed client assertion (RS256, PS256)', async () => {
    const mine = keyPair('mine');
    const other = keyPair('other');
    expectGraphError(await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Bad', certificate: 'not a pem' }), 400, 'certificate');
    expectGraphError(await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Small', certificate: keyPair('small', 1024).cert }), 400, '2048');
    const reg = await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Cert app', certificate: mine.cert });
    expectStatus(reg, 201);
    assert.equal(reg.body.hasCertificate, true);
    const oidc = await admin('GET', '/.well-known/openid-configuration');
    const endpoint = oidc.body.token_endpoint;
    const assertion = async (pem, { alg = 'RS256', aud = endpoint, iss = reg.body.clientId, exp = '10m' } = {}) =>
      new SignJWT({}).setProtectedHeader({ alg }).setIssuer(iss).setSubject(iss).setAudience(aud)
        .setIssuedAt().setNotBefore('0s').setExpirationTime(exp).setJti(crypto.randomUUID())
        .sign(await importPKCS8(pem, alg));
    const ask = (a) => api(srv)('POST', new URL(endpoint).pathname, new URLSearchParams({
      client_id: reg.body.clientId, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: a,
    }).toString(), { contentType: 'application/x-www-form-urlencoded' });
    for (const alg of ['RS256', 'PS256']) {
      const r = await ask(await assertion(mine.key, { alg }));
      expectStatus(r, 200, alg);
      const app = api(srv, r.body.access_token);
      assert.deepEqual(expectCollection(await app('GET', '/v1.0/external/connections')), []);
    }
    for (const [why, a] of [
      ['another key', await assertion(other.key)],
      ['another audience', await assertion(mine.key, { aud: `${srv.url}/other` })],
      ['another issuer', await assertion(mine.key, { iss: crypto.randomUUID() })],
      ['expired', await assertion(mine.key, { exp: Math.floor(Date.now() / 1000) - 3600 })],
      ['not a JWT', 'x.y.z'],
    ]) {
      const r = await ask(a);
      assert.deepEqual([r.status, r.body.error], [401, 'invalid_client'], why);
    }
  });

  test('a client assertion is good for one token: the same assertion again (a replay) or one without a jti -> 401 invalid_client', async () => {
    const mine = keyPair('replay');
    const reg = expectStatus(await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Replay app', certificate: mine.cert }), 201).body;
    const endpoint = (await admin('GET', '/.well-known/openid-configuration')).body.token_endpoint;
    const sign = async (jti) => {
      const jwt = new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(reg.clientId).setSubject(reg.clientId)
        .setAudience(endpoint).setIssuedAt().setNotBefore('0s').setExpirationTime('10m');
      if (jti) jwt.setJti(jti);
      return jwt.sign(await importPKCS8(mine.key, 'RS256'));
    };
    const ask = (a) => api(srv)('POST', new URL(endpoint).pathname, new URLSearchParams({
      client_id: reg.clientId, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: a,
    }).toString(), { contentType: 'application/x-www-form-urlencoded' });
    const once = await sign(crypto.randomUUID());
    expectStatus(await ask(once), 200, 'first use');
    const again = await ask(once);
    assert.deepEqual([again.status, again.body.error], [401, 'invalid_client'], 'replay');
    assert.match(again.body.error_description, /already used/);
    // A new assertion (new jti) still works; one without a jti cannot be remembered: refused.
    expectStatus(await ask(await sign(crypto.randomUUID())), 200, 'a new assertion');
    const bare = await ask(await sign(null));
    assert.deepEqual([bare.status, bare.body.error], [401, 'invalid_client'], 'no jti');
  });
});

describe('Graph connectors: client assertions across two server processes', () => {
  const skip = STORE !== 'postgres' && 'needs PostgreSQL (SB_STORE=postgres): SQLite serves one process';
  let a;
  let b;
  let dir;
  before(async () => {
    if (skip) return;
    dir = tempDir('sb-e2e-gc-jti-');
    const url = await (await sharedCluster()).createDatabase();
    const adminToken = randomToken();
    // One public URL for both, as behind a load balancer: the assertion's audience is the same.
    const args = ['--db', url, '--public-url', 'http://switchboard.test'];
    a = await startServer({ adminToken, args });
    b = await startServer({ adminToken, args });
  });
  after(async () => {
    if (a) await a.close();
    if (b) await b.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an assertion used on node A is a replay on node B', { skip }, async () => {
    const key = path.join(dir, 'k.key');
    const cert = path.join(dir, 'k.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', key, '-out', cert, '-subj', '/CN=jti'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const admin = api(a, a.adminToken);
    const reg = expectStatus(await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Two nodes', certificate: fs.readFileSync(cert, 'utf8') }), 201).body;
    const endpoint = (await admin('GET', '/.well-known/openid-configuration')).body.token_endpoint;
    const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(reg.clientId).setSubject(reg.clientId)
      .setAudience(endpoint).setIssuedAt().setNotBefore('0s').setExpirationTime('10m').setJti(crypto.randomUUID())
      .sign(await importPKCS8(fs.readFileSync(key, 'utf8'), 'RS256'));
    const ask = (node) => api(node)('POST', new URL(endpoint).pathname, new URLSearchParams({
      client_id: reg.clientId, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion,
    }).toString(), { contentType: 'application/x-www-form-urlencoded' });
    expectStatus(await ask(a), 200, 'first use, on A');
    const replay = await ask(b);
    assert.deepEqual([replay.status, replay.body.error], [401, 'invalid_client'], 'replay on B');
    assert.match(replay.body.error_description, /already used/);
  });
});

describe('Graph connectors: item ingestion rate', () => {
  let srv;
  before(async () => { srv = await startServer({ args: ['--graph-item-rate', '0.01'] }); });
  after(async () => { await srv.close(); });

  test('over the rate a PUT gets 429 with Retry-After, and nothing is stored', async () => {
    const admin = api(srv, srv.adminToken);
    const { call: app } = await registerApp(srv, admin);
    await readyConnection(app, 'rated');
    const body = { acl: EVERYONE, properties: { title: 'one' } };
    expectStatus(await app('PUT', '/v1.0/external/connections/rated/items/A', body), 200);
    const r = await app('PUT', '/v1.0/external/connections/rated/items/B', body);
    expectGraphError(r, 429);
    assert.ok(Number(r.headers.get('retry-after')) >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
    expectGraphError(await app('GET', '/v1.0/external/connections/rated/items/B'), 404);
  });
});

describe('/api/v1/admin/applications: the contract\'s form of app registrations', () => {
  let srv;
  let admin;
  let tokenPath;

  const tokenFor = (appId, secret) => api(srv)('POST', tokenPath,
    new URLSearchParams({ client_id: appId, client_secret: secret, grant_type: 'client_credentials', scope: `${srv.url}/.default` }).toString(),
    { contentType: 'application/x-www-form-urlencoded' });

  before(async () => {
    srv = await startServer();
    admin = api(srv, srv.adminToken);
    tokenPath = new URL((await admin('GET', '/.well-known/openid-configuration')).body.token_endpoint).pathname;
  });

  after(async () => {
    if (srv) await srv.close();
  });

  test('POST {displayName} -> 201 {appId, clientSecret, tenantId}; appId is the token endpoint\'s client_id', async () => {
    const r = await admin('POST', '/api/v1/admin/applications', { displayName: 'Contract app' });
    expectStatus(r, 201);
    assert.match(r.body.appId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(typeof r.body.clientSecret, 'string');
    assert.ok(tokenPath.startsWith(`/${r.body.tenantId}/`), `${tokenPath} names tenant ${r.body.tenantId}`);
    assert.equal(r.body.displayName, 'Contract app');
    const tok = await tokenFor(r.body.appId, r.body.clientSecret);
    expectStatus(tok, 200);
    assert.equal(tok.body.token_type, 'Bearer');
    // The list shows it without its secret, under both routes.
    const listed = expectCollection(await admin('GET', '/api/v1/admin/applications')).find((x) => x.appId === r.body.appId);
    assert.ok(listed && !('clientSecret' in listed), JSON.stringify(listed));
    assert.equal(listed.tenantId, r.body.tenantId);
    const older = expectCollection(await admin('GET', '/api/v1/admin/appRegistrations')).find((x) => x.clientId === r.body.appId);
    assert.ok(older, 'the appRegistrations alias lists the same registration');
    // DELETE by appId: its tokens stop.
    expectStatus(await admin('DELETE', `/api/v1/admin/applications/${r.body.appId}`), 204);
    assert.notEqual((await tokenFor(r.body.appId, r.body.clientSecret)).status, 200);
    assert.ok(!expectCollection(await admin('GET', '/api/v1/admin/applications')).some((x) => x.appId === r.body.appId));
  });

  test('refusals change nothing: appId in the body, an unknown teamsAppId, a person who is not an admin', async () => {
    const before = expectCollection(await admin('GET', '/api/v1/admin/applications')).length;
    expectGraphError(await admin('POST', '/api/v1/admin/applications', { displayName: 'X', appId: '00000000-0000-4000-8000-000000000001' }), 400, 'teamsAppId');
    expectGraphError(await admin('POST', '/api/v1/admin/applications', { displayName: 'X', teamsAppId: '00000000-0000-4000-8000-000000000001' }), 400);
    expectGraphError(await admin('POST', '/api/v1/admin/applications', {}), 400);
    const person = await newUser(srv, 'plain');
    expectGraphError(await person.api('POST', '/api/v1/admin/applications', { displayName: 'X' }), 403);
    expectGraphError(await person.api('GET', '/api/v1/admin/applications'), 403);
    assert.equal(expectCollection(await admin('GET', '/api/v1/admin/applications')).length, before);
  });

  test('the appRegistrations alias still answers in its own form', async () => {
    const r = await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Alias app' });
    expectStatus(r, 201);
    assert.equal(typeof r.body.clientId, 'string');
    expectStatus(await tokenFor(r.body.clientId, r.body.clientSecret), 200);
    expectStatus(await admin('DELETE', `/api/v1/admin/appRegistrations/${r.body.clientId}`), 204);
  });
});
