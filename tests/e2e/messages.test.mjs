// Channel messages: POST/GET /v1.0/teams/{t}/channels/{c}/messages, paging with nextLink.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, newUser } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectGuid, expectCollection, RFC3339_UTC_RE,
  createTeam, createChannel, generalChannel, addMember, postMessage, messagesPath, readAllPages, uniqueName,
} from './lib/graph.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let srv;
let owner;
let member;
let team;
let general;

before(async () => {
  srv = await startServer();
  [owner, member] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member')]);
  team = await createTeam(owner.api);
  general = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id, []);
});

after(async () => {
  if (srv) await srv.close();
});

describe('posting', () => {
  test('POST text -> 201 chatMessage with the full shape', async () => {
    const before = Date.now();
    const r = await member.api('POST', messagesPath(team.id, general.id), { body: { contentType: 'text', content: 'Hello, team' } });
    const afterT = Date.now();
    expectStatus(r, 201);
    const m = expectJson(r);
    expectGuid(m.id, 'message id');
    assert.equal(m.messageType, 'message');
    assert.match(m.createdDateTime, RFC3339_UTC_RE);
    const t = Date.parse(m.createdDateTime);
    assert.ok(t >= before - 60_000 && t <= afterT + 60_000, `createdDateTime ${m.createdDateTime} is not now`);
    // from is {user:{id, displayName}} (Graph adds '@odata.type', userIdentityType, and
    // application/device set to null: allowed, as the real service does).
    assert.equal(typeof m.from, 'object');
    assert.equal(m.from.user.id, member.id);
    assert.equal(m.from.user.displayName, member.displayName);
    assert.ok(m.from.application === undefined || m.from.application === null, 'a person\'s message has no application');
    assert.deepEqual(m.body, { contentType: 'text', content: 'Hello, team' });
    assert.deepEqual(m.attachments, []);
    assert.deepEqual(m.channelIdentity, { teamId: team.id, channelId: general.id });
  });

  test('POST html -> 201 with contentType html', async () => {
    const content = '<p>Hello <b>team</b></p>';
    const m = await postMessage(owner.api, team.id, general.id, content, 'html');
    assert.deepEqual(m.body, { contentType: 'html', content });
  });

  test('the posted message is listed as returned by POST', async () => {
    const ch = await createChannel(owner.api, team.id);
    const m = await postMessage(owner.api, team.id, ch.id, 'listed');
    const value = expectCollection(await owner.api('GET', messagesPath(team.id, ch.id)));
    assert.equal(value.length, 1);
    assert.equal(value[0].id, m.id);
    assert.equal(value[0].createdDateTime, m.createdDateTime);
    assert.deepEqual(value[0].body, m.body);
    assert.deepEqual(value[0].from, m.from);
    assert.deepEqual(value[0].channelIdentity, m.channelIdentity);
    assert.equal(value[0].messageType, 'message');
    assert.deepEqual(value[0].attachments, []);
  });

  test('a new channel has no messages: {value:[]} without nextLink', async () => {
    const ch = await createChannel(owner.api, team.id);
    const r = await owner.api('GET', messagesPath(team.id, ch.id));
    assert.deepEqual(expectCollection(r), []);
    assert.ok(!r.body['@odata.nextLink']);
  });

  test('bad contentType -> 400 naming it', async () => {
    const r = await owner.api('POST', messagesPath(team.id, general.id), { body: { contentType: 'markdown', content: 'x' } });
    expectGraphError(r, 400, 'contentType');
  });

  test('missing body -> 400', async () => {
    expectGraphError(await owner.api('POST', messagesPath(team.id, general.id), {}), 400, 'body');
  });

  test('missing content -> 400', async () => {
    expectGraphError(await owner.api('POST', messagesPath(team.id, general.id), { body: { contentType: 'text' } }), 400, 'content');
  });

  test('content: 5 -> 400', async () => {
    expectGraphError(await owner.api('POST', messagesPath(team.id, general.id), { body: { contentType: 'text', content: 5 } }), 400, 'content');
  });

  test('malformed JSON -> 400', async () => {
    expectGraphError(await owner.api('POST', messagesPath(team.id, general.id), '{"body":{'), 400);
  });

  test('refused posts are not stored', async () => {
    const ch = await createChannel(owner.api, team.id);
    expectGraphError(await owner.api('POST', messagesPath(team.id, ch.id), { body: { contentType: 'markdown', content: 'x' } }), 400);
    assert.deepEqual(expectCollection(await owner.api('GET', messagesPath(team.id, ch.id))), []);
  });

  test('unknown channel -> 404', async () => {
    expectGraphError(await owner.api('POST', messagesPath(team.id, NO_SUCH_ID), { body: { contentType: 'text', content: 'x' } }), 404);
    expectGraphError(await owner.api('GET', messagesPath(team.id, NO_SUCH_ID)), 404);
  });

  test('a channel of another team under this team\'s path -> 404', async () => {
    const other = await createTeam(owner.api);
    const otherGeneral = await generalChannel(owner.api, other.id);
    expectGraphError(await owner.api('POST', messagesPath(team.id, otherGeneral.id), { body: { contentType: 'text', content: 'x' } }), 404);
    expectGraphError(await owner.api('GET', messagesPath(team.id, otherGeneral.id)), 404);
  });

  test('messages stay in their channel', async () => {
    const a = await createChannel(owner.api, team.id);
    const b = await createChannel(owner.api, team.id);
    const m = await postMessage(owner.api, team.id, a.id);
    const inB = expectCollection(await owner.api('GET', messagesPath(team.id, b.id)));
    assert.ok(!inB.some((x) => x.id === m.id));
  });
});

