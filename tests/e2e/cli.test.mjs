// Command line: subcommands, flags, environment, exit codes, first-start admin password.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { startServer, runCli, tempDir, api, getToken, uniqueUpn, LISTENING_RE } from './lib/server.mjs';
import { expectStatus, expectJson, expectGraphError } from './lib/graph.mjs';

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

  test('SWITCHBOARD_DATA works without --data (the database goes there)', async () => {
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
