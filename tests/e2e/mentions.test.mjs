// Mentions (contract §6): an html body with <at id="N">text</at> and Graph's mentions array
// naming a member (mentioned.user) or the channel (mentioned.conversation). Posted messages and
// replies keep them and every read renders them (GET, list, replies, search hits, the event
// stream); mentionCount in GET /api/v1/me/channelStates counts the messages after the read
// position that mention the caller or the channel. Every refusal is a 400 in the Graph error
// shape that stores nothing. One server for the file; SB_STORE=postgres runs it on PostgreSQL.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, newUser, api } from './lib/server.mjs';
import {
  expectStatus, expectGraphError, expectCollection, createTeam, createChannel, generalChannel, addMember,
  messagesPath, postMessage,
} from './lib/graph.mjs';
import { openEvents, createWebhook, postTo, expectAccepted, newestMessage, ADAPTIVE_TYPE } from './lib/webhooks.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let srv;
let owner;
let member;
let guest;
let outsider;
let team;
let general;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  [owner, member, guest, outsider] = await Promise.all([
    newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'guest'), newUser(srv, 'outsider'),
  ]);
  team = await createTeam(owner.api);
  general = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id);
  await addMember(owner.api, team.id, guest.id, ['guest']);
});

after(async () => {
  await srv?.close();
});

const userMention = (id, who, text = who.displayName) => ({ id, mentionText: text, mentioned: { user: { id: who.id, displayName: who.displayName } } });
const channelMention = (id, ch, text = ch.displayName) => ({ id, mentionText: text, mentioned: { conversation: { id: ch.id, displayName: ch.displayName, conversationIdentityType: 'channel' } } });
const at = (id, text) => `<at id="${id}">${text}</at>`;
const html = (content, mentions) => ({ body: { contentType: 'html', content }, mentions });

async function stateOf(user, channelId) {
  const s = expectCollection(await user.api('GET', '/api/v1/me/channelStates')).find((x) => x.channelId === channelId);
  assert.ok(s, `a state for channel ${channelId}`);
  return s;
}

const mentionCount = async (user, channelId) => (await stateOf(user, channelId)).mentionCount;

function expectUserMention(got, id, who) {
  assert.deepEqual(got, {
    id,
    mentionText: who.displayName,
    mentioned: {
      application: null, device: null, conversation: null, tag: null,
      user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: who.id, displayName: who.displayName, userIdentityType: 'aadUser' },
    },
  });
}

async function post(user, ch, body) {
  return expectStatus(await user.api('POST', messagesPath(team.id, ch.id), body), 201).body;
}

const msgPath = (ch, id) => `${messagesPath(team.id, ch.id)}/${id}`;

