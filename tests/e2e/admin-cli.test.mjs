// `switchboard admin` (contract section 1; issue "Admin policy", rule 5): the cmdlet forms
// admins already use in runbooks, applied to a running installation's database.
//
//   switchboard admin --data <dir> Get-OrganizationConfig
//   switchboard admin --data <dir> Set-OrganizationConfig -ConnectorsEnabled:$false
//   switchboard admin --data <dir> Get-UnifiedGroup -Identity <team-id>
//   switchboard admin --data <dir> Set-UnifiedGroup -Identity <team-id> -ConnectorsEnabled:$false
//
// The CLI is spawned without a shell, so '$false' is one literal argv element. The server runs
// on the harness's data dir (Server.dataDir) and the CLI is pointed at the same directory.
// Organisation changes must reach the running server within one second (it caches the settings
// for up to 500 ms): the tests poll with back-to-back posts, bounded at 1.5 s, no sleeps.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import path from 'node:path';

import { startServer, api, newUser, runCli, STORE } from './lib/server.mjs';
import { expectStatus, createTeam, generalChannel, addMember, uniqueName } from './lib/graph.mjs';
import {
  createWebhook, postTo, expectAccepted, expectRefused, expectWorkflowError, messageCard,
} from './lib/webhooks.mjs';
import {
  NO_SUCH_ID, TEAMS_403, getOrg, patchOrg, resetOrg, setTeamSwitch, runAdmin, runAdminOk, showRun, parseNameValue,
  pollUntil, showPost, expectPostsRefusedByPolicy, expectPostsWork,
} from './lib/policy.mjs';

const APPLY_WITHIN_MS = 1000; // the contract: "applies them to a running installation within a second"
const POLL_BOUND_MS = 1500; // the polling loop gives up after this

let srv;
let admin;
let owner;
let member;
let teamA;
let teamB;
let chanA;
let chanB;
let hookA;
let hookB;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  [owner, member] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member')]);
  teamA = await createTeam(owner.api, uniqueName('CLI A'));
  teamB = await createTeam(owner.api, uniqueName('CLI B'));
  chanA = await generalChannel(owner.api, teamA.id);
  chanB = await generalChannel(owner.api, teamB.id);
  await addMember(owner.api, teamA.id, member.id, []);
  hookA = await createWebhook(member.api, chanA.id, { name: uniqueName('CLI hook A') });
  hookB = await createWebhook(owner.api, chanB.id, { name: uniqueName('CLI hook B') });
});

after(async () => {
  if (srv) await srv.close();
});

// Posts to hookA until `pred(response)` holds; asserts it held within APPLY_WITHIN_MS of `since`
// (the CLI's exit). Returns the poll result.
async function postsUntil(hook, pred, what, since) {
  const start = since || Date.now();
  const res = await pollUntil(
    () => postTo(hook.url, messageCard(uniqueName('poll'))),
    pred,
    { timeoutMs: POLL_BOUND_MS - (Date.now() - start), what, describe: showPost },
  );
  const elapsed = Date.now() - start;
  assert.ok(elapsed <= APPLY_WITHIN_MS, `${what}: took ${elapsed} ms after the CLI exited (${res.attempts} posts), more than ${APPLY_WITHIN_MS} ms`);
  return res;
}

const refused = (r) => r.status === 403;
const accepted = (r) => r.status === 200;

