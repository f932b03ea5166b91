// Durability: data survives a clean stop (SIGTERM) and a kill -9 right after the 201s.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, getToken } from './lib/server.mjs';
import {
  expectStatus, expectCollection, createTeam, createChannel, generalChannel, addMember, listMembers,
  postMessage, messagesPath, readAllPages, uniqueName, pickMessage,
} from './lib/graph.mjs';

describe('restart after SIGTERM', () => {
  let srv;
  let owner;
  let member;
  let team;
  let channel;
  let message;
  let oldToken;

  before(async () => {
    srv = await startServer();
    [owner, member] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member')]);
    team = await createTeam(owner.api, uniqueName('Durable'), 'survives restarts');
    channel = await createChannel(owner.api, team.id, uniqueName('Durable channel'), 'kept');
    await addMember(owner.api, team.id, member.id, ['guest']);
    expectStatus(await owner.api('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: false } }), 204);
    message = await postMessage(member.api, team.id, channel.id, '<b>still here</b>', 'html');
    oldToken = owner.token;
    const info = await srv.stop();
    assert.equal(info.code, 0);
    await srv.restart();
  });

  after(async () => {
    if (srv) await srv.close();
  });

  test('the team is still there, settings included', async () => {
    const r = await owner.api('GET', `/v1.0/teams/${team.id}`);
    expectStatus(r, 200);
    assert.equal(r.body.displayName, team.displayName);
    assert.equal(r.body.description, 'survives restarts');
    assert.equal(r.body.memberSettings.allowCreateUpdateRemoveConnectors, false);
  });

  test('the channels are still there', async () => {
    const value = expectCollection(await owner.api('GET', `/v1.0/teams/${team.id}/channels`));
    const c = value.find((x) => x.id === channel.id);
    assert.ok(c, 'channel lost');
    assert.equal(c.displayName, channel.displayName);
    assert.equal(c.description, 'kept');
    assert.ok(value.some((x) => x.displayName === 'General'));
  });

  test('the members and their roles are still there', async () => {
    const value = await listMembers(owner.api, team.id);
    assert.deepEqual(value.find((m) => m.userId === owner.id).roles, ['owner']);
    assert.deepEqual(value.find((m) => m.userId === member.id).roles, ['guest']);
  });

  test('the message is still there, unchanged', async () => {
    const value = expectCollection(await owner.api('GET', messagesPath(team.id, channel.id)));
    assert.equal(value.length, 1);
    assert.deepEqual(pickMessage(value[0]), pickMessage(message));
  });

  test('users can still sign in; API tokens issued before the restart still work', async () => {
    await getToken(srv, member.userPrincipalName, member.password);
    const r = await api(srv, oldToken)('GET', '/v1.0/me');
    expectStatus(r, 200);
    assert.equal(r.body.id, owner.id);
  });

  test('the admin token still works', async () => {
    expectStatus(await api(srv, srv.adminToken)('GET', '/v1.0/me'), 200);
  });

  test('new writes after the restart get new ids and go after the old ones', async () => {
    const m2 = await postMessage(owner.api, team.id, channel.id, 'after restart');
    assert.notEqual(m2.id, message.id);
    const value = expectCollection(await owner.api('GET', messagesPath(team.id, channel.id)));
    assert.deepEqual(value.map((m) => m.id), [m2.id, message.id]);
  });
});

describe('kill -9 right after the 201s', () => {
  let srv;
  let owner;

  before(async () => {
    srv = await startServer();
    owner = await newUser(srv, 'owner');
  });

  after(async () => {
    if (srv) await srv.close();
  });

  test('a team, channel and message acknowledged with 201 survive kill -9', async () => {
    const team = await createTeam(owner.api, uniqueName('Crash'));
    const channel = await createChannel(owner.api, team.id, uniqueName('Crash channel'));
    const message = await postMessage(owner.api, team.id, channel.id, 'acknowledged');
    const info = await srv.kill9();
    assert.equal(info.signal, 'SIGKILL');
    await srv.restart();
    const t = await owner.api('GET', `/v1.0/teams/${team.id}`);
    expectStatus(t, 200);
    assert.equal(t.body.displayName, team.displayName);
    const channels = expectCollection(await owner.api('GET', `/v1.0/teams/${team.id}/channels`));
    assert.ok(channels.some((c) => c.id === channel.id), 'channel lost');
    const value = expectCollection(await owner.api('GET', messagesPath(team.id, channel.id)));
    assert.deepEqual(value.map(pickMessage), [pickMessage(message)]);
  });

  test('many concurrent acknowledged posts all survive kill -9', async () => {
    const team = await createTeam(owner.api, uniqueName('Burst'));
    const general = await generalChannel(owner.api, team.id);
    const N = 40;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => owner.api('POST', messagesPath(team.id, general.id), { body: { contentType: 'text', content: `burst ${i}` } })),
    );
    for (const r of results) expectStatus(r, 201);
    const acked = new Set(results.map((r) => r.body.id));
    assert.equal(acked.size, N, 'ids must be distinct');
    await srv.kill9();
    await srv.restart();
    const { items } = await readAllPages(owner.api, `${messagesPath(team.id, general.id)}?$top=50`, { serverUrl: srv.url });
    const stored = new Set(items.map((m) => m.id));
    const lost = [...acked].filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `acknowledged messages lost after kill -9`);
    assert.equal(items.length, N);
  });

  test('a user created just before kill -9 can sign in afterwards', async () => {
    const u = await newUser(srv, 'lastminute');
    await srv.kill9();
    await srv.restart();
    const tok = await getToken(srv, u.userPrincipalName, u.password);
    const r = await api(srv, tok)('GET', '/v1.0/me');
    expectStatus(r, 200);
    assert.equal(r.body.id, u.id);
  });

  test('the server stops cleanly after the crash recoveries', async () => {
    const info = await srv.stop();
    assert.equal(info.code, 0);
    await srv.restart();
    expectStatus(await api(srv)('GET', '/healthz'), 200);
  });
});
