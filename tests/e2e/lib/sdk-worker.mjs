// Runs @microsoft/microsoft-graph-client calls on behalf of graph-sdk.test.mjs.
//
// Why a separate process: the SDK's auth middleware only adds the bearer token for https URLs
// of Graph hosts or `customHosts`, so the SDK has to talk HTTPS to the server, whose test
// certificate is self-signed. Node reads NODE_EXTRA_CA_CERTS only at process start, so the
// test starts this worker with it set, and trusts exactly that certificate (no
// NODE_TLS_REJECT_UNAUTHORIZED=0).
//
// Protocol: one JSON request per stdin line {id, op, ...}; one JSON reply per stdout line
// {id, ok, result} or {id, ok:false, error:{name, message, statusCode, code, body}}.
//   init    {baseUrl, token, customHosts}  -> Client.init(...) with an authProvider callback
//   call    {path, method, body?, top?}    -> client.api(path)[.top(n)][method](body)
//   iterate {path, top}                    -> PageIterator over every page; {items, nextLinks}
//   fetch   {url, method, headers?, body?} -> plain fetch (setup: users, tokens); {status, body}

import readline from 'node:readline';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';

const clients = new Map(); // name -> Client

function send(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function handle(msg) {
  switch (msg.op) {
    case 'init': {
      const token = msg.token;
      const client = Client.init({
        authProvider: (done) => done(null, token),
        baseUrl: msg.baseUrl,
        defaultVersion: 'v1.0',
        customHosts: new Set(msg.customHosts),
      });
      clients.set(msg.name || 'default', client);
      return true;
    }
    case 'call': {
      const client = clients.get(msg.name || 'default');
      let req = client.api(msg.path);
      if (msg.top) req = req.top(msg.top);
      const method = msg.method || 'get';
      return method === 'get' || method === 'delete' ? await req[method]() : await req[method](msg.body);
    }
    case 'iterate': {
      const client = clients.get(msg.name || 'default');
      const first = await client.api(msg.path).top(msg.top).get();
      const items = [];
      const nextLinks = []; // every nextLink the iterator followed
      const counting = { api: (p) => { nextLinks.push(p); return client.api(p); } };
      const it = new PageIterator(counting, first, (item) => {
        items.push(item);
        return true;
      });
      await it.iterate();
      return { items, nextLinks, complete: it.isComplete() };
    }
    case 'fetch': {
      const res = await fetch(msg.url, {
        method: msg.method || 'GET',
        headers: { 'Content-Type': 'application/json', ...(msg.headers || {}) },
        body: msg.body === undefined ? undefined : JSON.stringify(msg.body),
      });
      const text = await res.text();
      let body = text;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body };
    }
    default:
      throw new Error(`unknown op ${msg.op}`);
  }
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    send({ id: null, ok: false, error: { message: `bad request line: ${e.message}` } });
    return;
  }
  handle(msg).then(
    (result) => send({ id: msg.id, ok: true, result: result === undefined ? null : result }),
    (e) => send({
      id: msg.id,
      ok: false,
      error: {
        name: e && e.name,
        message: e && e.message,
        statusCode: e && e.statusCode,
        code: e && e.code,
        body: e && e.body,
        cause: e && e.cause && String(e.cause.code || e.cause.message || e.cause),
      },
    }),
  );
});
rl.on('close', () => process.exit(0));
