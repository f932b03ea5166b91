// Several server processes on one PostgreSQL database: a message stored through node A reaches
// event-stream subscribers on node B (LISTEN/NOTIFY), Last-Event-ID resumes on either node, a
// membership change made on A reaches B's open streams, edits, reactions, deletes and replies
// made on A reach B's streams, and policy set on A applies on B.
// Runs when the suite runs on PostgreSQL (SB_STORE=postgres); SQLite has one process by design.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, newUser, randomToken, api, STORE } from './lib/server.mjs';
import { sharedCluster } from './lib/postgres.mjs';
import { createTeam, generalChannel, addMember, postMessage } from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, expectRefused, messageCard, openEvents } from './lib/webhooks.mjs';

const skip = STORE !== 'postgres' && 'needs PostgreSQL (SB_STORE=postgres): SQLite serves one process';
let a;
let b;
const streams = [];

before(async () => {
  if (skip) return;
  const url = await (await sharedCluster()).createDatabase();
  // Both nodes bootstrap the same administrator token (the second start keeps it valid).
  const adminToken = randomToken();
  a = await startServer({ adminToken, args: ['--db', url, '--webhook-rate-limit', '0'] });
  b = await startServer({ adminToken, args: ['--db', url, '--webhook-rate-limit', '0'] });
});

after(async () => {
  for (const s of streams) s.close();
  if (a) await a.close();
  if (b) await b.close();
});

async function stream(server, opts) {
  const s = await openEvents(server, opts);
  streams.push(s);
  assert.equal(s.status, 200, `events -> ${s.status}`);
  return s;
}

function cardText(ev) {
  return JSON.parse(ev.json.attachments[0].content).text;
}

test('a webhook post on node A reaches a subscriber of node B; resume works on either node', { skip }, async () => {
  const team = await createTeam(api(a, a.adminToken));
  const channel = await generalChannel(api(a, a.adminToken), team.id);
  const hook = await createWebhook(api(a, a.adminToken), channel.id);
  const onB = await stream(b, { token: b.adminToken });
  const first = messageCard('two-node first');
  expectAccepted(await postTo(hook.url, first));
  const ev1 = await onB.nextMatching((e) => e.event === 'message' && cardText(e) === 'two-node first', { what: 'the post made on A, on B' });
  assert.match(ev1.id, /^\d+$/);
  // Two more on A while nobody listens; B resumes after ev1 and gets exactly those, in order.
  onB.close();
  expectAccepted(await postTo(hook.url, messageCard('two-node second')));
  const person = await postMessage(api(a, a.adminToken), team.id, channel.id, 'two-node third');
  const resumed = await stream(b, { token: b.adminToken, lastEventId: ev1.id });
  const ev2 = await resumed.nextMatching((e) => e.event === 'message', { what: 'the first missed message' });
  assert.equal(cardText(ev2), 'two-node second');
  const ev3 = await resumed.nextMatching((e) => e.event === 'message', { what: 'the second missed message' });
  assert.equal(ev3.json.id, person.id);
  assert.ok(Number(ev3.id) > Number(ev2.id) && Number(ev2.id) > Number(ev1.id));
  // The same id resumes on A as well.
  const onA = await stream(a, { token: a.adminToken, lastEventId: ev1.id });
  const evA = await onA.nextMatching((e) => e.event === 'message', { what: 'the first missed message, on A' });
  assert.equal(evA.id, ev2.id);
});

test('a membership added on node A opens that team to a stream already open on node B', { skip }, async () => {
  const team = await createTeam(api(a, a.adminToken));
  const channel = await generalChannel(api(a, a.adminToken), team.id);
  const user = await newUser(a, 'nora');
  const onB = await stream(b, { token: user.token });
  await addMember(api(a, a.adminToken), team.id, user.id);
  await postMessage(api(a, a.adminToken), team.id, channel.id, 'after joining, via A');
  const ev = await onB.nextMatching((e) => e.event === 'message', { what: 'the message of the team joined on A' });
  assert.equal(ev.json.body.content, 'after joining, via A');
});

