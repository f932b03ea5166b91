// Test harness for the Switchboard end-to-end suite.
//
// startServer() runs the real binary (`build/switchboard`, or $SB_BIN) as
//   <bin> serve --listen 127.0.0.1:0 --data <fresh temp dir>
// with SWITCHBOARD_ADMIN_TOKEN=<random token>, and resolves once the server has printed
// `listening on http://HOST:PORT` on stderr.
//
// With SB_STORE=postgres every server also gets `--db <URL of a fresh database>` in a cluster
// shared by this test process (lib/postgres.mjs; started on first use, stopped at exit), unless
// the test passes its own --db or SWITCHBOARD_DB. A restart keeps the database, as it keeps the
// data dir; `switchboard admin --data <a server's data dir>` run through runCli() is pointed at
// that server's database. STORE says which store the run uses, for tests that must skip. Nothing here sleeps: every wait is on a
// condition (a stderr line, a process exit), bounded by a timeout that fails with the
// stderr collected so far.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PG_BIN, sharedCluster, usingPostgres } from './postgres.mjs';

export const STORE = usingPostgres() ? 'postgres' : 'sqlite';

// data dir -> the PostgreSQL URL its server uses (SB_STORE=postgres), for runCli's admin runs.
const databases = new Map();

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = path.resolve(REPO_ROOT, process.env.SB_BIN || 'build/switchboard');

export const LISTENING_RE = /^listening on (https?:\/\/\S+)$/;
export const READY_TIMEOUT_MS = 15_000;
export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The binary is copied once per test process and run from the copy, so that a `make` that
// relinks build/switchboard while the suite runs cannot fail a test with EACCES/ETXTBSY. The
// copy has its own name, so a `pkill switchboard`/`killall switchboard` aimed at a developer's
// own server does not SIGTERM the servers of a test run. SB_NO_SNAPSHOT=1 runs it in place.
let snapshot = null;
export function binary() {
  if (process.env.SB_NO_SNAPSHOT || !fs.existsSync(BIN)) return BIN; // spawn reports ENOENT
  if (!snapshot) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-bin-'));
    const dest = path.join(dir, 'sb-e2e-server');
    try {
      // A relink in progress shows as a changing or empty/non-ELF file: copy until stable.
      for (let attempt = 0; ; attempt++) {
        const a = fs.statSync(BIN);
        fs.copyFileSync(BIN, dest);
        const b = fs.statSync(BIN);
        const head = Buffer.alloc(4);
        const fd = fs.openSync(dest, 'r');
        fs.readSync(fd, head, 0, 4, 0);
        fs.closeSync(fd);
        const looksRunnable = head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || head.subarray(0, 2).toString() === '#!';
        if (a.size === b.size && a.mtimeMs === b.mtimeMs && a.size > 0 && looksRunnable) break;
        if (attempt >= 1000) throw new Error(`${BIN} keeps changing (a build in progress?)`);
      }
      fs.chmodSync(dest, 0o755);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      if (/keeps changing/.test(err.message)) throw err;
      return BIN;
    }
    snapshot = dest;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return snapshot;
}

export function randomToken(bytes = 24) {
  return crypto.randomBytes(bytes).toString('hex');
}

export function tempDir(prefix = 'sb-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Every process we start, so that a crashed test run never leaves servers behind.
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

// The environment for a child: ours minus any SWITCHBOARD_* (so the developer's shell cannot
// change what a test means), plus `extra` (a value of undefined/null removes a variable).
export function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('SWITCHBOARD_')) env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined || v === null) delete env[k];
    else env[k] = String(v);
  }
  return env;
}

function tail(lines, n = 60) {
  const t = lines.slice(-n);
  return t.length ? t.map((l) => '  | ' + l).join('\n') : '  | (nothing)';
}

