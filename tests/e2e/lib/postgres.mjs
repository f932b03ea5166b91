// A throwaway PostgreSQL cluster for the end-to-end suite (SB_STORE=postgres).
//
// startCluster() runs initdb + pg_ctl (from $SB_PG_BIN or /usr/lib/postgresql/15/bin) in a fresh
// temp dir, on a free 127.0.0.1 port, with its unix socket inside that dir, and resolves with a
// Cluster: createDatabase() -> a postgres:// URL for a new, empty database; dropDatabase(url);
// stopSync() (pg_ctl stop -m fast, then the dir is removed).
//
// PostgreSQL refuses to run as root, so as root every server-side command runs as the `postgres`
// OS user (runuser) and the temp dir is given to that user. Nothing here relies on a system
// cluster (a Debian install may have one on 5432): the cluster is ours alone.
//
// sharedCluster() is what the harness uses: one cluster per test process, started on first use
// and stopped when the process exits. If the process dies without running its exit handlers
// (SIGKILL), a detached watchdog, which waits for the end of a pipe from this process, stops
// the cluster and removes its dir, so that nothing of ours outlives the run.

import { execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const PG_BIN = process.env.SB_PG_BIN || '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'postgres';
const START_TIMEOUT_S = 60;

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

// argv for running a PostgreSQL server-side program as the right OS user.
function serverCmd(prog, args) {
  const bin = path.join(PG_BIN, prog);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function postgresIds() {
  const out = execFileSync('id', ['-u', 'postgres']).toString().trim();
  const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
  return { uid: Number(out), gid: Number(gid) };
}

// A port that was free a moment ago; pg_ctl start fails if someone took it since, and the
// caller then tries another.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

export class Cluster {
  constructor(dir) {
    this.dir = dir;
    this.data = path.join(dir, 'data');
    this.sock = path.join(dir, 'sock');
    this.log = path.join(dir, 'postgres.log');
    this.password = crypto.randomBytes(12).toString('hex');
    this.port = null;
    this.stopped = false;
    this.watchdog = null;
  }

  // A URL of the form the server takes: postgres://user:password@host:port/dbname.
  url(db) {
    return `postgres://${SUPERUSER}:${this.password}@127.0.0.1:${this.port}/${db}`;
  }

  // psql over the unix socket (trusted locally), as ourselves: the socket dir is readable.
  async psql(sql) {
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', this.sock, '-p', String(this.port), '-U', SUPERUSER, '-d', 'postgres', '-c', sql];
    try {
      await execFileP(path.join(PG_BIN, 'psql'), args, { cwd: this.dir, timeout: 30_000 });
    } catch (err) {
      throw new Error(`psql ${JSON.stringify(sql)} failed: ${err.stderr || err.message}\n${this.logTail()}`);
    }
  }

  async createDatabase() {
    const name = `sb_${crypto.randomBytes(6).toString('hex')}`;
    await this.psql(`CREATE DATABASE ${name}`);
    return this.url(name);
  }

  // Drops a database made by createDatabase (any sessions on it are ended first).
  async dropDatabase(url) {
    const name = new URL(url).pathname.slice(1);
    if (!/^sb_[0-9a-f]+$/.test(name) || this.stopped) return;
    await this.psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }

  logTail(n = 30) {
    try {
      const lines = fs.readFileSync(this.log, 'utf8').trimEnd().split('\n').slice(-n);
      return `postgres log (${this.log}):\n${lines.map((l) => '  | ' + l).join('\n')}`;
    } catch {
      return `(no postgres log at ${this.log})`;
    }
  }

  // Synchronous, so that it can run in a process 'exit' handler.
  stopSync() {
    if (this.stopped) return;
    this.stopped = true;
    try {
      const [cmd, args] = serverCmd('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      execFileSync(cmd, args, { cwd: this.dir, stdio: 'ignore', timeout: 40_000 });
    } catch {
      // Not running (never started, or already stopped): nothing to stop.
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // The watchdog: a detached shell that blocks reading a pipe from this process. Its read ends
  // only when this process is gone (however it died); then it stops the cluster and removes
  // the dir. Detached, so a Ctrl-C to our process group does not kill it before it cleans up.
  startWatchdog() {
    const [cmd, args] = serverCmd('pg_ctl', ['-D', this.data, '-m', 'immediate', 'stop']);
    const script = `cat >/dev/null; ${[cmd, ...args].map(shellQuote).join(' ')} >/dev/null 2>&1; rm -rf ${shellQuote(this.dir)}`;
    const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], cwd: '/' });
    child.unref();
    // An idle pipe we never write to must not keep the event loop (and the test run) alive.
    if (child.stdin && child.stdin._handle && typeof child.stdin._handle.unref === 'function') child.stdin._handle.unref();
    child.stdin.on('error', () => {});
    this.watchdog = child;
  }
}

// Starts a fresh cluster. Options: port (default: a free one).
export async function startCluster({ port } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sb-pg-${process.pid}-`));
  const cluster = new Cluster(dir);
  try {
    fs.mkdirSync(cluster.sock);
    const pwfile = path.join(dir, 'pwfile');
    fs.writeFileSync(pwfile, cluster.password + '\n', { mode: 0o600 });
    if (asRoot) {
      const { uid, gid } = postgresIds();
      for (const p of [dir, cluster.sock, pwfile]) fs.chownSync(p, uid, gid);
    }
    // Local (socket) connections are trusted, for psql here; TCP ones need the password, so
    // the server's URL exercises user:password@host:port like a real deployment. UTF8 with
    // the C locale: the same bytes-in, bytes-out text as SQLite, whatever this machine's locale.
    const [icmd, iargs] = serverCmd('initdb', [
      '-D', cluster.data, '-U', SUPERUSER, `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C',
      '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync',
    ]);
    try {
      await execFileP(icmd, iargs, { cwd: dir, timeout: 120_000 });
    } catch (err) {
      throw new Error(`initdb failed: ${err.stderr || err.message}`);
    }
    fs.rmSync(pwfile, { force: true });
    cluster.startWatchdog();
    let lastErr;
    for (let attempt = 0; attempt < 5; attempt++) {
      cluster.port = port || (await freePort());
      // fsync stays on: durability is part of what the suite checks. max_connections: every
      // server holds 1 writer + --threads readers, and a test file may run a few at once.
      const opts = `-c listen_addresses=127.0.0.1 -p ${cluster.port} -k ${cluster.sock} -c max_connections=200`;
      const [cmd, args] = serverCmd('pg_ctl', ['-D', cluster.data, '-l', cluster.log, '-w', '-t', String(START_TIMEOUT_S), '-o', opts, 'start']);
      try {
        await execFileP(cmd, args, { cwd: dir, timeout: (START_TIMEOUT_S + 10) * 1000 });
        lastErr = null;
        break;
      } catch (err) {
        lastErr = new Error(`pg_ctl start failed: ${err.stderr || err.message}\n${cluster.logTail()}`);
        if (port) break;
      }
    }
    if (lastErr) throw lastErr;
  } catch (err) {
    cluster.stopSync();
    throw err;
  }
  return cluster;
}

// One cluster per test process, started lazily and stopped at exit.
let shared = null;
export function sharedCluster() {
  if (!shared) {
    shared = startCluster().then((c) => {
      process.on('exit', () => c.stopSync());
      // Signals would otherwise end the process without 'exit' handlers; exiting from here
      // runs them (the harness's handler kills the servers, this one stops the cluster).
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
        process.once(sig, () => process.exit(128 + os.constants.signals[sig]));
      }
      return c;
    });
    shared.catch(() => { shared = null; });
  }
  return shared;
}

export function usingPostgres() {
  return process.env.SB_STORE === 'postgres';
}
