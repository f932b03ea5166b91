// Admin policy over HTTP (issue "Admin policy"; contract sections 4 and 5):
//   1. GET/PATCH /api/v1/admin/organization: effective values, defaults per cloudEnvironment
//      (gcc/gcch: connectors off until an admin turns them on; commercial/dod: on),
//      customConnectorsAllowed only in commercial, null = "not set", validation, access.
//   2. PATCH /api/v1/admin/teams/{id} {connectorsEnabled}: the group switch; the organisation
//      wins over the group.
//   3. What "disabled" does: no new webhooks (403 naming organization/team), posts to both URL
//      shapes refused with 403 and the Teams sentence and nothing stored, existing
//      configurations kept (listed, deletable) and working again once re-enabled.
//   4. memberSettings.allowCreateUpdateRemoveConnectors: members vs owners vs guests.
//   7. The creator leaves while connectors are disabled; re-enabled, the webhook works.
//
// Organisation settings are global, so this file runs one server and its tests in order; every
// test that changes a setting puts it back.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectGuid, createTeam, createChannel, generalChannel, addMember,
  listMembers, uniqueName,
} from './lib/graph.mjs';
import {
  LEGACY_URL_RE, webhooksPath, createWebhook, listConnectors, postTo, expectRefused, expectWorkflowError, messageCard,
} from './lib/webhooks.mjs';
import {
  ORG, NO_SUCH_ID, SWITCHES, TEAMS_403, adminTeamPath, getOrg, patchOrg, resetOrg, setTeamSwitch, setMemberConnectors,
  expectPostsRefusedByPolicy, expectPostsWork,
} from './lib/policy.mjs';

// The refusal names the level: "Teams" (the product) does not count as naming the team.
const ORG_RE = /\borgani[sz]ation\b/i;
const TEAM_RE = /\bteam\b/i;

let srv;
let admin; // api() caller with the admin token
let owner;
let member;
let guest;
let outsider;
let teamA; // owner's team with member and guest
let teamB; // owner's second team
let chanA;
let chanB;
let hookA; // on chanA, created by the member
let hookB; // on chanB, created by the owner

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  [owner, member, guest, outsider] = await Promise.all([
    newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'guest'), newUser(srv, 'outsider'),
  ]);
  teamA = await createTeam(owner.api, uniqueName('Policy A'));
  teamB = await createTeam(owner.api, uniqueName('Policy B'));
  chanA = await generalChannel(owner.api, teamA.id);
  chanB = await generalChannel(owner.api, teamB.id);
  await addMember(owner.api, teamA.id, member.id, []);
  await addMember(owner.api, teamA.id, guest.id, ['guest']);
  hookA = await createWebhook(member.api, chanA.id, { name: uniqueName('Hook A') });
  hookB = await createWebhook(owner.api, chanB.id, { name: uniqueName('Hook B') });
});

after(async () => {
  if (srv) await srv.close();
});

const worksA = (note) => expectPostsWork(srv, owner.api, teamA.id, chanA.id, hookA, note);
const worksB = (note) => expectPostsWork(srv, owner.api, teamB.id, chanB.id, hookB, note);
const refusedA = (note) => expectPostsRefusedByPolicy(srv, owner.api, teamA.id, chanA.id, hookA, note);
const refusedB = (note) => expectPostsRefusedByPolicy(srv, owner.api, teamB.id, chanB.id, hookB, note);

// Creating a webhook on `channelId` as `call` is refused by policy: 403 whose message matches `re`.
async function expectCreateRefused(call, channelId, re, note = 'create while connectors are disabled') {
  const r = await call('POST', webhooksPath(channelId), { name: uniqueName('Refused') });
  assert.equal(r.status, 403, `${note}: expected 403, got ${r.status} ${r.text}`);
  return expectGraphError(r, 403, re);
}

// ---------------------------------------------------------------------------------------------

