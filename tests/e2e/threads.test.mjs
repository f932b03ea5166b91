// The conversation under a channel message (contract §6): replies one level deep, edits by the
// author, soft delete and undo (author, team owners), reactions (Teams' names and one emoji, one
// per person), and their live events. Every route and refusal; a refusal changes nothing. Runs on
// SQLite and, with SB_STORE=postgres, on PostgreSQL. One server for the file.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import {
  expectStatus, expectGraphError, expectCollection, createTeam, createChannel, generalChannel, addMember,
  messagesPath, postMessage, readAllPages, uniqueName, RFC3339_UTC_RE,
} from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, messageCard, openEvents, newestMessage } from './lib/webhooks.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const TEXT = (content) => ({ body: { contentType: 'text', content } });

let srv;
let admin;
let owner;
let member;
let guest;
let outsider;
let team;
let channel;
let other; // another channel of the team

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  [owner, member, guest, outsider] = await Promise.all(['owner', 'member', 'guest', 'outsider'].map((l) => newUser(srv, l)));
  team = await createTeam(owner.api, uniqueName('Threads'));
  channel = await generalChannel(owner.api, team.id);
  other = await createChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id);
  await addMember(owner.api, team.id, guest.id, ['guest']);
});

after(async () => {
  await srv?.close();
});

const msgPath = (m, ch = channel) => `${messagesPath(team.id, ch.id)}/${m}`;
const replyPath = (m, r) => `${msgPath(m)}/replies/${r}`;
const read = async (path) => expectStatus(await owner.api('GET', path), 200).body;
const replies = async (m) => expectCollection(await owner.api('GET', `${msgPath(m)}/replies?$top=50`));
const reply = async (who, m, content = uniqueName('reply')) =>
  expectStatus(await who.api('POST', `${msgPath(m)}/replies`, TEXT(content)), 201).body;

