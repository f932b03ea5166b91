// Authorization matrix: role x action -> status, one test per cell.
//
// Roles: admin (global administrator, not a member of the team), owner, member, guest,
// outsider (signed in, not a member), anonymous (no credentials).
// Rules: anonymous -> 401 everywhere; outsider -> 404 for everything of the team (never 403,
// never leak that it exists); guest reads everything and posts messages, but may not create
// channels, change settings or manage members (403); member = guest + may create channels;
// owner may do everything on the team; admin may do everything everywhere; only admin creates
// users (everyone else signed in -> 403). Conversation (contract §6): everyone in the team
// replies and reacts; only the author edits a message (editOwners: the owner's message, so
// administrators get 403 too); the author, owners and administrators soft-delete one
// (deleteMembers: the member's message).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, createUser, uniqueUpn, randomToken } from './lib/server.mjs';
import {
  expectStatus, expectGraphError, expectCollection,
  createTeam, generalChannel, addMember, listMembers, listChannels, postMessage, messagesPath, memberBody, uniqueName,
} from './lib/graph.mjs';

const ROLES = ['admin', 'owner', 'member', 'guest', 'outsider', 'anonymous'];

// Expected status per role and action. Success codes: 200 read, 201 create, 204 update/delete.
const EXPECT = {
  //          readTeam patchTeam listChannels createChannel listMembers addMember removeMember readMessages postMessage createUser reply editOwners deleteMembers react
  admin:     [200,     204,      200,         201,          200,        201,      204,         200,         201,        201,       201,  403,       204,          204],
  owner:     [200,     204,      200,         201,          200,        201,      204,         200,         201,        403,       201,  204,       204,          204],
  member:    [200,     403,      200,         201,          200,        403,      403,         200,         201,        403,       201,  403,       204,          204],
  guest:     [200,     403,      200,         403,          200,        403,      403,         200,         201,        403,       201,  403,       403,          204],
  outsider:  [404,     404,      404,         404,          404,        404,      404,         404,         404,        403,       404,  404,       404,          404],
  anonymous: [401,     401,      401,         401,          401,        401,      401,         401,         401,        401,       401,  401,       401,          401],
};
const ACTION_NAMES = [
  'readTeam', 'patchTeam', 'listChannels', 'createChannel', 'listMembers',
  'addMember', 'removeMember', 'readMessages', 'postMessage', 'createUser',
  'reply', 'editOwners', 'deleteMembers', 'react',
];

let srv;
let adminCall;
let adminId;
let owner;
let member;
let guest;
let outsider;
let team;
let general;
let seed; // a message everyone who can read should see
const callers = {};
const ids = {};

before(async () => {
  srv = await startServer();
  adminCall = api(srv, srv.adminToken);
  const me = await adminCall('GET', '/v1.0/me');
  expectStatus(me, 200, 'admin /me');
  adminId = me.body.id;
  [owner, member, guest, outsider] = await Promise.all([
    newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'guest'), newUser(srv, 'outsider'),
  ]);
  team = await createTeam(owner.api, uniqueName('Matrix'));
  general = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id, []);
  await addMember(owner.api, team.id, guest.id, ['guest']);
  seed = await postMessage(owner.api, team.id, general.id, 'seed message');
  Object.assign(callers, {
    admin: adminCall, owner: owner.api, member: member.api, guest: guest.api, outsider: outsider.api, anonymous: api(srv),
  });
  Object.assign(ids, { admin: adminId, owner: owner.id, member: member.id, guest: guest.id, outsider: outsider.id });
});

after(async () => {
  if (srv) await srv.close();
});

const teamPath = () => `/v1.0/teams/${team.id}`;
const ownerView = async () => {
  const r = await owner.api('GET', teamPath());
  expectStatus(r, 200);
  return r.body;
};

