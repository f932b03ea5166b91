// Operating the server (issue 22) beyond the contract's rows (contract-operating.test.mjs):
// the --config file's refusals (exit 2 naming the line, never the value), secrets that are no
// flags, SIGHUP applying a new rate limit (and a broken file changing nothing), /metrics from
// another address (404 without the token), and the web client's negotiation (304, q=0, Vary).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer, runCli, tempDir, REPO_ROOT } from './lib/server.mjs';
import { expectStatus, expectGraphError, createTeam, generalChannel, addMember, postMessage } from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, expectRefused, messageCard } from './lib/webhooks.mjs';
import { newUser, api } from './lib/server.mjs';

const WEB_ROOT = path.join(REPO_ROOT, 'web', 'dist');
const dirs = [];
function dir() {
  const d = tempDir('sb-e2e-operating-');
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

// `serve --config FILE` with FILE's text: {code, stderr, dataMade}.
async function serveWith(text, extra = []) {
  const d = dir();
  const file = path.join(d, 'switchboard.conf');
  fs.writeFileSync(file, text);
  const data = path.join(d, 'data');
  const r = await runCli(['serve', '--config', file, '--listen', '127.0.0.1:0', '--data', data, ...extra]);
  return { ...r, dataMade: fs.existsSync(data) };
}

test('a malformed --config line exits 2 naming the file and line, not its value, and starts nothing', async () => {
  for (const [text, line] of [
    ['# ok\n\nSWITCHBOARD_MAX_PAYLOAD 3000\n', 3],
    ['SWITCHBOARD_THREADS=2\nSWITCHBOARD_NO_SUCH_SETTING=1\n', 2],
    ['MAX_PAYLOAD=3000\n', 1],
    ['SWITCHBOARD_OIDC_CLIENT_SECRET "hunter2-secret\n', 1],
    ['SWITCHBOARD_OIDC_CLIENT_SECRET="hunter2-secret\n', 1],
    ['SWITCHBOARD_THREADS=two\n', 1],
  ]) {
    const r = await serveWith(text);
    assert.equal(r.code, 2, `${JSON.stringify(text)}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`switchboard\\.conf line ${line}\\b`), r.stderr);
    assert.doesNotMatch(r.stderr, /hunter2/);
    assert.doesNotMatch(r.stderr, /listening on/);
    assert.equal(r.dataMade, false, 'no data directory was created');
  }
});

test('--config of a missing file exits 2; the admin token is not a command-line flag', async () => {
  const missing = await runCli(['serve', '--config', path.join(dir(), 'nope.conf'), '--listen', '127.0.0.1:0']);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /nope\.conf/);
  const flag = await runCli(['serve', '--admin-token', 'x'.repeat(32), '--listen', '127.0.0.1:0']);
  assert.equal(flag.code, 2, flag.stderr);
  assert.match(flag.stderr, /unknown flag --admin-token/);
});

test('quoted values and comments as EnvironmentFile= reads them; the file wins over the environment', async () => {
  const d = dir();
  const file = path.join(d, 'switchboard.conf');
  fs.writeFileSync(file, '; a comment\n  # another\nSWITCHBOARD_MAX_PAYLOAD="3000"\n');
  const s = await startServer({ args: ['--config', file], env: { SWITCHBOARD_MAX_PAYLOAD: '2000' } });
  try {
    const u = await newUser(s, 'quoted');
    const t = await createTeam(u.api);
    const hook = await createWebhook(u.api, (await generalChannel(u.api, t.id)).id);
    const card = (n) => {
      const c = messageCard('x', { text: '' });
      c.text = 'a'.repeat(n - Buffer.byteLength(JSON.stringify(c)));
      return c;
    };
    expectAccepted(await postTo(hook.url, card(2500)));
    expectRefused(await postTo(hook.url, card(3001)), 413);
  } finally {
    await s.close();
  }
});

test('SIGHUP applies a new webhook rate limit from the --config file; a broken file changes nothing', async () => {
  const d = dir();
  const file = path.join(d, 'switchboard.conf');
  fs.writeFileSync(file, 'SWITCHBOARD_WEBHOOK_RATE_LIMIT=0\n');
  const s = await startServer({ args: ['--config', file] });
  try {
    const u = await newUser(s, 'hup');
    const t = await createTeam(u.api);
    const hook = await createWebhook(u.api, (await generalChannel(u.api, t.id)).id);
    for (let i = 0; i < 5; i++) expectAccepted(await postTo(hook.url, messageCard(`free ${i}`)));

    // One post per 100 s: the first goes through, the next is refused.
    fs.writeFileSync(file, 'SWITCHBOARD_WEBHOOK_RATE_LIMIT=0.01\n');
    process.kill(s.pid, 'SIGHUP');
    await s.proc.waitForLine(/reloaded the settings: webhook rate limit 0\.01\/s/);
    expectAccepted(await postTo(hook.url, messageCard('first')));
    const refused = await postTo(hook.url, messageCard('second'));
    assert.equal(refused.status, 429, refused.text);

    fs.writeFileSync(file, 'SWITCHBOARD_WEBHOOK_RATE_LIMIT=fast\n');
    process.kill(s.pid, 'SIGHUP');
    await s.proc.waitForLine(/reload: .*line 1.*keeping the running settings/);
    assert.ok(s.running, 'still running after a broken file');
    assert.equal((await postTo(hook.url, messageCard('third'))).status, 429, 'the limit is unchanged');
  } finally {
    await s.close();
  }
});

// A non-loopback IPv4 address of this machine, or null.
function outsideAddress() {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list || []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

test('GET /metrics from another address: 404 without the token or with a wrong one, 200 with it', async (t) => {
  const ip = outsideAddress();
  if (!ip) return t.skip('this machine has no non-loopback IPv4 address');
  const token = 'metrics-token-0123456789abcdef';
  const s = await startServer({ listen: '0.0.0.0:0', args: ['--metrics-token', token] });
  try {
    const url = s.url.replace('0.0.0.0', ip) + '/metrics';
    for (const headers of [{}, { Authorization: 'Bearer wrong-token-0123456789abcdef' }, { Authorization: `Basic ${token}` }, { Authorization: `Bearer ${token}x` }]) {
      const r = await fetch(url, { headers });
      const text = await r.text();
      assert.equal(r.status, 404, JSON.stringify(headers));
      assert.doesNotMatch(text, /switchboard_/);
      assert.equal(JSON.parse(text).error.code, 'NotFound');
    }
    const r = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /^switchboard_uptime_seconds \d+$/m);
  } finally {
    await s.close();
  }
});

test('web client: 304 for the HTML\'s ETag, q=0 refuses a coding, Vary on compressible files, short cache on unhashed names', async () => {
  const s = await startServer({ args: ['--web-root', WEB_ROOT] });
  try {
    const plain = await fetch(s.url + '/', { headers: { 'Accept-Encoding': 'identity' } });
    const etag = plain.headers.get('etag');
    const html = await plain.text();
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.match(plain.headers.get('cache-control'), /no-cache/);
    assert.match(plain.headers.get('vary') || '', /Accept-Encoding/);
    const same = await fetch(s.url + '/', { headers: { 'Accept-Encoding': 'identity', 'If-None-Match': etag } });
    assert.equal(same.status, 304);
    assert.equal((await same.arrayBuffer()).byteLength, 0);
    const other = await fetch(s.url + '/', { headers: { 'Accept-Encoding': 'identity', 'If-None-Match': '"0000000000000000"' } });
    assert.equal(other.status, 200);
    assert.equal(await other.text(), html);
    // A client route falls back to the same HTML with the same validator.
    const route = await fetch(s.url + '/teams/x/channels/y', { headers: { 'Accept-Encoding': 'identity', 'If-None-Match': etag } });
    assert.equal(route.status, 304);

    const script = html.match(/src="(\/app\.[0-9a-f]{16}\.js)"/)[1];
    const refused = await fetch(s.url + script, { headers: { 'Accept-Encoding': 'br;q=0, gzip;q=0.0' } });
    assert.equal(refused.headers.get('content-encoding'), null);
    const br = await fetch(s.url + script, { headers: { 'Accept-Encoding': 'gzip;q=0.5, br' } });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.notEqual(br.headers.get('etag'), refused.headers.get('etag'), 'each encoding has its own ETag');
    const unhashed = await fetch(s.url + '/app.js');
    assert.match(unhashed.headers.get('cache-control'), /max-age=300/);
    assert.doesNotMatch(unhashed.headers.get('cache-control'), /immutable/);
  } finally {
    await s.close();
  }
});

test('GET /api/v1/bootstrap answers me, joined teams with their channels and channel states, as the separate calls do', async () => {
  const s = await startServer();
  try {
    const a = await newUser(s, 'boot-a');
    const b = await newUser(s, 'boot-b');
    const shared = await createTeam(a.api);
    const own = await createTeam(b.api);
    const me = expectStatus(await b.api('GET', '/v1.0/me'), 200).body;
    await addMember(a.api, shared.id, me.id);
    const general = await generalChannel(a.api, shared.id);
    await postMessage(a.api, shared.id, general.id, 'unread for b');
    expectStatus(await a.api('POST', `/v1.0/teams/${shared.id}/channels`, { displayName: 'second' }), 201);

    const boot = expectStatus(await b.api('GET', '/api/v1/bootstrap'), 200).body;
    assert.deepEqual(boot.me, me);
    const joined = expectStatus(await b.api('GET', '/v1.0/me/joinedTeams'), 200).body.value;
    assert.deepEqual(boot.teams.map(({ channels, ...t }) => t), joined);
    assert.deepEqual(new Set(boot.teams.map((t) => t.id)), new Set([shared.id, own.id]));
    for (const t of boot.teams) {
      const chans = expectStatus(await b.api('GET', `/v1.0/teams/${t.id}/channels`), 200).body.value;
      assert.deepEqual(t.channels, chans);
    }
    assert.equal(boot.teams.find((t) => t.id === shared.id).channels.length, 2);
    const states = expectStatus(await b.api('GET', '/api/v1/me/channelStates'), 200).body.value;
    assert.deepEqual(boot.channelStates, states);
    assert.equal(boot.channelStates.find((x) => x.channelId === general.id).unreadCount, 1);

    // Someone else's view holds nothing of b's team; no caller, no answer.
    const other = expectStatus(await a.api('GET', '/api/v1/bootstrap'), 200).body;
    assert.ok(!other.teams.some((t) => t.id === own.id));
    expectGraphError(await api(s)('GET', '/api/v1/bootstrap'), 401);
  } finally {
    await s.close();
  }
});

test('answers given before a body would be read keep the connection: web files, 401, 404 on one socket', async () => {
  const http = await import('node:http');
  const s = await startServer({ args: ['--web-root', WEB_ROOT] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const get = (p) => new Promise((resolve, reject) => {
      const req = http.get(s.url + p, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket, connection: res.headers.connection }));
      });
      req.on('error', reject);
    });
    const seen = [];
    for (const p of ['/', '/app.js', '/v1.0/me', '/api/nothing', '/index.html']) seen.push({ p, ...(await get(p)) });
    assert.deepEqual(seen.map((x) => x.status), [200, 200, 401, 404, 200]);
    assert.deepEqual(seen.map((x) => x.reused), [false, true, true, true, true], JSON.stringify(seen));
    assert.ok(seen.every((x) => x.connection !== 'close'), JSON.stringify(seen));
  } finally {
    agent.destroy();
    await s.close();
  }
});
