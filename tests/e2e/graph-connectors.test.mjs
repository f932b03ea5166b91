// Graph connectors end to end: the Teams-app admin flow with a sample connector app written
// against Microsoft Graph (@azure/msal-node, @microsoft/microsoft-graph-client, jose), changed
// only in its base URLs. The server serves HTTPS with a throwaway certificate the app trusts
// through NODE_EXTRA_CA_CERTS; the app's notification endpoint is plain http on 127.0.0.1,
// allowed through outboundAllowedHosts.
//
// admin enables -> the app receives and validates the notification -> creates the connection
// with the ticket -> registers the schema -> polls the operation -> ingests items with ACLs ->
// people search and see only what the ACLs grant them -> admin disables -> the app deletes its
// connections. Then: the retry schedule (500 twice, then 202, with a server kill -9 in
// between) and a notification that is dropped at the end of the schedule.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { startServer, tempDir, uniqueUpn, randomToken } from './lib/server.mjs';
import { expectStatus, expectGraphError, expectCollection, uniqueName } from './lib/graph.mjs';
import { appPackage } from './lib/package.mjs';
import { makeCert, httpsApi, SampleApp } from './lib/graphconn.mjs';

const CONNECTION = 'contosotickets';

function q(queryString, extra = {}) {
  return { requests: [{ entityTypes: ['externalItem'], contentSources: [`/external/connections/${CONNECTION}`], query: { queryString }, ...extra }] };
}

function hitsOf(res) {
  expectStatus(res, 200);
  return res.body.value[0].hitsContainers[0];
}

