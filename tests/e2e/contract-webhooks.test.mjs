// Contract conformance, §5 Incoming webhooks, with the facts of webhooks.md that §5 refers to:
// the signed URL and its key (32 lowercase hex digits, Teams' regular expression), the unsigned
// forms and the organisation's unsignedWebhookUrlsAccepted, the Workflows-shaped URLs, the three
// bodies, `200 1` only after the message is stored, each refusal with Teams' status and text
// (and nothing stored), `request-id` on every answer, the limits, and a creator who leaves.
// One server without a rate limit for the file (each test uses its own channel), plus servers
// of their own for the default rate limit and kill -9.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, rawRequest } from './lib/server.mjs';
import {
  expectStatus, expectGraphError, expectCollection, createTeam, createChannel, generalChannel, addMember, messagesPath,
  uniqueName,
} from './lib/graph.mjs';
import {
  createWebhook, postTo, expectAccepted, expectWorkflowAccepted, expectRefused, expectWorkflowError, messageCard,
  adaptiveEnvelope, adaptiveCard, cardOfSize, cardOf, tamperSignature, MAX_PAYLOAD, TEAMS_413, TEAMS_429,
  BAD_PAYLOAD, SUMMARY_REQUIRED,
} from './lib/webhooks.mjs';
import {
  signedParts, unsignedUrls, expectRequestId, TEAMS_SCANNER_RE, WORKFLOW_PATH_RE, WORKFLOW_QUERY,
} from './lib/contract.mjs';

const ORG = '/api/v1/admin/organization';
const TEAMS_SENTENCE = /^Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error (\d{3}) /;
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let srv;
let admin;
let owner;
let team;
let tenantId;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  owner = await newUser(srv, 'owner');
  team = await createTeam(owner.api, uniqueName('Hooks'));
  tenantId = expectStatus(await admin('GET', ORG), 200).body.tenantId;
});

after(async () => {
  await srv?.close();
});

// A webhook on a channel of its own: {channel, hook}.
async function freshHook(name = uniqueName('Hook')) {
  const channel = await createChannel(owner.api, team.id);
  const hook = await createWebhook(owner.api, channel.id, { name });
  return { channel, hook };
}

async function messageIds(channel) {
  return expectCollection(await owner.api('GET', `${messagesPath(team.id, channel.id)}?$top=50`)).map((m) => m.id);
}

// Asserts a connector-shaped refusal: `status`, text/plain, no HTML, and (unless the body is one
// of Teams' own 400 texts, given as `mentions`) Teams' delivery-failure sentence with that status.
function expectTeamsRefusal(r, status, mentions) {
  expectRefused(r, status, mentions);
  assert.match(r.contentType, /^text\/plain\b/i, `a Teams refusal is text/plain: ${r.contentType} ${r.text}`);
  assert.doesNotMatch(r.text, /<html/i);
  if (status === 400 && mentions) return;
  const m = r.text.match(TEAMS_SENTENCE);
  assert.ok(m, `Teams' delivery-failure sentence: ${r.text}`);
  assert.equal(Number(m[1]), status);
}

