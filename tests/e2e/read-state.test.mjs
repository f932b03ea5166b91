// Read state (contract §6): GET /api/v1/me/channelStates and PUT /api/v1/channels/{c}/readState.
// Unread counts are kept on the server (every token of a person sees the same), count the
// messages after the last read one that others wrote, and follow the read position both ways;
// refusals change nothing. One server for the file.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, getToken } from './lib/server.mjs';
import {
  expectStatus, expectGraphError, expectCollection, createTeam, createChannel, generalChannel, addMember, postMessage,
} from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, messageCard } from './lib/webhooks.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let srv;
let owner;
let member;
let guest;
let outsider;
let team;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  [owner, member, guest, outsider] = await Promise.all([
    newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'guest'), newUser(srv, 'outsider'),
  ]);
  team = await createTeam(owner.api);
  await addMember(owner.api, team.id, member.id);
  await addMember(owner.api, team.id, guest.id, ['guest']);
});

after(async () => {
  await srv?.close();
});

async function states(call) {
  return expectCollection(await call('GET', '/api/v1/me/channelStates'));
}

async function stateOf(call, channelId) {
  const s = (await states(call)).find((x) => x.channelId === channelId);
  assert.ok(s, `a state for channel ${channelId}`);
  return s;
}

const readState = (channelId) => `/api/v1/channels/${channelId}/readState`;

describe('channel states', () => {
  test('every channel of the caller\'s teams, none of other teams; a channel never read counts what others wrote', async () => {
    const ch = await createChannel(owner.api, team.id);
    const general = await generalChannel(owner.api, team.id);
    const theirs = await createTeam(outsider.api);
    await postMessage(owner.api, team.id, ch.id, 'one');
    await postMessage(owner.api, team.id, ch.id, 'two');
    await postMessage(member.api, team.id, ch.id, 'mine');
    const all = await states(member.api);
    const ids = all.map((s) => s.channelId);
    assert.ok(ids.includes(ch.id) && ids.includes(general.id), JSON.stringify(all));
    assert.ok(!all.some((s) => s.teamId === theirs.id), 'no state for a team the caller is not in');
    assert.deepEqual(await stateOf(member.api, ch.id), { teamId: team.id, channelId: ch.id, unreadCount: 2, mentionCount: 0, lastReadMessageId: null });
    assert.equal((await stateOf(guest.api, ch.id)).unreadCount, 3);
  });

  test('cards from webhooks count as unread', async () => {
    const ch = await createChannel(owner.api, team.id);
    const hook = await createWebhook(owner.api, ch.id);
    expectAccepted(await postTo(hook.url, messageCard('an alert')));
    assert.equal((await stateOf(member.api, ch.id)).unreadCount, 1);
  });

  test('the unread count stops at 100 ("at least 100"); reading brings it down', async () => {
    const ch = await createChannel(owner.api, team.id);
    const hook = await createWebhook(owner.api, ch.id);
    for (let i = 0; i < 103; i++) expectAccepted(await postTo(hook.url, messageCard(`alert ${i}`)));
    const last = await postMessage(owner.api, team.id, ch.id, 'the last one');
    assert.deepEqual(await stateOf(member.api, ch.id), { teamId: team.id, channelId: ch.id, unreadCount: 100, mentionCount: 0, lastReadMessageId: null });
    expectStatus(await member.api('PUT', readState(ch.id), { lastReadMessageId: last.id }), 204);
    assert.equal((await stateOf(member.api, ch.id)).unreadCount, 0);
  });

  test('signed-out callers -> 401', async () => {
    expectGraphError(await api(srv)('GET', '/api/v1/me/channelStates'), 401);
  });
});

