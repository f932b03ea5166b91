// Idle event streams for `make bench` (latency is measured by sse_latency.c, in C, so that the
// client is not what is measured):
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

if (mode === 'idle') {
  const [nArg, pid] = process.argv.slice(5);
  const before = rssKiB(pid);
  const reqs = await openMany(Number(nArg));
  const after = rssKiB(pid);
  console.log(`RESULT connections=${reqs.length} rss_before_kib=${before} rss_after_kib=${after} ` +
    `per_connection_bytes=${Math.round((after - before) * 1024 / reqs.length)}`);
  reqs.forEach((r) => r.destroy());
  process.exit(0);
} else {
  console.error('usage: sse.mjs idle <base-url> <token> <connections> <server-pid>');
  process.exit(2);
}
