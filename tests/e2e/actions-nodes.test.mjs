// Actionable messages with two server processes on one PostgreSQL database (behind one public
// URL, as behind a load balancer): every accepted click runs exactly once although both nodes'
// outbox workers compete for it (leases), tokens of either node verify against the JWKS, and a
// card updated by one node's worker reaches event-stream subscribers of both nodes.
// Runs when the suite runs on PostgreSQL (SB_STORE=postgres).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, randomToken, api, STORE } from './lib/server.mjs';
import { sharedCluster } from './lib/postgres.mjs';
import { createTeam, generalChannel, expectStatus } from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, openEvents, newestMessage } from './lib/webhooks.mjs';
import { patchOrg, pollUntil } from './lib/policy.mjs';
import { startActionService, actionId } from './lib/actions.mjs';

const skip = STORE !== 'postgres' && 'needs PostgreSQL (SB_STORE=postgres): SQLite serves one process';
let a;
let b;
let svc;
const streams = [];

before(async () => {
  if (skip) return;
  const url = await (await sharedCluster()).createDatabase();
  const adminToken = randomToken();
  a = await startServer({ adminToken, args: ['--db', url, '--webhook-rate-limit', '0'] });
  // One public URL for both: the issuer of every token, and where the keys are published.
  b = await startServer({ adminToken, args: ['--db', url, '--webhook-rate-limit', '0', '--public-url', a.url] });
  svc = await startActionService(a.url);
  await patchOrg(api(a, a.adminToken), { outboundAllowedHosts: [`127.0.0.1:${svc.port}`] });
});

after(async () => {
  for (const s of streams) s.close();
  // Every one is closed even when one fails (a node exiting with a sanitizer's code, say): a
  // server left running would keep this test process alive for ever.
  const results = await Promise.allSettled([svc?.close(), a?.close(), b?.close()]);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
});

test('each click runs once across two nodes; updates reach subscribers of both', { skip }, async () => {
  const admin = api(a, a.adminToken);
  const team = await createTeam(admin);
  const channel = await generalChannel(admin, team.id);
  const hook = await createWebhook(admin, channel.id);
  const onA = await openEvents(a, { token: a.adminToken, label: 'A' });
  const onB = await openEvents(b, { token: b.adminToken, label: 'B' });
  streams.push(onA, onB);

  const clicks = 8;
  const ids = [];
  for (let i = 0; i < clicks; i++) {
    expectAccepted(await postTo(hook.url, {
      '@type': 'MessageCard', text: `two-node card ${i}`,
      potentialAction: [{ '@type': 'HttpPOST', name: 'Go', target: svc.url(`/update?n=${i}`), body: `click ${i}` }],
    }));
    const m = await newestMessage(admin, team.id, channel.id);
    // Clicks alternate between the nodes; either node's worker may run them.
    const node = i % 2 ? b : a;
    const r = await api(node, node.adminToken)('POST', `/api/v1/messages/${m.id}/actions`, { actionId: actionId(m, '/potentialAction/0') });
    expectStatus(r, 202, `click ${i}`);
    ids.push([r.body.id, m.id]);
  }
  for (const [id] of ids) {
    const { result } = await pollUntil(() => admin('GET', `/api/v1/actionExecutions/${id}`), (g) => g.status === 200 && g.body.status !== 'pending',
      { timeoutMs: 30_000, what: `execution ${id} finishes`, describe: (g) => `${g.status} ${g.text}` });
    assert.equal(result.body.status, 'succeeded', JSON.stringify(result.body));
    assert.equal(result.body.cardUpdated, true);
  }
  const calls = svc.calls.filter((c) => c.path === '/update');
  assert.equal(calls.length, clicks, `calls: ${calls.map((c) => c.query).join(' ')}`);
  assert.ok(calls.every((c) => c.tokenError === null), calls.map((c) => c.tokenError).join('; '));
  for (const [, messageId] of ids) {
    for (const s of [onA, onB]) {
      await s.nextMatching((e) => e.event === 'messageUpdated' && e.json && e.json.id === messageId, { what: `update of ${messageId} on ${s.label}`, timeoutMs: 15_000 });
      s._cursor = 0; // updates may arrive in any order: search from the start each time
    }
  }
});
