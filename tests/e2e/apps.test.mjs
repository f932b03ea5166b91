// App packages: publishing to the organisation catalog (admins), uploading to one team, the
// catalog's organization/uploaded sections, validation errors that name the rule, new versions,
// removal, and the cloud environments where custom apps are not allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import { createTeam, generalChannel, addMember } from './lib/graph.mjs';
import { appPackage, manifest, png, zip } from './lib/package.mjs';

let srv;
let admin;

before(async () => {
  srv = await startServer();
  admin = api(srv, srv.adminToken);
});

after(async () => {
  if (srv) await srv.close();
});

function upload(call, path, body, contentType = 'application/zip') {
  return call('POST', path, body, { contentType });
}

const CATALOG = '/v1.0/appCatalogs/teamsApps';

test('an admin publishes a package: 201 teamsApp, listed, icon served, in every channel\'s catalog', async () => {
  const r = await upload(admin, CATALOG, appPackage());
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.externalId, '5f2d9a4e-6c1b-4c3a-9f0e-2b7d8a1c4e6f');
  assert.equal(r.body.displayName, 'Alerts');
  assert.equal(r.body.distributionMethod, 'organization');
  assert.match(r.headers.get('location'), new RegExp(`${CATALOG}/${r.body.id}$`));
  const list = await admin('GET', CATALOG);
  assert.ok(list.body.value.some((a) => a.id === r.body.id));
  const icon = await fetch(`${srv.url}${CATALOG}/${r.body.id}/icon`, { headers: { Authorization: `Bearer ${srv.adminToken}` } });
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await icon.arrayBuffer()).subarray(16, 24), png(192, 192).subarray(16, 24));
  const team = await createTeam(admin);
  const channel = await generalChannel(admin, team.id);
  const cat = await admin('GET', `/api/v1/channels/${channel.id}/connectorCatalog`);
  const entry = cat.body.value.find((e) => e.connectorId === 'b8a6e6d2-3c4f-4a1b-9e2d-7c5f1a0b3d9e');
  assert.ok(entry, JSON.stringify(cat.body));
  assert.equal(entry.section, 'organization');
  assert.equal(entry.configurationUrl, 'https://example.org/config');
  assert.equal(entry.retired, false);
});

test('a new version replaces the app (200, same id); non-admins cannot publish (403)', async () => {
  const first = await upload(admin, CATALOG, appPackage({ id: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }));
  assert.equal(first.status, 201, first.text);
  const second = await upload(admin, CATALOG, appPackage({ id: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', version: '1.1.0' }));
  assert.equal(second.status, 200, second.text);
  assert.equal(second.body.id, first.body.id);
  assert.equal(second.body.version, '1.1.0');
  const user = await newUser(srv, 'plain');
  const r = await upload(user.api, CATALOG, appPackage({ id: '1c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }));
  assert.equal(r.status, 403);
});

test('a package uploaded to a team is in that team\'s "Uploaded" section only', async () => {
  const owner = await newUser(srv, 'owner');
  const team = await createTeam(owner.api);
  const channel = await generalChannel(owner.api, team.id);
  const other = await createTeam(owner.api);
  const otherChannel = await generalChannel(owner.api, other.id);
  const id = '2c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
  const conn = '3c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
  const r = await upload(owner.api, `/v1.0/teams/${team.id}/installedApps`,
    appPackage({ id, connectors: [{ connectorId: conn, configurationUrl: 'https://example.org/c', scopes: ['team'] }] }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.teamsApp.distributionMethod, 'sideloaded');
  const here = await owner.api('GET', `/api/v1/channels/${channel.id}/connectorCatalog`);
  assert.equal(here.body.value.find((e) => e.connectorId === conn)?.section, 'uploaded');
  const there = await owner.api('GET', `/api/v1/channels/${otherChannel.id}/connectorCatalog`);
  assert.equal(there.body.value.find((e) => e.connectorId === conn), undefined);
  // Not in the organisation catalog, and invisible to people outside the team.
  assert.ok(!(await admin('GET', CATALOG)).body.value.some((a) => a.id === r.body.id));
  const outsider = await newUser(srv, 'outsider');
  assert.equal((await outsider.api('GET', `${CATALOG}/${r.body.id}`)).status, 404);
  // A guest cannot upload.
  const guest = await newUser(srv, 'guest');
  await addMember(owner.api, team.id, guest.id, ['guest']);
  assert.equal((await upload(guest.api, `/v1.0/teams/${team.id}/installedApps`, appPackage({ id: '4c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }))).status, 403);
});

test('bad packages are refused with a message naming the rule, and nothing is stored', async () => {
  const before = (await admin('GET', CATALOG)).body.value.length;
  const cases = [
    ['not a zip', Buffer.from('hello'), /zip/i],
    ['no manifest', zip([{ name: 'color.png', data: png(192, 192) }]), /manifest\.json/],
    ['manifest not JSON', zip([{ name: 'manifest.json', data: '{nope' }]), /manifest/i],
    ['bad id', appPackage({ id: 'not-a-guid' }), /\bid\b/],
    ['http website', appPackage({ developer: { name: 'x', websiteUrl: 'http://example.org', privacyUrl: 'https://e.org/p', termsOfUseUrl: 'https://e.org/t' } }), /websiteUrl/],
    ['traversal', appPackage({}, [{ name: '../evil.txt', data: 'x' }]), /\.\.|path/i],
    ['absolute path', appPackage({}, [{ name: '/etc/evil', data: 'x' }]), /absolute|path/i],
    ['symlink', appPackage({}, [{ name: 'link', data: '/etc/passwd', mode: 0o120777 }]), /link/i],
    ['wrong icon size', zip([{ name: 'manifest.json', data: JSON.stringify(manifest()) }, { name: 'color.png', data: png(100, 100) }, { name: 'outline.png', data: png(32, 32) }]), /192/],
    ['missing icon', zip([{ name: 'manifest.json', data: JSON.stringify(manifest()) }, { name: 'color.png', data: png(192, 192) }]), /outline/],
  ];
  for (const [what, body, rule] of cases) {
    const r = await upload(admin, CATALOG, body);
    assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
    assert.match(r.body.error.message, rule, `${what}: ${r.body.error.message}`);
  }
  assert.equal((await upload(admin, CATALOG, appPackage(), 'application/json')).status, 400);
  assert.equal((await admin('GET', CATALOG)).body.value.length, before);
});

test('custom apps are refused in GCC, GCCH and DoD; an admin removes an app (204, gone)', async () => {
  for (const cloud of ['gcc', 'gcch', 'dod']) {
    await admin('PATCH', '/api/v1/admin/organization', { cloudEnvironment: cloud });
    const r = await upload(admin, CATALOG, appPackage({ id: '5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }));
    assert.equal(r.status, 403, `${cloud}: ${r.text}`);
  }
  await admin('PATCH', '/api/v1/admin/organization', { cloudEnvironment: null });
  const r = await upload(admin, CATALOG, appPackage({ id: '6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }));
  assert.equal(r.status, 201, r.text);
  assert.equal((await admin('DELETE', `${CATALOG}/${r.body.id}`)).status, 204);
  assert.equal((await admin('GET', `${CATALOG}/${r.body.id}`)).status, 404);
  const audit = (await admin('GET', '/api/v1/admin/audit')).body.value;
  assert.ok(audit.some((e) => e.action === 'app.publish'));
  assert.ok(audit.some((e) => e.action === 'app.delete'));
});
