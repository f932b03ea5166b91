// The Connector Developer Dashboard (/api/v1/connectorRegistrations): registering a connector
// generates an app package that our own validator accepts and publishes it to the organisation
// catalog; validation names the field and the rule; changes bump the version; permissions
// (administrators, developersMayRegisterConnectors, owners only, 404 for others); the test
// card; custom-app policy; removal retires the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { startServer, api, newUser, tempDir, GUID_RE } from './lib/server.mjs';
import { createTeam, generalChannel, addMember, messagesPath } from './lib/graph.mjs';
import { png } from './lib/package.mjs';

const REG = '/api/v1/connectorRegistrations';
const ORG = '/api/v1/admin/organization';
const CATALOG = '/v1.0/appCatalogs/teamsApps';
const O365 = 'application/vnd.microsoft.teams.card.o365connector';

let srv;
let admin;
let work;

before(async () => {
  srv = await startServer();
  admin = api(srv, srv.adminToken);
  work = tempDir('sb-reg-');
});

after(async () => {
  if (srv) await srv.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const dataUrl = (buf) => `data:image/png;base64,${buf.toString('base64')}`;

let seq = 0;
function registration(patch = {}) {
  seq += 1;
  return {
    name: `Build alerts ${seq}`,
    logo: dataUrl(png(192, 192, [0x10, 0x80, 0x40, 0xff])),
    shortDescription: 'Build results from the CI',
    longDescription: 'Posts the result of every build of the watched branches.\nOne card a build.',
    websiteUrl: 'https://ci.example.org',
    configurationUrl: 'https://ci.example.org/teams/config',
    validDomains: ['ci.example.org', '*.cdn.example.org'],
    ...patch,
  };
}

// Downloads a registration's package as the given caller; returns {res, zip (Buffer)}.
async function download(call, id) {
  const res = await call('GET', `${REG}/${id}/package`);
  return res;
}

async function packageBytes(token, id) {
  const res = await fetch(`${srv.url}${REG}/${id}/package`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'application/zip');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="[A-Za-z0-9_-]+-\d+\.\d+\.\d+\.zip"$/);
  return Buffer.from(await res.arrayBuffer());
}

// Unzips with Python's zipfile (an independent reader): {names, manifest, sizes {name: [w, h]}}.
function unzip(buf) {
  const file = path.join(work, `p${++seq}.zip`);
  fs.writeFileSync(file, buf);
  const script = [
    'import json, struct, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'assert z.testzip() is None',
    'out = {"names": sorted(z.namelist()), "manifest": json.loads(z.read("manifest.json")), "sizes": {}}',
    'for n in z.namelist():',
    '    if n.endswith(".png"):',
    '        d = z.read(n)',
    '        assert d[:8] == b"\\x89PNG\\r\\n\\x1a\\n"',
    '        out["sizes"][n] = list(struct.unpack(">II", d[16:24]))',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

async function orgChannel(call = admin) {
  const team = await createTeam(call);
  const channel = await generalChannel(call, team.id);
  return { team, channel };
}

test('an admin registers a connector: ids, a valid package, and the organisation catalog', async () => {
  const body = registration();
  const r = await admin('POST', REG, body);
  assert.equal(r.status, 201, r.text);
  const reg = r.body;
  assert.match(reg.id, GUID_RE);
  assert.equal(reg.connectorId, reg.id);
  assert.match(reg.appId, GUID_RE);
  assert.notEqual(reg.appId, reg.id);
  assert.equal(reg.version, '1.0.0');
  assert.equal(reg.name, body.name);
  assert.equal(reg.actionsEnabled, false);
  assert.equal(reg.actionsUrl, null);
  assert.match(r.headers.get('location'), new RegExp(`${REG}/${reg.id}$`));
  // the configuration page's host is covered by ci.example.org already
  assert.deepEqual(reg.validDomains, ['ci.example.org', '*.cdn.example.org']);

  const got = await admin('GET', `${REG}/${reg.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, reg);
  const list = await admin('GET', REG);
  assert.equal(list.body.canRegister, true);
  assert.ok(list.body.value.some((x) => x.id === reg.id));

  const zip = unzip(await packageBytes(srv.adminToken, reg.id));
  assert.deepEqual(zip.names, ['color.png', 'manifest.json', 'outline.png']);
  const m = zip.manifest;
  assert.equal(m.manifestVersion, '1.17');
  assert.match(m.$schema, /v1\.17\/MicrosoftTeams\.schema\.json$/);
  assert.equal(m.id, reg.appId);
  assert.equal(m.version, '1.0.0');
  assert.equal(m.name.short, body.name);
  assert.equal(m.description.short, body.shortDescription);
  assert.equal(m.description.full, body.longDescription);
  assert.equal(m.developer.websiteUrl, 'https://ci.example.org');
  assert.deepEqual(m.connectors, [{ connectorId: reg.id, configurationUrl: body.configurationUrl, scopes: ['team'] }]);
  assert.deepEqual(m.validDomains, ['ci.example.org', '*.cdn.example.org']);
  assert.deepEqual(m.icons, { color: 'color.png', outline: 'outline.png' });
  assert.deepEqual(zip.sizes, { 'color.png': [192, 192], 'outline.png': [32, 32] });

  // published to the organisation catalog, and offered in every channel's connector catalog
  const app = await admin('GET', `${CATALOG}/${reg.catalogAppId}`);
  assert.equal(app.status, 200, app.text);
  assert.equal(app.body.externalId, reg.appId);
  assert.equal(app.body.connectorId, reg.id);
  assert.equal(app.body.distributionMethod, 'organization');
  const { channel } = await orgChannel();
  const cat = await admin('GET', `/api/v1/channels/${channel.id}/connectorCatalog`);
  const entry = cat.body.value.find((e) => e.connectorId === reg.id);
  assert.ok(entry, JSON.stringify(cat.body));
  assert.equal(entry.section, 'organization');
  assert.equal(entry.name, body.name);
  assert.equal(entry.configurationUrl, body.configurationUrl);
  assert.equal(entry.appId, reg.catalogAppId);
  const icon = await fetch(reg.iconUrl.replace(/^https?:\/\/[^/]+/, srv.url), { headers: { Authorization: `Bearer ${srv.adminToken}` } });
  assert.equal(icon.status, 200);

  const audit = await admin('GET', '/api/v1/admin/audit');
  assert.ok(audit.body.value.some((e) => e.action === 'connector.register' && e.target === reg.id), JSON.stringify(audit.body.value.slice(0, 3)));
});

test('a website host in multi-byte characters becomes developer.name cut by characters, not bytes', async () => {
  // developer.name is the website's host, at most 32 characters; cut by bytes it ended inside
  // a character and the package could not be built.
  const host = 'x' + '\u00e9'.repeat(20) + '\u20ac'.repeat(20) + '.example';
  const r = await admin('POST', REG, registration({ websiteUrl: `https://${host}/about` }));
  assert.equal(r.status, 201, r.text);
  const m = unzip(await packageBytes(srv.adminToken, r.body.id)).manifest;
  assert.equal(m.developer.name, [...host].slice(0, 32).join(''));
  assert.equal(m.developer.websiteUrl, `https://${host}/about`);
});

test('a registered connector is configured in a channel like any connector app, and posts there', async () => {
  const reg = (await admin('POST', REG, registration())).body;
  const { team, channel } = await orgChannel();
  const entry = (await admin('GET', `/api/v1/channels/${channel.id}/connectorCatalog`)).body.value.find((e) => e.connectorId === reg.id);
  assert.ok(entry && entry.configurationHostUrl, JSON.stringify(entry));
  const off = await admin('POST', `/api/v1/channels/${channel.id}/connectors`, { connectorId: reg.id, configName: 'CI', entityId: 'ci-1', contentUrl: 'https://elsewhere.example.com/x' });
  assert.equal(off.status, 400, 'contentUrl outside the registered validDomains');
  const r = await admin('POST', `/api/v1/channels/${channel.id}/connectors`, { connectorId: reg.id, configName: 'CI builds', entityId: 'ci-1', contentUrl: 'https://ci.example.org/teams/content?id=1' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.appId, reg.catalogAppId);
  const post = await fetch(r.body.webhookUrl.replace(/^https?:\/\/[^/]+/, srv.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'Build 12 passed' }) });
  assert.equal(post.status, 200, await post.text());
  const msgs = (await admin('GET', messagesPath(team.id, channel.id))).body.value;
  assert.ok(msgs.some((m) => m.from.application && m.from.application.displayName === 'CI builds'), JSON.stringify(msgs));
});

test('each invalid field is refused with a message naming it, and nothing is stored', async () => {
  const beforeList = (await admin('GET', REG)).body.value.length;
  const beforeApps = (await admin('GET', CATALOG)).body.value.length;
  const cases = [
    ['no name', { name: undefined }, /\bname is required/],
    ['blank name', { name: '   ' }, /\bname is required/],
    ['long name', { name: 'x'.repeat(31) }, /\bname must be at most 30/],
    ['name with a newline', { name: 'a\nb' }, /\bname must not contain control/],
    ['name not a string', { name: 7 }, /\bname must be a string/],
    ['no logo', { logo: undefined }, /\blogo is required/],
    ['logo not a data URL', { logo: 'https://example.org/logo.png' }, /\blogo must be a PNG image as a data URL/],
    ['logo not base64', { logo: 'data:image/png;base64,@@@@' }, /\blogo is not valid base64/],
    ['logo not a PNG', { logo: `data:image/png;base64,${Buffer.from('GIF89a not a png at all, really not').toString('base64')}` }, /\blogo must be a PNG image/],
    ['logo wrong size', { logo: dataUrl(png(100, 100)) }, /\blogo must be 192x192 pixels, not 100x100/],
    ['logo too large', { logo: dataUrl(Buffer.concat([png(192, 192), Buffer.alloc(300 * 1024)])) }, /\blogo must be at most 256 KiB/],
    ['outline wrong size', { outlineLogo: dataUrl(png(192, 192)) }, /\boutlineLogo must be 32x32 pixels/],
    ['no short description', { shortDescription: undefined }, /shortDescription is required/],
    ['long short description', { shortDescription: 'd'.repeat(81) }, /shortDescription must be at most 80/],
    ['no long description', { longDescription: '' }, /longDescription is required/],
    ['long long description', { longDescription: 'd'.repeat(4001) }, /longDescription must be at most 4000/],
    ['http website', { websiteUrl: 'http://ci.example.org' }, /websiteUrl must be an https URL/],
    ['no website', { websiteUrl: undefined }, /websiteUrl is required/],
    ['http configuration page', { configurationUrl: 'http://127.0.0.2:8080/config' }, /configurationUrl must be an https URL \(http only for a host listed in outboundAllowedHosts\)/],
    ['javascript configuration page', { configurationUrl: 'javascript:alert(1)' }, /configurationUrl must be an https URL/],
    ['no configuration page', { configurationUrl: undefined }, /configurationUrl is required/],
    ['domain with a scheme', { validDomains: ['https://ci.example.org'] }, /validDomains\[0\] must be a host name/],
    ['domain with a path', { validDomains: ['ok.example.org', 'ci.example.org/x'] }, /validDomains\[1\] must be a host name/],
    ['domains not an array', { validDomains: 'ci.example.org' }, /validDomains must be an array/],
    ['too many domains', { validDomains: Array.from({ length: 33 }, (_, i) => `d${i}.example.org`) }, /validDomains must be an array of at most 32/],
    ['actionsEnabled not boolean', { actionsEnabled: 'yes' }, /actionsEnabled must be true or false/],
    ['actions without URL', { actionsEnabled: true }, /actionsUrl is required when actionsEnabled is true/],
    ['http actions URL', { actionsEnabled: true, actionsUrl: 'http://ci.example.org/act' }, /actionsUrl must be an https URL/],
    ['unknown field', { colour: 'red' }, /unknown field 'colour'/],
  ];
  for (const [what, patch, rule] of cases) {
    const body = registration(patch);
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete body[k];
    const r = await admin('POST', REG, body);
    assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
    assert.equal(r.body.error.code, 'invalidRequest', what);
    assert.match(r.body.error.message, rule, `${what}: ${r.body.error.message}`);
  }
  assert.equal((await admin('POST', REG, '{not json')).status, 400);
  const huge = await admin('POST', REG, registration({ longDescription: 'x'.repeat(1100 * 1024) }));
  assert.equal(huge.status, 413, huge.text);
  assert.equal((await admin('GET', REG)).body.value.length, beforeList);
  assert.equal((await admin('GET', CATALOG)).body.value.length, beforeApps);
});

test('http configuration pages only on hosts in outboundAllowedHosts; their host joins validDomains', async () => {
  const url = 'http://127.0.0.1:45678/teams/config?x=1';
  assert.equal((await admin('POST', REG, registration({ configurationUrl: url }))).status, 400);
  assert.equal((await admin('PATCH', ORG, { outboundAllowedHosts: ['127.0.0.1:45678'] })).status, 200);
  try {
    // the port counts: another port on the same host is not allowed
    assert.equal((await admin('POST', REG, registration({ configurationUrl: 'http://127.0.0.1:45679/c' }))).status, 400);
    // an allowed host does not relax the rest of the URL rules
    assert.equal((await admin('POST', REG, registration({ configurationUrl: 'http://127.0.0.1:45678/a b' }))).status, 400);
    // user info in front of an allowed host does not make it allowed
    assert.equal((await admin('POST', REG, registration({ configurationUrl: 'http://user@127.0.0.1:45678/c' }))).status, 400);
    const r = await admin('POST', REG, registration({ configurationUrl: url, validDomains: [] }));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body.validDomains, ['127.0.0.1']);
    const m = unzip(await packageBytes(srv.adminToken, r.body.id)).manifest;
    assert.equal(m.connectors[0].configurationUrl, url);
    assert.deepEqual(m.validDomains, ['127.0.0.1']);
  } finally {
    await admin('PATCH', ORG, { outboundAllowedHosts: null });
  }
});

test('PATCH changes fields, bumps the version and republishes the package', async () => {
  const reg = (await admin('POST', REG, registration())).body;
  const outline = png(32, 32, [255, 255, 255, 255]);
  const r = await admin('PATCH', `${REG}/${reg.id}`, {
    shortDescription: 'Build and deploy results',
    actionsEnabled: true,
    actionsUrl: 'https://ci.example.org/actions',
    outlineLogo: dataUrl(outline),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.version, '1.0.1');
  assert.equal(r.body.shortDescription, 'Build and deploy results');
  assert.equal(r.body.name, reg.name, 'fields not named stay');
  assert.equal(r.body.actionsEnabled, true);
  assert.equal(r.body.actionsUrl, 'https://ci.example.org/actions');
  assert.equal(r.body.catalogAppId, reg.catalogAppId, 'the same catalog entry, a new version');
  assert.equal(r.body.appId, reg.appId);

  const bytes = await packageBytes(srv.adminToken, reg.id);
  const m = unzip(bytes).manifest;
  assert.equal(m.version, '1.0.1');
  assert.equal(m.description.short, 'Build and deploy results');
  assert.equal((await admin('GET', `${CATALOG}/${reg.catalogAppId}`)).body.version, '1.0.1');

  // The downloaded package is a valid app package for our own validator: upload it to a team
  // (another scope than the organisation catalog, so it is a new entry, not a duplicate).
  const { team } = await orgChannel();
  const up = await admin('POST', `/v1.0/teams/${team.id}/installedApps`, bytes, { contentType: 'application/zip' });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.teamsApp.connectorId, reg.id);
  assert.equal(up.body.teamsApp.version, '1.0.1');

  // a bad change is refused whole: nothing moves
  const bad = await admin('PATCH', `${REG}/${reg.id}`, { name: 'Renamed', websiteUrl: 'ftp://x' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /websiteUrl/);
  const still = (await admin('GET', `${REG}/${reg.id}`)).body;
  assert.equal(still.name, reg.name);
  assert.equal(still.version, '1.0.1');
  // null returns the optional fields to their defaults
  const cleared = await admin('PATCH', `${REG}/${reg.id}`, { actionsEnabled: false, actionsUrl: null, outlineLogo: null });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.body.version, '1.0.2');
  assert.equal(cleared.body.actionsUrl, null);
  assert.ok((await admin('GET', '/api/v1/admin/audit')).body.value.some((e) => e.action === 'connector.registration.update' && e.target === reg.id));
  assert.equal((await admin('PATCH', `${REG}/00000000-0000-4000-8000-000000000000`, { name: 'x' })).status, 404);

  // an administrator removed the catalog entry: the next change publishes a new one
  assert.equal((await admin('DELETE', `${CATALOG}/${reg.catalogAppId}`)).status, 204);
  const again = await admin('PATCH', `${REG}/${reg.id}`, { name: 'Back in the catalog' });
  assert.equal(again.status, 200, again.text);
  assert.notEqual(again.body.catalogAppId, reg.catalogAppId);
  const entry = await admin('GET', `${CATALOG}/${again.body.catalogAppId}`);
  assert.equal(entry.body.connectorId, reg.id);
  assert.equal(entry.body.displayName, 'Back in the catalog');
});

test('concurrent PATCHes: each is applied whole or refused with 409; catalog and package agree', async () => {
  const reg = (await admin('POST', REG, registration())).body;
  const n = 10;
  const answers = await Promise.all(Array.from({ length: n }, (_, i) =>
    admin('PATCH', `${REG}/${reg.id}`, { shortDescription: `Change ${i}` })));
  const ok = answers.filter((a) => a.status === 200);
  for (const a of answers) assert.ok(a.status === 200 || a.status === 409, `${a.status} ${a.text}`);
  assert.ok(ok.length >= 1);
  const versions = ok.map((a) => a.body.version).sort();
  assert.equal(new Set(versions).size, ok.length, `every accepted change has its own version: ${versions}`);
  const now = (await admin('GET', `${REG}/${reg.id}`)).body;
  assert.equal(now.version, `1.0.${ok.length}`);
  const winner = ok.find((a) => a.body.version === now.version).body;
  assert.equal(now.shortDescription, winner.shortDescription);
  const m = unzip(await packageBytes(srv.adminToken, reg.id)).manifest;
  assert.equal(m.version, now.version);
  assert.equal(m.description.short, now.shortDescription);
  assert.equal((await admin('GET', `${CATALOG}/${reg.catalogAppId}`)).body.version, now.version);
});

test('PATCHes racing a DELETE: the app never outlives its registration', async () => {
  for (let round = 0; round < 3; round++) {
    const reg = (await admin('POST', REG, registration())).body;
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => admin('PATCH', `${REG}/${reg.id}`, { shortDescription: `Racing ${i}` })),
      admin('DELETE', `${REG}/${reg.id}`),
    ]);
    for (const a of answers) assert.ok([200, 204, 404, 409].includes(a.status), `${a.status} ${a.text}`);
    assert.equal(answers[4].status, 204);
    assert.equal((await admin('GET', `${REG}/${reg.id}`)).status, 404);
    const apps = (await admin('GET', CATALOG)).body.value;
    assert.ok(!apps.some((a) => a.connectorId === reg.id), `round ${round}: ${JSON.stringify(apps.filter((a) => a.connectorId === reg.id))}`);
  }
});

