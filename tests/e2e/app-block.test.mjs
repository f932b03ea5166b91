// Apps: block/allow (issue 21 item 6, docs/admin.md): GET /api/v1/admin/apps lists every app
// (organisation catalog and uploaded to teams) with its blocked state and what blocking it leaves
// running; PATCH /api/v1/admin/apps/{id} {blocked} blocks or allows. A blocked app leaves every
// connectors dialog, gets no new configuration (403 naming the block) and cannot be uploaded to
// a team again; its configurations keep posting. Administrators only; every refusal changes
// nothing. Its own server: the counts are organisation-wide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import { expectStatus, expectJson, expectGraphError, createTeam, generalChannel, addMember } from './lib/graph.mjs';
import { appPackage } from './lib/package.mjs';
import { auditEntries, messageCount, NO_SUCH_ID } from './lib/policy.mjs';

const APPS = '/api/v1/admin/apps';
const ORG_APP = { id: '7a1b2c3d-0000-4000-8000-00000000b10c', connectorId: 'c0ffee00-1111-4222-8333-444455556666', name: 'Blockable' };
const TEAM_APP = { id: '7a1b2c3d-0000-4000-8000-00000000b10d', connectorId: 'c0ffee00-1111-4222-8333-444455557777', name: 'Team tool' };

let srv;
let admin;
let owner;
let member;
let guest;
let alpha;
let beta;
let alphaGeneral;
let betaGeneral;
let orgApp;
let teamApp;
const hooks = [];

function appZip({ id, connectorId, name }, version = '1.0.0') {
  return appPackage({
    id, version, packageName: `org.example.${id.slice(-4)}`, name: { short: name, full: name },
    connectors: [{ connectorId, configurationUrl: 'https://example.org/config', scopes: ['team'] }],
    validDomains: ['example.org'],
  });
}

const upload = (call, path, body) => call('POST', path, body, { contentType: 'application/zip' });
const configure = (call, channel, connectorId, configName = 'Alerts') => call('POST', `/api/v1/channels/${channel.id}/connectors`,
  { connectorId, configName, entityId: 'e1', contentUrl: 'https://example.org/content' });
const listApps = async () => expectJson(expectStatus(await admin('GET', APPS), 200, 'GET admin apps')).value;
const entry = async (id) => (await listApps()).find((a) => a.id === id);
const catalogIds = async (call, channel) =>
  expectJson(expectStatus(await call('GET', `/api/v1/channels/${channel.id}/connectorCatalog`), 200, 'catalog')).value.map((e) => e.appId).filter(Boolean);
const configCount = async (call, channel) =>
  expectJson(expectStatus(await call('GET', `/api/v1/channels/${channel.id}/connectors`), 200, 'configurations')).value.length;
const blockActions = async () => (await auditEntries(admin, srv)).filter((e) => e.action === 'app.block' || e.action === 'app.allow');

async function postCard(url, text) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }) });
  return { status: r.status, text: await r.text() };
}

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  [owner, member, guest] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'guest')]);
  expectStatus(await admin('PATCH', `/v1.0/users/${guest.id}`, { roles: ['guest'] }), 204, 'make an organisation guest');
  alpha = await createTeam(owner.api);
  beta = await createTeam(owner.api);
  alphaGeneral = await generalChannel(owner.api, alpha.id);
  betaGeneral = await generalChannel(owner.api, beta.id);
  await addMember(owner.api, alpha.id, member.id, []);
  orgApp = expectJson(expectStatus(await upload(admin, '/v1.0/appCatalogs/teamsApps', appZip(ORG_APP)), 201, 'publish'));
  teamApp = expectJson(expectStatus(await upload(owner.api, `/v1.0/teams/${alpha.id}/installedApps`, appZip(TEAM_APP)), 201, 'team upload')).teamsApp;
  for (const ch of [alphaGeneral, betaGeneral]) {
    hooks.push(expectJson(expectStatus(await configure(owner.api, ch, ORG_APP.connectorId), 201, 'configure the org app')));
  }
});

after(async () => {
  if (srv) await srv.close();
});