describe('1. GET/PATCH /api/v1/admin/organization: effective values and cloud defaults', () => {
  after(async () => {
    await resetOrg(admin);
  });

  test('GET -> 200 {connectorsEnabled, connectorsEnabledForTeams, connectorsActionableMessagesEnabled, cloudEnvironment, outboundAllowedHosts, customConnectorsAllowed, explicitSettings, tenantId}', async () => {
    const o = await getOrg(admin);
    for (const k of SWITCHES) assert.equal(typeof o[k], 'boolean', `${k}: ${JSON.stringify(o)}`);
    assert.ok(['commercial', 'gcc', 'gcch', 'dod'].includes(o.cloudEnvironment), `cloudEnvironment: ${JSON.stringify(o)}`);
    assert.ok(Array.isArray(o.outboundAllowedHosts), `outboundAllowedHosts: ${JSON.stringify(o)}`);
    assert.equal(typeof o.customConnectorsAllowed, 'boolean', `customConnectorsAllowed: ${JSON.stringify(o)}`);
    assert.ok(Array.isArray(o.explicitSettings), `explicitSettings: ${JSON.stringify(o)}`);
    expectGuid(o.tenantId, 'tenantId');
  });

  test('a fresh installation: commercial, the three switches on, customConnectorsAllowed true, nothing set explicitly', async () => {
    const o = await getOrg(admin);
    assert.equal(o.cloudEnvironment, 'commercial');
    for (const k of SWITCHES) assert.equal(o[k], true, `${k} defaults to true in commercial: ${JSON.stringify(o)}`);
    assert.equal(o.customConnectorsAllowed, true);
    assert.deepEqual(o.explicitSettings, []);
    await worksA('fresh installation');
  });

  test('non-admins: GET and PATCH -> 403 (owner, member, guest); no credentials -> 401; nothing changes', async () => {
    for (const u of [owner, member, guest]) {
      expectGraphError(await u.api('GET', ORG), 403);
      expectGraphError(await u.api('PATCH', ORG, { connectorsEnabled: false }), 403);
    }
    expectGraphError(await api(srv)('GET', ORG), 401);
    expectGraphError(await api(srv)('PATCH', ORG, { connectorsEnabled: false }), 401);
    const o = await getOrg(admin);
    assert.equal(o.connectorsEnabled, true);
    assert.deepEqual(o.explicitSettings, []);
  });

  // [cloud, connectors on by default?, customConnectorsAllowed]
  const clouds = [
    ['gcc', false, false],
    ['gcch', false, false],
    ['dod', true, false],
    ['commercial', true, true],
  ];
  for (const [cloud, on, custom] of clouds) {
    test(`cloudEnvironment "${cloud}": the three switches ${on ? 'on' : 'off'} until set, customConnectorsAllowed ${custom}; webhooks ${on ? 'work' : 'refused'}`, async () => {
      try {
        const patched = await patchOrg(admin, { cloudEnvironment: cloud });
        for (const o of [patched, await getOrg(admin)]) {
          assert.equal(o.cloudEnvironment, cloud);
          for (const k of SWITCHES) assert.equal(o[k], on, `${k} in ${cloud} (not set): ${JSON.stringify(o)}`);
          assert.equal(o.customConnectorsAllowed, custom, `customConnectorsAllowed in ${cloud}: ${JSON.stringify(o)}`);
          assert.deepEqual(o.explicitSettings, ['cloudEnvironment'], `only cloudEnvironment was set: ${JSON.stringify(o)}`);
        }
        if (on) {
          await worksA(cloud);
          const h = await createWebhook(owner.api, chanA.id, { name: uniqueName(`In ${cloud}`) });
          expectStatus(await owner.api('DELETE', `/api/v1/connectors/${h.id}`), 204);
        } else {
          await refusedA(cloud);
          await expectCreateRefused(owner.api, chanA.id, ORG_RE, `create in ${cloud}`);
        }
      } finally {
        await patchOrg(admin, { cloudEnvironment: null });
      }
    });
  }

  test('gcc: connectorsEnabled alone is not enough while connectorsEnabledForTeams is still off by default', async () => {
    try {
      const o = await patchOrg(admin, { cloudEnvironment: 'gcc', connectorsEnabled: true });
      assert.equal(o.connectorsEnabled, true);
      assert.equal(o.connectorsEnabledForTeams, false);
      assert.equal(o.connectorsActionableMessagesEnabled, false);
      await refusedA('gcc with only connectorsEnabled');
      await expectCreateRefused(owner.api, chanA.id, ORG_RE);
    } finally {
      await resetOrg(admin);
    }
  });

  test('gcch: an admin turns the switches on -> connectors work; explicitSettings lists what was set', async () => {
    try {
      const o = await patchOrg(admin, { cloudEnvironment: 'gcch', connectorsEnabled: true, connectorsEnabledForTeams: true, connectorsActionableMessagesEnabled: true });
      for (const k of SWITCHES) assert.equal(o[k], true, k);
      assert.equal(o.customConnectorsAllowed, false, 'custom connectors stay commercial-only');
      assert.deepEqual([...o.explicitSettings].sort(), ['cloudEnvironment', ...SWITCHES].sort());
      await worksA('gcch with the switches on');
      const h = await createWebhook(member.api, chanA.id, { name: uniqueName('In gcch') });
      expectStatus(await member.api('DELETE', `/api/v1/connectors/${h.id}`), 204);
    } finally {
      await resetOrg(admin);
    }
  });

  test('explicit values survive a cloud change; null returns a setting to "not set" (the cloud default)', async () => {
    try {
      let o = await patchOrg(admin, { cloudEnvironment: 'gcc', connectorsEnabled: true });
      assert.deepEqual([...o.explicitSettings].sort(), ['cloudEnvironment', 'connectorsEnabled']);
      o = await patchOrg(admin, { cloudEnvironment: 'commercial' });
      assert.equal(o.connectorsEnabled, true);
      assert.equal(o.connectorsEnabledForTeams, true);
      o = await patchOrg(admin, { cloudEnvironment: 'gcch' });
      assert.equal(o.connectorsEnabled, true, 'the explicit connectorsEnabled is kept');
      assert.equal(o.connectorsEnabledForTeams, false, 'the unset switch follows the cloud');
      o = await patchOrg(admin, { connectorsEnabled: null });
      assert.equal(o.connectorsEnabled, false, 'null -> the gcch default (off)');
      assert.ok(!o.explicitSettings.includes('connectorsEnabled'), `explicitSettings: ${JSON.stringify(o.explicitSettings)}`);
      o = await patchOrg(admin, { cloudEnvironment: null });
      assert.equal(o.cloudEnvironment, 'commercial');
      assert.equal(o.connectorsEnabled, true);
      assert.deepEqual(o.explicitSettings, []);
      // In commercial: an explicit false, then null -> back to true.
      o = await patchOrg(admin, { connectorsActionableMessagesEnabled: false });
      assert.equal(o.connectorsActionableMessagesEnabled, false);
      assert.deepEqual(o.explicitSettings, ['connectorsActionableMessagesEnabled']);
      o = await patchOrg(admin, { connectorsActionableMessagesEnabled: null });
      assert.equal(o.connectorsActionableMessagesEnabled, true);
      assert.deepEqual((await getOrg(admin)).explicitSettings, []);
    } finally {
      await resetOrg(admin);
    }
  });

  const badValues = [
    ['connectorsEnabled', 'yes'],
    ['connectorsEnabled', 1],
    ['connectorsEnabled', 'true'],
    ['connectorsEnabledForTeams', 0],
    ['connectorsEnabledForTeams', {}],
    ['connectorsActionableMessagesEnabled', 'false'],
    ['connectorsActionableMessagesEnabled', []],
    ['cloudEnvironment', 'azure'],
    ['cloudEnvironment', 'GCC High'],
    ['cloudEnvironment', true],
    ['outboundAllowedHosts', 'example.com'],
    ['outboundAllowedHosts', [5]],
  ];
  for (const [field, value] of badValues) {
    test(`${field}: ${JSON.stringify(value)} -> 400 naming ${field}`, async () => {
      expectGraphError(await admin('PATCH', ORG, { [field]: value }), 400, field);
    });
  }

  for (const field of ['customConnectorsAllowed', 'explicitSettings', 'tenantId']) {
    test(`${field} is read-only -> 400 naming it`, async () => {
      const value = field === 'explicitSettings' ? [] : field === 'tenantId' ? NO_SUCH_ID : false;
      expectGraphError(await admin('PATCH', ORG, { [field]: value }), 400, field);
    });
  }

  test('a PATCH with one bad member changes nothing; malformed JSON or a JSON array -> 400', async () => {
    expectGraphError(await admin('PATCH', ORG, { connectorsEnabled: false, cloudEnvironment: 'mars' }), 400, 'cloudEnvironment');
    expectGraphError(await admin('PATCH', ORG, { cloudEnvironment: 'gcc', connectorsEnabledForTeams: 'no' }), 400, 'connectorsEnabledForTeams');
    expectGraphError(await admin('PATCH', ORG, '{"connectorsEnabled":'), 400);
    expectGraphError(await admin('PATCH', ORG, '[{"connectorsEnabled":false}]'), 400);
    const o = await getOrg(admin);
    assert.equal(o.connectorsEnabled, true);
    assert.equal(o.cloudEnvironment, 'commercial');
    assert.deepEqual(o.explicitSettings, []);
    await worksA('after refused PATCHes');
  });
});

