// Contract conformance, §6 Conversation, people and identity (table rows): one test per row.
// Issue 20's rows (the conversation) and issue 21's (people and tokens) are plain tests. The prose of §6 (web
// sign-in, single sign-on, forced password change, reset-password) is
// contract-identity.test.mjs.
// One server for the file.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, getToken } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectCollection, createTeam, generalChannel, addMember, messagesPath,
  postMessage, uniqueName, RFC3339_UTC_RE,
} from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, messageCard, openEvents, newestMessage } from './lib/webhooks.mjs';


let srv;
let admin;
let owner;
let member;
let guest; // a team guest
let outsider;
let team;
let channel;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  [owner, member, guest, outsider] = [await newUser(srv, 'owner'), await newUser(srv, 'member'), await newUser(srv, 'guest'), await newUser(srv, 'outsider')];
  team = await createTeam(owner.api, uniqueName('Talk'));
  channel = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id);
  await addMember(owner.api, team.id, guest.id, ['guest']);
});

after(async () => {
  await srv?.close();
});

const msgPath = (m) => `${messagesPath(team.id, channel.id)}/${m}`;

describe('§6 messages and replies', () => {
  // Issue 17 builds the GET by id and lastEditedDateTime (null until edits exist): a plain test.
  test('§6 GET .../channels/{c}/messages/{m} -> the chatMessage with replyToId, lastEditedDateTime, deletedDateTime, reactions, mentions', async () => {
    const sent = await postMessage(member.api, team.id, channel.id, 'one message');
    const r = expectStatus(await member.api('GET', msgPath(sent.id)), 200);
    const m = expectJson(r);
    assert.equal(m.id, sent.id);
    for (const k of ['replyToId', 'lastEditedDateTime', 'deletedDateTime', 'reactions', 'mentions']) assert.ok(k in m, `${k} in ${JSON.stringify(m)}`);
    assert.equal(m.replyToId, null);
    assert.deepEqual(m.reactions, []);
    assert.deepEqual(m.mentions, []);
  });

  test('§6 POST .../messages/{m}/replies -> 201 reply with replyToId = {m}; GET .../replies lists it; GET .../replies/{r} reads it', async () => {
    const parent = await postMessage(owner.api, team.id, channel.id, 'parent');
    const r = expectStatus(await member.api('POST', `${msgPath(parent.id)}/replies`, { body: { contentType: 'text', content: 'a reply' } }), 201);
    assert.equal(r.body.replyToId, parent.id);
    assert.deepEqual(r.body.body, { contentType: 'text', content: 'a reply' });
    const list = expectCollection(await member.api('GET', `${msgPath(parent.id)}/replies`));
    assert.deepEqual(list.map((x) => x.id), [r.body.id]);
    const one = expectStatus(await member.api('GET', `${msgPath(parent.id)}/replies/${r.body.id}`), 200);
    assert.equal(one.body.replyToId, parent.id);
    expectGraphError(await outsider.api('GET', `${msgPath(parent.id)}/replies`), 404);
  });

  test('§6 replies to a card from a webhook', async () => {
    const hook = await createWebhook(owner.api, channel.id);
    expectAccepted(await postTo(hook.url, messageCard('a card to reply to')));
    const card = await newestMessage(member.api, team.id, channel.id);
    const r = expectStatus(await member.api('POST', `${msgPath(card.id)}/replies`, { body: { contentType: 'text', content: 'on it' } }), 201);
    assert.equal(r.body.replyToId, card.id);
  });

  test('§6 PATCH .../messages/{m} {body} -> 204, author only; sets lastEditedDateTime', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'before');
    expectStatus(await member.api('PATCH', msgPath(m.id), { body: { contentType: 'text', content: 'after' } }), 204);
    const got = expectStatus(await member.api('GET', msgPath(m.id)), 200).body;
    assert.deepEqual(got.body, { contentType: 'text', content: 'after' });
    assert.match(got.lastEditedDateTime, RFC3339_UTC_RE);
    expectGraphError(await owner.api('PATCH', msgPath(m.id), { body: { contentType: 'text', content: 'not mine' } }), 403);
  });

  test('§6 PATCH .../replies/{r} {body} -> 204, author only', async () => {
    const parent = await postMessage(owner.api, team.id, channel.id, 'parent of an edit');
    const reply = expectStatus(await member.api('POST', `${msgPath(parent.id)}/replies`, { body: { contentType: 'text', content: 'r1' } }), 201).body;
    expectStatus(await member.api('PATCH', `${msgPath(parent.id)}/replies/${reply.id}`, { body: { contentType: 'text', content: 'r2' } }), 204);
    expectGraphError(await owner.api('PATCH', `${msgPath(parent.id)}/replies/${reply.id}`, { body: { contentType: 'text', content: 'r3' } }), 403);
    assert.equal(expectStatus(await member.api('GET', `${msgPath(parent.id)}/replies/${reply.id}`), 200).body.body.content, 'r2');
  });

  test('§6 POST .../messages/{m}/softDelete and undoSoftDelete -> 204 (author, team owners); reads show deletedDateTime and an empty body', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'to delete');
    expectGraphError(await guest.api('POST', `${msgPath(m.id)}/softDelete`), 403);
    expectStatus(await member.api('POST', `${msgPath(m.id)}/softDelete`), 204);
    const gone = expectStatus(await member.api('GET', msgPath(m.id)), 200).body;
    assert.match(gone.deletedDateTime, RFC3339_UTC_RE);
    assert.equal(gone.body.content, '');
    expectStatus(await owner.api('POST', `${msgPath(m.id)}/undoSoftDelete`), 204);
    const back = expectStatus(await member.api('GET', msgPath(m.id)), 200).body;
    assert.equal(back.deletedDateTime, null);
    assert.equal(back.body.content, 'to delete');
  });

  test('§6 POST .../setReaction / unsetReaction {reactionType} -> 204; reactions:[{reactionType, createdDateTime, user:{user:{id, displayName}}}]', async () => {
    const m = await postMessage(owner.api, team.id, channel.id, 'react to me');
    expectStatus(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'like' }), 204);
    expectStatus(await guest.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: '🎉' }), 204);
    const got = expectStatus(await owner.api('GET', msgPath(m.id)), 200).body;
    const like = got.reactions.find((x) => x.reactionType === 'like');
    assert.ok(like, JSON.stringify(got.reactions));
    assert.match(like.createdDateTime, RFC3339_UTC_RE);
    assert.deepEqual(like.user.user, { id: member.id, displayName: member.displayName });
    assert.ok(got.reactions.some((x) => x.reactionType === '🎉'));
    for (const name of ['heart', 'laugh', 'surprised', 'sad', 'angry']) expectStatus(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: name }), 204);
    expectStatus(await member.api('POST', `${msgPath(m.id)}/unsetReaction`, { reactionType: 'like' }), 204);
    assert.ok(!expectStatus(await owner.api('GET', msgPath(m.id)), 200).body.reactions.some((x) => x.reactionType === 'like' && x.user.user.id === member.id));
    expectGraphError(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'not-a-reaction' }), 400);
  });
});

