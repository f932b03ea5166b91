// Graph connector search at scale (not part of `make test` or `make bench`: generating the
// items takes minutes). Run:  node tests/bench/search.mjs [ITEMS]   (default 1000000)
//
// 1. Starts a server on a fresh SQLite data dir and, through the API, creates a person in 5 of
//    50 teams, an app registration, a connection and its schema.
// 2. Stops it and fills the database with ITEMS items (tests/bench/search-gen.py: Zipf text,
//    mixed ACLs), as PUT .../items would have stored them.
// 3. Restarts it and runs queries one after another as that person (POST /v1.0/search/query,
//    size 25, ACL trimming on), with terms from several frequency bands, and writes the
//    latencies (p50/p95/p99 per band and overall) into the "Graph connector search" section of
//    docs/bench.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer, api, REPO_ROOT } from '../e2e/lib/server.mjs';

const N = Number(process.argv[2] || 1_000_000);
const QUERIES_PER_BAND = 200;
// SEARCH_BENCH_DB=<switchboard.db a run kept with SEARCH_BENCH_KEEP=1>: skip the set-up and the
// generation, search a copy of that database (the vocabulary comes from the generator's seed).
// SEARCH_BENCH_BINS=name=path,name=path: compare binaries in one run, each on its own copy,
// taking turns band by band (SEARCH_BENCH_ROUNDS rounds, default 2), and check that they
// return the same hits (the totals may differ only where one counts up to 1,000).
const REUSE = process.env.SEARCH_BENCH_DB;
const BINS = (process.env.SEARCH_BENCH_BINS || '').split(',').filter(Boolean).map((b) => {
  const i = b.indexOf('=');
  return { name: b.slice(0, i), bin: path.resolve(b.slice(i + 1)) };
});
const ROUNDS = Number(process.env.SEARCH_BENCH_ROUNDS || (BINS.length > 1 ? 2 : 1));
const must = (r, status, what) => {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
};
const GEN = path.join(REPO_ROOT, 'tests/bench/search-gen.py');

let db;
let vocab;
let genS = 'n/a';
let keepRoot = null;
if (REUSE) {
  db = REUSE;
  vocab = JSON.parse(execFileSync('python3', [GEN, '--vocab', '42'], { maxBuffer: 1 << 26 }).toString());
} else {
  const srv = await startServer({ keep: true, args: ['--graph-item-rate', '0'] });
  const admin = api(srv, srv.adminToken);
  const person = must(await admin('POST', '/v1.0/users', { displayName: 'Searcher', userPrincipalName: 'searcher@bench.test', passwordProfile: { password: 'Passw0rd-bench1' } }), 201, 'user');
  const token = must(await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: 'searcher@bench.test', password: 'Passw0rd-bench1' }), 201, 'token').token;
  const searcher = api(srv, token);
  const teams = [];
  for (let i = 0; i < 50; i++) {
    const who = i < 5 ? searcher : admin;
    teams.push(must(await who('POST', '/v1.0/teams', { displayName: `Team ${i}` }), 201, 'team').id);
  }
  const users = [person.id];
  for (let i = 0; i < 49; i++) {
    users.push(must(await admin('POST', '/v1.0/users', { displayName: `U${i}`, userPrincipalName: `u${i}@bench.test`, passwordProfile: { password: 'Passw0rd-bench1' } }), 201, 'user').id);
  }
  const reg = must(await admin('POST', '/api/v1/admin/appRegistrations', { displayName: 'Bench' }), 201, 'registration');
  const oidc = must(await admin('GET', '/.well-known/openid-configuration'), 200, 'openid');
  const tok = await fetch(oidc.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: reg.clientId, client_secret: reg.clientSecret, grant_type: 'client_credentials', scope: `${srv.url}/.default` }),
  }).then((r) => r.json());
  const app = api(srv, tok.access_token);
  must(await app('POST', '/v1.0/external/connections', { id: 'bench', name: 'Bench' }), 201, 'connection');
  const schema = await app('PATCH', '/v1.0/external/connections/bench/schema', {
    baseType: 'microsoft.graph.externalItem',
    properties: [
      { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
      { name: 'priority', type: 'int64', isQueryable: true, isRetrievable: true },
    ],
  });
  for (;;) {
    const op = must(await app('GET', schema.headers.get('location')), 200, 'operation');
    if (op.status === 'completed') break;
    if (op.status === 'failed') throw new Error('schema failed');
  }
  await srv.stop();
  db = path.join(srv.dataDir, 'switchboard.db');
  keepRoot = srv.root;
  const t0 = Date.now();
  vocab = JSON.parse(execFileSync('python3', [GEN, db, '1', String(N), '42', teams.join(','), users.join(',')], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }).toString());
  genS = ((Date.now() - t0) / 1000).toFixed(0);
}