describe('§5 the signed URL and its key', () => {
  test('§5 url = {public-url}/webhookb2/{team-id}@{tenant-id}/IncomingWebhook/{key}/{creator-id}/V2{signature}', async () => {
    const { hook } = await freshHook();
    const p = signedParts(hook.url);
    assert.equal(p.origin, srv.url);
    assert.equal(p.teamId, team.id);
    assert.equal(p.tenantId, tenantId);
    assert.equal(p.creatorId, owner.id);
    assert.ok(p.sig.length >= 16, `signature ${p.sig}`);
  });

  test('§5 {key} is 32 lowercase hex digits: the URL on a Teams host matches the scanners\' expression [a-f0-9]{32}', async () => {
    const { hook } = await freshHook();
    const { key } = signedParts(hook.url, { strictKey: true });
    assert.match(key, /^[a-f0-9]{32}$/);
    const onTeamsHost = 'https://contoso.webhook.office.com' + new URL(hook.url).pathname;
    assert.match(onTeamsHost, TEAMS_SCANNER_RE);
  });

  test('§5 {key} is the webhook\'s own secret: distinct from its configuration id, different per webhook, shown only inside url/workflowUrl', async () => {
    const { channel, hook } = await freshHook();
    const { hook: other } = await freshHook();
    const { key } = signedParts(hook.url, { strictKey: true });
    assert.notEqual(key, hook.id.replace(/-/g, ''));
    assert.notEqual(key, signedParts(other.url).key);
    const strip = (o) => JSON.stringify({ ...o, url: undefined, workflowUrl: undefined, webhookUrl: undefined });
    assert.ok(!strip(hook).includes(key), `the key outside url: ${strip(hook)}`);
    const one = expectStatus(await owner.api('GET', `/api/v1/connectors/${hook.id}`), 200).body;
    assert.ok(!strip(one).includes(key), 'GET /api/v1/connectors/{id}');
    for (const c of expectCollection(await owner.api('GET', `/api/v1/channels/${channel.id}/connectors`))) {
      assert.ok(!strip(c).includes(key), 'the channel\'s connector list');
    }
  });

  test('§5 the signature is checked: a changed signature, or the key/team/creator changed under the old signature, is refused (401 or 404) and nothing is stored', async () => {
    const { channel, hook } = await freshHook();
    const p = signedParts(hook.url);
    const before1 = await messageIds(channel);
    const r = await postTo(tamperSignature(hook.url), messageCard());
    expectTeamsRefusal(r, 401);
    const flip = (s) => s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');
    for (const url of [
      hook.url.replace(p.key, flip(p.key)),
      hook.url.replace(`/${p.creatorId}/V2`, `/${flip(p.creatorId)}/V2`),
      hook.url.replace(`/${p.teamId}@`, `/${flip(p.teamId)}@`),
    ]) {
      const x = await postTo(url, messageCard());
      assert.ok([401, 404].includes(x.status), `${url}: ${x.status} ${x.text}`);
      expectTeamsRefusal(x, x.status);
    }
    assert.deepEqual(await messageIds(channel), before1);
  });

  // The configuration id is not a secret. (A signed URL with it in the key slot is a URL handed
  // out before keys, which keeps working while its signature verifies: §5, "Changed 2026-12-04".)
  test('§5 the configuration id in the key slot of an unsigned URL does not reach a webhook in the current format', async () => {
    const { channel, hook } = await freshHook();
    const p = signedParts(hook.url);
    const before1 = await messageIds(channel);
    for (const url of [
      unsignedUrls(hook.url).webhookb2.replace(p.key, hook.id),
      unsignedUrls(hook.url).webhook.replace(p.key, hook.id),
    ]) {
      const r = await postTo(url, messageCard());
      assert.ok(r.status >= 400 && r.status < 500, `${url}: ${r.status} ${r.text}`);
    }
    assert.deepEqual(await messageIds(channel), before1);
  });
});

describe('§5 unsigned forms', () => {
  test('§5 unsignedWebhookUrlsAccepted is an organisation setting, true by default', async () => {
    assert.equal(expectStatus(await admin('GET', ORG), 200).body.unsignedWebhookUrlsAccepted, true);
  });

  for (const form of ['webhookb2', 'webhook']) {
    test(`§5 the unsigned /${form}/{team}@{tenant}/IncomingWebhook/{key}/{creator} reaches the same webhook (200 "1")`, async () => {
      const { channel, hook } = await freshHook();
      const url = unsignedUrls(hook.url)[form];
      const card = messageCard(`unsigned ${form}`);
      expectAccepted(await postTo(url, card));
      const [m] = expectCollection(await owner.api('GET', `${messagesPath(team.id, channel.id)}?$top=1`));
      assert.equal(cardOf(m).text, card.text);
      assert.equal(m.from.application.id, hook.id);
    });
  }

  test('§5 unsignedWebhookUrlsAccepted false: both unsigned forms are refused as a retired URL (410, Teams\' text), nothing stored; signed and Workflows URLs still work', async () => {
    const { channel, hook } = await freshHook();
    expectStatus(await admin('PATCH', ORG, { unsignedWebhookUrlsAccepted: false }), 200);
    try {
      assert.equal((await admin('GET', ORG)).body.unsignedWebhookUrlsAccepted, false);
      const before1 = await messageIds(channel);
      for (const url of Object.values(unsignedUrls(hook.url))) {
        const r = await postTo(url, messageCard());
        expectTeamsRefusal(r, 410);
        expectRequestId(r);
      }
      assert.deepEqual(await messageIds(channel), before1);
      expectAccepted(await postTo(hook.url, messageCard()));
      expectWorkflowAccepted(await postTo(hook.workflowUrl, messageCard()));
    } finally {
      expectStatus(await admin('PATCH', ORG, { unsignedWebhookUrlsAccepted: true }), 200);
    }
    expectAccepted(await postTo(unsignedUrls(hook.url).webhook, messageCard()));
  });

  test('§5 a webhook in the older URL format has only the unsigned /webhook/ form until "Update URL"', async () => {
    expectStatus(await admin('PATCH', ORG, { webhookUrlFormat: 'legacy' }), 200);
    let hook;
    try {
      ({ hook } = await freshHook());
    } finally {
      expectStatus(await admin('PATCH', ORG, { webhookUrlFormat: null }), 200);
    }
    const u = new URL(hook.url);
    assert.match(u.pathname, /^\/webhook\/[0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}$/, hook.url);
    expectAccepted(await postTo(hook.url, messageCard()));
    const r = expectStatus(await owner.api('POST', `/api/v1/webhooks/${hook.id}/updateUrl`), 200);
    signedParts(r.body.url);
    expectAccepted(await postTo(r.body.url, messageCard()));
  });
});

