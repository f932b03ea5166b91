// Command line: subcommands, flags, environment, exit codes, first-start admin password.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

import { startServer, runCli, tempDir, api, getToken, newUser, uniqueUpn, LISTENING_RE, STORE } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectCollection, createTeam, generalChannel, postMessage, messagesPath,
} from './lib/graph.mjs';

// Holds a TCP port on 127.0.0.1 so that the test knows a port that is in use.
function holdPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve({ port: srv.address().port, close: () => new Promise((r) => srv.close(r)) }));
  });
}

function portOf(url) {
  return Number(new URL(url).port);
}

describe('command line', () => {
  let srv;
  const tmp = [];

  before(async () => {
    srv = await startServer();
  });

  after(async () => {
    if (srv) await srv.close();
    for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
  });

  test('`version` prints a version and exits 0', async () => {
    const r = await runCli(['version']);
    assert.equal(r.code, 0, `stderr: ${r.stderr}`);
    assert.ok((r.stdout + r.stderr).trim().length > 0, 'version printed nothing');
    assert.ok(r.stdout.trim().length > 0, `version should print on stdout (stderr was: ${r.stderr})`);
  });

  test('serve with an unknown flag exits 2 and names the flag', async () => {
    const dir = tempDir();
    tmp.push(dir);
    const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--data', dir, '--no-such-flag', 'x']);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr, /no-such-flag/, 'stderr must name the unknown flag');
    assert.ok(!r.stderrLines.some((l) => LISTENING_RE.test(l)), 'must not start listening');
  });

  test('serve --listen bogus exits 2 and names the flag', async () => {
    const dir = tempDir();
    tmp.push(dir);
    const r = await runCli(['serve', '--listen', 'bogus', '--data', dir]);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr, /listen/i, 'stderr must name --listen');
  });

  test('serve --listen with a port out of range exits 2', async () => {
    const dir = tempDir();
    tmp.push(dir);
    const r = await runCli(['serve', '--listen', '127.0.0.1:70000', '--data', dir]);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr, /listen/i);
  });

  test('an unknown subcommand exits 2 and names it', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr, /frobnicate/);
  });

  test('no subcommand at all is a usage error (exit 2)', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.ok(r.stderr.trim().length > 0, 'should print usage on stderr');
  });

  test('the ready line is printed exactly once, with the bound port', async () => {
    const m = srv.stderr.filter((l) => LISTENING_RE.test(l));
    assert.equal(m.length, 1, `listening lines: ${JSON.stringify(m)}`);
    const u = new URL(srv.url);
    assert.equal(u.protocol, 'http:');
    assert.equal(u.hostname, '127.0.0.1');
    assert.ok(portOf(srv.url) > 0, 'real port, not 0');
    const r = await api(srv)('GET', '/healthz');
    expectStatus(r, 200);
  });

  test('SIGTERM stops the server with exit code 0', async () => {
    const s = await startServer();
    try {
      const r = await api(s)('GET', '/healthz');
      expectStatus(r, 200);
      const info = await s.proc.terminate('SIGTERM');
      assert.equal(info.signal, null, `killed by signal ${info.signal}`);
      assert.equal(info.code, 0, s.proc.describe());
    } finally {
      await s.close();
    }
  });

  test('SIGINT stops the server with exit code 0', async () => {
    const s = await startServer();
    try {
      const info = await s.proc.terminate('SIGINT');
      assert.equal(info.signal, null, `killed by signal ${info.signal}`);
      assert.equal(info.code, 0, s.proc.describe());
    } finally {
      await s.close();
    }
  });

  test('SWITCHBOARD_LISTEN works without --listen', async () => {
    const s = await startServer({ listen: null, env: { SWITCHBOARD_LISTEN: '127.0.0.1:0' } });
    try {
      const u = new URL(s.url);
      assert.equal(u.hostname, '127.0.0.1');
      assert.notEqual(portOf(s.url), 8080, 'the environment was ignored (default port used)');
      assert.ok(portOf(s.url) > 0);
      expectStatus(await api(s)('GET', '/healthz'), 200);
    } finally {
      await s.close();
    }
  });

  // It looks for the SQLite file; with SB_STORE=postgres the harness passes --db, so there is none.
  const sqliteOnly = STORE === 'postgres' && 'checks the SQLite file in the data dir; this run uses PostgreSQL (--db)';
  test('SWITCHBOARD_DATA works without --data (the database goes there)', { skip: sqliteOnly }, async () => {
    const dir = tempDir('sb-e2e-envdata-');
    tmp.push(dir);
    const s = await startServer({ passData: false, env: { SWITCHBOARD_DATA: dir } });
    try {
      expectStatus(await api(s)('GET', '/healthz'), 200);
      const files = fs.readdirSync(dir);
      assert.ok(files.includes('switchboard.db'), `expected ${path.join(dir, 'switchboard.db')}, found ${JSON.stringify(files)}`);
      assert.ok(!fs.existsSync(path.join(s.root, 'var')), 'the default ./var was used instead of SWITCHBOARD_DATA');
    } finally {
      await s.close();
    }
  });

  test('an invalid SWITCHBOARD_LISTEN (no flag) is a usage error naming it', async () => {
    const dir = tempDir();
    tmp.push(dir);
    const r = await runCli(['serve', '--data', dir], { env: { SWITCHBOARD_LISTEN: 'bogus' } });
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr, /listen/i);
  });

  test('a flag wins over the environment', async () => {
    const held = await holdPort();
    try {
      // If the environment won, the server would try the held port and fail to bind.
      const s = await startServer({ listen: '127.0.0.1:0', env: { SWITCHBOARD_LISTEN: `127.0.0.1:${held.port}` } });
      try {
        assert.notEqual(portOf(s.url), held.port);
        expectStatus(await api(s)('GET', '/healthz'), 200);
      } finally {
        await s.close();
      }
    } finally {
      await held.close();
    }
  });

  test('a flag wins over an invalid environment value', async () => {
    const s = await startServer({ listen: '127.0.0.1:0', env: { SWITCHBOARD_LISTEN: 'bogus' } });
    try {
      expectStatus(await api(s)('GET', '/healthz'), 200);
    } finally {
      await s.close();
    }
  });

  test('a port already in use is a runtime failure: exit 1 with a message', async () => {
    const held = await holdPort();
    const dir = tempDir();
    tmp.push(dir);
    try {
      const r = await runCli(['serve', '--listen', `127.0.0.1:${held.port}`, '--data', dir]);
      assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
      assert.ok(r.stderr.trim().length > 0, 'needs a clear message on stderr');
      assert.ok(!r.stderrLines.some((l) => LISTENING_RE.test(l)), 'must not claim to be listening');
    } finally {
      await held.close();
    }
  });

  test('SIGTERM lets an in-flight request finish, then exits 0; its data is kept', async () => {
    const s = await startServer();
    try {
      const u = await newUser(s, 'inflight');
      const team = await createTeam(u.api);
      const general = await generalChannel(u.api, team.id);
      const body = JSON.stringify({ body: { contentType: 'text', content: 'sent during shutdown' } });
      // Expect: 100-continue makes the request observably in flight: the server has read and
      // accepted the headers when it answers "100 Continue". Only then SIGTERM, then the body.
      const res = await new Promise((resolve, reject) => {
        const req = http.request(new URL(s.url + messagesPath(team.id, general.id)), {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${u.token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            Expect: '100-continue',
          },
        });
        req.on('continue', () => {
          s.proc.child.kill('SIGTERM');
          req.end(body);
        });
        req.on('response', (r) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (d) => { text += d; });
          r.on('end', () => resolve({ status: r.statusCode, text }));
        });
        req.on('error', reject);
        req.flushHeaders();
      });
      assert.equal(res.status, 201, `in-flight request: ${res.status} ${res.text}`);
      const id = JSON.parse(res.text).id;
      const info = await s.proc.waitExit();
      assert.equal(info.code, 0, s.proc.describe());
      await s.restart();
      const value = expectCollection(await u.api('GET', messagesPath(team.id, general.id)));
      assert.ok(value.some((m) => m.id === id), 'the message acknowledged during shutdown is missing');
    } finally {
      await s.close();
    }
  });

  test('--public-url is the base of the URLs the server hands out', async () => {
    const s = await startServer({ args: ['--public-url', 'https://switchboard.example.test/'] });
    try {
      assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the ready line still names the bound address');
      const u = await newUser(s, 'publicurl');
      const t = await u.api('POST', '/v1.0/teams', { displayName: 'Public URL' });
      expectStatus(t, 201);
      const loc = t.headers.get('location');
      assert.ok(loc && loc.includes(t.body.id), `Location: ${loc}`);
      if (/^https?:\/\//.test(loc)) assert.ok(loc.startsWith('https://switchboard.example.test/'), `Location: ${loc}`);
      const general = await generalChannel(u.api, t.body.id);
      await postMessage(u.api, t.body.id, general.id, 'one');
      await postMessage(u.api, t.body.id, general.id, 'two');
      const page = await u.api('GET', `${messagesPath(t.body.id, general.id)}?$top=1`);
      expectStatus(page, 200);
      const next = page.body['@odata.nextLink'];
      assert.ok(next && next.startsWith('https://switchboard.example.test/v1.0/'), `nextLink: ${next}`);
    } finally {
      await s.close();
    }
  });

  test('--public-url wins over SWITCHBOARD_PUBLIC_URL', async () => {
    const s = await startServer({
      args: ['--public-url', 'https://flag.example.test'],
      env: { SWITCHBOARD_PUBLIC_URL: 'https://env.example.test' },
    });
    try {
      const u = await newUser(s, 'flagwins');
      const t = await createTeam(u.api);
      const general = await generalChannel(u.api, t.id);
      await postMessage(u.api, t.id, general.id, 'one');
      await postMessage(u.api, t.id, general.id, 'two');
      const page = await u.api('GET', `${messagesPath(t.id, general.id)}?$top=1`);
      const next = page.body['@odata.nextLink'];
      assert.ok(next && next.startsWith('https://flag.example.test/'), `nextLink: ${next}`);
    } finally {
      await s.close();
    }
  });

  test('SWITCHBOARD_PUBLIC_URL alone is used', async () => {
    const s = await startServer({ env: { SWITCHBOARD_PUBLIC_URL: 'https://env.example.test' } });
    try {
      const u = await newUser(s, 'envurl');
      const t = await createTeam(u.api);
      const general = await generalChannel(u.api, t.id);
      await postMessage(u.api, t.id, general.id, 'one');
      await postMessage(u.api, t.id, general.id, 'two');
      const page = await u.api('GET', `${messagesPath(t.id, general.id)}?$top=1`);
      const next = page.body['@odata.nextLink'];
      assert.ok(next && next.startsWith('https://env.example.test/'), `nextLink: ${next}`);
    } finally {
      await s.close();
    }
  });

  test('--public-url that is not http(s) exits 2 naming the flag', async () => {
    const dir = tempDir();
    tmp.push(dir);
    const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--data', dir, '--public-url', 'ftp://example.test']);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr, /public-url/);
  });

  test('--db sqlite:FILE puts the database there', async () => {
    const dir = tempDir('sb-e2e-db-');
    tmp.push(dir);
    const file = path.join(dir, 'custom.db');
    const s = await startServer({ args: ['--db', `sqlite:${file}`] });
    try {
      expectStatus(await api(s)('GET', '/healthz'), 200);
      assert.ok(fs.existsSync(file), `${file} was not created`);
      assert.ok(!fs.existsSync(path.join(s.dataDir, 'switchboard.db')), 'the default database was created instead');
    } finally {
      await s.close();
    }
  });

  test('a data dir that cannot be created is a runtime failure: exit 1 with a message', async () => {
    const dir = tempDir();
    tmp.push(dir);
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'not a directory');
    const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--data', path.join(file, 'data')]);
    assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
    assert.ok(r.stderr.trim().length > 0, 'needs a clear message on stderr');
    assert.ok(!r.stderrLines.some((l) => LISTENING_RE.test(l)), 'must not claim to be listening');
  });

  describe('first start without SWITCHBOARD_ADMIN_TOKEN', () => {
    let s;
    let password;

    before(async () => {
      s = await startServer({ adminToken: null });
    });

    after(async () => {
      if (s) await s.close();
    });

    test('prints a one-time password for user admin on stderr', async () => {
      const m = await s.proc.waitForLine(/password: (\S+)/, { what: 'the admin password line' });
      password = m[1];
      assert.ok(password.length >= 8, `password too short: ${password}`);
      const line = s.stderr.find((l) => /password: \S+/.test(l));
      assert.match(line, /admin/, `the password line should say it is for user admin: ${line}`);
      assert.equal(s.stderr.filter((l) => /password: \S+/.test(l)).length, 1, 'printed once');
    });

    test('that password gets a token for admin, and the token is a global admin', async () => {
      assert.ok(password, 'no password from the previous test');
      const r = await api(s)('POST', '/api/v1/tokens', { userPrincipalName: 'admin', password });
      expectStatus(r, 201);
      const tok = expectJson(r).token;
      assert.equal(typeof tok, 'string');
      const me = await api(s, tok)('GET', '/v1.0/me');
      expectStatus(me, 200);
      assert.equal(me.body.userPrincipalName, 'admin');
      const upn = uniqueUpn('bootstrap');
      const created = await api(s, tok)('POST', '/v1.0/users', {
        displayName: 'Bootstrapped',
        userPrincipalName: upn,
        passwordProfile: { password: 'Passw0rd-bootstrap' },
      });
      expectStatus(created, 201);
    });

    test('a wrong admin password is refused', async () => {
      const r = await api(s)('POST', '/api/v1/tokens', { userPrincipalName: 'admin', password: 'not-the-password' });
      expectGraphError(r, 401);
    });

    test('a second start on the same data dir prints no new password; the old one still works', async () => {
      assert.ok(password, 'no password from the first test');
      await s.stop();
      await s.restart();
      expectStatus(await api(s)('GET', '/healthz'), 200);
      const tok = await getToken(s, 'admin', password);
      expectStatus(await api(s, tok)('GET', '/v1.0/me'), 200);
      // Stop, so that the whole stderr of the second run is in.
      await s.stop();
      const lines = s.runs[1].stderrLines;
      assert.ok(!lines.some((l) => /password:/i.test(l)), `second start printed a password:\n${lines.join('\n')}`);
      await s.restart();
    });
  });
});
