// Contract conformance, §1 Command line: subcommands, defaults, the ready line (http and https),
// the environment and flag precedence, the admin token bootstrap and the first-start password,
// the cmdlet forms of `switchboard admin`, signals and exit codes, and the limits flags.
// One test per rule of the section, named "§1 <rule>". Helpers: lib/contract.mjs.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';

import { startServer, api, runCli, newUser, getToken, tempDir, LISTENING_RE, STORE, REPO_ROOT } from './lib/server.mjs';
import { expectStatus, expectJson, expectCollection } from './lib/graph.mjs';
import {
  teamFixture, createWebhook, postTo, expectAccepted, expectRefused, cardOfSize, messageCard, MAX_PAYLOAD, TEAMS_413, TEAMS_429,
} from './lib/webhooks.mjs';
import { spawnServe, makeCert, until } from './lib/contract.mjs';

const dirs = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function dir() {
  const d = tempDir('sb-e2e-contract-');
  dirs.push(d);
  return d;
}

// One server for the rules that only read or that change nothing another test depends on.
let srv;
let admin;
before(async () => {
  srv = await startServer();
  admin = api(srv, srv.adminToken);
});
after(async () => {
  await srv?.close();
});

describe('§1 subcommands and defaults', () => {
  test('§1 switchboard version -> exit 0 and a version on stdout', async () => {
    const r = await runCli(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\d+\.\d+/, `a version number: ${r.stdout}`);
  });

  test('§1 make builds the binary at build/switchboard', () => {
    // The suite runs $SB_BIN; the Makefile must have the contract's target, and `make` has made it.
    const q = spawnSync('make', ['--no-print-directory', '-q', 'build/switchboard'], { cwd: REPO_ROOT, stdio: 'ignore' });
    assert.notEqual(q.status, 2, 'the Makefile has no rule for build/switchboard');
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'build', 'switchboard')), 'build/switchboard');
  });

  test('§1 --listen 127.0.0.1:0: exactly one line "listening on http://HOST:PORT" on stderr, with the real port', async () => {
    const lines = srv.stderr.filter((l) => LISTENING_RE.test(l));
    assert.equal(lines.length, 1, srv.stderr.join('\n'));
    const m = lines[0].match(/^listening on http:\/\/127\.0\.0\.1:(\d+)$/);
    assert.ok(m, `exactly "listening on http://HOST:PORT": ${lines[0]}`);
    assert.notEqual(m[1], '0');
    expectStatus(await api(`http://127.0.0.1:${m[1]}`)('GET', '/healthz'), 200);
  });

  test('§1 default --listen 127.0.0.1:8080 (ready there, or exit 1 naming it when the port is taken)', async () => {
    const d = dir();
    const { proc, url } = await spawnServe(['--data', path.join(d, 'data')], { cwd: d });
    try {
      if (url) assert.equal(url, 'http://127.0.0.1:8080');
      else {
        assert.equal(proc.exitInfo.code, 1, proc.describe());
        assert.match(proc.stderrLines.join('\n'), /8080/, proc.describe());
      }
    } finally {
      await proc.terminate();
    }
  });

  test('§1 default --data ./var and --db sqlite:<data>/switchboard.db', async () => {
    const d = dir();
    const { proc, url } = await spawnServe(['--listen', '127.0.0.1:0'], { cwd: d });
    try {
      assert.ok(url, proc.describe());
      assert.ok(fs.existsSync(path.join(d, 'var', 'switchboard.db')), `no ./var/switchboard.db in ${d}`);
    } finally {
      const info = await proc.terminate();
      assert.equal(info.code, 0, proc.describe());
    }
  });

  test('§1 default --public-url http://<listen> with the port actually bound: the base of every URL handed out', async () => {
    const fx = await teamFixture(srv);
    const hook = await createWebhook(fx.owner.api, fx.channel.id);
    assert.ok(hook.url.startsWith(srv.url + '/webhookb2/'), `${hook.url} should start with ${srv.url}`);
    assert.ok(hook.workflowUrl.startsWith(srv.url + '/workflows/'), hook.workflowUrl);
  });

  test('§1 --public-url URL is the base of every URL the server hands out', async () => {
    const s = await startServer({ args: ['--public-url', 'https://switchboard.example.test'] });
    try {
      const fx = await teamFixture(s);
      const hook = await createWebhook(fx.owner.api, fx.channel.id);
      assert.ok(hook.url.startsWith('https://switchboard.example.test/webhookb2/'), hook.url);
      assert.ok(hook.workflowUrl.startsWith('https://switchboard.example.test/workflows/'), hook.workflowUrl);
    } finally {
      await s.close();
    }
  });

  test('§1 --db postgres://user:pass@host:port/dbname selects PostgreSQL (nothing in the data dir\'s SQLite file)', { skip: STORE !== 'postgres' && 'needs SB_STORE=postgres' }, async () => {
    // Under SB_STORE=postgres the harness passes --db postgres://...; data goes there.
    const u = await newUser(srv, 'pg');
    expectStatus(await u.api('GET', '/v1.0/me'), 200);
    assert.ok(!fs.existsSync(path.join(srv.dataDir, 'switchboard.db')), 'a SQLite database was created next to PostgreSQL');
  });
});