describe('mentions on messages and replies', () => {
  test('a member mentioned: 201 with mentions in Graph\'s shape, the same on GET, the list and search hits', async () => {
    const ch = await createChannel(owner.api, team.id);
    const word = `mentionword${Date.now().toString(36)}`;
    // The displayName sent is not what is kept: the server renders the user's own.
    const sent = userMention(0, member);
    sent.mentioned.user.displayName = 'Someone Else';
    const m = await post(owner, ch, html(`${word} for ${at(0, member.displayName)}`, [sent]));
    assert.equal(m.mentions.length, 1);
    expectUserMention(m.mentions[0], 0, member);
    const got = expectStatus(await member.api('GET', msgPath(ch, m.id)), 200).body;
    assert.deepEqual(got.mentions, m.mentions);
    const listed = expectCollection(await member.api('GET', messagesPath(team.id, ch.id))).find((x) => x.id === m.id);
    assert.deepEqual(listed.mentions, m.mentions);
    const q = { requests: [{ entityTypes: ['chatMessage'], query: { queryString: word } }] };
    const hits = expectStatus(await member.api('POST', '/v1.0/search/query', q), 200).body.value[0].hitsContainers[0].hits;
    assert.equal(hits.length, 1);
    assert.deepEqual(hits[0].resource.mentions, m.mentions);
  });

  test('the channel mentioned (mentioned.conversation, conversationIdentityType "channel"), with two people, in id order', async () => {
    const ch = await createChannel(owner.api, team.id);
    const m = await post(owner, ch, html(`${at(1, member.displayName)} and ${at(0, ch.displayName)} and ${at(2, guest.displayName)}`,
      [userMention(1, member), channelMention(0, ch), userMention(2, guest)]));
    assert.deepEqual(m.mentions.map((x) => x.id), [0, 1, 2]);
    assert.deepEqual(m.mentions[0], {
      id: 0,
      mentionText: ch.displayName,
      mentioned: { application: null, device: null, user: null, tag: null, conversation: { id: ch.id, displayName: ch.displayName, conversationIdentityType: 'channel' } },
    });
    expectUserMention(m.mentions[2], 2, guest);
    assert.deepEqual(expectStatus(await guest.api('GET', msgPath(ch, m.id)), 200).body.mentions, m.mentions);
  });

  test('a reply with a mention: 201, rendered on GET .../replies/{r} and in the replies list', async () => {
    const ch = await createChannel(owner.api, team.id);
    const parent = await postMessage(owner.api, team.id, ch.id, 'parent');
    const r = expectStatus(await member.api('POST', `${msgPath(ch, parent.id)}/replies`,
      html(`ping ${at(0, owner.displayName)}`, [userMention(0, owner)])), 201).body;
    assert.equal(r.replyToId, parent.id);
    expectUserMention(r.mentions[0], 0, owner);
    assert.deepEqual(expectStatus(await owner.api('GET', `${msgPath(ch, parent.id)}/replies/${r.id}`), 200).body.mentions, r.mentions);
    const listed = expectCollection(await owner.api('GET', `${msgPath(ch, parent.id)}/replies`)).find((x) => x.id === r.id);
    assert.deepEqual(listed.mentions, r.mentions);
    assert.equal(await mentionCount(owner, ch.id), 1, 'a reply\'s mention counts');
  });

  test('an edit replaces the mentions with those it gives (checked against the new body), none given: none; mentionCount follows', async () => {
    const ch = await createChannel(owner.api, team.id);
    const m = await post(owner, ch, html(`hi ${at(0, member.displayName)}`, [userMention(0, member)]));
    const path = msgPath(ch, m.id);
    assert.equal(await mentionCount(member, ch.id), 1);
    expectStatus(await owner.api('PATCH', path, html(`now ${at(3, guest.displayName)}`, [userMention(3, guest)])), 204);
    const edited = expectStatus(await owner.api('GET', path), 200).body;
    assert.deepEqual(edited.mentions.map((x) => [x.id, x.mentioned.user.id]), [[3, guest.id]]);
    assert.equal(await mentionCount(member, ch.id), 0);
    assert.equal(await mentionCount(guest, ch.id), 1);
    // Refused edits change nothing.
    for (const body of [
      html(`now ${at(0, outsider.displayName)}`, [userMention(0, outsider)]),
      html(`now ${at(3, guest.displayName)}`, undefined),
      html('no tags', [userMention(3, guest)]),
    ]) {
      expectGraphError(await owner.api('PATCH', path, body), 400);
      assert.deepEqual(expectStatus(await owner.api('GET', path), 200).body, edited);
    }
    expectStatus(await owner.api('PATCH', path, html('no one now', undefined)), 204);
    assert.deepEqual(expectStatus(await owner.api('GET', path), 200).body.mentions, []);
    assert.equal(await mentionCount(guest, ch.id), 0);
  });

  test('an administrator outside the team reads every channel, so may be mentioned (by people and by cards)', async () => {
    const ch = await createChannel(owner.api, team.id);
    const me = expectStatus(await api(srv, srv.adminToken)('GET', '/v1.0/me'), 200).body;
    const who = { id: me.id, displayName: me.displayName };
    const m = await post(member, ch, html(`${at(0, who.displayName)} look`, [userMention(0, who)]));
    expectUserMention(m.mentions[0], 0, who);
    const hook = await createWebhook(owner.api, ch.id);
    expectAccepted(await postTo(hook.url, {
      type: 'message',
      attachments: [{ contentType: ADAPTIVE_TYPE, content: { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: '<at>Admin</at>' }], msteams: { entities: [{ type: 'mention', text: '<at>Admin</at>', mentioned: { id: me.userPrincipalName } }] } } }],
    }));
    const card = await newestMessage(owner.api, team.id, ch.id);
    assert.deepEqual(card.mentions.map((x) => x.mentioned.user.id), [me.id]);
  });

  test('messages without mentions render mentions: []; a soft-deleted message shows none', async () => {
    const ch = await createChannel(owner.api, team.id);
    const plain = await postMessage(owner.api, team.id, ch.id, 'no one');
    assert.deepEqual(plain.mentions, []);
    const m = await post(owner, ch, html(`bye ${at(0, member.displayName)}`, [userMention(0, member)]));
    expectUserMention(m.mentions[0], 0, member);
    expectStatus(await owner.api('POST', `${msgPath(ch, m.id)}/softDelete`), 204);
    assert.deepEqual(expectStatus(await member.api('GET', msgPath(ch, m.id)), 200).body.mentions, []);
    expectStatus(await owner.api('POST', `${msgPath(ch, m.id)}/undoSoftDelete`), 204);
    assert.deepEqual(expectStatus(await member.api('GET', msgPath(ch, m.id)), 200).body.mentions, m.mentions);
  });

  test('the event stream carries a new message\'s mentions', async () => {
    const ch = await createChannel(owner.api, team.id);
    const es = await openEvents(srv, { token: member.token, label: 'mentions' });
    try {
      const m = await post(owner, ch, html(`live ${at(0, member.displayName)}`, [userMention(0, member)]));
      const ev = await es.nextMatching((e) => e.event === 'message' && e.json?.id === m.id, { what: 'the mention' });
      expectUserMention(ev.json.mentions[0], 0, member);
      assert.deepEqual(ev.json.mentions, m.mentions);
    } finally {
      es.close();
    }
  });
});

