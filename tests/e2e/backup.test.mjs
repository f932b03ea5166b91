// `switchboard admin backup <file>` / `restore <file>` (SQLite): an online backup taken while a
// server keeps acknowledging webhook posts is one consistent snapshot; restored into a fresh
// data dir it serves the same teams, messages and webhook; restore refuses a database a server
// has open and files that are not Switchboard databases. On PostgreSQL the commands point at
// pg_dump / pg_restore (exit 2).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { STORE, api, newUser, runCli, startServer, tempDir } from './lib/server.mjs';
import { createChannel, createTeam, expectStatus, generalChannel, postMessage, uniqueName } from './lib/graph.mjs';
import { allMessages, createWebhook, expectAccepted, postTo } from './lib/webhooks.mjs';

const SQLITE_ONLY = STORE === 'postgres'
  ? 'SQLite only: a PostgreSQL store is backed up with pg_dump (docs/postgres.md); the last test covers what admin says there'
  : false;
const POSTERS = 4;
const MIN_ACKS_BEFORE_BACKUP = 40;

function showRun(r) {
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

function textOf(m) {
  const a = m.attachments && m.attachments[0];
  if (a && typeof a.content === 'string') return JSON.parse(a.content).text;
  return m.body && m.body.content;
}

const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

// One installation used by the tests in order: the source server, the backup taken under load,
// and the server started on the restored copy.
let src;
let owner;
let team;
let general;
let other;
let hook;
let graphText;
let work; // temp dir holding the backup files
let backupFile;
let acked; // poster -> [texts acknowledged, in order]
let ackedBefore; // texts acknowledged before the backup command started
let restored; // the server on the restored data dir

before(async () => {
  if (SQLITE_ONLY) return;
  work = tempDir('sb-e2e-backup-');
  cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
  src = await startServer({ args: ['--webhook-rate-limit', '0'] });
  cleanup.push(() => src.close());
  owner = await newUser(src, 'owner');
  team = await createTeam(owner.api, uniqueName('Backup'));
  general = await generalChannel(owner.api, team.id);
  other = await createChannel(owner.api, team.id, uniqueName('Second'));
  hook = await createWebhook(owner.api, general.id, { name: 'backup hook' });
  graphText = uniqueName('typed by a person');
  await postMessage(owner.api, team.id, other.id, graphText);
});

async function hookUrl(server, call) {
  const r = expectStatus(await call('GET', `/api/v1/connectors/${hook.id}`), 200, 'read the webhook');
  assert.ok(r.body.url.startsWith(server.url + '/'), `url ${r.body.url} is not on ${server.url}`);
  return r.body.url;
}

test('backup while the server acknowledges posts: a complete, consistent, self-contained copy', { skip: SQLITE_ONLY }, async (t) => {
  const url = await hookUrl(src, owner.api);
  backupFile = path.join(work, 'switchboard-backup.db');
  acked = Array.from({ length: POSTERS }, () => []);
  let total = 0;
  let stop = false;
  let started; // resolves when enough posts were acknowledged to start the backup
  const enough = new Promise((r) => { started = r; });
  const other = [];
  const poster = async (p) => {
    for (let k = 0; !stop; k++) {
      const text = `backup p${p} n${k} ${uniqueName('x')}`;
      const r = await postTo(url, { text });
      if (r.status !== 200 || r.text !== '1') {
        other.push(`${r.status} ${r.text.slice(0, 200)}`);
        return;
      }
      acked[p].push(text);
      total += 1;
      if (total >= MIN_ACKS_BEFORE_BACKUP) started();
    }
  };
  const posting = Promise.all(Array.from({ length: POSTERS }, (_, p) => poster(p)));
  await Promise.race([enough, posting]);
  ackedBefore = new Set(acked.flat());
  const atStart = total;
  const run = await runCli(['admin', '--data', src.dataDir, 'backup', backupFile]);
  const during = total - atStart;
  stop = true;
  await posting;
  assert.deepEqual(other, [], 'posts answered with something other than 200 "1"');
  assert.equal(run.code, 0, `backup: ${showRun(run)}`);
  assert.match(run.stdout, /backed up .*switchboard\.db to .*switchboard-backup\.db/);
  t.diagnostic(`backup taken after ${atStart} acknowledged posts, ${during} more acknowledged while it ran, ${total} in all`);
  // One file: no -wal/-journal beside it, no temporary left behind.
  assert.deepEqual(fs.readdirSync(work), ['switchboard-backup.db']);
  // It holds the installation's keys: owner-only whatever the umask (issue 16, item 7).
  assert.equal((fs.statSync(backupFile).mode & 0o777).toString(8), '600', 'mode of the backup');
  // A second backup to the same name is refused rather than overwriting the first.
  const again = await runCli(['admin', '--data', src.dataDir, 'backup', backupFile]);
  assert.equal(again.code, 1, showRun(again));
  assert.match(again.stderr, /already exists/);
  // The server kept working throughout.
  expectAccepted(await postTo(url, { text: 'after the backup' }));
});

test('restore into a fresh data dir: the data is there and the webhook still posts', { skip: SQLITE_ONLY }, async (t) => {
  assert.ok(backupFile, 'the backup test ran');
  await src.stop();
  const dataDir = path.join(tempDir('sb-e2e-restored-'), 'data'); // not created yet: restore does
  cleanup.push(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));
  const run = await runCli(['admin', '--data', dataDir, 'restore', backupFile]);
  assert.equal(run.code, 0, `restore: ${showRun(run)}`);
  assert.match(run.stdout, /restored /);

  restored = await startServer({ dataDir, args: ['--webhook-rate-limit', '0'] });
  cleanup.push(() => restored.close());
  // Tokens are stored in the database, so the owner's token works on the restored copy.
  const call = api(restored, owner.token);
  expectStatus(await call('GET', `/v1.0/teams/${team.id}`), 200, 'the team after restore');

  const texts = (await allMessages(call, team.id, general.id, restored)).map(textOf);
  const counts = new Map();
  for (const x of texts) counts.set(x, (counts.get(x) || 0) + 1);
  const dup = [...counts].filter(([, c]) => c > 1).map(([x, c]) => `${x} x${c}`);
  assert.deepEqual(dup, [], 'messages duplicated by backup/restore');
  const missing = [...ackedBefore].filter((x) => !counts.has(x));
  assert.deepEqual(missing, [], `posts acknowledged before the backup started are missing (${missing.length} of ${ackedBefore.size})`);
  // A snapshot: each poster posts one after the other, so what the copy holds of a poster is
  // exactly its first m posts, and nothing that was never acknowledged.
  let inCopy = 0;
  for (let p = 0; p < POSTERS; p++) {
    const m = acked[p].filter((x) => counts.has(x)).length;
    assert.deepEqual(acked[p].slice(0, m).filter((x) => !counts.has(x)), [], `poster ${p}: the copy has a gap`);
    inCopy += m;
  }
  const stray = texts.filter((x) => !x.startsWith('backup p'));
  assert.deepEqual(stray, [], 'the copy holds messages nobody acknowledged before it was taken');
  t.diagnostic(`restored copy: ${inCopy} webhook messages (${ackedBefore.size} acknowledged before the backup started, ${acked.flat().length} in all)`);

  const others = (await allMessages(call, team.id, other.id, restored)).map(textOf);
  assert.ok(others.includes(graphText), `the Graph message of the second channel is missing: ${JSON.stringify(others)}`);

  const url = await hookUrl(restored, call);
  const text = uniqueName('after restore');
  expectAccepted(await postTo(url, { text }), 'the restored webhook');
  const after1 = (await allMessages(call, team.id, general.id, restored)).map(textOf);
  assert.ok(after1.includes(text), 'the post to the restored webhook is not in the channel');
});

