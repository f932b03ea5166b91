// Message search and unread counts at scale, for `make bench` (scripts/bench runs it once per
// store: SB_STORE=postgres for PostgreSQL, as the e2e suite).
//
//   node tests/bench/conversation.mjs [MESSAGES]   (default 1000000)
//
// 1. Starts a server on a fresh data dir (and database) and, through the API, creates a person
//    who owns 20 teams of 10 channels (200 channels) and 5 teams (50 channels) they are not in,
//    and 20 senders.
// 2. Stops it and loads MESSAGES messages spread over the 250 channels straight into the
//    database (tests/bench/conversation-gen.py: SQLite rows through Python's sqlite3, or COPY
//    through psql), with the search text store/message_search.c computes, so the FTS5 triggers
//    or the generated tsvector and its GIN index index them as they would a post. One message
//    in 200 mentions the person.
// 3. Restarts it and, one request at a time over HTTP, measures: GET /v1.0/me (the reference:
//    an authenticated request that reads one row), message search as the person (words of
//    several frequency bands, size 25) and as an administrator (every team), and
//    GET /api/v1/me/channelStates with the person's read position 0-100 messages from the end
//    of each channel, then with nothing read.
// Prints "ROW | ... |" lines (markdown table rows) and "RAW ..." lines for scripts/bench.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { startServer, api, runSql, REPO_ROOT, STORE } from '../e2e/lib/server.mjs';

const N = Number(process.argv[2] || 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES || 200);
const PASSWORD = 'Passw0rd-bench-conversation';

const srv = await startServer({ keep: true });
const admin = api(srv, srv.adminToken);
const must = (r, status, what) => {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
};
const log = (s) => process.stderr.write(`conversation (${STORE}): ${s}\n`);