describe('§5 Workflows-shaped URLs', () => {
  test('§5 workflowUrl = {public-url}/workflows/{configuration-id}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={signature}', async () => {
    const { hook } = await freshHook();
    const u = new URL(hook.workflowUrl);
    assert.equal(u.origin, srv.url);
    const m = u.pathname.match(WORKFLOW_PATH_RE);
    assert.ok(m, hook.workflowUrl);
    assert.equal(m[1], hook.id);
    assert.ok(u.search.startsWith(WORKFLOW_QUERY), u.search);
    assert.match(u.searchParams.get('sig'), /^[A-Za-z0-9_-]{16,}$/);
  });

  for (const [what, body] of [
    ['a MessageCard', () => messageCard('wf card')],
    ['an Adaptive Card envelope', () => adaptiveEnvelope([adaptiveCard('wf adaptive')])],
    ['a bare {"text"}', () => ({ text: 'wf text' })],
  ]) {
    test(`§5 the Workflows URL accepts ${what} and answers 202 Accepted`, async () => {
      const { channel, hook } = await freshHook();
      expectWorkflowAccepted(await postTo(hook.workflowUrl, body()));
      assert.equal((await messageIds(channel)).length, 1);
    });
  }

  test('§5 the Workflows URL also answers under /powerautomate/automations/direct/workflows/... (202)', async () => {
    const { channel, hook } = await freshHook();
    const u = new URL(hook.workflowUrl);
    const alt = `${u.origin}/powerautomate/automations/direct${u.pathname}${u.search}`;
    expectWorkflowAccepted(await postTo(alt, messageCard('power automate')));
    assert.equal((await messageIds(channel)).length, 1);
  });

  test('§5 updating the webhook changes both URLs; deleting it stops both', async () => {
    const { hook } = await freshHook();
    const upd = expectStatus(await owner.api('POST', `/api/v1/webhooks/${hook.id}/updateUrl`), 200).body;
    assert.ok((await postTo(hook.url, messageCard())).status >= 400);
    assert.ok((await postTo(hook.workflowUrl, messageCard())).status >= 400);
    expectAccepted(await postTo(upd.url, messageCard()));
    expectWorkflowAccepted(await postTo(upd.workflowUrl, messageCard()));
    expectStatus(await owner.api('DELETE', `/api/v1/connectors/${hook.id}`), 204);
    expectTeamsRefusal(await postTo(upd.url, messageCard()), 410);
    expectWorkflowError(await postTo(upd.workflowUrl, messageCard()), 410);
  });
});

describe('§5 bodies and the success answer', () => {
  for (const [what, body, check] of [
    ['a MessageCard (@type MessageCard)', () => messageCard('mc body'), (m) => assert.equal(cardOf(m).text, 'mc body')],
    ['an Adaptive Card envelope', () => adaptiveEnvelope([adaptiveCard('ac body')]), (m) => assert.equal(cardOf(m).body[0].text, 'ac body')],
    ['a bare {"text": ...}', () => ({ text: 'bare text body' }), (m) => assert.ok(JSON.stringify(m).includes('bare text body'), JSON.stringify(m))],
  ]) {
    test(`§5 POST ${what} -> 200, Content-Type text/plain, body "1", and the message is stored when the answer comes`, async () => {
      const { channel } = await freshHook();
      const hook = await createWebhook(owner.api, channel.id);
      expectAccepted(await postTo(hook.url, body()));
      const [m] = expectCollection(await owner.api('GET', `${messagesPath(team.id, channel.id)}?$top=1`));
      check(m);
    });
  }

  test('§5 "200 1" is sent only after the message is durably stored: it survives kill -9 right after the answer', async () => {
    const s = await startServer();
    try {
      const u = await newUser(s, 'durable');
      const t = await createTeam(u.api);
      const ch = await generalChannel(u.api, t.id);
      const hook = await createWebhook(u.api, ch.id);
      const card = messageCard('durable card');
      expectAccepted(await postTo(hook.url, card));
      await s.kill9();
      await s.restart();
      const [m] = expectCollection(await api(s, u.token)('GET', `${messagesPath(t.id, ch.id)}?$top=1`));
      assert.equal(cardOf(m).text, card.text);
    } finally {
      await s.close();
    }
  });
});

