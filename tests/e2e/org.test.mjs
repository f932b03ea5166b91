// Organisation settings (GET/PATCH /api/v1/admin/organization, contract section 4) and the
// legacy-URL flow they drive: webhookUrlFormat "legacy" hands out pre-signature
// /webhook/{team}@{tenant}/IncomingWebhook/{id}/{creator} URLs ("Attention required"),
// legacyWebhookUrlCutoff refuses them after a date, and "Update URL" moves a webhook to V2.
//
// The settings are global, so this file runs its own server and its tests in order.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectGuid, createTeam, generalChannel, addMember, uniqueName,
} from './lib/graph.mjs';
import {
  V2_URL_RE, LEGACY_URL_RE, WORKFLOW_URL_RE, KEY_RE, parseV2Url, createWebhook, listConnectors, postTo,
  expectAccepted, expectWorkflowAccepted, expectRefused, messageCard, allMessages, findByText,
} from './lib/webhooks.mjs';

const ORG = '/api/v1/admin/organization';
const PAST = '2020-01-01T00:00:00Z';
const FUTURE = '2999-01-01T00:00:00Z';

let srv;
let admin;
let owner;
let member;
let team;
let general;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  [owner, member] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member')]);
  team = await createTeam(owner.api, uniqueName('Org'));
  general = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id, []);
});

after(async () => {
  if (srv) await srv.close();
});

async function org() {
  const r = await admin('GET', ORG);
  expectStatus(r, 200);
  return expectJson(r);
}

async function patchOrg(body) {
  const r = await admin('PATCH', ORG, body);
  expectStatus(r, 200, `PATCH ${JSON.stringify(body)}`);
  return expectJson(r);
}

async function countMessages() {
  return (await allMessages(owner.api, team.id, general.id, srv)).length;
}

