// Contract conformance, §2 HTTP conventions and §3 Graph-compatible resources (/v1.0): one test
// per rule of §2 (health, metrics, the error shape on each status, authentication, ids and
// times) and per row of §3's table (and the chatMessage shape), plus GET by id for every
// resource §3 addresses by id. One server for the whole file. Helpers: lib/contract.mjs.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, rawRequest, uniqueUpn, randomToken } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectGuid, expectCollection, createTeam, createChannel, generalChannel,
  addMember, memberBody, messagesPath, postMessage, uniqueName, RFC3339_UTC_RE,
} from './lib/graph.mjs';
import {
  createWebhook, postTo, expectAccepted, messageCard, adaptiveEnvelope, adaptiveCard, MESSAGECARD_TYPE, ADAPTIVE_TYPE,
} from './lib/webhooks.mjs';
import { appPackage } from './lib/package.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let srv;
let admin;
let owner; // owns `team`
let member; // a member of `team`
let outsider; // in no team of ours
let team;
let general;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  owner = await newUser(srv, 'owner');
  member = await newUser(srv, 'member');
  outsider = await newUser(srv, 'outsider');
  team = await createTeam(owner.api, uniqueName('Contract'), 'the team of the §3 tests');
  general = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id);
});

after(async () => {
  await srv?.close();
});

describe('§2 HTTP conventions', () => {
  test('§2 GET /healthz -> 200 {"status":"ok"}', async () => {
    const r = expectStatus(await api(srv)('GET', '/healthz'), 200);
    assert.deepEqual(expectJson(r), { status: 'ok' });
  });

  test('§2 GET /metrics -> Prometheus text format', async () => {
    const r = expectStatus(await api(srv)('GET', '/metrics', undefined, { headers: { Accept: 'text/plain' } }), 200);
    assert.match(r.contentType, /^text\/plain\b/);
    assert.match(r.text, /^# HELP \w+ /m);
    assert.match(r.text, /^# TYPE \w+ (counter|gauge|histogram|summary|untyped)$/m);
    for (const line of r.text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+|NaN|[+-]Inf$/, `a sample line: ${line}`);
    }
  });

  test('§2 400 bad input -> {"error":{"code","message"}}', async () => {
    expectGraphError(await owner.api('POST', '/v1.0/teams', '{"displayName":'), 400);
    expectGraphError(await owner.api('POST', '/v1.0/teams', {}), 400, 'displayName');
  });

  test('§2 401 no or invalid credentials -> the error shape', async () => {
    expectGraphError(await api(srv)('GET', '/v1.0/me'), 401);
    expectGraphError(await api(srv, 'not-a-token')('GET', '/v1.0/me'), 401);
  });

  test('§2 403 not allowed -> the error shape', async () => {
    expectGraphError(await member.api('POST', '/v1.0/users', { displayName: 'x', userPrincipalName: uniqueUpn('x'), passwordProfile: { password: 'Passw0rd-x1' } }), 403);
  });

  test('§2 404 unknown or invisible to the caller, the same answer for both (never leak existence)', async () => {
    const unknown = expectGraphError(await outsider.api('GET', `/v1.0/teams/${NO_SUCH_ID}`), 404);
    const invisible = expectGraphError(await outsider.api('GET', `/v1.0/teams/${team.id}`), 404);
    assert.equal(invisible.code, unknown.code);
    assert.equal(invisible.message.replace(team.id, NO_SUCH_ID), unknown.message);
  });

  test('§2 409 conflict -> the error shape', async () => {
    const body = { displayName: 'Twice', userPrincipalName: uniqueUpn('twice'), passwordProfile: { password: 'Passw0rd-' + randomToken(4) } };
    expectStatus(await admin('POST', '/v1.0/users', body), 201);
    expectGraphError(await admin('POST', '/v1.0/users', body), 409);
  });

  test('§2 413 too large -> the error shape', async () => {
    const body = JSON.stringify({ displayName: 'x'.repeat(2 * 1024 * 1024), userPrincipalName: uniqueUpn('big'), passwordProfile: { password: 'Passw0rd-x1' } });
    const r = await rawRequest(srv, 'POST', '/v1.0/users', {
      headers: { Authorization: `Bearer ${srv.adminToken}`, 'Content-Type': 'application/json', Expect: '100-continue' },
      chunks: [body],
    });
    expectGraphError(r, 413);
  });

  test('§2 429 throttled -> the error shape with Retry-After', async () => {
    const victim = await newUser(srv, 'throttled');
    let r;
    for (let i = 0; i < 6; i++) {
      r = await api(srv)('POST', '/api/v1/session', { userPrincipalName: victim.userPrincipalName, password: 'wrong-' + i });
    }
    expectGraphError(r, 429);
    assert.match(r.headers.get('retry-after') || '', /^[1-9]\d*$/, 'Retry-After in seconds');
  });

  test('§2 POST /api/v1/tokens {"userPrincipalName","password"} -> 201 {"token"}; Authorization: Bearer <token> authenticates', async () => {
    const r = expectStatus(await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: member.userPrincipalName, password: member.password }), 201);
    assert.equal(typeof expectJson(r).token, 'string');
    const me = expectStatus(await api(srv, r.body.token)('GET', '/v1.0/me'), 200);
    assert.equal(me.body.id, member.id);
  });

  test('§2 the session cookie set by the web login authenticates', async () => {
    const r = expectStatus(await api(srv)('POST', '/api/v1/session', { userPrincipalName: member.userPrincipalName, password: member.password }), 200);
    const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => /sb_session=/.test(c));
    assert.ok(cookie, JSON.stringify(r.headers.getSetCookie()));
    const me = expectStatus(await api(srv)('GET', '/v1.0/me', undefined, { cookie }), 200);
    assert.equal(me.body.id, member.id);
  });

  test('§2 ids are opaque strings in GUID form; times are RFC 3339 UTC', async () => {
    expectGuid(team.id, 'team id');
    expectGuid(general.id, 'channel id');
    const m = await postMessage(owner.api, team.id, general.id);
    expectGuid(m.id, 'message id');
    assert.match(m.createdDateTime, RFC3339_UTC_RE);
  });
});