// Each action: prepare() makes what the cell needs (fresh per cell, so cells are independent),
// run() is the request under test, allowed() checks the effect, denied() checks nothing changed.
const ACTIONS = {
  readTeam: {
    run: (call) => call('GET', teamPath()),
    allowed: (res) => assert.equal(res.body.id, team.id),
  },
  patchTeam: {
    run: (call) => call('PATCH', teamPath(), { memberSettings: { allowCreateUpdateRemoveConnectors: false } }),
    allowed: async () => {
      assert.equal((await ownerView()).memberSettings.allowCreateUpdateRemoveConnectors, false);
      const restore = await owner.api('PATCH', teamPath(), { memberSettings: { allowCreateUpdateRemoveConnectors: true } });
      expectStatus(restore, 204, 'restore setting');
    },
    denied: async () => assert.equal((await ownerView()).memberSettings.allowCreateUpdateRemoveConnectors, true),
  },
  listChannels: {
    run: (call) => call('GET', `${teamPath()}/channels`),
    allowed: (res) => assert.ok(expectCollection(res).some((c) => c.id === general.id)),
  },
  createChannel: {
    prepare: () => ({ name: uniqueName('Matrix channel') }),
    run: (call, p) => call('POST', `${teamPath()}/channels`, { displayName: p.name }),
    allowed: async (res, p) => {
      assert.equal(res.body.displayName, p.name);
      assert.ok((await listChannels(owner.api, team.id)).some((c) => c.id === res.body.id));
    },
    denied: async (p) => assert.ok(!(await listChannels(owner.api, team.id)).some((c) => c.displayName === p.name)),
  },
  listMembers: {
    run: (call) => call('GET', `${teamPath()}/members`),
    allowed: (res) => assert.ok(expectCollection(res).some((m) => m.userId === owner.id)),
  },
  addMember: {
    prepare: async () => ({ user: await createUser(srv, { displayName: 'Candidate', userPrincipalName: uniqueUpn('candidate') }) }),
    run: (call, p) => call('POST', `${teamPath()}/members`, memberBody(p.user.id, [])),
    allowed: async (res, p) => {
      assert.equal(res.body.userId, p.user.id);
      assert.ok((await listMembers(owner.api, team.id)).some((m) => m.userId === p.user.id));
    },
    denied: async (p) => assert.ok(!(await listMembers(owner.api, team.id)).some((m) => m.userId === p.user.id)),
  },
  removeMember: {
    prepare: async () => {
      const user = await createUser(srv, { displayName: 'Victim', userPrincipalName: uniqueUpn('victim') });
      return { user, membership: await addMember(owner.api, team.id, user.id, []) };
    },
    run: (call, p) => call('DELETE', `${teamPath()}/members/${p.membership.id}`),
    allowed: async (res, p) => assert.ok(!(await listMembers(owner.api, team.id)).some((m) => m.id === p.membership.id)),
    denied: async (p) => assert.ok((await listMembers(owner.api, team.id)).some((m) => m.id === p.membership.id)),
  },
  readMessages: {
    run: (call) => call('GET', messagesPath(team.id, general.id)),
    allowed: (res) => assert.ok(expectCollection(res).some((m) => m.id === seed.id)),
  },
  postMessage: {
    prepare: () => ({ content: uniqueName('matrix post') }),
    run: (call, p) => call('POST', messagesPath(team.id, general.id), { body: { contentType: 'text', content: p.content } }),
    allowed: (res, p, role) => {
      assert.equal(res.body.body.content, p.content);
      assert.equal(res.body.from.user.id, ids[role]);
    },
    denied: async (p) => {
      const value = expectCollection(await owner.api('GET', `${messagesPath(team.id, general.id)}?$top=50`));
      assert.ok(!value.some((m) => m.body.content === p.content));
    },
  },
  createUser: {
    prepare: () => ({ upn: uniqueUpn('created'), password: 'Passw0rd-' + randomToken(6) }),
    run: (call, p) => call('POST', '/v1.0/users', { displayName: 'Created', userPrincipalName: p.upn, passwordProfile: { password: p.password } }),
    allowed: (res, p) => assert.equal(res.body.userPrincipalName, p.upn),
    denied: async (p) => {
      const r = await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: p.upn, password: p.password });
      expectGraphError(r, 401);
    },
  },
  reply: {
    prepare: () => ({ content: uniqueName('matrix reply') }),
    run: (call, p) => call('POST', `${messagesPath(team.id, general.id)}/${seed.id}/replies`, { body: { contentType: 'text', content: p.content } }),
    allowed: (res, p) => {
      assert.equal(res.body.replyToId, seed.id);
      assert.equal(res.body.body.content, p.content);
    },
    denied: async (p) => {
      const value = expectCollection(await owner.api('GET', `${messagesPath(team.id, general.id)}/${seed.id}/replies?$top=50`));
      assert.ok(!value.some((m) => m.body.content === p.content));
    },
  },
  editOwners: {
    prepare: async () => ({ m: await postMessage(owner.api, team.id, general.id, 'the owner wrote this'), content: uniqueName('edited') }),
    run: (call, p) => call('PATCH', `${messagesPath(team.id, general.id)}/${p.m.id}`, { body: { contentType: 'text', content: p.content } }),
    allowed: async (res, p) => {
      const got = expectStatus(await owner.api('GET', `${messagesPath(team.id, general.id)}/${p.m.id}`), 200).body;
      assert.equal(got.body.content, p.content);
    },
    denied: async (p) => {
      const got = expectStatus(await owner.api('GET', `${messagesPath(team.id, general.id)}/${p.m.id}`), 200).body;
      assert.equal(got.body.content, 'the owner wrote this');
      assert.equal(got.lastEditedDateTime, null);
    },
  },
  deleteMembers: {
    prepare: async () => ({ m: await postMessage(member.api, team.id, general.id, 'the member wrote this') }),
    run: (call, p) => call('POST', `${messagesPath(team.id, general.id)}/${p.m.id}/softDelete`),
    allowed: async (res, p) => {
      const got = expectStatus(await owner.api('GET', `${messagesPath(team.id, general.id)}/${p.m.id}`), 200).body;
      assert.ok(got.deletedDateTime);
    },
    denied: async (p) => {
      const got = expectStatus(await owner.api('GET', `${messagesPath(team.id, general.id)}/${p.m.id}`), 200).body;
      assert.equal(got.deletedDateTime, null);
    },
  },
  react: {
    prepare: async () => ({ m: await postMessage(owner.api, team.id, general.id, 'react to this') }),
    run: (call, p) => call('POST', `${messagesPath(team.id, general.id)}/${p.m.id}/setReaction`, { reactionType: 'like' }),
    allowed: async (res, p, role) => {
      const got = expectStatus(await owner.api('GET', `${messagesPath(team.id, general.id)}/${p.m.id}`), 200).body;
      assert.deepEqual(got.reactions.map((r) => [r.reactionType, r.user.user.id]), [['like', ids[role]]]);
    },
    denied: async (p) => {
      const got = expectStatus(await owner.api('GET', `${messagesPath(team.id, general.id)}/${p.m.id}`), 200).body;
      assert.deepEqual(got.reactions, []);
    },
  },
};

