// History pages at scale, for `make bench` (scripts/bench runs it once per store: SB_STORE=postgres
// for PostgreSQL, as the e2e suite).
//
//   node tests/bench/history.mjs [MESSAGES] [BIN...]   (default 10000000, build/switchboard)
//
// 1. Starts a server on a fresh data dir (and database), creates a team and a webhook in its
//    General channel and posts five real webhook messages through it (three MessageCards as
//    tests/bench/post.lua's, a text card, an Adaptive Card).
// 2. Stops it and loads MESSAGES copies of those stored rows into the channel
//    (tests/bench/history-gen.py: new ids, times and build numbers; a reaction on one in 20),
//    made by the database in seq order. On SQLite the FTS5 triggers are off during the load
//    (the copies' search text is stored, not indexed); on PostgreSQL the copies' search text is
//    empty (no tsvector to compute): the history page reads neither.
// 3. For each BIN in turn (with two, alternately, twice: an A/B on the same database), starts
//    the server and runs wrk with 16 connections for BENCH_SECONDS (default 5) each on:
//    GET /v1.0/me (the reference: an authenticated read of one row, in the same moments of the
//    shared machine's noise), the newest page (`$top=50`) and a page in the middle
//    (`$skiptoken` = the middle seq, as a nextLink gives it).
// Prints "ROW | ... |" lines (markdown table rows) and a "RAW ..." line for scripts/bench.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { startServer, api, runSql, REPO_ROOT, STORE } from '../e2e/lib/server.mjs';

const N = Number(process.argv[2] || 10_000_000);
const BINS = process.argv.slice(3).length ? process.argv.slice(3) : [path.join(REPO_ROOT, 'build/switchboard')];
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const ROUNDS = BINS.length > 1 ? 2 : 1;
const PG_BIN = process.env.SB_PG_BIN || '/usr/lib/postgresql/15/bin';
const log = (s) => process.stderr.write(`history (${STORE}): ${s}\n`);

const postLua = fs.readFileSync(path.join(REPO_ROOT, 'tests/bench/post.lua'), 'utf8');
const CARDS = [
  postLua.slice(postLua.indexOf('[[') + 2, postLua.indexOf(']]')),
  JSON.stringify({ text: 'Deployment of **api** 1234 to production finished in 3m 05s. [Release notes](https://example.org/releases/1234)' }),
  JSON.stringify({
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4',
        body: [
          { type: 'TextBlock', text: 'Alert 1234: disk usage above 90% on db-3', weight: 'Bolder', size: 'Medium' },
          { type: 'FactSet', facts: [{ title: 'Host', value: 'db-3' }, { title: 'Usage', value: '93%' }] },
        ],
        actions: [{ type: 'Action.OpenUrl', title: 'Open dashboard', url: 'https://grafana.example.org/d/1234' }],
      },
    }],
  }),
];