describe('Get-OrganizationConfig', () => {
  test('prints "Name : Value" lines: ConnectorsEnabled : True, ConnectorsEnabledForTeams : True, ConnectorsActionableMessagesEnabled : True, CloudEnvironment : commercial', async () => {
    const r = await runAdminOk(srv, 'Get-OrganizationConfig');
    const v = parseNameValue(r.stdout);
    assert.equal(v.ConnectorsEnabled, 'True', showRun(r));
    assert.equal(v.ConnectorsEnabledForTeams, 'True', showRun(r));
    assert.equal(v.ConnectorsActionableMessagesEnabled, 'True', showRun(r));
    assert.equal(v.CloudEnvironment, 'commercial', showRun(r));
    assert.ok(r.stdout.split('\n').some((l) => /^ConnectorsEnabled : True$/.test(l)), `a line exactly "ConnectorsEnabled : True":\n${r.stdout}`);
  });

  test('shows what the API set (effective values: gcc defaults, an explicit switch)', async () => {
    try {
      await patchOrg(admin, { cloudEnvironment: 'gcc', connectorsEnabledForTeams: true });
      const v = parseNameValue((await runAdminOk(srv, 'Get-OrganizationConfig')).stdout);
      assert.deepEqual(
        { e: v.ConnectorsEnabled, t: v.ConnectorsEnabledForTeams, a: v.ConnectorsActionableMessagesEnabled, c: v.CloudEnvironment },
        { e: 'False', t: 'True', a: 'False', c: 'gcc' },
      );
    } finally {
      await resetOrg(admin);
    }
  });

  // It opens the SQLite file in the data dir; with SB_STORE=postgres the server's data is elsewhere.
  test('--db sqlite:<data>/switchboard.db and SWITCHBOARD_DATA=<data> reach the same installation', {
    skip: STORE === 'postgres' && 'opens the SQLite file in the data dir; this run uses PostgreSQL (--db)',
  }, async () => {
    const viaDb = await runCli(['admin', '--db', `sqlite:${path.join(srv.dataDir, 'switchboard.db')}`, 'Get-UnifiedGroup', '-Identity', teamA.id]);
    assert.equal(viaDb.code, 0, showRun(viaDb));
    assert.equal(parseNameValue(viaDb.stdout).Identity, teamA.id, showRun(viaDb));
    const viaEnv = await runCli(['admin', 'Get-UnifiedGroup', '-Identity', teamA.id], { env: { SWITCHBOARD_DATA: srv.dataDir } });
    assert.equal(viaEnv.code, 0, showRun(viaEnv));
    assert.equal(parseNameValue(viaEnv.stdout).DisplayName, teamA.displayName, showRun(viaEnv));
  });

  test('cmdlet names are case-insensitive: get-organizationconfig, GET-ORGANIZATIONCONFIG', async () => {
    for (const name of ['get-organizationconfig', 'GET-ORGANIZATIONCONFIG', 'Get-Organizationconfig']) {
      const r = await runAdminOk(srv, name);
      assert.equal(parseNameValue(r.stdout).ConnectorsEnabled, 'True', `${name}: ${showRun(r)}`);
    }
  });
});