describe('GET/PATCH /api/v1/admin/organization: access and validation', () => {
  test('the admin -> 200 with tenantId, webhookUrlFormat "v2" and no cutoff by default', async () => {
    const o = await org();
    expectGuid(o.tenantId, 'tenantId');
    assert.equal(o.webhookUrlFormat, 'v2');
    assert.ok(o.legacyWebhookUrlCutoff === null || o.legacyWebhookUrlCutoff === undefined, `cutoff: ${o.legacyWebhookUrlCutoff}`);
  });

  test('tenantId is the tenant in webhook URLs', async () => {
    const h = await createWebhook(owner.api, general.id, { name: uniqueName('Tenant probe') });
    assert.equal(parseV2Url(h.url).tenantId, (await org()).tenantId);
  });

  test('the contract\'s fields: connectorsEnabled, connectorsEnabledForTeams, connectorsActionableMessagesEnabled, cloudEnvironment, outboundAllowedHosts', async () => {
    const o = await org();
    assert.equal(typeof o.connectorsEnabled, 'boolean', `connectorsEnabled: ${JSON.stringify(o)}`);
    assert.equal(typeof o.connectorsEnabledForTeams, 'boolean', `connectorsEnabledForTeams: ${JSON.stringify(o)}`);
    assert.equal(typeof o.connectorsActionableMessagesEnabled, 'boolean', `connectorsActionableMessagesEnabled: ${JSON.stringify(o)}`);
    assert.ok(['commercial', 'gcc', 'gcch', 'dod'].includes(o.cloudEnvironment), `cloudEnvironment: ${JSON.stringify(o)}`);
    assert.ok(Array.isArray(o.outboundAllowedHosts), `outboundAllowedHosts: ${JSON.stringify(o)}`);
    assert.deepEqual(o.outboundAllowedHosts, [], 'outboundAllowedHosts is empty by default');
  });

  test('a team owner who is not an admin: GET -> 403, PATCH -> 403 (and nothing changes)', async () => {
    expectGraphError(await owner.api('GET', ORG), 403);
    expectGraphError(await owner.api('PATCH', ORG, { webhookUrlFormat: 'legacy' }), 403);
    expectGraphError(await member.api('GET', ORG), 403);
    assert.equal((await org()).webhookUrlFormat, 'v2');
  });

  test('no credentials -> 401', async () => {
    expectGraphError(await api(srv)('GET', ORG), 401);
    expectGraphError(await api(srv)('PATCH', ORG, { webhookUrlFormat: 'legacy' }), 401);
  });

  test('an unknown setting -> 400 naming it', async () => {
    expectGraphError(await admin('PATCH', ORG, { noSuchSetting: true }), 400, 'noSuchSetting');
  });

  test('bad values -> 400 naming the setting', async () => {
    expectGraphError(await admin('PATCH', ORG, { webhookUrlFormat: 'v3' }), 400, 'webhookUrlFormat');
    expectGraphError(await admin('PATCH', ORG, { webhookUrlFormat: 2 }), 400, 'webhookUrlFormat');
    expectGraphError(await admin('PATCH', ORG, { legacyWebhookUrlCutoff: 'yesterday' }), 400, 'legacyWebhookUrlCutoff');
    expectGraphError(await admin('PATCH', ORG, { legacyWebhookUrlCutoff: 1700000000 }), 400, 'legacyWebhookUrlCutoff');
  });

  test('outboundAllowedHosts entries the outbound check could never match -> 400, nothing stored', async () => {
    // "127.1" is read as 127.0.0.1 and "h:080" as port 80: the allow list compares entries
    // with the parsed host and port, so such an entry would allow nothing.
    for (const bad of ['127.1', 'svc.internal:080', 'a%2eb', 'h:', '::1'])
      expectGraphError(await admin('PATCH', ORG, { outboundAllowedHosts: [bad] }), 400, 'outboundAllowedHosts');
    const o = await patchOrg({ outboundAllowedHosts: ['127.0.0.1:8081', 'Svc.Internal', '[::1]:7'] });
    assert.deepEqual(o.outboundAllowedHosts, ['127.0.0.1:8081', 'Svc.Internal', '[::1]:7']);
    await patchOrg({ outboundAllowedHosts: null });
  });

  test('tenantId is read-only -> 400', async () => {
    expectGraphError(await admin('PATCH', ORG, { tenantId: '00000000-0000-4000-8000-000000000000' }), 400, 'tenantId');
  });

  test('malformed JSON -> 400', async () => {
    expectGraphError(await admin('PATCH', ORG, '{"webhookUrlFormat":'), 400);
  });

  test('a PATCH with one bad member changes nothing', async () => {
    expectGraphError(await admin('PATCH', ORG, { webhookUrlFormat: 'legacy', bogus: 1 }), 400);
    expectGraphError(await admin('PATCH', ORG, { webhookUrlFormat: 'legacy', legacyWebhookUrlCutoff: 'soon' }), 400);
    const o = await org();
    assert.equal(o.webhookUrlFormat, 'v2');
    assert.ok(o.legacyWebhookUrlCutoff === null || o.legacyWebhookUrlCutoff === undefined);
  });

  test('PATCH answers 200 with the new settings; null returns a setting to its default', async () => {
    let o = await patchOrg({ webhookUrlFormat: 'legacy', legacyWebhookUrlCutoff: FUTURE });
    assert.equal(o.webhookUrlFormat, 'legacy');
    assert.equal(Date.parse(o.legacyWebhookUrlCutoff), Date.parse(FUTURE));
    o = await org();
    assert.equal(o.webhookUrlFormat, 'legacy');
    o = await patchOrg({ webhookUrlFormat: null, legacyWebhookUrlCutoff: null });
    assert.equal(o.webhookUrlFormat, 'v2');
    assert.ok(o.legacyWebhookUrlCutoff === null || o.legacyWebhookUrlCutoff === undefined);
    assert.equal((await org()).webhookUrlFormat, 'v2');
  });
});

