// Contract conformance, §4 Switchboard resources (/api/v1) and the identity endpoints: one test
// per row of §4's table and per rule of its prose (OpenID discovery, JWKS, the token endpoint
// and the Graph connector routes it opens, "a webhook is a connector configuration"). One
// server for the file; the card-action rows post to a service on 127.0.0.1 (lib/actions.mjs)
// that the organisation's outboundAllowedHosts lists.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { startServer, api, newUser } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectGuid, expectCollection, createTeam, generalChannel, addMember,
  postMessage, uniqueName, RFC3339_UTC_RE,
} from './lib/graph.mjs';
import {
  createWebhook, postTo, expectAccepted, expectWorkflowAccepted, messageCard, newestMessage, openEvents, tinyPng, dataUrl,
  adaptiveEnvelope,
} from './lib/webhooks.mjs';
import { appPackage } from './lib/package.mjs';
import { startActionService } from './lib/actions.mjs';
import { until } from './lib/contract.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const CONNECTOR_ID = '3c4d5e6f-0000-4000-8000-00000000c0a1';

let srv;
let admin;
let owner;
let member;
let team;
let channel;
let svc; // the card actions' target
let vendor; // the connector app's pages (never contacted by these tests; allowed for http)
let vendorUrl;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  svc = await startActionService(srv.url);
  vendor = http.createServer((req, res) => res.end('<html></html>'));
  await new Promise((r) => vendor.listen(0, '127.0.0.1', r));
  vendorUrl = `http://127.0.0.1:${vendor.address().port}`;
  expectStatus(await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${svc.port}`, `127.0.0.1:${vendor.address().port}`] }), 200);
  owner = await newUser(srv, 'owner');
  member = await newUser(srv, 'member');
  team = await createTeam(owner.api, uniqueName('API'));
  channel = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id);
  const pkg = appPackage({
    id: '3c4d5e6f-0000-4000-8000-00000000a001',
    connectors: [{ connectorId: CONNECTOR_ID, configurationUrl: `${vendorUrl}/config`, scopes: ['team'] }],
    validDomains: ['127.0.0.1'],
  });
  expectStatus(await admin('POST', '/v1.0/appCatalogs/teamsApps', pkg, { contentType: 'application/zip' }), 201);
});

after(async () => {
  await svc?.close();
  if (vendor) await new Promise((r) => vendor.close(r));
  await srv?.close();
});

const webhooksPath = () => `/api/v1/channels/${channel.id}/webhooks`;

describe('§4 webhooks and connector configurations', () => {
  test('§4 POST /api/v1/channels/{c}/webhooks {name, image?} -> 201 {id, name, url, workflowUrl, channelId, createdBy, createdDateTime}', async () => {
    const r = expectStatus(await owner.api('POST', webhooksPath(), { name: 'Alerts', image: dataUrl('image/png', tinyPng()) }), 201);
    const w = expectJson(r);
    expectGuid(w.id);
    assert.equal(w.name, 'Alerts');
    assert.match(w.url, /^http:\/\/127\.0\.0\.1:\d+\/webhookb2\//);
    assert.match(w.workflowUrl, /^http:\/\/127\.0\.0\.1:\d+\/workflows\//);
    assert.equal(w.channelId, channel.id);
    assert.equal(w.createdBy, owner.id);
    assert.match(w.createdDateTime, RFC3339_UTC_RE);
    expectAccepted(await postTo(w.url, messageCard()));
  });

  test('§4 GET /api/v1/channels/{c}/connectorCatalog -> {value:[{connectorId, name, description, iconUrl, section, retired, configurationUrl}]}', async () => {
    const value = expectCollection(await member.api('GET', `/api/v1/channels/${channel.id}/connectorCatalog`));
    assert.ok(value.length > 0);
    for (const e of value) {
      for (const k of ['connectorId', 'name', 'description', 'iconUrl', 'section', 'retired', 'configurationUrl']) assert.ok(k in e, `${k} in ${JSON.stringify(e)}`);
      assert.ok(['builtin', 'organization', 'uploaded'].includes(e.section), `section ${e.section}`);
      assert.equal(typeof e.retired, 'boolean');
    }
    const ours = value.find((e) => e.connectorId === CONNECTOR_ID);
    assert.equal(ours?.section, 'organization');
    assert.equal(ours.configurationUrl, `${vendorUrl}/config`);
    assert.ok(value.some((e) => e.section === 'builtin'));
  });

  test('§4 POST /api/v1/channels/{c}/connectors {connectorId, configName, entityId, contentUrl, removeUrl?} -> 201 {id, webhookUrl, ...}', async () => {
    const r = expectStatus(await owner.api('POST', `/api/v1/channels/${channel.id}/connectors`, {
      connectorId: CONNECTOR_ID, configName: 'Builds', entityId: 'builds-1', contentUrl: `${vendorUrl}/config/start`, removeUrl: `${vendorUrl}/config/remove`,
    }), 201);
    expectGuid(r.body.id);
    assert.equal(typeof r.body.webhookUrl, 'string');
    expectAccepted(await postTo(r.body.webhookUrl, messageCard('through a connector app')));
  });

  test('§4 GET /api/v1/channels/{c}/connectors -> {value:[{id, kind, connectorId, name, createdBy, attentionRequired}]}, webhooks included', async () => {
    const hook = await createWebhook(owner.api, channel.id, { name: 'Listed' });
    const value = expectCollection(await member.api('GET', `/api/v1/channels/${channel.id}/connectors`));
    for (const c of value) {
      for (const k of ['id', 'kind', 'connectorId', 'name', 'createdBy', 'attentionRequired']) assert.ok(k in c, `${k} in ${JSON.stringify(c)}`);
      assert.equal(typeof c.attentionRequired, 'boolean');
    }
    const h = value.find((c) => c.id === hook.id);
    assert.ok(h, 'the webhook is listed');
    assert.equal(h.name, 'Listed');
    assert.equal(h.createdBy, owner.id);
    assert.ok(value.some((c) => c.connectorId === CONNECTOR_ID), 'the connector app configuration is listed');
  });

  test('§4 GET /api/v1/connectors/{configuration-id} -> one configuration; a webhook\'s id is its configuration id', async () => {
    const hook = await createWebhook(owner.api, channel.id, { name: 'One' });
    const r = expectStatus(await member.api('GET', `/api/v1/connectors/${hook.id}`), 200);
    assert.equal(r.body.id, hook.id);
    assert.equal(r.body.name, 'One');
    expectGraphError(await member.api('GET', `/api/v1/connectors/${NO_SUCH_ID}`), 404);
  });

  test('§4 PATCH /api/v1/connectors/{configuration-id} updates configName, contentUrl, entityId', async () => {
    const c = expectStatus(await owner.api('POST', `/api/v1/channels/${channel.id}/connectors`, {
      connectorId: CONNECTOR_ID, configName: 'Edit me', entityId: 'e-1', contentUrl: `${vendorUrl}/config/a`,
    }), 201).body;
    expectStatus(await owner.api('PATCH', `/api/v1/connectors/${c.id}`, { configName: 'Edited', entityId: 'e-2', contentUrl: `${vendorUrl}/config/b` }), [200, 204]);
    const got = expectStatus(await owner.api('GET', `/api/v1/connectors/${c.id}`), 200).body;
    assert.equal(got.configName, 'Edited');
    assert.equal(got.entityId, 'e-2');
    assert.equal(got.contentUrl, `${vendorUrl}/config/b`);
  });

  test('§4 DELETE /api/v1/connectors/{configuration-id} -> 204; its URLs stop working at once', async () => {
    const hook = await createWebhook(owner.api, channel.id, { name: 'Doomed' });
    expectAccepted(await postTo(hook.url, messageCard()));
    const r = expectStatus(await owner.api('DELETE', `/api/v1/connectors/${hook.id}`), 204);
    assert.equal(r.text, '');
    const after1 = await postTo(hook.url, messageCard());
    assert.ok(after1.status >= 400 && after1.status < 500, `the signed URL: ${after1.status} ${after1.text}`);
    const after2 = await postTo(hook.workflowUrl, messageCard());
    assert.ok(after2.status >= 400 && after2.status < 500, `the workflow URL: ${after2.status} ${after2.text}`);
    expectGraphError(await owner.api('GET', `/api/v1/connectors/${hook.id}`), 404);
  });

  test('§4 POST /api/v1/webhooks/{id}/updateUrl -> 200 {url, workflowUrl}: new URLs; the old ones stop', async () => {
    const hook = await createWebhook(owner.api, channel.id, { name: 'Rotated' });
    const r = expectStatus(await owner.api('POST', `/api/v1/webhooks/${hook.id}/updateUrl`), 200);
    assert.equal(typeof r.body.url, 'string');
    assert.equal(typeof r.body.workflowUrl, 'string');
    assert.notEqual(r.body.url, hook.url);
    assert.notEqual(r.body.workflowUrl, hook.workflowUrl);
    expectAccepted(await postTo(r.body.url, messageCard()));
    expectWorkflowAccepted(await postTo(r.body.workflowUrl, messageCard()));
    assert.ok((await postTo(hook.url, messageCard())).status >= 400, 'the old URL stopped');
    assert.ok((await postTo(hook.workflowUrl, messageCard())).status >= 400, 'the old workflow URL stopped');
  });
});

describe('§4 events', () => {
  test('§4 GET /api/v1/events: one "event: message" with "data: <chatMessage>" per new message the caller can read; "id:" lines resume with Last-Event-ID', async () => {
    const es = await openEvents(srv, { token: member.token, label: 'contract' });
    try {
      assert.equal(es.status, 200);
      assert.match(es.headers.get('content-type') || '', /^text\/event-stream\b/);
      const first = await postMessage(owner.api, team.id, channel.id, 'event one');
      const ev = await es.nextMatching((e) => e.json?.id === first.id, { what: 'the first message' });
      assert.equal(ev.event, 'message');
      assert.ok(ev.id, 'an id: line');
      assert.deepEqual(ev.json.body, first.body);
      assert.deepEqual(ev.json.channelIdentity, { teamId: team.id, channelId: channel.id });
      const second = await postMessage(owner.api, team.id, channel.id, 'event two');
      await es.nextMatching((e) => e.json?.id === second.id, { what: 'the second message' });
      es.close();
      const resumed = await openEvents(srv, { token: member.token, lastEventId: ev.id, label: 'resumed' });
      try {
        const again = await resumed.nextMatching((e) => e.event === 'message', { what: 'the replay' });
        assert.equal(again.json.id, second.id, 'resuming after the first gives the second');
      } finally {
        resumed.close();
      }
    } finally {
      es.close();
    }
  });

  test('§4 GET /api/v1/events: nothing from channels the caller cannot read', async () => {
    const stranger = await newUser(srv, 'stranger');
    const es = await openEvents(srv, { token: stranger.token, label: 'stranger' });
    try {
      const own = await createTeam(stranger.api, uniqueName('Own'));
      const ownGeneral = await generalChannel(stranger.api, own.id);
      await postMessage(owner.api, team.id, channel.id, 'not for the stranger');
      const mine = await postMessage(stranger.api, own.id, ownGeneral.id, 'for the stranger');
      const ev = await es.nextMatching((e) => e.event === 'message', { what: 'a message' });
      assert.equal(ev.json.id, mine.id, 'the first message seen is the stranger\'s own');
    } finally {
      es.close();
    }
  });
});

describe('§4 administration', () => {
  test('§4 GET /api/v1/admin/organization (admins) -> {tenantId, connectorsEnabled, connectorsEnabledForTeams, connectorsActionableMessagesEnabled, cloudEnvironment, outboundAllowedHosts}', async () => {
    const o = expectStatus(await admin('GET', '/api/v1/admin/organization'), 200).body;
    expectGuid(o.tenantId, 'tenantId');
    for (const k of ['connectorsEnabled', 'connectorsEnabledForTeams', 'connectorsActionableMessagesEnabled']) assert.equal(typeof o[k], 'boolean', k);
    assert.ok(['commercial', 'gcc', 'gcch', 'dod'].includes(o.cloudEnvironment), o.cloudEnvironment);
    assert.ok(Array.isArray(o.outboundAllowedHosts));
    expectGraphError(await member.api('GET', '/api/v1/admin/organization'), 403);
  });

  test('§4 outboundAllowedHosts is empty by default', async () => {
    const s = await startServer();
    try {
      assert.deepEqual(expectStatus(await api(s, s.adminToken)('GET', '/api/v1/admin/organization'), 200).body.outboundAllowedHosts, []);
    } finally {
      await s.close();
    }
  });

  test('§4 PATCH /api/v1/admin/organization (admins): cloudEnvironment one of commercial, gcc, gcch, dod; outboundAllowedHosts host[:port]', async () => {
    for (const env of ['gcc', 'gcch', 'dod', 'commercial']) {
      expectStatus(await admin('PATCH', '/api/v1/admin/organization', { cloudEnvironment: env }), 200);
      assert.equal((await admin('GET', '/api/v1/admin/organization')).body.cloudEnvironment, env);
    }
    expectGraphError(await admin('PATCH', '/api/v1/admin/organization', { cloudEnvironment: 'mars' }), 400, 'cloudEnvironment');
    const hosts = (await admin('GET', '/api/v1/admin/organization')).body.outboundAllowedHosts;
    assert.ok(hosts.includes(`127.0.0.1:${svc.port}`), JSON.stringify(hosts));
    expectGraphError(await member.api('PATCH', '/api/v1/admin/organization', { connectorsEnabled: false }), 403);
  });

  test('§4 PATCH /api/v1/admin/teams/{team-id} (admins) {connectorsEnabled} -> 204: the group-level switch', async () => {
    const hook = await createWebhook(owner.api, channel.id, { name: 'Group switch' });
    const off = expectStatus(await admin('PATCH', `/api/v1/admin/teams/${team.id}`, { connectorsEnabled: false }), 204);
    assert.equal(off.text, '');
    try {
      const r = await postTo(hook.url, messageCard());
      assert.equal(r.status, 403, `${r.status} ${r.text}`);
      expectGraphError(await owner.api('PATCH', `/api/v1/admin/teams/${team.id}`, { connectorsEnabled: true }), 403);
    } finally {
      expectStatus(await admin('PATCH', `/api/v1/admin/teams/${team.id}`, { connectorsEnabled: true }), 204);
    }
    expectAccepted(await postTo(hook.url, messageCard()));
  });

  test('§4 POST /api/v1/admin/applications (admins) {displayName} -> 201 {appId, clientSecret, tenantId}', async () => {
    const r = expectStatus(await admin('POST', '/api/v1/admin/applications', { displayName: 'Contract app' }), 201);
    expectGuid(r.body.appId, 'appId');
    assert.equal(typeof r.body.clientSecret, 'string');
    assert.ok(r.body.clientSecret.length >= 16);
    const org = (await admin('GET', '/api/v1/admin/organization')).body;
    assert.equal(r.body.tenantId, org.tenantId);
    const tok = await api(srv)('POST', `/${org.tenantId}/oauth2/v2.0/token`,
      new URLSearchParams({ grant_type: 'client_credentials', client_id: r.body.appId, client_secret: r.body.clientSecret, scope: `${srv.url}/.default` }).toString(),
      { contentType: 'application/x-www-form-urlencoded' });
    expectStatus(tok, 200);
    expectGraphError(await member.api('POST', '/api/v1/admin/applications', { displayName: 'No' }), 403);
  });
});

describe('§4 card actions', () => {
  async function postCard(card) {
    const hook = await createWebhook(owner.api, channel.id, { name: uniqueName('Actions') });
    expectAccepted(await postTo(hook.url, card));
    return newestMessage(member.api, team.id, channel.id);
  }

  async function execution(id) {
    let last;
    const deadline = Date.now() + 15_000;
    do {
      last = expectStatus(await member.api('GET', `/api/v1/actionExecutions/${id}`), 200).body;
    } while (last.status === 'pending' && Date.now() < deadline);
    return last;
  }

  test('§4 POST /api/v1/messages/{m}/actions {actionId, inputs} -> 202 {id, status}; actionId is the MessageCard action\'s @id', async () => {
    const m = await postCard(messageCard('approve me', {
      potentialAction: [{ '@type': 'HttpPOST', '@id': 'approve', name: 'Approve', target: `http://127.0.0.1:${svc.port}/ok`, body: 'ok' }],
    }));
    const r = expectStatus(await member.api('POST', `/api/v1/messages/${m.id}/actions`, { actionId: 'approve', inputs: {} }), 202);
    expectGuid(r.body.id, 'execution id');
    assert.ok(['pending', 'succeeded', 'failed'].includes(r.body.status), r.body.status);
    assert.equal((await execution(r.body.id)).status, 'succeeded');
  });

  test('§4 POST /api/v1/messages/{m}/actions: actionId is the Adaptive Card action\'s id (Action.Http)', async () => {
    const card = {
      type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'adaptive action' }],
      actions: [{ type: 'Action.Http', id: 'ack', title: 'Ack', method: 'POST', url: `http://127.0.0.1:${svc.port}/ok`, body: 'ack' }],
    };
    const m = await postCard(adaptiveEnvelope([card]));
    const r = expectStatus(await member.api('POST', `/api/v1/messages/${m.id}/actions`, { actionId: 'ack', inputs: {} }), 202);
    assert.equal((await execution(r.body.id)).status, 'succeeded');
  });

  test('§4 GET /api/v1/actionExecutions/{id} -> {id, status, httpStatus, cardActionStatus, cardUpdated, error}', async () => {
    // An action without an @id is addressed as {attachment id}:{JSON Pointer}, the fallback the
    // project keeps; the @id / id form is the rows above.
    const m = await postCard(messageCard('pointer', {
      potentialAction: [{ '@type': 'HttpPOST', name: 'Fail', target: `http://127.0.0.1:${svc.port}/fail`, body: 'x' }],
    }));
    const r = expectStatus(await member.api('POST', `/api/v1/messages/${m.id}/actions`, { actionId: `${m.attachments[0].id}:/potentialAction/0`, inputs: {} }), 202);
    const e = await execution(r.body.id);
    for (const k of ['id', 'status', 'httpStatus', 'cardActionStatus', 'cardUpdated', 'error']) assert.ok(k in e, `${k} in ${JSON.stringify(e)}`);
    assert.equal(e.id, r.body.id);
    assert.equal(e.status, 'failed');
    assert.equal(e.httpStatus, 500);
    assert.equal(e.cardUpdated, false);
    assert.equal(typeof e.cardActionStatus, 'string');
    expectGraphError(await member.api('GET', `/api/v1/actionExecutions/${NO_SUCH_ID}`), 404);
  });
});