// One spawned process with its output split into lines and waitable conditions.
export class Proc {
  constructor(bin, args, { env, cwd } = {}) {
    this.bin = bin;
    this.args = args;
    this.stdoutLines = [];
    this.stderrLines = [];
    this.exitInfo = null; // {code, signal, error}
    this._waiters = new Set();
    this.child = spawn(bin, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this.child);
    this._split(this.child.stdout, this.stdoutLines);
    this._split(this.child.stderr, this.stderrLines);
    this.closed = new Promise((resolve) => {
      let done = false;
      const finish = (info) => {
        if (done) return;
        done = true;
        live.delete(this.child);
        this.exitInfo = info;
        this._notify();
        resolve(info);
      };
      this.child.on('error', (error) => finish({ code: null, signal: null, error }));
      // 'close' fires after the stdio streams have ended, so the output is complete.
      this.child.on('close', (code, signal) => finish({ code, signal, error: null }));
    });
  }

  get pid() {
    return this.child.pid;
  }

  get running() {
    return this.exitInfo === null;
  }

  _split(stream, lines) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      partial += chunk;
      let i;
      while ((i = partial.indexOf('\n')) !== -1) {
        lines.push(partial.slice(0, i).replace(/\r$/, ''));
        partial = partial.slice(i + 1);
      }
      this._notify();
    });
    stream.on('end', () => {
      if (partial) lines.push(partial);
      partial = '';
      this._notify();
    });
  }

  _notify() {
    for (const w of [...this._waiters]) w();
  }

  describe() {
    const how = this.exitInfo
      ? this.exitInfo.error
        ? `failed to start: ${this.exitInfo.error.message}`
        : `exited with code ${this.exitInfo.code}${this.exitInfo.signal ? ` (signal ${this.exitInfo.signal})` : ''}`
      : 'still running';
    return `${this.bin} ${this.args.join(' ')}: ${how}\nstderr:\n${tail(this.stderrLines)}\nstdout:\n${tail(this.stdoutLines, 20)}`;
  }

  // Resolves with the match of the first stderr line (already seen or still to come) matching
  // `re`. Rejects if the process exits first or after `timeoutMs`.
  waitForLine(re, { timeoutMs = READY_TIMEOUT_MS, stream = 'stderr', what } = {}) {
    const lines = stream === 'stdout' ? this.stdoutLines : this.stderrLines;
    return new Promise((resolve, reject) => {
      let timer = null;
      const waiter = () => {
        for (const line of lines) {
          const m = line.match(re);
          if (m) {
            cleanup();
            resolve(m);
            return;
          }
        }
        if (this.exitInfo) {
          cleanup();
          reject(new Error(`waiting for ${what || re} on ${stream}, but the process ended first.\n${this.describe()}`));
        }
      };
      const cleanup = () => {
        this._waiters.delete(waiter);
        if (timer) clearTimeout(timer);
      };
      this._waiters.add(waiter);
      timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what || re} on ${stream}.\n${this.describe()}`));
      }, timeoutMs);
      waiter();
    });
  }

  // Sends `signal` (if still running) and resolves with {code, signal} once it has exited.
  // Fails after `timeoutMs` (then the process is killed with SIGKILL).
  async terminate(signal = 'SIGTERM', { timeoutMs = 15_000 } = {}) {
    if (this.running) this.child.kill(signal);
    return this.waitExit({ timeoutMs });
  }

  async waitExit({ timeoutMs = 15_000 } = {}) {
    let timer;
    const guard = new Promise((_, reject) => {
      timer = setTimeout(() => {
        const msg = `process did not exit within ${timeoutMs} ms.\n${this.describe()}`;
        this.child.kill('SIGKILL');
        reject(new Error(msg));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.closed, guard]);
    } finally {
      clearTimeout(timer);
    }
  }
}

// Runs a one-shot command (`version`, a usage error, ...) and returns {code, signal, stdout,
// stderr}. A command that does not end within `timeoutMs` is killed and the call fails.
export async function runCli(args, { env = {}, cwd, timeoutMs = 15_000, bin = binary() } = {}) {
  const dir = cwd || tempDir('sb-e2e-cli-');
  // `admin --data <dir of a server of ours>`: on PostgreSQL that server's data is in its
  // database, so the CLI gets --db (which wins over --data) for the same installation.
  if (args[0] === 'admin' && !args.includes('--db')) {
    const i = args.indexOf('--data');
    const url = i > 0 && databases.get(path.resolve(String(args[i + 1])));
    if (url) args = ['admin', '--db', url, ...args.slice(1)];
  }
  let p;
  let info;
  try {
    p = new Proc(bin, args, { env: childEnv(env), cwd: dir });
    info = await p.waitExit({ timeoutMs });
  } finally {
    if (!cwd) fs.rmSync(dir, { recursive: true, force: true });
  }
  if (info.error) throw new Error(`cannot run ${bin} (from ${BIN}): ${info.error.message} (build it with \`make\`, or set SB_BIN)`);
  return {
    code: info.code,
    signal: info.signal,
    stdout: p.stdoutLines.join('\n'),
    stderr: p.stderrLines.join('\n'),
    stderrLines: p.stderrLines,
  };
}

// A running Switchboard server.
export class Server {
  constructor(opts) {
    this.opts = opts;
    this.root = tempDir();
    this.dataDir = opts.dataDir || path.join(this.root, 'data');
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.adminToken = opts.adminToken === undefined ? randomToken() : opts.adminToken;
    this.url = null;
    this.proc = null;
    this.runs = []; // every Proc started for this server, oldest first
    this.dbUrl = null; // SB_STORE=postgres: this server's database, kept across restarts
  }

  // stderr lines of the current (or last) process.
  get stderr() {
    return this.proc ? this.proc.stderrLines : [];
  }

  get pid() {
    return this.proc && this.proc.pid;
  }

  get running() {
    return !!this.proc && this.proc.running;
  }

  async _start(overrides = {}) {
    const o = { ...this.opts, ...overrides };
    const args = ['serve'];
    if (o.listen !== null) args.push('--listen', o.listen || '127.0.0.1:0');
    if (o.passData !== false) args.push('--data', this.dataDir);
    const ownDb = (o.args || []).includes('--db') || (o.env && o.env.SWITCHBOARD_DB !== undefined);
    if (usingPostgres() && !ownDb) {
      if (!this.dbUrl) {
        this.dbUrl = await (await sharedCluster()).createDatabase();
        databases.set(path.resolve(this.dataDir), this.dbUrl);
      }
      args.push('--db', this.dbUrl);
    }
    args.push(...(o.args || []));
    const env = childEnv({
      SWITCHBOARD_ADMIN_TOKEN: this.adminToken === null ? undefined : this.adminToken,
      ...(o.env || {}),
    });
    const proc = new Proc(o.bin || binary(), args, { env, cwd: this.root });
    this.proc = proc;
    this.runs.push(proc);
    this.url = null;
    let m;
    try {
      m = await proc.waitForLine(LISTENING_RE, { timeoutMs: o.readyTimeoutMs || READY_TIMEOUT_MS, what: '"listening on URL"' });
    } catch (err) {
      if (proc.exitInfo && proc.exitInfo.error) {
        err.message = `cannot run ${proc.bin} (from ${BIN}): ${proc.exitInfo.error.message} (build it with \`make\`, or set SB_BIN)\n` + err.message;
      }
      if (proc.running) await proc.terminate('SIGKILL');
      throw err;
    }
    this.url = m[1].replace(/\/+$/, '');
    return this;
  }

  // SIGTERM and wait for the exit; the contract says the exit code is 0.
  async stop({ expectCode = 0 } = {}) {
    if (!this.proc) return null;
    const info = await this.proc.terminate('SIGTERM');
    if (expectCode !== null && (info.code !== expectCode || info.signal)) {
      throw new Error(`expected exit code ${expectCode} after SIGTERM.\n${this.proc.describe()}`);
    }
    return info;
  }

  // SIGKILL (kill -9) and wait for the exit.
  async kill9() {
    if (!this.proc) return null;
    return this.proc.terminate('SIGKILL');
  }

  // Starts the server again on the same data dir (stopping it first if it still runs).
  async restart(overrides = {}) {
    if (this.running) await this.stop();
    return this._start(overrides);
  }

  // For after() hooks: stop (expecting exit 0), then remove the temp dirs, whatever happens.
  async close() {
    try {
      if (this.running) await this.stop();
    } finally {
      if (this.running) await this.proc.terminate('SIGKILL');
      if (!this.opts.keep) {
        fs.rmSync(this.root, { recursive: true, force: true });
        if (this.opts.dataDir) fs.rmSync(this.opts.dataDir, { recursive: true, force: true });
        if (this.dbUrl) {
          databases.delete(path.resolve(this.dataDir));
          // Only tidiness (the cluster goes at exit): a failure here must not hide the test's.
          try { await (await sharedCluster()).dropDatabase(this.dbUrl); } catch { /* ignore */ }
        }
      }
    }
  }
}

// Starts a server and waits until it is ready. Options:
//   adminToken: string (default: random) or null to start without SWITCHBOARD_ADMIN_TOKEN
//   env: extra environment; args: extra flags after `serve ...`
//   listen: value for --listen (default 127.0.0.1:0) or null to omit the flag
//   passData: false to omit --data (the temp dir is still the working directory)
//   dataDir: use this data dir instead of a fresh one
export async function startServer(opts = {}) {
  const s = new Server(opts);
  try {
    await s._start();
  } catch (err) {
    fs.rmSync(s.root, { recursive: true, force: true });
    throw err;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// HTTP

function baseOf(target) {
  if (typeof target === 'string') return target;
  if (target && typeof target.url === 'string') return target.url; // a Server (follows restarts)
  throw new Error('api(): need a base URL or a Server');
}

// A request that got no HTTP response at all: say why, and if the server process is ours,
// whether it is still alive (waiting briefly for its exit to be reported) and its stderr.
async function transportError(target, method, url, err) {
  const cause = err && err.cause ? ` (${err.cause.code || err.cause.message || err.cause})` : '';
  let state = '';
  if (target instanceof Server && target.proc) {
    const proc = target.proc;
    if (proc.running) {
      let timer;
      await Promise.race([proc.closed, new Promise((r) => { timer = setTimeout(r, 2000); })]);
      clearTimeout(timer);
    }
    state = '\nserver: ' + proc.describe();
  }
  const e = new Error(`${method} ${url}: no response: ${err && err.message}${cause}${state}`);
  e.cause = err;
  return e;
}

// api(url | server, token) -> request(method, path, body?, opts?) resolving with
// {status, headers, body, text, contentType, method, url}. `body` of the response is the parsed
// JSON when the response says it is JSON, else the text. A request body that is an object is
// sent as JSON; a string/Buffer is sent as is (Content-Type from opts.contentType, default JSON).
// opts: headers, cookie, contentType, timeoutMs. `path` may be an absolute URL (nextLinks).
export function api(target, token) {
  return async function request(method, p, body, opts = {}) {
    const url = /^https?:\/\//.test(p) ? p : baseOf(target) + p;
    const headers = { Accept: 'application/json', ...(opts.headers || {}) };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (opts.cookie) headers.Cookie = opts.cookie;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        payload = body;
      } else {
        payload = JSON.stringify(body);
      }
      headers['Content-Type'] = opts.contentType || 'application/json';
    }
    let res;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs || 30_000),
      });
    } catch (err) {
      throw await transportError(target, method, url, err);
    }
    const text = await res.text();
    const contentType = res.headers.get('content-type') || '';
    let parsed = text;
    if (/json/i.test(contentType) && text.length) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    return { status: res.status, headers: res.headers, body: parsed, text, contentType, method, url };
  };
}

