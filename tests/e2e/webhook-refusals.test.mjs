// A refused webhook post (bad body, too large, throttled, connectors turned off) is answered
// without waiting for the group commit's disk sync (issue 16, item 11): its delivery-log entry
// is written asynchronously. Shown with the writer held up: another connection holds SQLite's
// write lock, so an accepted post stays pending, while every refusal is answered, and the
// accepted post still succeeds once the lock is released. The log still lists the refusals.
// SQLite only: the lock is taken with the sqlite3 shell on the server's database file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

import { startServer, api, STORE } from './lib/server.mjs';
import { expectStatus, createTeam, generalChannel, uniqueName } from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, messageCard, cardOfSize, MAX_PAYLOAD } from './lib/webhooks.mjs';

const skip = STORE !== 'sqlite' && 'holds the write lock of the SQLite file with the sqlite3 shell';
let srv;

after(async () => {
  if (srv) await srv.close();
});

// Another connection holding the database's write lock until release() is called.
async function holdWriteLock(file) {
  const sh = spawn('sqlite3', [file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise((resolve) => sh.on('exit', resolve));
  sh.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sqlite3 did not take the lock: ${err}`)), 15_000);
    sh.stdout.on('data', (d) => {
      out += d;
      if (out.includes('locked')) {
        clearTimeout(timer);
        resolve();
      }
    });
    sh.stdin.write('.timeout 10000\nBEGIN IMMEDIATE;\nSELECT \'locked\';\n');
  });
  return {
    async release() {
      sh.stdin.end('COMMIT;\n');
      await exited;
    },
  };
}

test('refused posts are answered while the writer waits for the disk; the accepted one still succeeds', { skip }, async () => {
  // 1 post per 100 s: the hook's one token goes to the accepted post, the next one is throttled.
  srv = await startServer({ args: ['--webhook-rate-limit', '0.01'] });
  const admin = api(srv, srv.adminToken);
  const team = await createTeam(admin, uniqueName('Refusals'));
  const channel = await generalChannel(admin, team.id);
  const hook = await createWebhook(admin, channel.id);
  const offTeam = await createTeam(admin, uniqueName('Connectors off'));
  const offHook = await createWebhook(admin, (await generalChannel(admin, offTeam.id)).id);
  expectStatus(await admin('PATCH', `/api/v1/admin/teams/${offTeam.id}`, { connectorsEnabled: false }), 204);
  const spare = [];
  for (let i = 0; i < 3; i++) spare.push(await createWebhook(admin, channel.id));

  const lock = await holdWriteLock(path.join(srv.dataDir, 'switchboard.db'));
  let accepted;
  let settled = false;
  try {
    accepted = postTo(hook.url, messageCard('stored once the lock is gone'));
    accepted.then(() => { settled = true; }, () => { settled = true; });
    const refusals = [
      ['throttled', () => postTo(hook.url, messageCard('over the limit')), 429],
      ['bad body', () => postTo(spare[0].url, '{"text": '), 400],
      ['no text', () => postTo(spare[1].url, { '@type': 'MessageCard', title: 'no text' }), 400],
      ['too large', () => postTo(spare[2].url, cardOfSize(MAX_PAYLOAD + 1)), 413],
      ['connectors off', () => postTo(offHook.url, messageCard('policy')), 403],
    ];
    for (const [what, send, status] of refusals) {
      const r = await send();
      assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
      assert.equal(settled, false, `${what}: answered only after the writer gave up on the locked database (the refusal waited for the group commit)`);
    }
  } finally {
    await lock.release();
  }
  expectAccepted(await accepted, 'the post made while the database was locked');
  // The refusals are in the delivery log all the same.
  const log = expectStatus(await admin('GET', `/api/v1/connectors/${hook.id}/deliveries`), 200).body.value;
  assert.deepEqual(log.map((d) => d.status), [429, 200], JSON.stringify(log));
  for (const [i, status] of [[0, 400], [1, 400], [2, 413]]) {
    const l = expectStatus(await admin('GET', `/api/v1/connectors/${spare[i].id}/deliveries`), 200).body.value;
    assert.deepEqual(l.map((d) => d.status), [status], JSON.stringify(l));
  }
  const off = expectStatus(await admin('GET', `/api/v1/connectors/${offHook.id}/deliveries`), 200).body.value;
  assert.deepEqual(off.map((d) => d.status), [403], JSON.stringify(off));
});
