// Teams and channels: /v1.0/teams, /v1.0/me/joinedTeams, /v1.0/teams/{id}/channels.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectGuid, expectCollection,
  createTeam, createChannel, listChannels, listMembers, addMember, uniqueName,
} from './lib/graph.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let srv;
let owner;
let member;
let outsider;

before(async () => {
  srv = await startServer();
  [owner, member, outsider] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'outsider')]);
});

after(async () => {
  if (srv) await srv.close();
});

describe('POST /v1.0/teams', () => {
  let created; // the response of the creation
  const name = uniqueName('Platform');

  before(async () => {
    created = await owner.api('POST', '/v1.0/teams', { displayName: name, description: 'Platform team' });
  });

  test('-> 201 team {id, displayName, description, memberSettings}', () => {
    expectStatus(created, 201);
    const t = expectJson(created);
    expectGuid(t.id);
    assert.equal(t.displayName, name);
    assert.equal(t.description, 'Platform team');
    assert.equal(typeof t.memberSettings, 'object');
    assert.equal(t.memberSettings.allowCreateUpdateRemoveConnectors, true);
  });

  test('has a Location header naming the team', () => {
    const loc = created.headers.get('location');
    assert.ok(loc, 'missing Location header');
    assert.ok(loc.includes(created.body.id), `Location ${loc} does not name team ${created.body.id}`);
  });

  test('the creator becomes an owner', async () => {
    const members = await listMembers(owner.api, created.body.id);
    const me = members.find((m) => m.userId === owner.id);
    assert.ok(me, `creator not among members: ${JSON.stringify(members)}`);
    assert.deepEqual(me.roles, ['owner']);
    assert.equal(members.length, 1);
  });

  test('a "General" channel is created', async () => {
    const channels = await listChannels(owner.api, created.body.id);
    const general = channels.filter((c) => c.displayName === 'General');
    assert.equal(general.length, 1, JSON.stringify(channels));
    expectGuid(general[0].id, 'General channel id');
    assert.equal(general[0].membershipType, 'standard');
  });

  test('GET /v1.0/teams/{id} -> the team', async () => {
    const r = await owner.api('GET', `/v1.0/teams/${created.body.id}`);
    expectStatus(r, 200);
    const t = expectJson(r);
    assert.equal(t.id, created.body.id);
    assert.equal(t.displayName, name);
    assert.equal(t.description, 'Platform team');
    assert.deepEqual(t.memberSettings, created.body.memberSettings);
  });

  test('POST and GET /v1.0/teams/{id} give the same object, field for field', async () => {
    const got = expectJson(await owner.api('GET', `/v1.0/teams/${created.body.id}`));
    assert.deepEqual(got, created.body);
    assert.equal(got.connectorsEnabled, null);
    const listed = expectCollection(await owner.api('GET', '/v1.0/me/joinedTeams')).find((t) => t.id === created.body.id);
    assert.deepEqual(listed, created.body);
  });

  test('GET /v1.0/me/joinedTeams lists it, and only for members', async () => {
    const mine = expectCollection(await owner.api('GET', '/v1.0/me/joinedTeams'));
    const t = mine.find((x) => x.id === created.body.id);
    assert.ok(t, 'team missing from the owner\'s joinedTeams');
    assert.equal(t.displayName, name);
    assert.equal(t.description, 'Platform team');
    assert.deepEqual(t.memberSettings, created.body.memberSettings);
    const theirs = expectCollection(await outsider.api('GET', '/v1.0/me/joinedTeams'));
    assert.ok(!theirs.some((x) => x.id === created.body.id), 'joinedTeams of a non-member shows the team');
  });

  test('description is optional', async () => {
    const r = await owner.api('POST', '/v1.0/teams', { displayName: uniqueName('NoDesc') });
    expectStatus(r, 201);
    expectGuid(r.body.id);
    assert.ok('description' in r.body, 'description should be present (null or empty)');
    assert.ok(r.body.description === null || r.body.description === '', `description: ${JSON.stringify(r.body.description)}`);
  });

  test('two teams may share a display name and get distinct ids', async () => {
    const n = uniqueName('Same');
    const a = await createTeam(owner.api, n);
    const b = await createTeam(owner.api, n);
    assert.notEqual(a.id, b.id);
  });

  test('missing displayName -> 400 naming it', async () => {
    expectGraphError(await owner.api('POST', '/v1.0/teams', { description: 'x' }), 400, 'displayName');
  });

  test('displayName: 5 -> 400 naming it', async () => {
    expectGraphError(await owner.api('POST', '/v1.0/teams', { displayName: 5 }), 400, 'displayName');
  });

  test('description: 5 -> 400 naming it', async () => {
    expectGraphError(await owner.api('POST', '/v1.0/teams', { displayName: uniqueName('T'), description: 5 }), 400, 'description');
  });

  test('malformed JSON -> 400', async () => {
    expectGraphError(await owner.api('POST', '/v1.0/teams', '{"displayName":'), 400);
  });

  test('unknown team id -> 404', async () => {
    expectGraphError(await owner.api('GET', `/v1.0/teams/${NO_SUCH_ID}`), 404);
  });

  test('a non-member cannot see the team -> 404', async () => {
    expectGraphError(await outsider.api('GET', `/v1.0/teams/${created.body.id}`), 404);
  });
});