// One installation with the sample app registered and its notificationUrl allowed.
async function setUp({ retryMs = 20, failFirst = 0, items = [], groups = [], certificate = false } = {}) {
  const dir = tempDir('sb-e2e-gc-');
  const { cert, key } = makeCert(dir);
  const srv = await startServer({ args: ['--tls-cert', cert, '--tls-key', key, '--graph-notify-retry-ms', String(retryMs)] });
  const admin = httpsApi(srv, srv.adminToken, cert);
  const oidc = await admin('GET', '/.well-known/openid-configuration');
  expectStatus(oidc, 200);
  const tenantId = new URL(oidc.body.token_endpoint).pathname.split('/')[1];
  const clientId = crypto.randomUUID();
  const app = new SampleApp({
    authorityHost: srv.url, graphBase: srv.url, tenantId, clientId, connectionId: CONNECTION, failFirst, items, groups,
  }, cert);
  const { port } = await app.waitFor((e) => e.event === 'listening', { what: 'the app to listen' });
  const manifestId = crypto.randomUUID();
  const pkg = appPackage({
    manifestVersion: '1.17', id: manifestId, connectors: undefined,
    graphConnector: { notificationUrl: `http://127.0.0.1:${port}/notify` },
    webApplicationInfo: { id: clientId, resource: `api://${clientId}` },
  });
  const pub = await admin('POST', '/v1.0/appCatalogs/teamsApps', pkg, { contentType: 'application/zip' });
  expectStatus(pub, 201);
  expectStatus(await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${port}`] }), 200);
  // The app's credential: its secret, or (certificate: true) a key pair whose certificate the
  // administrator registers, as Entra app registrations take certificates.
  let cred = null;
  if (certificate) {
    const keyFile = path.join(dir, 'app.key');
    const certFile = path.join(dir, 'app.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=Contoso Tickets'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const pem = fs.readFileSync(certFile, 'utf8');
    cred = { pem, certificate: { privateKey: fs.readFileSync(keyFile, 'utf8'), thumbprintSha256: new crypto.X509Certificate(pem).fingerprint256.replace(/:/g, '') } };
  }
  const reg = await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Contoso Tickets', appId: pub.body.id, ...(cred ? { certificate: cred.pem } : {}) });
  expectStatus(reg, 201);
  assert.equal(reg.body.clientId, clientId, 'the client id is the manifest webApplicationInfo.id');
  assert.match(reg.body.clientSecret, /^sbcs_[A-Za-z0-9_-]{43}$/);
  app.configure(cred ? { certificate: cred.certificate } : { clientSecret: reg.body.clientSecret });
  await app.waitFor((e) => e.event === 'configured', { what: 'the secret to arrive' });
  return { dir, cert, srv, admin, app, tenantId, clientId, manifestId, appId: pub.body.id, secret: reg.body.clientSecret };
}

async function tearDown(env) {
  if (!env) return;
  await env.app.close();
  await env.srv.close();
}

async function newPerson(env, label) {
  const upn = uniqueUpn(label);
  const password = 'Passw0rd-' + randomToken(6);
  const u = await env.admin('POST', '/v1.0/users', { displayName: label, userPrincipalName: upn, passwordProfile: { password } });
  expectStatus(u, 201);
  const t = await httpsApi(env.srv, null, env.cert)('POST', '/api/v1/tokens', { userPrincipalName: upn, password });
  expectStatus(t, 201);
  return { id: u.body.id, api: httpsApi(env.srv, t.body.token, env.cert) };
}

async function appToken(env, clientId, secret, scope = 'https://graph.microsoft.com/.default') {
  return httpsApi(env.srv, null, env.cert)('POST', `/${env.tenantId}/oauth2/v2.0/token`,
    new URLSearchParams({ client_id: clientId, client_secret: secret, grant_type: 'client_credentials', scope }).toString(),
    { contentType: 'application/x-www-form-urlencoded' });
}

describe('Graph connectors: the admin flow with a sample app', () => {
  let env;
  let alice; let bob; let carol;
  let team;

  before(async () => {
    // The people and the team exist before the app is configured with its items.
    const probe = await setUp();
    env = probe;
    alice = await newPerson(env, 'alice');
    bob = await newPerson(env, 'bob');
    carol = await newPerson(env, 'carol');
    const t = await alice.api('POST', '/v1.0/teams', { displayName: uniqueName('Sales') });
    expectStatus(t, 201);
    team = t.body;
    const item = (id, title, content, acl, extra = {}) => ({
      id, acl, content,
      properties: { ticketTitle: title, url: `https://tickets.contoso.example/${id}`, iconUrl: 'https://tickets.contoso.example/icon.png', priority: 1, tags: ['billing'], opened: '2026-01-02T03:04:05Z', ...extra },
    });
    const grant = (type, value) => ({ type, value, accessType: 'grant' });
    const deny = (type, value) => ({ type, value, accessType: 'deny' });
    env.app.configure({
      groups: [{ id: 'helpdesk', displayName: 'Helpdesk', members: [{ id: carol.id, type: 'user' }] }],
      items: [
        item('T1', 'Payment gateway error', 'The payment gateway answers 500 for card payments.', [grant('user', alice.id)]),
        item('T2', 'Payment page slow', 'Checkout takes long.', [grant('everyone', env.tenantId), deny('user', bob.id)]),
        item('T3', 'Refunds delayed', 'Payment refunds wait for approval.', [grant('group', team.id)]),
        item('T4', 'Payment export', 'Export of payment data for the helpdesk.', [grant('externalGroup', 'helpdesk')]),
        item('T5', 'Payment audit <script>alert(1)</script>', 'Yearly payment audit.', [grant('everyoneExceptGuests', env.tenantId), deny('externalGroup', 'helpdesk')]),
        item('T6', 'Printer jam', 'The printer on floor 2 jams.', [grant('everyone', env.tenantId)]),
      ],
    });
    await env.app.waitFor((e) => e.event === 'configured', { what: 'the items to arrive', from: env.app.events.length - 1 });
  });

  after(async () => { await tearDown(env); });

  test('the admin page lists the app, off, with its registration', async () => {
    const list = await env.admin('GET', '/api/v1/admin/graphConnectors');
    const entry = expectCollection(list).find((a) => a.appId === env.appId);
    assert.ok(entry, JSON.stringify(list.body));
    assert.equal(entry.enabled, false);
    assert.equal(entry.connectorId, env.manifestId);
    assert.equal(entry.registrations[0].clientId, env.clientId);
    assert.deepEqual(entry.connections, []);
    assert.equal('clientSecret' in entry.registrations[0], false, 'the secret is shown only once');
  });

  test('enabling notifies the app, which creates its connection with the ticket and ingests items', async () => {
    const on = await env.admin('PATCH', `/api/v1/admin/graphConnectors/${env.appId}`, { enabled: true });
    expectStatus(on, 200);
    const n = await env.app.waitFor((e) => e.event === 'notification', { what: 'the enable notification' });
    assert.equal(n.state, 'enabled');
    await env.app.waitFor((e) => e.event === 'ready', { what: 'the connection to be ready with its items' });
    const list = await env.admin('GET', '/api/v1/admin/graphConnectors');
    const entry = expectCollection(list).find((a) => a.appId === env.appId);
    assert.equal(entry.enabled, true);
    assert.equal(entry.notification.state, 'done');
    assert.deepEqual(entry.connections.map((c) => [c.id, c.state, c.itemCount]), [[CONNECTION, 'ready', 6]]);
    const audit = await env.admin('GET', '/api/v1/admin/audit');
    assert.ok(audit.body.value.some((a) => a.action === 'graphConnector.enable' && a.target === env.appId), 'audited');
  });

  test('a person sees only what the ACLs grant them (deny wins, teams and external groups count)', async () => {
    const ids = async (who, extra) => hitsOf(await who.api('POST', '/v1.0/search/query', q('payment', extra))).hits.map((h) => h.hitId).sort();
    assert.deepEqual(await ids(alice), ['T1', 'T2', 'T3', 'T5']);
    assert.deepEqual(await ids(bob), ['T5']);
    assert.deepEqual(await ids(carol), ['T2', 'T4']);
  });

  test('hits carry properties, labels and a highlighted summary; paging is exact after trimming', async () => {
    const first = hitsOf(await alice.api('POST', '/v1.0/search/query', q('payment', { from: 0, size: 2 })));
    assert.equal(first.total, 4);
    assert.equal(first.moreResultsAvailable, true);
    assert.equal(first.hits.length, 2);
    const second = hitsOf(await alice.api('POST', '/v1.0/search/query', q('payment', { from: 2, size: 2 })));
    assert.equal(second.hits.length, 2);
    assert.equal(second.moreResultsAvailable, false);
    assert.deepEqual([...first.hits, ...second.hits].map((h) => h.hitId).sort(), ['T1', 'T2', 'T3', 'T5']);
    assert.deepEqual([...first.hits, ...second.hits].map((h) => h.rank), [1, 2, 3, 4]);
    const t1 = [...first.hits, ...second.hits].find((h) => h.hitId === 'T1');
    assert.match(t1.summary, /<c0>payment<\/c0>/i);
    assert.equal(t1.contentSource, `/external/connections/${CONNECTION}`);
    assert.equal(t1.resource['@odata.type'], '#microsoft.graph.externalConnectors.externalItem');
    assert.equal(t1.resource.properties.ticketTitle, 'Payment gateway error');
    assert.equal(t1.labels.title, 'Payment gateway error');
    assert.equal(t1.labels.url, 'https://tickets.contoso.example/T1');
    const fields = hitsOf(await alice.api('POST', '/v1.0/search/query', q('gateway', { fields: ['priority'] })));
    assert.deepEqual(fields.hits[0].resource.properties, { priority: 1 });
    const past = hitsOf(await alice.api('POST', '/v1.0/search/query', q('payment', { from: 10, size: 2 })));
    assert.deepEqual([past.total, past.hits, past.moreResultsAvailable], [4, [], false]);
    const none = hitsOf(await alice.api('POST', '/v1.0/search/query', q('nothingmatchesthis')));
    assert.equal(none.total, 0);
    assert.deepEqual(none.hits, []);
  });

  test('search requests are validated', async () => {
    expectGraphError(await alice.api('POST', '/v1.0/search/query', { requests: [{ entityTypes: ['message'], query: { queryString: 'x' } }] }), 400, 'entityTypes');
    expectGraphError(await alice.api('POST', '/v1.0/search/query', q('x', { size: 100000 })), 400, 'size');
    expectGraphError(await alice.api('POST', '/v1.0/search/query', q('   ')), 400, 'queryString');
    expectGraphError(await alice.api('POST', '/v1.0/search/query', { requests: [{ entityTypes: ['externalItem'], contentSources: ['tickets'], query: { queryString: 'x' } }] }), 400, 'contentSources');
  });

  test('another app sees none of these connections (OwnedBy); people cannot manage them', async () => {
    const other = await env.admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Other app' });
    expectStatus(other, 201);
    const tok = await appToken(env, other.body.clientId, other.body.clientSecret);
    expectStatus(tok, 200);
    assert.equal(tok.body.token_type, 'Bearer');
    assert.equal(tok.body.expires_in, 3599);
    const otherApi = httpsApi(env.srv, tok.body.access_token, env.cert);
    assert.deepEqual(expectCollection(await otherApi('GET', '/v1.0/external/connections')), []);
    expectGraphError(await otherApi('GET', `/v1.0/external/connections/${CONNECTION}`), 404);
    expectGraphError(await otherApi('PUT', `/v1.0/external/connections/${CONNECTION}/items/X1`, { acl: [], properties: {} }), 404);
    expectGraphError(await otherApi('POST', '/v1.0/external/connections',
      { id: 'stolen', name: 'Stolen', connectorId: env.manifestId }, { headers: { 'GraphConnectors-Ticket': 'guess' } }), 400, 'connectorId');
    expectGraphError(await otherApi('POST', '/v1.0/search/query', q('payment')), 403);
    expectGraphError(await alice.api('GET', '/v1.0/external/connections'), 403);
    expectGraphError(await env.admin('GET', '/v1.0/external/connections'), 403);
    const bad = await appToken(env, other.body.clientId, 'sbcs_wrong');
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error, 'invalid_client');
    const scope = await appToken(env, other.body.clientId, other.body.clientSecret, 'https://evil.example/.default');
    assert.equal(scope.status, 400);
    assert.equal(scope.body.error, 'invalid_scope');
    // A deleted registration's tokens stop working at once.
    expectStatus(await env.admin('DELETE', `/api/v1/admin/appRegistrations/${other.body.clientId}`), 204);
    expectGraphError(await otherApi('GET', '/v1.0/external/connections'), 401);
  });

  test('tenant information answers for this installation only', async () => {
    const own = await alice.api('GET', `/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='${env.tenantId}')`);
    expectStatus(own, 200);
    assert.equal(own.body.tenantId, env.tenantId);
    expectGraphError(await alice.api('GET', `/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='${crypto.randomUUID()}')`), 404);
  });

  test('hostile property text stays text in the summary source', async () => {
    const hits = hitsOf(await alice.api('POST', '/v1.0/search/query', q('audit'))).hits;
    assert.equal(hits[0].labels.title, 'Payment audit <script>alert(1)</script>');
  });

  test('disabling notifies the app, which deletes its connections; search then finds nothing', async () => {
    const from = env.app.events.length;
    expectStatus(await env.admin('PATCH', `/api/v1/admin/graphConnectors/${env.appId}`, { enabled: false }), 200);
    const n = await env.app.waitFor((e) => e.event === 'notification', { what: 'the disable notification', from });
    assert.equal(n.state, 'disabled');
    const d = await env.app.waitFor((e) => e.event === 'deleted', { what: 'the deletion', from });
    assert.deepEqual(d.ids, [CONNECTION]);
    const entry = expectCollection(await env.admin('GET', '/api/v1/admin/graphConnectors')).find((a) => a.appId === env.appId);
    assert.equal(entry.enabled, false);
    assert.deepEqual(entry.connections, []);
    assert.equal(hitsOf(await alice.api('POST', '/v1.0/search/query', q('payment'))).total, 0);
  });
});

