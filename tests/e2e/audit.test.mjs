// The audit log, GET /api/v1/admin/audit (issue "Admin policy", rule 6): admins only; entries
// newest first as {id, dateTime, actor:{id, displayName}, action, target, before, after}, for
// organization.update (API and `switchboard admin`, whose actor displayName is
// "switchboard admin"), team.connectors, team.memberSettings, webhook.create, connector.update
// (rename), connector.delete and webhook.updateUrl, with before/after values that show the
// change. Refused requests leave no entry.
//
// The log is global, so this file runs its own server and its tests in order: each test does
// one audited thing and reads the newest entry; the last test checks the whole sequence.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, RFC3339_UTC_RE, createTeam, generalChannel, addMember, uniqueName,
} from './lib/graph.mjs';
import { webhooksPath, createWebhook, parseV2Url } from './lib/webhooks.mjs';
import {
  AUDIT, ORG, adminTeamPath, patchOrg, resetOrg, setTeamSwitch, setMemberConnectors, runAdminOk, auditEntries, auditPage,
} from './lib/policy.mjs';

const CLI_ACTOR = 'switchboard admin';

let srv;
let admin;
let adminMe; // {id, displayName} of the admin account
let owner;
let member;
let guest;
let team;
let channel;
let hook; // created by the member
const performed = []; // the audited actions this file did, oldest first
let startedAt;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  adminMe = expectJson(expectStatus(await admin('GET', '/v1.0/me'), 200, 'GET /v1.0/me as the admin'));
  [owner, member, guest] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'guest')]);
  team = await createTeam(owner.api, uniqueName('Audited'));
  channel = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id, []);
  await addMember(owner.api, team.id, guest.id, ['guest']);
  startedAt = Date.now();
});

after(async () => {
  if (srv) await srv.close();
});

function show(e) {
  return JSON.stringify(e);
}

// The shape every entry has.
function expectEntryShape(e) {
  assert.equal(typeof e.id, 'string', `id must be a string: ${show(e)}`);
  assert.ok(e.id.length > 0, `id empty: ${show(e)}`);
  assert.equal(typeof e.dateTime, 'string', `dateTime: ${show(e)}`);
  assert.match(e.dateTime, RFC3339_UTC_RE, `dateTime must be RFC 3339 UTC: ${show(e)}`);
  assert.ok(e.actor && typeof e.actor === 'object', `actor must be an object: ${show(e)}`);
  assert.equal(typeof e.actor.displayName, 'string', `actor.displayName: ${show(e)}`);
  assert.equal(typeof e.action, 'string', `action: ${show(e)}`);
  assert.equal(typeof e.target, 'string', `target: ${show(e)}`);
}

// The newest entry, asserting its action, target and actor; records the action as performed.
async function newest(action, target, actor) {
  const value = await auditPage(admin);
  assert.ok(value.length > 0, 'the audit log is empty');
  const e = value[0];
  expectEntryShape(e);
  assert.equal(e.action, action, `the newest entry should be ${action}: ${show(e)}`);
  assert.equal(e.target, target, `target of ${action}: ${show(e)}`);
  if (actor.id !== undefined) assert.equal(e.actor.id, actor.id, `actor.id of ${action}: ${show(e)}`);
  assert.equal(e.actor.displayName, actor.displayName, `actor.displayName of ${action}: ${show(e)}`);
  const t = Date.parse(e.dateTime);
  assert.ok(t >= startedAt - 60_000 && t <= Date.now() + 60_000, `dateTime ${e.dateTime} is not now`);
  performed.push(action);
  return e;
}

async function auditCount() {
  return (await auditEntries(admin, srv)).length;
}

const who = (u) => ({ id: u.id, displayName: u.displayName });

// ---------------------------------------------------------------------------------------------

describe('GET /api/v1/admin/audit: access', () => {
  test('the admin -> 200 {value:[...]}', async () => {
    const r = await admin('GET', AUDIT);
    expectStatus(r, 200);
    assert.ok(Array.isArray(expectJson(r).value), `expected {value:[...]}: ${r.text}`);
  });

  test('a team owner, a member, a guest (not admins) -> 403; no credentials -> 401', async () => {
    for (const u of [owner, member, guest]) expectGraphError(await u.api('GET', AUDIT), 403);
    expectGraphError(await api(srv)('GET', AUDIT), 401);
  });
});

