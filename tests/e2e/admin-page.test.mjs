// The routes the administrator's page reads (docs/admin.md): GET /api/v1/admin/teams (every
// team of the organisation with its counts), GET /api/v1/admin/impact (what the organisation
// switches reach now, for the confirmations) and the audit log's filters and target names.
// Admins only: members and guests get 403 and nothing changes. Its own server: the counts
// are organisation-wide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import { expectStatus, expectJson, expectGraphError, createTeam, generalChannel, addMember, uniqueName } from './lib/graph.mjs';
import { createWebhook } from './lib/webhooks.mjs';
import { ORG, AUDIT, adminTeamPath, patchOrg } from './lib/policy.mjs';

const TEAMS = '/api/v1/admin/teams';
const IMPACT = '/api/v1/admin/impact';

let srv;
let admin;
let owner;
let member;
let alpha;
let beta;
let alphaGeneral;
let betaGeneral;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  [owner, member] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member')]);
  alpha = await createTeam(owner.api, uniqueName('Alpha'));
  beta = await createTeam(owner.api, uniqueName('Beta'));
  alphaGeneral = await generalChannel(owner.api, alpha.id);
  betaGeneral = await generalChannel(owner.api, beta.id);
  await addMember(owner.api, alpha.id, member.id, []);
});

after(async () => {
  if (srv) await srv.close();
});

async function impact() {
  return expectJson(expectStatus(await admin('GET', IMPACT), 200, 'GET impact'));
}

test('GET /api/v1/admin/teams lists every team, also those the admin is not in, with counts', async () => {
  const hook = await createWebhook(owner.api, alphaGeneral.id, { name: 'Counted' });
  const list = expectJson(expectStatus(await admin('GET', TEAMS), 200, 'GET admin teams')).value;
  const a = list.find((t) => t.id === alpha.id);
  const b = list.find((t) => t.id === beta.id);
  assert.ok(a && b, `both teams listed: ${JSON.stringify(list)}`);
  assert.equal(a.displayName, alpha.displayName);
  assert.equal(a.memberCount, 2, 'owner and member');
  assert.equal(a.ownerCount, 1);
  assert.deepEqual(a.owners, [{ id: owner.id, displayName: owner.displayName }], 'owners by name');
  assert.equal(a.webhookCount, 1);
  assert.equal(a.connectorCount, 1);
  assert.equal(a.connectorsEnabled, null, 'group switch not set');
  assert.equal(b.memberCount, 1);
  assert.equal(b.webhookCount, 0);
  const joined = expectJson(await admin('GET', '/v1.0/me/joinedTeams')).value;
  assert.ok(!joined.some((t) => t.id === alpha.id), 'the admin is not a member of alpha');
  await setSwitchAndCheck(a, false);
  expectStatus(await owner.api('DELETE', `/api/v1/connectors/${hook.id}`), 204, 'delete hook');
});

async function setSwitchAndCheck(team, value) {
  expectStatus(await admin('PATCH', adminTeamPath(team.id), { connectorsEnabled: value }), 204, 'team switch');
  const list = expectJson(await admin('GET', TEAMS)).value;
  assert.equal(list.find((t) => t.id === team.id).connectorsEnabled, value);
  expectStatus(await admin('PATCH', adminTeamPath(team.id), { connectorsEnabled: null }), 204, 'team switch back');
}

test('GET /api/v1/admin/impact counts live webhooks and the teams they are in; removed ones do not count', async () => {
  const start = await impact();
  assert.deepEqual(start, { connectors: { count: 0, teams: 0 }, webhooks: { count: 0, teams: 0 }, unsignedOnlyWebhooks: { count: 0, teams: 0 } });
  const h1 = await createWebhook(owner.api, alphaGeneral.id, { name: 'One' });
  await createWebhook(owner.api, alphaGeneral.id, { name: 'Two' });
  await createWebhook(owner.api, betaGeneral.id, { name: 'Three' });
  let now = await impact();
  assert.deepEqual(now.webhooks, { count: 3, teams: 2 });
  assert.deepEqual(now.connectors, { count: 3, teams: 2 });
  assert.deepEqual(now.unsignedOnlyWebhooks, { count: 0, teams: 0 });
  // Webhooks made while the organisation hands out unsigned (legacy) URLs have only those.
  await patchOrg(admin, { webhookUrlFormat: 'legacy' });
  await createWebhook(owner.api, betaGeneral.id, { name: 'Legacy' });
  await patchOrg(admin, { webhookUrlFormat: null });
  expectStatus(await owner.api('DELETE', `/api/v1/connectors/${h1.id}`), 204, 'delete one');
  now = await impact();
  assert.deepEqual(now.webhooks, { count: 3, teams: 2 });
  assert.deepEqual(now.unsignedOnlyWebhooks, { count: 1, teams: 1 });
});

