// Actionable messages (issue "Actionable messages"; contract addition):
//   POST /api/v1/messages/{id}/actions {actionId, inputs} -> 202, GET /api/v1/actionExecutions/{id}
// against a real service (lib/actions.mjs) that verifies our bearer tokens with jose against the
// published JWKS. Covers: claims and input substitution, each response-header combination,
// card updates seen live by another viewer, the SSRF refusals (127.0.0.2, [::1], localhost,
// http to a port not allowed, redirects; the 10.x/169.254 classes are unit tests of
// net_addr_is_public), policy (organisation and team switches hide actions and refuse runs),
// who may run and read executions, the per-user rate limit, and a click accepted before a
// kill -9 that still runs after the restart.
//
// The organisation's outboundAllowedHosts lists only 127.0.0.1:<service port>.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser } from './lib/server.mjs';
import { expectStatus, addMember, uniqueName } from './lib/graph.mjs';
import { teamFixture, createWebhook, postTo, expectAccepted, newestMessage, cardOf, openEvents } from './lib/webhooks.mjs';
import { patchOrg, setTeamSwitch, pollUntil } from './lib/policy.mjs';
import { startActionService, actionId } from './lib/actions.mjs';

let srv;
let admin;
let svc;
let fx; // {owner, team, channel}
let member;
let hook;

before(async () => {
  // Many cards are posted through one webhook: no webhook rate limit here.
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  svc = await startActionService(srv.url);
  await patchOrg(admin, { outboundAllowedHosts: [`127.0.0.1:${svc.port}`] });
  fx = await teamFixture(srv, 'owner');
  member = await newUser(srv, 'member');
  await addMember(fx.owner.api, fx.team.id, member.id);
  hook = await createWebhook(fx.owner.api, fx.channel.id, { name: uniqueName('Expenses') });
});

after(async () => {
  await svc?.close();
  await srv?.close();
});

// Posts a card through the webhook and returns the stored message (as the owner reads it).
async function postCard(body) {
  expectAccepted(await postTo(hook.url, body), 'post card');
  return newestMessage(fx.owner.api, fx.team.id, fx.channel.id);
}

function httpPostCard(target, extra = {}) {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: uniqueName('Expense'),
    text: uniqueName('Expense report'),
    potentialAction: [
      {
        '@type': 'ActionCard',
        name: 'Comment',
        inputs: [{ '@type': 'TextInput', id: 'comment', title: 'Comment', isMultiline: true }],
        actions: [{ '@type': 'HttpPOST', name: 'Save', target, body: '{"comment":"{{comment.value}}"}' }],
      },
      { '@type': 'HttpPOST', name: 'Approve', target, body: 'approved' },
      { '@type': 'OpenUri', name: 'Open', targets: [{ os: 'default', uri: 'https://example.com/' }] },
    ],
    ...extra,
  };
}

const SAVE = '/potentialAction/0/actions/0';
const APPROVE = '/potentialAction/1';

async function startAction(user, message, pointer, inputs) {
  return user.api('POST', `/api/v1/messages/${message.id}/actions`, { actionId: actionId(message, pointer), inputs });
}

// Runs an action and waits until the execution is no longer pending.
async function runAction(user, message, pointer, inputs) {
  const r = await startAction(user, message, pointer, inputs);
  expectStatus(r, 202, 'POST actions');
  assert.equal(r.body.status, 'pending');
  const { result } = await pollUntil(
    () => user.api('GET', `/api/v1/actionExecutions/${r.body.id}`),
    (g) => g.status !== 200 || g.body.status !== 'pending',
    { timeoutMs: 20_000, what: 'the action execution finishes', describe: (g) => `${g.status} ${g.text}` },
  );
  expectStatus(result, 200, 'GET actionExecutions');
  return result.body;
}