test('permissions: developersMayRegisterConnectors, own registrations only, 404 for others', async () => {
  const dev = await newUser(srv, 'dev');
  const other = await newUser(srv, 'other');
  const mine = (await admin('POST', REG, registration())).body;

  // off (the default): members cannot register, and see nothing of the admin's
  const off = await dev.api('POST', REG, registration());
  assert.equal(off.status, 403, off.text);
  assert.match(off.body.error.message, /developersMayRegisterConnectors/);
  const empty = await dev.api('GET', REG);
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.body.value, []);
  assert.equal(empty.body.canRegister, false);
  for (const [method, p] of [['GET', `${REG}/${mine.id}`], ['PATCH', `${REG}/${mine.id}`], ['DELETE', `${REG}/${mine.id}`], ['GET', `${REG}/${mine.id}/package`], ['POST', `${REG}/${mine.id}/testCard`]]) {
    const r = await dev.api(method, p, method === 'GET' || method === 'DELETE' ? undefined : {});
    assert.equal(r.status, 404, `${method} ${p}: ${r.text}`);
  }

  // on: everyone registers; each sees their own, administrators see all
  assert.equal((await admin('PATCH', ORG, { developersMayRegisterConnectors: true })).status, 200);
  try {
    const r = await dev.api('POST', REG, registration());
    assert.equal(r.status, 201, r.text);
    const theirs = r.body;
    assert.equal(theirs.createdBy.id, dev.id);
    const list = await dev.api('GET', REG);
    assert.equal(list.body.canRegister, true);
    assert.deepEqual(list.body.value.map((x) => x.id), [theirs.id]);
    const all = (await admin('GET', REG)).body.value.map((x) => x.id);
    assert.ok(all.includes(theirs.id) && all.includes(mine.id));
    assert.equal((await other.api('GET', `${REG}/${theirs.id}`)).status, 404);
    assert.equal((await other.api('PATCH', `${REG}/${theirs.id}`, { name: 'mine now' })).status, 404);
    assert.equal((await other.api('DELETE', `${REG}/${theirs.id}`)).status, 404);
    assert.equal((await download(other.api, theirs.id)).status, 404);
    assert.equal((await dev.api('PATCH', `${REG}/${theirs.id}`, { name: 'Renamed by me' })).status, 200);
    assert.equal((await admin('PATCH', `${REG}/${theirs.id}`, { longDescription: 'Edited by the admin' })).status, 200);

    // off again: the developer still sees their registration but cannot change it
    assert.equal((await admin('PATCH', ORG, { developersMayRegisterConnectors: false })).status, 200);
    assert.equal((await dev.api('GET', `${REG}/${theirs.id}`)).status, 200);
    assert.equal((await download(dev.api, theirs.id)).status, 200);
    assert.equal((await dev.api('PATCH', `${REG}/${theirs.id}`, { name: 'again' })).status, 403);
    assert.equal((await dev.api('DELETE', `${REG}/${theirs.id}`)).status, 403);
    assert.equal((await admin('PATCH', ORG, { developersMayRegisterConnectors: true })).status, 200);

    // removal retires the app: gone from the catalog and from every channel's connector list
    assert.equal((await dev.api('DELETE', `${REG}/${theirs.id}`)).status, 204);
    assert.equal((await dev.api('GET', `${REG}/${theirs.id}`)).status, 404);
    assert.equal((await admin('GET', `${CATALOG}/${theirs.catalogAppId}`)).status, 404);
    const { channel } = await orgChannel();
    const cat = await admin('GET', `/api/v1/channels/${channel.id}/connectorCatalog`);
    assert.equal(cat.body.value.find((e) => e.connectorId === theirs.id), undefined);
    assert.ok((await admin('GET', '/api/v1/admin/audit')).body.value.some((e) => e.action === 'connector.unregister' && e.target === theirs.id));
  } finally {
    await admin('PATCH', ORG, { developersMayRegisterConnectors: null });
  }
  const unauth = await api(srv)('GET', REG);
  assert.equal(unauth.status, 401);
});