test('the audit log names its targets and filters by action, actor and time; nextLink keeps the filters', async () => {
  expectStatus(await admin('PATCH', adminTeamPath(beta.id), { connectorsEnabled: false }), 204);
  expectStatus(await admin('PATCH', adminTeamPath(beta.id), { connectorsEnabled: null }), 204);
  let page = expectJson(expectStatus(await admin('GET', `${AUDIT}?action=team.`), 200));
  assert.ok(page.value.length >= 2);
  assert.ok(page.value.every((e) => e.action.startsWith('team.')), JSON.stringify(page.value.map((e) => e.action)));
  const sw = page.value.find((e) => e.target === beta.id);
  const t0 = page.value.filter((e) => e.target === beta.id).at(-1).dateTime;
  assert.equal(sw.targetName, beta.displayName, 'the team is named');
  page = expectJson(await admin('GET', `${AUDIT}?action=webhook.create`));
  assert.ok(page.value.length >= 4);
  assert.ok(page.value.every((e) => e.action === 'webhook.create'));
  assert.ok(page.value.some((e) => e.targetName === 'Legacy'), 'webhooks are named');
  // Actor: part of the name in any case; the owner made the webhooks, the admin the switches.
  const part = owner.displayName.slice(0, 5).toUpperCase();
  page = expectJson(await admin('GET', `${AUDIT}?actor=${encodeURIComponent(part)}`));
  assert.ok(page.value.length >= 4);
  assert.ok(page.value.every((e) => e.actor.displayName === owner.displayName), JSON.stringify(page.value.map((e) => e.actor)));
  page = expectJson(await admin('GET', `${AUDIT}?actor=${encodeURIComponent('100%_')}`));
  assert.deepEqual(page.value, [], 'LIKE wildcards are plain characters');
  // Time: from the first of the two switches just made (its own dateTime), and before it.
  page = expectJson(await admin('GET', `${AUDIT}?since=${encodeURIComponent(t0)}&action=team.connectors`));
  assert.equal(page.value.length, 2, JSON.stringify(page.value));
  page = expectJson(await admin('GET', `${AUDIT}?until=${encodeURIComponent(t0)}&action=team.connectors`));
  assert.equal(page.value.length, 2, 'the two switches of the first test');
  // More than a page of one action: the next page keeps the filter.
  for (let i = 0; i < 51; i++) {
    expectStatus(await admin('PATCH', adminTeamPath(alpha.id), { connectorsEnabled: false }), 204);
    expectStatus(await admin('PATCH', adminTeamPath(alpha.id), { connectorsEnabled: null }), 204);
  }
  const me = expectJson(await admin('GET', '/v1.0/me'));
  page = expectJson(await admin('GET', `${AUDIT}?action=team.connectors&actor=${encodeURIComponent(me.displayName)}`));
  assert.equal(page.value.length, 100);
  const next = page['@odata.nextLink'];
  assert.match(next, /action=team\.connectors/);
  const rest = expectJson(await admin('GET', next));
  assert.ok(rest.value.length >= 6 && rest.value.every((e) => e.action === 'team.connectors'), JSON.stringify(rest.value.map((e) => e.action)));
});

test('members get 403 from the admin page routes, and nothing changes', async () => {
  const before = await impact();
  const auditBefore = expectJson(await admin('GET', AUDIT)).value[0];
  for (const call of [member.api, owner.api]) {
    expectGraphError(await call('GET', TEAMS), 403);
    expectGraphError(await call('GET', IMPACT), 403);
    expectGraphError(await call('GET', `${AUDIT}?action=team.`), 403);
    expectGraphError(await call('PATCH', ORG, { connectorsEnabled: false }), 403);
  }
  assert.deepEqual(await impact(), before);
  assert.deepEqual(expectJson(await admin('GET', AUDIT)).value[0], auditBefore);
  expectGraphError(await admin('GET', `${AUDIT}?$skiptoken=x&action=team.`), 400);
});