describe('content is stored and returned verbatim', () => {
  const samples = [
    ['script tag (text)', 'text', '<script>alert(1)</script>'],
    ['script tag (html)', 'html', '<script>alert(1)</script>'],
    ['event handler (html)', 'html', '<img src=x onerror="alert(\'x\')">'],
    ['quotes, backslashes, control characters', 'text', 'a "quoted" \\ back\\slash\nnew line\ttab\r\n{"json":true}'],
    ['entities are not decoded', 'text', '&lt;b&gt; &amp; &#39; &quot;'],
    ['unicode', 'text', 'Grüße 你好 🚀 \u2028\u2029 ‮rtl'],
    ['closing script in JSON', 'text', '</script><!-- -->]]>'],
  ];
  for (const [name, contentType, content] of samples) {
    test(name, async () => {
      const ch = await createChannel(owner.api, team.id);
      const r = await owner.api('POST', messagesPath(team.id, ch.id), { body: { contentType, content } });
      expectStatus(r, 201);
      assert.match(r.contentType, /^application\/json/i);
      assert.equal(r.body.body.content, content, 'POST response changed the content');
      assert.equal(r.body.body.contentType, contentType);
      const list = await owner.api('GET', messagesPath(team.id, ch.id));
      const value = expectCollection(list);
      assert.equal(value.length, 1);
      assert.equal(value[0].body.content, content, 'GET changed the content');
    });
  }
});

describe('history paging', () => {
  const N = 25;
  let ch;
  let posted; // oldest first

  before(async () => {
    ch = await createChannel(owner.api, team.id);
    posted = [];
    // Sequential, so the order is defined; several will share a millisecond.
    for (let i = 0; i < N; i++) posted.push(await postMessage(i % 2 ? member.api : owner.api, team.id, ch.id, `message ${i}`));
  });

  const newestFirst = () => posted.map((m) => m.id).reverse();

  test('$top=N -> N newest first with an absolute @odata.nextLink', async () => {
    const r = await owner.api('GET', `${messagesPath(team.id, ch.id)}?$top=4`);
    const value = expectCollection(r);
    assert.deepEqual(value.map((m) => m.id), newestFirst().slice(0, 4));
    const next = r.body['@odata.nextLink'];
    assert.equal(typeof next, 'string', '@odata.nextLink missing although more messages exist');
    assert.ok(next.startsWith(srv.url + '/'), `nextLink ${next} does not start with ${srv.url}/`);
  });

  test('following nextLinks yields every message exactly once, newest first', async () => {
    const { pages, items } = await readAllPages(owner.api, `${messagesPath(team.id, ch.id)}?$top=4`, { serverUrl: srv.url });
    assert.deepEqual(pages.map((p) => p.length), [4, 4, 4, 4, 4, 4, 1]);
    assert.deepEqual(items.map((m) => m.id), newestFirst());
    assert.deepEqual(items.map((m) => m.body.content), posted.map((m) => m.body.content).reverse());
  });

  test('pages are not reordered by equal timestamps: createdDateTime never increases', async () => {
    const { items } = await readAllPages(owner.api, `${messagesPath(team.id, ch.id)}?$top=3`, { serverUrl: srv.url });
    assert.deepEqual(items.map((m) => m.id), newestFirst());
    for (let i = 1; i < items.length; i++) {
      assert.ok(Date.parse(items[i - 1].createdDateTime) >= Date.parse(items[i].createdDateTime), `out of order at ${i}`);
    }
  });

  test('$top=1 pages one by one through all', async () => {
    const { pages, items } = await readAllPages(owner.api, `${messagesPath(team.id, ch.id)}?$top=1`, { serverUrl: srv.url });
    assert.equal(pages.length, N);
    assert.deepEqual(items.map((m) => m.id), newestFirst());
  });

  test('a page that holds everything has no nextLink', async () => {
    const r = await owner.api('GET', `${messagesPath(team.id, ch.id)}?$top=${N}`);
    const value = expectCollection(r);
    assert.deepEqual(value.map((m) => m.id), newestFirst());
    assert.ok(!r.body['@odata.nextLink'], `unexpected nextLink ${r.body['@odata.nextLink']}`);
  });

  test('without $top, following nextLinks still yields all, newest first', async () => {
    const { items } = await readAllPages(owner.api, messagesPath(team.id, ch.id), { serverUrl: srv.url });
    assert.deepEqual(items.map((m) => m.id), newestFirst());
  });

  test('$top=50 (the Graph maximum) returns everything', async () => {
    const r = await owner.api('GET', `${messagesPath(team.id, ch.id)}?$top=50`);
    assert.deepEqual(expectCollection(r).map((m) => m.id), newestFirst());
    assert.ok(!r.body['@odata.nextLink']);
  });

  test('a huge $top is refused with a 400 naming $top, or capped without losing or repeating messages', async () => {
    const path = `${messagesPath(team.id, ch.id)}?$top=100000`;
    const r = await owner.api('GET', path);
    if (r.status === 400) {
      expectGraphError(r, 400, '$top');
      return;
    }
    const { items } = await readAllPages(owner.api, path, { serverUrl: srv.url });
    assert.deepEqual(items.map((m) => m.id), newestFirst());
  });

  test('unknown $-query options are ignored', async () => {
    const r = await owner.api('GET', `${messagesPath(team.id, ch.id)}?$top=3&$foo=bar`);
    assert.deepEqual(expectCollection(r).map((m) => m.id), newestFirst().slice(0, 3));
  });

  test('the nextLink works for another member of the team too', async () => {
    const r = await owner.api('GET', `${messagesPath(team.id, ch.id)}?$top=5`);
    const next = r.body['@odata.nextLink'];
    assert.ok(next);
    const r2 = await member.api('GET', next);
    assert.deepEqual(expectCollection(r2).map((m) => m.id), newestFirst().slice(5, 10));
  });

  test('a message posted while paging does not shift the following pages', async () => {
    const c2 = await createChannel(owner.api, team.id);
    const old = [];
    for (let i = 0; i < 9; i++) old.push(await postMessage(owner.api, team.id, c2.id, `old ${i}`));
    const first = await owner.api('GET', `${messagesPath(team.id, c2.id)}?$top=3`);
    const seen = expectCollection(first).map((m) => m.id);
    await postMessage(owner.api, team.id, c2.id, uniqueName('late'));
    const { items } = await readAllPages(owner.api, first.body['@odata.nextLink'], { serverUrl: srv.url });
    const all = seen.concat(items.map((m) => m.id));
    assert.deepEqual(all, old.map((m) => m.id).reverse());
  });
});