// ---------------------------------------------------------------------------------------------
// Users and tokens

let counter = 0;
export function uniqueUpn(label = 'user') {
  counter += 1;
  return `${label}.${counter}.${randomToken(4)}@switchboard.test`.toLowerCase();
}

function fail(what, res) {
  return new Error(`${what}: ${res.method} ${res.url} -> ${res.status} ${res.text.slice(0, 500)}`);
}

// POST /v1.0/users as admin; resolves with the created user (asserts 201).
export async function createUser(server, { displayName, userPrincipalName, password } = {}) {
  const upn = userPrincipalName || uniqueUpn('user');
  const body = {
    displayName: displayName || `User ${upn.split('@')[0]}`,
    userPrincipalName: upn,
    passwordProfile: { password: password || 'Passw0rd-' + randomToken(6) },
  };
  const res = await api(server, server.adminToken)('POST', '/v1.0/users', body);
  if (res.status !== 201) throw fail('create user', res);
  return res.body;
}

// POST /api/v1/tokens; resolves with the token (asserts 201).
export async function getToken(target, userPrincipalName, password) {
  const res = await api(target)('POST', '/api/v1/tokens', { userPrincipalName, password });
  if (res.status !== 201 || !res.body || typeof res.body.token !== 'string') throw fail('get token', res);
  return res.body.token;
}