// ---------------------------------------------------------------------------------------------

describe('2. PATCH /api/v1/admin/teams/{id} {connectorsEnabled}: the group switch', () => {
  after(async () => {
    await setTeamSwitch(admin, teamA.id, null);
    await setTeamSwitch(admin, teamB.id, null);
    await resetOrg(admin);
  });

  test('true, false and null -> 204', async () => {
    for (const v of [false, true, null]) await setTeamSwitch(admin, teamB.id, v);
    await worksB('after false, true, null');
  });

  test('the team\'s owner (not an admin) -> 403, a member -> 403, an outsider -> 403, no credentials -> 401; the switch is unchanged', async () => {
    for (const u of [owner, member, outsider]) {
      expectGraphError(await u.api('PATCH', adminTeamPath(teamA.id), { connectorsEnabled: false }), 403);
    }
    expectGraphError(await api(srv)('PATCH', adminTeamPath(teamA.id), { connectorsEnabled: false }), 401);
    await worksA('after refused switches');
  });

  test('an unknown team -> 404', async () => {
    expectGraphError(await admin('PATCH', adminTeamPath(NO_SUCH_ID), { connectorsEnabled: false }), 404);
    expectGraphError(await admin('PATCH', adminTeamPath('not-a-team'), { connectorsEnabled: false }), 404);
  });

  const badBodies = [
    ['{}', {}],
    ['connectorsEnabled "no"', { connectorsEnabled: 'no' }],
    ['connectorsEnabled 0', { connectorsEnabled: 0 }],
    ['connectorsEnabled "false"', { connectorsEnabled: 'false' }],
  ];
  for (const [what, body] of badBodies) {
    test(`bad body ${what} -> 400 naming connectorsEnabled`, async () => {
      expectGraphError(await admin('PATCH', adminTeamPath(teamA.id), body), 400, 'connectorsEnabled');
    });
  }

  test('malformed JSON and a JSON array -> 400; the switch is unchanged', async () => {
    expectGraphError(await admin('PATCH', adminTeamPath(teamA.id), '{"connectorsEnabled":'), 400);
    expectGraphError(await admin('PATCH', adminTeamPath(teamA.id), '[false]'), 400);
    await worksA('after bad bodies');
  });

  test('organisation on + team off -> that team only: its posts and new webhooks refused (message names the team), the other team unaffected', async () => {
    await setTeamSwitch(admin, teamA.id, false);
    await refusedA('team A off');
    await expectCreateRefused(owner.api, chanA.id, TEAM_RE);
    await expectCreateRefused(member.api, chanA.id, TEAM_RE);
    await expectCreateRefused(admin, chanA.id, TEAM_RE, 'an admin creating on a switched-off team');
    await worksB('team B while team A is off');
    const h = await createWebhook(owner.api, chanB.id, { name: uniqueName('B still allowed') });
    expectStatus(await owner.api('DELETE', `/api/v1/connectors/${h.id}`), 204);
    await setTeamSwitch(admin, teamA.id, null);
    await worksA('team A back to "not set"');
  });

  test('team explicitly on does not override organisation connectorsEnabled false: every team refused, the message names the organization', async () => {
    await setTeamSwitch(admin, teamA.id, true);
    try {
      await patchOrg(admin, { connectorsEnabled: false });
      await refusedA('team A on, organisation off');
      await refusedB('team B, organisation off');
      await expectCreateRefused(owner.api, chanA.id, ORG_RE);
      await expectCreateRefused(owner.api, chanB.id, ORG_RE);
    } finally {
      await resetOrg(admin);
    }
    await worksA('organisation back on');
    await worksB('organisation back on');
  });

  test('organisation connectorsEnabledForTeams false also turns every team off, whatever the team says', async () => {
    await setTeamSwitch(admin, teamA.id, true);
    try {
      const o = await patchOrg(admin, { connectorsEnabledForTeams: false });
      assert.equal(o.connectorsEnabled, true);
      await refusedA('connectorsEnabledForTeams off, team A on');
      await refusedB('connectorsEnabledForTeams off');
      await expectCreateRefused(owner.api, chanA.id, ORG_RE);
    } finally {
      await resetOrg(admin);
    }
    await worksA('back on');
  });

  test('organisation off and team off; organisation back on -> the team stays off; team null -> on', async () => {
    await setTeamSwitch(admin, teamA.id, false);
    await patchOrg(admin, { connectorsEnabled: false });
    await refusedA('both off');
    await patchOrg(admin, { connectorsEnabled: null });
    await refusedA('organisation on, team still off');
    await worksB('team B with the organisation on');
    await setTeamSwitch(admin, teamA.id, null);
    await worksA('both on');
  });
});

