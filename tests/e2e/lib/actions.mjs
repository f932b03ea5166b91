// A connector's service for actionable-message tests: a node:http server on 127.0.0.1 that
// verifies every call's bearer token with jose against Switchboard's published keys (the
// discovery document, then its jwks_uri), records what it received, and answers according to
// the path:
//   /ok          200, CARD-ACTION-STATUS
//   /update      200, CARD-ACTION-STATUS, CARD-UPDATE-IN-BODY: true, a new card (MessageCard or,
//                with ?adaptive=1, an Adaptive Card) that echoes the request body
//   /update-only 200, CARD-UPDATE-IN-BODY: true, no status header
//   /bad-update  200, CARD-UPDATE-IN-BODY: true, a body that is not a card
//   /fail        500, CARD-ACTION-STATUS
//   /bytes       200, CARD-ACTION-STATUS with UTF-8 text and a byte sequence that is not UTF-8
//   /redirect    302 to http://127.0.0.2:<port>/ok
//   /big         200 with a 300 KiB body (over the response limit)
//   /hold        answers only when releaseAll() is called
// A call whose token does not verify gets 401 (and is recorded with tokenError).

import http from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export async function startActionService(switchboardUrl) {
  const calls = [];
  const waiters = new Set();
  const held = [];
  let jwks = null;

  async function keys() {
    if (!jwks) {
      const doc = await (await fetch(`${switchboardUrl}/.well-known/openid-configuration`)).json();
      jwks = createRemoteJWKSet(new URL(doc.jwks_uri));
    }
    return jwks;
  }

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://x');
    const call = { method: req.method, path: url.pathname, query: url.search, headers: req.headers, body, claims: null, tokenError: null };
    const auth = req.headers.authorization || req.headers['action-authorization'] || '';
    const origin = `http://127.0.0.1:${server.address().port}`;
    try {
      const { payload, protectedHeader } = await jwtVerify(auth.replace(/^Bearer /, ''), await keys(), {
        issuer: switchboardUrl, audience: origin, algorithms: ['RS256'],
      });
      call.claims = payload;
      call.header = protectedHeader;
    } catch (err) {
      call.tokenError = `${err.code || ''} ${err.message}`;
    }
    calls.push(call);
    for (const w of [...waiters]) w();
    if (call.tokenError) {
      res.writeHead(401, { 'CARD-ACTION-STATUS': 'The token was not accepted.' });
      res.end();
      return;
    }
    const status = `Done: ${url.pathname}`;
    switch (url.pathname) {
      case '/ok':
        res.writeHead(200, { 'CARD-ACTION-STATUS': status });
        res.end('{}');
        break;
      case '/update': {
        const card = url.searchParams.get('adaptive')
          ? { type: 'AdaptiveCard', version: '1.0', body: [{ type: 'TextBlock', text: `Updated: ${body}` }] }
          : { '@type': 'MessageCard', '@context': 'https://schema.org/extensions', text: `Updated: ${body}` };
        res.writeHead(200, { 'CARD-ACTION-STATUS': status, 'CARD-UPDATE-IN-BODY': 'true', 'Content-Type': 'application/json' });
        res.end(JSON.stringify(card));
        break;
      }
      case '/update-only':
        res.writeHead(200, { 'CARD-UPDATE-IN-BODY': 'true', 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ '@type': 'MessageCard', text: 'Quietly updated' }));
        break;
      case '/bad-update':
        res.writeHead(200, { 'CARD-UPDATE-IN-BODY': 'true', 'CARD-ACTION-STATUS': status });
        res.end('this is not a card');
        break;
      case '/fail':
        res.writeHead(500, { 'CARD-ACTION-STATUS': 'The service could not do it.' });
        res.end();
        break;
      case '/bytes':
        // Header values go out as latin1: each character below is one byte on the wire.
        res.writeHead(200, { 'CARD-ACTION-STATUS': Buffer.concat([Buffer.from('Caf\u00e9 \u2713 '), Buffer.from([0xe9, 0x80]), Buffer.from(' done')]).toString('latin1') });
        res.end();
        break;
      case '/redirect':
        res.writeHead(302, { Location: `http://127.0.0.2:${server.address().port}/ok` });
        res.end();
        break;
      case '/big':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('x'.repeat(300 * 1024));
        break;
      case '/hold':
        held.push(() => {
          res.writeHead(200, { 'CARD-ACTION-STATUS': 'Released' });
          res.end();
        });
        break;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: (p) => `http://127.0.0.1:${port}${p}`,
    calls,
    // Resolves with the first recorded call (from index `from`) matching pred.
    waitForCall(pred, { from = 0, timeoutMs = 15_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const c = calls.slice(from).find(pred);
          if (c) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(c);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching call within ${timeoutMs} ms; calls: ${JSON.stringify(calls.map((c) => c.path))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    releaseAll() {
      while (held.length) held.shift()();
    },
    close() {
      this.releaseAll();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

// The id of the action at JSON Pointer `pointer` of attachment `i` of a message.
export function actionId(message, pointer, i = 0) {
  return `${message.attachments[i].id}:${pointer}`;
}
