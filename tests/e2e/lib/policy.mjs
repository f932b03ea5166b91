// Helpers for the admin-policy tests (policy.test.mjs, admin-cli.test.mjs, audit.test.mjs):
// organisation settings, the group-level switch, the audit log, `switchboard admin`, and
// assertions for posts refused by policy.
//
// Nothing here sleeps. The only loop that waits (pollUntil) re-asks the server until a condition
// holds, bounded by a deadline, and fails with the last answer it saw.

import assert from 'node:assert/strict';

import { runCli } from './server.mjs';
import { expectStatus, expectJson, expectCollection, readAllPages, uniqueName } from './graph.mjs';
import {
  postTo, expectAccepted, expectWorkflowAccepted, expectRefused, expectWorkflowError, messageCard, allMessages,
  findByText,
} from './webhooks.mjs';

export const ORG = '/api/v1/admin/organization';
export const AUDIT = '/api/v1/admin/audit';
export const TEAMS_403 = 'Microsoft Teams endpoint returned HTTP error 403';
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

// The three connector switches of the organisation resource.
export const SWITCHES = ['connectorsEnabled', 'connectorsEnabledForTeams', 'connectorsActionableMessagesEnabled'];

export function adminTeamPath(teamId) {
  return `/api/v1/admin/teams/${teamId}`;
}

// GET /api/v1/admin/organization as `admin` (an api() caller); asserts 200 and returns the body.
export async function getOrg(admin) {
  const r = await admin('GET', ORG);
  expectStatus(r, 200, 'GET organization');
  return expectJson(r);
}

// PATCH /api/v1/admin/organization; asserts 200 and returns the new resource.
export async function patchOrg(admin, body) {
  const r = await admin('PATCH', ORG, body);
  expectStatus(r, 200, `PATCH organization ${JSON.stringify(body)}`);
  return expectJson(r);
}

// Every setting this suite touches back to "not set".
export async function resetOrg(admin) {
  return patchOrg(admin, {
    connectorsEnabled: null, connectorsEnabledForTeams: null, connectorsActionableMessagesEnabled: null, cloudEnvironment: null,
  });
}

// PATCH /api/v1/admin/teams/{id} {connectorsEnabled: value}; asserts 204.
export async function setTeamSwitch(admin, teamId, value) {
  const r = await admin('PATCH', adminTeamPath(teamId), { connectorsEnabled: value });
  expectStatus(r, 204, `PATCH admin team ${teamId} connectorsEnabled=${value}`);
}

// PATCH /v1.0/teams/{id} memberSettings.allowCreateUpdateRemoveConnectors; asserts 204.
export async function setMemberConnectors(call, teamId, allow) {
  const r = await call('PATCH', `/v1.0/teams/${teamId}`, { memberSettings: { allowCreateUpdateRemoveConnectors: allow } });
  expectStatus(r, 204, `PATCH memberSettings.allowCreateUpdateRemoveConnectors=${allow}`);
}

// ---------------------------------------------------------------------------------------------
// Posts

export async function messageCount(call, teamId, channelId, server) {
  return (await allMessages(call, teamId, channelId, server)).length;
}

// Both URLs of `hook` refuse a post by policy: the connector URL with 403 and the Teams sentence,
// the workflow URL with 403 and a JSON error carrying it; nothing is stored in the channel.
// `reader` is an api() caller who may read the channel.
export async function expectPostsRefusedByPolicy(server, reader, teamId, channelId, hook, note = '') {
  const before = await messageCount(reader, teamId, channelId, server);
  const text = uniqueName('refused by policy');
  const r = await postTo(hook.url, messageCard(text));
  try {
    expectRefused(r, 403, TEAMS_403);
  } catch (err) {
    err.message = `${note ? note + ': ' : ''}connector URL while connectors are disabled: ${err.message}`;
    throw err;
  }
  const w = await postTo(hook.workflowUrl, messageCard(text + ' wf'));
  try {
    expectWorkflowError(w, 403, TEAMS_403);
  } catch (err) {
    err.message = `${note ? note + ': ' : ''}workflow URL while connectors are disabled: ${err.message}`;
    throw err;
  }
  const msgs = await allMessages(reader, teamId, channelId, server);
  assert.equal(msgs.length, before, `${note ? note + ': ' : ''}refused posts must store nothing`);
  assert.equal(findByText(msgs, text).length + findByText(msgs, text + ' wf').length, 0, 'a refused post was stored');
  return { connector: r, workflow: w };
}

// Both URLs of `hook` accept a post (200 "1" / 202) and both messages are stored.
export async function expectPostsWork(server, reader, teamId, channelId, hook, note = '') {
  const text = uniqueName('allowed');
  expectAccepted(await postTo(hook.url, messageCard(text)), note);
  expectWorkflowAccepted(await postTo(hook.workflowUrl, messageCard(text + ' wf')), note);
  const msgs = await allMessages(reader, teamId, channelId, server);
  assert.equal(findByText(msgs, text).length, 1, `${note ? note + ': ' : ''}the connector-URL post was not stored once`);
  assert.equal(findByText(msgs, text + ' wf').length, 1, `${note ? note + ': ' : ''}the workflow-URL post was not stored once`);
}

// ---------------------------------------------------------------------------------------------
// Waiting on a condition

// Calls `probe()` until `done(result)` is true; resolves with {result, elapsedMs, attempts}.
// Fails after `timeoutMs` with `what` and the last result. No sleeps: the next request goes out
// as soon as the previous answer arrived, so the loop is bounded by the deadline only.
export async function pollUntil(probe, done, { timeoutMs, what, describe = (r) => JSON.stringify(r) }) {
  const start = Date.now();
  let attempts = 0;
  let last;
  for (;;) {
    last = await probe();
    attempts += 1;
    const elapsedMs = Date.now() - start;
    if (done(last)) return { result: last, elapsedMs, attempts };
    if (elapsedMs >= timeoutMs) {
      throw new Error(`${what}: not true after ${elapsedMs} ms (${attempts} attempts); last answer: ${describe(last)}`);
    }
  }
}

export function showPost(r) {
  return `${r.status} ${String(r.text).slice(0, 300)}`;
}

// ---------------------------------------------------------------------------------------------
// switchboard admin

// Runs `switchboard admin --data <server's data dir> ...args` (argv elements are passed as they
// are: no shell, so '$false' arrives literally). Resolves with {code, stdout, stderr, ...}.
export async function runAdmin(server, ...args) {
  return runCli(['admin', '--data', server.dataDir, ...args]);
}

export function showRun(r) {
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

// Asserts exit 0 and returns the run.
export async function runAdminOk(server, ...args) {
  const r = await runAdmin(server, ...args);
  assert.equal(r.code, 0, `switchboard admin ${args.join(' ')}: expected exit 0, got ${showRun(r)}`);
  return r;
}

// `Name : Value` lines -> {Name: Value}; fails on any other non-empty line.
export function parseNameValue(stdout) {
  const out = {};
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const m = line.match(/^(\S+)\s+:\s(.*)$/);
    assert.ok(m, `not a "Name : Value" line: ${JSON.stringify(line)}\nfull output:\n${stdout}`);
    out[m[1]] = m[2].trim();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Audit log

// Every audit entry, newest first (follows @odata.nextLink).
export async function auditEntries(admin, server) {
  const { items } = await readAllPages(admin, AUDIT, { serverUrl: server && server.url });
  return items;
}

// The newest page only.
export async function auditPage(admin) {
  return expectCollection(await admin('GET', AUDIT));
}
