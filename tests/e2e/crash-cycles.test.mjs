// Crash cycles: SIGKILL the server during 8-way concurrent webhook load, 20 times in a row on
// the same data (SQLite, or PostgreSQL with SB_STORE=postgres). Each cycle restarts the server,
// eight posters send unique texts as fast as they are answered, and the server is killed as
// soon as a random number (20-60) of posts of that cycle have been acknowledged, so posts are in
// flight at the kill. After the last cycle every acknowledged text must be in the channel
// exactly once, and no text may appear twice (contract section 5: 200 "1" means durably stored).
// The totals are printed as a diagnostic and as the name of the last subtest.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { STORE, newUser, startServer } from './lib/server.mjs';
import { createTeam, expectStatus, generalChannel, uniqueName } from './lib/graph.mjs';
import { allMessages, createWebhook, postTo } from './lib/webhooks.mjs';

const CYCLES = 20;
const POSTERS = 8;
const MIN_ACKS = 20; // the kill comes after this many acknowledged posts of a cycle ...
const MAX_ACKS = 60; // ... up to this many, chosen at random per cycle
const POST_TIMEOUT_MS = 10_000; // a post that hangs this long fails the cycle (no kill is timed)

let srv;
let owner;
let team;
let channel;
let hook;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  owner = await newUser(srv, 'owner');
  team = await createTeam(owner.api, uniqueName('Cycles'));
  channel = await generalChannel(owner.api, team.id);
  hook = await createWebhook(owner.api, channel.id, { name: 'crash cycles' });
});

after(async () => {
  if (srv) await srv.close();
});

// The webhook's URL on the server as it runs now (the port changes with every restart).
async function currentUrl() {
  const r = expectStatus(await owner.api('GET', `/api/v1/connectors/${hook.id}`), 200, 'read the webhook');
  assert.ok(r.body.url.startsWith(srv.url + '/'), `url ${r.body.url} is not on ${srv.url}`);
  return r.body.url;
}

function textOf(m) {
  const a = m.attachments && m.attachments[0];
  if (!a || typeof a.content !== 'string') return undefined;
  return JSON.parse(a.content).text;
}

function errorCode(err) {
  const c = err.cause && (err.cause.cause || err.cause);
  return (c && (c.code || c.message)) || String(err);
}

// One cycle on a running server: POSTERS posters post one after the other until their
// connection fails; the server is killed when killAt posts have been acknowledged. Resolves
// with {acked, attempted, other, failures, inFlight, info}.
async function cycle(n, url, killAt) {
  const acked = [];
  const other = []; // answers other than 200 "1", and failures before the kill
  const failures = []; // the transport failure that ended each poster
  let attempted = 0;
  let killed = null;
  const kill = () => {
    if (!killed) killed = srv.kill9();
    return killed;
  };
  const poster = async (p) => {
    for (let k = 0; ; k++) {
      const text = `cycle c${n} p${p} n${k} ${uniqueName('x')}`;
      attempted += 1;
      let r;
      try {
        r = await postTo(url, { text }, { timeoutMs: POST_TIMEOUT_MS });
      } catch (err) {
        failures.push(errorCode(err));
        if (!killed) {
          other.push(`transport failure before the kill: ${err.message}`);
          kill(); // end the cycle rather than let the other posters run on
        }
        return;
      }
      if (r.status === 200 && r.text === '1') {
        acked.push(text);
        if (acked.length >= killAt) kill();
      } else {
        other.push(`${r.status} ${r.text.slice(0, 200)}`);
        kill();
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: POSTERS }, (_, p) => poster(p)));
  const info = await kill();
  // Refused connections came after the process was gone; anything else was cut mid-request.
  const inFlight = failures.filter((c) => c !== 'ECONNREFUSED').length;
  return { acked, attempted, other, failures, inFlight, info };
}

test(`${STORE}: acknowledged webhook posts survive ${CYCLES} kill -9 cycles under ${POSTERS}-way load exactly once`, async (t) => {
  const t0 = Date.now();
  const allAcked = [];
  let attempted = 0;
  let inFlightTotal = 0;
  const killPoints = [];
  for (let n = 1; n <= CYCLES; n++) {
    const c0 = Date.now();
    if (n > 1) await srv.restart();
    const started = Date.now() - c0;
    const url = await currentUrl();
    const killAt = MIN_ACKS + Math.floor(Math.random() * (MAX_ACKS - MIN_ACKS + 1));
    killPoints.push(killAt);
    const r = await cycle(n, url, killAt);
    assert.deepEqual(r.other, [], `cycle ${n}: posts answered with something other than 200 "1" (rate limit is 0)\n${srv.proc.describe()}`);
    assert.equal(r.info.signal, 'SIGKILL', `cycle ${n}: the server should have been killed: ${JSON.stringify(r.info)}\n${srv.proc.describe()}`);
    assert.ok(r.acked.length >= killAt, `cycle ${n}: ${r.acked.length} acknowledged, the kill was due at ${killAt}`);
    assert.equal(r.failures.length, POSTERS, `cycle ${n}: every poster ends with a failed post: ${r.failures}`);
    attempted += r.attempted;
    inFlightTotal += r.inFlight;
    allAcked.push(...r.acked);
    if (process.env.SB_VERBOSE) t.diagnostic(`cycle ${n}: restart ${started} ms, kill at ${killAt}, ${r.acked.length} acknowledged of ${r.attempted}; ${r.inFlight} cut in flight (${r.failures.join(', ')})`);
  }

  await srv.restart();
  const messages = await allMessages(owner.api, team.id, channel.id, srv);
  const counts = new Map();
  for (const m of messages) {
    const text = textOf(m);
    counts.set(text, (counts.get(text) || 0) + 1);
  }
  const missing = allAcked.filter((x) => !counts.has(x));
  const duplicated = [...counts].filter(([, c]) => c > 1).map(([x, c]) => `${x} x${c}`);
  const found = allAcked.length - missing.length;
  const unacknowledged = messages.length - found; // stored, but the answer was cut by the kill
  const summary = `${STORE}: ${allAcked.length} acknowledged, ${found} found, ${missing.length} missing, ` +
    `${duplicated.length} duplicates, ${CYCLES} cycles (${attempted} posts attempted, ${inFlightTotal} cut in flight, ` +
    `${unacknowledged} stored without an acknowledgement, ${messages.length} messages read in pages of 50) in ${Date.now() - t0} ms`;
  t.diagnostic(summary);
  t.diagnostic(`kill points (acks per cycle): ${killPoints.join(' ')}`);

  assert.deepEqual(missing, [], `${missing.length} acknowledged posts lost after kill -9 (of ${allAcked.length})`);
  assert.deepEqual(duplicated, [], 'duplicated messages after kill -9');
  const ids = messages.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'message ids repeat across pages');
  for (const x of counts.keys()) assert.ok(typeof x === 'string' && x.startsWith('cycle c'), `unexpected message ${x}`);
  // The kills landed mid-flight (not only between posts).
  assert.ok(inFlightTotal > 0, 'no post was in flight at any of the kills');
  await t.test(`totals: ${allAcked.length} acknowledged, ${found} found, ${duplicated.length} duplicates, ${CYCLES} cycles`, () => {});
});