describe('§1 TLS', () => {
  test('§1 --tls-cert FILE --tls-key FILE: HTTPS, and the ready line says https://HOST:PORT', async () => {
    const d = dir();
    const { cert, key } = makeCert(d);
    const s = await startServer({ args: ['--tls-cert', cert, '--tls-key', key] });
    try {
      const line = s.stderr.filter((l) => LISTENING_RE.test(l));
      assert.equal(line.length, 1, s.stderr.join('\n'));
      assert.match(line[0], /^listening on https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise((resolve, reject) => {
        https.get(s.url + '/healthz', { ca: fs.readFileSync(cert) }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
      });
      assert.equal(status, 200);
    } finally {
      await s.close();
    }
  });

  test('§1 without --tls-cert/--tls-key: plain HTTP', async () => {
    assert.match(srv.url, /^http:\/\//);
    expectStatus(await api(srv)('GET', '/healthz'), 200);
  });
});

describe('§1 environment and precedence', () => {
  test('§1 every flag from SWITCHBOARD_<FLAG> (upper case, dashes as underscores): SWITCHBOARD_MAX_PAYLOAD, SWITCHBOARD_PUBLIC_URL', async () => {
    const s = await startServer({ env: { SWITCHBOARD_MAX_PAYLOAD: '2000', SWITCHBOARD_PUBLIC_URL: 'https://env.example.test' } });
    try {
      const fx = await teamFixture(s);
      const hook = await createWebhook(fx.owner.api, fx.channel.id);
      assert.ok(hook.url.startsWith('https://env.example.test/'), hook.url);
      const local = s.url + new URL(hook.url).pathname;
      expectAccepted(await postTo(local, cardOfSize(2000)));
      expectRefused(await postTo(local, cardOfSize(2001)), 413, TEAMS_413);
    } finally {
      await s.close();
    }
  });

  test('§1 SWITCHBOARD_WEBHOOK_RATE_LIMIT=0 means no limit', async () => {
    const s = await startServer({ env: { SWITCHBOARD_WEBHOOK_RATE_LIMIT: '0' } });
    try {
      const fx = await teamFixture(s);
      const hook = await createWebhook(fx.owner.api, fx.channel.id);
      const all = await Promise.all(Array.from({ length: 20 }, (_, i) => postTo(hook.url, messageCard(`burst ${i}`))));
      for (const r of all) expectAccepted(r);
    } finally {
      await s.close();
    }
  });

  test('§1 a flag wins over the environment (--max-payload over SWITCHBOARD_MAX_PAYLOAD)', async () => {
    const s = await startServer({ env: { SWITCHBOARD_MAX_PAYLOAD: '2000' }, args: ['--max-payload', '3000'] });
    try {
      const fx = await teamFixture(s);
      const hook = await createWebhook(fx.owner.api, fx.channel.id);
      expectAccepted(await postTo(hook.url, cardOfSize(2500)));
      expectRefused(await postTo(hook.url, cardOfSize(3001)), 413, TEAMS_413);
    } finally {
      await s.close();
    }
  });
});

describe('§1 limits flags', () => {
  test('§1 --max-payload default 28 KB, as Teams: 28672 bytes accepted, 28673 refused with 413', async () => {
    const fx = await teamFixture(srv);
    const hook = await createWebhook(fx.owner.api, fx.channel.id);
    expectAccepted(await postTo(hook.url, cardOfSize(MAX_PAYLOAD)));
    expectRefused(await postTo(hook.url, cardOfSize(MAX_PAYLOAD + 1)), 413, TEAMS_413);
  });

  test('§1 --webhook-rate-limit N: posts over N per second per webhook get 429 + Retry-After', async () => {
    const s = await startServer({ args: ['--webhook-rate-limit', '1'] });
    try {
      const fx = await teamFixture(s);
      const hook = await createWebhook(fx.owner.api, fx.channel.id);
      const other = await createWebhook(fx.owner.api, fx.channel.id);
      const all = await Promise.all(Array.from({ length: 6 }, (_, i) => postTo(hook.url, messageCard(`rl ${i}`))));
      const throttled = all.filter((r) => r.status === 429);
      assert.ok(throttled.length > 0, `6 concurrent posts at 1/s: ${all.map((r) => r.status)}`);
      for (const r of throttled) {
        expectRefused(r, 429, TEAMS_429);
        assert.match(r.headers.get('retry-after') || '', /^\d+$/, 'Retry-After in seconds');
      }
      expectAccepted(await postTo(other.url, messageCard('other webhook')), 'the limit is per webhook');
    } finally {
      await s.close();
    }
  });
});

describe('§1 administrator bootstrap', () => {
  test('§1 SWITCHBOARD_ADMIN_TOKEN authenticates as a global administrator', async () => {
    const r = expectStatus(await admin('GET', '/api/v1/admin/organization'), 200);
    expectJson(r);
    const me = expectStatus(await admin('GET', '/v1.0/me'), 200);
    assert.equal(typeof me.body.id, 'string');
  });

  test('§1 without it, the first start of an empty database creates user admin and prints a one-time password (once)', async () => {
    const s = await startServer({ adminToken: null });
    try {
      const m = await s.proc.waitForLine(/password: (\S+)/, { what: 'the one-time password' });
      const token = await getToken(s, 'admin', m[1]);
      expectStatus(await api(s, token)('GET', '/api/v1/admin/organization'), 200);
      await s.restart();
      assert.ok(!s.stderr.some((l) => /password: \S+/.test(l)), `second start printed a password:\n${s.stderr.join('\n')}`);
    } finally {
      await s.close();
    }
  });
});

describe('§1 switchboard admin cmdlets', () => {
  const cli = (...args) => runCli(['admin', '--data', srv.dataDir, ...args]);
  let fx;
  let hook;
  before(async () => {
    fx = await teamFixture(srv, 'cmdlets');
    hook = await createWebhook(fx.owner.api, fx.channel.id);
  });

  test('§1 Get-OrganizationConfig prints the connector settings, one "Name : Value" per line', async () => {
    const r = await cli('Get-OrganizationConfig');
    assert.equal(r.code, 0, r.stderr);
    for (const name of ['ConnectorsEnabled', 'ConnectorsEnabledForTeams', 'ConnectorsActionableMessagesEnabled']) {
      assert.ok(r.stdout.split('\n').some((l) => new RegExp(`^${name}\\s*:\\s*(True|False)$`).test(l)), `${name} : Value\n${r.stdout}`);
    }
  });

  test('§1 Set-OrganizationConfig -ConnectorsEnabled:$false applies to the running installation within a second', async () => {
    const r = await cli('Set-OrganizationConfig', '-ConnectorsEnabled:$false');
    assert.equal(r.code, 0, r.stderr);
    const since = Date.now();
    try {
      const last = await until(() => postTo(hook.url, messageCard('off')), (x) => x.status === 403, 5000);
      assert.equal(last.status, 403, `posts still accepted: ${last.status} ${last.text}`);
      assert.ok(Date.now() - since <= 1000, `took ${Date.now() - since} ms`);
      assert.equal((await admin('GET', '/api/v1/admin/organization')).body.connectorsEnabled, false);
    } finally {
      assert.equal((await cli('Set-OrganizationConfig', '-ConnectorsEnabled:$true')).code, 0);
    }
  });

  test('§1 Set-OrganizationConfig -ConnectorsEnabledForTeams / -ConnectorsActionableMessagesEnabled with $true/$false', async () => {
    try {
      const r = await cli('Set-OrganizationConfig', '-ConnectorsEnabledForTeams:$false', '-ConnectorsActionableMessagesEnabled:$false');
      assert.equal(r.code, 0, r.stderr);
      const org = (await admin('GET', '/api/v1/admin/organization')).body;
      assert.equal(org.connectorsEnabledForTeams, false);
      assert.equal(org.connectorsActionableMessagesEnabled, false);
    } finally {
      const r = await cli('Set-OrganizationConfig', '-ConnectorsEnabledForTeams:$true', '-ConnectorsActionableMessagesEnabled:$true');
      assert.equal(r.code, 0, r.stderr);
    }
    const org = (await admin('GET', '/api/v1/admin/organization')).body;
    assert.equal(org.connectorsEnabledForTeams, true);
    assert.equal(org.connectorsActionableMessagesEnabled, true);
  });

  test('§1 Set-UnifiedGroup -Identity <team-id> -ConnectorsEnabled:$false (group level) applies within a second', async () => {
    const r = await cli('Set-UnifiedGroup', '-Identity', fx.team.id, '-ConnectorsEnabled:$false');
    assert.equal(r.code, 0, r.stderr);
    const since = Date.now();
    try {
      const last = await until(() => postTo(hook.url, messageCard('group off')), (x) => x.status === 403, 5000);
      assert.equal(last.status, 403, `posts still accepted: ${last.status} ${last.text}`);
      assert.ok(Date.now() - since <= 1000, `took ${Date.now() - since} ms`);
    } finally {
      assert.equal((await cli('Set-UnifiedGroup', '-Identity', fx.team.id, '-ConnectorsEnabled:$true')).code, 0);
    }
    expectAccepted(await until(() => postTo(hook.url, messageCard('group on')), (x) => x.status === 200, 5000));
  });

  test('§1 switchboard admin --db URL reaches the same installation as --data DIR', { skip: STORE !== 'sqlite' && 'the SQLite URL of the data dir' }, async () => {
    const r = await runCli(['admin', '--db', `sqlite:${path.join(srv.dataDir, 'switchboard.db')}`, 'Get-OrganizationConfig']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout, (await cli('Get-OrganizationConfig')).stdout);
  });

  test('§1 an unknown cmdlet exits 2 with a message that names it', async () => {
    const r = await cli('Get-Mailbox');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Get-Mailbox/);
  });

  test('§1 an unknown parameter exits 2 with a message that names it', async () => {
    const r = await cli('Set-OrganizationConfig', '-BogusSetting:$false');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /BogusSetting/);
    assert.equal((await admin('GET', '/api/v1/admin/organization')).body.connectorsEnabled, true, 'nothing changed');
  });
});

describe('§1 signals and exit codes', () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`§1 ${signal}: stop, flush, exit 0; what was acknowledged is there after a restart`, async () => {
      const s = await startServer();
      try {
        const u = await newUser(s, 'flush');
        const info = await s.proc.terminate(signal);
        assert.equal(info.code, 0, s.proc.describe());
        assert.equal(info.signal, null);
        await s.restart();
        expectStatus(await api(s, u.token)('GET', '/v1.0/me'), 200);
      } finally {
        await s.close();
      }
    });
  }

  test('§1 SIGTERM: a request in flight (a webhook post) finishes with its "200 1", then exit 0; the message is stored', async () => {
    const s = await startServer();
    try {
      const fx = await teamFixture(s, 'inflight');
      const hook = await createWebhook(fx.owner.api, fx.channel.id);
      const body = JSON.stringify(messageCard('posted during shutdown'));
      // Expect: 100-continue makes the post observably in flight: the server has accepted its
      // headers when it answers "100 Continue". Only then SIGTERM, then the body.
      const res = await new Promise((resolve, reject) => {
        const req = http.request(new URL(hook.url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' },
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
      assert.deepEqual(res, { status: 200, text: '1' });
      const info = await s.proc.waitExit();
      assert.equal(info.code, 0, s.proc.describe());
      await s.restart();
      const [m] = expectCollection(await fx.owner.api('GET', `/v1.0/teams/${fx.team.id}/channels/${fx.channel.id}/messages?$top=1`));
      assert.ok(JSON.stringify(m.attachments).includes('posted during shutdown'), JSON.stringify(m));
    } finally {
      await s.close();
    }
  });

  test('§1 exit 2 on a usage error; the message names the bad flag', async () => {
    const r = await runCli(['serve', '--no-such-flag']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--no-such-flag/);
  });

  test('§1 exit 1 on a runtime failure with a clear message (the port is taken)', async () => {
    const holder = net.createServer();
    await new Promise((r) => holder.listen(0, '127.0.0.1', r));
    try {
      const r = await runCli(['serve', '--listen', `127.0.0.1:${holder.address().port}`, '--data', path.join(dir(), 'data')]);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.stderr.trim().length > 0, 'a message on stderr');
      assert.ok(!r.stderrLines.some((l) => LISTENING_RE.test(l)));
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});