test('the matrix covers every role and action', () => {
  assert.deepEqual(Object.keys(EXPECT), ROLES);
  assert.deepEqual(Object.keys(ACTIONS), ACTION_NAMES);
  for (const role of ROLES) assert.equal(EXPECT[role].length, ACTION_NAMES.length, role);
});

for (const role of ROLES) {
  describe(`as ${role}`, () => {
    ACTION_NAMES.forEach((name, i) => {
      const expected = EXPECT[role][i];
      test(`${name} -> ${expected}`, async () => {
        const action = ACTIONS[name];
        const p = action.prepare ? await action.prepare() : {};
        const res = await action.run(callers[role], p);
        if (expected >= 400) {
          expectGraphError(res, expected);
          if (action.denied) await action.denied(p);
        } else {
          expectStatus(res, expected);
          if (action.allowed) await action.allowed(res, p, role);
        }
      });
    });
  });
}

describe('outsiders learn nothing', () => {
  const unknownTeam = '00000000-0000-4000-8000-000000000000';

  test('the 404 for an invisible team is the same as for a team that does not exist', async () => {
    const a = await outsider.api('GET', teamPath());
    const b = await outsider.api('GET', `/v1.0/teams/${unknownTeam}`);
    expectGraphError(a, 404);
    expectGraphError(b, 404);
    assert.equal(a.body.error.code, b.body.error.code);
    assert.equal(a.body.error.message.replaceAll(team.id, 'ID'), b.body.error.message.replaceAll(unknownTeam, 'ID'));
  });

  test('the same holds for the team\'s channels, members and messages', async () => {
    const pairs = [
      [`${teamPath()}/channels`, `/v1.0/teams/${unknownTeam}/channels`],
      [`${teamPath()}/members`, `/v1.0/teams/${unknownTeam}/members`],
      [messagesPath(team.id, general.id), messagesPath(unknownTeam, general.id)],
    ];
    for (const [real, fake] of pairs) {
      const a = await outsider.api('GET', real);
      const b = await outsider.api('GET', fake);
      expectGraphError(a, 404);
      expectGraphError(b, 404);
      assert.equal(a.body.error.code, b.body.error.code, real);
      assert.equal(a.body.error.message.replaceAll(team.id, 'ID'), b.body.error.message.replaceAll(unknownTeam, 'ID'), real);
    }
  });

  // Handlers refuse a malformed request (bad JSON, wrong types, $top out of range) before the
  // service asks permission. Such a refusal must depend on the request alone: the outsider gets
  // the very same answer for the hidden team as for a team that does not exist.
  test('a malformed request gets the same answer for a hidden team as for an unknown one', async () => {
    const cases = [
      ['POST', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages`, '{"body":'],
      ['POST', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages`, { body: { content: 42 } }],
      ['POST', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages`, { body: { content: 'hi' } }],
      ['GET', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages?$top=0`],
      ['GET', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages?$top=5`],
      ['POST', (t) => `/v1.0/teams/${t}/channels`, '[1, 2]'],
      ['POST', (t) => `/v1.0/teams/${t}/channels`, { displayName: 7 }],
      ['POST', (t) => `/v1.0/teams/${t}/channels`, { displayName: 'Fine name' }],
      ['POST', (t) => `/v1.0/teams/${t}/members`, { 'user@odata.bind': 'nonsense' }],
      ['PATCH', (t) => `/v1.0/teams/${t}`, { memberSettings: 'yes' }],
      ['GET', (t) => `/api/v1/teams/${t}/feed?$top=1000`],
      ['POST', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages/${seed.id}/replies`, '{"body":'],
      ['POST', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages/${seed.id}/replies`, { body: { content: 'hi' } }],
      ['GET', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages/${seed.id}/replies?$top=0`],
      ['PATCH', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages/${seed.id}`, { body: { content: 42 } }],
      ['PATCH', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages/${seed.id}`, { body: { content: 'hi' } }],
      ['POST', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages/${seed.id}/softDelete`],
      ['POST', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages/${seed.id}/setReaction`, '{"reactionType":'],
      ['POST', (t, c) => `/v1.0/teams/${t}/channels/${c}/messages/${seed.id}/setReaction`, { reactionType: 'not-a-reaction' }],
    ];
    const unknownChannel = '19:00000000000000000000000000000000@thread.tacv2';
    for (const [method, path, body] of cases) {
      const a = await outsider.api(method, path(team.id, general.id), body);
      const b = await outsider.api(method, path(unknownTeam, unknownChannel), body);
      const what = `${method} ${path('T', 'C')} ${typeof body === 'string' ? body : JSON.stringify(body)}`;
      assert.ok(a.status === 400 || a.status === 404, `${what}: ${a.status}`);
      assert.equal(a.status, b.status, what);
      assert.equal(a.body.error.code, b.body.error.code, what);
      assert.equal(a.body.error.message.replaceAll(team.id, 'T').replaceAll(general.id, 'C'),
        b.body.error.message.replaceAll(unknownTeam, 'T').replaceAll(unknownChannel, 'C'), what);
    }
  });

  test('joinedTeams does not list the team for an outsider or the admin (not a member)', async () => {
    for (const call of [outsider.api, adminCall]) {
      const value = expectCollection(await call('GET', '/v1.0/me/joinedTeams'));
      assert.ok(!value.some((t) => t.id === team.id));
    }
  });
});
