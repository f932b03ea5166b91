// Team members: GET/POST /v1.0/teams/{id}/members, DELETE /members/{membership-id}.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, newUser, api } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectGuid,
  createTeam, addMember, listMembers, memberBody,
} from './lib/graph.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let srv;
let owner;

before(async () => {
  srv = await startServer();
  owner = await newUser(srv, 'owner');
});

after(async () => {
  if (srv) await srv.close();
});

const membersPath = (teamId) => `/v1.0/teams/${teamId}/members`;

describe('adding members', () => {
  let team;
  let plain;
  let co;
  let guest;
  const added = {};

  before(async () => {
    team = await createTeam(owner.api);
    [plain, co, guest] = await Promise.all([newUser(srv, 'plain'), newUser(srv, 'coowner'), newUser(srv, 'guest')]);
  });

  for (const [label, roles] of [['member', []], ['owner', ['owner']], ['guest', ['guest']]]) {
    test(`POST roles ${JSON.stringify(roles)} -> 201 {id, userId, displayName, roles}`, async () => {
      const user = { member: plain, owner: co, guest }[label];
      const r = await owner.api('POST', membersPath(team.id), memberBody(user.id, roles));
      expectStatus(r, 201);
      const m = expectJson(r);
      expectGuid(m.id, 'membership id');
      assert.equal(m.userId, user.id);
      assert.equal(m.displayName, user.displayName);
      assert.deepEqual(m.roles, roles);
      added[label] = m;
    });
  }

  test('GET -> {value:[...]} with roles [] / ["owner"] / ["guest"]', async () => {
    const value = await listMembers(owner.api, team.id);
    const byUser = new Map(value.map((m) => [m.userId, m]));
    assert.equal(value.length, 4, JSON.stringify(value));
    assert.deepEqual(byUser.get(owner.id).roles, ['owner']);
    assert.deepEqual(byUser.get(plain.id).roles, []);
    assert.deepEqual(byUser.get(co.id).roles, ['owner']);
    assert.deepEqual(byUser.get(guest.id).roles, ['guest']);
    for (const m of value) {
      expectGuid(m.id, 'membership id');
      expectGuid(m.userId, 'userId');
      assert.equal(typeof m.displayName, 'string');
    }
    assert.equal(byUser.get(plain.id).displayName, plain.displayName);
    for (const label of ['member', 'owner', 'guest']) {
      if (added[label]) assert.equal(value.find((m) => m.userId === added[label].userId).id, added[label].id, 'membership id is stable');
    }
  });

  test('the new members see the team in joinedTeams', async () => {
    for (const u of [plain, co, guest]) {
      const r = await u.api('GET', '/v1.0/me/joinedTeams');
      expectStatus(r, 200);
      assert.ok(r.body.value.some((t) => t.id === team.id), `${u.displayName} does not see the team`);
    }
  });

  test('adding an existing member -> 409', async () => {
    expectGraphError(await owner.api('POST', membersPath(team.id), memberBody(plain.id, [])), 409);
    expectGraphError(await owner.api('POST', membersPath(team.id), memberBody(plain.id, ['owner'])), 409);
  });

  test('unknown user id in the bind -> 404 or 400, never 201', async () => {
    const r = await owner.api('POST', membersPath(team.id), memberBody(NO_SUCH_ID, []));
    expectGraphError(r, [400, 404]);
  });

  test('a bind that is not a users(...) URL -> 400', async () => {
    const body = { ...memberBody(plain.id, []), 'user@odata.bind': 'https://example.com/nothing' };
    expectGraphError(await owner.api('POST', membersPath(team.id), body), 400);
  });

  test('missing user@odata.bind -> 400', async () => {
    expectGraphError(
      await owner.api('POST', membersPath(team.id), { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: [] }),
      400,
    );
  });

  test('roles not an array -> 400', async () => {
    const u = await newUser(srv, 'badroles');
    const body = { ...memberBody(u.id), roles: 'owner' };
    expectGraphError(await owner.api('POST', membersPath(team.id), body), 400, 'roles');
  });

  test('an unknown role -> 400', async () => {
    const u = await newUser(srv, 'badrole');
    expectGraphError(await owner.api('POST', membersPath(team.id), memberBody(u.id, ['superuser'])), 400);
  });

  test('the bind may use the users/{id} form Graph also accepts', async () => {
    const u = await newUser(srv, 'slashform');
    const body = { ...memberBody(u.id, []), 'user@odata.bind': `https://graph.microsoft.com/v1.0/users/${u.id}` };
    const r = await owner.api('POST', membersPath(team.id), body);
    // The contract only requires the users('{id}') form; the /users/{id} form is accepted by
    // Graph too. Either success or a clean 400, but never a server error.
    expectStatus(r, [201, 400]);
  });

  test('unknown team -> 404', async () => {
    expectGraphError(await owner.api('POST', membersPath(NO_SUCH_ID), memberBody(plain.id, [])), 404);
    expectGraphError(await owner.api('GET', membersPath(NO_SUCH_ID)), 404);
  });
});

