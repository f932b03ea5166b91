// Contract §7: unknown paths under the API prefixes answer 404 in the API's own error shape
// (the webhook prefixes: Teams' text, or Power Automate's JSON error, with a request-id), any
// method, however the path is encoded; a known path with another method answers 405; only
// other paths fall back to the web client's HTML.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';

import { startServer, api, REPO_ROOT, GUID_RE } from './lib/server.mjs';
import { expectGraphError } from './lib/graph.mjs';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const TEAMS_404 = 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 404';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

// Sends the request target byte for byte (fetch and node:http would normalise `..` and
// `%2F`), and reads the whole answer of a `Connection: close` request.
function rawTarget(server, method, target) {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: hostname, port: Number(port) });
    const parts = [];
    sock.on('connect', () => sock.write(`${method} ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`));
    sock.on('data', (d) => parts.push(d));
    sock.on('error', reject);
    sock.setTimeout(15_000, () => sock.destroy(new Error(`no answer to ${method} ${target}`)));
    sock.on('close', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number((lines[0] || '').split(' ')[1]);
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status, headers, body: rest.join('\r\n') });
    });
  });
}

function expectJsonNotFound(r, note) {
  assert.equal(r.status, 404, `${note}: ${r.status} ${r.text ?? r.body}`);
  assert.match(r.contentType ?? r.headers['content-type'], /^application\/json/, note);
  const body = typeof r.body === 'string' ? JSON.parse(r.body) : r.body;
  assert.equal(body.error.code, 'NotFound', note);
  assert.equal(typeof body.error.message, 'string', note);
}

