// The teams directory (issue 21 item 5, docs/sso.md "Teams directory"): Graph `visibility` on
// POST/GET/PATCH /v1.0/teams, GET /v1.0/teams lists public teams and the caller's own, joining
// a public team is POST .../members with yourself as member, private teams only by invitation,
// owners change roles (PATCH .../members/{m} {roles}). Every refusal checks nothing changed.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import { expectStatus, expectGraphError, memberBody, uniqueName, listMembers } from './lib/graph.mjs';

let srv;
let admin;
let owner;
let outsider;
before(async () => {
  srv = await startServer();
  admin = api(srv, srv.adminToken);
  owner = await newUser(srv, 'owner');
  outsider = await newUser(srv, 'outsider');
});
after(async () => {
  await srv?.close();
});

async function team(visibility) {
  const body = { displayName: uniqueName('Dir'), description: 'directory test' };
  if (visibility) body.visibility = visibility;
  return expectStatus(await owner.api('POST', '/v1.0/teams', body), 201).body;
}

const ids = (r) => expectStatus(r, 200).body.value.map((t) => t.id);

describe('visibility', () => {
  test('POST /v1.0/teams takes visibility public or private (any case); without it a team is private; GET shows it', async () => {
    const pub = await team('Public');
    const priv = await team('private');
    const dflt = await team();
    assert.equal(pub.visibility, 'public');
    assert.equal(priv.visibility, 'private');
    assert.equal(dflt.visibility, 'private');
    assert.equal(expectStatus(await owner.api('GET', `/v1.0/teams/${pub.id}`), 200).body.visibility, 'public');
  });

  test('another visibility is 400 and creates nothing', async () => {
    const name = uniqueName('Hidden');
    const r = await owner.api('POST', '/v1.0/teams', { displayName: name, visibility: 'hiddenMembership' });
    expectGraphError(r, 400);
    const all = expectStatus(await admin('GET', '/v1.0/teams'), 200).body.value;
    assert.ok(!all.some((t) => t.displayName === name));
  });

  test('PATCH visibility: owners (204, audited); members 403 and nothing changes', async () => {
    const t = await team('private');
    const member = await newUser(srv, 'member');
    expectStatus(await owner.api('POST', `/v1.0/teams/${t.id}/members`, memberBody(member.id)), 201);
    expectGraphError(await member.api('PATCH', `/v1.0/teams/${t.id}`, { visibility: 'public' }), 403);
    assert.equal(expectStatus(await owner.api('GET', `/v1.0/teams/${t.id}`), 200).body.visibility, 'private');
    expectStatus(await owner.api('PATCH', `/v1.0/teams/${t.id}`, { visibility: 'public' }), 204);
    assert.equal(expectStatus(await owner.api('GET', `/v1.0/teams/${t.id}`), 200).body.visibility, 'public');
    const audit = expectStatus(await admin('GET', '/api/v1/admin/audit'), 200).body.value;
    assert.ok(audit.some((e) => e.action === 'team.visibility' && e.target === t.id), JSON.stringify(audit.slice(0, 3)));
    expectGraphError(await owner.api('PATCH', `/v1.0/teams/${t.id}`, { visibility: 'secret' }), 400);
    assert.equal(expectStatus(await owner.api('GET', `/v1.0/teams/${t.id}`), 200).body.visibility, 'public');
  });
});

