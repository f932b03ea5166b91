// The HTTP layer's defences (issue 16): authentication on the headers (401/404 before any body
// is read), the budget of unauthenticated body bytes held at once (503 + Retry-After), a
// request with both Content-Length and Transfer-Encoding (400), the per-address connection
// limit, the web client's frame-ancestors, and secrets kept out of the log. Raw sockets
// throughout: node's own client would not send what an attacker sends.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { startServer, api, binary, tempDir, STORE, REPO_ROOT } from './lib/server.mjs';
import { createTeam, generalChannel } from './lib/graph.mjs';
import { createWebhook, postTo } from './lib/webhooks.mjs';

const WAIT_MS = 15_000;

// A raw connection: write() what you like, response() resolves with the first complete HTTP
// response ({status, headers, body}) or rejects when the connection ends without one.
class Raw {
  constructor(url) {
    const u = new URL(url);
    this.sock = net.connect(Number(u.port), u.hostname);
    this.sock.on('error', () => {}); // a reset after the answer is not the test's concern
    this.data = Buffer.alloc(0);
    this.closed = false;
    this._waiters = new Set();
    this.sock.on('data', (d) => { this.data = Buffer.concat([this.data, d]); this._notify(); });
    this.sock.on('close', () => { this.closed = true; this._notify(); });
    this.connected = new Promise((resolve, reject) => {
      this.sock.once('connect', resolve);
      this.sock.once('error', reject);
    });
  }

  _notify() {
    for (const w of [...this._waiters]) w();
  }

  write(chunk) {
    return new Promise((resolve) => this.sock.write(chunk, () => resolve()));
  }

  parse() {
    const text = this.data.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
    const headers = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    const status = Number(statusLine.split(' ')[1]);
    const body = text.slice(end + 4);
    const len = headers['content-length'] === undefined ? null : Number(headers['content-length']);
    if (len !== null && body.length < len) return null;
    if (len === null && !this.closed) return null;
    return { status, headers, body: len === null ? body : body.slice(0, len) };
  }

  response(what = 'a response') {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { cleanup(); reject(new Error(`no ${what} within ${WAIT_MS} ms (got ${JSON.stringify(this.data.toString('latin1').slice(0, 200))})`)); }, WAIT_MS);
      const waiter = () => {
        const r = this.parse();
        if (r) { cleanup(); resolve(r); return; }
        if (this.closed) { cleanup(); reject(new Error(`connection closed without ${what} (got ${JSON.stringify(this.data.toString('latin1').slice(0, 200))})`)); }
      };
      const cleanup = () => { clearTimeout(timer); this._waiters.delete(waiter); };
      this._waiters.add(waiter);
      waiter();
    });
  }

  // Resolves when the server closes the connection (rejects after WAIT_MS).
  closedByServer() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { cleanup(); reject(new Error('the server kept the connection open')); }, WAIT_MS);
      const waiter = () => { if (this.closed) { cleanup(); resolve(this.data.length); } };
      const cleanup = () => { clearTimeout(timer); this._waiters.delete(waiter); };
      this._waiters.add(waiter);
      waiter();
    });
  }

  destroy() {
    this.sock.destroy();
  }
}