describe('GET one message by id', () => {
  let ch;
  let posted;

  before(async () => {
    ch = await createChannel(owner.api, team.id);
    posted = await postMessage(owner.api, team.id, ch.id, uniqueName('by id'));
  });

  test('GET .../messages/{id} -> 200, exactly the chatMessage the list gives', async () => {
    const r = await member.api('GET', `${messagesPath(team.id, ch.id)}/${posted.id}`);
    expectStatus(r, 200);
    const listed = expectCollection(await member.api('GET', messagesPath(team.id, ch.id))).find((m) => m.id === posted.id);
    assert.deepEqual(expectJson(r), listed);
    assert.equal(r.body.body.content, posted.body.content);
    // Contract §6: the fields of a message that was never replied to, edited or reacted to.
    for (const k of ['replyToId', 'lastEditedDateTime', 'deletedDateTime']) assert.equal(r.body[k], null, k);
    assert.deepEqual(r.body.reactions, []);
    assert.deepEqual(r.body.mentions, []);
  });

  test('unknown message id -> 404 Graph error', async () => {
    expectGraphError(await owner.api('GET', `${messagesPath(team.id, ch.id)}/${NO_SUCH_ID}`), 404);
    expectGraphError(await owner.api('GET', `${messagesPath(team.id, ch.id)}/not-a-guid`), 404);
  });

  test('a message of another channel or team under this path -> 404', async () => {
    expectGraphError(await owner.api('GET', `${messagesPath(team.id, general.id)}/${posted.id}`), 404);
    const other = await createTeam(owner.api);
    const otherGeneral = await generalChannel(owner.api, other.id);
    expectGraphError(await owner.api('GET', `${messagesPath(other.id, otherGeneral.id)}/${posted.id}`), 404);
    const elsewhere = await postMessage(owner.api, other.id, otherGeneral.id);
    expectGraphError(await owner.api('GET', `${messagesPath(team.id, ch.id)}/${elsewhere.id}`), 404);
  });

  test('someone who cannot read the channel -> 404, the same answer as an unknown id', async () => {
    const outsider = await newUser(srv, 'outsider');
    const r = await outsider.api('GET', `${messagesPath(team.id, ch.id)}/${posted.id}`);
    expectGraphError(r, 404);
    const unknown = await outsider.api('GET', `${messagesPath(team.id, ch.id)}/${NO_SUCH_ID}`);
    expectGraphError(unknown, 404);
    assert.equal(r.body.error.code, unknown.body.error.code);
  });
});