describe('PATCH /v1.0/teams/{id}', () => {
  let team;

  before(async () => {
    team = await createTeam(owner.api);
    await addMember(owner.api, team.id, member.id, []);
  });

  const patch = (call, value) => call('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: value } });
  const current = async () => {
    const r = await owner.api('GET', `/v1.0/teams/${team.id}`);
    expectStatus(r, 200);
    return r.body.memberSettings.allowCreateUpdateRemoveConnectors;
  };

  test('by the owner -> 204, and GET shows the new value', async () => {
    const r = await patch(owner.api, false);
    expectStatus(r, 204);
    assert.equal(r.text, '', '204 has no body');
    assert.equal(await current(), false);
    expectStatus(await patch(owner.api, true), 204);
    assert.equal(await current(), true);
  });

  test('the rest of the team is unchanged', async () => {
    expectStatus(await patch(owner.api, false), 204);
    const r = await owner.api('GET', `/v1.0/teams/${team.id}`);
    assert.equal(r.body.displayName, team.displayName);
    assert.equal(r.body.description, team.description);
    expectStatus(await patch(owner.api, true), 204);
  });

  test('by a member -> 403, value unchanged', async () => {
    expectGraphError(await patch(member.api, false), 403);
    assert.equal(await current(), true);
  });

  test('by a non-member -> 404, value unchanged', async () => {
    expectGraphError(await patch(outsider.api, false), 404);
    assert.equal(await current(), true);
  });

  test('anonymous -> 401', async () => {
    expectGraphError(await patch(api(srv), false), 401);
  });

  test('wrong type (string) -> 400', async () => {
    expectGraphError(await patch(owner.api, 'no'), 400, 'allowCreateUpdateRemoveConnectors');
    assert.equal(await current(), true);
  });

  test('memberSettings not an object -> 400', async () => {
    expectGraphError(await owner.api('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: true }), 400, 'memberSettings');
  });

  test('malformed JSON -> 400', async () => {
    expectGraphError(await owner.api('PATCH', `/v1.0/teams/${team.id}`, '{"memberSettings":'), 400);
  });

  test('unknown team -> 404', async () => {
    expectGraphError(await owner.api('PATCH', `/v1.0/teams/${NO_SUCH_ID}`, { memberSettings: { allowCreateUpdateRemoveConnectors: false } }), 404);
  });
});

describe('channels', () => {
  let team;
  let other; // a second team

  before(async () => {
    team = await createTeam(owner.api);
    other = await createTeam(owner.api);
    await addMember(owner.api, team.id, member.id, []);
  });

  test('POST -> 201 channel {id, displayName, description, membershipType:"standard"}', async () => {
    const name = uniqueName('Ops');
    const r = await owner.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: name, description: 'operations' });
    expectStatus(r, 201);
    const c = expectJson(r);
    expectGuid(c.id);
    assert.equal(c.displayName, name);
    assert.equal(c.description, 'operations');
    assert.equal(c.membershipType, 'standard');
  });

  test('GET -> {value:[channel]} including General and the new channel', async () => {
    const c = await createChannel(owner.api, team.id, uniqueName('Listed'), 'listed');
    const value = await listChannels(owner.api, team.id);
    const found = value.find((x) => x.id === c.id);
    assert.ok(found, 'new channel missing from the list');
    assert.equal(found.displayName, c.displayName);
    assert.equal(found.description, 'listed');
    assert.equal(found.membershipType, 'standard');
    assert.ok(value.some((x) => x.displayName === 'General'));
    for (const ch of value) expectGuid(ch.id, 'channel id');
    assert.equal(new Set(value.map((x) => x.id)).size, value.length, 'duplicate ids in the list');
  });

  test('channels of one team do not show in another', async () => {
    const c = await createChannel(owner.api, team.id);
    const value = await listChannels(owner.api, other.id);
    assert.ok(!value.some((x) => x.id === c.id));
  });

  test('a member can create a channel', async () => {
    expectStatus(await member.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: uniqueName('ByMember') }), 201);
  });

  test('duplicate name in the same team -> 409', async () => {
    const name = uniqueName('Dup');
    await createChannel(owner.api, team.id, name);
    expectGraphError(await owner.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: name }), 409);
  });

  test('duplicate name in another case -> 409', async () => {
    const name = uniqueName('CaseDup');
    await createChannel(owner.api, team.id, name);
    expectGraphError(await owner.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: name.toUpperCase() }), 409);
    expectGraphError(await owner.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: name.toLowerCase() }), 409);
  });

  test('"general" clashes with the General channel -> 409', async () => {
    expectGraphError(await owner.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: 'general' }), 409);
  });

  test('the same name in a different team is fine', async () => {
    const name = uniqueName('Shared');
    await createChannel(owner.api, team.id, name);
    await createChannel(owner.api, other.id, name);
  });

  test('missing displayName -> 400 naming it', async () => {
    expectGraphError(await owner.api('POST', `/v1.0/teams/${team.id}/channels`, { description: 'x' }), 400, 'displayName');
  });

  test('displayName: 5 -> 400 naming it', async () => {
    expectGraphError(await owner.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: 5 }), 400, 'displayName');
  });

  test('malformed JSON -> 400', async () => {
    expectGraphError(await owner.api('POST', `/v1.0/teams/${team.id}/channels`, '{'), 400);
  });

  test('unknown team -> 404 (GET and POST)', async () => {
    expectGraphError(await owner.api('GET', `/v1.0/teams/${NO_SUCH_ID}/channels`), 404);
    expectGraphError(await owner.api('POST', `/v1.0/teams/${NO_SUCH_ID}/channels`, { displayName: 'x' }), 404);
  });

  test('a non-member -> 404 (GET and POST)', async () => {
    expectGraphError(await outsider.api('GET', `/v1.0/teams/${team.id}/channels`), 404);
    expectGraphError(await outsider.api('POST', `/v1.0/teams/${team.id}/channels`, { displayName: uniqueName('Nope') }), 404);
  });
});