// ---------------------------------------------------------------------------------------------

for (const level of ['organization', 'team']) {
  describe(`3. connectors disabled by ${level} policy: what it does`, () => {
    let channel;
    let kept; // created by the member before the switch
    let doomed; // created by the owner before the switch, removed while disabled
    let legacy; // a webhook with a legacy (unsigned) URL
    const mention = level === 'team' ? TEAM_RE : ORG_RE;

    const disable = async () => {
      if (level === 'organization') await patchOrg(admin, { connectorsEnabled: false });
      else await setTeamSwitch(admin, teamA.id, false);
    };
    const enable = async () => {
      if (level === 'organization') await patchOrg(admin, { connectorsEnabled: null });
      else await setTeamSwitch(admin, teamA.id, null);
    };

    before(async () => {
      channel = await createChannel(owner.api, teamA.id, uniqueName(`Disabled by ${level}`));
      kept = await createWebhook(member.api, channel.id, { name: uniqueName('Kept') });
      doomed = await createWebhook(owner.api, channel.id, { name: uniqueName('Doomed') });
      await patchOrg(admin, { webhookUrlFormat: 'legacy' });
      try {
        legacy = await createWebhook(owner.api, channel.id, { name: uniqueName('Legacy') });
      } finally {
        await patchOrg(admin, { webhookUrlFormat: null });
      }
      assert.match(legacy.url, LEGACY_URL_RE);
      await expectPostsWork(srv, owner.api, teamA.id, channel.id, kept, 'before the switch');
      await expectPostsWork(srv, owner.api, teamA.id, channel.id, legacy, 'legacy URL before the switch');
      await disable();
    });

    after(async () => {
      await enable();
      await resetOrg(admin);
    });

    test(`creating a webhook -> 403 with a message naming the ${level} (owner, member, admin)`, async () => {
      for (const who of [owner.api, member.api, admin]) await expectCreateRefused(who, channel.id, mention);
      const e = await expectCreateRefused(owner.api, chanA.id, mention, 'another channel of the team');
      assert.match(e.message, /connector/i, `the message should say connectors are off: ${e.message}`);
    });

    test(`posts to existing webhook URLs -> 403 with "${TEAMS_403}" (connector URL) and a JSON error (workflow URL); nothing stored`, async () => {
      const { connector, workflow } = await expectPostsRefusedByPolicy(srv, owner.api, teamA.id, channel.id, kept, `${level} off`);
      assert.match(connector.contentType, /^text\/plain\b/i, `connector-URL refusal is text/plain: ${connector.contentType}`);
      assert.match(connector.text, mention, `the sentence should say why (the ${level}): ${connector.text}`);
      assert.match(workflow.body.error.message, mention, `workflow error: ${JSON.stringify(workflow.body)}`);
    });

    test('the other URL shapes are refused too: a legacy /webhook/... URL and the /powerautomate/... form of the workflow URL (403)', async () => {
      await expectPostsRefusedByPolicy(srv, owner.api, teamA.id, channel.id, legacy, `legacy URL, ${level} off`);
      const u = new URL(kept.workflowUrl);
      const alt = `${srv.url}/powerautomate/automations/direct${u.pathname}${u.search}`;
      expectWorkflowError(await postTo(alt, messageCard('power automate')), 403, TEAMS_403);
    });

    test('other bodies are refused the same way (text, Adaptive Card, even malformed JSON): 403', async () => {
      for (const body of [{ text: 'plain' }, '{"bad json', { type: 'message', attachments: [] }]) {
        expectRefused(await postTo(kept.url, body), 403, TEAMS_403);
      }
    });

    test('existing configurations are kept: listed by GET /api/v1/channels/{c}/connectors and readable', async () => {
      const value = await listConnectors(owner.api, channel.id);
      for (const h of [kept, doomed]) {
        const c = value.find((x) => x.id === h.id);
        assert.ok(c, `${h.id} must still be listed while connectors are off: ${JSON.stringify(value)}`);
        assert.equal(c.name, h.name);
        assert.equal(c.createdBy, h.createdBy);
      }
      const r = expectStatus(await member.api('GET', `/api/v1/connectors/${kept.id}`), 200);
      assert.equal(r.body.id, kept.id);
    });

    test('their managers can still remove them: DELETE -> 204, gone from the list, its URL -> 410', async () => {
      expectStatus(await owner.api('DELETE', `/api/v1/connectors/${doomed.id}`), 204, 'delete while connectors are off');
      const value = await listConnectors(owner.api, channel.id);
      assert.ok(!value.some((x) => x.id === doomed.id), `deleted webhook still listed: ${JSON.stringify(value)}`);
      expectRefused(await postTo(doomed.url, messageCard('removed')), 410);
    });

    test('re-enabled: the kept webhook works again on both URLs (200 / 202) and creating works again', async () => {
      await enable();
      await expectPostsWork(srv, owner.api, teamA.id, channel.id, kept, `${level} re-enabled`);
      await expectPostsWork(srv, owner.api, teamA.id, channel.id, legacy, `legacy URL, ${level} re-enabled`);
      const h = await createWebhook(member.api, channel.id, { name: uniqueName('After re-enable') });
      await expectPostsWork(srv, owner.api, teamA.id, channel.id, h, 'new webhook after re-enable');
    });
  });
}