describe('audited changes (each checked as the newest entry)', () => {
  after(async () => {
    // A PATCH is recorded only when it changes something.
    const count = await auditCount();
    await resetOrg(admin);
    if ((await auditCount()) > count) performed.push('organization.update');
  });

  test('organization.update through the API: actor the admin, target "organization", before/after show connectorsEnabled true -> false', async () => {
    await patchOrg(admin, { connectorsEnabled: false });
    const e = await newest('organization.update', 'organization', who(adminMe));
    assert.equal(e.before && e.before.connectorsEnabled, true, `before: ${show(e)}`);
    assert.equal(e.after && e.after.connectorsEnabled, false, `after: ${show(e)}`);
    assert.ok(!e.before.explicitSettings || !e.before.explicitSettings.includes('connectorsEnabled'), `before.explicitSettings: ${show(e)}`);
  });

  test('organization.update back to "not set" (null): before false, after true', async () => {
    await patchOrg(admin, { connectorsEnabled: null });
    const e = await newest('organization.update', 'organization', who(adminMe));
    assert.equal(e.before.connectorsEnabled, false, show(e));
    assert.equal(e.after.connectorsEnabled, true, show(e));
  });

  test('organization.update of the cloud: before/after show cloudEnvironment and the switches it turns off', async () => {
    await patchOrg(admin, { cloudEnvironment: 'gcc' });
    const e = await newest('organization.update', 'organization', who(adminMe));
    assert.equal(e.before.cloudEnvironment, 'commercial', show(e));
    assert.equal(e.after.cloudEnvironment, 'gcc', show(e));
    assert.equal(e.after.connectorsEnabled, false, show(e));
    await patchOrg(admin, { cloudEnvironment: null });
    await newest('organization.update', 'organization', who(adminMe));
  });

  test('organization.update through `switchboard admin Set-OrganizationConfig`: actor displayName "switchboard admin", before true, after false', async () => {
    await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsEnabled:$false');
    const e = await newest('organization.update', 'organization', { displayName: CLI_ACTOR });
    assert.notEqual(e.actor.id, adminMe.id, `the CLI is not the admin account: ${show(e)}`);
    assert.equal(e.before.connectorsEnabled, true, show(e));
    assert.equal(e.after.connectorsEnabled, false, show(e));
    await patchOrg(admin, { connectorsEnabled: null });
    await newest('organization.update', 'organization', who(adminMe));
  });

  test('team.connectors through the API: target the team, before {connectorsEnabled:null}, after {connectorsEnabled:false}', async () => {
    await setTeamSwitch(admin, team.id, false);
    const e = await newest('team.connectors', team.id, who(adminMe));
    assert.deepEqual(e.before, { connectorsEnabled: null }, show(e));
    assert.deepEqual(e.after, { connectorsEnabled: false }, show(e));
  });

  test('team.connectors false -> true -> null: each entry shows the step', async () => {
    await setTeamSwitch(admin, team.id, true);
    let e = await newest('team.connectors', team.id, who(adminMe));
    assert.deepEqual([e.before, e.after], [{ connectorsEnabled: false }, { connectorsEnabled: true }], show(e));
    await setTeamSwitch(admin, team.id, null);
    e = await newest('team.connectors', team.id, who(adminMe));
    assert.deepEqual([e.before, e.after], [{ connectorsEnabled: true }, { connectorsEnabled: null }], show(e));
  });

  test('team.connectors through `switchboard admin Set-UnifiedGroup`: actor "switchboard admin"', async () => {
    await runAdminOk(srv, 'Set-UnifiedGroup', '-Identity', team.id, '-ConnectorsEnabled:$false');
    const e = await newest('team.connectors', team.id, { displayName: CLI_ACTOR });
    assert.deepEqual([e.before, e.after], [{ connectorsEnabled: null }, { connectorsEnabled: false }], show(e));
    await setTeamSwitch(admin, team.id, null);
    await newest('team.connectors', team.id, who(adminMe));
  });

  test('team.memberSettings: actor the owner, target the team; after shows allowCreateUpdateRemoveConnectors false, before shows the previous true', async () => {
    await setMemberConnectors(owner.api, team.id, false);
    const e = await newest('team.memberSettings', team.id, who(owner));
    const afterValue = e.after && e.after.memberSettings && e.after.memberSettings.allowCreateUpdateRemoveConnectors;
    assert.equal(afterValue, false, `after: ${show(e)}`);
    const beforeValue = e.before && e.before.memberSettings && e.before.memberSettings.allowCreateUpdateRemoveConnectors;
    assert.equal(beforeValue, true, `before must show the previous value (true), so that the entry shows the change: ${show(e)}`);
  });

  test('team.memberSettings back to true: after true (before false)', async () => {
    await setMemberConnectors(owner.api, team.id, true);
    const e = await newest('team.memberSettings', team.id, who(owner));
    assert.equal(e.after.memberSettings.allowCreateUpdateRemoveConnectors, true, show(e));
    const beforeValue = e.before && e.before.memberSettings && e.before.memberSettings.allowCreateUpdateRemoveConnectors;
    assert.equal(beforeValue, false, `before must show the previous value (false): ${show(e)}`);
  });

  test('webhook.create: actor the member, target the webhook id, after names it, nothing before; no secret URL in the entry', async () => {
    hook = await createWebhook(member.api, channel.id, { name: uniqueName('Audited hook') });
    const e = await newest('webhook.create', hook.id, who(member));
    assert.ok(e.before === null || e.before === undefined, `before: ${show(e)}`);
    assert.equal(e.after && e.after.name, hook.name, `after.name: ${show(e)}`);
    const text = show(e);
    assert.ok(!text.includes(parseV2Url(hook.url).sig), `the audit entry must not carry the webhook URL's signature: ${text}`);
    assert.ok(!text.includes(new URL(hook.workflowUrl).searchParams.get('sig')), `nor the workflow URL's: ${text}`);
  });

  test('connector.update (rename through PATCH /api/v1/connectors/{id}): actor the owner, before/after show the old and new name', async () => {
    const newName = uniqueName('Renamed hook');
    expectStatus(await owner.api('PATCH', `/api/v1/connectors/${hook.id}`, { configName: newName }), 200, 'rename');
    const e = await newest('connector.update', hook.id, who(owner));
    assert.equal(e.before && e.before.name, hook.name, `before.name: ${show(e)}`);
    assert.equal(e.after && e.after.name, newName, `after.name: ${show(e)}`);
    hook = { ...hook, name: newName };
  });

  test('webhook.updateUrl: actor the member, target the webhook; before and after both present and different (the change is visible); no secret URL', async () => {
    const r = expectStatus(await member.api('POST', `/api/v1/webhooks/${hook.id}/updateUrl`), 200, 'updateUrl');
    const e = await newest('webhook.updateUrl', hook.id, who(member));
    const text = show(e);
    for (const url of [hook.url, r.body.url]) assert.ok(!text.includes(parseV2Url(url).sig), `no URL signature in the audit: ${text}`);
    for (const url of [hook.workflowUrl, r.body.workflowUrl]) assert.ok(!text.includes(new URL(url).searchParams.get('sig')), `no workflow signature in the audit: ${text}`);
    assert.ok(e.after !== null && e.after !== undefined, `after must be present: ${text}`);
    assert.ok(e.before !== null && e.before !== undefined, `before must be present to show what the URL update changed: ${text}`);
    assert.notDeepEqual(e.before, e.after, `before and after must differ to show the change: ${text}`);
  });

  test('connector.delete: actor the owner, target the webhook, before names it, nothing after', async () => {
    expectStatus(await owner.api('DELETE', `/api/v1/connectors/${hook.id}`), 204, 'delete');
    const e = await newest('connector.delete', hook.id, who(owner));
    assert.equal(e.before && e.before.name, hook.name, `before.name: ${show(e)}`);
    assert.ok(e.after === null || e.after === undefined, `after: ${show(e)}`);
  });
});

