// SSE measurements for `make bench`.
//   node sse.mjs latency <base-url> <token> <webhook-url> <subscribers> <messages>
//     opens <subscribers> event streams, posts <messages> cards one at a time and prints the
//     post-to-delivery latency over every (message, subscriber) pair.
//   node sse.mjs idle <base-url> <token> <connections> <server-pid>
//     opens <connections> idle streams and prints the server's resident memory before/after.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const [mode, base, token] = process.argv.slice(2, 5);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function rssKiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(m[1]);
}

// Opens one stream; resolves once the server's first bytes ("retry:") arrived.
function open(onData) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/v1/events`, {
      agent, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
    }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`events: HTTP ${res.statusCode}`));
      res.setEncoding('utf8');
      let first = true;
      res.on('data', (chunk) => {
        if (first) { first = false; resolve(req); }
        if (onData) onData(chunk);
      });
      res.on('error', () => {});
    });
    req.on('error', reject);
  });
}

async function openMany(n, onData) {
  const reqs = [];
  for (let i = 0; i < n; i += 200) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 200); j++) batch.push(open(onData));
    reqs.push(...await Promise.all(batch));
  }
  return reqs;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p / 100))];
}

if (mode === 'latency') {
  const [hook, subsArg, msgsArg] = process.argv.slice(5);
  const subs = Number(subsArg), msgs = Number(msgsArg);
  const sent = new Map();
  const lat = [];
  let pending = 0, wake = null;
  const onData = (chunk) => {
    const now = performance.now();
    for (const m of chunk.matchAll(/lat-(\d+)-/g)) {
      const t = sent.get(Number(m[1]));
      if (t !== undefined) { lat.push(now - t); pending--; }
    }
    if (pending <= 0 && wake) { const w = wake; wake = null; w(); }
  };
  const reqs = await openMany(subs, onData);
  for (let i = 0; i < msgs; i++) {
    pending += subs;
    const done = new Promise((r) => { wake = r; });
    sent.set(i, performance.now());
    const res = await fetch(hook, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: `lat-${i}- delivery probe` }) });
    if (res.status !== 200) throw new Error(`post: HTTP ${res.status}`);
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  }
  lat.sort((a, b) => a - b);
  console.log(`RESULT subscribers=${subs} messages=${msgs} deliveries=${lat.length} ` +
    `p50_ms=${percentile(lat, 50).toFixed(3)} p99_ms=${percentile(lat, 99).toFixed(3)} ` +
    `max_ms=${lat[lat.length - 1].toFixed(3)}`);
  reqs.forEach((r) => r.destroy());
  process.exit(0);
} else if (mode === 'idle') {
  const [nArg, pid] = process.argv.slice(5);
  const before = rssKiB(pid);
  const reqs = await openMany(Number(nArg));
  const after = rssKiB(pid);
  console.log(`RESULT connections=${reqs.length} rss_before_kib=${before} rss_after_kib=${after} ` +
    `per_connection_bytes=${Math.round((after - before) * 1024 / reqs.length)}`);
  reqs.forEach((r) => r.destroy());
  process.exit(0);
} else {
  console.error('usage: sse.mjs latency|idle ...');
  process.exit(2);
}