describe('§6 mentions, search and read state', () => {
  test('§6 mentions: html with <at id="0">Name</at> and mentions[] -> the mentioned member\'s mentionCount goes up', async () => {
    const before1 = expectCollection(await member.api('GET', '/api/v1/me/channelStates')).find((s) => s.channelId === channel.id);
    const r = expectStatus(await owner.api('POST', messagesPath(team.id, channel.id), {
      body: { contentType: 'html', content: `Hi <at id="0">${member.displayName}</at>` },
      mentions: [{ id: 0, mentionText: member.displayName, mentioned: { user: { id: member.id, displayName: member.displayName } } }],
    }), 201);
    assert.equal(r.body.mentions[0].mentioned.user.id, member.id);
    const after1 = expectCollection(await member.api('GET', '/api/v1/me/channelStates')).find((s) => s.channelId === channel.id);
    assert.equal(after1.mentionCount, (before1?.mentionCount || 0) + 1);
  });

  test('§6 mentions: mentioned.conversation (conversationIdentityType "channel") mentions the channel', async () => {
    const r = expectStatus(await owner.api('POST', messagesPath(team.id, channel.id), {
      body: { contentType: 'html', content: '<at id="0">General</at> heads up' },
      mentions: [{ id: 0, mentionText: 'General', mentioned: { conversation: { id: channel.id, displayName: 'General', conversationIdentityType: 'channel' } } }],
    }), 201);
    assert.equal(r.body.mentions[0].mentioned.conversation.conversationIdentityType, 'channel');
  });

  test('§6 a mention of someone who cannot read the channel -> 400', async () => {
    const before1 = expectCollection(await owner.api('GET', `${messagesPath(team.id, channel.id)}?$top=1`))[0]?.id;
    expectGraphError(await owner.api('POST', messagesPath(team.id, channel.id), {
      body: { contentType: 'html', content: `<at id="0">${outsider.displayName}</at>` },
      mentions: [{ id: 0, mentionText: outsider.displayName, mentioned: { user: { id: outsider.id, displayName: outsider.displayName } } }],
    }), 400);
    assert.equal(expectCollection(await owner.api('GET', `${messagesPath(team.id, channel.id)}?$top=1`))[0]?.id, before1, 'nothing stored');
  });

  test('§6 POST /v1.0/search/query {requests:[{entityTypes:["chatMessage"], query:{queryString}}]} -> searchResponse of readable messages, cards\' text included', async () => {
    const word = `zebra${Date.now().toString(36)}`;
    const m = await postMessage(member.api, team.id, channel.id, `the ${word} is here`);
    const hook = await createWebhook(owner.api, channel.id);
    expectAccepted(await postTo(hook.url, messageCard(`card about the ${word}`)));
    const q = { requests: [{ entityTypes: ['chatMessage'], query: { queryString: word }, from: 0, size: 10 }] };
    const r = expectStatus(await member.api('POST', '/v1.0/search/query', q), 200);
    const hits = r.body.value[0].hitsContainers[0].hits;
    assert.equal(hits.length, 2, JSON.stringify(r.body));
    assert.ok(hits.some((h) => h.resource.id === m.id));
    for (const h of hits) assert.equal(typeof h.summary, 'string');
    const none = expectStatus(await outsider.api('POST', '/v1.0/search/query', q), 200);
    assert.equal((none.body.value[0].hitsContainers[0].hits || []).length, 0, 'only messages the caller can read');
  });

  test('§6 GET /api/v1/me/channelStates -> {value:[{teamId, channelId, unreadCount, mentionCount, lastReadMessageId}]}', async () => {
    const value = expectCollection(await member.api('GET', '/api/v1/me/channelStates'));
    const s = value.find((x) => x.channelId === channel.id);
    assert.ok(s, JSON.stringify(value));
    assert.equal(s.teamId, team.id);
    for (const k of ['unreadCount', 'mentionCount']) assert.equal(typeof s[k], 'number', k);
    assert.ok('lastReadMessageId' in s);
  });

  test('§6 PUT /api/v1/channels/{c}/readState {lastReadMessageId} -> 204; kept on the server (another token sees it)', async () => {
    const m = await postMessage(owner.api, team.id, channel.id, 'read up to here');
    expectStatus(await member.api('PUT', `/api/v1/channels/${channel.id}/readState`, { lastReadMessageId: m.id }), 204);
    const other = api(srv, await getToken(srv, member.userPrincipalName, member.password));
    const s = expectCollection(await other('GET', '/api/v1/me/channelStates')).find((x) => x.channelId === channel.id);
    assert.equal(s.lastReadMessageId, m.id);
    assert.equal(s.unreadCount, 0);
  });

  test('§6 SSE: event: messageUpdated on edit, reaction and delete; replies arrive as event: message with replyToId', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'watched');
    expectStatus(await member.api('PATCH', msgPath(m.id), { body: { contentType: 'text', content: 'watched, edited' } }), 204);
    const es = await openEvents(srv, { token: owner.token, label: 'updates' });
    try {
      expectStatus(await member.api('PATCH', msgPath(m.id), { body: { contentType: 'text', content: 'edited again' } }), 204);
      // The first edit's own event may still reach a stream opened after it (notifications are
      // delivered asynchronously on PostgreSQL): wait for the one that shows the second edit.
      const ev = await es.nextMatching((e) => e.event === 'messageUpdated' && e.json?.id === m.id && e.json.body?.content === 'edited again', { what: 'messageUpdated' });
      assert.equal(ev.json.body.content, 'edited again');
      const reply = expectStatus(await member.api('POST', `${msgPath(m.id)}/replies`, { body: { contentType: 'text', content: 'a reply event' } }), 201).body;
      const rev = await es.nextMatching((e) => e.event === 'message' && e.json?.id === reply.id, { what: 'the reply' });
      assert.equal(rev.json.replyToId, m.id);
      expectStatus(await owner.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'like' }), 204);
      await es.nextMatching((e) => e.event === 'messageUpdated' && e.json?.id === m.id && e.json.reactions?.some((x) => x.reactionType === 'like'), { what: 'messageUpdated on a reaction' });
      expectStatus(await member.api('POST', `${msgPath(m.id)}/softDelete`), 204);
      await es.nextMatching((e) => e.event === 'messageUpdated' && e.json?.id === m.id && e.json.deletedDateTime, { what: 'messageUpdated on a delete' });
    } finally {
      es.close();
    }
  });
});