// A signed-in user: {id, displayName, userPrincipalName, password, token, api}.
export async function newUser(server, label = 'user') {
  const upn = uniqueUpn(label);
  const password = 'Passw0rd-' + randomToken(6);
  const displayName = `${label[0].toUpperCase()}${label.slice(1)} ${randomToken(2)}`;
  const user = await createUser(server, { displayName, userPrincipalName: upn, password });
  const token = await getToken(server, upn, password);
  return { ...user, userPrincipalName: user.userPrincipalName || upn, password, token, api: api(server, token) };
}

// A request through node:http(s) for cases fetch cannot express well: bodies that the server
// refuses before reading them all (413), chunked uploads. Resolves with {status, headers, text,
// body} as soon as a response has arrived, even if the server then closes the connection while
// the upload is still going (EPIPE/ECONNRESET after a response are not errors here).
// `chunks`: array of Buffers/strings; with `chunked: true` no Content-Length is sent.
export async function rawRequest(target, method, p, { headers = {}, chunks = [], chunked = false, timeoutMs = 30_000 } = {}) {
  const url = new URL(/^https?:\/\//.test(p) ? p : baseOf(target) + p);
  const mod = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const bufs = chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c));
  const total = bufs.reduce((n, b) => n + b.length, 0);
  const h = { ...headers };
  if (!chunked) h['Content-Length'] = String(total);
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = mod.request(url, { method, headers: h, timeout: timeoutMs }, (res) => {
      responded = true;
      const parts = [];
      res.on('data', (d) => parts.push(d));
      const done = () => {
        const text = Buffer.concat(parts).toString('utf8');
        const contentType = res.headers['content-type'] || '';
        let body = text;
        if (/json/i.test(contentType) && text) {
          try { body = JSON.parse(text); } catch { body = text; }
        }
        resolve({ status: res.statusCode, headers: res.headers, text, body, contentType, method, url: url.href });
        req.destroy();
      };
      res.on('end', done);
      res.on('error', done); // connection closed after the response started: keep what we have
      res.on('aborted', done);
    });
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', (err) => {
      if (!responded) reject(err);
    });
    // With `Expect: 100-continue` the body goes only after the server's 100 (as curl does for
    // large bodies); a server that refuses on the headers answers instead and never reads it.
    const go = /^100-continue$/i.test(Object.entries(h).find(([k]) => /^expect$/i.test(k))?.[1] || '')
      ? new Promise((r) => { req.once('continue', r); req.once('response', r); req.once('close', r); })
      : Promise.resolve();
    (async () => {
      if (bufs.length) req.flushHeaders();
      await go;
      for (const b of bufs) {
        if (req.destroyed || responded) return;
        if (!req.write(b)) await new Promise((r) => { req.once('drain', r); req.once('close', r); });
      }
      if (!req.destroyed) req.end();
    })().catch(() => {});
  });
}

// Runs SQL against the server's database (sqlite3 shell / psql) and resolves with its stdout.
export function runSql(server, text) {
  const sh = STORE === 'postgres'
    ? spawn(path.join(PG_BIN, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', server.dbUrl], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('sqlite3', [path.join(server.dataDir, 'switchboard.db')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  sh.stdout.on('data', (d) => { out += d; });
  sh.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    sh.on('error', reject);
    sh.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${sh.spawnfile} exit ${code}: ${err}`))));
    sh.stdin.end(text + '\n');
  });
}
