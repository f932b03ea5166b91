// A refused webhook post (bad body, too large, throttled, connectors turned off) is answered
// without waiting for the group commit's disk sync (issue 16, item 11): its delivery-log entry
// is written asynchronously. Shown with the writer held up: another connection holds the lock
// an accepted post's write needs (SQLite: the database's write lock, with the sqlite3 shell;
// PostgreSQL: an EXCLUSIVE lock on messages, with psql), so that post stays pending, while every
// refusal is answered; the accepted post still succeeds once the lock is released, and the log
// lists the refusals.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

import { startServer, api, STORE } from './lib/server.mjs';
import { PG_BIN } from './lib/postgres.mjs';
import { expectStatus, createTeam, generalChannel, uniqueName } from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, messageCard, cardOfSize, MAX_PAYLOAD } from './lib/webhooks.mjs';

let srv;

after(async () => {
  if (srv) await srv.close();
});

// Another connection holding the lock until release() is called.
async function holdWriteLock(server) {
  const sh = STORE === 'postgres'
    ? spawn(path.join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', server.dbUrl], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('sqlite3', [path.join(server.dataDir, 'switchboard.db')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const take = STORE === 'postgres'
    ? 'BEGIN;\nLOCK TABLE messages IN EXCLUSIVE MODE;\nSELECT \'locked\';\n'
    : '.timeout 10000\nBEGIN IMMEDIATE;\nSELECT \'locked\';\n';
  let out = '';
  let err = '';
  const exited = new Promise((resolve) => sh.on('exit', resolve));
  sh.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${sh.spawnfile} did not take the lock: ${err}`)), 15_000);
    sh.stdout.on('data', (d) => {
      out += d;
      if (out.includes('locked')) {
        clearTimeout(timer);
        resolve();
      }
    });
    sh.stdin.write(take);
  });
  return {
    async release() {
      sh.stdin.end('COMMIT;\n');
      await exited;
    },
  };
}

test('refused posts are answered while the writer waits; the accepted one still succeeds', async () => {
  // 1 post per 1000 s: a hook's first post is accepted, its next one throttled.
  srv = await startServer({ args: ['--webhook-rate-limit', '0.001'] });
  const admin = api(srv, srv.adminToken);
  const team = await createTeam(admin, uniqueName('Refusals'));
  const channel = await generalChannel(admin, team.id);
  const hook = await createWebhook(admin, channel.id);
  const offTeam = await createTeam(admin, uniqueName('Connectors off'));
  const offHook = await createWebhook(admin, (await generalChannel(admin, offTeam.id)).id);
  expectStatus(await admin('PATCH', `/api/v1/admin/teams/${offTeam.id}`, { connectorsEnabled: false }), 204);
  const spare = [];
  for (let i = 0; i < 3; i++) spare.push(await createWebhook(admin, channel.id));
  // Its one post goes before the lock, so the throttled post cannot overtake it.
  const throttled = await createWebhook(admin, channel.id);
  expectAccepted(await postTo(throttled.url, messageCard('the one post allowed')), 'the post before the lock');

  const lock = await holdWriteLock(srv);
  let accepted;
  let settled = false;
  try {
    accepted = postTo(hook.url, messageCard('stored once the lock is gone'));
    accepted.then(() => { settled = true; }, () => { settled = true; });
    const refusals = [
      ['throttled', () => postTo(throttled.url, messageCard('over the limit')), 429],
      ['bad body', () => postTo(spare[0].url, '{"text": '), 400],
      ['no text', () => postTo(spare[1].url, { '@type': 'MessageCard', title: 'no text' }), 400],
      ['too large', () => postTo(spare[2].url, cardOfSize(MAX_PAYLOAD + 1)), 413],
      ['connectors off', () => postTo(offHook.url, messageCard('policy')), 403],
    ];
    for (const [what, send, status] of refusals) {
      const r = await send();
      assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
      assert.equal(settled, false, `${what}: answered only after the accepted post (the refusal waited for the group commit)`);
    }
  } finally {
    await lock.release();
  }
  expectAccepted(await accepted, 'the post made while the database was locked');
  // The refusals are in the delivery log all the same.
  const log = expectStatus(await admin('GET', `/api/v1/connectors/${hook.id}/deliveries`), 200).body.value;
  assert.deepEqual(log.map((d) => d.status), [200], JSON.stringify(log));
  const tlog = expectStatus(await admin('GET', `/api/v1/connectors/${throttled.id}/deliveries`), 200).body.value;
  assert.deepEqual(tlog.map((d) => d.status), [429, 200], JSON.stringify(tlog));
  for (const [i, status] of [[0, 400], [1, 400], [2, 413]]) {
    const l = expectStatus(await admin('GET', `/api/v1/connectors/${spare[i].id}/deliveries`), 200).body.value;
    assert.deepEqual(l.map((d) => d.status), [status], JSON.stringify(l));
  }
  const off = expectStatus(await admin('GET', `/api/v1/connectors/${offHook.id}/deliveries`), 200).body.value;
  assert.deepEqual(off.map((d) => d.status), [403], JSON.stringify(off));
});