describe('§6 people and tokens', () => {
  test('§6 GET /v1.0/users ($search, $top): members see id, displayName, userPrincipalName, mail; admins also accountEnabled and roles', async () => {
    const found = expectCollection(await member.api('GET', `/v1.0/users?$search="${encodeURIComponent(owner.displayName)}"&$top=5`));
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].id, owner.id);
    for (const k of ['id', 'displayName', 'userPrincipalName', 'mail']) assert.ok(k in found[0], k);
    assert.ok(!('accountEnabled' in found[0]), 'members do not see accountEnabled');
    assert.ok(expectCollection(await member.api('GET', '/v1.0/users?$top=2')).length <= 2);
    const asAdmin = expectCollection(await admin('GET', `/v1.0/users?$search="${encodeURIComponent(owner.displayName)}"`));
    assert.equal(asAdmin[0].accountEnabled, true);
    assert.ok(Array.isArray(asAdmin[0].roles), 'roles for admins');
  });

  test('§6 GET /v1.0/users: guests -> 403', async () => {
    // A person whose only membership is as a team guest.
    const only = await newUser(srv, 'onlyguest');
    await addMember(owner.api, team.id, only.id, ['guest']);
    expectGraphError(await only.api('GET', '/v1.0/users'), 403);
  });

  test('§6 PATCH /v1.0/users/{id} (admins) {displayName, accountEnabled:false} ends the user\'s sessions and tokens at once', async () => {
    const u = await newUser(srv, 'disabled');
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { displayName: 'Renamed' }), 204);
    assert.equal(expectStatus(await u.api('GET', '/v1.0/me'), 200).body.displayName, 'Renamed');
    expectGraphError(await member.api('PATCH', `/v1.0/users/${u.id}`, { displayName: 'No' }), 403);
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { accountEnabled: false }), 204);
    expectGraphError(await u.api('GET', '/v1.0/me'), 401);
  });

  test('§6 DELETE /v1.0/users/{id} (admins) -> 204; the user\'s tokens end at once', async () => {
    const u = await newUser(srv, 'deleted');
    expectStatus(await admin('DELETE', `/v1.0/users/${u.id}`), 204);
    expectGraphError(await u.api('GET', '/v1.0/me'), 401);
    expectGraphError(await admin('GET', `/v1.0/users/${u.id}`), 404);
  });

  test('§6 POST /v1.0/me/changePassword {currentPassword, newPassword} -> 204; other sessions end, the calling one stays; a wrong current password -> 403', async () => {
    const u = await newUser(srv, 'changer');
    const other = api(srv, await getToken(srv, u.userPrincipalName, u.password));
    expectGraphError(await u.api('POST', '/v1.0/me/changePassword', { currentPassword: 'wrong-one', newPassword: 'N3w-password-1' }), 403);
    expectStatus(await u.api('POST', '/v1.0/me/changePassword', { currentPassword: u.password, newPassword: 'N3w-password-1' }), 204);
    expectStatus(await u.api('GET', '/v1.0/me'), 200);
    expectGraphError(await other('GET', '/v1.0/me'), 401);
    await getToken(srv, u.userPrincipalName, 'N3w-password-1');
  });

  test('§6 GET /api/v1/tokens -> the caller\'s tokens without secrets {id, createdDateTime, expiresDateTime, lastUsedDateTime}; expiresIn defaults to 90 days', async () => {
    const u = await newUser(srv, 'tokens');
    const value = expectCollection(await u.api('GET', '/api/v1/tokens'));
    assert.ok(value.length >= 1);
    for (const t of value) {
      for (const k of ['id', 'createdDateTime', 'expiresDateTime', 'lastUsedDateTime']) assert.ok(k in t, k);
      assert.ok(!JSON.stringify(t).includes(u.token), 'no secret');
    }
    const t = value[0];
    const days = (Date.parse(t.expiresDateTime) - Date.parse(t.createdDateTime)) / 86_400_000;
    assert.ok(Math.abs(days - 90) < 0.01, `default lifetime ${days} days`);
  });

  test('§6 POST /api/v1/tokens takes expiresIn (seconds)', async () => {
    const u = await newUser(srv, 'short');
    const r = expectStatus(await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: u.userPrincipalName, password: u.password, expiresIn: 3600 }), 201);
    const value = expectCollection(await api(srv, r.body.token)('GET', '/api/v1/tokens'));
    const mine = value.find((t) => Math.abs((Date.parse(t.expiresDateTime) - Date.parse(t.createdDateTime)) / 1000 - 3600) < 5);
    assert.ok(mine, JSON.stringify(value));
  });

  test('§6 DELETE /api/v1/tokens/{id} -> 204; revoked at once', async () => {
    const u = await newUser(srv, 'revoker');
    const second = await getToken(srv, u.userPrincipalName, u.password);
    const value = expectCollection(await u.api('GET', '/api/v1/tokens'));
    const list2 = expectCollection(await api(srv, second)('GET', '/api/v1/tokens'));
    assert.deepEqual(list2.map((t) => t.id).sort(), value.map((t) => t.id).sort());
    // The newest token is `second`: revoke it from the first.
    const newest = [...value].sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime))[0];
    expectStatus(await u.api('DELETE', `/api/v1/tokens/${newest.id}`), 204);
    expectGraphError(await api(srv, second)('GET', '/v1.0/me'), 401);
    expectStatus(await u.api('GET', '/v1.0/me'), 200);
  });
});
