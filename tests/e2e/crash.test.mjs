// Durability of webhook posts under kill -9 (contract section 5: the 200 "1" is "sent only
// after the message is durably stored"). Eight posters hammer one webhook; the server is killed
// with SIGKILL while posts are in flight; after a restart on the same data dir every post that
// was acknowledged must be there exactly once, and nothing may be duplicated. Three cycles.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, newUser } from './lib/server.mjs';
import { expectStatus, createTeam, generalChannel, uniqueName } from './lib/graph.mjs';
import { createWebhook, allMessages, expectAccepted, postTo } from './lib/webhooks.mjs';

const POSTERS = 8;
const CYCLES = 3;
const KILL_AFTER_ACKS = 130; // per cycle (about 400 acknowledged posts in all) ...
const KILL_AFTER_MS = 2000; // ... or after this long, whichever comes first
const POST_TIMEOUT_MS = 10_000;

let srv;
let owner;
let team;
let channel;
let hook;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  owner = await newUser(srv, 'owner');
  team = await createTeam(owner.api, uniqueName('Crash'));
  channel = await generalChannel(owner.api, team.id);
  hook = await createWebhook(owner.api, channel.id, { name: 'crash hook' });
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

// One kill cycle. Each poster posts sequentially until its connection fails (the kill); the
// kill comes after KILL_AFTER_ACKS acknowledgements (or KILL_AFTER_MS), while the posters keep
// going, so posts are in flight at that moment. Resolves with {acked: [text], attempted,
// inFlight (posts cut by the kill, not refused afterwards), other, info}.
async function cycle(n, url) {
  const acked = [];
  const other = []; // answers that are neither 200 "1" nor a transport failure
  const failures = []; // transport failure codes, one per poster
  let attempted = 0;
  let killed = null;
  const t0 = Date.now();

  const kill = () => {
    if (!killed) killed = srv.kill9();
    return killed;
  };
  // Bounded by time too, so a slow (e.g. ASan) build still gets killed mid-stream.
  const timer = setTimeout(kill, KILL_AFTER_MS);

  const poster = async (p) => {
    for (let k = 0; ; k++) {
      const text = `crash c${n} p${p} n${k} ${uniqueName('x')}`;
      attempted += 1;
      let r;
      try {
        r = await postTo(url, { text }, { timeoutMs: POST_TIMEOUT_MS });
      } catch (err) {
        // the server is gone: this post is unacknowledged
        const c = err.cause && (err.cause.cause || err.cause);
        failures.push((c && (c.code || c.message)) || String(err));
        if (!killed) other.push(`transport failure before the kill: ${err.message}`);
        return;
      }
      if (r.status === 200 && r.text === '1') {
        acked.push(text);
        if (acked.length >= KILL_AFTER_ACKS) kill();
      } else {
        other.push(`${r.status} ${r.text.slice(0, 200)}`);
      }
      if (Date.now() - t0 > KILL_AFTER_MS + POST_TIMEOUT_MS) {
        other.push('the server was not killed in time');
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: POSTERS }, (_, p) => poster(p)));
  clearTimeout(timer);
  const info = await kill();
  const inFlight = failures.filter((c) => c !== 'ECONNREFUSED').length;
  return { acked, attempted, other, failures, inFlight, info, ms: Date.now() - t0 };
}

test(`acknowledged webhook posts survive kill -9 exactly once (${CYCLES} cycles, ${POSTERS} posters)`, async (t) => {
  const allAcked = [];
  let inFlightTotal = 0;
  for (let n = 1; n <= CYCLES; n++) {
    const url = await currentUrl();
    expectAccepted(await postTo(url, { text: `warm-up ${n}` }), 'warm-up post');
    allAcked.push(`warm-up ${n}`);
    const r = await cycle(n, url);
    t.diagnostic(`cycle ${n}: ${r.acked.length} acknowledged of ${r.attempted} attempted in ${r.ms} ms; poster failures: ${r.failures.join(', ')}`);
    assert.equal(r.info.signal, 'SIGKILL', `the server should have been killed: ${JSON.stringify(r.info)}\n${srv.proc.describe()}`);
    assert.deepEqual(r.other, [], `posts answered with something other than 200 "1" (rate limit is 0)`);
    assert.ok(r.acked.length > 0, `cycle ${n}: no post was acknowledged before the kill`);
    assert.equal(r.failures.length, POSTERS, `every poster ends with a failed post: ${r.failures}`);
    inFlightTotal += r.inFlight;
    allAcked.push(...r.acked);

    await srv.restart();
    const messages = await allMessages(owner.api, team.id, channel.id, srv);
    const counts = new Map();
    for (const m of messages) {
      const t = textOf(m);
      counts.set(t, (counts.get(t) || 0) + 1);
    }
    const missing = allAcked.filter((t) => !counts.has(t));
    assert.deepEqual(missing, [], `cycle ${n}: ${missing.length} acknowledged posts lost after kill -9 (of ${allAcked.length})`);
    const duplicated = [...counts].filter(([, c]) => c > 1).map(([t, c]) => `${t} x${c}`);
    assert.deepEqual(duplicated, [], `cycle ${n}: duplicated messages after kill -9`);
    const ids = messages.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, `cycle ${n}: message ids repeat across pages`);
    // Everything stored is something a poster sent (unacknowledged in-flight posts may or may
    // not be there, but only once).
    for (const t of counts.keys()) assert.ok(typeof t === 'string' && (t.startsWith('crash c') || t.startsWith('warm-up ')), `unexpected message ${t}`);
  }
  // SIGKILL cut at least one request short (not only refused connections afterwards).
  assert.ok(inFlightTotal > 0, 'no post was in flight at any of the kills');
  // After the last restart the webhook still works.
  expectAccepted(await postTo(await currentUrl(), { text: 'after the crashes' }));
});