test('a test card is posted into the channel as the connector, with the HttpPOST action', async () => {
  const reg = (await admin('POST', REG, registration({ actionsEnabled: true, actionsUrl: 'https://ci.example.org/act?x=<b>' }))).body;
  const { team, channel } = await orgChannel();
  const r = await admin('POST', `${REG}/${reg.id}/testCard`, { channelId: channel.id });
  assert.equal(r.status, 201, r.text);
  const list = await admin('GET', messagesPath(team.id, channel.id));
  const msg = list.body.value.find((m) => m.id === r.body.id);
  assert.ok(msg, JSON.stringify(list.body));
  assert.equal(msg.from.user, null);
  assert.equal(msg.from.application.id, reg.id);
  assert.equal(msg.from.application.displayName, reg.name);
  assert.equal(msg.from.application.applicationIdentityType, 'connector');
  assert.equal(msg.from.application.imageUrl, `/v1.0/appCatalogs/teamsApps/${reg.catalogAppId}/icon`);
  assert.equal(msg.attachments.length, 1);
  assert.equal(msg.attachments[0].contentType, O365);
  const card = JSON.parse(msg.attachments[0].content);
  assert.equal(card['@type'], 'MessageCard');
  assert.equal(card.potentialAction.length, 1);
  assert.equal(card.potentialAction[0]['@type'], 'HttpPOST');
  assert.equal(card.potentialAction[0]['@id'], 'testAction', 'the id POST /api/v1/messages/{id}/actions names');
  assert.match(card.correlationId, GUID_RE);
  assert.equal(card.potentialAction[0].target, 'https://ci.example.org/act?x=<b>');
  assert.equal(JSON.parse(card.potentialAction[0].body).connectorId, reg.id);
  assert.match(msg.summary, new RegExp(`Test card from ${reg.name}`));

  // refusals
  const plain = (await admin('POST', REG, registration())).body;
  const noActions = await admin('POST', `${REG}/${plain.id}/testCard`, { channelId: channel.id });
  assert.equal(noActions.status, 400);
  assert.match(noActions.body.error.message, /actions/);
  assert.equal((await admin('POST', `${REG}/${reg.id}/testCard`, {})).status, 400);
  assert.equal((await admin('POST', `${REG}/${reg.id}/testCard`, { channelId: '00000000-0000-4000-8000-000000000000' })).status, 404);

  // a developer tests in their own team only; a guest there may not add connectors
  await admin('PATCH', ORG, { developersMayRegisterConnectors: true });
  try {
    const dev = await newUser(srv, 'dev');
    const theirs = (await dev.api('POST', REG, registration({ actionsEnabled: true, actionsUrl: 'https://ci.example.org/a' }))).body;
    assert.equal((await dev.api('POST', `${REG}/${theirs.id}/testCard`, { channelId: channel.id })).status, 404, 'not in that team');
    await addMember(admin, team.id, dev.id, ['guest']);
    assert.equal((await dev.api('POST', `${REG}/${theirs.id}/testCard`, { channelId: channel.id })).status, 403, 'guests cannot');
    const own = await orgChannel(dev.api);
    assert.equal((await dev.api('POST', `${REG}/${theirs.id}/testCard`, { channelId: own.channel.id })).status, 201);
  } finally {
    await admin('PATCH', ORG, { developersMayRegisterConnectors: null });
  }
});