test('restore into the data dir of a running server is refused, and the server is untouched', { skip: SQLITE_ONLY }, async () => {
  assert.ok(restored && restored.running, 'the restored server runs');
  const run = await runCli(['admin', '--data', restored.dataDir, 'restore', backupFile]);
  assert.notEqual(run.code, 0, `restore over a running server: ${showRun(run)}`);
  assert.match(run.stderr, /in use .*stop the server/, showRun(run));
  const call = api(restored, owner.token);
  const text = uniqueName('still serving');
  expectAccepted(await postTo(await hookUrl(restored, call), { text }), 'post after the refused restore');
  const texts = (await allMessages(call, team.id, general.id, restored)).map(textOf);
  assert.ok(texts.includes(text));
});

test('restore refuses files that are not Switchboard databases, saying why', { skip: SQLITE_ONLY }, async () => {
  const dir = tempDir('sb-e2e-badbackup-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'data');
  const file = (name, content) => {
    const p = path.join(dir, name);
    if (content !== undefined) fs.writeFileSync(p, content);
    return p;
  };
  const good = fs.readFileSync(backupFile);
  const cases = [
    [file('missing.db'), /cannot read .*missing\.db: No such file/],
    [file('notes.txt', 'hello, this is not a database\n'.repeat(100)), /notes\.txt is not a Switchboard backup: it is not a SQLite database/],
    // SQLite reads an empty file as an empty database: still not ours.
    [file('empty.db', ''), /empty\.db is not a Switchboard backup: .*without the schema_migrations table/],
    [file('truncated.db', good.subarray(0, Math.floor(good.length / 3))), /truncated\.db is damaged/],
    [dir, /is not a regular file/],
  ];
  for (const [p, re] of cases) {
    const run = await runCli(['admin', '--data', dataDir, 'restore', p]);
    assert.equal(run.code, 1, `restore ${p}: ${showRun(run)}`);
    assert.match(run.stderr, re, showRun(run));
  }
  // Nothing was written for any of them.
  assert.ok(!fs.existsSync(path.join(dataDir, 'switchboard.db')), 'a refused restore created a database');
  // Usage errors and a backup of nothing.
  const noFile = await runCli(['admin', '--data', dataDir, 'restore']);
  assert.equal(noFile.code, 2, showRun(noFile));
  assert.match(noFile.stderr, /restore <file>/);
  const nothing = await runCli(['admin', '--data', path.join(dir, 'nowhere'), 'backup', file('x.db')]);
  assert.equal(nothing.code, 1, showRun(nothing));
  assert.match(nothing.stderr, /no database at .*nowhere/);
  assert.ok(!fs.existsSync(path.join(dir, 'nowhere')), 'backup of a missing installation created one');
});

test('on PostgreSQL, backup and restore name pg_dump and pg_restore (exit 2)', async () => {
  const db = 'postgres://switchboard:secret@127.0.0.1:1/switchboard';
  const b = await runCli(['admin', '--db', db, 'backup', 'sb.dump']);
  assert.equal(b.code, 2, showRun(b));
  assert.match(b.stderr, /pg_dump --format=custom --file='sb\.dump'/);
  const r = await runCli(['admin', '--db', db, 'restore', 'sb.dump']);
  assert.equal(r.code, 2, showRun(r));
  assert.match(r.stderr, /pg_restore .*'sb\.dump'/);
  assert.doesNotMatch(b.stderr + r.stderr, /secret/, 'the password of the URL is not echoed');
});
