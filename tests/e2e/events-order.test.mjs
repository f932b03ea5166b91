// Events are published in commit order (issue 16, item 10). Many concurrent writers (webhook
// posts on several webhooks, people's messages) while one subscriber reads /api/v1/events and
// reconnects after a random number of events with Last-Event-ID, as a browser's EventSource
// does (the id of the last event received). At the end the subscriber must hold every
// acknowledged message exactly once, and the ids it saw must only ever grow: an event published
// after one with a higher id is what makes a resuming client miss it (or see one twice).
// SQLite, PostgreSQL (SB_STORE=postgres), and two server processes on one PostgreSQL database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, randomToken, api, STORE } from './lib/server.mjs';
import { sharedCluster } from './lib/postgres.mjs';
import { createTeam, createChannel, generalChannel, postMessage, uniqueName } from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, messageCard, openEvents, onServer } from './lib/webhooks.mjs';

const HOOKS = 4;
const HOOK_WORKERS = 48; // concurrent webhook posters (the group commit's hot path)
const PEOPLE_WORKERS = 8; // concurrent people's messages (one durable write each)
const POSTS_PER_WORKER = 25;

const servers = [];

after(async () => {
  for (const s of servers) await s.close();
});

async function fixture(nodes) {
  const admin = api(nodes[0], nodes[0].adminToken);
  const team = await createTeam(admin, uniqueName('Order'));
  const channels = [await generalChannel(admin, team.id)];
  channels.push(await createChannel(admin, team.id, uniqueName('Second')));
  const hooks = [];
  for (let i = 0; i < HOOKS; i++) hooks.push(await createWebhook(admin, channels[i % channels.length].id));
  return { team, channels, hooks };
}

function textOf(ev) {
  const m = ev.json;
  if (!m) return undefined;
  if (m.attachments && m.attachments[0] && typeof m.attachments[0].content === 'string') {
    try { return JSON.parse(m.attachments[0].content).text; } catch { return undefined; }
  }
  return m.body && m.body.content;
}

// Reads the stream, reconnecting (alternately to each node) after 1..40 message events with the
// last id received, until `sentinel` has arrived. Resolves with what it saw.
async function subscribe(nodes, token, state) {
  const seen = []; // {id, text} in the order received, across every connection
  let lastId;
  let conn = 0;
  while (!state.sentinelSeen) {
    const node = nodes[conn % nodes.length];
    conn += 1;
    const s = await openEvents(node, { token, lastEventId: lastId, label: `subscriber #${conn}` });
    assert.equal(s.status, 200, `GET /api/v1/events -> ${s.status} ${s.text || ''}`);
    const quota = 1 + Math.floor(Math.random() * 40);
    try {
      for (let k = 0; k < quota && !state.sentinelSeen;) {
        let ev;
        try {
          ev = await s.next({ timeoutMs: state.writersDone ? 20_000 : 60_000, what: 'the next event' });
        } catch (err) {
          if (s.ended && !s.error) break; // the server ended the stream (catch-up page): resume
          throw err;
        }
        if (ev.event !== 'message') continue;
        k += 1;
        const text = textOf(ev);
        seen.push({ id: Number(ev.id), text });
        lastId = ev.id;
        if (text === state.sentinel) state.sentinelSeen = true;
      }
    } finally {
      s.close();
    }
  }
  return { seen, connections: conn };
}

async function run(nodes) {
  const { team, channels, hooks } = await fixture(nodes);
  const token = nodes[0].adminToken;
  const acked = new Set();
  const state = { sentinel: uniqueName('sentinel'), sentinelSeen: false, writersDone: false };
  const reader = subscribe(nodes, token, state);
  const workers = [];
  for (let w = 0; w < HOOK_WORKERS; w++) {
    workers.push((async () => {
      for (let i = 0; i < POSTS_PER_WORKER; i++) {
        const text = `hook ${w}.${i} ${randomToken(4)}`;
        const node = nodes[(w + i) % nodes.length];
        const url = onServer(hooks[(w + i) % hooks.length].url, node);
        expectAccepted(await postTo(url, messageCard(text)), text);
        acked.add(text);
      }
    })());
  }
  for (let w = 0; w < PEOPLE_WORKERS; w++) {
    workers.push((async () => {
      for (let i = 0; i < POSTS_PER_WORKER; i++) {
        const text = `person ${w}.${i} ${randomToken(4)}`;
        const node = nodes[(w + i) % nodes.length];
        await postMessage(api(node, token), team.id, channels[(w + i) % channels.length].id, text);
        acked.add(text);
      }
    })());
  }
  await Promise.all(workers);
  state.writersDone = true;
  // The last message of all: once it has arrived, every earlier one must have too.
  await postMessage(api(nodes[0], token), team.id, channels[0].id, state.sentinel);
  const { seen, connections } = await reader;

  const counts = new Map();
  for (const e of seen) counts.set(e.text, (counts.get(e.text) || 0) + 1);
  const missing = [...acked].filter((t) => !counts.has(t));
  const twice = [...counts].filter(([, n]) => n > 1).map(([t, n]) => `${t} (x${n})`);
  const backwards = [];
  for (let i = 1; i < seen.length; i++) {
    if (seen[i].id <= seen[i - 1].id) backwards.push(`${seen[i - 1].id} then ${seen[i].id}`);
  }
  const summary = `${acked.size} acknowledged, ${seen.length} events over ${connections} connections; ` +
    `${missing.length} missing, ${twice.length} duplicated, ${backwards.length} out of order`;
  assert.deepEqual(missing, [], `missed acknowledged messages (${summary}): ${missing.slice(0, 20).join(', ')}`);
  assert.deepEqual(twice, [], `messages received more than once (${summary}): ${twice.slice(0, 20).join(', ')}`);
  assert.deepEqual(backwards, [], `ids not increasing (${summary}): ${backwards.slice(0, 20).join(', ')}`);
  assert.equal(seen.length, acked.size + 1, summary);
}

test('one server: every acknowledged message exactly once, in id order, across random reconnects', async () => {
  const srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  servers.push(srv);
  await run([srv]);
});

const twoNodes = STORE !== 'postgres' && 'needs PostgreSQL (SB_STORE=postgres): SQLite serves one process';

test('two servers on one PostgreSQL database: the same, writing and reading on both', { skip: twoNodes }, async () => {
  const url = await (await sharedCluster()).createDatabase();
  const adminToken = randomToken();
  const a = await startServer({ adminToken, args: ['--db', url, '--webhook-rate-limit', '0'] });
  servers.push(a);
  const b = await startServer({ adminToken, args: ['--db', url, '--webhook-rate-limit', '0'] });
  servers.push(b);
  await run([a, b]);
});
