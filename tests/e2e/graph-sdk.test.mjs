// The real @microsoft/microsoft-graph-client (v3) against Switchboard.
//
// In v3 the SDK's AuthenticationHandler only adds `Authorization: Bearer <token>` when the
// request URL is https:// and its host is a Graph host or in `customHosts` (see
// lib/src/GraphRequestUtil.js isValidEndpoint: non-https URLs never match). It also only
// parses absolute nextLinks that start with https://. So the main suite runs the server with
// --tls-cert/--tls-key (a self-signed certificate made here with openssl) and drives the SDK
// from a worker process that trusts that certificate via NODE_EXTRA_CA_CERTS.
// (Over plain http the SDK cannot be used with authentication at all: for a non-Graph,
// non-https URL its AuthenticationHandler even deletes an Authorization header passed in
// fetchOptions.)

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

import { startServer, tempDir, uniqueUpn, randomToken, REPO_ROOT } from './lib/server.mjs';
import { expectGuid, uniqueName } from './lib/graph.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

function makeCert(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { cert, key };
}

// The worker process (lib/sdk-worker.mjs) and a promise-based call interface to it.
class SdkWorker {
  constructor(caFile) {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: caFile };
    delete env.NODE_TEST_CONTEXT;
    this.child = spawn(process.execPath, [path.join(HERE, 'lib', 'sdk-worker.mjs')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pending = new Map();
    this.nextId = 1;
    this.stderr = '';
    this.child.stdin.on('error', () => {}); // a dead worker is reported through `exited`
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      let msg;
      try { msg = JSON.parse(line); } catch { return; }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      p.resolve(msg);
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`SDK worker exited (${code}):\n${this.stderr}`));
      this.pending.clear();
      resolve(code);
    }));
  }

  send(op, args = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(JSON.stringify({ id, op, ...args }) + '\n');
    });
  }

  // Resolves with the result; fails with the SDK's error when the call failed.
  async ok(op, args) {
    const msg = await this.send(op, args);
    if (!msg.ok) assert.fail(`SDK ${op} ${args.method || ''} ${args.path || args.url || ''} failed: ${JSON.stringify(msg.error)}`);
    return msg.result;
  }

  // Resolves with the SDK's error; fails if the call succeeded.
  async err(op, args) {
    const msg = await this.send(op, args);
    if (msg.ok) assert.fail(`SDK ${op} ${args.path || ''} should have failed, got ${JSON.stringify(msg.result)}`);
    return msg.error;
  }

  async close() {
    this.child.stdin.end();
    await this.exited;
  }
}