describe('legacy webhook URLs', () => {
  let v2Hook; // created before the switch
  let legacy; // created with webhookUrlFormat "legacy"
  let updated; // the updateUrl answer

  before(async () => {
    v2Hook = await createWebhook(owner.api, general.id, { name: uniqueName('Modern') });
    await patchOrg({ webhookUrlFormat: 'legacy' });
  });

  after(async () => {
    await admin('PATCH', ORG, { webhookUrlFormat: null, legacyWebhookUrlCutoff: null });
  });

  test('a new webhook gets /webhook/{team}@{tenant}/IncomingWebhook/{key}/{creator} and attentionRequired:true', async () => {
    legacy = await createWebhook(member.api, general.id, { name: uniqueName('Legacy') });
    const m = legacy.url.match(LEGACY_URL_RE);
    assert.ok(m, `not a legacy URL: ${legacy.url}`);
    assert.ok(legacy.url.startsWith(srv.url + '/webhook/'), legacy.url);
    assert.equal(m[1], team.id);
    assert.equal(m[2], (await org()).tenantId);
    assert.match(m[3], KEY_RE);
    assert.equal(m[4], member.id);
    assert.equal(legacy.attentionRequired, true);
    assert.match(legacy.workflowUrl, WORKFLOW_URL_RE);
  });

  test('GET /api/v1/channels/{c}/connectors shows attentionRequired:true for it, false for the V2 one', async () => {
    const value = await listConnectors(owner.api, general.id);
    assert.equal(value.find((c) => c.id === legacy.id).attentionRequired, true);
    assert.equal(value.find((c) => c.id === v2Hook.id).attentionRequired, false);
  });

  test('posting to the legacy URL works (200 "1")', async () => {
    const text = uniqueName('legacy post');
    expectAccepted(await postTo(legacy.url, messageCard(text)));
    const msgs = await allMessages(owner.api, team.id, general.id, srv);
    const found = findByText(msgs, text);
    assert.equal(found.length, 1);
    assert.equal(found[0].from.application.id, legacy.id);
  });

  test('its workflow URL works too (202)', async () => {
    expectWorkflowAccepted(await postTo(legacy.workflowUrl, messageCard(uniqueName('legacy wf'))));
  });

  test('webhooks created before the switch keep their V2 URL, which still works', async () => {
    const r = expectStatus(await owner.api('GET', `/api/v1/connectors/${v2Hook.id}`), 200);
    assert.equal(r.body.url, v2Hook.url);
    expectAccepted(await postTo(v2Hook.url, messageCard(uniqueName('v2 during legacy'))));
  });

  test('a cutoff in the future: legacy posts are still accepted', async () => {
    await patchOrg({ legacyWebhookUrlCutoff: FUTURE });
    expectAccepted(await postTo(legacy.url, messageCard(uniqueName('before the cutoff'))));
  });

  test('a cutoff in the past: legacy posts -> 403 mentioning "Update URL"; nothing stored; V2 unaffected', async () => {
    const o = await patchOrg({ legacyWebhookUrlCutoff: PAST });
    assert.equal(Date.parse(o.legacyWebhookUrlCutoff), Date.parse(PAST));
    const before = await countMessages();
    expectRefused(await postTo(legacy.url, messageCard(uniqueName('after the cutoff'))), 403, 'Update URL');
    assert.equal(await countMessages(), before);
    expectAccepted(await postTo(v2Hook.url, messageCard(uniqueName('v2 after cutoff'))));
  });

  test('Update URL -> 200 {url, workflowUrl} in the V2 shape', async () => {
    const r = await member.api('POST', `/api/v1/webhooks/${legacy.id}/updateUrl`);
    expectStatus(r, 200);
    updated = expectJson(r);
    assert.match(updated.url, V2_URL_RE);
    assert.match(updated.workflowUrl, WORKFLOW_URL_RE);
    assert.notEqual(parseV2Url(updated.url).key, legacy.url.match(LEGACY_URL_RE)[3], 'a new key');
    assert.notEqual(updated.workflowUrl, legacy.workflowUrl);
  });

  test('after Update URL: attentionRequired false; the V2 URL works; the legacy URL is refused', async () => {
    assert.ok(updated, 'updateUrl failed');
    const value = await listConnectors(owner.api, general.id);
    assert.equal(value.find((c) => c.id === legacy.id).attentionRequired, false);
    const text = uniqueName('updated url');
    expectAccepted(await postTo(updated.url, messageCard(text)));
    const before = await countMessages();
    const r = await postTo(legacy.url, messageCard(uniqueName('old legacy url')));
    assert.ok(r.status >= 400 && r.status < 500, `the legacy URL must be refused after Update URL, got ${r.status} ${r.text}`);
    assert.equal(await countMessages(), before);
  });

  test('the legacy URL stays refused once the cutoff is lifted (it was replaced)', async () => {
    assert.ok(updated, 'updateUrl failed');
    await patchOrg({ legacyWebhookUrlCutoff: null });
    const r = await postTo(legacy.url, messageCard(uniqueName('replaced legacy url')));
    assert.ok(r.status >= 400 && r.status < 500, `got ${r.status} ${r.text}`);
  });

  test('setting webhookUrlFormat back to null (default v2): new webhooks get V2 URLs', async () => {
    const o = await patchOrg({ webhookUrlFormat: null });
    assert.equal(o.webhookUrlFormat, 'v2');
    const h = await createWebhook(owner.api, general.id, { name: uniqueName('Back to v2') });
    assert.match(h.url, V2_URL_RE);
    assert.equal(h.attentionRequired, false);
  });
});

describe('settings survive a restart', () => {
  test('webhookUrlFormat and the cutoff are kept across SIGTERM + restart', async () => {
    await patchOrg({ webhookUrlFormat: 'legacy', legacyWebhookUrlCutoff: FUTURE });
    await srv.restart();
    const o = await org();
    assert.equal(o.webhookUrlFormat, 'legacy');
    assert.equal(Date.parse(o.legacyWebhookUrlCutoff), Date.parse(FUTURE));
    await patchOrg({ webhookUrlFormat: null, legacyWebhookUrlCutoff: null });
  });
});