describe('mentionCount', () => {
  test('counts messages after the read position that mention the caller or the channel, once each; not the author\'s own, not deleted ones', async () => {
    const ch = await createChannel(owner.api, team.id);
    assert.equal(await mentionCount(member, ch.id), 0);
    await post(owner, ch, html(`one ${at(0, member.displayName)}`, [userMention(0, member)]));
    assert.equal(await mentionCount(member, ch.id), 1);
    assert.equal(await mentionCount(guest, ch.id), 0, 'a mention of someone else');
    // The member and the channel in one message: one more, not two.
    await post(owner, ch, html(`${at(0, member.displayName)} ${at(1, ch.displayName)} ${at(2, member.displayName)}`,
      [userMention(0, member), channelMention(1, ch), userMention(2, member)]));
    assert.equal(await mentionCount(member, ch.id), 2);
    assert.equal(await mentionCount(guest, ch.id), 1, 'the channel\'s mention counts for every member');
    assert.equal(await mentionCount(owner, ch.id), 0, 'the author\'s own messages do not count');
    // A person mentioning themselves or the channel does not count for themselves.
    await post(member, ch, html(`${at(0, member.displayName)} ${at(1, ch.displayName)}`, [userMention(0, member), channelMention(1, ch)]));
    assert.equal(await mentionCount(member, ch.id), 2);
    assert.equal(await mentionCount(owner, ch.id), 1);
    const deleted = await post(owner, ch, html(`gone ${at(0, member.displayName)}`, [userMention(0, member)]));
    assert.equal(await mentionCount(member, ch.id), 3);
    expectStatus(await owner.api('POST', `${msgPath(ch, deleted.id)}/softDelete`), 204);
    assert.equal(await mentionCount(member, ch.id), 2, 'a soft-deleted message does not count');
  });

  test('follows the read position both ways; other channels are not counted', async () => {
    const ch = await createChannel(owner.api, team.id);
    const other = await createChannel(owner.api, team.id);
    const first = await post(owner, ch, html(`a ${at(0, member.displayName)}`, [userMention(0, member)]));
    const second = await post(owner, ch, html(`b ${at(0, member.displayName)}`, [userMention(0, member)]));
    assert.equal(await mentionCount(member, ch.id), 2);
    assert.equal(await mentionCount(member, other.id), 0);
    expectStatus(await member.api('PUT', `/api/v1/channels/${ch.id}/readState`, { lastReadMessageId: first.id }), 204);
    assert.equal(await mentionCount(member, ch.id), 1);
    expectStatus(await member.api('PUT', `/api/v1/channels/${ch.id}/readState`, { lastReadMessageId: second.id }), 204);
    assert.equal(await mentionCount(member, ch.id), 0);
    const s = await stateOf(member, ch.id);
    assert.deepEqual(s, { teamId: team.id, channelId: ch.id, unreadCount: 0, mentionCount: 0, lastReadMessageId: second.id });
    expectStatus(await member.api('PUT', `/api/v1/channels/${ch.id}/readState`, { lastReadMessageId: first.id }), 204);
    assert.equal(await mentionCount(member, ch.id), 1, 'moving back counts again');
  });
});