test('GET /api/v1/admin/apps lists organisation and uploaded apps with their state and live configurations', async () => {
  const list = await listApps();
  const o = list.find((a) => a.id === orgApp.id);
  const t = list.find((a) => a.id === teamApp.id);
  assert.ok(o && t, `both apps listed: ${JSON.stringify(list)}`);
  assert.deepEqual({ ...o, lastModifiedDateTime: undefined }, {
    id: orgApp.id, externalId: ORG_APP.id, displayName: 'Blockable', distributionMethod: 'organization', version: '1.0.0',
    connectorId: ORG_APP.connectorId, teamId: null, teamName: null, blocked: false, configurationCount: 2, teamCount: 2,
    lastModifiedDateTime: undefined,
  });
  assert.equal(t.distributionMethod, 'sideloaded');
  assert.equal(t.teamId, alpha.id);
  assert.equal(t.teamName, alpha.displayName);
  assert.equal(t.blocked, false);
  assert.equal(t.configurationCount, 0);
  // A removed configuration does not count.
  const extra = expectJson(expectStatus(await configure(owner.api, alphaGeneral, ORG_APP.connectorId, 'Removed'), 201));
  assert.equal((await entry(orgApp.id)).configurationCount, 3);
  expectStatus(await owner.api('DELETE', `/api/v1/connectors/${extra.id}`), 204, 'remove a configuration');
  assert.equal((await entry(orgApp.id)).configurationCount, 2);
});

test('blocking: out of the catalog, no new configuration, no upload to a team; existing configurations keep posting; allowing restores it', async () => {
  assert.ok((await catalogIds(member.api, alphaGeneral)).includes(orgApp.id), 'offered before the block');
  const auditBefore = (await blockActions()).length;

  const blocked = expectJson(expectStatus(await admin('PATCH', `${APPS}/${orgApp.id}`, { blocked: true }), 200, 'block'));
  assert.equal(blocked.blocked, true);
  assert.equal(blocked.configurationCount, 2, 'what keeps working, for the confirmation');
  assert.equal(blocked.teamCount, 2);
  assert.equal((await entry(orgApp.id)).blocked, true, 'the list shows the block');

  const audit = await blockActions();
  assert.equal(audit.length, auditBefore + 1);
  assert.equal(audit[0].action, 'app.block');
  assert.equal(audit[0].target, orgApp.id);
  assert.equal(audit[0].before.blocked, false);
  assert.equal(audit[0].after.blocked, true);
  assert.equal(audit[0].after.displayName, 'Blockable');

  // Gone from every connectors dialog, for members, owners and the administrator alike.
  for (const [call, ch] of [[member.api, alphaGeneral], [owner.api, betaGeneral], [admin, alphaGeneral]]) {
    assert.ok(!(await catalogIds(call, ch)).includes(orgApp.id), 'a blocked app is not offered');
  }
  assert.ok((await catalogIds(owner.api, alphaGeneral)).includes(teamApp.id), 'other apps stay');

  // No new configuration: 403 naming the block, nothing created.
  const n = await configCount(owner.api, alphaGeneral);
  const refused = expectGraphError(await configure(owner.api, alphaGeneral, ORG_APP.connectorId), 403, 'blocked');
  assert.equal(refused.code, 'AppBlocked');
  assert.equal(await configCount(owner.api, alphaGeneral), n, 'nothing created');

  // No upload of the same app to a team while blocked: 403, the team's apps unchanged.
  const appsBefore = await listApps();
  const up = expectGraphError(await upload(owner.api, `/v1.0/teams/${beta.id}/installedApps`, appZip(ORG_APP, '1.0.1')), 403, 'blocked');
  assert.equal(up.code, 'AppBlocked');
  assert.deepEqual(await listApps(), appsBefore, 'no app added');

  // The configurations it has keep posting.
  for (const [hook, team, ch] of [[hooks[0], alpha, alphaGeneral], [hooks[1], beta, betaGeneral]]) {
    const before = await messageCount(owner.api, team.id, ch.id, srv);
    const r = await postCard(hook.webhookUrl, 'still posting while blocked');
    assert.equal(r.status, 200, r.text);
    assert.equal(await messageCount(owner.api, team.id, ch.id, srv), before + 1, 'the post was stored');
  }

  // They can still be changed; a new version published to the catalog stays blocked.
  const renamed = await owner.api('PATCH', `/api/v1/connectors/${hooks[0].id}`, { configName: 'Alerts (renamed)' });
  expectStatus(renamed, 200, 'change a configuration of a blocked app');
  const v2 = expectJson(expectStatus(await upload(admin, '/v1.0/appCatalogs/teamsApps', appZip(ORG_APP, '1.1.0')), 200, 'new version'));
  assert.equal(v2.id, orgApp.id);
  const now = await entry(orgApp.id);
  assert.equal(now.version, '1.1.0');
  assert.equal(now.blocked, true, 'still blocked');
  assert.ok(!(await catalogIds(member.api, alphaGeneral)).includes(orgApp.id));

  // Blocking again changes nothing and logs nothing.
  expectStatus(await admin('PATCH', `${APPS}/${orgApp.id}`, { blocked: true }), 200, 'block again');
  assert.equal((await blockActions()).length, auditBefore + 1, 'no second entry');

  // Allowing restores it all.
  const allowed = expectJson(expectStatus(await admin('PATCH', `${APPS}/${orgApp.id}`, { blocked: false }), 200, 'allow'));
  assert.equal(allowed.blocked, false);
  const after = await blockActions();
  assert.equal(after.length, auditBefore + 2);
  assert.equal(after[0].action, 'app.allow');
  assert.equal(after[0].before.blocked, true);
  assert.equal(after[0].after.blocked, false);
  assert.ok((await catalogIds(member.api, alphaGeneral)).includes(orgApp.id), 'offered again');
  const made = expectJson(expectStatus(await configure(owner.api, alphaGeneral, ORG_APP.connectorId, 'After allow'), 201, 'configure after allow'));
  expectStatus(await owner.api('DELETE', `/api/v1/connectors/${made.id}`), 204);
});