describe('replies', () => {
  test('a reply: 201 with replyToId; listed under its parent, not in the channel list; read by id as listed', async () => {
    const parent = await postMessage(owner.api, team.id, channel.id, 'a parent');
    const r = await reply(guest, parent.id, 'a guest replies');
    assert.equal(r.replyToId, parent.id);
    assert.equal(r.from.user.id, guest.id);
    assert.deepEqual(r.channelIdentity, { teamId: team.id, channelId: channel.id });
    assert.deepEqual(r.reactions, []);
    const listed = await replies(parent.id);
    assert.deepEqual(listed.map((x) => x.id), [r.id]);
    assert.deepEqual(await read(replyPath(parent.id, r.id)), listed[0]);
    // Graph's channel list holds root messages; the reply is read from its parent or by id.
    const roots = expectCollection(await owner.api('GET', `${messagesPath(team.id, channel.id)}?$top=50`));
    assert.ok(roots.some((x) => x.id === parent.id));
    assert.ok(!roots.some((x) => x.id === r.id), 'a reply is not in the channel list');
    assert.equal((await read(msgPath(r.id))).replyToId, parent.id);
    assert.equal((await read(msgPath(parent.id))).replyToId, null);
  });

  test('replies are listed newest first and paged with $top and @odata.nextLink', async () => {
    const parent = await postMessage(owner.api, team.id, channel.id, 'a long thread');
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push((await reply(member, parent.id, `r${i}`)).id);
    const { pages, items } = await readAllPages(owner.api, `${msgPath(parent.id)}/replies?$top=2`, { serverUrl: srv.url });
    assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
    assert.deepEqual(items.map((x) => x.id), sent.reverse());
    expectGraphError(await owner.api('GET', `${msgPath(parent.id)}/replies?$top=0`), 400);
    expectGraphError(await owner.api('GET', `${msgPath(parent.id)}/replies?$top=51`), 400);
  });

  test('$expand=replies: each message of a page carries its replies as the replies list gives them, replies@odata.count and, past 50, replies@odata.nextLink', async () => {
    const quiet = await createChannel(owner.api, team.id);
    const lone = await postMessage(owner.api, team.id, quiet.id, 'no replies');
    const busy = await postMessage(owner.api, team.id, quiet.id, 'a busy thread');
    for (let i = 0; i < 52; i++) expectStatus(await member.api('POST', `${msgPath(busy.id, quiet)}/replies`, TEXT(`busy ${i}`)), 201);
    const path = `${messagesPath(team.id, quiet.id)}?$top=1&$expand=replies`;
    const page = expectStatus(await guest.api('GET', path), 200).body;
    const [top] = page.value;
    assert.equal(top.id, busy.id);
    assert.equal(top['replies@odata.count'], 52);
    const listed = expectCollection(await owner.api('GET', `${msgPath(busy.id, quiet)}/replies?$top=50`));
    assert.deepEqual(top.replies, listed, 'the expanded replies are the first page of the replies list');
    const rest = expectStatus(await owner.api('GET', new URL(top['replies@odata.nextLink']).pathname + new URL(top['replies@odata.nextLink']).search), 200).body;
    assert.deepEqual(rest.value.map((x) => x.content ?? x.body.content), ['busy 1', 'busy 0']);
    // The page's own nextLink keeps the expansion.
    assert.match(page['@odata.nextLink'], /\$expand=replies/);
    const next = expectStatus(await owner.api('GET', new URL(page['@odata.nextLink']).pathname + new URL(page['@odata.nextLink']).search), 200).body;
    assert.equal(next.value[0].id, lone.id);
    assert.deepEqual(next.value[0].replies, []);
    assert.equal(next.value[0]['replies@odata.count'], 0);
    assert.equal(next.value[0]['replies@odata.nextLink'], undefined);
    // Without $expand nothing changes; another expansion is refused; outsiders see nothing.
    const plain = expectStatus(await owner.api('GET', `${messagesPath(team.id, quiet.id)}?$top=1`), 200).body;
    assert.equal(plain.value[0].replies, undefined);
    expectGraphError(await owner.api('GET', `${messagesPath(team.id, quiet.id)}?$expand=hostedContents`), 400, 'replies');
    expectGraphError(await outsider.api('GET', path), 404);
  });

  test('a reply to a card from a webhook', async () => {
    const hook = await createWebhook(owner.api, channel.id);
    expectAccepted(await postTo(hook.url, messageCard('a card to discuss')));
    const card = await newestMessage(member.api, team.id, channel.id);
    const r = await reply(member, card.id, 'looking');
    assert.equal(r.replyToId, card.id);
  });

  test('a reply to a reply -> 400, nothing stored', async () => {
    const parent = await postMessage(owner.api, team.id, channel.id, 'one level');
    const first = await reply(member, parent.id);
    const res = await member.api('POST', `${msgPath(first.id)}/replies`, TEXT('too deep'));
    expectGraphError(res, 400, parent.id);
    assert.deepEqual(await replies(first.id), []);
    assert.deepEqual((await replies(parent.id)).map((x) => x.id), [first.id]);
  });

  test('a reply to an unknown message, or to one of another channel -> 404; to a deleted one -> 400; nothing stored', async () => {
    expectGraphError(await member.api('POST', `${msgPath(NO_SUCH_ID)}/replies`, TEXT('to nothing')), 404);
    const elsewhere = await postMessage(owner.api, team.id, other.id, 'in another channel');
    expectGraphError(await member.api('POST', `${msgPath(elsewhere.id)}/replies`, TEXT('wrong channel')), 404);
    expectGraphError(await member.api('GET', `${msgPath(elsewhere.id)}/replies`), 404);
    expectStatus(await owner.api('POST', `${msgPath(elsewhere.id, other)}/softDelete`), 204);
    expectGraphError(await member.api('POST', `${msgPath(elsewhere.id, other)}/replies`, TEXT('to a deleted one')), 400, 'deleted');
    assert.deepEqual(expectCollection(await owner.api('GET', `${msgPath(elsewhere.id, other)}/replies`)), []);
  });

  test('bad reply bodies -> 400 or 413, nothing stored', async () => {
    const parent = await postMessage(owner.api, team.id, channel.id, 'bad replies');
    expectGraphError(await member.api('POST', `${msgPath(parent.id)}/replies`, '{"body":'), 400);
    expectGraphError(await member.api('POST', `${msgPath(parent.id)}/replies`, { body: { content: 42 } }), 400);
    expectGraphError(await member.api('POST', `${msgPath(parent.id)}/replies`, { body: { contentType: 'markdown', content: 'x' } }), 400);
    expectGraphError(await member.api('POST', `${msgPath(parent.id)}/replies`, TEXT('x'.repeat(28 * 1024 + 1))), 413);
    assert.deepEqual(await replies(parent.id), []);
  });

  test('GET .../replies/{r}: 404 under another parent, for a root message, for unknown ids', async () => {
    const a = await postMessage(owner.api, team.id, channel.id, 'parent a');
    const b = await postMessage(owner.api, team.id, channel.id, 'parent b');
    const r = await reply(member, a.id);
    expectGraphError(await owner.api('GET', replyPath(b.id, r.id)), 404);
    expectGraphError(await owner.api('GET', replyPath(a.id, b.id)), 404);
    expectGraphError(await owner.api('GET', replyPath(a.id, NO_SUCH_ID)), 404);
    expectGraphError(await member.api('PATCH', replyPath(b.id, r.id), TEXT('wrong parent')), 404);
    expectGraphError(await member.api('POST', `${replyPath(b.id, r.id)}/setReaction`, { reactionType: 'like' }), 404);
    assert.equal((await read(replyPath(a.id, r.id))).lastEditedDateTime, null);
  });

  test('outsiders get 404 for every reply route; guests may reply', async () => {
    const parent = await postMessage(owner.api, team.id, channel.id, 'private thread');
    const r = await reply(guest, parent.id);
    expectGraphError(await outsider.api('GET', `${msgPath(parent.id)}/replies`), 404);
    expectGraphError(await outsider.api('POST', `${msgPath(parent.id)}/replies`, TEXT('let me in')), 404);
    expectGraphError(await outsider.api('GET', replyPath(parent.id, r.id)), 404);
    expectGraphError(await api(srv)('GET', `${msgPath(parent.id)}/replies`), 401);
    assert.deepEqual((await replies(parent.id)).map((x) => x.id), [r.id]);
  });
});