describe('§5 refusals: Teams\' status and text, nothing stored', () => {
  async function refusedCase(body, status, mentions, opts) {
    const { channel, hook } = await freshHook();
    const r = await postTo(hook.url, body, opts);
    expectTeamsRefusal(r, status, mentions);
    assert.deepEqual(await messageIds(channel), []);
    return r;
  }

  test('§5 bad JSON -> 400 "Bad payload received by generic incoming webhook."', async () => {
    await refusedCase('{"text": "unterminated', 400, BAD_PAYLOAD);
  });

  test('§5 a MessageCard without summary and text -> 400 "Summary or Text is required."', async () => {
    await refusedCase({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions', title: 'no text' }, 400, SUMMARY_REQUIRED);
  });

  test('§5 too large (over 28 KB) -> 413 with "Microsoft Teams endpoint returned HTTP error 413"', async () => {
    await refusedCase(cardOfSize(MAX_PAYLOAD + 1), 413, TEAMS_413);
  });

  test('§5 unknown URL -> 404 Teams\' text (wrong key length or case, extra or missing segments, percent-encoded separators), never HTML, nothing stored', async () => {
    const { channel, hook } = await freshHook();
    const p = signedParts(hook.url);
    const base = `${srv.url}/webhookb2/${p.teamId}@${p.tenantId}/IncomingWebhook`;
    const problems = [];
    for (const url of [
      `${base}/${p.key.slice(1)}/${p.creatorId}/V2${p.sig}`,
      `${base}/${p.key}0/${p.creatorId}/V2${p.sig}`,
      `${base}/${p.key.toUpperCase()}/${p.creatorId}/V2${p.sig}`,
      `${base}/${p.key}/${p.creatorId}/V2${p.sig}/extra`,
      `${base}/${p.key}/V2${p.sig}`,
      `${srv.url}/webhookb2/${p.teamId}@${p.tenantId}/IncomingWebhook/${p.key}%2F${p.creatorId}/V2${p.sig}`,
      `${srv.url}/webhookb2/${p.teamId}%40${p.tenantId}/IncomingWebhook/${p.key}/${p.creatorId}/V2${p.sig}`,
      `${srv.url}/webhookb2/${p.teamId}%40${p.tenantId}/IncomingWebhook/${p.key}/${p.creatorId}`,
      `${srv.url}/webhookb2/${NO_SUCH_ID}@${p.tenantId}/IncomingWebhook/${'0'.repeat(32)}/${p.creatorId}`,
    ]) {
      const r = await postTo(url, messageCard());
      try {
        expectTeamsRefusal(r, 404);
      } catch (err) {
        problems.push(err.message.split('\n')[0]);
      }
    }
    assert.deepEqual(problems, [], `every variant must get the Teams 404:\n${problems.join('\n')}`);
    assert.deepEqual(await messageIds(channel), []);
  });

  test('§5 a removed webhook -> 410 Teams\' text on its URL, and the Workflows URL refuses too', async () => {
    const { channel, hook } = await freshHook();
    expectStatus(await owner.api('DELETE', `/api/v1/connectors/${hook.id}`), 204);
    expectTeamsRefusal(await postTo(hook.url, messageCard()), 410);
    expectWorkflowError(await postTo(hook.workflowUrl, messageCard()), 410);
    expectGraphError(await owner.api('GET', `/api/v1/connectors/${hook.id}`), 404);
    assert.deepEqual(await messageIds(channel), []);
  });

  test('§5 connectors disabled by policy -> 403 Teams\' text, nothing stored', async () => {
    const { channel, hook } = await freshHook();
    expectStatus(await admin('PATCH', ORG, { connectorsEnabled: false }), 200);
    try {
      expectTeamsRefusal(await postTo(hook.url, messageCard()), 403);
      expectWorkflowError(await postTo(hook.workflowUrl, messageCard()), 403);
    } finally {
      expectStatus(await admin('PATCH', ORG, { connectorsEnabled: null }), 200);
    }
    assert.deepEqual(await messageIds(channel), []);
  });

  test('§5 Workflows URL refusals: the Graph error shape with the same status (400, 404, 413)', async () => {
    const { channel, hook } = await freshHook();
    expectWorkflowError(await postTo(hook.workflowUrl, '{"text":'), 400);
    expectWorkflowError(await postTo(hook.workflowUrl, cardOfSize(MAX_PAYLOAD + 1)), 413);
    expectWorkflowError(await postTo(hook.workflowUrl.replace(`/workflows/${hook.id}/`, `/workflows/${NO_SUCH_ID}/`), messageCard()), 404);
    assert.deepEqual(await messageIds(channel), []);
  });
});

describe('§5 request-id on every webhook answer (webhooks.md)', () => {
  test('§5 request-id: a fresh GUID on success of the signed, unsigned and Workflows URLs', async () => {
    const { hook } = await freshHook();
    const ids = new Set();
    for (const url of [hook.url, unsignedUrls(hook.url).webhookb2, unsignedUrls(hook.url).webhook, hook.workflowUrl]) {
      const r = await postTo(url, messageCard());
      assert.ok(r.status === 200 || r.status === 202, `${url}: ${r.status} ${r.text}`);
      ids.add(expectRequestId(r, url));
    }
    assert.equal(ids.size, 4, 'a fresh id per request');
  });

  test('§5 request-id on refusals: bad JSON, unknown URL, bad signature, removed, and unknown paths under /webhook, /webhookb2, /workflows, /powerautomate', async () => {
    const { hook } = await freshHook();
    const answers = [
      await postTo(hook.url, '{"text":'),
      await postTo(tamperSignature(hook.url), messageCard()),
      await postTo(hook.workflowUrl, '{"text":'),
      await postTo(`${srv.url}/webhookb2/nothing/here`, messageCard()),
      await postTo(`${srv.url}/webhook/nothing`, messageCard()),
      await postTo(`${srv.url}/workflows/nothing`, messageCard()),
      await postTo(`${srv.url}/powerautomate/nothing`, messageCard()),
    ];
    for (const r of answers) {
      assert.ok(r.status >= 400 && r.status < 500, `${r.url}: ${r.status}`);
      expectRequestId(r, r.url);
    }
  });
});

describe('§5 limits and lifetime', () => {
  test('§5 payload limit 28 KB on the Workflows URL too: 28672 bytes -> 202, 28673 -> 413', async () => {
    const { hook } = await freshHook();
    expectWorkflowAccepted(await postTo(hook.workflowUrl, cardOfSize(MAX_PAYLOAD)));
    expectWorkflowError(await postTo(hook.workflowUrl, cardOfSize(MAX_PAYLOAD + 1)), 413);
  });

  test('§5 per-webhook rate limit by default: a burst gets 429 + Retry-After + Teams\' 429 sentence', async () => {
    const s = await startServer();
    try {
      const u = await newUser(s, 'burst');
      const t = await createTeam(u.api);
      const ch = await generalChannel(u.api, t.id);
      const hook = await createWebhook(u.api, ch.id);
      const all = await Promise.all(Array.from({ length: 20 }, (_, i) => postTo(hook.url, messageCard(`burst ${i}`))));
      const throttled = all.filter((r) => r.status === 429);
      assert.ok(throttled.length > 0, `20 concurrent posts: ${all.map((r) => r.status)}`);
      for (const r of throttled) {
        expectTeamsRefusal(r, 429, TEAMS_429);
        assert.match(r.headers.get('retry-after') || '', /^[1-9]\d*$/);
      }
      for (const r of all.filter((x) => x.status !== 429)) expectAccepted(r);
    } finally {
      await s.close();
    }
  });

  test('§5 the connector keeps working when the person who created it leaves the team', async () => {
    const creator = await newUser(srv, 'leaver');
    const t = await createTeam(owner.api);
    const ch = await generalChannel(owner.api, t.id);
    const m = await addMember(owner.api, t.id, creator.id);
    const hook = await createWebhook(creator.api, ch.id);
    expectStatus(await owner.api('DELETE', `/v1.0/teams/${t.id}/members/${m.id}`), 204);
    expectAccepted(await postTo(hook.url, messageCard('after the creator left')));
    expectWorkflowAccepted(await postTo(hook.workflowUrl, messageCard('after the creator left (wf)')));
  });

  test('§5 any Host header works on webhook paths (clients that hard-code *.webhook.office.com or outlook.office.com)', async () => {
    const { channel, hook } = await freshHook();
    for (const host of ['contoso.webhook.office.com', 'outlook.office.com']) {
      const r = await rawRequest(srv, 'POST', new URL(hook.url).pathname, {
        headers: { Host: host, 'Content-Type': 'application/json' }, chunks: [JSON.stringify(messageCard(`via ${host}`))],
      });
      assert.equal(r.status, 200, `${host}: ${r.status} ${r.text}`);
      assert.equal(r.text, '1');
    }
    assert.equal((await messageIds(channel)).length, 2);
  });
});