try {
  const person = must(await admin('POST', '/v1.0/users', { displayName: 'Reader', userPrincipalName: 'reader@bench.test', passwordProfile: { password: PASSWORD } }), 201, 'user');
  const token = must(await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: 'reader@bench.test', password: PASSWORD }), 201, 'token').token;
  const reader = api(srv, token);
  const channels = []; // team:channel
  const mine = new Set();
  for (let t = 0; t < 25; t++) {
    const who = t < 20 ? reader : admin;
    const team = must(await who('POST', '/v1.0/teams', { displayName: `Team ${t}` }), 201, 'team').id;
    for (let c = 1; c < 10; c++) must(await who('POST', `/v1.0/teams/${team}/channels`, { displayName: `Channel ${c}` }), 201, 'channel');
    for (const c of must(await who('GET', `/v1.0/teams/${team}/channels`), 200, 'channels').value) {
      channels.push(`${team}:${c.id}`);
      if (t < 20) mine.add(c.id);
    }
  }
  const users = [`${person.id}:Reader`];
  for (let i = 0; i < 19; i++) {
    const u = must(await admin('POST', '/v1.0/users', { displayName: `Sender ${i}`, userPrincipalName: `sender${i}@bench.test`, passwordProfile: { password: PASSWORD } }), 201, 'user');
    users.push(`${u.id}:Sender ${i}`);
  }
  await srv.stop();

  log(`loading ${N} messages`);
  const t0 = Date.now();
  const gen = (kind, target) => JSON.parse(execFileSync('python3', [path.join(REPO_ROOT, 'tests/bench/conversation-gen.py'), kind, target, String(N), '7', channels.join(','), users.join(','), `${person.id}:Reader`], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }).toString());
  let vocab;
  if (STORE === 'postgres') {
    const prefix = path.join(srv.root, 'load');
    vocab = gen('tsv', prefix);
    await runSql(srv, `\\copy messages (id, team_id, channel_id, created_at, from_kind, from_id, from_name, body_type, body, search_text) FROM '${prefix}.messages.tsv'
CREATE TEMP TABLE load_mentions (message_id TEXT, mention_id BIGINT, channel_id TEXT, target_kind TEXT, target_id TEXT, mention_text TEXT, display_name TEXT);
\\copy load_mentions FROM '${prefix}.mentions.tsv'
INSERT INTO message_mentions (message_id, mention_id, channel_id, seq, target_kind, target_id, mention_text, display_name)
  SELECT l.message_id, l.mention_id, l.channel_id, m.seq, l.target_kind, l.target_id, l.mention_text, l.display_name FROM load_mentions l JOIN messages m ON m.id = l.message_id;
VACUUM ANALYZE messages;
VACUUM ANALYZE message_mentions;`);
    fs.rmSync(`${prefix}.messages.tsv`);
    fs.rmSync(`${prefix}.mentions.tsv`);
  } else {
    vocab = gen('sqlite', path.join(srv.dataDir, 'switchboard.db'));
    await runSql(srv, 'ANALYZE;');
  }
  const loadS = (Date.now() - t0) / 1000;
  log(`loaded in ${loadS.toFixed(0)} s`);
  await srv.restart();
  // BENCH_KEEP=1: stop here with the server up, to look at query plans, until stdin closes.
  if (process.env.BENCH_KEEP) {
    console.log(`KEEP url=${srv.url} db=${srv.dbUrl || path.join(srv.dataDir, 'switchboard.db')} token=${token} admin=${srv.adminToken} person=${person.id} vocab=${vocab.slice(0, 12).join(',')}`);
    await new Promise((resolve) => { process.stdin.on('end', resolve); process.stdin.resume(); });
  }

  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  };
  const fmt = (lat) => `p50 ${pct(lat, 50).toFixed(2)} ms, p95 ${pct(lat, 95).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms`;
  async function time(n, call) {
    const lat = [];
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      await call(i);
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return lat;
  }
  // The machine is shared: each measured request is preceded by a reference request
  // (GET /v1.0/me), so both see the same moments of noise; lat.ref holds the reference's.
  async function timed(n, call) {
    const ref = [];
    const lat = await time(n, async (i) => {
      ref.push((await time(1, async () => must(await reader('GET', '/v1.0/me'), 200, 'me')))[0]);
      await call(i);
    });
    // time() measured both: take the reference's share out.
    for (let i = 0; i < n; i++) lat[i] -= ref[i];
    lat.ref = ref;
    return lat;
  }
  const vsRef = (lat) => `(reference alongside: p50 ${pct(lat.ref, 50).toFixed(2)} ms, p95 ${pct(lat.ref, 95).toFixed(2)} ms; p95 ${(pct(lat, 95) / pct(lat.ref, 95)).toFixed(1)}x the reference's)`;
  const search = (who, qs) => who('POST', '/v1.0/search/query', { requests: [{ entityTypes: ['chatMessage'], query: { queryString: qs }, from: 0, size: 25 }] });
  async function searchBand(who, terms) {
    let totals = 0;
    const lat = await timed(terms.length, async (i) => {
      const r = await search(who, terms[i]);
      if (r.status !== 200) throw new Error(`search ${terms[i]}: ${r.status} ${r.text}`);
      totals += r.body.value[0].hitsContainers[0].total;
    });
    return { lat, avgTotal: Math.round(totals / terms.length) };
  }

  const rows = [];
  const raw = [];
  // Reference: the cheapest authenticated read, timed the same way.
  await time(50, () => reader('GET', '/v1.0/me'));
  const ref = await time(QUERIES, async () => must(await reader('GET', '/v1.0/me'), 200, 'me'));
  rows.push(`| ${STORE}: reference, \`GET /v1.0/me\` one at a time | ${fmt(ref)} | |`);
  raw.push(`me_p50_ms=${pct(ref, 50).toFixed(3)} me_p95_ms=${pct(ref, 95).toFixed(3)}`);

  const pick = (from, to, n) => Array.from({ length: n }, (_, i) => vocab[from + Math.floor(((to - from) * i) / n)]);
  const bands = [
    ['rare words (rank 5,000-20,000)', pick(5000, 20000, QUERIES)],
    ['medium words (rank 1,000-5,000)', pick(1000, 5000, QUERIES)],
    ['common words (rank 10-1,000)', pick(10, 1000, QUERIES)],
    ['the 10 most common words (each in 11-70% of messages)', pick(0, 10, QUERIES)],
    ['two words (ranks 100-5,000 each)', pick(100, 5000, QUERIES).map((w, i) => `${w} ${vocab[100 + ((i * 37) % 4900)]}`)],
  ];
  await searchBand(reader, pick(100, 20000, 50)); // warm the caches
  const all = [];
  all.ref = [];
  for (const [name, terms] of bands) {
    const { lat, avgTotal } = await searchBand(reader, terms);
    all.push(...lat);
    all.ref.push(...lat.ref);
    rows.push(`| ${STORE}: message search at ${N} messages, the person (200 of 250 channels), ${name}, mean total ${avgTotal} | ${fmt(lat)} ${vsRef(lat)} | p95 <= 50 ms |`);
    raw.push(`search_${name.split(' ')[0]}_p95_ms=${pct(lat, 95).toFixed(3)} ref_p95_ms=${pct(lat.ref, 95).toFixed(3)} total=${avgTotal}`);
  }
  rows.push(`| ${STORE}: message search, all ${all.length} queries above | ${fmt(all)} ${vsRef(all)} | p95 <= 50 ms |`);
  const adm = await searchBand(admin, bands[2][1]);
  const admTop = await searchBand(admin, bands[3][1]);
  rows.push(`| ${STORE}: message search, administrator (every team), common words, mean total ${adm.avgTotal} | ${fmt(adm.lat)} ${vsRef(adm.lat)} | p95 <= 50 ms |`);
  rows.push(`| ${STORE}: message search, administrator, the 10 most common words, mean total ${admTop.avgTotal} | ${fmt(admTop.lat)} ${vsRef(admTop.lat)} | p95 <= 50 ms |`);

  // Unread counts: the person has read each of their channels up to 0-100 messages from its end.
  const ks = [...mine].map((c, i) => `('${c}', ${1 + ((i * 37) % 101)})`).join(', ');
  await runSql(srv, `WITH k (channel_id, k) AS (VALUES ${ks})
INSERT INTO read_states (user_id, channel_id, last_read_seq, last_read_id, updated_at)
SELECT '${person.id}', channel_id, seq, id, '2026-12-01T00:00:00.000Z' FROM (
  SELECT m.channel_id, m.seq, m.id, k.k, ROW_NUMBER() OVER (PARTITION BY m.channel_id ORDER BY m.seq DESC) AS rn
  FROM messages m JOIN k ON k.channel_id = m.channel_id) x
WHERE rn = k;`);
  let states = null;
  const stateCall = async () => { states = must(await reader('GET', '/api/v1/me/channelStates'), 200, 'states').value; };
  await time(20, stateCall);
  const typical = await timed(QUERIES, stateCall);
  const sum = (k) => states.reduce((a, s) => a + s[k], 0);
  rows.push(`| ${STORE}: unread counts, \`GET /api/v1/me/channelStates\`, ${states.length} channels, read up to 0-100 from the end (${sum('unreadCount')} unread, ${sum('mentionCount')} mentions) | ${fmt(typical)} ${vsRef(typical)} | <= 5 ms |`);
  raw.push(`states_read_p95_ms=${pct(typical, 95).toFixed(3)} states_read_ref_p95_ms=${pct(typical.ref, 95).toFixed(3)} channels=${states.length}`);
  await runSql(srv, `DELETE FROM read_states WHERE user_id = '${person.id}';`);
  await time(5, stateCall);
  const never = await timed(Math.max(20, QUERIES / 10), stateCall);
  rows.push(`| ${STORE}: unread counts, ${states.length} channels, nothing read (${sum('unreadCount')} unread, ${sum('mentionCount')} mentions) | ${fmt(never)} ${vsRef(never)} | |`);
  raw.push(`states_unread_p95_ms=${pct(never, 95).toFixed(3)} load_s=${loadS.toFixed(0)}`);
  if (states.length !== mine.size) throw new Error(`channelStates: ${states.length} channels, expected ${mine.size}`);

  for (const r of rows) console.log(`ROW ${r}`);
  console.log(`RAW ${STORE} messages=${N} ${raw.join(' ')}`);
} finally {
  await srv.close();
  fs.rmSync(srv.root, { recursive: true, force: true });
}