describe('edits', () => {
  test('the author edits: 204, body replaced, lastEditedDateTime set (and lastModifiedDateTime)', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'first words');
    assert.equal(m.lastEditedDateTime, null);
    expectStatus(await member.api('PATCH', msgPath(m.id), { body: { contentType: 'html', content: '<b>better</b>' } }), 204);
    const got = await read(msgPath(m.id));
    assert.deepEqual(got.body, { contentType: 'html', content: '<b>better</b>' });
    assert.match(got.lastEditedDateTime, RFC3339_UTC_RE);
    assert.ok(got.lastEditedDateTime >= m.createdDateTime);
    assert.equal(got.lastModifiedDateTime, got.lastEditedDateTime);
    assert.equal(got.createdDateTime, m.createdDateTime);
  });

  test('others may not edit (owners and administrators included) -> 403; outsiders -> 404; nothing changed', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'mine alone');
    const before1 = await read(msgPath(m.id));
    for (const who of [owner.api, guest.api, admin]) expectGraphError(await who('PATCH', msgPath(m.id), TEXT('not yours')), 403);
    expectGraphError(await outsider.api('PATCH', msgPath(m.id), TEXT('not yours')), 404);
    expectGraphError(await api(srv)('PATCH', msgPath(m.id), TEXT('not yours')), 401);
    assert.deepEqual(await read(msgPath(m.id)), before1);
  });

  test('a webhook\'s card cannot be edited by people -> 403, the card unchanged', async () => {
    const hook = await createWebhook(owner.api, channel.id);
    expectAccepted(await postTo(hook.url, messageCard('a card stays as sent')));
    const card = await newestMessage(owner.api, team.id, channel.id);
    for (const who of [owner.api, admin]) expectGraphError(await who('PATCH', msgPath(card.id), TEXT('rewritten')), 403, 'card');
    assert.deepEqual(await read(msgPath(card.id)), card);
  });

  test('bad edits -> 400, 404 or 413, nothing changed', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'keep me');
    const before1 = await read(msgPath(m.id));
    expectGraphError(await member.api('PATCH', msgPath(m.id), '{"body":'), 400);
    expectGraphError(await member.api('PATCH', msgPath(m.id), {}), 400);
    expectGraphError(await member.api('PATCH', msgPath(m.id), { body: { contentType: 'markdown', content: 'x' } }), 400);
    expectGraphError(await member.api('PATCH', msgPath(m.id), TEXT('x'.repeat(28 * 1024 + 1))), 413);
    expectGraphError(await member.api('PATCH', msgPath(NO_SUCH_ID), TEXT('nothing there')), 404);
    expectGraphError(await member.api('PATCH', msgPath(m.id, other), TEXT('wrong channel')), 404);
    assert.deepEqual(await read(msgPath(m.id)), before1);
  });

  test('a deleted message cannot be edited -> 400; a reply is edited at either path', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'soon gone');
    expectStatus(await member.api('POST', `${msgPath(m.id)}/softDelete`), 204);
    expectGraphError(await member.api('PATCH', msgPath(m.id), TEXT('too late')), 400, 'deleted');
    expectStatus(await member.api('POST', `${msgPath(m.id)}/undoSoftDelete`), 204);
    assert.equal((await read(msgPath(m.id))).body.content, 'soon gone');
    const r = await reply(member, m.id, 'r1');
    expectStatus(await member.api('PATCH', replyPath(m.id, r.id), TEXT('r2')), 204);
    expectStatus(await member.api('PATCH', msgPath(r.id), TEXT('r3')), 204);
    const got = await read(replyPath(m.id, r.id));
    assert.equal(got.body.content, 'r3');
    assert.match(got.lastEditedDateTime, RFC3339_UTC_RE);
  });
});