describe('GET by id: unknown or invisible ids answer 404 in the Graph shape', () => {
  let team;
  let channel;

  before(async () => {
    team = await createTeam(owner.api);
    channel = await createChannel(owner.api, team.id);
  });

  test('team: unknown, or not a member', async () => {
    expectGraphError(await owner.api('GET', `/v1.0/teams/${NO_SUCH_ID}`), 404);
    expectGraphError(await owner.api('GET', '/v1.0/teams/not-a-guid'), 404);
    expectGraphError(await outsider.api('GET', `/v1.0/teams/${team.id}`), 404);
  });

  test('channel: unknown, of another team, or not a member', async () => {
    const r = await owner.api('GET', `/v1.0/teams/${team.id}/channels/${channel.id}`);
    expectStatus(r, 200);
    assert.deepEqual(expectJson(r), (await listChannels(owner.api, team.id)).find((c) => c.id === channel.id));
    assert.deepEqual(r.body, channel, 'POST and GET give the same channel');
    expectGraphError(await owner.api('GET', `/v1.0/teams/${team.id}/channels/${NO_SUCH_ID}`), 404);
    const other = await createTeam(owner.api);
    expectGraphError(await owner.api('GET', `/v1.0/teams/${other.id}/channels/${channel.id}`), 404);
    expectGraphError(await outsider.api('GET', `/v1.0/teams/${team.id}/channels/${channel.id}`), 404);
  });

  test('user and app: unknown ids', async () => {
    expectStatus(await owner.api('GET', `/v1.0/users/${owner.id}`), 200);
    expectGraphError(await owner.api('GET', `/v1.0/users/${NO_SUCH_ID}`), 404);
    expectGraphError(await owner.api('GET', `/v1.0/appCatalogs/teamsApps/${NO_SUCH_ID}`), 404);
  });
});