test('custom-app policy: no registrations, changes or test cards in GCC, GCCH and DoD', async () => {
  const reg = (await admin('POST', REG, registration({ actionsEnabled: true, actionsUrl: 'https://ci.example.org/a' }))).body;
  const { channel } = await orgChannel();
  const count = (await admin('GET', REG)).body.value.length;
  try {
    for (const cloud of ['gcc', 'gcch', 'dod']) {
      await admin('PATCH', ORG, { cloudEnvironment: cloud });
      const r = await admin('POST', REG, registration());
      assert.equal(r.status, 403, `${cloud}: ${r.text}`);
      assert.equal(r.body.error.code, 'CustomAppsDisabled');
      const p = await admin('PATCH', `${REG}/${reg.id}`, { name: 'In GCC' });
      assert.equal(p.status, 403, `${cloud}: ${p.text}`);
      const t = await admin('POST', `${REG}/${reg.id}/testCard`, { channelId: channel.id });
      assert.equal(t.status, 403, `${cloud}: ${t.text}`);
    }
  } finally {
    await admin('PATCH', ORG, { cloudEnvironment: null, connectorsEnabled: null, connectorsEnabledForTeams: null });
  }
  assert.equal((await admin('GET', REG)).body.value.length, count);
  const still = (await admin('GET', `${REG}/${reg.id}`)).body;
  assert.equal(still.version, '1.0.0');
  assert.equal(still.name, reg.name);
  // and an admin removes it: 204, gone from the organisation catalog
  assert.equal((await admin('DELETE', `${REG}/${reg.id}`)).status, 204);
  assert.ok(!(await admin('GET', CATALOG)).body.value.some((a) => a.id === reg.catalogAppId));
  assert.equal((await admin('DELETE', `${REG}/${reg.id}`)).status, 404);
});

test('a registration and its change acknowledged with 201/200 survive kill -9', async () => {
  const reg = (await admin('POST', REG, registration())).body;
  const changed = await admin('PATCH', `${REG}/${reg.id}`, { longDescription: 'Changed before the crash' });
  assert.equal(changed.status, 200);
  const info = await srv.kill9();
  assert.equal(info.signal, 'SIGKILL');
  await srv.restart();
  const got = await admin('GET', `${REG}/${reg.id}`);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.body.version, '1.0.1');
  assert.equal(got.body.longDescription, 'Changed before the crash');
  const m = unzip(await packageBytes(srv.adminToken, reg.id)).manifest;
  assert.equal(m.version, '1.0.1');
  assert.equal((await admin('GET', `${CATALOG}/${reg.catalogAppId}`)).body.version, '1.0.1');
});
