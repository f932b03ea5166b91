// File modes of a SQLite installation (issue 16, item 7): the database holds the webhook HMAC
// key, the token signing keys and service secrets, so under the usual umask 022 the data
// directory must still be 0700 and the database, its -wal and -shm, backups and restored
// databases 0600. Files left readable by an older version are repaired at start, with a
// warning naming each path. PostgreSQL keeps no files: the tests skip there.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { STORE, api, runCli, startServer, tempDir } from './lib/server.mjs';
import { createTeam, uniqueName } from './lib/graph.mjs';

const SQLITE_ONLY = STORE === 'postgres' ? 'SQLite only: PostgreSQL keeps no files in the data dir' : false;

const cleanup = [];
let oldUmask;
before(() => {
  // The children inherit it: the usual umask, under which SQLite's own default is 0644.
  oldUmask = process.umask(0o022);
});
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
  process.umask(oldUmask);
});

function modeOf(p) {
  return fs.statSync(p).mode & 0o7777;
}

function octal(m) {
  return '0' + m.toString(8).padStart(3, '0');
}

function expectMode(p, want) {
  assert.equal(octal(modeOf(p)), octal(want), `mode of ${p}`);
}

// A data dir that exists before the first start, made 0755 as `mkdir` under umask 022 does.
function existingDataDir() {
  const root = tempDir('sb-e2e-modes-');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'data');
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o755);
  expectMode(dir, 0o755);
  return dir;
}

async function start(dataDir) {
  const s = await startServer({ dataDir });
  cleanup.push(() => s.close());
  return s;
}

const repairLine = (p) => new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} had mode 0(644|755)`);

test('first start in an existing 0755 data dir: the dir becomes 0700, the database, -wal and -shm 0600', { skip: SQLITE_ONLY }, async () => {
  const dir = existingDataDir();
  const s = await start(dir);
  // A write, so that the WAL certainly holds a frame.
  await createTeam(api(s, s.adminToken), uniqueName('Modes'));
  const db = path.join(dir, 'switchboard.db');
  expectMode(dir, 0o700);
  for (const f of [db, db + '-wal', db + '-shm']) {
    assert.ok(fs.existsSync(f), `${f} exists while the server runs`);
    expectMode(f, 0o600);
  }
  // The dir was repaired (and said so); the files were made right, so no warning names one.
  assert.ok(s.stderr.some((l) => repairLine(dir).test(l)), `a warning names ${dir}:\n${s.stderr.join('\n')}`);
  assert.ok(!s.stderr.some((l) => /switchboard\.db\S* had mode /.test(l)), `no file warning:\n${s.stderr.join('\n')}`);
});

test('files left 0644 (and the dir 0755) are repaired at start, each named in a warning', { skip: SQLITE_ONLY }, async () => {
  const dir = existingDataDir();
  const s = await start(dir);
  await s.stop();
  const db = path.join(dir, 'switchboard.db');
  // What an older version leaves behind: everything readable by all.
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(db, 0o644);
  const stray = path.join(dir, 'switchboard.db-journal');
  fs.writeFileSync(stray, '');
  fs.chmodSync(stray, 0o644);
  await s.restart();
  for (const p of [dir, db, stray]) {
    assert.ok(s.stderr.some((l) => repairLine(p).test(l)), `a warning names ${p}:\n${s.stderr.join('\n')}`);
  }
  expectMode(dir, 0o700);
  for (const f of [db, db + '-wal', db + '-shm', stray]) expectMode(f, 0o600);
  // Repaired once: the next start has nothing to say.
  await s.restart();
  assert.ok(!s.stderr.some((l) => / had mode /.test(l)), `no warning after the repair:\n${s.stderr.join('\n')}`);
});

test('admin backup writes a 0600 file, and restore makes a 0700 dir with a 0600 database', { skip: SQLITE_ONLY }, async () => {
  const dir = existingDataDir();
  const s = await start(dir);
  const work = tempDir('sb-e2e-modes-backup-');
  cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
  const file = path.join(work, 'backup.db');
  const run = await runCli(['admin', '--data', dir, 'backup', file]);
  assert.equal(run.code, 0, run.stderr);
  expectMode(file, 0o600);
  await s.stop();
  const target = path.join(work, 'restored');
  const r = await runCli(['admin', '--data', target, 'restore', file]);
  assert.equal(r.code, 0, r.stderr);
  expectMode(target, 0o700);
  expectMode(path.join(target, 'switchboard.db'), 0o600);
  // Restoring over an existing 0644 database leaves it 0600 too.
  const again = path.join(work, 'again');
  fs.mkdirSync(again, { mode: 0o700 });
  fs.writeFileSync(path.join(again, 'switchboard.db'), '');
  fs.chmodSync(path.join(again, 'switchboard.db'), 0o644);
  const r2 = await runCli(['admin', '--data', again, 'restore', file]);
  assert.equal(r2.code, 0, r2.stderr);
  expectMode(path.join(again, 'switchboard.db'), 0o600);
});