describe('soft delete', () => {
  test('the author deletes and undoes; reads (by id and in the list) show deletedDateTime, an empty body, no reactions', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'regrettable');
    expectStatus(await owner.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'sad' }), 204);
    expectStatus(await member.api('POST', `${msgPath(m.id)}/softDelete`), 204);
    const gone = await read(msgPath(m.id));
    assert.match(gone.deletedDateTime, RFC3339_UTC_RE);
    assert.deepEqual(gone.body, { contentType: 'text', content: '' });
    assert.deepEqual(gone.reactions, []);
    assert.equal(gone.from.user.id, member.id);
    const listed = expectCollection(await guest.api('GET', `${messagesPath(team.id, channel.id)}?$top=50`)).find((x) => x.id === m.id);
    assert.deepEqual(listed, gone);
    // Deleting again changes nothing: the first time stays.
    expectStatus(await member.api('POST', `${msgPath(m.id)}/softDelete`), 204);
    assert.equal((await read(msgPath(m.id))).deletedDateTime, gone.deletedDateTime);
    expectStatus(await member.api('POST', `${msgPath(m.id)}/undoSoftDelete`), 204);
    const back = await read(msgPath(m.id));
    assert.equal(back.deletedDateTime, null);
    assert.equal(back.body.content, 'regrettable');
    assert.deepEqual(back.reactions.map((x) => x.reactionType), ['sad']);
  });

  test('team owners and administrators delete others\' messages and cards; members and guests -> 403; outsiders -> 404', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'moderated');
    const before1 = await read(msgPath(m.id));
    expectGraphError(await guest.api('POST', `${msgPath(m.id)}/softDelete`), 403);
    expectGraphError(await outsider.api('POST', `${msgPath(m.id)}/softDelete`), 404);
    expectGraphError(await api(srv)('POST', `${msgPath(m.id)}/softDelete`), 401);
    assert.deepEqual(await read(msgPath(m.id)), before1);
    expectStatus(await owner.api('POST', `${msgPath(m.id)}/softDelete`), 204);
    expectGraphError(await guest.api('POST', `${msgPath(m.id)}/undoSoftDelete`), 403);
    assert.match((await read(msgPath(m.id))).deletedDateTime, RFC3339_UTC_RE);
    expectStatus(await admin('POST', `${msgPath(m.id)}/undoSoftDelete`), 204);
    assert.equal((await read(msgPath(m.id))).deletedDateTime, null);
    const theirs = await postMessage(owner.api, team.id, channel.id, 'the owner\'s');
    expectGraphError(await member.api('POST', `${msgPath(theirs.id)}/softDelete`), 403);
    assert.equal((await read(msgPath(theirs.id))).deletedDateTime, null);
    const hook = await createWebhook(owner.api, channel.id);
    expectAccepted(await postTo(hook.url, messageCard('a noisy card')));
    const card = await newestMessage(owner.api, team.id, channel.id);
    expectGraphError(await member.api('POST', `${msgPath(card.id)}/softDelete`), 403);
    expectStatus(await owner.api('POST', `${msgPath(card.id)}/softDelete`), 204);
    const deletedCard = await read(msgPath(card.id));
    assert.deepEqual(deletedCard.attachments, []);
    assert.equal(deletedCard.summary, null);
  });

  test('replies are deleted at their own path; unknown ids -> 404', async () => {
    const parent = await postMessage(owner.api, team.id, channel.id, 'thread with a deleted reply');
    const r = await reply(member, parent.id, 'oops');
    expectStatus(await member.api('POST', `${replyPath(parent.id, r.id)}/softDelete`), 204);
    assert.match((await replies(parent.id))[0].deletedDateTime, RFC3339_UTC_RE);
    expectStatus(await owner.api('POST', `${replyPath(parent.id, r.id)}/undoSoftDelete`), 204);
    assert.equal((await replies(parent.id))[0].body.content, 'oops');
    expectGraphError(await owner.api('POST', `${msgPath(NO_SUCH_ID)}/softDelete`), 404);
    expectGraphError(await owner.api('POST', `${replyPath(NO_SUCH_ID, r.id)}/softDelete`), 404);
    expectGraphError(await owner.api('POST', `${msgPath(parent.id, other)}/softDelete`), 404);
  });
});