// One server per binary, each on its own copy of the database.
const runs = [];
for (const { name, bin } of BINS.length ? BINS : [{ name: '', bin: undefined }]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-search-bench-'));
  fs.copyFileSync(db, path.join(dataDir, 'switchboard.db'));
  const srv = await startServer({ dataDir, bin, args: ['--graph-item-rate', '0'] });
  const token = must(await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: 'searcher@bench.test', password: 'Passw0rd-bench1' }), 201, 'token').token;
  runs.push({ name, srv, searcher: api(srv, token), lat: new Map(), cpu: new Map(), totals: new Map(), hits: new Map() });
}

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

// The server's CPU time (user + system) in ms: on a shared machine, a steadier measure of the
// work per query than the latency.
function cpuMs(r) {
  const f = fs.readFileSync(`/proc/${r.srv.proc.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

async function run(r, band, terms, from = 0) {
  const lat = r.lat.get(band) || [];
  const cpu0 = cpuMs(r);
  let totals = 0;
  for (const qs of terms) {
    const t = process.hrtime.bigint();
    const res = await r.searcher('POST', '/v1.0/search/query', { requests: [{ entityTypes: ['externalItem'], contentSources: ['/external/connections/bench'], query: { queryString: qs }, from, size: 25 }] });
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (res.status !== 200) throw new Error(`search ${qs}: ${res.status} ${res.text}`);
    const c = res.body.value[0].hitsContainers[0];
    totals += c.total;
    r.hits.set(`${from}:${qs}`, { total: c.total, ids: (c.hits || []).map((h) => h.hitId).join(',') });
  }
  r.lat.set(band, lat);
  r.cpu.set(band, (r.cpu.get(band) || 0) + cpuMs(r) - cpu0);
  r.totals.set(band, Math.round(totals / terms.length));
}

const pick = (from, to, n) => Array.from({ length: n }, (_, i) => vocab[from + Math.floor(((to - from) * i) / n)]);
const bands = [
  ['rare words (rank 5,000-20,000)', pick(5000, 20000, QUERIES_PER_BAND), 0],
  ['medium words (rank 1,000-5,000)', pick(1000, 5000, QUERIES_PER_BAND), 0],
  ['common words (rank 100-1,000)', pick(100, 1000, QUERIES_PER_BAND), 0],
  ['common words, third page (from 50)', pick(100, 1000, QUERIES_PER_BAND / 4), 50],
  ['very common words (rank 10-100)', pick(10, 100, QUERIES_PER_BAND / 4), 0],
  ['two words (ranks 100-5,000 each)', pick(100, 5000, QUERIES_PER_BAND).map((w, i) => `${w} ${vocab[100 + ((i * 37) % 4900)]}`), 0],
];
// SEARCH_BENCH_BANDS=<regexp>: only the bands whose name matches (to profile one).
if (process.env.SEARCH_BENCH_BANDS) {
  const re = new RegExp(process.env.SEARCH_BENCH_BANDS);
  bands.splice(0, bands.length, ...bands.filter(([name]) => re.test(name)));
}
for (const r of runs) await run(r, 'warm', pick(100, 20000, 50)); // warm the page cache
const load = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, terms, from] of bands) {
    load.push(os.loadavg()[0]);
    for (const r of round % 2 ? [...runs].reverse() : runs) await run(r, name, terms, from);
  }
}
// The same hits from every binary; totals equal, or both at least the 1,000 one of them counts.
let checked = 0;
let differ = 0;
for (const r of runs.slice(1)) {
  for (const [k, a] of runs[0].hits) {
    const b = r.hits.get(k);
    checked++;
    const sameTotal = a.total === b.total || (Math.min(a.total, b.total) >= 1000);
    if (a.ids !== b.ids || !sameTotal) {
      differ++;
      if (differ <= 5) process.stderr.write(`differ ${k}: ${runs[0].name} ${a.total} [${a.ids}] ${r.name} ${b.total} [${b.ids}]\n`);
    }
  }
}
if (runs.length > 1) process.stderr.write(`checked ${checked} queries against ${runs[0].name}: ${differ} differ\n`);

const rows = [];
for (const [name] of bands) {
  for (const r of runs) {
    const lat = r.lat.get(name);
    rows.push(`| ${name}${r.name ? ` (${r.name})` : ''} | ${lat.length} | ${r.totals.get(name)} | ${pct(lat, 50).toFixed(1)} ms | ${pct(lat, 95).toFixed(1)} ms | ${pct(lat, 99).toFixed(1)} ms | ${(r.cpu.get(name) / lat.length).toFixed(1)} ms |`);
  }
}
const mixed = runs.map((r) => {
  const all = bands.flatMap(([name]) => r.lat.get(name));
  const cpu = bands.reduce((t, [name]) => t + r.cpu.get(name), 0);
  return `| all of the above${r.name ? ` (${r.name})` : ''} | ${all.length} | | ${pct(all, 50).toFixed(1)} ms | ${pct(all, 95).toFixed(1)} ms | ${pct(all, 99).toFixed(1)} ms | ${(cpu / all.length).toFixed(1)} ms |`;
}).join('\n');
const loadavg = `${Math.min(...load).toFixed(2)}-${Math.max(...load).toFixed(2)}`;
const head = execFileSync('sh', ['-c', 'nproc; uname -m; grep -m1 "model name" /proc/cpuinfo | cut -d: -f2'], { encoding: 'utf8' }).trim().split('\n');
for (const r of runs) {
  await r.srv.close();
  fs.rmSync(r.srv.dataDir, { recursive: true, force: true });
}
// SEARCH_BENCH_KEEP=1 keeps the generated database (to look at query plans, or for SEARCH_BENCH_DB).
if (keepRoot && process.env.SEARCH_BENCH_KEEP) process.stderr.write(`kept ${db}\n`);
else if (keepRoot) fs.rmSync(keepRoot, { recursive: true, force: true });

const compared = runs.length > 1
  ? `Binaries compared in the same run, on copies of the same database, taking turns band by band (${ROUNDS} rounds): ${runs.map((r) => `${r.name} = \`${BINS.find((b) => b.name === r.name).bin}\``).join(', ')}; they returned the same hits for all ${checked} distinct queries (${differ} differ). `
  : '';
const section = `<!-- search-bench:begin -->
## Graph connector search

Written by \`node tests/bench/search.mjs ${N}\` (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}) on ${head[0]} cores
(${head[1]},${head[2] || ''}), load average ${loadavg} during the run (other work shared the machine); run by
\`make bench\`, not \`make test\` (generating the items takes ${genS === 'n/a' ? 'about a minute' : `${genS} s`}).
${N} items in one connection on SQLite (FTS5), each 5 words of searchable title and 30 words of
content from a 20,000-word vocabulary drawn with a Zipf distribution; ACLs: 60% everyone, 25%
one of 50 teams, 10% one of 50 people, 5% everyone with one team denied. One person (a member
of 5 teams) searches, one request at a time over HTTP, \`size\` 25, ACL trimming in SQL. "matches" is
the mean \`total\` (permitted matches, counted up to 1,000). "server CPU" is the server process's
user + system time per query (/proc), steadier than the latency when the machine is shared.
${compared}Target: p95 <= 20 ms for common words.

| query terms | queries | matches | p50 | p95 | p99 | server CPU per query |
|---|---|---|---|---|---|---|
${rows.join('\n')}
${mixed}

How it works: the search ranks and checks only the K best matches (K = 2 x (from + size), at
least 64; doubled while fewer than from + size of them may be seen). \`sb_bm25\`
(src/store/graphconn_rank.c) is FTS5's bm25 for every row that can still be among the K best,
and skips the row's size lookup (%_docsize, one B-tree probe per match: most of bm25's cost)
when an upper bound from the row's phrase frequencies cannot beat the K-th best seen so far. The
ACL check (one probe of the item's ACL rows) runs for the K candidates and for the count,
which stops at 1,000 permitted matches, as the message search's does. So the work still grows
with the matches (FTS5 walks every match's positions to rank it), but a common word's matches
cost a position walk each instead of a size probe, an ACL probe and a sort.
<!-- search-bench:end -->
`;
const file = path.join(REPO_ROOT, 'docs/bench.md');
let text = fs.readFileSync(file, 'utf8');
const re = /<!-- search-bench:begin -->[\s\S]*<!-- search-bench:end -->\n?/;
text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`;
fs.writeFileSync(file, text);
process.stdout.write(section);