// Runs cmd with args, stdin from `input` (a string or a readable stream), resolving with stdout.
function run(cmd, args, input) {
  const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  if (typeof input === 'string') p.stdin.end(input);
  else input.pipe(p.stdin);
  return new Promise((resolve, reject) => {
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exit ${code}`))));
  });
}

// No per-webhook rate limit (five posts in a row), no per-address connection limit (wrk).
const srv = await startServer({ args: ['--webhook-rate-limit', '0', '--max-connections-per-ip', '0'] });
const admin = api(srv, srv.adminToken);
const must = (r, status, what) => {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
};

try {
  const me = must(await admin('GET', '/v1.0/me'), 200, 'me').id;
  const team = must(await admin('POST', '/v1.0/teams', { displayName: 'History' }), 201, 'team').id;
  const chan = must(await admin('GET', `/v1.0/teams/${team}/channels`), 200, 'channels').value[0].id;
  const hook = must(await admin('POST', `/api/v1/channels/${chan}/webhooks`, { name: 'ci' }), 201, 'webhook').url;
  for (const card of [CARDS[0], CARDS[0], CARDS[0], CARDS[1], CARDS[2]]) {
    const r = await fetch(hook, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: card });
    if (r.status !== 200) throw new Error(`webhook post: ${r.status} ${await r.text()}`);
  }
  await srv.stop();

  log(`loading ${N} messages`);
  const t0 = Date.now();
  const gen = path.join(REPO_ROOT, 'tests/bench/history-gen.py');
  if (STORE === 'postgres') {
    const psql = [path.join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', srv.dbUrl]];
    // A throwaway cluster: checkpoints during the load would write the pages twice.
    await run(...psql, "ALTER SYSTEM SET max_wal_size = '64GB'; ALTER SYSTEM SET checkpoint_timeout = '1h'; SELECT pg_reload_conf();");
    const templates = await run(...psql, `COPY (SELECT team_id, from_kind, from_id, from_name, body_type, body, summary, attachments, from_image, search_text FROM messages WHERE channel_id = '${chan}' AND reply_to IS NULL ORDER BY seq) TO STDOUT`);
    const sql = execFileSync('python3', [gen, 'pg', chan, String(N), me], { input: templates, maxBuffer: 1 << 26 }).toString();
    await run(...psql, sql);
  } else {
    execFileSync('python3', [gen, 'sqlite', path.join(srv.dataDir, 'switchboard.db'), chan, String(N), me], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const loadS = (Date.now() - t0) / 1000;
  log(`loaded in ${loadS.toFixed(0)} s`);
  const [lo, hi] = (await runSql(srv, `SELECT MIN(seq), MAX(seq) FROM messages WHERE channel_id = '${chan}';`)).trim().split('|').map(Number);
  const middle = lo + Math.floor((hi - lo) / 2);
  // BENCH_KEEP=1: stop here with the server up (to profile it, look at query plans) until stdin
  // closes.
  if (process.env.BENCH_KEEP) {
    await srv.restart({ bin: BINS[0] });
    console.log(`KEEP url=${srv.url} pid=${srv.pid} db=${srv.dbUrl || path.join(srv.dataDir, 'switchboard.db')} token=${srv.adminToken} team=${team} channel=${chan} middle=${middle}`);
    await new Promise((resolve) => { process.stdin.on('end', resolve); process.stdin.resume(); });
  }

  const lua = (name, p) => {
    const f = path.join(srv.root, `${name}.lua`);
    fs.writeFileSync(f, `request = function() return wrk.format("GET", "${p}", {["Authorization"] = "Bearer ${srv.adminToken}"}) end
done = function(s, l, r) io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d\\n", s.requests / (s.duration / 1e6), l:percentile(50) / 1000, l:percentile(99) / 1000, s.requests, s.errors.status)) end
`);
    return f;
  };
  const list = `/v1.0/teams/${team}/channels/${chan}/messages?$top=50`;
  const runs = [['reference', lua('me', '/v1.0/me')], ['newest', lua('newest', list)], ['middle', lua('middle', `${list}&$skiptoken=${middle}`)]];
  const wrk = (script) => {
    const out = execFileSync('wrk', ['-t2', '-c16', `-d${SECONDS}s`, '-s', script, srv.url]).toString();
    const m = /^RESULT (.*)$/m.exec(out);
    return Object.fromEntries(m[1].split(' ').map((kv) => kv.split('=')));
  };
  const results = new Map(); // bin -> name -> [result...]
  for (let round = 0; round < ROUNDS; round++) {
    for (const bin of BINS) {
      await srv.restart({ bin });
      // Warm the page cache and the statement caches, and check both pages are whole.
      for (const [name] of runs.slice(1)) {
        const page = must(await admin('GET', name === 'newest' ? list : `${list}&$skiptoken=${middle}`), 200, name);
        if (page.value.length !== 50 || !page['@odata.nextLink']) throw new Error(`${name}: ${page.value.length} messages`);
      }
      if (!results.has(bin)) results.set(bin, new Map());
      for (const [name, script] of runs) {
        const r = wrk(script);
        if (Number(r.non2xx)) throw new Error(`${name}: ${r.non2xx} non-2xx answers`);
        const per = results.get(bin);
        per.set(name, [...(per.get(name) || []), r]);
        log(`${path.basename(path.dirname(bin))}/${path.basename(bin)} round ${round + 1} ${name}: ${JSON.stringify(r)}`);
      }
    }
  }
  await srv.stop();

  const store = STORE === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const target = STORE === 'postgres' ? 'p99 <= 10 ms' : 'p99 <= 5 ms';
  const fmt = (r) => `${r.rps} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`;
  const raw = [];
  for (const [bin, per] of results) {
    const who = BINS.length > 1 ? ` (${bin})` : '';
    for (let i = 0; i < ROUNDS; i++) {
      const ref = per.get('reference')[i];
      for (const [name, what] of [['newest', 'newest page'], ['middle', 'a page in the middle']]) {
        const r = per.get(name)[i];
        console.log(`ROW | ${store} history, ${what} (\`$top=50\`) at ${hi - lo + 1} messages in one channel, 16 connections${who} | ${fmt(r)} (reference \`GET /v1.0/me\` just before: ${fmt(ref)}) | ${target} |`);
        raw.push(`${name}${who.replace(/ /g, '')}_p99_ms=${r.p99_ms}`);
      }
      raw.push(`me${who.replace(/ /g, '')}_p99_ms=${ref.p99_ms}`);
    }
  }
  console.log(`RAW ${STORE} messages=${hi - lo + 1} load_s=${loadS.toFixed(0)} ${raw.join(' ')}`);
} finally {
  await srv.close();
  fs.rmSync(srv.root, { recursive: true, force: true });
}