test('an app uploaded to a team can be blocked too: its team loses it from the dialog and cannot upload it again', async () => {
  expectStatus(await admin('PATCH', `${APPS}/${teamApp.id}`, { blocked: true }), 200, 'block the team app');
  assert.ok(!(await catalogIds(owner.api, alphaGeneral)).includes(teamApp.id));
  expectGraphError(await configure(owner.api, alphaGeneral, TEAM_APP.connectorId), 403, 'blocked');
  const before = await entry(teamApp.id);
  expectGraphError(await upload(owner.api, `/v1.0/teams/${alpha.id}/installedApps`, appZip(TEAM_APP, '2.0.0')), 403, 'blocked');
  assert.deepEqual(await entry(teamApp.id), before, 'no new version written');
  expectStatus(await admin('PATCH', `${APPS}/${teamApp.id}`, { blocked: false }), 200, 'allow the team app');
  assert.ok((await catalogIds(owner.api, alphaGeneral)).includes(teamApp.id));
});

test('refusals change nothing: members, owners and guests 403, unknown id 404, a bad body 400', async () => {
  const appsBefore = await listApps();
  const auditBefore = (await blockActions()).length;
  for (const [who, call] of [['member', member.api], ['owner', owner.api], ['guest', guest.api]]) {
    expectStatus(await call('GET', APPS), 403, `${who} GET`);
    expectStatus(await call('PATCH', `${APPS}/${orgApp.id}`, { blocked: true }), 403, `${who} PATCH`);
  }
  expectStatus(await api(srv)('GET', APPS), 401, 'no credentials');
  expectStatus(await api(srv)('PATCH', `${APPS}/${orgApp.id}`, { blocked: true }), 401, 'no credentials PATCH');
  expectGraphError(await admin('PATCH', `${APPS}/${NO_SUCH_ID}`, { blocked: true }), 404);
  for (const body of [{}, { blocked: 'yes' }, { blocked: null }, { blocked: 1 }]) {
    expectGraphError(await admin('PATCH', `${APPS}/${orgApp.id}`, body), 400, 'blocked');
  }
  expectStatus(await admin('PATCH', `${APPS}/${orgApp.id}`, '[true]', { contentType: 'application/json' }), 400, 'not an object');
  assert.deepEqual(await listApps(), appsBefore, 'no app changed');
  assert.equal((await blockActions()).length, auditBefore, 'nothing audited');
});