describe('browse and join', () => {
  test('GET /v1.0/teams: public teams and your own, not others\' private teams; administrators see every team', async () => {
    const pub = await team('public');
    const priv = await team('private');
    const seen = ids(await outsider.api('GET', '/v1.0/teams'));
    assert.ok(seen.includes(pub.id));
    assert.ok(!seen.includes(priv.id));
    const mine = ids(await owner.api('GET', '/v1.0/teams'));
    assert.ok(mine.includes(pub.id) && mine.includes(priv.id));
    const all = ids(await admin('GET', '/v1.0/teams'));
    assert.ok(all.includes(pub.id) && all.includes(priv.id));
  });

  test('joining a public team: POST .../members with yourself as member -> 201, then it is in joinedTeams and its channels read', async () => {
    const pub = await team('public');
    expectGraphError(await outsider.api('GET', `/v1.0/teams/${pub.id}/channels`), 404);
    const r = expectStatus(await outsider.api('POST', `/v1.0/teams/${pub.id}/members`, memberBody(outsider.id)), 201);
    assert.deepEqual(r.body.roles, []);
    assert.equal(r.body.userId, outsider.id);
    assert.ok(ids(await outsider.api('GET', '/v1.0/me/joinedTeams')).includes(pub.id));
    expectStatus(await outsider.api('GET', `/v1.0/teams/${pub.id}/channels`), 200);
    // Twice: 409, still one membership.
    expectGraphError(await outsider.api('POST', `/v1.0/teams/${pub.id}/members`, memberBody(outsider.id)), 409);
    assert.equal((await listMembers(owner.api, pub.id)).filter((m) => m.userId === outsider.id).length, 1);
  });

  test('a private team cannot be joined (404, as if it did not exist), nothing changes', async () => {
    const priv = await team('private');
    const before = await listMembers(owner.api, priv.id);
    expectGraphError(await outsider.api('POST', `/v1.0/teams/${priv.id}/members`, memberBody(outsider.id)), 404);
    assert.deepEqual(await listMembers(owner.api, priv.id), before);
    expectGraphError(await outsider.api('GET', `/v1.0/teams/${priv.id}`), 404);
  });

  test('joining a public team as owner or guest is refused (403), and outsiders cannot add others (404); nothing changes', async () => {
    const pub = await team('public');
    const third = await newUser(srv, 'third');
    const before = await listMembers(owner.api, pub.id);
    expectGraphError(await outsider.api('POST', `/v1.0/teams/${pub.id}/members`, memberBody(outsider.id, ['owner'])), 403);
    expectGraphError(await outsider.api('POST', `/v1.0/teams/${pub.id}/members`, memberBody(outsider.id, ['guest'])), 403);
    expectGraphError(await outsider.api('POST', `/v1.0/teams/${pub.id}/members`, memberBody(third.id)), 404);
    assert.deepEqual(await listMembers(owner.api, pub.id), before);
  });
});

describe('roles', () => {
  test('PATCH .../members/{m} {roles}: an owner promotes and demotes; members 403; the last owner cannot be demoted (409); nothing changes on refusals', async () => {
    const t = await team('private');
    const m = await newUser(srv, 'promoted');
    const added = expectStatus(await owner.api('POST', `/v1.0/teams/${t.id}/members`, memberBody(m.id)), 201).body;
    const ownMembership = (await listMembers(owner.api, t.id)).find((x) => x.userId === owner.id);
    // A member may not change roles.
    expectGraphError(await m.api('PATCH', `/v1.0/teams/${t.id}/members/${ownMembership.id}`, { roles: [] }), 403);
    // The last owner stays an owner.
    expectGraphError(await owner.api('PATCH', `/v1.0/teams/${t.id}/members/${ownMembership.id}`, { roles: [] }), 409);
    assert.deepEqual((await listMembers(owner.api, t.id)).find((x) => x.id === ownMembership.id).roles, ['owner']);
    // Bad roles: 400.
    expectGraphError(await owner.api('PATCH', `/v1.0/teams/${t.id}/members/${added.id}`, { roles: ['boss'] }), 400);
    const up = expectStatus(await owner.api('PATCH', `/v1.0/teams/${t.id}/members/${added.id}`, { roles: ['owner'] }), 200);
    assert.deepEqual(up.body.roles, ['owner']);
    // Now two owners: the first may step down.
    expectStatus(await owner.api('PATCH', `/v1.0/teams/${t.id}/members/${ownMembership.id}`, { roles: [] }), 200);
    const after = await listMembers(owner.api, t.id);
    assert.deepEqual(after.find((x) => x.id === ownMembership.id).roles, []);
    assert.deepEqual(after.find((x) => x.id === added.id).roles, ['owner']);
    // Unknown membership: 404.
    expectGraphError(await m.api('PATCH', `/v1.0/teams/${t.id}/members/00000000-0000-4000-8000-000000000000`, { roles: [] }), 404);
    // Outsiders: 404 for the private team.
    expectGraphError(await outsider.api('PATCH', `/v1.0/teams/${t.id}/members/${added.id}`, { roles: [] }), 404);
  });
});