describe('read position', () => {
  test('PUT -> 204: unread counts what follows, others\' messages only; every token of the person sees it; moving back counts again', async () => {
    const ch = await createChannel(owner.api, team.id);
    const m1 = await postMessage(owner.api, team.id, ch.id, 'm1');
    const m2 = await postMessage(owner.api, team.id, ch.id, 'm2');
    expectStatus(await member.api('PUT', readState(ch.id), { lastReadMessageId: m2.id }), 204);
    let s = await stateOf(member.api, ch.id);
    assert.equal(s.unreadCount, 0);
    assert.equal(s.lastReadMessageId, m2.id);
    await postMessage(member.api, team.id, ch.id, 'my own reply does not count');
    await postMessage(owner.api, team.id, ch.id, 'm3');
    const phone = api(srv, await getToken(srv, member.userPrincipalName, member.password));
    s = await stateOf(phone, ch.id);
    assert.equal(s.unreadCount, 1);
    assert.equal(s.lastReadMessageId, m2.id);
    expectStatus(await phone('PUT', readState(ch.id), { lastReadMessageId: m1.id }), 204);
    assert.equal((await stateOf(member.api, ch.id)).unreadCount, 2, 'marked unread from m2 on');
    // The owner never read the channel: the member's one message is unread for them.
    assert.deepEqual(await stateOf(owner.api, ch.id), { teamId: team.id, channelId: ch.id, unreadCount: 1, mentionCount: 0, lastReadMessageId: null });
  });

  test('replies count as unread; soft-deleted messages do not', async () => {
    const ch = await createChannel(owner.api, team.id);
    const m = await postMessage(owner.api, team.id, ch.id, 'root');
    expectStatus(await member.api('PUT', readState(ch.id), { lastReadMessageId: m.id }), 204);
    const path = `/v1.0/teams/${team.id}/channels/${ch.id}/messages`;
    const reply = expectStatus(await owner.api('POST', `${path}/${m.id}/replies`, { body: { contentType: 'text', content: 'a reply' } }), 201).body;
    const other = await postMessage(owner.api, team.id, ch.id, 'to be deleted');
    assert.equal((await stateOf(member.api, ch.id)).unreadCount, 2);
    expectStatus(await owner.api('POST', `${path}/${other.id}/softDelete`), 204);
    assert.equal((await stateOf(member.api, ch.id)).unreadCount, 1);
    // A reply is a message of the channel: reading up to it is allowed.
    expectStatus(await member.api('PUT', readState(ch.id), { lastReadMessageId: reply.id }), 204);
    assert.equal((await stateOf(member.api, ch.id)).unreadCount, 0);
  });

  test('guests keep a read state too', async () => {
    const ch = await createChannel(owner.api, team.id);
    const m = await postMessage(owner.api, team.id, ch.id, 'for the guest');
    expectStatus(await guest.api('PUT', readState(ch.id), { lastReadMessageId: m.id }), 204);
    assert.equal((await stateOf(guest.api, ch.id)).unreadCount, 0);
  });
});

describe('refusals change nothing', () => {
  let ch;
  let read;
  let otherCh;
  let otherMsg;

  before(async () => {
    ch = await createChannel(owner.api, team.id);
    read = await postMessage(owner.api, team.id, ch.id, 'read');
    await postMessage(owner.api, team.id, ch.id, 'unread');
    expectStatus(await member.api('PUT', readState(ch.id), { lastReadMessageId: read.id }), 204);
    otherCh = await createChannel(owner.api, team.id);
    otherMsg = await postMessage(owner.api, team.id, otherCh.id, 'elsewhere');
  });

  async function unchanged() {
    const s = await stateOf(member.api, ch.id);
    assert.equal(s.lastReadMessageId, read.id);
    assert.equal(s.unreadCount, 1);
  }

  test('a message of another channel, an unknown message, a missing or malformed id -> 400', async () => {
    for (const body of [{ lastReadMessageId: otherMsg.id }, { lastReadMessageId: NO_SUCH_ID }, {}, { lastReadMessageId: 7 },
      { lastReadMessageId: '' }, { lastReadMessageId: 'x'.repeat(100) }]) {
      const r = await member.api('PUT', readState(ch.id), body);
      assert.equal(r.status, 400, JSON.stringify(body));
      expectGraphError(r, 400);
    }
    expectGraphError(await member.api('PUT', readState(ch.id), 'not json'), 400);
    await unchanged();
  });

  test('an unknown channel, or one the caller cannot read -> 404', async () => {
    expectGraphError(await member.api('PUT', readState(NO_SUCH_ID), { lastReadMessageId: read.id }), 404);
    const theirs = await createTeam(outsider.api);
    const theirCh = await generalChannel(outsider.api, theirs.id);
    const theirMsg = await postMessage(outsider.api, theirs.id, theirCh.id, 'private');
    expectGraphError(await member.api('PUT', readState(theirCh.id), { lastReadMessageId: theirMsg.id }), 404);
    expectGraphError(await outsider.api('PUT', readState(ch.id), { lastReadMessageId: read.id }), 404);
    assert.ok(!(await states(member.api)).some((s) => s.channelId === theirCh.id));
    await unchanged();
  });

  test('signed-out callers -> 401', async () => {
    expectGraphError(await api(srv)('PUT', readState(ch.id), { lastReadMessageId: read.id }), 401);
    await unchanged();
  });
});