// ---------------------------------------------------------------------------------------------

describe('4. memberSettings.allowCreateUpdateRemoveConnectors', () => {
  let team;
  let channel;
  let m1;
  let m2;
  let g;
  let ownersHook;
  let m1Hook;
  let spare; // created by the owner while members may not manage: for the "true" tests

  const rename = (who, id) => who.api('PATCH', `/api/v1/connectors/${id}`, { configName: uniqueName('Renamed') });
  const remove = (who, id) => who.api('DELETE', `/api/v1/connectors/${id}`);
  const updateUrl = (who, id) => who.api('POST', `/api/v1/webhooks/${id}/updateUrl`);
  const create = (who) => who.api('POST', webhooksPath(channel.id), { name: uniqueName('Created') });

  before(async () => {
    [m1, m2, g] = await Promise.all([newUser(srv, 'member1'), newUser(srv, 'member2'), newUser(srv, 'guestx')]);
    team = await createTeam(owner.api, uniqueName('Member settings'));
    channel = await generalChannel(owner.api, team.id);
    await addMember(owner.api, team.id, m1.id, []);
    await addMember(owner.api, team.id, m2.id, []);
    await addMember(owner.api, team.id, g.id, ['guest']);
    ownersHook = await createWebhook(owner.api, channel.id, { name: uniqueName('Owner\'s') });
    m1Hook = await createWebhook(m1.api, channel.id, { name: uniqueName('M1\'s') });
  });

  test('only owners change it: a member -> 403, a guest -> 403; the owner -> 204 and GET /v1.0/teams/{id} shows false', async () => {
    const body = { memberSettings: { allowCreateUpdateRemoveConnectors: false } };
    expectGraphError(await m1.api('PATCH', `/v1.0/teams/${team.id}`, body), 403);
    expectGraphError(await g.api('PATCH', `/v1.0/teams/${team.id}`, body), 403);
    let t = expectJson(expectStatus(await m1.api('GET', `/v1.0/teams/${team.id}`), 200));
    assert.equal(t.memberSettings.allowCreateUpdateRemoveConnectors, true, 'still the default (true)');
    await setMemberConnectors(owner.api, team.id, false);
    t = expectJson(expectStatus(await m1.api('GET', `/v1.0/teams/${team.id}`), 200));
    assert.equal(t.memberSettings.allowCreateUpdateRemoveConnectors, false);
  });

  test('false: a member cannot create (403)', async () => {
    expectGraphError(await create(m1), 403);
  });

  test('false: a member cannot rename, remove or updateUrl another\'s webhook (403), and nothing changes', async () => {
    expectGraphError(await rename(m1, ownersHook.id), 403, undefined);
    expectGraphError(await updateUrl(m1, ownersHook.id), 403);
    expectGraphError(await remove(m1, ownersHook.id), 403);
    const c = expectJson(expectStatus(await owner.api('GET', `/api/v1/connectors/${ownersHook.id}`), 200));
    assert.equal(c.name, ownersHook.name);
    assert.equal(c.url, ownersHook.url, 'the URL must not have changed');
  });

  test('false: a member cannot rename, remove or updateUrl even the webhook they created (403)', async () => {
    expectGraphError(await rename(m1, m1Hook.id), 403);
    expectGraphError(await updateUrl(m1, m1Hook.id), 403);
    expectGraphError(await remove(m1, m1Hook.id), 403);
    const value = await listConnectors(owner.api, channel.id);
    assert.ok(value.some((x) => x.id === m1Hook.id && x.name === m1Hook.name), 'unchanged');
  });

  test('false: the owner can create, rename, updateUrl and remove (members\' webhooks too)', async () => {
    const r = expectStatus(await create(owner), 201);
    spare = r.body;
    expectStatus(await rename(owner, m1Hook.id), 200, 'owner renames the member\'s webhook');
    expectStatus(await updateUrl(owner, ownersHook.id), 200, 'owner updates a URL');
    const extra = expectStatus(await create(owner), 201).body;
    expectStatus(await remove(owner, extra.id), 204);
  });

  test('false: guests -> 403 on create, rename, updateUrl, remove', async () => {
    expectGraphError(await create(g), 403);
    expectGraphError(await rename(g, ownersHook.id), 403);
    expectGraphError(await updateUrl(g, ownersHook.id), 403);
    expectGraphError(await remove(g, ownersHook.id), 403);
  });

  test('true: any member may manage connectors others set up (rename, updateUrl, remove) and create', async () => {
    await setMemberConnectors(owner.api, team.id, true);
    expectStatus(await rename(m2, m1Hook.id), 200, 'member 2 renames member 1\'s webhook');
    expectStatus(await updateUrl(m2, ownersHook.id), 200, 'member 2 updates the owner\'s URL');
    expectStatus(await remove(m2, spare.id), 204, 'member 2 removes the owner\'s webhook');
    const mine = expectStatus(await create(m2), 201).body;
    expectStatus(await rename(m1, mine.id), 200, 'member 1 renames member 2\'s webhook');
    expectStatus(await remove(m1, mine.id), 204, 'member 1 removes member 2\'s webhook');
  });

  test('true: guests still -> 403 on create, rename, updateUrl, remove', async () => {
    expectGraphError(await create(g), 403);
    expectGraphError(await rename(g, m1Hook.id), 403);
    expectGraphError(await updateUrl(g, m1Hook.id), 403);
    expectGraphError(await remove(g, m1Hook.id), 403);
    const value = await listConnectors(owner.api, channel.id);
    assert.ok(value.some((x) => x.id === m1Hook.id), 'the guest removed it anyway');
  });
});

