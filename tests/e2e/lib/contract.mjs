// Shared helpers of the contract conformance suite (tests/e2e/contract-*.test.mjs): one test
// per row of every table and per rule of the prose of the external contract
// (../shared/spec/contract.md, mirrored in the project's docs), each named after its section and
// row. Rows whose feature belongs to a later issue are real tests marked `todo` with the issue
// (node:test runs them and reports a failure without failing the run); todo() below builds
// that option so the reason reads the same everywhere.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { Proc, binary, childEnv, tempDir, LISTENING_RE } from './server.mjs';
import { GUID_RE } from './graph.mjs';

export { GUID_RE };

// The path part of a Teams incoming-webhook URL as secret scanners and notification libraries
// match it (webhooks.md, "URL shapes clients accept"), with the host left to the caller.
const G = '[0-9a-f-]{36}';
export const TEAMS_SIGNED_PATH_RE = new RegExp(`^/webhookb2/(${G})@(${G})/IncomingWebhook/([0-9a-f]{32})/(${G})/V2([A-Za-z0-9_-]+)$`);
export const TEAMS_UNSIGNED_PATH_RE = new RegExp(`^/(webhookb2|webhook)/(${G})@(${G})/IncomingWebhook/([0-9a-f]{32})/(${G})$`);
// The full expression of webhooks.md, for a URL whose origin is replaced by a Teams host.
export const TEAMS_SCANNER_RE = new RegExp(
  `^https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/[0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}(/V2[A-Za-z0-9_-]+)?$`,
);
export const WORKFLOW_PATH_RE = new RegExp(
  `^/workflows/(${G})/triggers/manual/paths/invoke$`,
);
export const WORKFLOW_QUERY = '?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=';

// Any key (hex with or without dashes), for tests whose subject is not the key's shape: they
// must not fail on it (the tests of the key assert TEAMS_SIGNED_PATH_RE themselves).
const ANY_SIGNED_PATH_RE = new RegExp(`^/webhookb2/(${G})@(${G})/IncomingWebhook/([0-9a-f-]+)/(${G})/V2([A-Za-z0-9_-]+)$`);

// The parts of a signed webhook URL (contract §5), asserting its shape (the key's: with
// strictKey, 32 lowercase hex digits).
export function signedParts(url, { strictKey = false } = {}) {
  const u = new URL(url);
  const m = u.pathname.match(strictKey ? TEAMS_SIGNED_PATH_RE : ANY_SIGNED_PATH_RE);
  assert.ok(m, `not the signed Teams shape /webhookb2/{team}@{tenant}/IncomingWebhook/{key}/{creator}/V2{sig}${strictKey ? ' with a 32-hex key' : ''}: ${url}`);
  return { origin: u.origin, teamId: m[1], tenantId: m[2], key: m[3], creatorId: m[4], sig: m[5] };
}

// The unsigned forms of a webhook, built from its signed URL (contract §5).
export function unsignedUrls(url) {
  const p = signedParts(url);
  const tail = `${p.teamId}@${p.tenantId}/IncomingWebhook/${p.key}/${p.creatorId}`;
  return { webhookb2: `${p.origin}/webhookb2/${tail}`, webhook: `${p.origin}/webhook/${tail}` };
}

// Asserts a `request-id` header holding a GUID (webhooks.md: every webhook answer carries one).
export function expectRequestId(res, note = '') {
  const v = res.headers.get ? res.headers.get('request-id') : res.headers['request-id'];
  assert.ok(v, `${note ? note + ': ' : ''}no request-id header on ${res.status} ${res.url || ''}`);
  assert.match(v, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `request-id must be a GUID: ${v}`);
  return v;
}

// Runs `switchboard serve ...` with exactly `args` and `env` (no harness defaults) in `cwd`,
// resolving once it printed its ready line or exited: {proc, url|null}.
export async function spawnServe(args, { env = {}, cwd = tempDir('sb-e2e-contract-') } = {}) {
  const proc = new Proc(binary(), ['serve', ...args], { env: childEnv(env), cwd });
  let url = null;
  try {
    url = (await proc.waitForLine(LISTENING_RE, { what: 'the ready line' }))[1];
  } catch (err) {
    if (proc.running) throw err;
  }
  return { proc, url, cwd };
}

// A self-signed certificate for 127.0.0.1 made with openssl in `dir`: {cert, key}.
export function makeCert(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', key, '-out', cert,
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { cert, key };
}

// Re-asks `probe` until `ok(result)` holds or `timeoutMs` passes; resolves with the last result
// (the caller asserts on it, so a timeout fails with what was seen).
export async function until(probe, ok, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await probe();
    if (ok(r) || Date.now() > deadline) return r;
  }
}

// One request through node:http(s) from source address `from` (a loopback address of the
// test's own, so that per-address counters of one test do not reach another's), for cases fetch
// cannot express: resolves with {status, headers, setCookie:[...], text, body, method, url}.
// body: an object is sent as JSON unless headers give another Content-Type; a string as is.
export async function request(base, method, p, { body, headers = {}, from = '127.0.0.1', ca } = {}) {
  const url = new URL(p, typeof base === 'string' ? base : base.url);
  const mod = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const h = { Accept: 'application/json', ...headers };
  let payload;
  if (body !== undefined) {
    payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    h['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, headers: h, localAddress: from, timeout: 30_000, ca }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let parsed = text;
        if (/json/i.test(res.headers['content-type'] || '') && text) {
          try { parsed = JSON.parse(text); } catch { parsed = text; }
        }
        resolve({
          status: res.statusCode, headers: res.headers, setCookie: [].concat(res.headers['set-cookie'] || []), text, body: parsed,
          contentType: res.headers['content-type'] || '', method, url: url.href,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.href}: timed out`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

// The value of a counter in /metrics (loopback caller), or NaN when it is not there.
export async function metric(base, name) {
  const r = await request(base, 'GET', '/metrics', { headers: { Accept: 'text/plain' } });
  const line = r.text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line ? Number(line.split(' ').pop()) : NaN;
}