describe('reactions', () => {
  const reactionsOf = async (m) => (await read(msgPath(m))).reactions;

  test('one reaction per person: another type replaces it, the same type keeps its time; unset removes only that type', async () => {
    const m = await postMessage(owner.api, team.id, channel.id, 'react');
    expectStatus(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'like' }), 204);
    const [like] = await reactionsOf(m.id);
    assert.deepEqual({ ...like, createdDateTime: undefined }, { reactionType: 'like', createdDateTime: undefined, user: { user: { id: member.id, displayName: member.displayName } } });
    expectStatus(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'like' }), 204);
    assert.deepEqual(await reactionsOf(m.id), [like]);
    expectStatus(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'heart' }), 204);
    assert.deepEqual((await reactionsOf(m.id)).map((x) => [x.reactionType, x.user.user.id]), [['heart', member.id]]);
    expectStatus(await guest.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: '👍🏽' }), 204);
    expectStatus(await admin('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'laugh' }), 204);
    assert.equal((await reactionsOf(m.id)).length, 3);
    // Unsetting a type the person did not give changes nothing.
    expectStatus(await member.api('POST', `${msgPath(m.id)}/unsetReaction`, { reactionType: 'like' }), 204);
    assert.ok((await reactionsOf(m.id)).some((x) => x.user.user.id === member.id && x.reactionType === 'heart'));
    expectStatus(await member.api('POST', `${msgPath(m.id)}/unsetReaction`, { reactionType: 'heart' }), 204);
    assert.deepEqual((await reactionsOf(m.id)).map((x) => x.reactionType).sort(), ['laugh', '👍🏽'].sort());
  });

  test('Teams\' names and single emoji are accepted', async () => {
    const m = await postMessage(owner.api, team.id, channel.id, 'every kind');
    const kinds = ['like', 'heart', 'laugh', 'surprised', 'sad', 'angry', '👍', '❤️', '🎉', '👍🏿', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '1️⃣', '#️⃣', '©️', '☕', '🫠', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'];
    for (const reactionType of kinds) {
      expectStatus(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType }), 204, reactionType);
      assert.deepEqual((await reactionsOf(m.id)).map((x) => x.reactionType), [reactionType]);
    }
  });

  test('unknown types, several emoji, text and missing fields -> 400, nothing changed', async () => {
    const m = await postMessage(owner.api, team.id, channel.id, 'strict');
    expectStatus(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'sad' }), 204);
    const before1 = await read(msgPath(m.id));
    const bad = ['not-a-reaction', 'Like', 'a', '1', '👍👍', '👍 ', ' 👍', '👍a', '\u200d', '👍\u200d', '🇫', '🏽', '\ufe0f', 'x'.repeat(300), '<b>like</b>', '👨‍👩‍👧‍👦'.repeat(3)];
    for (const reactionType of bad) {
      expectGraphError(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType }), 400, 'reactionType');
      expectGraphError(await member.api('POST', `${msgPath(m.id)}/unsetReaction`, { reactionType }), 400);
    }
    expectGraphError(await member.api('POST', `${msgPath(m.id)}/setReaction`, {}), 400);
    expectGraphError(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 7 }), 400);
    expectGraphError(await member.api('POST', `${msgPath(m.id)}/setReaction`, '{"reactionType":'), 400);
    assert.deepEqual(await read(msgPath(m.id)), before1);
  });

  test('reactions to deleted, unknown or invisible messages are refused; replies take reactions at their own path', async () => {
    const m = await postMessage(owner.api, team.id, channel.id, 'going away');
    expectStatus(await owner.api('POST', `${msgPath(m.id)}/softDelete`), 204);
    expectGraphError(await member.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'like' }), 400, 'deleted');
    expectGraphError(await member.api('POST', `${msgPath(NO_SUCH_ID)}/setReaction`, { reactionType: 'like' }), 404);
    expectGraphError(await outsider.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'like' }), 404);
    expectGraphError(await api(srv)('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'like' }), 401);
    expectStatus(await owner.api('POST', `${msgPath(m.id)}/undoSoftDelete`), 204);
    assert.deepEqual(await reactionsOf(m.id), []);
    const r = await reply(member, m.id);
    expectStatus(await guest.api('POST', `${replyPath(m.id, r.id)}/setReaction`, { reactionType: 'surprised' }), 204);
    const listed = await replies(m.id);
    assert.deepEqual(listed[0].reactions.map((x) => [x.reactionType, x.user.user.id]), [['surprised', guest.id]]);
    expectStatus(await guest.api('POST', `${replyPath(m.id, r.id)}/unsetReaction`, { reactionType: 'surprised' }), 204);
    assert.deepEqual((await replies(m.id))[0].reactions, []);
  });

  test('the channel list carries each message\'s own reactions', async () => {
    const ch = await createChannel(owner.api, team.id);
    const a = await postMessage(owner.api, team.id, ch.id, 'a');
    const b = await postMessage(owner.api, team.id, ch.id, 'b');
    expectStatus(await owner.api('POST', `${msgPath(a.id, ch)}/setReaction`, { reactionType: 'angry' }), 204);
    expectStatus(await member.api('POST', `${msgPath(b.id, ch)}/setReaction`, { reactionType: 'like' }), 204);
    const list = expectCollection(await member.api('GET', messagesPath(team.id, ch.id)));
    assert.deepEqual(list.map((x) => [x.id, x.reactions.map((y) => [y.reactionType, y.user.user.id])]), [
      [b.id, [['like', member.id]]],
      [a.id, [['angry', owner.id]]],
    ]);
  });
});

