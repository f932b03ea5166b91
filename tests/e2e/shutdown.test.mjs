// Shutdown under load (issue 16, item 9): SIGTERM while webhook posts are being acknowledged,
// 1,000 event streams are open and configuration-page requests are being relayed to a slow
// upstream. Every cycle must exit 0 with no sanitizer report, and every post acknowledged with
// 200 "1" must be in the channel after the restart.
//
// Cycles: 50 under a sanitizer build (SB_BIN=build/switchboard-asan, or the ThreadSanitizer
// run), where the use-after-free this guards against shows; 10 on the release binary and on
// PostgreSQL, to keep the suite's wall time down. SB_SHUTDOWN_CYCLES overrides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';

import { startServer, api, createUser, BIN } from './lib/server.mjs';
import { createTeam, generalChannel, readAllPages, messagesPath } from './lib/graph.mjs';
import { createWebhook } from './lib/webhooks.mjs';
import { appPackage } from './lib/package.mjs';

const SANITIZED = /asan|tsan|san$/.test(BIN);
const CYCLES = Number(process.env.SB_SHUTDOWN_CYCLES) || (SANITIZED ? 50 : 10);
const STREAMS = 1000;
const BATCH = 100; // event streams opened at once (see below)
const POSTERS = 8;
const RELAYS = 4;
const SIGNINS = 2; // sign-ins whose password is being hashed (on the hashing pool) at SIGTERM
const WAIT_MS = 60_000;
const SANITIZER_RE = /AddressSanitizer|LeakSanitizer|ThreadSanitizer|UndefinedBehaviorSanitizer|runtime error:/;
const CONNECTOR = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

let srv;
let admin;
let vendor;
let hook;
let team;
let channel;
let sandboxHost;
let sandboxCookie; // the sandbox session (sb_sandbox=...) the host frame's ticket was exchanged for
let person;
const acked = new Set();

// Waits for cond() to hold, re-checking whenever notify() is called; fails after WAIT_MS.
function waiter() {
  const waits = new Set();
  return {
    notify() { for (const w of [...waits]) w(); },
    until(cond, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { waits.delete(check); reject(new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}\n${srv.proc.describe()}`)); }, WAIT_MS);
        const check = () => { if (cond()) { clearTimeout(timer); waits.delete(check); resolve(); } };
        waits.add(check);
        check();
      });
    },
  };
}
const events = waiter();

// The vendor's configuration page, on 127.0.0.2: it holds every request until released (it
// answers "slowly": only once the server is shutting down), then answers at once.
function startVendor() {
  const held = [];
  let released = false;
  let received = 0;
  const s = http.createServer((req, res) => {
    received++;
    events.notify();
    req.resume();
    const answer = () => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<p>configuration page</p>'); };
    if (released) answer();
    else held.push(answer);
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.2', () => resolve({
    server: s,
    port: s.address().port,
    get received() { return received; },
    hold() { released = false; received = 0; },
    release() { released = true; for (const a of held.splice(0)) a(); },
  })));
}

// A raw connection that records everything it receives.
function rawRequest(text) {
  const u = new URL(srv.url);
  const sock = net.connect(Number(u.port), u.hostname);
  const c = { sock, data: '', closed: false };
  sock.setEncoding('latin1');
  sock.on('data', (d) => { c.data += d; events.notify(); });
  sock.on('close', () => { c.closed = true; events.notify(); });
  sock.on('error', () => {});
  sock.write(text);
  return c;
}

// Posts to the webhook on a keep-alive connection until a post is not acknowledged.
async function poster(cycle, k, state) {
  const u = new URL(hook.url);
  const url = srv.url + u.pathname + u.search; // the port changes with each restart
  for (let n = 0; !state.stop; n++) {
    const text = `c${cycle}-p${k}-n${n}`;
    let res;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }) });
    } catch (err) {
      state.last = String(err.cause || err);
      return; // the server went away mid-request: not acknowledged
    }
    const body = await res.text().catch(() => null);
    if (res.status !== 200 || body !== '1') {
      state.last = `${res.status} ${body}`;
      return;
    }
    acked.add(text);
    state.acks++;
    events.notify();
  }
}

before(async () => {
  vendor = await startVendor();
  srv = await startServer({ args: ['--max-connections-per-ip', '0', '--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  const allow = await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.2:${vendor.port}`] });
  assert.equal(allow.status, 200, allow.text);
  const id = '5c6d7e8f-0000-4000-8000-000000000009';
  const zip = appPackage({
    id, packageName: 'org.example.shutdown', name: { short: 'Slow vendor', full: 'Slow vendor' },
    connectors: [{ connectorId: CONNECTOR, configurationUrl: `http://127.0.0.2:${vendor.port}/config.html`, scopes: ['team'] }],
    validDomains: ['127.0.0.2'],
  });
  const app = await admin('POST', '/v1.0/appCatalogs/teamsApps', zip, { contentType: 'application/zip' });
  assert.equal(app.status, 201, app.text);
  team = await createTeam(admin);
  channel = await generalChannel(admin, team.id);
  hook = await createWebhook(admin, channel.id);
  const cat = await admin('GET', `/api/v1/channels/${channel.id}/connectorCatalog`);
  const entry = cat.body.value.find((x) => x.connectorId === CONNECTOR);
  assert.ok(entry, JSON.stringify(cat.body));
  sandboxHost = new URL(entry.configurationHostUrl).hostname;
  sandboxCookie = await exchangeTicket(entry.configurationHostUrl);
  person = { userPrincipalName: `signin-${Date.now()}@example.com`, password: 'Passw0rd-shutdown' };
  await createUser(srv, person);
});