describe('refused requests leave no entry', () => {
  test('403s and 400s on every audited route add nothing', async () => {
    const before = await auditCount();
    expectGraphError(await owner.api('PATCH', ORG, { connectorsEnabled: false }), 403);
    expectGraphError(await admin('PATCH', ORG, { connectorsEnabled: 'no' }), 400);
    expectGraphError(await owner.api('PATCH', adminTeamPath(team.id), { connectorsEnabled: false }), 403);
    expectGraphError(await admin('PATCH', adminTeamPath(team.id), { connectorsEnabled: 'no' }), 400);
    expectGraphError(await member.api('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: false } }), 403);
    expectGraphError(await guest.api('POST', webhooksPath(channel.id), { name: 'nope' }), 403);
    const h = await createWebhook(owner.api, channel.id, { name: uniqueName('Guarded') });
    performed.push('webhook.create');
    expectGraphError(await guest.api('PATCH', `/api/v1/connectors/${h.id}`, { configName: 'x' }), 403);
    expectGraphError(await guest.api('POST', `/api/v1/webhooks/${h.id}/updateUrl`), 403);
    expectGraphError(await guest.api('DELETE', `/api/v1/connectors/${h.id}`), 403);
    await patchOrg(admin, { connectorsEnabled: false });
    performed.push('organization.update');
    expectGraphError(await owner.api('POST', webhooksPath(channel.id), { name: 'nope' }), 403);
    await patchOrg(admin, { connectorsEnabled: null });
    performed.push('organization.update');
    assert.equal(await auditCount(), before + 3, 'only the webhook creation and the two organisation changes were recorded');
  });
});

describe('the whole log', () => {
  after(async () => {
    await resetOrg(admin);
  });

  test('newest first: the actions this file did, in reverse order; ids distinct; dateTime never increases down the list', async () => {
    const entries = await auditEntries(admin, srv);
    for (const e of entries) expectEntryShape(e);
    assert.deepEqual(entries.map((e) => e.action), [...performed].reverse(), `actions, newest first:\n${entries.map(show).join('\n')}`);
    assert.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'ids must be distinct');
    for (let i = 1; i < entries.length; i++) {
      assert.ok(Date.parse(entries[i - 1].dateTime) >= Date.parse(entries[i].dateTime), `entry ${i - 1} (${entries[i - 1].dateTime}) is older than entry ${i} (${entries[i].dateTime})`);
    }
  });

  test('more than one page: 100 entries per page, @odata.nextLink ($skiptoken) continues newest first with nothing lost or repeated; a bad $skiptoken -> 400', async () => {
    const before = (await auditEntries(admin, srv)).map((e) => e.id);
    const N = 105;
    for (let i = 0; i < N; i++) {
      await patchOrg(admin, { connectorsActionableMessagesEnabled: i % 2 === 0 ? false : null });
    }
    const first = expectJson(expectStatus(await admin('GET', AUDIT), 200));
    assert.equal(first.value.length, 100, `the first page holds 100 entries, got ${first.value.length}`);
    assert.equal(typeof first['@odata.nextLink'], 'string', `a nextLink is expected with ${before.length + N} entries`);
    assert.ok(first['@odata.nextLink'].startsWith(srv.url + '/'), `nextLink must be absolute: ${first['@odata.nextLink']}`);
    const all = await auditEntries(admin, srv);
    assert.equal(all.length, before.length + N);
    assert.equal(new Set(all.map((e) => e.id)).size, all.length, 'an entry was repeated across pages');
    assert.deepEqual(all.slice(N).map((e) => e.id), before, 'the older entries follow, unchanged and in order');
    // Newest first: entry k is PATCH number N-1-k, which set false (even) or null, i.e. true (odd).
    for (let k = 0; k < N; k++) {
      const i = N - 1 - k;
      const e = all[k];
      assert.equal(e.action, 'organization.update');
      assert.equal(e.after.connectorsActionableMessagesEnabled, i % 2 === 0 ? false : true, `entry ${k}: ${show(e)}`);
    }
    expectGraphError(await admin('GET', `${AUDIT}?$skiptoken=banana`), 400);
  });
});