describe('mentions in webhook cards (Adaptive Card msteams.entities)', () => {
  const entity = (text, id) => ({ type: 'mention', text: `<at>${text}</at>`, mentioned: { id, name: text } });
  const card = (entities) => ({
    type: 'message',
    attachments: [{
      contentType: ADAPTIVE_TYPE,
      content: {
        type: 'AdaptiveCard', version: '1.4',
        body: [{ type: 'TextBlock', text: entities.map((e) => e.text).join(' ') + ' please look' }],
        msteams: { entities },
      },
    }],
  });

  test('members named by id or userPrincipalName are mentioned (mentionCount); outsiders and unknown ids are left as text and the card is accepted', async () => {
    const ch = await createChannel(owner.api, team.id);
    const hook = await createWebhook(owner.api, ch.id);
    expectAccepted(await postTo(hook.url, card([
      entity('Member', member.id),
      entity('Guest', guest.userPrincipalName.toUpperCase()),
      entity('Outsider', outsider.id),
      entity('Nobody', 'nobody@example.invalid'),
      { type: 'mention', text: '<at>Broken</at>', mentioned: {} },
    ])));
    const m = await newestMessage(owner.api, team.id, ch.id);
    assert.deepEqual(m.mentions.map((x) => [x.id, x.mentionText, x.mentioned.user.id, x.mentioned.user.displayName]),
      [[0, 'Member', member.id, member.displayName], [1, 'Guest', guest.id, guest.displayName]]);
    assert.equal(await mentionCount(member, ch.id), 1);
    assert.equal(await mentionCount(guest, ch.id), 1);
    assert.equal(await mentionCount(owner, ch.id), 0);
    assert.deepEqual(expectStatus(await member.api('GET', msgPath(ch, m.id)), 200).body.mentions, m.mentions);
  });
});