function head(method, p, headers) {
  return `${method} ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n` + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

describe('authentication on the headers', () => {
  let srv;
  let admin;
  let hook;
  const open = [];

  before(async () => {
    srv = await startServer({ args: ['--web-root', path.join(REPO_ROOT, 'web', 'dist')] });
    admin = api(srv, srv.adminToken);
    const team = await createTeam(admin);
    const channel = await generalChannel(admin, team.id);
    hook = await createWebhook(admin, channel.id);
  });

  after(async () => {
    for (const r of open) r.destroy();
    if (srv) await srv.close();
  });

  test('an unauthenticated POST with a big Content-Length gets 401 before any of its body is sent', async () => {
    const r = new Raw(srv.url);
    open.push(r);
    await r.connected;
    await r.write(head('POST', '/v1.0/users', { 'Content-Type': 'application/json', 'Content-Length': 900000 }));
    // Nothing of the body has been written: the answer can only come from the headers.
    const res = await r.response('401 while the body is unsent');
    assert.equal(res.status, 401, JSON.stringify(res));
    assert.match(res.body, /InvalidAuthenticationToken/);
  });

  test('a bad bearer token on a 4 MB Graph item PUT: 401 before the body', async () => {
    const r = new Raw(srv.url);
    open.push(r);
    await r.connected;
    await r.write(head('PUT', '/v1.0/external/connections/c1/items/i1', { Authorization: 'Bearer not-a-token', 'Content-Type': 'application/json', 'Content-Length': 3999999 }));
    const res = await r.response();
    assert.equal(res.status, 401, JSON.stringify(res));
  });

  test('posts to a forged or unknown webhook URL with a big body: 401 or 404 before the body, as Teams answers', async () => {
    const forged = hook.url.replace(/V2([A-Za-z0-9_-])/, (m, c) => 'V2' + (c === 'A' ? 'B' : 'A'));
    assert.notEqual(forged, hook.url);
    for (const [url, want] of [[forged, 401], [hook.url.replace(/IncomingWebhook\/[0-9a-f-]+/, 'IncomingWebhook/00000000-0000-4000-8000-000000000000'), 404]]) {
      const r = new Raw(srv.url);
      open.push(r);
      await r.connected;
      await r.write(head('POST', new URL(url).pathname, { 'Content-Type': 'application/json', 'Content-Length': 28000 }));
      const res = await r.response();
      assert.equal(res.status, want, `${url}: ${JSON.stringify(res)}`);
      assert.match(res.body, /Webhook message delivery failed/);
    }
    // The real URL still works.
    const ok = await postTo(hook.url, { text: 'still fine' });
    assert.equal(ok.status, 200, ok.text);
  });

  test('100 stalled unauthenticated 4 MB uploads are answered 401 and hold no memory', async (t) => {
    const before = rssKiB(srv.pid);
    const conns = [];
    for (let i = 0; i < 100; i++) {
      const r = new Raw(srv.url);
      open.push(r);
      conns.push(r);
    }
    await Promise.all(conns.map((r) => r.connected));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const answers = await Promise.all(conns.map(async (r) => {
      await r.write(head('PUT', '/v1.0/external/connections/c1/items/i1', { 'Content-Type': 'application/json', 'Content-Length': 3999999 }));
      r.sock.write(chunk); // a little of the body, then nothing more
      return r.response();
    }));
    for (const a of answers) assert.equal(a.status, 401);
    const afterKiB = rssKiB(srv.pid);
    t.diagnostic(`server RSS before ${before} KiB, after 100 stalled 4 MB uploads ${afterKiB} KiB`);
    // The connections are not kept: the server closes each one after its 401.
    await Promise.all(conns.map((r) => r.closedByServer()));
  });

  test('a request with both Content-Length and Transfer-Encoding is refused with 400 and changes nothing', async () => {
    const upn = `smuggle${Date.now()}@example.com`;
    const body = JSON.stringify({ displayName: 'Smuggled', userPrincipalName: upn, passwordProfile: { password: 'Passw0rd-smuggled' } });
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const r = new Raw(srv.url);
    open.push(r);
    await r.connected;
    await r.write(head('POST', '/v1.0/users', {
      Authorization: `Bearer ${srv.adminToken}`, 'Content-Type': 'application/json',
      'Content-Length': chunked.length, 'Transfer-Encoding': 'chunked',
    }) + chunked);
    const res = await r.response();
    assert.equal(res.status, 400, JSON.stringify(res));
    assert.match(JSON.parse(res.body).error.message, /Content-Length and Transfer-Encoding/);
    const list = await admin('GET', '/v1.0/users');
    assert.equal(list.status, 200);
    assert.ok(!list.body.value.some((u) => u.userPrincipalName === upn), 'the user was created');
  });

  test("the web client's page may not be framed (CSP frame-ancestors 'none')", async () => {
    const res = await fetch(srv.url + '/');
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') || '';
    assert.match(csp, /(^|;)\s*frame-ancestors 'none'(;|$)/, csp);
  });
});

describe('the budget of unauthenticated body bytes', () => {
  let srv;
  const open = [];

  before(async () => {
    srv = await startServer({ args: ['--unauthenticated-body-budget', '65536'] });
  });

  after(async () => {
    for (const r of open) r.destroy();
    if (srv) await srv.close();
  });

  test('two public bodies that do not fit together: one gets 503 + Retry-After, the other its answer', async () => {
    const pad = 'x'.repeat(40000);
    const body = Buffer.from(JSON.stringify({ userPrincipalName: 'nobody@example.com', password: 'wrong', pad }));
    const a = new Raw(srv.url);
    const b = new Raw(srv.url);
    open.push(a, b);
    await Promise.all([a.connected, b.connected]);
    const hdr = head('POST', '/api/v1/session', { 'Content-Type': 'application/json', 'Content-Length': body.length });
    // A: headers and most of the body, then it stalls (the server holds those bytes).
    await a.write(hdr);
    await a.write(body.subarray(0, body.length - 10));
    // B: all of it. Together they exceed the budget, and A cannot finish before B is answered.
    await b.write(hdr);
    b.sock.write(body);
    const rb = await b.response();
    a.sock.write(body.subarray(body.length - 10));
    const ra = await a.response();
    const statuses = [ra.status, rb.status];
    assert.equal(statuses.filter((s) => s === 503).length, 1, `statuses ${statuses}`);
    const refused = ra.status === 503 ? ra : rb;
    const other = ra.status === 503 ? rb : ra;
    assert.equal(refused.headers['retry-after'], '1');
    assert.notEqual(other.status, 503);
    assert.ok(other.status < 500, JSON.stringify(other));
  });

  test('a public body larger than the whole budget is refused with 503 at once', async () => {
    const r = new Raw(srv.url);
    open.push(r);
    await r.connected;
    await r.write(head('POST', '/api/v1/session', { 'Content-Type': 'application/json', 'Content-Length': 70000 }));
    const res = await r.response('503 while the body is unsent');
    assert.equal(res.status, 503, JSON.stringify(res));
    assert.equal(res.headers['retry-after'], '1');
    assert.equal(JSON.parse(res.body).error.code, 'ServiceNotAvailable');
  });

  test('authenticated bodies do not count against it', async () => {
    const admin = api(srv, srv.adminToken);
    const res = await admin('POST', '/v1.0/teams', { displayName: 'Budget team', description: 'd'.repeat(1000), padding: 'p'.repeat(100000) });
    assert.notEqual(res.status, 503, res.text);
  });
});

describe('connections per client address', () => {
  let srv;
  const open = [];

  before(async () => {
    srv = await startServer({ args: ['--max-connections-per-ip', '4'] });
  });

  after(async () => {
    for (const r of open) r.destroy();
    if (srv) await srv.close();
  });

  test('the 5th concurrent connection from one address is refused; after one closes, a new one works', async () => {
    const conns = [];
    for (let i = 0; i < 4; i++) {
      const r = new Raw(srv.url);
      open.push(r);
      conns.push(r);
      await r.connected;
      await r.write(head('GET', '/healthz', {}));
      const res = await r.response();
      assert.equal(res.status, 200); // kept alive: the connection stays counted
    }
    const fifth = new Raw(srv.url);
    open.push(fifth);
    await fifth.connected;
    fifth.sock.write(head('GET', '/healthz', {}));
    assert.equal(await fifth.closedByServer(), 0, 'the 5th connection got an answer');
    conns[0].destroy();
    // The server notices the close asynchronously: retry until a connection is admitted.
    let res = null;
    for (let attempt = 0; attempt < 200 && !res; attempt++) {
      const r = new Raw(srv.url);
      open.push(r);
      await r.connected;
      r.sock.write(head('GET', '/healthz', { Connection: 'close' }));
      res = await r.response().catch(() => null);
    }
    assert.ok(res, 'no connection admitted after one closed');
    assert.equal(res.status, 200);
  });
});

describe('secrets in the log', { skip: STORE === 'postgres' && 'a full disk is simulated with a file size limit on SQLite' }, () => {
  let srv;
  let root;

  before(async () => {
    // The store fails its writes once the database reaches the file size limit: webhook posts
    // are then answered 503, which the server logs with the request's path.
    root = tempDir('sb-e2e-fsize-');
    const wrapper = path.join(root, 'switchboard-fsize');
    fs.writeFileSync(wrapper, `#!/bin/sh\ntrap '' XFSZ\nulimit -f 16384\nexec "${binary()}" "$@"\n`, { mode: 0o755 });
    srv = await startServer({ bin: wrapper, args: ['--webhook-rate-limit', '0'] });
  });

  after(async () => {
    if (srv) await srv.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('a 5xx on a webhook URL logs the path without its key or signature', async (t) => {
    const admin = api(srv, srv.adminToken);
    const team = await createTeam(admin);
    const channel = await generalChannel(admin, team.id);
    const hook = await createWebhook(admin, channel.id);
    const text = 'y'.repeat(20000);
    let failed = null;
    for (let i = 0; i < 2000 && !failed; i++) {
      const r = await postTo(hook.url, { text: `${i} ${text}` });
      if (r.status >= 500) failed = r;
      else assert.equal(r.status, 200, r.text);
    }
    assert.ok(failed, 'the store never failed');
    const u = new URL(hook.url);
    const [, , teamAtTenant, , config, creator, sig] = u.pathname.split('/');
    await srv.proc.waitForLine(/-> 5\d\d/, { what: 'the logged 5xx' });
    const log = srv.stderr.join('\n');
    t.diagnostic(`the post answered ${failed.status}; the log says: ${srv.stderr.filter((l) => /-> 5/.test(l))[0]}`);
    assert.match(log, /POST \/webhookb2\/\*\*\* -> 5\d\d/);
    for (const secret of [teamAtTenant, config, creator, sig]) assert.ok(!log.includes(secret), `the log holds ${secret}:\n${log}`);
  });
});