test('a real service verifies the token with jose; claims and inputs arrive; its status is shown', async () => {
  const message = await postCard(httpPostCard(svc.url('/ok')));
  const from = svc.calls.length;
  const comment = 'Looks "good" \\ to me\nline two <b>';
  const exec = await runAction(member, message, SAVE, { comment });
  assert.equal(exec.status, 'succeeded', JSON.stringify(exec));
  assert.equal(exec.httpStatus, 200);
  assert.equal(exec.cardActionStatus, 'Done: /ok');
  assert.equal(exec.cardUpdated, false);
  assert.equal(exec.error, null);

  const call = await svc.waitForCall((c) => c.path === '/ok', { from });
  assert.equal(call.tokenError, null, call.tokenError);
  assert.equal(call.header.alg, 'RS256');
  const c = call.claims;
  assert.equal(c.iss, srv.url);
  assert.equal(c.aud, svc.origin);
  assert.equal(c.sub, member.id);
  assert.equal(c.oid, member.id);
  assert.equal(c.upn, member.userPrincipalName);
  assert.equal(c.sender, hook.id);
  assert.equal(c.messageId, message.id);
  assert.equal(c.actionId, actionId(message, SAVE));
  assert.equal(c.jti, exec.id);
  assert.match(c.tid, /^[0-9a-f-]{36}$/);
  assert.ok(c.exp - c.iat <= 300 && c.exp > Date.now() / 1000, `exp ${c.exp} iat ${c.iat}`);
  assert.deepEqual(JSON.parse(call.body), { comment });
  assert.equal(call.headers['content-type'], 'application/json');
  assert.equal(call.headers['card-correlation-id'], message.id);
  assert.equal(call.headers['action-request-id'], exec.id);

  // The click is in the configuration's delivery log: who, when, target, status.
  const log = await fx.owner.api('GET', `/api/v1/connectors/${hook.id}/deliveries`);
  expectStatus(log, 200, 'deliveries');
  const text = JSON.stringify(log.body);
  assert.ok(text.includes(member.displayName) && text.includes(svc.url('/ok')) && text.includes('succeeded'), text.slice(0, 600));
});

test('CARD-UPDATE-IN-BODY replaces the card for every viewer, live', async () => {
  const message = await postCard(httpPostCard(svc.url('/update')));
  const events = await openEvents(srv, { token: fx.owner.token, label: 'owner' });
  try {
    const exec = await runAction(member, message, APPROVE);
    assert.equal(exec.status, 'succeeded', JSON.stringify(exec));
    assert.equal(exec.cardUpdated, true);
    assert.equal(exec.cardActionStatus, 'Done: /update');
    const ev = await events.nextMatching((e) => e.event === 'messageUpdated' && e.json && e.json.id === message.id, { what: 'messageUpdated' });
    assert.equal(ev.id, undefined, 'an update is live-only: no event id');
    assert.equal(cardOf(ev.json).text, 'Updated: approved');
  } finally {
    events.close();
  }
  const now = await newestMessage(fx.owner.api, fx.team.id, fx.channel.id);
  assert.equal(now.id, message.id);
  assert.equal(now.attachments[0].id, message.attachments[0].id);
  assert.equal(cardOf(now).text, 'Updated: approved');
});