describe('unknown paths under the API prefixes', () => {
  let srv;
  let anon;
  let admin;

  before(async () => {
    srv = await startServer({ args: ['--web-root', path.join(REPO_ROOT, 'web', 'dist')] });
    anon = api(srv);
    admin = api(srv, srv.adminToken);
  });

  after(async () => {
    if (srv) await srv.close();
  });

  const jsonPaths = [
    '/v1.0/noSuchThing',
    '/v1.0',
    '/v1.0/',
    '/v1.0/teams/x/y/z/w',
    '/V1.0/me/extra',
    '/beta/noSuchThing',
    '/api',
    '/api/v1/noSuchThing',
    '/api/v2/teams',
    '/.well-known/noSuchThing',
    `/${TENANT}/oauth2/v2.0/authorize`,
    `/${TENANT}/oauth2/nothing`,
    `/${TENANT}/v2.0/nothing`,
    '/common/oauth2/v2.0/token/extra',
  ];
  for (const p of jsonPaths) {
    test(`${p}: 404 Graph error shape for every method, signed in or not`, async () => {
      for (const method of METHODS) {
        expectJsonNotFound(await anon(method, p), `${method} ${p} (anonymous)`);
        expectJsonNotFound(await admin(method, p), `${method} ${p} (admin)`);
      }
    });
  }

  for (const p of ['/webhook/nope', '/webhookb2/a@b/IncomingWebhook/c', '/webhookb2', '/connectors/nope', '/connectors/prometheus/x']) {
    test(`${p}: 404 with Teams' text and a fresh request-id`, async () => {
      const ids = new Set();
      for (const method of METHODS) {
        const r = await anon(method, p, method === 'GET' || method === 'DELETE' ? undefined : { text: 'hi' });
        assert.equal(r.status, 404, `${method} ${p}: ${r.text}`);
        assert.match(r.contentType, /^text\/plain/, `${method} ${p}`);
        assert.ok(r.text.startsWith(TEAMS_404), `${method} ${p}: ${r.text}`);
        const id = r.headers.get('request-id');
        assert.match(id || '', GUID_RE, `${method} ${p}: request-id ${id}`);
        ids.add(id);
      }
      assert.equal(ids.size, METHODS.length, 'each answer has its own request-id');
    });
  }

  for (const p of ['/workflows/nope', '/workflows/x/triggers/manual/paths/other', '/powerautomate/automations/nope']) {
    test(`${p}: 404 in the Workflows error shape with a request-id`, async () => {
      for (const method of METHODS) {
        const r = await anon(method, p, method === 'GET' || method === 'DELETE' ? undefined : { text: 'hi' });
        expectGraphError(r, 404);
        assert.equal(r.body.error.code, 'WebhookNotFound', `${method} ${p}`);
        assert.ok(r.body.error.message.startsWith(TEAMS_404), r.body.error.message);
        assert.match(r.headers.get('request-id') || '', GUID_RE, `${method} ${p}`);
      }
    });
  }

  test('percent-encoded separators and dot segments never reach the HTML fallback', async () => {
    const targets = [
      '/v1.0%2FnoSuchThing',
      '/v1.0/..%2F..%2Findex.html',
      '/v1.0/%2e%2e/%2e%2e/t/x/c/y',
      '/v1.0/../t/x/c/y',
      '/%761.0/noSuchThing',
      '/api%2Fv1%2Fnope',
      '/api/v1/..%2F..%2F',
      '/.well-known%2Fnope',
      `/${TENANT}%2Foauth2%2Fv2.0%2Fx`,
      '/webhookb2%2Fa%2Fb',
      '/webhook/..%2Ft%2Fx',
      '/workflows%2Fx',
      '/t/..%2F..%2Fv1.0%2Fnope',
      '/..%2Fv1.0/nope',
    ];
    for (const t of targets) {
      for (const method of ['GET', 'POST']) {
        const r = await rawTarget(srv, method, t);
        assert.ok(r.status === 404 || r.status === 400, `${method} ${t}: ${r.status}`);
        assert.doesNotMatch(r.headers['content-type'] || '', /html/i, `${method} ${t}`);
        assert.doesNotMatch(r.body, /<html|<!doctype/i, `${method} ${t}`);
      }
    }
  });

  test('a known path with another method stays 405 in the Graph shape', async () => {
    for (const [method, p] of [['DELETE', '/v1.0/me'], ['PUT', '/api/v1/tokens'], ['POST', '/.well-known/jwks.json'], ['GET', `/${TENANT}/oauth2/v2.0/token`], ['PATCH', '/v1.0/users']]) {
      const r = await anon(method, p);
      assert.equal(r.status, 405, `${method} ${p}: ${r.status} ${r.text}`);
      assert.match(r.contentType, /^application\/json/);
      assert.equal(r.body.error.code, 'MethodNotAllowed');
    }
  });

  test('a webhook URL asked with GET: 405 with a request-id, never HTML', async () => {
    const G = '00000000-0000-4000-8000-000000000001';
    const r = await anon('GET', `/webhookb2/${G}@${TENANT}/IncomingWebhook/${G}/${G}/V2abc`);
    assert.equal(r.status, 405, r.text);
    assert.doesNotMatch(r.contentType, /html/);
    assert.match(r.headers.get('request-id') || '', GUID_RE);
  });

  test('the web client still gets its HTML and assets', async () => {
    for (const p of ['/', '/index.html', '/t/some-team/c/some-channel', '/t/some-team/feed', '/anything/else', '/v1', '/apis', '/webhooks-help']) {
      const r = await anon('GET', p);
      assert.equal(r.status, 200, `${p}: ${r.status}`);
      assert.match(r.contentType, /^text\/html/, p);
      assert.match(r.text, /<script[^>]+src="\/app\.[0-9a-f]{16}\.js"/, p); // content-hashed (issue 22)
    }
    const js = await anon('GET', '/app.js');
    assert.equal(js.status, 200);
    assert.match(js.contentType, /^text\/javascript/);
    const css = await anon('GET', '/app.css');
    assert.equal(css.status, 200);
    assert.match(css.contentType, /^text\/css/);
  });
});