// The sandbox serves only signed-in people who may configure the app: the host frame's URL
// carries a ticket that the sandbox exchanges for its session cookie ("name=value").
function exchangeTicket(hostUrl) {
  const u = new URL(hostUrl);
  const s = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: s.hostname, port: s.port, path: u.pathname + u.search, headers: { Host: u.host } }, (res) => {
      res.resume();
      const c = (res.headers['set-cookie'] || [])[0];
      if (res.statusCode !== 200 || !c) reject(new Error(`host frame answered ${res.statusCode} without a session cookie`));
      else resolve(c.slice(0, c.indexOf(';')));
    });
    req.on('error', reject);
    req.end();
  });
}

after(async () => {
  if (vendor) await new Promise((r) => { vendor.release(); vendor.server.closeAllConnections(); vendor.server.close(r); });
  if (srv) await srv.close();
});

test(`SIGTERM under load, ${CYCLES} cycles: exit 0, no sanitizer report, every acknowledged post stored`, async (t) => {
  const started = Date.now();
  let relayed = 0;
  let slowest = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    if (cycle > 0) await srv.restart();
    const token = srv.adminToken;
    // 1,000 event streams, each one open (200 sent) and idle: paused on the server. Opened
    // BATCH at a time: libmicrohttpd 0.9.75 (thread pool + epoll) can leave part of a burst of
    // simultaneous connections accepted but never read (seen with 1,000 and, under ASan, with
    // 250 at once; on the previous code too; not what this test is about: docs/security.md).
    const streams = [];
    for (let i = 0; i < STREAMS; i++) {
      streams.push(rawRequest(`GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`));
      if (streams.length % BATCH !== 0 && i + 1 < STREAMS) continue;
      await events.until(() => streams.every((s) => s.data.startsWith('HTTP/1.1 200') || s.closed), () => `the event streams to open (${streams.filter((s) => s.data.startsWith('HTTP/1.1 200')).length} of ${streams.length} open, ${streams.filter((s) => s.closed).length} closed)`);
    }
    assert.ok(streams.every((s) => s.data.startsWith('HTTP/1.1 200')), 'an event stream was refused');
    // Configuration-page requests being relayed: the upstream holds them.
    vendor.hold();
    const pages = [];
    for (let i = 0; i < RELAYS; i++) {
      pages.push(rawRequest(`GET /config.html?r=${cycle}-${i} HTTP/1.1\r\nHost: ${sandboxHost}:${new URL(srv.url).port}\r\nCookie: ${sandboxCookie}\r\n\r\n`));
    }
    await events.until(() => vendor.received + pages.filter((p) => p.data).length >= RELAYS, 'the relays to reach the upstream');
    const answered = pages.filter((p) => p.data).map((p) => p.data.split('\r\n')[0]);
    assert.deepEqual(answered, [], `cycle ${cycle}: configuration-page requests answered without being relayed`);
    relayed += vendor.received;
    // Webhook posts being acknowledged.
    const state = { stop: false, acks: 0 };
    const posters = [];
    for (let k = 0; k < POSTERS; k++) posters.push(poster(cycle, k, state));
    await events.until(() => state.acks >= 2 * POSTERS, () => `webhook posts to be acknowledged (${JSON.stringify(state)})`);

    // Sign-ins in flight: answered (201, or 503 once the pool stops) or cut off, never a crash.
    const signins = [];
    for (let i = 0; i < SIGNINS; i++) {
      signins.push(fetch(srv.url + '/api/v1/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(person) })
        .then((r) => r.status, () => 'no answer'));
    }
    const sent = Date.now();
    srv.proc.child.kill('SIGTERM');
    vendor.release();
    const info = await srv.proc.waitExit({ timeoutMs: WAIT_MS });
    slowest = Math.max(slowest, Date.now() - sent);
    state.stop = true;
    await Promise.all(posters);
    for (const st of await Promise.all(signins)) assert.ok([201, 503, 'no answer'].includes(st), `cycle ${cycle}: a sign-in got ${st}`);
    for (const s of [...streams, ...pages]) s.sock.destroy();
    assert.equal(info.signal, null, `cycle ${cycle}: killed by ${info.signal}\n${srv.proc.describe()}`);
    assert.equal(info.code, 0, `cycle ${cycle}: exit code ${info.code}\n${srv.proc.describe()}`);
    const report = srv.stderr.find((l) => SANITIZER_RE.test(l));
    assert.equal(report, undefined, `cycle ${cycle}: sanitizer report\n${srv.stderr.join('\n')}`);
  }
  t.diagnostic(`${CYCLES} cycles in ${Date.now() - started} ms; ${acked.size} posts acknowledged; ${relayed} requests relayed at SIGTERM; slowest exit ${slowest} ms after SIGTERM`);

  await srv.restart();
  const { items } = await readAllPages(admin, `${messagesPath(team.id, channel.id)}?$top=50`);
  const stored = new Set();
  for (const m of items) {
    const found = /c\d+-p\d+-n\d+/.exec(JSON.stringify(m));
    if (found) stored.add(found[0]);
  }
  const missing = [...acked].filter((x) => !stored.has(x));
  assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged posts are not stored`);
});