test('Adaptive Card Action.Http: inputs, the Action-Authorization header, an Adaptive update', async () => {
  const card = {
    type: 'AdaptiveCard',
    version: '1.0',
    body: [{ type: 'TextBlock', text: uniqueName('Vacation') }, { type: 'Input.Text', id: 'days', label: 'Days' }],
    actions: [{
      type: 'Action.Http', title: 'Request', method: 'POST', url: svc.url('/update?adaptive=1'),
      body: '{"days":"{{days.value}}"}', headers: [{ name: 'Authorization', value: '' }, { name: 'X-Custom', value: 'yes' }],
    }],
  };
  const message = await postCard({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
  const from = svc.calls.length;
  const exec = await runAction(fx.owner, message, '/actions/0', { days: '3' });
  assert.equal(exec.status, 'succeeded', JSON.stringify(exec));
  assert.equal(exec.cardUpdated, true);
  const call = await svc.waitForCall((c) => c.path === '/update', { from });
  assert.equal(call.headers.authorization, undefined);
  assert.match(call.headers['action-authorization'], /^Bearer /);
  assert.equal(call.tokenError, null);
  assert.equal(call.headers['x-custom'], 'yes');
  assert.deepEqual(JSON.parse(call.body), { days: '3' });
  const now = await newestMessage(fx.owner.api, fx.team.id, fx.channel.id);
  assert.deepEqual(cardOf(now).body, [{ type: 'TextBlock', text: 'Updated: {"days":"3"}' }]);
});

test('each combination of the response headers', async () => {
  const cases = [
    { path: '/update-only', status: 'succeeded', cardUpdated: true, cardActionStatus: null, http: 200 },
    { path: '/bad-update', status: 'succeeded', cardUpdated: false, cardActionStatus: 'Done: /bad-update', http: 200, error: /not updated.*not a JSON card/ },
    { path: '/fail', status: 'failed', cardUpdated: false, cardActionStatus: 'The service could not do it.', http: 500, error: /HTTP 500/ },
    { path: '/redirect', status: 'failed', cardUpdated: false, cardActionStatus: null, http: 302, error: /redirect.*not followed/ },
    // A status of any bytes is kept as its valid UTF-8 text (it is shown through JSON).
    { path: '/bytes', status: 'succeeded', cardUpdated: false, cardActionStatus: 'Caf\u00e9 \u2713  done', http: 200 },
  ];
  for (const k of cases) {
    const message = await postCard(httpPostCard(svc.url(k.path)));
    const exec = await runAction(fx.owner, message, APPROVE);
    assert.equal(exec.status, k.status, `${k.path}: ${JSON.stringify(exec)}`);
    assert.equal(exec.httpStatus, k.http, k.path);
    assert.equal(exec.cardUpdated, k.cardUpdated, k.path);
    assert.equal(exec.cardActionStatus, k.cardActionStatus, k.path);
    if (k.error) assert.match(exec.error, k.error, k.path);
  }
  assert.ok(!svc.calls.some((c) => c.path === '/ok' && c.headers.host.startsWith('127.0.0.2')), 'a redirect was followed');
});

test('a response over the size limit and a service that does not answer in time fail clearly', async () => {
  const big = await runAction(fx.owner, await postCard(httpPostCard(svc.url('/big'))), APPROVE);
  assert.equal(big.status, 'failed');
  assert.match(big.error, /larger than 262144 bytes/);
  // The time-out is 10 s (ACTIONS_TIMEOUT_MS); the held request is released afterwards.
  const from = svc.calls.length;
  const slow = await runAction(fx.owner, await postCard(httpPostCard(svc.url('/hold'))), APPROVE);
  await svc.waitForCall((c) => c.path === '/hold', { from });
  svc.releaseAll();
  assert.equal(slow.status, 'failed');
  assert.match(slow.error, /did not answer within 10000 ms/);
});

test('SSRF: loopback and names resolving to it, ports not allowed, plain http are refused', async () => {
  const port = svc.port;
  const otherPort = port === 65535 ? port - 1 : port + 1;
  const before = svc.calls.length;
  // Refused at once, before anything is queued. (Other schemes cannot even be posted: the
  // webhook refuses a card whose target is not http or https.)
  for (const [target, why] of [
    [`http://127.0.0.2:${port}/ok`, /plain http/],
    [`http://127.0.0.1:${otherPort}/ok`, /plain http/],
    [`http://localhost:${port}/ok`, /plain http/],
  ]) {
    const message = await postCard(httpPostCard(target));
    const r = await startAction(fx.owner, message, APPROVE);
    expectStatus(r, 403, target);
    assert.equal(r.body.error.code, 'outboundRefused', target);
    assert.match(r.body.error.message, why, target);
  }
  // Refused when the worker resolves the name: the execution fails and says why.
  for (const target of [`https://127.0.0.2:${port}/ok`, `https://[::1]:${port}/ok`, `https://localhost:${port}/ok`, `https://127.0.0.1:${otherPort}/ok`]) {
    const message = await postCard(httpPostCard(target));
    const exec = await runAction(fx.owner, message, APPROVE);
    assert.equal(exec.status, 'failed', target);
    assert.match(exec.error, /not a public address/, `${target}: ${exec.error}`);
  }
  assert.equal(svc.calls.length, before, 'the service was called');
});

test('policy: the organisation and team switches hide actions and refuse runs; cards still post', async () => {
  const message = await postCard(httpPostCard(svc.url('/ok')));
  const hasHttpPost = async () => {
    const m = await newestMessage(fx.owner.api, fx.team.id, fx.channel.id);
    assert.equal(m.id, message.id);
    return m.attachments[0].content.includes('HttpPOST');
  };
  assert.equal(await hasHttpPost(), true);
  await patchOrg(admin, { connectorsActionableMessagesEnabled: false });
  try {
    assert.equal(await hasHttpPost(), false);
    const card = cardOf(await newestMessage(fx.owner.api, fx.team.id, fx.channel.id));
    assert.deepEqual(card.potentialAction.map((a) => a['@type']), ['OpenUri'], 'OpenUri links stay');
    const r = await startAction(fx.owner, message, APPROVE);
    expectStatus(r, 403, 'run while off');
    assert.equal(r.body.error.code, 'ActionableMessagesDisabled');
    // Cards still post.
    const posted = await postCard(httpPostCard(svc.url('/ok')));
    assert.notEqual(posted.id, message.id);
  } finally {
    await patchOrg(admin, { connectorsActionableMessagesEnabled: null });
  }
  await setTeamSwitch(admin, fx.team.id, false);
  try {
    const m = (await fx.owner.api('GET', `/v1.0/teams/${fx.team.id}/channels/${fx.channel.id}/messages?$top=5`)).body.value;
    assert.ok(m.every((x) => !x.attachments.some((a) => a.content.includes('HttpPOST'))), 'team switch off: actions hidden');
    const r = await startAction(fx.owner, message, APPROVE);
    expectStatus(r, 403, 'run while the team switch is off');
  } finally {
    await setTeamSwitch(admin, fx.team.id, null);
  }
  const exec = await runAction(fx.owner, message, APPROVE);
  assert.equal(exec.status, 'succeeded');
});

// Contract §4: actionId is the action's own id, MessageCard "@id" or Adaptive Card "id"; the
// "<attachment id>:<JSON Pointer>" form stays for actions without one (or sharing one).
async function runById(user, message, id, inputs) {
  const r = await user.api('POST', `/api/v1/messages/${message.id}/actions`, { actionId: id, inputs });
  expectStatus(r, 202, `POST actions {actionId: ${id}}`);
  const { result } = await pollUntil(
    () => user.api('GET', `/api/v1/actionExecutions/${r.body.id}`),
    (g) => g.status !== 200 || g.body.status !== 'pending',
    { timeoutMs: 20_000, what: 'the action execution finishes', describe: (g) => `${g.status} ${g.text}` },
  );
  expectStatus(result, 200, 'GET actionExecutions');
  return result.body;
}

test('actionId is the action\'s @id (MessageCard) or id (Adaptive Card); the pointer stays for the others', async () => {
  const mc = httpPostCard(svc.url('/ok?which=pointer'));
  mc.potentialAction[0].actions[0]['@id'] = 'save-comment';
  mc.potentialAction[0].actions[0].target = svc.url('/ok?which=save');
  // At most 4 potentialActions: the OpenUri makes room for two actions sharing an id.
  mc.potentialAction.splice(2, 1,
    { '@type': 'HttpPOST', '@id': 'shared', name: 'One', target: svc.url('/ok?which=one') },
    { '@type': 'HttpPOST', '@id': 'shared', name: 'Two', target: svc.url('/ok?which=two') });
  const message = await postCard(mc);
  let from = svc.calls.length;
  let exec = await runById(member, message, 'save-comment', { comment: 'by id' });
  assert.equal(exec.status, 'succeeded', JSON.stringify(exec));
  let call = await svc.waitForCall((c) => c.path === '/ok' && c.query === '?which=save', { from });
  assert.deepEqual(JSON.parse(call.body), { comment: 'by id' });
  assert.equal(call.claims.actionId, 'save-comment');
  // Approve has no @id: the pointer form names it.
  from = svc.calls.length;
  exec = await runAction(member, message, APPROVE);
  assert.equal(exec.status, 'succeeded', JSON.stringify(exec));
  await svc.waitForCall((c) => c.path === '/ok' && c.query === '?which=pointer', { from });
  // An id that two actions share names neither; an unknown one, or a name, none either.
  for (const id of ['shared', 'nothing', 'Save']) {
    const r = await member.api('POST', `/api/v1/messages/${message.id}/actions`, { actionId: id });
    expectStatus(r, 404, id);
    assert.equal(r.body.error.code, 'actionNotFound');
  }
  from = svc.calls.length;
  exec = await runAction(member, message, '/potentialAction/3');
  assert.equal(exec.status, 'succeeded', JSON.stringify(exec));
  await svc.waitForCall((c) => c.path === '/ok' && c.query === '?which=two', { from });

  const card = {
    type: 'AdaptiveCard',
    version: '1.0',
    body: [{ type: 'Input.Text', id: 'days', label: 'Days' }],
    actions: [
      { type: 'Action.OpenUrl', id: 'open', title: 'Open', url: 'https://example.com/' },
      { type: 'Action.Http', id: 'request', title: 'Request', method: 'POST', url: svc.url('/update?adaptive=1'), body: '{"days":"{{days.value}}"}' },
    ],
  };
  const adaptive = await postCard({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
  from = svc.calls.length;
  expectStatus(await member.api('POST', `/api/v1/messages/${adaptive.id}/actions`, { actionId: 'open' }), 404, 'Action.OpenUrl');
  exec = await runById(member, adaptive, 'request', { days: '4' });
  assert.equal(exec.status, 'succeeded', JSON.stringify(exec));
  call = await svc.waitForCall((c) => c.path === '/update' && c.query === '?adaptive=1', { from });
  assert.deepEqual(JSON.parse(call.body), { days: '4' });
  // The service's CARD-UPDATE-IN-BODY replaces the card the action named by its id belongs to.
  assert.equal(exec.cardUpdated, true, JSON.stringify(exec));
  assert.equal(exec.error, null);
  const now = (await fx.owner.api('GET', `/v1.0/teams/${fx.team.id}/channels/${fx.channel.id}/messages/${adaptive.id}`)).body;
  assert.equal(cardOf(now).body[0].text, 'Updated: {"days":"4"}');
});

test('who may run actions and read executions; bad requests', async () => {
  const message = await postCard(httpPostCard(svc.url('/ok')));
  const outsider = await newUser(srv, 'outsider');
  expectStatus(await startAction(outsider, message, APPROVE), 404, 'outsider');
  expectStatus(await member.api('POST', `/api/v1/messages/00000000-0000-4000-8000-000000000000/actions`, { actionId: 'x:/a' }), 404, 'unknown message');
  const bad = await member.api('POST', `/api/v1/messages/${message.id}/actions`, { actionId: actionId(message, '/potentialAction/2') });
  expectStatus(bad, 404, 'an OpenUri is not a service action');
  assert.equal(bad.body.error.code, 'actionNotFound');
  expectStatus(await startAction(member, message, '/text'), 404, 'pointer at text');
  expectStatus(await startAction(member, message, APPROVE, { comment: 3 }), 400, 'non-string input');
  expectStatus(await member.api('POST', `/api/v1/messages/${message.id}/actions`, {}), 400, 'no actionId');
  // A person's own message has no actions.
  const own = await fx.owner.api('POST', `/v1.0/teams/${fx.team.id}/channels/${fx.channel.id}/messages`, { body: { content: 'hi' } });
  expectStatus(await member.api('POST', `/api/v1/messages/${own.body.id}/actions`, { actionId: 'x:/potentialAction/0' }), 404, 'person message');

  const exec = await runAction(member, message, APPROVE);
  expectStatus(await fx.owner.api('GET', `/api/v1/actionExecutions/${exec.id}`), 404, "someone else's execution");
  expectStatus(await outsider.api('GET', `/api/v1/actionExecutions/${exec.id}`), 404, 'outsider reads execution');
  expectStatus(await api(srv)('GET', `/api/v1/actionExecutions/${exec.id}`), 401, 'anonymous');
});

test('per-user rate limit', async () => {
  const clicker = await newUser(srv, 'clicker');
  await addMember(fx.owner.api, fx.team.id, clicker.id);
  const message = await postCard(httpPostCard(svc.url('/ok')));
  const statuses = [];
  for (let i = 0; i < 31; i++) statuses.push((await startAction(clicker, message, APPROVE)).status);
  assert.ok(statuses.includes(429), `no 429 in ${statuses.join(',')}`);
  assert.ok(statuses.filter((s) => s === 202).length <= 30);
  // Others are not limited by it.
  expectStatus(await startAction(member, message, APPROVE), 202, 'another user');
});

test('a click accepted before kill -9 still runs after the restart', async () => {
  const message = await postCard(httpPostCard(svc.url('/hold')));
  const from = svc.calls.length;
  const r = await startAction(fx.owner, message, APPROVE);
  expectStatus(r, 202, 'POST actions');
  await svc.waitForCall((c) => c.path === '/hold', { from });
  const port = new URL(srv.url).port;
  await srv.kill9();
  svc.releaseAll(); // the answer goes to a dead process
  // Counted before the restart: the new process may run the click before restart() resolves.
  const second = svc.calls.length;
  await srv.restart({ listen: `127.0.0.1:${port}` });
  // On PostgreSQL the dead process's lease (OUTBOX_LEASE_MS, 30 s) must run out first.
  await svc.waitForCall((c) => c.path === '/hold', { from: second, timeoutMs: 60_000 });
  svc.releaseAll();
  const { result } = await pollUntil(
    () => fx.owner.api('GET', `/api/v1/actionExecutions/${r.body.id}`),
    (g) => g.status === 200 && g.body.status !== 'pending',
    { timeoutMs: 60_000, what: 'the execution finishes after the restart', describe: (g) => `${g.status} ${g.text}` },
  );
  assert.equal(result.body.status, 'succeeded');
  assert.equal(result.body.cardActionStatus, 'Released');
});