describe('Graph connectors: notification retries', () => {
  let env;
  after(async () => { await tearDown(env); });

  test('500 twice, then 202: delivered on the third attempt, across a kill -9 of the server', async (t) => {
    // A retry base of 1.5 s leaves time to kill and restart the server between the second and
    // the third attempt (3 s later); the job is durable and its schedule survives.
    // This app signs in with a certificate (msal-node clientCertificate) instead of a secret.
    env = await setUp({ retryMs: 1500, failFirst: 2, certificate: true });
    const enabledAt = Date.now();
    expectStatus(await env.admin('PATCH', `/api/v1/admin/graphConnectors/${env.appId}`, { enabled: true }), 200);
    const failures = () => env.app.events.filter((e) => e.event === 'notification' && e.status === 500).length;
    await env.app.waitFor(() => failures() >= 2, { what: 'two answers of 500' });
    const port = new URL(env.srv.url).port;
    const pending = expectCollection(await env.admin('GET', '/api/v1/admin/graphConnectors')).find((a) => a.appId === env.appId);
    assert.equal(pending.notification.state, 'pending');
    assert.equal(pending.notification.attempts, 2);
    assert.match(pending.notification.lastError, /500/);
    await env.srv.kill9();
    await env.srv.restart({ listen: `127.0.0.1:${port}` });
    const ok = await env.app.waitFor((e) => e.event === 'notification' && e.status === 202, { what: 'the delivery after the restart', timeoutMs: 30_000 });
    assert.equal(ok.state, 'enabled');
    await env.app.waitFor((e) => e.event === 'ready', { what: 'the connection' });
    const entry = expectCollection(await env.admin('GET', '/api/v1/admin/graphConnectors')).find((a) => a.appId === env.appId);
    assert.equal(entry.notification.state, 'done');
    assert.equal(entry.notification.attempts, 3);
    const times = env.app.events.filter((e) => e.event === 'notification').map((e) => `${e.status} at +${e.at - enabledAt} ms`);
    t.diagnostic(`attempts (retry base 1500 ms, kill -9 and restart after the second): ${times.join(', ')}`);
  });
});

