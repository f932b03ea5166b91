// Connector-app configurations (contract: POST/GET/PATCH/DELETE connector configurations) and
// the configuration host's server side: the per-app sandbox origin, its host frame and the
// reverse proxy to the vendor's origin (docs/teams-js-host.md). The browser suite drives the
// same flows with the real teams-js packages; here every rule and refusal is checked directly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

import path from 'node:path';

import { startServer, api, newUser, REPO_ROOT, STORE } from './lib/server.mjs';
import { createTeam, generalChannel, addMember } from './lib/graph.mjs';
import { appPackage } from './lib/package.mjs';
import { IncomingWebhook } from 'ms-teams-webhook';

const CONNECTOR = '9e4c6f5d-b071-4c8d-ae9f-4a5b6c7d8e9f';
const UPLOADED_CONNECTOR = 'a05d7a6e-c182-4d9e-bfa0-5b6c7d8e9fa0';
const INCOMING_WEBHOOK = '203a1e2c-26cc-47ca-83ae-be98f960b6b2';

let srv;
let admin;
let vendor;
let vendorUrl;
let team;
let channel;
let appId;
let session; // the Cookie header value of a sandbox session of the admin for appId
const seen = [];

// Set-Cookie headers a vendor (or a hostile page's server) may send, and what the browser gets
// on the sandbox origin: host-only (no Domain in any spelling), never one of Switchboard's names.
const COOKIE_CASES = {
  1: [['a=1;domain=127.0.0.1', 'a=1'], ['b=2;  Domain =localhost; Path=/', 'b=2; Path=/'],
    ['c=3; DOMAIN=.apps.localhost; Secure', 'c=3; Secure'], ['e=5; Domain=localhost; path=/x', 'e=5; Path=/x']],
  2: [['sb_session=evil; Path=/', null], ['__Host-sb_session=evil; Path=/; Secure', null],
    ['sb_sandbox=evil; Path=/', null], [' SB_SESSION =evil', null], ['=sb_session=evil', null],
    ['f=6; Path=/; Domain=localhost', 'f=6; Path=/']],
  3: [['g=7; Max-Age=60; SameSite=None; Secure; HttpOnly; Partitioned; Priority=High', 'g=7; Max-Age=60; SameSite=None; Secure; HttpOnly; Partitioned'],
    ['h=8; Expires=Wed, 21 Oct 2037 07:28:00 GMT; domain', 'h=8; Expires=Wed, 21 Oct 2037 07:28:00 GMT'],
    ['i=9; Domain=localhost;Domain=127.0.0.1', 'i=9']],
};

// The vendor: records what the proxy forwards and answers with headers a proxy must handle.
function startVendor() {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (req.url.startsWith('/cookies/')) {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': COOKIE_CASES[req.url.slice(9)].map(([sent]) => sent) });
          res.end('cookies');
          return;
        }
        if (req.url.startsWith('/redirect')) {
          res.writeHead(302, { Location: `${vendorUrl}/config/next?x=1` });
          res.end();
          return;
        }
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Set-Cookie': 'vendor=1; Domain=127.0.0.1; Path=/; HttpOnly',
          'Content-Security-Policy': 'frame-ancestors teams.microsoft.com',
          'X-Frame-Options': 'DENY',
          'X-Vendor-Secret': 'not for the browser',
        });
        res.end(`<p>page ${req.method} ${req.url}</p>`);
      });
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