describe('§3 Graph-compatible resources', () => {
  test('§3 GET /v1.0/me -> the caller\'s user', async () => {
    const r = expectStatus(await member.api('GET', '/v1.0/me'), 200);
    assert.equal(r.body.id, member.id);
    assert.equal(r.body.userPrincipalName, member.userPrincipalName);
    assert.equal(r.body.displayName, member.displayName);
  });

  test('§3 POST /v1.0/users (admin) {displayName, userPrincipalName, passwordProfile:{password}} -> 201 user {id, displayName, userPrincipalName}', async () => {
    const upn = uniqueUpn('created');
    const r = expectStatus(await admin('POST', '/v1.0/users', { displayName: 'Created One', userPrincipalName: upn, passwordProfile: { password: 'Passw0rd-' + randomToken(4) } }), 201);
    expectGuid(r.body.id);
    assert.equal(r.body.displayName, 'Created One');
    assert.equal(r.body.userPrincipalName, upn);
    expectGraphError(await member.api('POST', '/v1.0/users', { displayName: 'No', userPrincipalName: uniqueUpn('no'), passwordProfile: { password: 'Passw0rd-x1' } }), 403);
  });

  test('§3 POST /v1.0/teams {displayName, description?} -> 201 {id, displayName, description, memberSettings} + Location; caller is owner; General exists', async () => {
    const name = uniqueName('New team');
    const r = expectStatus(await member.api('POST', '/v1.0/teams', { displayName: name, description: 'd' }), 201);
    const t = expectJson(r);
    expectGuid(t.id);
    assert.equal(t.displayName, name);
    assert.equal(t.description, 'd');
    assert.equal(typeof t.memberSettings, 'object');
    assert.equal(typeof t.memberSettings.allowCreateUpdateRemoveConnectors, 'boolean');
    const loc = r.headers.get('location');
    assert.ok(loc && loc.endsWith(`/v1.0/teams/${t.id}`), `Location: ${loc}`);
    expectStatus(await member.api('GET', new URL(loc, srv.url).pathname), 200);
    const members = expectCollection(await member.api('GET', `/v1.0/teams/${t.id}/members`));
    assert.deepEqual(members.find((m) => m.userId === member.id).roles, ['owner']);
    const channels = expectCollection(await member.api('GET', `/v1.0/teams/${t.id}/channels`));
    assert.deepEqual(channels.map((c) => c.displayName), ['General']);
    const noDescription = expectStatus(await member.api('POST', '/v1.0/teams', { displayName: uniqueName('Bare') }), 201);
    assert.equal(typeof noDescription.body.description === 'string' || noDescription.body.description === null, true);
  });

  test('§3 POST /v1.0/teams and GET /v1.0/teams/{id} give the same team (every field)', async () => {
    const created = expectStatus(await owner.api('POST', '/v1.0/teams', { displayName: uniqueName('Same') }), 201).body;
    const got = expectStatus(await owner.api('GET', `/v1.0/teams/${created.id}`), 200).body;
    assert.deepEqual(got, created);
  });

  test('§3 GET /v1.0/me/joinedTeams -> {value:[team]}', async () => {
    const value = expectCollection(await member.api('GET', '/v1.0/me/joinedTeams'));
    const t = value.find((x) => x.id === team.id);
    assert.ok(t, JSON.stringify(value));
    assert.equal(t.displayName, team.displayName);
    assert.ok(!expectCollection(await outsider.api('GET', '/v1.0/me/joinedTeams')).some((x) => x.id === team.id));
  });

  test('§3 GET /v1.0/teams/{team-id} -> team {id, displayName, description, memberSettings}', async () => {
    const t = expectStatus(await member.api('GET', `/v1.0/teams/${team.id}`), 200).body;
    assert.equal(t.id, team.id);
    assert.equal(t.displayName, team.displayName);
    assert.equal(t.description, 'the team of the §3 tests');
    assert.equal(typeof t.memberSettings, 'object');
  });

  test('§3 PATCH /v1.0/teams/{team-id} {memberSettings:{allowCreateUpdateRemoveConnectors}} (owners) -> 204', async () => {
    const r = await owner.api('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: false } });
    expectStatus(r, 204);
    assert.equal(r.text, '');
    assert.equal((await owner.api('GET', `/v1.0/teams/${team.id}`)).body.memberSettings.allowCreateUpdateRemoveConnectors, false);
    expectGraphError(await member.api('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: true } }), 403);
    expectStatus(await owner.api('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: true } }), 204);
  });

  test('§3 GET /v1.0/teams/{team-id}/channels -> {value:[channel]}', async () => {
    const value = expectCollection(await member.api('GET', `/v1.0/teams/${team.id}/channels`));
    const g = value.find((c) => c.id === general.id);
    assert.ok(g);
    for (const k of ['id', 'displayName', 'description', 'membershipType']) assert.ok(k in g, `channel.${k}: ${JSON.stringify(g)}`);
  });

  test('§3 POST /v1.0/teams/{team-id}/channels {displayName, description?} -> 201 channel {id, displayName, description, membershipType}', async () => {
    const name = uniqueName('Builds');
    const r = expectStatus(await owner.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: name, description: 'ci' }), 201);
    expectGuid(r.body.id);
    assert.equal(r.body.displayName, name);
    assert.equal(r.body.description, 'ci');
    assert.equal(r.body.membershipType, 'standard');
  });

  test('§3 GET /v1.0/teams/{team-id}/members -> {value:[{id, userId, displayName, roles}]}', async () => {
    const value = expectCollection(await member.api('GET', `/v1.0/teams/${team.id}/members`));
    const m = value.find((x) => x.userId === member.id);
    assert.ok(m, JSON.stringify(value));
    assert.equal(typeof m.id, 'string');
    assert.equal(m.displayName, member.displayName);
    assert.deepEqual(m.roles, []);
    assert.deepEqual(value.find((x) => x.userId === owner.id).roles, ['owner']);
  });

  test('§3 POST /v1.0/teams/{team-id}/members aadUserConversationMember {roles, user@odata.bind: ...users(\'{id}\')} -> 201', async () => {
    const u = await newUser(srv, 'added');
    const r = expectStatus(await owner.api('POST', `/v1.0/teams/${team.id}/members`, memberBody(u.id, ['owner'])), 201);
    assert.equal(r.body.userId, u.id);
    assert.deepEqual(r.body.roles, ['owner']);
    assert.equal(typeof r.body.id, 'string');
  });

  test('§3 DELETE /v1.0/teams/{team-id}/members/{membership-id} -> 204', async () => {
    const u = await newUser(srv, 'removed');
    const m = await addMember(owner.api, team.id, u.id);
    const r = expectStatus(await owner.api('DELETE', `/v1.0/teams/${team.id}/members/${m.id}`), 204);
    assert.equal(r.text, '');
    assert.ok(!expectCollection(await owner.api('GET', `/v1.0/teams/${team.id}/members`)).some((x) => x.userId === u.id));
  });

  test('§3 GET .../messages?$top=N -> {value:[chatMessage], "@odata.nextLink"?}, newest first', async () => {
    const ch = await createChannel(owner.api, team.id);
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await postMessage(owner.api, team.id, ch.id, `paging ${i}`));
    const first = await member.api('GET', `${messagesPath(team.id, ch.id)}?$top=2`);
    const page1 = expectCollection(first);
    assert.deepEqual(page1.map((m) => m.id), [sent[2].id, sent[1].id]);
    const next = first.body['@odata.nextLink'];
    assert.equal(typeof next, 'string');
    assert.ok(next.startsWith(srv.url + '/v1.0/'), next);
    const page2 = expectCollection(await member.api('GET', next));
    assert.deepEqual(page2.map((m) => m.id), [sent[0].id]);
    const all = await member.api('GET', `${messagesPath(team.id, ch.id)}?$top=10`);
    assert.equal(all.body['@odata.nextLink'], undefined, 'no nextLink on the last page');
  });

  for (const contentType of ['text', 'html']) {
    test(`§3 POST .../messages {body:{contentType:"${contentType}", content}} -> 201 chatMessage`, async () => {
      const content = contentType === 'html' ? '<p>Hello <b>world</b></p>' : 'Hello world';
      const r = expectStatus(await member.api('POST', messagesPath(team.id, general.id), { body: { contentType, content } }), 201);
      assert.deepEqual(r.body.body, { contentType, content });
      assert.equal(r.body.messageType, 'message');
    });
  }

  test('§3 chatMessage {id, createdDateTime, messageType:"message", from:{user:{id, displayName}}, body, summary, attachments, channelIdentity} for people', async () => {
    const m = await postMessage(member.api, team.id, general.id, 'shape of a person\'s message');
    expectGuid(m.id);
    assert.match(m.createdDateTime, RFC3339_UTC_RE);
    assert.equal(m.messageType, 'message');
    assert.equal(m.from.user.id, member.id);
    assert.equal(m.from.user.displayName, member.displayName);
    assert.ok(!m.from.application, 'no application for a person');
    assert.ok('summary' in m, 'summary');
    assert.deepEqual(m.attachments, []);
    assert.deepEqual(m.channelIdentity, { teamId: team.id, channelId: general.id });
  });

  test('§3 chatMessage from a webhook: from.application {id, displayName, applicationIdentityType:"connector"}; a MessageCard is an attachment {id, contentType:o365connector, content: the card as a string, name}', async () => {
    const hook = await createWebhook(owner.api, general.id, { name: 'Contract hook' });
    const card = messageCard('card for §3');
    expectAccepted(await postTo(hook.url, card));
    const [m] = expectCollection(await member.api('GET', `${messagesPath(team.id, general.id)}?$top=1`));
    assert.equal(m.from.application.id, hook.id);
    assert.equal(m.from.application.displayName, 'Contract hook');
    assert.equal(m.from.application.applicationIdentityType, 'connector');
    assert.equal(m.attachments.length, 1);
    const a = m.attachments[0];
    for (const k of ['id', 'contentType', 'content', 'name']) assert.ok(k in a, `attachment.${k}: ${JSON.stringify(a)}`);
    assert.equal(a.contentType, MESSAGECARD_TYPE);
    assert.equal(typeof a.content, 'string');
    assert.equal(JSON.parse(a.content).text, 'card for §3');
  });

  test('§3 an Adaptive Card is an attachment with contentType application/vnd.microsoft.card.adaptive and the card JSON as a string', async () => {
    const hook = await createWebhook(owner.api, general.id, { name: 'Adaptive hook' });
    expectAccepted(await postTo(hook.url, adaptiveEnvelope([adaptiveCard('adaptive for §3')])));
    const [m] = expectCollection(await member.api('GET', `${messagesPath(team.id, general.id)}?$top=1`));
    assert.equal(m.attachments[0].contentType, ADAPTIVE_TYPE);
    assert.equal(JSON.parse(m.attachments[0].content).body[0].text, 'adaptive for §3');
  });

  test('§3 POST /v1.0/appCatalogs/teamsApps (application/zip) -> 201 teamsApp {id, externalId, displayName, distributionMethod:"organization"}', async () => {
    const r = expectStatus(await admin('POST', '/v1.0/appCatalogs/teamsApps', appPackage({ id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }), { contentType: 'application/zip' }), 201);
    expectGuid(r.body.id);
    assert.equal(r.body.externalId, '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    assert.equal(r.body.displayName, 'Alerts');
    assert.equal(r.body.distributionMethod, 'organization');
  });

  test('§3 unknown $-query options are ignored', async () => {
    const value = expectCollection(await member.api('GET', `/v1.0/teams/${team.id}/channels?$select=displayName&$orderby=foo&$bogus=1`));
    assert.ok(value.some((c) => c.id === general.id));
  });
});

describe('§3 every resource addressed by id can be read by id; unknown ids -> 404 in the Graph shape', () => {
  test('§3 GET /v1.0/teams/{team-id} by id; unknown -> 404', async () => {
    expectStatus(await member.api('GET', `/v1.0/teams/${team.id}`), 200);
    expectGraphError(await member.api('GET', `/v1.0/teams/${NO_SUCH_ID}`), 404);
  });

  test('§3 GET /v1.0/teams/{team-id}/channels/{channel-id} by id; unknown -> 404', async () => {
    const r = expectStatus(await member.api('GET', `/v1.0/teams/${team.id}/channels/${general.id}`), 200);
    assert.equal(r.body.id, general.id);
    assert.equal(r.body.displayName, 'General');
    expectGraphError(await member.api('GET', `/v1.0/teams/${team.id}/channels/${NO_SUCH_ID}`), 404);
    expectGraphError(await outsider.api('GET', `/v1.0/teams/${team.id}/channels/${general.id}`), 404);
  });

  test('§3 GET /v1.0/teams/{team-id}/members/{membership-id} by id; unknown -> 404', async () => {
    const list = expectCollection(await member.api('GET', `/v1.0/teams/${team.id}/members`));
    const mine = list.find((x) => x.userId === member.id);
    const r = expectStatus(await member.api('GET', `/v1.0/teams/${team.id}/members/${mine.id}`), 200);
    for (const k of ['id', 'userId', 'displayName', 'roles']) assert.deepEqual(r.body[k], mine[k], k);
    expectGraphError(await member.api('GET', `/v1.0/teams/${team.id}/members/${NO_SUCH_ID}`), 404);
    expectGraphError(await outsider.api('GET', `/v1.0/teams/${team.id}/members/${mine.id}`), 404);
  });

  test('§3 GET /v1.0/users/{id} by id; unknown -> 404', async () => {
    const r = expectStatus(await member.api('GET', `/v1.0/users/${owner.id}`), 200);
    assert.equal(r.body.id, owner.id);
    assert.equal(r.body.displayName, owner.displayName);
    expectGraphError(await member.api('GET', `/v1.0/users/${NO_SUCH_ID}`), 404);
  });

  test('§3 GET /v1.0/teams/{t}/channels/{c}/messages/{m} by id -> the chatMessage; unknown or invisible -> 404', async () => {
    const sent = await postMessage(owner.api, team.id, general.id, 'read me by id');
    const r = expectStatus(await member.api('GET', `${messagesPath(team.id, general.id)}/${sent.id}`), 200);
    assert.equal(r.body.id, sent.id);
    assert.deepEqual(r.body.body, sent.body);
    assert.deepEqual(r.body.channelIdentity, { teamId: team.id, channelId: general.id });
    expectGraphError(await member.api('GET', `${messagesPath(team.id, general.id)}/${NO_SUCH_ID}`), 404);
    expectGraphError(await outsider.api('GET', `${messagesPath(team.id, general.id)}/${sent.id}`), 404);
  });

  test('§3 GET /v1.0/appCatalogs/teamsApps/{id} by id; unknown -> 404', async () => {
    const up = expectStatus(await admin('POST', '/v1.0/appCatalogs/teamsApps', appPackage({ id: '8b1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }), { contentType: 'application/zip' }), 201);
    const r = expectStatus(await member.api('GET', `/v1.0/appCatalogs/teamsApps/${up.body.id}`), 200);
    assert.equal(r.body.id, up.body.id);
    assert.equal(r.body.externalId, '8b1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    expectGraphError(await member.api('GET', `/v1.0/appCatalogs/teamsApps/${NO_SUCH_ID}`), 404);
  });
});