describe('Set-OrganizationConfig against the running server', () => {
  after(async () => {
    await resetOrg(admin);
  });

  test('-ConnectorsEnabled:$false -> exit 0; within one second posts are refused (403); the API GET shows false', async () => {
    // Warm the server's settings cache with "on", so the change has to travel through it.
    expectAccepted(await postTo(hookA.url, messageCard('before the CLI')));
    await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsEnabled:$false');
    const exited = Date.now();
    const { result } = await postsUntil(hookA, refused, 'posts refused after Set-OrganizationConfig -ConnectorsEnabled:$false', exited);
    expectRefused(result, 403, TEAMS_403);
    const o = await getOrg(admin);
    assert.equal(o.connectorsEnabled, false, `API GET after the CLI: ${JSON.stringify(o)}`);
    assert.ok(o.explicitSettings.includes('connectorsEnabled'), `explicitSettings: ${JSON.stringify(o.explicitSettings)}`);
    await expectPostsRefusedByPolicy(srv, owner.api, teamA.id, chanA.id, hookA, 'after the CLI');
    await expectPostsRefusedByPolicy(srv, owner.api, teamB.id, chanB.id, hookB, 'other team after the CLI');
    assert.equal(parseNameValue((await runAdminOk(srv, 'Get-OrganizationConfig')).stdout).ConnectorsEnabled, 'False');
  });

  test('-ConnectorsEnabled:$true -> within one second posts work again', async () => {
    expectRefused(await postTo(hookA.url, messageCard('still off')), 403, TEAMS_403);
    await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsEnabled:$true');
    await postsUntil(hookA, accepted, 'posts accepted after Set-OrganizationConfig -ConnectorsEnabled:$true', Date.now());
    assert.equal((await getOrg(admin)).connectorsEnabled, true);
    await expectPostsWork(srv, owner.api, teamB.id, chanB.id, hookB, 'other team after re-enabling');
  });

  test('-ConnectorsEnabledForTeams $false (value as the next argument) -> posts refused within one second, workflow URL too', async () => {
    expectAccepted(await postTo(hookA.url, messageCard('before ForTeams')));
    await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsEnabledForTeams', '$false');
    await postsUntil(hookA, refused, 'posts refused after -ConnectorsEnabledForTeams $false', Date.now());
    expectWorkflowError(await postTo(hookA.workflowUrl, messageCard('wf')), 403, TEAMS_403);
    const o = await getOrg(admin);
    assert.equal(o.connectorsEnabledForTeams, false);
    assert.equal(o.connectorsEnabled, true);
    await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsEnabledForTeams:$true');
    await postsUntil(hookA, accepted, 'posts accepted after -ConnectorsEnabledForTeams:$true', Date.now());
  });

  test('while posts keep arriving on another team, Set-OrganizationConfig succeeds (exit 0) and applies within one second', async () => {
    expectAccepted(await postTo(hookA.url, messageCard('before the busy run')));
    let stop = false;
    const statuses = [];
    const loops = [0, 1, 2].map(async (n) => {
      while (!stop) statuses.push((await postTo(hookB.url, messageCard(`busy ${n}`))).status);
    });
    try {
      await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsEnabled:$false');
      await postsUntil(hookA, refused, 'posts refused after Set-OrganizationConfig under load', Date.now());
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    assert.ok(statuses.length > 0, 'the background posts never ran');
    const odd = statuses.filter((s) => s !== 200 && s !== 403);
    assert.deepEqual(odd, [], `background posts may only be accepted (200) or refused by policy (403): ${JSON.stringify(statuses)}`);
    await patchOrg(admin, { connectorsEnabled: null });
    expectAccepted(await postTo(hookA.url, messageCard('after the busy run')));
  });

  test('-ConnectorsActionableMessagesEnabled:$false -> the API and Get-OrganizationConfig show False', async () => {
    await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsActionableMessagesEnabled:$false');
    assert.equal((await getOrg(admin)).connectorsActionableMessagesEnabled, false);
    const v = parseNameValue((await runAdminOk(srv, 'Get-OrganizationConfig')).stdout);
    assert.equal(v.ConnectorsActionableMessagesEnabled, 'False');
    assert.equal(v.ConnectorsEnabled, 'True');
  });

  test('several parameters at once; cmdlet and parameter names in any case; $FALSE/$True', async () => {
    await runAdminOk(srv, 'set-organizationconfig', '-connectorsenabled:$FALSE', '-CONNECTORSACTIONABLEMESSAGESENABLED:$True');
    const o = await getOrg(admin);
    assert.equal(o.connectorsEnabled, false);
    assert.equal(o.connectorsActionableMessagesEnabled, true);
    await runAdminOk(srv, 'SET-ORGANIZATIONCONFIG', '-ConnectorsEnabled:$true');
    assert.equal((await getOrg(admin)).connectorsEnabled, true);
    await postsUntil(hookA, accepted, 'posts accepted after SET-ORGANIZATIONCONFIG -ConnectorsEnabled:$true', Date.now());
  });
});

describe('Set-UnifiedGroup / Get-UnifiedGroup (the group switch)', () => {
  after(async () => {
    await setTeamSwitch(admin, teamA.id, null);
    await resetOrg(admin);
  });

  test('Get-UnifiedGroup -Identity <team> shows Identity, DisplayName and ConnectorsEnabled : True', async () => {
    const r = await runAdminOk(srv, 'Get-UnifiedGroup', '-Identity', teamA.id);
    const v = parseNameValue(r.stdout);
    assert.equal(v.Identity, teamA.id, showRun(r));
    assert.equal(v.DisplayName, teamA.displayName, showRun(r));
    assert.equal(v.ConnectorsEnabled, 'True', showRun(r));
  });

  test('Set-UnifiedGroup -Identity <team> -ConnectorsEnabled:$false -> that team\'s posts are refused at once; the other team works', async () => {
    expectAccepted(await postTo(hookA.url, messageCard('before Set-UnifiedGroup')));
    await runAdminOk(srv, 'Set-UnifiedGroup', '-Identity', teamA.id, '-ConnectorsEnabled:$false');
    // "at once": the very first post after the CLI exited is refused.
    expectRefused(await postTo(hookA.url, messageCard('right after Set-UnifiedGroup')), 403, TEAMS_403);
    await expectPostsRefusedByPolicy(srv, owner.api, teamA.id, chanA.id, hookA, 'team switched off by the CLI');
    await expectPostsWork(srv, owner.api, teamB.id, chanB.id, hookB, 'other team');
    const e = await member.api('POST', `/api/v1/channels/${chanA.id}/webhooks`, { name: 'nope' });
    expectStatus(e, 403, 'creating on the switched-off team');
  });

  test('Get-UnifiedGroup shows ConnectorsEnabled : False (and the -Identity:<id> form works)', async () => {
    const v = parseNameValue((await runAdminOk(srv, 'Get-UnifiedGroup', `-Identity:${teamA.id}`)).stdout);
    assert.equal(v.ConnectorsEnabled, 'False');
    const vb = parseNameValue((await runAdminOk(srv, 'get-unifiedgroup', '-identity', teamB.id)).stdout);
    assert.equal(vb.ConnectorsEnabled, 'True', 'the other team is unaffected');
  });

  test('Set-UnifiedGroup ... -ConnectorsEnabled:$true -> posts work again at once', async () => {
    await runAdminOk(srv, 'set-unifiedgroup', '-identity', teamA.id, '-connectorsenabled:$true');
    expectAccepted(await postTo(hookA.url, messageCard('right after re-enabling')));
    assert.equal(parseNameValue((await runAdminOk(srv, 'Get-UnifiedGroup', '-Identity', teamA.id)).stdout).ConnectorsEnabled, 'True');
  });

  test('the organisation still wins: team on via the CLI, organisation off via the CLI -> refused', async () => {
    await runAdminOk(srv, 'Set-UnifiedGroup', '-Identity', teamA.id, '-ConnectorsEnabled:$true');
    await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsEnabled:$false');
    await postsUntil(hookA, refused, 'organisation off wins over team on', Date.now());
    await runAdminOk(srv, 'Set-OrganizationConfig', '-ConnectorsEnabled:$true');
    await postsUntil(hookA, accepted, 'organisation back on', Date.now());
  });

  test('an unknown -Identity -> exit 1 (runtime failure) naming it; nothing changes', async () => {
    const r = await runAdmin(srv, 'Set-UnifiedGroup', '-Identity', NO_SUCH_ID, '-ConnectorsEnabled:$false');
    assert.equal(r.code, 1, showRun(r));
    assert.ok(r.stderr.includes(NO_SUCH_ID), `stderr should name the team: ${showRun(r)}`);
    const g = await runAdmin(srv, 'Get-UnifiedGroup', '-Identity', NO_SUCH_ID);
    assert.equal(g.code, 1, showRun(g));
    assert.ok(g.stderr.includes(NO_SUCH_ID), showRun(g));
  });
});

describe('usage errors: exit 2 with a message that names the problem; nothing changes', () => {
  test('an unknown cmdlet -> exit 2, stderr names it', async () => {
    const r = await runAdmin(srv, 'Set-OrganisationConfig', '-ConnectorsEnabled:$false');
    assert.equal(r.code, 2, showRun(r));
    assert.ok(r.stderr.includes('Set-OrganisationConfig'), `stderr should name the cmdlet: ${showRun(r)}`);
    const r2 = await runAdmin(srv, 'Remove-Everything');
    assert.equal(r2.code, 2, showRun(r2));
    assert.ok(r2.stderr.includes('Remove-Everything'), showRun(r2));
  });

  test('an unknown parameter -> exit 2, stderr names it (Set-OrganizationConfig and Set-UnifiedGroup)', async () => {
    const r = await runAdmin(srv, 'Set-OrganizationConfig', '-ConnectorsDisabled:$true');
    assert.equal(r.code, 2, showRun(r));
    assert.ok(r.stderr.includes('ConnectorsDisabled'), `stderr should name the parameter: ${showRun(r)}`);
    const u = await runAdmin(srv, 'Set-UnifiedGroup', '-Identity', teamA.id, '-Bogus:$false');
    assert.equal(u.code, 2, showRun(u));
    assert.ok(u.stderr.includes('Bogus'), showRun(u));
    const g = await runAdmin(srv, 'Get-OrganizationConfig', '-Verbose');
    assert.equal(g.code, 2, showRun(g));
    assert.ok(g.stderr.includes('-Verbose'), showRun(g));
  });

  test('a bad value (-ConnectorsEnabled:maybe) -> exit 2 naming the parameter and the value; the setting is unchanged', async () => {
    const r = await runAdmin(srv, 'Set-OrganizationConfig', '-ConnectorsEnabled:maybe');
    assert.equal(r.code, 2, showRun(r));
    assert.ok(r.stderr.includes('ConnectorsEnabled'), showRun(r));
    assert.ok(r.stderr.includes('maybe'), showRun(r));
    const u = await runAdmin(srv, 'Set-UnifiedGroup', '-Identity', teamA.id, '-ConnectorsEnabled:maybe');
    assert.equal(u.code, 2, showRun(u));
    const o = await getOrg(admin);
    assert.equal(o.connectorsEnabled, true);
    assert.ok(!o.explicitSettings.includes('connectorsEnabled'), `explicitSettings: ${JSON.stringify(o.explicitSettings)}`);
    expectAccepted(await postTo(hookA.url, messageCard('after bad values')));
  });

  test('Set-OrganizationConfig without parameters, a parameter without a value, Set-UnifiedGroup without -Identity -> exit 2', async () => {
    for (const args of [
      ['Set-OrganizationConfig'],
      ['Set-OrganizationConfig', '-ConnectorsEnabled'],
      ['Set-UnifiedGroup', '-ConnectorsEnabled:$false'],
      [],
    ]) {
      const r = await runAdmin(srv, ...args);
      assert.equal(r.code, 2, `switchboard admin ${args.join(' ')}: ${showRun(r)}`);
      assert.ok(r.stderr.trim().length > 0, `a usage error needs a message: ${showRun(r)}`);
    }
  });
});