describe('Graph SDK over HTTPS (authProvider + customHosts)', () => {
  let dir;
  let srv;
  let worker;
  let user; // {id, upn, password, token}
  let team;

  before(async () => {
    dir = tempDir('sb-e2e-tls-');
    const { cert, key } = makeCert(dir);
    // The web client is served too: an unknown API path must not get its HTML.
    srv = await startServer({ args: ['--tls-cert', cert, '--tls-key', key, '--web-root', path.join(REPO_ROOT, 'web', 'dist')] });
    worker = new SdkWorker(cert);
    const upn = uniqueUpn('sdk');
    const password = 'Passw0rd-' + randomToken(6);
    const created = await worker.ok('fetch', {
      url: `${srv.url}/v1.0/users`,
      method: 'POST',
      headers: { Authorization: `Bearer ${srv.adminToken}` },
      body: { displayName: 'SDK User', userPrincipalName: upn, passwordProfile: { password } },
    });
    assert.equal(created.status, 201, `create user over https: ${JSON.stringify(created)}`);
    const tok = await worker.ok('fetch', { url: `${srv.url}/api/v1/tokens`, method: 'POST', body: { userPrincipalName: upn, password } });
    assert.equal(tok.status, 201, `token over https: ${JSON.stringify(tok)}`);
    user = { id: created.body.id, upn, password, token: tok.body.token };
    await worker.ok('init', { baseUrl: srv.url + '/', token: user.token, customHosts: [new URL(srv.url).hostname] });
    await worker.ok('init', { name: 'bad', baseUrl: srv.url + '/', token: 'sb_invalid-token', customHosts: [new URL(srv.url).hostname] });
  });

  after(async () => {
    if (worker) await worker.close();
    if (srv) await srv.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the server announces an https:// URL', () => {
    assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('GET /me', async () => {
    const me = await worker.ok('call', { path: '/me' });
    assert.equal(me.id, user.id);
    assert.equal(me.userPrincipalName, user.upn);
    assert.equal(me.displayName, 'SDK User');
  });

  test('POST /teams creates a team', async () => {
    team = await worker.ok('call', { path: '/teams', method: 'post', body: { displayName: uniqueName('SDK team'), description: 'made by the SDK' } });
    expectGuid(team.id);
    assert.equal(team.description, 'made by the SDK');
    assert.equal(team.memberSettings.allowCreateUpdateRemoveConnectors, true);
  });

  test('GET /me/joinedTeams lists it', async () => {
    assert.ok(team, 'needs the team from the previous test');
    const r = await worker.ok('call', { path: '/me/joinedTeams' });
    assert.ok(r.value.some((t) => t.id === team.id));
  });

  test('PATCH /teams/{id} (204) resolves', async () => {
    assert.ok(team, 'needs the team');
    await worker.ok('call', { path: `/teams/${team.id}`, method: 'patch', body: { memberSettings: { allowCreateUpdateRemoveConnectors: false } } });
    const t = await worker.ok('call', { path: `/teams/${team.id}` });
    assert.equal(t.memberSettings.allowCreateUpdateRemoveConnectors, false);
  });

  test('GET /teams/{id}/channels lists General; POST creates a channel', async () => {
    assert.ok(team, 'needs the team');
    const r = await worker.ok('call', { path: `/teams/${team.id}/channels` });
    assert.ok(r.value.some((c) => c.displayName === 'General'));
    const c = await worker.ok('call', { path: `/teams/${team.id}/channels`, method: 'post', body: { displayName: 'SDK channel' } });
    expectGuid(c.id);
    assert.equal(c.membershipType, 'standard');
  });

  test('post messages, list them with top(), iterate all pages with PageIterator', async () => {
    assert.ok(team, 'needs the team');
    const channels = await worker.ok('call', { path: `/teams/${team.id}/channels` });
    const general = channels.value.find((c) => c.displayName === 'General');
    const mpath = `/teams/${team.id}/channels/${general.id}/messages`;
    const posted = [];
    for (let i = 0; i < 5; i++) {
      posted.push(await worker.ok('call', { path: mpath, method: 'post', body: { body: { contentType: 'text', content: `sdk ${i}` } } }));
    }
    for (const m of posted) {
      expectGuid(m.id);
      assert.equal(m.from.user.id, user.id);
      assert.deepEqual(m.channelIdentity, { teamId: team.id, channelId: general.id });
    }
    const newestFirst = posted.map((m) => m.id).reverse();
    const page = await worker.ok('call', { path: mpath, top: 2 });
    assert.deepEqual(page.value.map((m) => m.id), newestFirst.slice(0, 2));
    assert.ok(page['@odata.nextLink'].startsWith(srv.url + '/'), page['@odata.nextLink']);
    const all = await worker.ok('iterate', { path: mpath, top: 2 });
    assert.deepEqual(all.items.map((m) => m.id), newestFirst);
    assert.equal(all.nextLinks.length, 2, `expected 2 nextLinks (pages 2+2+1), got ${JSON.stringify(all.nextLinks)}`);
    assert.equal(all.complete, true);
  });

  test('errors surface as GraphError with the status and the server\'s error code', async () => {
    const e = await worker.err('call', { path: `/teams/${NO_SUCH_ID}` });
    assert.equal(e.statusCode, 404);
    assert.equal(typeof e.code, 'string');
    assert.ok(e.code.length > 0);
    assert.ok(e.message && e.message.length > 0);
  });

  // Contract §7: an unknown path answers 404 in the Graph error shape, so the SDK rejects with
  // a GraphError instead of resolving with the web client's HTML.
  test('an unknown path -> GraphError 404, for every method', async () => {
    for (const [method, body] of [['get'], ['post', { x: 1 }], ['patch', { x: 1 }], ['delete']]) {
      const e = await worker.err('call', { path: '/noSuchResource/x', method, body });
      assert.equal(e.statusCode, 404, `${method}: ${JSON.stringify(e)}`);
      assert.equal(e.code, 'NotFound');
    }
  });

  test('GET by id: a message and a membership, as their lists give them; unknown ids -> GraphError 404', async () => {
    assert.ok(team, 'needs the team');
    const channels = await worker.ok('call', { path: `/teams/${team.id}/channels` });
    const general = channels.value.find((c) => c.displayName === 'General');
    const mpath = `/teams/${team.id}/channels/${general.id}/messages`;
    const posted = await worker.ok('call', { path: mpath, method: 'post', body: { body: { contentType: 'text', content: 'read me by id' } } });
    const one = await worker.ok('call', { path: `${mpath}/${posted.id}` });
    const listed = (await worker.ok('call', { path: mpath, top: 1 })).value[0];
    assert.deepEqual(one, listed);
    const members = await worker.ok('call', { path: `/teams/${team.id}/members` });
    const member = await worker.ok('call', { path: `/teams/${team.id}/members/${members.value[0].id}` });
    assert.deepEqual(member, members.value[0]);
    const got = await worker.ok('call', { path: `/teams/${team.id}` });
    assert.deepEqual(got, { ...team, memberSettings: got.memberSettings }, 'POST and GET give the same team (settings were patched since)');
    for (const p of [`${mpath}/${NO_SUCH_ID}`, `/teams/${team.id}/members/${NO_SUCH_ID}`, `/teams/${team.id}/channels/${NO_SUCH_ID}`, `/users/${NO_SUCH_ID}`, `/appCatalogs/teamsApps/${NO_SUCH_ID}`]) {
      const e = await worker.err('call', { path: p });
      assert.equal(e.statusCode, 404, `${p}: ${JSON.stringify(e)}`);
    }
  });

  test('the conversation under a message: replies, setReaction, PATCH, softDelete and undoSoftDelete resolve (contract §6)', async () => {
    assert.ok(team, 'needs the team');
    const channels = await worker.ok('call', { path: `/teams/${team.id}/channels` });
    const general = channels.value.find((c) => c.displayName === 'General');
    const mpath = `/teams/${team.id}/channels/${general.id}/messages`;
    const m = await worker.ok('call', { path: mpath, method: 'post', body: { body: { contentType: 'text', content: 'a thread through the SDK' } } });
    const r = await worker.ok('call', { path: `${mpath}/${m.id}/replies`, method: 'post', body: { body: { contentType: 'text', content: 'a reply' } } });
    assert.equal(r.replyToId, m.id);
    const replies = await worker.ok('call', { path: `${mpath}/${m.id}/replies` });
    assert.deepEqual(replies.value.map((x) => x.id), [r.id]);
    await worker.ok('call', { path: `${mpath}/${m.id}/setReaction`, method: 'post', body: { reactionType: '👍' } });
    await worker.ok('call', { path: `${mpath}/${m.id}/replies/${r.id}`, method: 'patch', body: { body: { contentType: 'text', content: 'an edited reply' } } });
    await worker.ok('call', { path: `${mpath}/${m.id}/softDelete`, method: 'post' });
    const gone = await worker.ok('call', { path: `${mpath}/${m.id}` });
    assert.ok(gone.deletedDateTime);
    await worker.ok('call', { path: `${mpath}/${m.id}/undoSoftDelete`, method: 'post' });
    const back = await worker.ok('call', { path: `${mpath}/${m.id}` });
    assert.equal(back.deletedDateTime, null);
    assert.deepEqual(back.reactions.map((x) => [x.reactionType, x.user.user.id]), [['👍', user.id]]);
    assert.equal((await worker.ok('call', { path: `${mpath}/${m.id}/replies/${r.id}` })).body.content, 'an edited reply');
    const e = await worker.err('call', { path: `${mpath}/${r.id}/replies`, method: 'post', body: { body: { contentType: 'text', content: 'too deep' } } });
    assert.equal(e.statusCode, 400);
  });

  test('a bad token -> GraphError 401', async () => {
    const e = await worker.err('call', { name: 'bad', path: '/me' });
    assert.equal(e.statusCode, 401);
  });
});
