// Message search (contract §6): POST /v1.0/search/query with entityTypes ["chatMessage"].
// What is found (people's text, HTML without its tags, MessageCard and Adaptive Card text),
// who finds it (only messages of the caller's teams; administrators every team), the
// highlighted summary, paging, and query strings with FTS operators read as plain words.
// One server for the file; every test searches for words of its own.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, getToken, runSql, STORE } from './lib/server.mjs';
import {
  expectStatus, expectGraphError, createTeam, createChannel, generalChannel, addMember, postMessage, messagesPath,
} from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, messageCard, adaptiveEnvelope } from './lib/webhooks.mjs';

let srv;
let admin;
let owner;
let member;
let outsider;
let team;
let channel;
let other; // a second channel of team
let hook;

let serial = 0;
// A word no other test uses (letters and digits only, so it is one search word).
const word = (label) => `${label}${Date.now().toString(36)}x${(serial++).toString(36)}`;

const query = (queryString, extra = {}) => ({ requests: [{ entityTypes: ['chatMessage'], query: { queryString }, ...extra }] });

async function search(call, queryString, extra) {
  const r = expectStatus(await call('POST', '/v1.0/search/query', query(queryString, extra)), 200, `search ${queryString}`);
  return r.body.value[0].hitsContainers[0];
}

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  [owner, member, outsider] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'outsider')]);
  team = await createTeam(owner.api);
  channel = await generalChannel(owner.api, team.id);
  other = await createChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id);
  hook = await createWebhook(owner.api, channel.id);
});

after(async () => {
  await srv?.close();
});

describe('what is found', () => {
  test('a person\'s message: hit with the chatMessage as resource and the word highlighted in the summary', async () => {
    const w = word('quokka');
    const m = await postMessage(member.api, team.id, other.id, `Deploy of ${w} failed at 10:02`);
    const c = await search(member.api, w.toUpperCase());
    assert.equal(c.total, 1);
    assert.equal(c.moreResultsAvailable, false);
    assert.equal(c.hits.length, 1);
    const h = c.hits[0];
    assert.equal(h.hitId, m.id);
    assert.equal(h.rank, 1);
    assert.equal(h.summary, `Deploy of <c0>${w}</c0> failed at 10:02`);
    assert.equal(h.resource['@odata.type'], '#microsoft.graph.chatMessage');
    assert.equal(h.resource.id, m.id);
    assert.deepEqual(h.resource.body, { contentType: 'text', content: `Deploy of ${w} failed at 10:02` });
    assert.deepEqual(h.resource.channelIdentity, { teamId: team.id, channelId: other.id });
    const got = expectStatus(await member.api('GET', `${messagesPath(team.id, other.id)}/${m.id}`), 200).body;
    assert.deepEqual(h.resource, { ...got, '@odata.type': '#microsoft.graph.chatMessage' }, 'the resource is the message as GET shows it');
  });

  test('every word must occur; words are found in any order and case', async () => {
    const [a, b] = [word('alpha'), word('beta')];
    const m = await postMessage(member.api, team.id, channel.id, `${b} then ${a}`);
    assert.deepEqual((await search(member.api, `${a} ${b}`)).hits.map((h) => h.hitId), [m.id]);
    assert.equal((await search(member.api, `${a} ${word('absent')}`)).hits.length, 0);
  });

  test('HTML messages are searched by the text they show, not their tags', async () => {
    const w = word('html');
    const m = await postMessage(member.api, team.id, channel.id, `<p>the <strong>${w}</strong>&amp;co</p><p>second&nbsp;paragraph</p>`, 'html');
    const c = await search(member.api, w);
    assert.deepEqual(c.hits.map((h) => h.hitId), [m.id]);
    assert.equal(c.hits[0].summary, `the <c0>${w}</c0>&co second paragraph`);
    assert.equal((await search(member.api, `${w} strong`)).hits.length, 0, 'tag names are not words of the message');
  });

  test('a MessageCard\'s title, text, sections and facts are searchable', async () => {
    const [t, s, f, v] = [word('title'), word('activity'), word('factname'), word('factvalue')];
    expectAccepted(await postTo(hook.url, messageCard('plain text', {
      title: `Alert ${t}`,
      sections: [{ activityTitle: `Service ${s}`, facts: [{ name: f, value: `v ${v}` }] }],
    })));
    for (const x of [t, s, f, v]) {
      const c = await search(member.api, x);
      assert.equal(c.hits.length, 1, x);
      assert.equal(c.hits[0].resource.from.application.applicationIdentityType, 'connector');
      assert.match(c.hits[0].summary, new RegExp(`<c0>${x}</c0>`));
    }
  });

  test('an Adaptive Card\'s TextBlocks and FactSets are searchable; its URLs are not', async () => {
    const [tb, fact] = [word('textblock'), word('factset')];
    expectAccepted(await postTo(hook.url, adaptiveEnvelope([{
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: `Build ${tb} broke`, wrap: true },
        { type: 'FactSet', facts: [{ title: 'Owner', value: `team ${fact}` }] },
      ],
      actions: [{ type: 'Action.OpenUrl', title: 'Open', url: `https://ci.example/${tb}linkonly` }],
    }])));
    assert.equal((await search(member.api, tb)).hits.length, 1);
    assert.equal((await search(member.api, fact)).hits.length, 1);
    assert.equal((await search(member.api, `${tb}linkonly`)).hits.length, 0);
  });
});