describe('Graph connectors: a notification nobody accepts is dropped', () => {
  let env;
  after(async () => { await tearDown(env); });

  test('after the schedule (240 x the retry base) the admin page shows it failed', async (t) => {
    env = await setUp({ retryMs: 10, failFirst: 1000 });
    expectStatus(await env.admin('PATCH', `/api/v1/admin/graphConnectors/${env.appId}`, { enabled: true }), 200);
    const deadline = Date.now() + 30_000;
    let entry;
    for (;;) {
      entry = expectCollection(await env.admin('GET', '/api/v1/admin/graphConnectors')).find((a) => a.appId === env.appId);
      if (entry.notification.state !== 'pending' || Date.now() > deadline) break;
      await env.app.waitFor((e) => e.event === 'notification', { from: env.app.events.length, what: 'the next attempt', timeoutMs: 10_000 }).catch(() => {});
    }
    assert.equal(entry.notification.state, 'failed', JSON.stringify(entry));
    assert.match(entry.notification.lastError, /500/);
    const attempts = env.app.events.filter((e) => e.event === 'notification').length;
    assert.equal(attempts, entry.notification.attempts);
    assert.ok(attempts >= 10 && attempts <= 13, `attempts: ${attempts}`);
    const at = env.app.events.filter((e) => e.event === 'notification').map((e) => e.at);
    t.diagnostic(`dropped after ${attempts} attempts over ${at[at.length - 1] - at[0]} ms (retry base 10 ms, window 2400 ms)`);
  });
});
