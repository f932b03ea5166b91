// Key discovery for Switchboard's own tokens (contract addition): the OpenID configuration
// (also under /{tenant}/v2.0/), the JWKS it names, keys that a standard library (jose) imports,
// and keys that survive a restart (the same kid is published, so tokens stay verifiable).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { importJWK } from 'jose';

import { startServer } from './lib/server.mjs';

let srv;

before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.close();
});

async function getJson(path) {
  const res = await fetch(srv.url + path);
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  assert.match(res.headers.get('content-type') || '', /application\/json/);
  return res.json();
}

async function publishedKids() {
  const doc = await getJson('/.well-known/openid-configuration');
  const jwks = await (await fetch(doc.jwks_uri)).json();
  return jwks.keys.map((k) => k.kid);
}

test('the discovery document names the issuer and the JWKS', async () => {
  const doc = await getJson('/.well-known/openid-configuration');
  assert.equal(doc.issuer, srv.url);
  assert.equal(doc.jwks_uri, `${srv.url}/.well-known/jwks.json`);
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
});

test('the JWKS holds RSA signing keys that jose imports', async () => {
  const jwks = await getJson('/.well-known/jwks.json');
  assert.ok(jwks.keys.length >= 1);
  for (const k of jwks.keys) {
    assert.equal(k.kty, 'RSA');
    assert.equal(k.use, 'sig');
    assert.equal(k.alg, 'RS256');
    assert.equal(k.e, 'AQAB');
    assert.match(k.kid, /^[A-Za-z0-9_-]{43}$/);
    const key = await importJWK(k, 'RS256');
    assert.equal(key.type, 'public');
  }
});

test('the tenant-shaped path answers for our tenant and "common", 404 for others', async () => {
  const common = await getJson('/common/v2.0/.well-known/openid-configuration');
  assert.equal(common.issuer, srv.url);
  const res = await fetch(`${srv.url}/00000000-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration`);
  assert.equal(res.status, 404);
});

test('the keys survive a restart', async () => {
  const beforeKids = await publishedKids();
  await srv.restart();
  assert.deepEqual(await publishedKids(), beforeKids);
  await srv.kill9();
  await srv.restart();
  assert.deepEqual(await publishedKids(), beforeKids);
});