describe('messages stored before the index', () => {
  test('are indexed when the server starts (more than one batch of 128), cards included', async () => {
    const own = await startServer({ args: ['--webhook-rate-limit', '0'] });
    try {
      const u = await newUser(own, 'old');
      const t = await createTeam(u.api);
      const c = await generalChannel(u.api, t.id);
      const w = word('backfill');
      for (let i = 0; i < 130; i++) await postMessage(u.api, t.id, c.id, `old ${w} ${i}`);
      const h = await createWebhook(u.api, c.id);
      expectAccepted(await postTo(h.url, messageCard(`card ${w}card`)));
      assert.equal((await search(u.api, w)).total, 130);
      await own.stop();
      // As a database of the version before migration 014 left them: no search text, no index entry.
      await runSql(own, 'UPDATE messages SET search_text = NULL;');
      await own.restart();
      const again = api(own, await getToken(own, u.userPrincipalName, u.password));
      const c2 = await search(again, w, { size: 1 });
      assert.equal(c2.total, 130);
      assert.match(c2.hits[0].summary, new RegExp(`<c0>${w}</c0>`));
      assert.equal((await search(again, `${w}card`)).total, 1);
      assert.equal((await runSql(own, 'SELECT COUNT(*) FROM messages WHERE search_text IS NULL;')).trim(), '0');
    } finally {
      await own.close();
    }
  });
});