describe('§4 identity endpoints', () => {
  let discovery;
  before(async () => {
    discovery = expectStatus(await api(srv)('GET', '/.well-known/openid-configuration'), 200).body;
  });

  test('§4 GET /.well-known/openid-configuration -> {issuer, jwks_uri, token_endpoint, ...}', () => {
    assert.equal(typeof discovery.issuer, 'string');
    assert.match(discovery.jwks_uri, /^https?:\/\//);
    assert.match(discovery.token_endpoint, /\/[0-9a-f-]{36}\/oauth2\/v2\.0\/token$/);
  });

  test('§4 jwks_uri -> {keys:[{kty:"RSA", kid, n, e, alg:"RS256", use:"sig"}]}', async () => {
    const r = expectStatus(await api(srv)('GET', new URL(discovery.jwks_uri).pathname), 200);
    assert.ok(Array.isArray(r.body.keys) && r.body.keys.length > 0);
    for (const k of r.body.keys) {
      assert.equal(k.kty, 'RSA');
      assert.equal(k.alg, 'RS256');
      assert.equal(k.use, 'sig');
      for (const f of ['kid', 'n', 'e']) assert.equal(typeof k[f], 'string', f);
    }
  });

  test('§4 POST /{tenant-id}/oauth2/v2.0/token (client_credentials form) -> {token_type:"Bearer", expires_in, access_token}; it opens /v1.0/external/connections and /v1.0/search/query', async () => {
    // Registered through the project's own name of the route, so that this row does not depend
    // on the §4 applications row above.
    const reg = expectStatus(await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Token row' }), 201).body;
    const r = await api(srv)('POST', new URL(discovery.token_endpoint).pathname,
      new URLSearchParams({ grant_type: 'client_credentials', client_id: reg.clientId ?? reg.appId, client_secret: reg.clientSecret, scope: `${srv.url}/.default` }).toString(),
      { contentType: 'application/x-www-form-urlencoded' });
    expectStatus(r, 200);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(typeof r.body.expires_in, 'number');
    assert.equal(typeof r.body.access_token, 'string');
    const app = api(srv, r.body.access_token);
    expectCollection(await app('GET', '/v1.0/external/connections'));
    // An item written with the app's token is found by a person through /v1.0/search/query.
    expectStatus(await app('POST', '/v1.0/external/connections', { id: 'contractconn', name: 'Contract' }), 201);
    const schema = expectStatus(await app('PATCH', '/v1.0/external/connections/contractconn/schema', {
      baseType: 'microsoft.graph.externalItem',
      properties: [{ name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] }],
    }), 202);
    const op = await until(async () => expectStatus(await app('GET', schema.headers.get('location')), 200).body, (b) => b.status !== 'inprogress', 20_000);
    assert.equal(op.status, 'completed', JSON.stringify(op));
    expectStatus(await app('PUT', '/v1.0/external/connections/contractconn/items/c1', {
      acl: [{ type: 'everyone', value: 'tenant', accessType: 'grant' }], properties: { title: 'Contract quokka' }, content: { value: 'x', type: 'text' },
    }), 200);
    const found = expectStatus(await member.api('POST', '/v1.0/search/query', {
      requests: [{ entityTypes: ['externalItem'], contentSources: ['/external/connections/contractconn'], query: { queryString: 'quokka' } }],
    }), 200);
    assert.deepEqual(found.body.value[0].hitsContainers[0].hits.map((h) => h.hitId), ['c1']);
    const bad = await api(srv)('POST', new URL(discovery.token_endpoint).pathname,
      new URLSearchParams({ grant_type: 'client_credentials', client_id: reg.clientId ?? reg.appId, client_secret: 'wrong', scope: `${srv.url}/.default` }).toString(),
      { contentType: 'application/x-www-form-urlencoded' });
    assert.equal(bad.status, 401, bad.text);
  });
});