// ---------------------------------------------------------------------------------------------

for (const level of ['organization', 'team']) {
  describe(`7. the creator leaves while connectors are disabled by ${level} policy`, () => {
    let team;
    let channel;
    let leaver;
    let hook;

    before(async () => {
      leaver = await newUser(srv, 'leaver');
      team = await createTeam(owner.api, uniqueName('Turnover'));
      channel = await generalChannel(owner.api, team.id);
      await addMember(owner.api, team.id, leaver.id, []);
      hook = await createWebhook(leaver.api, channel.id, { name: uniqueName('Leaver\'s hook') });
      await expectPostsWork(srv, owner.api, team.id, channel.id, hook, 'while the creator is here');
    });

    after(async () => {
      await setTeamSwitch(admin, team.id, null);
      await resetOrg(admin);
    });

    test('disabled, then the creator is removed: posts refused (403); re-enabled: posts work (200 / 202) and are stored', async () => {
      if (level === 'organization') await patchOrg(admin, { connectorsEnabled: false });
      else await setTeamSwitch(admin, team.id, false);
      await expectPostsRefusedByPolicy(srv, owner.api, team.id, channel.id, hook, 'disabled, creator still here');
      const membership = (await listMembers(owner.api, team.id)).find((m) => m.userId === leaver.id);
      assert.ok(membership, 'the creator is not a member');
      expectStatus(await owner.api('DELETE', `/v1.0/teams/${team.id}/members/${membership.id}`), 204, 'remove the creator');
      await expectPostsRefusedByPolicy(srv, owner.api, team.id, channel.id, hook, 'disabled, creator gone');
      if (level === 'organization') await patchOrg(admin, { connectorsEnabled: null });
      else await setTeamSwitch(admin, team.id, null);
      await expectPostsWork(srv, owner.api, team.id, channel.id, hook, 're-enabled after the creator left');
      const c = (await listConnectors(owner.api, channel.id)).find((x) => x.id === hook.id);
      assert.ok(c, 'the webhook must still be listed');
      assert.equal(c.createdBy, leaver.id);
    });
  });
}