describe('replies, edits and deletes', () => {
  const msgPath = (ch, m) => `${messagesPath(team.id, ch.id)}/${m}`;

  test('replies are found; an edited message by its new words only; a soft-deleted one not until undone', async () => {
    const [w, old, neu, gone] = [word('thread'), word('before'), word('after'), word('deleted')];
    const parent = await postMessage(owner.api, team.id, channel.id, `parent ${w}`);
    const reply = expectStatus(await member.api('POST', `${msgPath(channel, parent.id)}/replies`, { body: { contentType: 'text', content: `reply ${w}` } }), 201).body;
    const found = (await search(member.api, w)).hits;
    assert.deepEqual(found.map((h) => h.hitId), [reply.id, parent.id]);
    assert.equal(found[0].resource.replyToId, parent.id);

    const m = await postMessage(member.api, team.id, channel.id, `text ${old}`);
    expectStatus(await member.api('PATCH', msgPath(channel, m.id), { body: { contentType: 'text', content: `text ${neu}` } }), 204);
    assert.equal((await search(member.api, old)).total, 0);
    const edited = (await search(member.api, neu)).hits;
    assert.deepEqual(edited.map((h) => h.hitId), [m.id]);
    assert.equal(edited[0].resource.body.content, `text ${neu}`);

    const d = await postMessage(member.api, team.id, channel.id, `text ${gone}`);
    expectStatus(await member.api('POST', `${msgPath(channel, d.id)}/softDelete`), 204);
    assert.equal((await search(member.api, gone)).total, 0);
    expectStatus(await member.api('POST', `${msgPath(channel, d.id)}/undoSoftDelete`), 204);
    assert.deepEqual((await search(member.api, gone)).hits.map((h) => h.hitId), [d.id]);
  });

  test('a hit shows the message\'s reactions as GET does', async () => {
    const w = word('reacted');
    const m = await postMessage(owner.api, team.id, channel.id, `react ${w}`);
    expectStatus(await member.api('POST', `${msgPath(channel, m.id)}/setReaction`, { reactionType: 'like' }), 204);
    const hit = (await search(member.api, w)).hits[0];
    const got = expectStatus(await member.api('GET', msgPath(channel, m.id)), 200).body;
    assert.deepEqual(hit.resource, { ...got, '@odata.type': '#microsoft.graph.chatMessage' });
    assert.equal(hit.resource.reactions.length, 1);
  });
});

describe('who finds what', () => {
  test('only messages of the caller\'s teams; administrators find every team\'s', async () => {
    const w = word('secret');
    const hidden = await createTeam(outsider.api);
    const hc = await generalChannel(outsider.api, hidden.id);
    const m = await postMessage(outsider.api, hidden.id, hc.id, `hidden ${w}`);
    assert.equal((await search(member.api, w)).hits.length, 0);
    assert.equal((await search(member.api, w)).total, 0);
    assert.deepEqual((await search(outsider.api, w)).hits.map((h) => h.hitId), [m.id]);
    assert.deepEqual((await search(admin, w)).hits.map((h) => h.hitId), [m.id]);
  });

  test('a person removed from a team no longer finds its messages', async () => {
    const w = word('leaver');
    const leaver = await newUser(srv, 'leaver');
    const membership = await addMember(owner.api, team.id, leaver.id);
    await postMessage(owner.api, team.id, channel.id, `before leaving ${w}`);
    assert.equal((await search(leaver.api, w)).hits.length, 1);
    expectStatus(await owner.api('DELETE', `/v1.0/teams/${team.id}/members/${membership.id}`), 204);
    assert.equal((await search(leaver.api, w)).hits.length, 0);
  });
});

describe('paging and order', () => {
  test('newest first; from/size page through the hits; total and moreResultsAvailable', async () => {
    const w = word('paged');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await postMessage(member.api, team.id, channel.id, `${w} number ${i}`)).id);
    const p1 = await search(member.api, w, { from: 0, size: 2 });
    assert.deepEqual(p1.hits.map((h) => h.hitId), [ids[2], ids[1]]);
    assert.deepEqual(p1.hits.map((h) => h.rank), [1, 2]);
    assert.equal(p1.total, 3);
    assert.equal(p1.moreResultsAvailable, true);
    const p2 = await search(member.api, w, { from: 2, size: 2 });
    assert.deepEqual(p2.hits.map((h) => h.hitId), [ids[0]]);
    assert.equal(p2.hits[0].rank, 3);
    assert.equal(p2.moreResultsAvailable, false);
    const past = await search(member.api, w, { from: 10, size: 2 });
    assert.equal(past.hits.length, 0);
    assert.equal(past.total, 3);
  });
});