describe('events', () => {
  test('edits, reactions, deletes and undo reach subscribers as messageUpdated; replies as message with replyToId', async () => {
    const m = await postMessage(member.api, team.id, channel.id, 'watched closely');
    const es = await openEvents(srv, { token: guest.token, label: 'thread events' });
    try {
      const updated = (what, pred) => es.nextMatching((e) => e.event === 'messageUpdated' && e.json?.id === m.id && pred(e.json), { what });
      expectStatus(await member.api('PATCH', msgPath(m.id), TEXT('watched, edited')), 204);
      const edit = await updated('the edit', (j) => j.body.content === 'watched, edited');
      assert.match(edit.json.lastEditedDateTime, RFC3339_UTC_RE);
      assert.equal(edit.id, undefined, 'an update is live only: no event id');
      expectStatus(await owner.api('POST', `${msgPath(m.id)}/setReaction`, { reactionType: 'heart' }), 204);
      await updated('the reaction', (j) => j.reactions.some((x) => x.reactionType === 'heart' && x.user.user.id === owner.id));
      expectStatus(await owner.api('POST', `${msgPath(m.id)}/unsetReaction`, { reactionType: 'heart' }), 204);
      await updated('the reaction removed', (j) => j.reactions.length === 0);
      expectStatus(await member.api('POST', `${msgPath(m.id)}/softDelete`), 204);
      await updated('the delete', (j) => j.deletedDateTime !== null && j.body.content === '');
      expectStatus(await member.api('POST', `${msgPath(m.id)}/undoSoftDelete`), 204);
      await updated('the undo', (j) => j.deletedDateTime === null && j.body.content === 'watched, edited');
      const r = await reply(owner, m.id, 'a live reply');
      const ev = await es.nextMatching((e) => e.event === 'message' && e.json?.id === r.id, { what: 'the reply' });
      assert.equal(ev.json.replyToId, m.id);
      assert.match(ev.id, /^\d+$/);
    } finally {
      es.close();
    }
  });

  test('a stream resumed with Last-Event-ID replays replies and current reactions', async () => {
    const ch = await createChannel(owner.api, team.id);
    const es = await openEvents(srv, { token: member.token, label: 'before' });
    let mark;
    try {
      const first = await postMessage(owner.api, team.id, ch.id, 'mark');
      mark = (await es.nextMatching((e) => e.event === 'message' && e.json?.id === first.id, { what: 'the mark' })).id;
    } finally {
      es.close();
    }
    const m = await postMessage(owner.api, team.id, ch.id, 'missed');
    expectStatus(await member.api('POST', `${msgPath(m.id, ch)}/setReaction`, { reactionType: 'like' }), 204);
    const r = expectStatus(await member.api('POST', `${msgPath(m.id, ch)}/replies`, TEXT('missed reply')), 201).body;
    const resumed = await openEvents(srv, { token: member.token, lastEventId: mark, label: 'resumed' });
    try {
      const ev = await resumed.nextMatching((e) => e.event === 'message' && e.json?.id === m.id, { what: 'the missed message' });
      assert.deepEqual(ev.json.reactions.map((x) => [x.reactionType, x.user.user.id]), [['like', member.id]]);
      const rev = await resumed.nextMatching((e) => e.event === 'message' && e.json?.id === r.id, { what: 'the missed reply' });
      assert.equal(rev.json.replyToId, m.id);
    } finally {
      resumed.close();
    }
  });
});