test('an edit, a reaction and a soft delete made on node A reach node B as messageUpdated; a reply as message', { skip }, async () => {
  const adminA = api(a, a.adminToken);
  const team = await createTeam(adminA);
  const channel = await generalChannel(adminA, team.id);
  const path = `/v1.0/teams/${team.id}/channels/${channel.id}/messages`;
  const m = await postMessage(adminA, team.id, channel.id, 'discussed on two nodes');
  const onB = await stream(b, { token: b.adminToken });
  const updated = (what, pred) => onB.nextMatching((e) => e.event === 'messageUpdated' && e.json?.id === m.id && pred(e.json), { what });
  assert.equal((await adminA('PATCH', `${path}/${m.id}`, { body: { contentType: 'text', content: 'edited on A' } })).status, 204);
  await updated('the edit made on A, on B', (j) => j.body.content === 'edited on A');
  assert.equal((await adminA('POST', `${path}/${m.id}/setReaction`, { reactionType: 'like' })).status, 204);
  await updated('the reaction made on A, on B', (j) => j.reactions.some((r) => r.reactionType === 'like'));
  assert.equal((await adminA('POST', `${path}/${m.id}/softDelete`)).status, 204);
  await updated('the delete made on A, on B', (j) => j.deletedDateTime !== null);
  const reply = await adminA('POST', `${path}/${m.id}/replies`, { body: { contentType: 'text', content: 'a reply on A' } });
  assert.equal(reply.status, 400, 'a deleted message takes no replies');
  assert.equal((await adminA('POST', `${path}/${m.id}/undoSoftDelete`)).status, 204);
  const r = await adminA('POST', `${path}/${m.id}/replies`, { body: { contentType: 'text', content: 'a reply on A' } });
  assert.equal(r.status, 201);
  const ev = await onB.nextMatching((e) => e.event === 'message' && e.json?.id === r.body.id, { what: 'the reply made on A, on B' });
  assert.equal(ev.json.replyToId, m.id);
});

test('a policy change made on node A applies on node B within a second', { skip }, async () => {
  const team = await createTeam(api(a, a.adminToken));
  const channel = await generalChannel(api(a, a.adminToken), team.id);
  const hook = await createWebhook(api(a, a.adminToken), channel.id);
  const onB = hook.url.replace(a.url, b.url);
  expectAccepted(await postTo(onB, messageCard('before the switch')));
  const r = await api(a, a.adminToken)('PATCH', '/api/v1/admin/organization', { connectorsEnabled: false });
  assert.equal(r.status, 200);
  const deadline = Date.now() + 1500;
  let last;
  for (;;) {
    last = await postTo(onB, messageCard('after the switch'));
    if (last.status === 403 || Date.now() > deadline) break;
  }
  expectRefused(last, 403, 'Microsoft Teams endpoint returned HTTP error 403');
  await api(a, a.adminToken)('PATCH', '/api/v1/admin/organization', { connectorsEnabled: null });
});

test('the per-webhook rate limit holds across nodes: posts through A and B share one budget', { skip }, async () => {
  // Nodes started with --webhook-rate-limit 2: at most 2 posts per second in total.
  const url = await (await sharedCluster()).createDatabase();
  const adminToken = randomToken();
  const x = await startServer({ adminToken, args: ['--db', url, '--webhook-rate-limit', '2'] });
  const y = await startServer({ adminToken, args: ['--db', url, '--webhook-rate-limit', '2'] });
  try {
    const call = api(x, adminToken);
    const team = await createTeam(call);
    const channel = await generalChannel(call, team.id);
    const hook = await createWebhook(call, channel.id);
    const viaY = hook.url.replace(x.url, y.url);
    // 8 posts at once, half through each node, all within a second or two: the budget is 2 per
    // second in total, so most are refused, and every refusal says when to retry.
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => postTo(i % 2 ? viaY : hook.url, messageCard(`rl ${i}`))));
    const ok = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 429);
    assert.equal(ok + refused.length, 8, results.map((r) => r.status).join(','));
    assert.ok(ok >= 1 && ok <= 4, `accepted ${ok} of 8 (at most 2 per second across both nodes)`);
    for (const r of refused) assert.ok(Number(r.headers.get('retry-after')) >= 1);
  } finally {
    await x.close();
    await y.close();
  }
});