describe('total', () => {
  test('counts up to 1,000 matches (then means "at least"), or to the end of the page asked for', async () => {
    const w = word('many');
    // 1,005 messages with the word, written as the store writes them (search text included), in
    // one statement: posting them one by one would take most of the test's time.
    const rows = STORE === 'postgres' ? 'generate_series(1, 1005) AS g(i)' : '(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 1005) SELECT i FROM g) g';
    await runSql(srv, `INSERT INTO messages (id, team_id, channel_id, created_at, from_kind, from_id, from_name, body_type, body, search_text)
      SELECT '${w}-' || g.i, '${team.id}', '${channel.id}', '2026-01-01T00:00:00.000Z', 'user', '${owner.id}', 'Owner', 'text', 'bulk ${w}', 'bulk ${w}' FROM ${rows};`);
    const first = await search(member.api, w);
    assert.equal(first.hits.length, 25);
    assert.equal(first.total, 1000);
    assert.equal(first.moreResultsAvailable, true);
    const last = await search(member.api, w, { from: 990, size: 25 });
    assert.equal(last.hits.length, 15);
    assert.equal(last.total, 1005);
    assert.equal(last.moreResultsAvailable, false);
    assert.equal(last.hits[14].hitId, `${w}-1`);
    assert.equal((await search(outsider.api, w)).total, 0);
  });
});

describe('query strings and bad input', () => {
  test('FTS operators, quotes, stars, parentheses and column filters are plain words: 200, never an error', async () => {
    const w = word('plain');
    const m = await postMessage(member.api, team.id, channel.id, `the ${w} case`);
    for (const q of [`"${w}`, `${w}"`, `"${w}"`, `${w}*`, `(${w}`, `${w})`, `-${w}`, `+${w}`,
      `${w} :`, `'${w}'`, `${w}^`, `{${w}}`, `${w} \\`, `${w}&|!`, `${w} <->`]) {
      assert.deepEqual((await search(member.api, q)).hits.map((h) => h.hitId), [m.id], q);
    }
    // Operator words and column names are words: they must occur like any other.
    for (const q of [`${w} AND`, `${w} OR zzz`, `NOT ${w}`, `NEAR(${w} case)`, `${w} NEAR`, `search_text:${w}`]) {
      assert.equal((await search(member.api, q)).hits.length, 0, q);
    }
    const withAnd = await postMessage(member.api, team.id, channel.id, `${w} and or not near`);
    assert.deepEqual((await search(member.api, `${w} AND OR NOT NEAR`)).hits.map((h) => h.hitId), [withAnd.id]);
  });

  test('words in other scripts are words; emoji and other symbols never make an error', async () => {
    const w = word('naïve');
    const m = await postMessage(member.api, team.id, channel.id, `a ${w} 東京${w} approach 🎉`);
    assert.deepEqual((await search(member.api, w)).hits.map((h) => h.hitId), [m.id]);
    assert.deepEqual((await search(member.api, `東京${w}`)).hits.map((h) => h.hitId), [m.id]);
    for (const q of ['🎉', `${w} 🎉`, '—', `${w}—approach`]) {
      expectStatus(await member.api('POST', '/v1.0/search/query', query(q)), 200, JSON.stringify(q));
    }
    // What JSON itself refuses here (NUL, a lone surrogate) is a 400, not a search.
    for (const q of ['\u0000x', '\ud83d']) expectGraphError(await member.api('POST', '/v1.0/search/query', query(q)), 400);
  });

  test('bad requests -> 400 in the Graph error shape', async () => {
    const bad = [
      query('!!! ** ""'),
      query(''),
      query('x', { size: 0 }),
      query('x', { size: 101 }),
      query('x', { from: -1 }),
      query('x', { size: 'ten' }),
      { requests: [{ entityTypes: ['chatMessage'] }] },
      { requests: [{ entityTypes: ['chatMessage'], query: 'x' }] },
      { requests: [{ entityTypes: ['chatMessage'], query: { queryString: 42 } }] },
      { requests: [{ entityTypes: ['chatMessage', 'externalItem'], query: { queryString: 'x' } }] },
      { requests: [{ entityTypes: ['message'], query: { queryString: 'x' } }] },
      query('w '.repeat(17)),
    ];
    for (const body of bad) {
      const r = await member.api('POST', '/v1.0/search/query', body);
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
      expectGraphError(r, 400);
    }
  });

  test('signed-out callers -> 401', async () => {
    expectGraphError(await api(srv)('POST', '/v1.0/search/query', query('x')), 401);
  });
});