// A request to the server naming a sandbox origin in the Host header (node does not resolve
// *.localhost the way browsers do).
function sandboxRequest(hostUrl, method, path, { headers = {}, body } = {}) {
  const u = new URL(hostUrl);
  const s = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: s.hostname, port: s.port, method, path, headers: { Host: u.host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.setTimeout(15000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

// The host frame's URL as the catalog hands it to `call` (with its ticket), or undefined.
async function hostUrlFor(call, id, ch = channel) {
  const cat = await call('GET', `/api/v1/channels/${ch.id}/connectorCatalog`);
  const e = (cat.body.value || []).find((x) => x.appId === id);
  return e && e.configurationHostUrl;
}

// Exchanges the ticket of a host frame URL for the sandbox session cookie ("name=value").
async function sandboxSession(hostUrl) {
  const u = new URL(hostUrl);
  const r = await sandboxRequest(hostUrl, 'GET', u.pathname + u.search);
  assert.equal(r.status, 200, r.text);
  const c = r.headers['set-cookie'][0];
  return c.slice(0, c.indexOf(';'));
}

function upload(path, zipBody) {
  return admin('POST', path, zipBody, { contentType: 'application/zip' });
}

function appZip({ id, connectorId, configurationUrl, validDomains = ['127.0.0.1'], name = 'Vendor app' }) {
  return appPackage({
    id, packageName: `org.example.${id.slice(0, 8)}`, name: { short: name, full: name },
    connectors: [{ connectorId, configurationUrl, scopes: ['team'] }], validDomains,
  });
}

before(async () => {
  srv = await startServer({ args: ['--web-root', path.join(REPO_ROOT, 'web', 'dist')] });
  admin = api(srv, srv.adminToken);
  vendor = await startVendor();
  vendorUrl = `http://127.0.0.1:${vendor.address().port}`;
  const allow = await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${vendor.address().port}`] });
  assert.equal(allow.status, 200, allow.text);
  team = await createTeam(admin);
  channel = await generalChannel(admin, team.id);
  const r = await upload('/v1.0/appCatalogs/teamsApps', appZip({ id: '2b3c4d5e-0000-4000-8000-000000000001', connectorId: CONNECTOR, configurationUrl: `${vendorUrl}/config/start.html?lang=en` }));
  assert.equal(r.status, 201, r.text);
  appId = r.body.id;
  session = await sandboxSession(await hostUrlFor(admin, appId));
});

after(async () => {
  if (vendor) await new Promise((r) => { vendor.closeAllConnections(); vendor.close(r); });
  if (srv) await srv.close();
});

const create = (call, body, ch = channel) => call('POST', `/api/v1/channels/${ch.id}/connectors`, body);
const valid = () => ({ connectorId: CONNECTOR, configName: 'Builds', entityId: 'builds-1', contentUrl: `${vendorUrl}/config/start.html`, removeUrl: `${vendorUrl}/config/remove.html` });

test('the catalog offers the app with its host frame on a sandbox origin of its own', async () => {
  const cat = await admin('GET', `/api/v1/channels/${channel.id}/connectorCatalog`);
  assert.equal(cat.status, 200);
  assert.match(cat.body.tenantId, /^[0-9a-f-]{36}$/);
  const e = cat.body.value.find((x) => x.connectorId === CONNECTOR);
  const host = new URL(e.configurationHostUrl);
  assert.equal(host.hostname, `${appId}.apps.localhost`);
  assert.equal(host.port, new URL(srv.url).port);
  assert.equal(host.pathname, '/__switchboard/host.html');
  assert.equal(e.unavailableReason, undefined);
});

test('a configuration is created: 201 with webhookUrl and the page fields; cards post to it', async () => {
  const r = await create(admin, valid());
  assert.equal(r.status, 201, r.text);
  const c = r.body;
  assert.equal(c.kind, 'app');
  assert.equal(c.connectorId, CONNECTOR);
  assert.equal(c.name, 'Builds');
  assert.equal(c.configName, 'Builds');
  assert.equal(c.entityId, 'builds-1');
  assert.equal(c.contentUrl, `${vendorUrl}/config/start.html`);
  assert.equal(c.removeUrl, `${vendorUrl}/config/remove.html`);
  assert.equal(c.appId, appId);
  assert.equal(c.appType, 'teams');
  assert.match(c.webhookUrl, /\/webhookb2\//);
  assert.match(c.configurationHostUrl, /__switchboard\/host\.html\?ticket=[0-9a-f-]{36}\.\d+\.[\w-]{43}$/);
  // The real client posts to it like to any Teams connector URL.
  await new IncomingWebhook(c.webhookUrl).send({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: 'Build 7', title: 'Build 7 passed' });
  const msgs = await admin('GET', `/v1.0/teams/${team.id}/channels/${channel.id}/messages`);
  const m = msgs.body.value.find((x) => (x.attachments || []).some((a) => String(a.content).includes('Build 7 passed')));
  assert.ok(m, JSON.stringify(msgs.body));
  assert.equal(m.from.application.displayName, 'Builds');
  // Its URL has the key shape, and the unsigned forms of that key reach it too (issue 17).
  assert.match(c.webhookUrl, /\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}\/V2[\w-]{43}$/);
  for (const url of [c.webhookUrl.replace(/\/V2[\w-]+$/, ''), c.webhookUrl.replace(/\/V2[\w-]+$/, '').replace('/webhookb2/', '/webhook/')]) {
    const u = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'unsigned app post' }) });
    assert.equal(u.status, 200, `${url}: ${await u.text()}`);
  }
  // Listed with the channel's other configurations; GET shows the same fields.
  const list = await admin('GET', `/api/v1/channels/${channel.id}/connectors`);
  assert.ok(list.body.value.some((x) => x.id === c.id && x.kind === 'app'));
  const got = await admin('GET', `/api/v1/connectors/${c.id}`);
  assert.equal(got.body.entityId, 'builds-1');
  assert.equal(got.body.webhookUrl, c.webhookUrl);
});

test('bad configurations are refused with the rule and change nothing', async () => {
  const catalog = (await admin('GET', `/api/v1/channels/${channel.id}/connectorCatalog`)).body.value;
  const RETIRED_BITBUCKET = catalog.find((e) => e.retired && e.name === 'Bitbucket').connectorId;
  const before = (await admin('GET', `/api/v1/channels/${channel.id}/connectors`)).body.value.length;
  const cases = [
    [{ ...valid(), connectorId: '11111111-2222-4333-8444-555555555555' }, 404, /not in this team's catalog/],
    [{ ...valid(), connectorId: RETIRED_BITBUCKET }, 403, /retired/],
    [{ ...valid(), connectorId: INCOMING_WEBHOOK }, 400, /\/webhooks/],
    [{ ...valid(), configName: '' }, 400, /configName/],
    [{ ...valid(), configName: undefined }, 400, /configName and contentUrl are required/],
    [{ ...valid(), configName: 7 }, 400, /configName/],
    [{ ...valid(), contentUrl: 'https://evil.example/x' }, 400, /contentUrl is on 'evil\.example', which is not in the app's validDomains/],
    [{ ...valid(), removeUrl: 'javascript:alert(1)' }, 400, /removeUrl must be an https URL/],
    [{ ...valid(), contentUrl: 'http://127.0.0.1:1/x' }, 400, /plain http only for hosts in outboundAllowedHosts/],
    [{ ...valid(), entityId: 'x'.repeat(300) }, 400, /entityId/],
    [{ ...valid(), appType: 'outlook' }, 400, /appType/],
    [{ configName: 'x' }, 400, /connectorId/],
  ];
  for (const [body, status, re] of cases) {
    const r = await create(admin, body);
    assert.equal(r.status, status, `${JSON.stringify(body)} -> ${r.text}`);
    assert.match(r.body.error.message, re);
  }
  const bad = await fetch(`${srv.url}/api/v1/channels/${channel.id}/connectors`, { method: 'POST', headers: { Authorization: `Bearer ${srv.adminToken}`, 'Content-Type': 'application/json' }, body: '{"connectorId":' });
  assert.equal(bad.status, 400);
  assert.equal((await admin('GET', `/api/v1/channels/${channel.id}/connectors`)).body.value.length, before);
});

test('permissions: outsiders get 404, members need the team permission, guests cannot', async () => {
  const outsider = await newUser(srv, 'outsider');
  assert.equal((await create(outsider.api, valid())).status, 404);
  const member = await newUser(srv, 'member');
  await addMember(admin, team.id, member.id);
  const deny = await admin('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: false } });
  assert.equal(deny.status, 204, deny.text);
  const refused = await create(member.api, valid());
  assert.equal(refused.status, 403, refused.text);
  const allow = await admin('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: true } });
  assert.equal(allow.status, 204, allow.text);
  const ok = await create(member.api, { ...valid(), configName: 'Member made' });
  assert.equal(ok.status, 201, ok.text);
  const guest = await newUser(srv, 'guest');
  await addMember(admin, team.id, guest.id, ['guest']);
  assert.equal((await create(guest.api, valid())).status, 403);
});

test('edit: PATCH changes configName, entityId, contentUrl and removeUrl; the URL stays', async () => {
  const c = (await create(admin, valid())).body;
  const r = await admin('PATCH', `/api/v1/connectors/${c.id}`, { configName: 'Builds (main)', entityId: 'builds-main', contentUrl: `${vendorUrl}/config/edit.html`, removeUrl: '' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.name, 'Builds (main)');
  assert.equal(r.body.entityId, 'builds-main');
  assert.equal(r.body.contentUrl, `${vendorUrl}/config/edit.html`);
  assert.equal(r.body.removeUrl, undefined);
  assert.equal(r.body.webhookUrl, c.webhookUrl);
  const bad = await admin('PATCH', `/api/v1/connectors/${c.id}`, { contentUrl: 'https://evil.example/' });
  assert.equal(bad.status, 400);
  assert.equal((await admin('GET', `/api/v1/connectors/${c.id}`)).body.contentUrl, `${vendorUrl}/config/edit.html`);
  const del = await admin('DELETE', `/api/v1/connectors/${c.id}`);
  assert.equal(del.status, 204);
  const post = await fetch(c.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text":"x"}' });
  assert.equal(post.status, 410);
});

test('an app uploaded to one team is configurable there only', async () => {
  const r = await upload(`/v1.0/teams/${team.id}/installedApps`, appZip({ id: '2b3c4d5e-0000-4000-8000-000000000002', connectorId: UPLOADED_CONNECTOR, configurationUrl: `${vendorUrl}/config/up.html` }));
  assert.equal(r.status, 201, r.text);
  const here = await create(admin, { ...valid(), connectorId: UPLOADED_CONNECTOR, contentUrl: `${vendorUrl}/config/up.html` });
  assert.equal(here.status, 201, here.text);
  const other = await createTeam(admin);
  const otherGeneral = await generalChannel(admin, other.id);
  const there = await create(admin, { ...valid(), connectorId: UPLOADED_CONNECTOR }, otherGeneral);
  assert.equal(there.status, 404, there.text);
});

test('the sandbox origin serves the host frame with the main client as its only parent', async () => {
  const hostUrl = await hostUrlFor(admin, appId);
  const url = new URL(hostUrl).origin;
  const r = await sandboxRequest(url, 'GET', new URL(hostUrl).pathname + new URL(hostUrl).search);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`<meta name="sb-parent-origin" content="${srv.url}">`));
  assert.match(r.text, new RegExp(`<meta name="sb-upstream-origin" content="${vendorUrl}">`));
  assert.match(r.headers['content-security-policy'], new RegExp(`frame-ancestors ${srv.url}`));
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  // The ticket becomes a session cookie of this sandbox origin only.
  assert.match(r.headers['set-cookie'][0], /^sb_sandbox=[0-9a-f-]{36}\.\d+\.[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=None; Secure; Partitioned$/);
  assert.doesNotMatch(r.headers['set-cookie'][0], /domain/i);
  const js = await sandboxRequest(url, 'GET', '/__switchboard/apphost.js', { headers: { Cookie: session } });
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /javascript/);
  // Nothing of Switchboard's API lives on a sandbox origin.
  const apiCall = await sandboxRequest(url, 'GET', '/__switchboard/../v1.0/me', { headers: { Cookie: session } });
  assert.notEqual(apiCall.status, 200);
  const unknown = await sandboxRequest(`http://00000000-0000-4000-8000-000000000000.apps.localhost:${new URL(srv.url).port}`, 'GET', '/x', { headers: { Cookie: session } });
  assert.equal(unknown.status, 403);
});

test('the proxy forwards the page\'s requests to the vendor and keeps Switchboard out of them', async () => {
  const url = `http://${appId}.apps.localhost:${new URL(srv.url).port}`;
  seen.length = 0;
  const r = await sandboxRequest(url, 'POST', '/config/save?project=a%20b&x=%E2%9C%93', {
    headers: { 'Content-Type': 'application/json', Cookie: `sb_session=secret-session; ${session}; __Host-sb_session=x; vendor=1`, Origin: url, Referer: `${url}/config/start.html`, Authorization: 'Bearer vendor-token' },
    body: '{"webhookUrl":"x"}',
  });
  assert.equal(r.status, 200, r.text);
  // The upstream URL is built from parts with libcurl's URL API, which writes percent-escapes
  // in lower case (the same characters, RFC 3986 §2.1).
  assert.equal(r.text.toLowerCase(), '<p>page post /config/save?project=a%20b&x=%e2%9c%93</p>');
  const got = seen.at(-1);
  assert.equal(got.method, 'POST');
  assert.equal(got.body, '{"webhookUrl":"x"}');
  assert.equal(got.headers.cookie, 'vendor=1', 'Switchboard\'s session cookie is stripped');
  assert.equal(got.headers.origin, vendorUrl, 'Origin names the vendor\'s origin');
  assert.equal(got.headers.referer, `${vendorUrl}/config/start.html`);
  assert.equal(got.headers.authorization, 'Bearer vendor-token');
  assert.equal(got.headers.host, `127.0.0.1:${vendor.address().port}`);
  // Cookies stay on the sandbox origin; frame-blocking headers meant for Teams' hosts go.
  assert.equal(r.headers['set-cookie'][0], 'vendor=1; Path=/; HttpOnly');
  assert.equal(r.headers['content-security-policy'], undefined);
  assert.equal(r.headers['x-frame-options'], undefined);
  assert.equal(r.headers['x-vendor-secret'], undefined);
  const redirect = await sandboxRequest(url, 'GET', '/redirect', { headers: { Cookie: session } });
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.location, `${url}/config/next?x=1`);
});

test('the proxy reaches only the app\'s allowed origin: other domains and loopback addresses are refused', async () => {
  // validDomains does not name the page's host.
  const off = await upload('/v1.0/appCatalogs/teamsApps', appZip({ id: '2b3c4d5e-0000-4000-8000-000000000003', connectorId: 'b16e8b7f-d293-4eaf-80b1-6c7d8e9fa0b1', configurationUrl: `${vendorUrl}/c.html`, validDomains: ['example.org'] }));
  assert.equal(off.status, 201, off.text);
  const port = new URL(srv.url).port;
  const r1 = await sandboxRequest(`http://${off.body.id}.apps.localhost:${port}`, 'GET', '/c.html', { headers: { Cookie: session } });
  assert.equal(r1.status, 403);
  const cat = await admin('GET', `/api/v1/channels/${channel.id}/connectorCatalog`);
  const offEntry = cat.body.value.find((e) => e.appId === off.body.id);
  assert.match(offEntry.unavailableReason, /validDomains/);
  assert.equal(offEntry.configurationHostUrl, undefined);
  // https on a loopback address that the administrator did not allow: the outbound guard.
  const lo = await upload('/v1.0/appCatalogs/teamsApps', appZip({ id: '2b3c4d5e-0000-4000-8000-000000000004', connectorId: 'c27f9c80-e3a4-4fb0-91c2-7d8e9fa0b1c2', configurationUrl: 'https://127.0.0.2:9/c.html', validDomains: ['127.0.0.2'] }));
  assert.equal(lo.status, 201, lo.text);
  const loSession = await sandboxSession(await hostUrlFor(admin, lo.body.id));
  const r2 = await sandboxRequest(`http://${lo.body.id}.apps.localhost:${port}`, 'GET', '/c.html', { headers: { Cookie: loSession } });
  assert.equal(r2.status, 403, r2.text);
  assert.match(r2.text, /could not load this configuration page/);
  // Plain http to a host that is not allowed cannot even be published.
  const plain = await upload('/v1.0/appCatalogs/teamsApps', appZip({ id: '2b3c4d5e-0000-4000-8000-000000000005', connectorId: 'd38a0d91-f4b5-4ac1-a2d3-8e9fa0b1c2d3', configurationUrl: 'http://127.0.0.2:9/c.html', validDomains: ['127.0.0.2'] }));
  assert.equal(plain.status, 400, plain.text);
  assert.match(plain.body.error.message, /plain http only for hosts in outboundAllowedHosts/);
});

// A token as the server makes it, with the server's key read from its SQLite database: lets the
// test make a ticket that is correctly signed but expired, or names a user who does not exist.
function mintToken(kind, app, user, expiry) {
  const db = fs.readdirSync(srv.dataDir).find((f) => f.endsWith('.db'));
  const hex = execFileSync('sqlite3', [path.join(srv.dataDir, db), "SELECT value FROM meta WHERE key = 'webhook_key'"]).toString().trim();
  const k = crypto.createHmac('sha256', Buffer.from(hex, 'hex')).update('switchboard apphost token key v1').digest();
  const mac = crypto.createHmac('sha256', k).update(`${kind}\0${app}\0${user}\0${expiry}`).digest('base64url');
  return `${user}.${expiry}.${mac}`;
}

test('the sandbox is only for signed-in people who may configure the app: tickets and sessions', async () => {
  const hostUrl = await hostUrlFor(admin, appId);
  const origin = new URL(hostUrl).origin;
  const ticket = new URL(hostUrl).searchParams.get('ticket');
  const [user, expiry, mac] = ticket.split('.');
  const page = (t) => `/__switchboard/host.html?ticket=${encodeURIComponent(t)}`;
  const lo = '2b3c4d5e-0000-4000-8000-000000000004';
  const loApp = (await admin('GET', '/v1.0/appCatalogs/teamsApps')).body.value.find((a) => a.externalId === lo || a.id === lo);
  const otherHost = loApp && await hostUrlFor(admin, loApp.id);
  seen.length = 0;
  const refused = [
    ['GET', '/__switchboard/host.html', {}],
    ['GET', '/config/start.html', {}],
    ['POST', '/config/save', { 'Content-Type': 'application/json' }],
    ['GET', '/__switchboard/apphost.js', {}],
    ['GET', page(`${user}.${expiry}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`), {}], // forged MAC
    ['GET', page(`${user}.${Number(expiry) + 60000}.${mac}`), {}], // longer life, same MAC
    ['GET', page(`00000000-0000-4000-8000-000000000000.${expiry}.${mac}`), {}], // other user
    ['GET', page('garbage'), {}],
    ['GET', page(''), {}],
    // A ticket is not a session, and sessions and tickets are per app.
    ['GET', '/config/start.html', { Cookie: `sb_sandbox=${ticket}` }],
    ['GET', '/config/start.html', { Cookie: 'sb_sandbox=x; sb_session=y' }],
  ];
  assert.ok(otherHost, 'a second app with a sandbox');
  {
    const other = new URL(otherHost);
    refused.push(['GET', page(other.searchParams.get('ticket')), {}]);
    refused.push(['GET', '/config/start.html', { Cookie: await sandboxSession(otherHost) }]);
  }
  if (STORE === 'sqlite') {
    const now = Date.now();
    // Correctly signed, but expired; and for a user who does not exist.
    refused.push(['GET', page(mintToken('ticket', appId, user, now - 1000)), {}]);
    refused.push(['GET', page(mintToken('ticket', appId, '00000000-0000-4000-8000-00000000abcd', now + 60000)), {}]);
    refused.push(['GET', '/config/start.html', { Cookie: `sb_sandbox=${mintToken('session', appId, user, now - 1000)}` }]);
    refused.push(['GET', '/config/start.html', { Cookie: `sb_sandbox=${mintToken('session', appId, '00000000-0000-4000-8000-00000000abcd', now + 60000)}` }]);
    // The same tokens, unexpired and for the real user, are accepted: the refusals above are
    // for expiry and the unknown user alone.
    assert.equal((await sandboxRequest(origin, 'GET', page(mintToken('ticket', appId, user, now + 60000)))).status, 200);
    assert.equal((await sandboxRequest(origin, 'GET', '/config/ok.html', { headers: { Cookie: `sb_sandbox=${mintToken('session', appId, user, now + 60000)}` } })).status, 200);
    seen.length = 0;
  }
  for (const [method, target, headers] of refused) {
    const r = await sandboxRequest(origin, method, target, { headers, body: method === 'POST' ? '{}' : undefined });
    assert.equal(r.status, 403, `${method} ${target} ${JSON.stringify(headers)} -> ${r.status} ${r.text}`);
    assert.equal(r.headers['set-cookie'], undefined);
    assert.doesNotMatch(r.text, /<p>page|sb-upstream-origin/);
  }
  assert.deepEqual(seen, [], 'nothing reached the vendor');
  // A cookie tossed in by a page of another sandbox does not hide the real session.
  const tossed = await sandboxRequest(origin, 'GET', '/config/start.html', { headers: { Cookie: `sb_sandbox=${ticket}; ${session}` } });
  assert.equal(tossed.status, 200, tossed.text);
  // Who may not configure the app gets no ticket: a member where connectors are turned off, and
  // anyone reading a configuration they may not manage.
  const member = await newUser(srv, 'sandbox-member');
  await addMember(admin, team.id, member.id);
  assert.equal((await admin('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: false } })).status, 204);
  try {
    assert.equal(await hostUrlFor(member.api, appId), undefined);
    const c = (await create(admin, valid())).body;
    const got = await member.api('GET', `/api/v1/connectors/${c.id}`);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.configurationHostUrl, undefined);
    assert.match((await admin('GET', `/api/v1/connectors/${c.id}`)).body.configurationHostUrl, /\?ticket=/);
  } finally {
    await admin('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: true } });
  }
});

test('cookies set by the proxied page stay host-only on the sandbox and never take Switchboard\'s names', async () => {
  const url = new URL(await hostUrlFor(admin, appId)).origin;
  for (const [n, cases] of Object.entries(COOKIE_CASES)) {
    const r = await sandboxRequest(url, 'GET', `/cookies/${n}`, { headers: { Cookie: session } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.headers['set-cookie'] || [], cases.map(([, want]) => want).filter(Boolean), `case ${n}`);
  }
});

// One request written byte for byte on a socket, so that no client normalises the target.
function rawSandboxRequest(sandboxHost, target, extraHeaders = []) {
  const s = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: s.hostname, port: Number(s.port) });
    let data = '';
    sock.setEncoding('latin1');
    sock.on('connect', () => sock.write([`GET ${target} HTTP/1.1`, `Host: ${sandboxHost}`, ...extraHeaders, 'Connection: close', '', ''].join('\r\n')));
    sock.on('data', (c) => { data += c; });
    sock.on('end', () => resolve({ status: Number(data.split(' ')[1]), text: data }));
    sock.on('error', reject);
    sock.setTimeout(15000, () => sock.destroy(new Error(`timeout: ${target}`)));
  });
}

test('the proxy relays origin-form targets only: no request target reaches another host (SSRF)', async () => {
  // An internal service the administrator allowed for other purposes: it must never be reached
  // through an app's sandbox, whatever the request target says.
  let connections = 0;
  const sockets = new Set();
  const internal = net.createServer((c) => {
    connections++;
    sockets.add(c);
    c.on('error', () => {});
    c.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\nConnection: close\r\n\r\ninternal');
  });
  await new Promise((r) => internal.listen(0, '127.0.0.2', r));
  const ip = `127.0.0.2:${internal.address().port}`;
  try {
    const allow = await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${vendor.address().port}`, ip] });
    assert.equal(allow.status, 200, allow.text);
    const sandbox = `${appId}.apps.localhost:${new URL(srv.url).port}`;
    const attacks = [
      `@${ip}/x`, `\\@${ip}/x`, `#@${ip}/`, `%40${ip}/x`, `%2540${ip}/x`, `:@${ip}/x`, `:x@${ip}/x`,
      `.@${ip}/x`, `?@${ip}/x`, `%2F%2F${ip}/x`, `%5C%5C${ip}/x`, `http://${ip}/x`, `HTTP://${ip}/x`,
      `//${ip}/x`, `///${ip}/x`, `\\\\${ip}/x`, `*`, `${ip}/x`, `@${ip}`,
    ];
    const answers = [];
    // With a valid sandbox session: the target check alone must stop these.
    for (const target of attacks) answers.push([target, await rawSandboxRequest(sandbox, target, [`Cookie: ${session}`])]);
    assert.equal(connections, 0, `the allow-listed internal host was reached: ${answers.filter(([, r]) => /internal$/.test(r.text)).map(([t]) => t).join(' ')}`);
    for (const [target, r] of answers) assert.equal(r.status, 400, `${target} -> ${r.text}`);
    // Origin-form targets that merely contain the address stay on the vendor's origin.
    seen.length = 0;
    for (const target of [`/@${ip}/x`, `/%40${ip}/x`, `/\\@${ip}/x`, `/\\\\${ip}/x`, `/x#@${ip}/`, `/x?u=@${ip}/`]) {
      const r = await rawSandboxRequest(sandbox, target, [`Cookie: ${session}`]);
      assert.equal(r.status, 200, `${target} -> ${r.text}`);
      assert.match(r.text, /<p>page GET \//);
    }
    assert.equal(seen.length, 6);
    assert.equal(connections, 0, 'the allow-listed internal host saw a connection');
  } finally {
    await admin('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${vendor.address().port}`] });
    for (const c of sockets) c.destroy();
    await new Promise((r) => internal.close(r));
  }
});

test('custom connectors cannot be configured where the cloud does not allow them', async () => {
  const r = await admin('PATCH', '/api/v1/admin/organization', { cloudEnvironment: 'dod' });
  assert.equal(r.status, 200, r.text);
  try {
    const c = await create(admin, valid());
    assert.equal(c.status, 403, c.text);
    assert.match(c.body.error.message, /custom connectors/);
  } finally {
    await admin('PATCH', '/api/v1/admin/organization', { cloudEnvironment: 'commercial' });
  }
});