describe('removing members', () => {
  let team;
  let alice; // member
  let bob; // member
  let carol; // guest

  before(async () => {
    team = await createTeam(owner.api);
    [alice, bob, carol] = await Promise.all([newUser(srv, 'alice'), newUser(srv, 'bob'), newUser(srv, 'carol')]);
    alice.m = await addMember(owner.api, team.id, alice.id, []);
    bob.m = await addMember(owner.api, team.id, bob.id, []);
    carol.m = await addMember(owner.api, team.id, carol.id, ['guest']);
  });

  test('a member cannot add others -> 403', async () => {
    const u = await newUser(srv, 'wannabe');
    expectGraphError(await alice.api('POST', membersPath(team.id), memberBody(u.id, [])), 403);
    const value = await listMembers(owner.api, team.id);
    assert.ok(!value.some((m) => m.userId === u.id), 'the refused add happened anyway');
  });

  test('a member cannot remove others -> 403', async () => {
    expectGraphError(await alice.api('DELETE', `${membersPath(team.id)}/${bob.m.id}`), 403);
    const value = await listMembers(owner.api, team.id);
    assert.ok(value.some((m) => m.id === bob.m.id), 'the refused removal happened anyway');
  });

  test('a member cannot remove the owner -> 403', async () => {
    const ownerM = (await listMembers(owner.api, team.id)).find((m) => m.userId === owner.id);
    expectGraphError(await alice.api('DELETE', `${membersPath(team.id)}/${ownerM.id}`), 403);
  });

  test('a guest cannot remove others -> 403', async () => {
    expectGraphError(await carol.api('DELETE', `${membersPath(team.id)}/${bob.m.id}`), 403);
  });

  test('the owner removes a member -> 204; they lose access', async () => {
    const r = await owner.api('DELETE', `${membersPath(team.id)}/${bob.m.id}`);
    expectStatus(r, 204);
    assert.equal(r.text, '');
    const value = await listMembers(owner.api, team.id);
    assert.ok(!value.some((m) => m.userId === bob.id));
    expectGraphError(await bob.api('GET', `/v1.0/teams/${team.id}`), 404);
    const joined = await bob.api('GET', '/v1.0/me/joinedTeams');
    expectStatus(joined, 200);
    assert.ok(!joined.body.value.some((t) => t.id === team.id));
  });

  test('removing a membership that is gone -> 404', async () => {
    expectGraphError(await owner.api('DELETE', `${membersPath(team.id)}/${bob.m.id}`), 404);
    expectGraphError(await owner.api('DELETE', `${membersPath(team.id)}/${NO_SUCH_ID}`), 404);
  });

  test('a removed member can be added again', async () => {
    const m = await addMember(owner.api, team.id, bob.id, []);
    expectGuid(m.id);
    bob.m = m;
  });

  test('a member may remove their own membership (leave) -> 204', async () => {
    const r = await alice.api('DELETE', `${membersPath(team.id)}/${alice.m.id}`);
    expectStatus(r, 204);
    expectGraphError(await alice.api('GET', `/v1.0/teams/${team.id}`), 404);
  });

  test('a guest may leave -> 204', async () => {
    expectStatus(await carol.api('DELETE', `${membersPath(team.id)}/${carol.m.id}`), 204);
  });

  test('removing the last owner -> 409 (also by the owner themself)', async () => {
    const ownerM = (await listMembers(owner.api, team.id)).find((m) => m.userId === owner.id);
    expectGraphError(await owner.api('DELETE', `${membersPath(team.id)}/${ownerM.id}`), 409);
    const value = await listMembers(owner.api, team.id);
    assert.ok(value.some((m) => m.id === ownerM.id), 'the last owner was removed');
  });

  test('the global admin cannot remove the last owner either -> 409', async () => {
    const admin = api(srv, srv.adminToken);
    const ownerM = (await listMembers(owner.api, team.id)).find((m) => m.userId === owner.id);
    expectGraphError(await admin('DELETE', `${membersPath(team.id)}/${ownerM.id}`), 409);
  });

  test('with a second owner, the first owner can leave', async () => {
    const t = await createTeam(owner.api);
    const second = await newUser(srv, 'second');
    await addMember(owner.api, t.id, second.id, ['owner']);
    const ownerM = (await listMembers(owner.api, t.id)).find((m) => m.userId === owner.id);
    expectStatus(await owner.api('DELETE', `${membersPath(t.id)}/${ownerM.id}`), 204);
    const value = await listMembers(second.api, t.id);
    assert.deepEqual(value.map((m) => m.userId), [second.id]);
    assert.deepEqual(value[0].roles, ['owner']);
  });

  test('a membership id of another team -> 404', async () => {
    const t2 = await createTeam(owner.api);
    const u = await newUser(srv, 'elsewhere');
    const m2 = await addMember(owner.api, t2.id, u.id, []);
    expectGraphError(await owner.api('DELETE', `${membersPath(team.id)}/${m2.id}`), 404);
    const value = await listMembers(owner.api, t2.id);
    assert.ok(value.some((m) => m.id === m2.id));
  });
});

describe('GET one membership by id', () => {
  let team;
  let plain;
  let membership;

  before(async () => {
    team = await createTeam(owner.api);
    plain = await newUser(srv, 'plain');
    membership = await addMember(owner.api, team.id, plain.id, ['guest']);
  });

  test('GET .../members/{membership-id} -> 200, the member as the list gives it', async () => {
    const r = await plain.api('GET', `${membersPath(team.id)}/${membership.id}`);
    expectStatus(r, 200);
    const listed = (await listMembers(owner.api, team.id)).find((m) => m.id === membership.id);
    assert.deepEqual(expectJson(r), listed);
    assert.deepEqual(r.body, membership, 'POST and GET give the same membership');
    assert.equal(r.body.userId, plain.id);
    assert.deepEqual(r.body.roles, ['guest']);
  });

  test('unknown membership id, or one of another team -> 404 Graph error', async () => {
    expectGraphError(await owner.api('GET', `${membersPath(team.id)}/${NO_SUCH_ID}`), 404);
    const t2 = await createTeam(owner.api);
    const other = (await listMembers(owner.api, t2.id))[0];
    expectGraphError(await owner.api('GET', `${membersPath(team.id)}/${other.id}`), 404);
  });

  test('someone outside the team -> 404', async () => {
    const outsider = await newUser(srv, 'outsider');
    expectGraphError(await outsider.api('GET', `${membersPath(team.id)}/${membership.id}`), 404);
  });
});