describe('refusals: 400 in the Graph error shape, nothing stored', () => {
  const many = (n) => Array.from({ length: n }, (_, i) => i);
  const cases = () => [
    ['a mention whose id is not in the body', html(`hi ${at(0, member.displayName)}`, [userMention(0, member), userMention(1, member)])],
    ['an <at> tag naming no mention', html(`hi ${at(0, member.displayName)} ${at(1, member.displayName)}`, [userMention(0, member)])],
    ['an <at> tag without mentions at all', html(`hi ${at(0, member.displayName)}`, undefined)],
    ['an <at> tag without an id', html(`hi <at>${member.displayName}</at>`, [])],
    ['the same id twice in mentions', html(`${at(0, member.displayName)}`, [userMention(0, member), userMention(0, member)])],
    ['the same tag twice in the body', html(`${at(0, member.displayName)} ${at(0, member.displayName)}`, [userMention(0, member)])],
    ['mentionText other than the tag\'s text', html(`hi ${at(0, member.displayName)}`, [userMention(0, member, 'Not The Name')])],
    ['an <at> tag not closed', html(`hi <at id="0">${member.displayName}`, [userMention(0, member)])],
    ['a person who is not a member of the team', html(`${at(0, outsider.displayName)}`, [userMention(0, outsider)])],
    ['an unknown user', html(`${at(0, 'Nobody')}`, [{ id: 0, mentionText: 'Nobody', mentioned: { user: { id: NO_SUCH_ID, displayName: 'Nobody' } } }])],
    ['another channel as the conversation', html(`${at(0, 'Other')}`, [{ id: 0, mentionText: 'Other', mentioned: { conversation: { id: NO_SUCH_ID, displayName: 'Other', conversationIdentityType: 'channel' } } }])],
    ['a conversation that is not a channel', html(`${at(0, 'Team')}`, [{ id: 0, mentionText: 'Team', mentioned: { conversation: { id: team.id, displayName: 'Team', conversationIdentityType: 'team' } } }])],
    ['mentioned naming no one', html(`${at(0, 'x')}`, [{ id: 0, mentionText: 'x', mentioned: {} }])],
    ['mentioned naming a user and the channel', html(`${at(0, 'x')}`, [{ id: 0, mentionText: 'x', mentioned: { user: { id: member.id }, conversation: { id: general.id, conversationIdentityType: 'channel' } } }])],
    ['a negative id', html(`${at(0, member.displayName)}`, [userMention(-1, member)])],
    ['a string id', html(`${at(0, member.displayName)}`, [userMention('0', member)])],
    ['no mentionText', html(`${at(0, member.displayName)}`, [{ id: 0, mentioned: { user: { id: member.id } } }])],
    ['mentions that are not an array', html(`${at(0, member.displayName)}`, { id: 0 })],
    ['mentions in a text body', { body: { contentType: 'text', content: `hi ${at(0, member.displayName)}` }, mentions: [userMention(0, member)] }],
    ['more than 50 mentions', html(many(51).map((i) => at(i, member.displayName)).join(' '), many(51).map((i) => userMention(i, member)))],
  ];

  test('every refusal on a message and on a reply; the count and the channel do not change', async () => {
    const ch = general;
    const parent = await postMessage(owner.api, team.id, ch.id, 'parent of refused replies');
    const newest = async () => expectCollection(await owner.api('GET', `${messagesPath(team.id, ch.id)}?$top=1`))[0]?.id;
    const replies = async () => expectCollection(await owner.api('GET', `${msgPath(ch, parent.id)}/replies`)).length;
    const count0 = await mentionCount(member, ch.id);
    for (const [what, body] of cases()) {
      const r1 = await owner.api('POST', messagesPath(team.id, ch.id), body);
      assert.equal(r1.status, 400, `${what}: ${JSON.stringify(r1.body)}`);
      expectGraphError(r1, 400);
      const r2 = await owner.api('POST', `${msgPath(ch, parent.id)}/replies`, body);
      assert.equal(r2.status, 400, `${what} (reply): ${JSON.stringify(r2.body)}`);
      expectGraphError(r2, 400);
      assert.equal(await newest(), parent.id, `nothing stored: ${what}`);
      assert.equal(await replies(), 0, `no reply stored: ${what}`);
    }
    assert.equal(await mentionCount(member, ch.id), count0);
  });

  test('50 mentions are accepted', async () => {
    const ch = await createChannel(owner.api, team.id);
    const ids = Array.from({ length: 50 }, (_, i) => i);
    const m = await post(owner, ch, html(ids.map((i) => at(i, member.displayName)).join(' '), ids.map((i) => userMention(i, member))));
    assert.equal(m.mentions.length, 50);
    assert.equal(await mentionCount(member, ch.id), 1);
  });
});
