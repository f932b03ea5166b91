// Incoming webhooks: creating them (POST /api/v1/channels/{c}/webhooks), posting to their URLs
// (connector-shaped and workflow-shaped) with the real `ms-teams-webhook` client and with raw
// fetch, the Teams error answers, payload limit, throttling, removal, delivery log, the creator
// leaving the team and the URL update. Contract sections 2, 4 and 5; spec/webhooks.md.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IncomingWebhook, isMicrosoftTeamsError } from 'ms-teams-webhook';

import { startServer, api, newUser, rawRequest, GUID_RE } from './lib/server.mjs';
import {
  expectStatus, expectJson, expectGraphError, expectGuid, expectCollection, RFC3339_UTC_RE,
  createTeam, createChannel, generalChannel, addMember, listMembers, postMessage, uniqueName,
} from './lib/graph.mjs';
import {
  V2_URL_RE, WORKFLOW_URL_RE, TEAMS_413, TEAMS_429, BAD_PAYLOAD, SUMMARY_REQUIRED, MESSAGECARD_TYPE,
  ADAPTIVE_TYPE, MAX_PAYLOAD, KEY_RE, parseV2Url, unsignedUrl, withConfigurationId, tamperSignature, tinyPng, dataUrl, webhooksPath,
  createWebhook, listConnectors, postTo, expectAccepted, expectWorkflowAccepted, expectRefused,
  expectWorkflowError, messageCard, adaptiveEnvelope, adaptiveCard, cardOfSize, allMessages, cardOf,
  findByText, newestMessage, getBinary,
} from './lib/webhooks.mjs';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

// The main server runs without throttling so that functional tests never meet a 429; the
// throttling tests start their own servers.
let srv;
let owner;
let member;
let guest;
let outsider;
let team;
let general;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  [owner, member, guest, outsider] = await Promise.all([
    newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'guest'), newUser(srv, 'outsider'),
  ]);
  team = await createTeam(owner.api, uniqueName('Webhooks'));
  general = await generalChannel(owner.api, team.id);
  await addMember(owner.api, team.id, member.id, []);
  await addMember(owner.api, team.id, guest.id, ['guest']);
});

after(async () => {
  if (srv) await srv.close();
});

// A fresh channel of the main team with one webhook on it: {channel, hook}.
async function freshHook(name = uniqueName('Hook'), creator = owner) {
  const channel = await createChannel(owner.api, team.id, uniqueName('Channel'));
  const hook = await createWebhook(creator.api, channel.id, { name });
  return { channel, hook };
}

async function messageCount(channel) {
  return (await allMessages(owner.api, team.id, channel.id, srv)).length;
}

// Asserts the shape of a message a webhook posted and returns its first card.
function expectWebhookMessage(m, hook, channel, { contentType = MESSAGECARD_TYPE } = {}) {
  expectGuid(m.id, 'message id');
  assert.equal(m.messageType, 'message');
  assert.match(m.createdDateTime, RFC3339_UTC_RE);
  assert.ok(m.from && m.from.application, `from.application missing: ${JSON.stringify(m.from)}`);
  assert.deepEqual(
    { id: m.from.application.id, displayName: m.from.application.displayName, applicationIdentityType: m.from.application.applicationIdentityType },
    { id: hook.id, displayName: hook.name, applicationIdentityType: 'connector' },
  );
  assert.ok(m.from.user === undefined || m.from.user === null, `a webhook message has no from.user: ${JSON.stringify(m.from)}`);
  assert.deepEqual(m.channelIdentity, { teamId: team.id, channelId: channel.id });
  assert.ok(Array.isArray(m.attachments) && m.attachments.length >= 1, `no attachments: ${JSON.stringify(m)}`);
  assert.equal(m.attachments[0].contentType, contentType);
  assert.equal(typeof m.summary, 'string', `summary must be set: ${JSON.stringify(m)}`);
  assert.ok(m.summary.length > 0, 'summary must not be empty');
  return cardOf(m, 0);
}

// ---------------------------------------------------------------------------------------------

describe('POST /api/v1/channels/{channel-id}/webhooks', () => {
  let created;
  const name = uniqueName('Build bot');

  before(async () => {
    created = await owner.api('POST', webhooksPath(general.id), { name });
  });

  test('-> 201 {id, name, url, workflowUrl, channelId, createdBy, createdDateTime, attentionRequired:false}', () => {
    expectStatus(created, 201);
    const h = expectJson(created);
    expectGuid(h.id, 'webhook id');
    assert.equal(h.name, name);
    assert.equal(h.channelId, general.id);
    assert.equal(h.createdBy, owner.id);
    assert.match(h.createdDateTime, RFC3339_UTC_RE);
    const t = Date.parse(h.createdDateTime);
    assert.ok(Math.abs(t - Date.now()) < 10 * 60_000, `createdDateTime ${h.createdDateTime} is not now`);
    assert.equal(h.attentionRequired, false);
    assert.ok(!('imageUrl' in h) || h.imageUrl === null, `no image was given, yet imageUrl = ${h.imageUrl}`);
  });

  test('url is {public-url}/webhookb2/{team}@{tenant}/IncomingWebhook/{key}/{creator}/V2{signature}, key = 32 lower-case hex, not the id', () => {
    const h = created.body;
    assert.match(h.url, V2_URL_RE);
    assert.ok(h.url.startsWith(srv.url + '/webhookb2/'), `url ${h.url} is not under the public URL ${srv.url}`);
    const u = parseV2Url(h.url);
    assert.equal(u.teamId, team.id);
    expectGuid(u.tenantId, 'tenant id');
    assert.match(u.key, KEY_RE);
    assert.notEqual(u.key, h.id.replace(/-/g, ''), 'the key is the webhook\'s own secret, not its configuration id');
    assert.equal(u.creatorId, owner.id);
  });

  test('workflowUrl is {public-url}/workflows/{id}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=...&sv=1.0&sig=...', () => {
    const h = created.body;
    assert.match(h.workflowUrl, WORKFLOW_URL_RE);
    assert.ok(h.workflowUrl.startsWith(`${srv.url}/workflows/${h.id}/triggers/manual/paths/invoke?`), h.workflowUrl);
    assert.ok(h.workflowUrl.includes('?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig='), h.workflowUrl);
  });

  test('two webhooks get different ids and signatures', async () => {
    const other = await createWebhook(owner.api, general.id, { name });
    assert.notEqual(other.id, created.body.id);
    assert.notEqual(parseV2Url(other.url).sig, parseV2Url(created.body.url).sig);
    assert.notEqual(new URL(other.workflowUrl).searchParams.get('sig'), new URL(created.body.workflowUrl).searchParams.get('sig'));
  });

  test('it is listed by GET /api/v1/channels/{c}/connectors as {id, kind, connectorId, name, createdBy, attentionRequired}', async () => {
    const value = await listConnectors(owner.api, general.id);
    const c = value.find((x) => x.id === created.body.id);
    assert.ok(c, `webhook ${created.body.id} not listed: ${JSON.stringify(value)}`);
    assert.equal(typeof c.kind, 'string');
    assert.ok(c.kind.length > 0);
    assert.equal(typeof c.connectorId, 'string');
    assert.equal(c.name, name);
    assert.equal(c.createdBy, owner.id);
    assert.equal(c.attentionRequired, false);
  });

  test('GET /api/v1/connectors/{id} -> the configuration', async () => {
    const r = await owner.api('GET', `/api/v1/connectors/${created.body.id}`);
    expectStatus(r, 200);
    const c = expectJson(r);
    assert.equal(c.id, created.body.id);
    assert.equal(c.name, name);
    assert.equal(c.createdBy, owner.id);
    assert.equal(c.attentionRequired, false);
  });

  test('a member (connectors allowed by default) -> 201, createdBy the member', async () => {
    const h = await createWebhook(member.api, general.id, { name: uniqueName('Member hook') });
    assert.equal(h.createdBy, member.id);
    assert.equal(parseV2Url(h.url).creatorId, member.id);
  });

  test('a guest can list the channel\'s connectors but does not see their URLs', async () => {
    const value = await listConnectors(guest.api, general.id);
    const c = value.find((x) => x.id === created.body.id);
    assert.ok(c, 'the guest should see the configuration');
    assert.ok(!c.url && !c.workflowUrl, `a guest must not see the secret URLs: ${JSON.stringify(c)}`);
  });

  test('missing name -> 400 naming it', async () => {
    expectGraphError(await owner.api('POST', webhooksPath(general.id), {}), 400, 'name');
  });

  test('name: 5 -> 400 naming it', async () => {
    expectGraphError(await owner.api('POST', webhooksPath(general.id), { name: 5 }), 400, 'name');
  });

  test('name: "" -> 400', async () => {
    expectGraphError(await owner.api('POST', webhooksPath(general.id), { name: '' }), 400);
  });

  test('malformed JSON -> 400', async () => {
    expectGraphError(await owner.api('POST', webhooksPath(general.id), '{"name":'), 400);
  });

  test('a guest -> 403', async () => {
    expectGraphError(await guest.api('POST', webhooksPath(general.id), { name: 'nope' }), 403);
  });

  test('a non-member -> 404', async () => {
    expectGraphError(await outsider.api('POST', webhooksPath(general.id), { name: 'nope' }), 404);
  });

  test('an unknown channel -> 404', async () => {
    expectGraphError(await owner.api('POST', webhooksPath(NO_SUCH_ID), { name: 'nope' }), 404);
  });

  test('no credentials -> 401', async () => {
    expectGraphError(await api(srv)('POST', webhooksPath(general.id), { name: 'nope' }), 401);
  });
});

describe('webhook images', () => {
  const png = tinyPng();

  test('a PNG data URL -> 201 with imageUrl; GET imageUrl (with auth) serves the same bytes as image/png', async () => {
    const h = await createWebhook(owner.api, general.id, { name: uniqueName('Pictured'), image: dataUrl('image/png', png) });
    assert.equal(typeof h.imageUrl, 'string', `imageUrl missing: ${JSON.stringify(h)}`);
    assert.ok(h.imageUrl.startsWith(srv.url + '/'), `imageUrl ${h.imageUrl} is not under ${srv.url}`);
    const r = await getBinary(h.imageUrl, { token: owner.token });
    assert.equal(r.status, 200, `GET ${h.imageUrl} -> ${r.status} ${r.bytes.toString('utf8').slice(0, 300)}`);
    assert.match(r.contentType, /^image\/png\b/i);
    assert.ok(r.bytes.equals(png), `served bytes differ: got ${r.bytes.toString('hex')}, want ${png.toString('hex')}`);
    // a guest of the team may see it too (they see the channel), an outsider not
    const g = await getBinary(h.imageUrl, { token: guest.token });
    assert.equal(g.status, 200);
    const o = await getBinary(h.imageUrl, { token: outsider.token });
    assert.equal(o.status, 404);
  });

  test('GET imageUrl without credentials -> 401', async () => {
    const h = await createWebhook(owner.api, general.id, { name: uniqueName('Pictured'), image: dataUrl('image/png', png) });
    const r = await getBinary(h.imageUrl);
    assert.equal(r.status, 401);
  });

  test('an https image URL -> GET imageUrl answers 302 to it', async () => {
    const target = 'https://images.example.com/bots/ci.png';
    const h = await createWebhook(owner.api, general.id, { name: uniqueName('Linked'), image: target });
    assert.equal(typeof h.imageUrl, 'string');
    const r = await getBinary(h.imageUrl, { token: owner.token });
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), target);
  });

  const bad = {
    'not base64': 'data:image/png;base64,!!!not-base64!!!',
    'empty data': 'data:image/png;base64,',
    'no ;base64': `data:image/png,${png.toString('base64')}`,
    'an SVG': dataUrl('image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')),
    'HTML': dataUrl('text/html', Buffer.from('<script>alert(1)</script>')),
    'bytes that are not the declared PNG': dataUrl('image/png', Buffer.from('GIF89a-not-a-png-at-all')),
    'an http URL': 'http://images.example.com/ci.png',
    'a javascript: URL': 'javascript:alert(1)',
    'a relative path': '/images/ci.png',
    // The old prefix check took anything after "https://"; the URL module wants a host.
    'an https URL without a host': 'https:///images/ci.png',
    'an https URL that is only a query': 'https://?ci.png',
  };
  for (const [what, image] of Object.entries(bad)) {
    test(`image: ${what} -> 400`, async () => {
      expectGraphError(await owner.api('POST', webhooksPath(general.id), { name: uniqueName('Bad image'), image }), 400);
    });
  }

  test('image: 5 -> 400', async () => {
    expectGraphError(await owner.api('POST', webhooksPath(general.id), { name: uniqueName('Bad image'), image: 5 }), 400, 'image');
  });
});

describe('memberSettings.allowCreateUpdateRemoveConnectors: false', () => {
  let t2;
  let ch2;
  let ownersHook;

  before(async () => {
    t2 = await createTeam(owner.api, uniqueName('Locked'));
    ch2 = await generalChannel(owner.api, t2.id);
    await addMember(owner.api, t2.id, member.id, []);
    await addMember(owner.api, t2.id, guest.id, ['guest']);
    ownersHook = await createWebhook(owner.api, ch2.id, { name: uniqueName('Owner hook') });
    expectStatus(await owner.api('PATCH', `/v1.0/teams/${t2.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: false } }), 204);
  });

  test('a member -> 403', async () => {
    expectGraphError(await member.api('POST', webhooksPath(ch2.id), { name: 'nope' }), 403);
  });

  test('the owner -> 201', async () => {
    const h = await createWebhook(owner.api, ch2.id, { name: uniqueName('Still allowed') });
    assert.match(h.url, V2_URL_RE);
  });

  test('a member may not update the URL, delete it or read its delivery log (403)', async () => {
    expectGraphError(await member.api('POST', `/api/v1/webhooks/${ownersHook.id}/updateUrl`), 403);
    expectGraphError(await member.api('DELETE', `/api/v1/connectors/${ownersHook.id}`), 403);
    expectGraphError(await member.api('GET', `/api/v1/connectors/${ownersHook.id}/deliveries`), 403);
  });

  test('a member may still list the channel\'s connectors (without URLs)', async () => {
    const value = await listConnectors(member.api, ch2.id);
    const c = value.find((x) => x.id === ownersHook.id);
    assert.ok(c, 'the member should see the configuration');
    assert.ok(!c.url && !c.workflowUrl, `URLs must not be shown to a member who may not manage: ${JSON.stringify(c)}`);
  });

  test('switching it back on lets the member create again', async () => {
    expectStatus(await owner.api('PATCH', `/v1.0/teams/${t2.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: true } }), 204);
    await createWebhook(member.api, ch2.id, { name: uniqueName('Allowed again') });
  });
});

// ---------------------------------------------------------------------------------------------

describe('posting with the ms-teams-webhook client (connector URL)', () => {
  let channel;
  let hook;
  let client;

  before(async () => {
    ({ channel, hook } = await freshHook(uniqueName('Client hook')));
    client = new IncomingWebhook(hook.url);
  });

  test('send(MessageCard) resolves with the response data 1; the card is stored', async () => {
    const card = messageCard(uniqueName('client card'), {
      themeColor: '0078D7',
      title: 'Issue opened: "Push notifications not working"',
      sections: [{ activityTitle: 'Miguel Garcia', activitySubtitle: '9/13/2016, 11:46am', text: 'There is a problem.', facts: [{ name: 'Repo', value: 'switchboard' }] }],
      potentialAction: [{ '@type': 'OpenUri', name: 'View', targets: [{ os: 'default', uri: 'https://example.com/issue/1' }] }],
    });
    const result = await client.send(card);
    assert.equal(result, 1, `send() should resolve with the parsed body "1", got ${JSON.stringify(result)}`);
    const m = await newestMessage(owner.api, team.id, channel.id);
    const stored = expectWebhookMessage(m, hook, channel);
    assert.deepEqual(stored, card);
    assert.equal(m.summary, card.summary);
  });

  // Teams accepts a MessageCard of more than 10 sections and shows the first 10 (its cards
  // reference); refusing it would break clients that work against Teams.
  test('send(MessageCard with 12 sections) resolves with 1; all 12 are stored as written', async () => {
    const sections = Array.from({ length: 12 }, (_, i) => ({ activityTitle: `Step ${i + 1}`, text: `section ${i + 1}` }));
    const card = messageCard(uniqueName('twelve sections'), { sections });
    assert.equal(await client.send(card), 1);
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.deepEqual(expectWebhookMessage(m, hook, channel), card);
  });

  test('sendText("hello") (a text/plain body) -> 200, data 1; stored as a card with that text', async () => {
    const res = await client.sendText('hello');
    assert.equal(res.status, 200);
    assert.equal(res.data, 1);
    const m = await newestMessage(owner.api, team.id, channel.id);
    const stored = expectWebhookMessage(m, hook, channel);
    assert.equal(stored.text, 'hello');
    assert.equal(m.summary, 'hello');
  });

  test('sendAdaptiveCard(template, data) -> 200; the expanded Adaptive Card is stored', async () => {
    const template = {
      type: 'AdaptiveCard',
      version: '1.4',
      body: [{ type: 'TextBlock', text: 'Deploy of ${service} finished', wrap: true }, { type: 'FactSet', facts: [{ title: 'By', value: '${user}' }] }],
    };
    const res = await client.sendAdaptiveCard(template, { service: 'billing', user: 'Ann' });
    assert.equal(res.status, 200);
    assert.equal(res.data, 1);
    const m = await newestMessage(owner.api, team.id, channel.id);
    const stored = expectWebhookMessage(m, hook, channel, { contentType: ADAPTIVE_TYPE });
    assert.equal(stored.type, 'AdaptiveCard');
    assert.equal(stored.body[0].text, 'Deploy of billing finished');
    assert.equal(stored.body[1].facts[0].value, 'Ann');
    assert.equal(m.summary, 'Adaptive Card'); // the envelope's summary, as the client sends it
  });

  test('sendAdaptiveCard(template, [d1, d2, d3]) -> one message with three adaptive attachments, in order', async () => {
    const template = { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Item ${n}' }] };
    const res = await client.sendAdaptiveCard(template, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.equal(res.status, 200);
    const m = await newestMessage(owner.api, team.id, channel.id);
    expectWebhookMessage(m, hook, channel, { contentType: ADAPTIVE_TYPE });
    assert.equal(m.attachments.length, 3);
    m.attachments.forEach((a, i) => {
      assert.equal(a.contentType, ADAPTIVE_TYPE);
      assert.equal(JSON.parse(a.content).body[0].text, `Item ${i + 1}`);
    });
    assert.equal(new Set(m.attachments.map((a) => a.id)).size, 3, 'attachment ids must be distinct');
  });

  test('send() of a card without text or summary rejects (400), and stores nothing', async () => {
    const before = await messageCount(channel);
    await assert.rejects(client.send({ '@type': 'MessageCard', title: 'title only' }));
    const r = await postTo(hook.url, { '@type': 'MessageCard', title: 'title only' });
    expectRefused(r, 400, SUMMARY_REQUIRED);
    assert.equal(await messageCount(channel), before);
  });
});

describe('posting with the ms-teams-webhook client (workflow URL)', () => {
  let channel;
  let hook;
  let client;

  before(async () => {
    ({ channel, hook } = await freshHook(uniqueName('Workflow hook')));
    client = new IncomingWebhook(hook.workflowUrl);
  });

  test('send(MessageCard) resolves (202 Accepted, empty body); the card is stored', async () => {
    const card = messageCard(uniqueName('workflow card'));
    const result = await client.send(card);
    assert.ok(result === '' || result === undefined || result === null, `unexpected data ${JSON.stringify(result)}`);
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.deepEqual(expectWebhookMessage(m, hook, channel), card);
  });

  test('sendText -> 202', async () => {
    const res = await client.sendText('hello from a workflow');
    assert.equal(res.status, 202);
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(expectWebhookMessage(m, hook, channel).text, 'hello from a workflow');
  });

  test('sendAdaptiveCard -> 202', async () => {
    const res = await client.sendAdaptiveCard({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Hi ${who}' }] }, { who: 'Bo' });
    assert.equal(res.status, 202);
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(expectWebhookMessage(m, hook, channel, { contentType: ADAPTIVE_TYPE }).body[0].text, 'Hi Bo');
  });

  test('send() of a card without text or summary rejects with a MicrosoftTeamsError carrying the Teams sentence', async () => {
    const before = await messageCount(channel);
    await assert.rejects(client.send({ '@type': 'MessageCard', title: 'title only' }), (err) => {
      assert.ok(isMicrosoftTeamsError(err), `expected a MicrosoftTeamsError (JSON {error:{code,message}} with 400), got ${err && err.stack}`);
      assert.ok(err.message.includes(SUMMARY_REQUIRED), err.message);
      return true;
    });
    assert.equal(await messageCount(channel), before);
  });

  test('the /powerautomate/automations/direct/workflows/... form of the URL works too (202)', async () => {
    const u = new URL(hook.workflowUrl);
    const alt = `${srv.url}/powerautomate/automations/direct${u.pathname}${u.search}`;
    const text = uniqueName('power automate');
    expectWorkflowAccepted(await postTo(alt, messageCard(text)));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(expectWebhookMessage(m, hook, channel).text, text);
  });
});

describe('posting with raw fetch', () => {
  let channel;
  let hook;

  before(async () => {
    ({ channel, hook } = await freshHook(uniqueName('Raw hook')));
  });

  test('MessageCard -> 200, text/plain, body exactly "1"; stored as an o365connector card whose content is the card JSON string', async () => {
    const card = messageCard(uniqueName('raw card'), { title: 'A title', themeColor: 'FF0000' });
    expectAccepted(await postTo(hook.url, card));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.deepEqual(expectWebhookMessage(m, hook, channel), card);
    assert.equal(m.summary, card.summary);
  });

  test('a bare {"text": ...} -> 200 "1"', async () => {
    const text = uniqueName('bare text');
    expectAccepted(await postTo(hook.url, { text }));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(expectWebhookMessage(m, hook, channel).text, text);
    assert.equal(m.summary, text);
  });

  test('a text/plain body -> 200 "1"; the text is the card\'s text', async () => {
    const text = `plain ${uniqueName('text')} *markdown* stays`;
    expectAccepted(await postTo(hook.url, text, { contentType: 'text/plain' }));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(expectWebhookMessage(m, hook, channel).text, text);
  });

  test('an Adaptive Card envelope -> 200 "1"; stored as application/vnd.microsoft.card.adaptive', async () => {
    const card = adaptiveCard(uniqueName('adaptive raw'));
    expectAccepted(await postTo(hook.url, adaptiveEnvelope([card], 'Adaptive summary')));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.deepEqual(expectWebhookMessage(m, hook, channel, { contentType: ADAPTIVE_TYPE }), card);
    assert.equal(m.summary, 'Adaptive summary');
    assert.equal(m.attachments.length, 1);
  });

  test('several adaptive attachments -> one message with all of them, in order', async () => {
    const cards = [adaptiveCard('first'), adaptiveCard('second'), adaptiveCard('third'), adaptiveCard('fourth')];
    expectAccepted(await postTo(hook.url, adaptiveEnvelope(cards, 'four cards')));
    const m = await newestMessage(owner.api, team.id, channel.id);
    expectWebhookMessage(m, hook, channel, { contentType: ADAPTIVE_TYPE });
    assert.equal(m.attachments.length, 4);
    m.attachments.forEach((a, i) => {
      assert.equal(a.contentType, ADAPTIVE_TYPE);
      assert.deepEqual(JSON.parse(a.content), cards[i]);
    });
    assert.equal(new Set(m.attachments.map((a) => a.id)).size, 4);
    for (const a of m.attachments) assert.ok(m.body.content.includes(a.id), `body.content should reference attachment ${a.id}: ${m.body.content}`);
  });

  test('the workflow URL with raw fetch -> 202', async () => {
    const text = uniqueName('workflow raw');
    expectWorkflowAccepted(await postTo(hook.workflowUrl, messageCard(text)));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(expectWebhookMessage(m, hook, channel).text, text);
  });

  test('hostile strings are kept byte for byte inside the card JSON', async () => {
    const script = '<script>alert(1)</script>';
    const img = '<img src=x onerror="alert(document.cookie)">';
    const closing = '</attachment><b>bold</b> & &amp; \u2028 "quotes" \\ back';
    const card = messageCard(script, {
      title: img,
      summary: `sum ${script}`,
      sections: [{ activityTitle: closing, text: `${img}${script}` }],
    });
    expectAccepted(await postTo(hook.url, card));
    const m = await newestMessage(owner.api, team.id, channel.id);
    const stored = expectWebhookMessage(m, hook, channel);
    assert.deepEqual(stored, card);
    const raw = m.attachments[0].content;
    assert.ok(raw.includes(script), `the card JSON should contain ${script} verbatim: ${raw}`);
    assert.ok(raw.includes('<img src=x onerror='), `the card JSON should contain the <img onerror> verbatim: ${raw}`);
    assert.ok(raw.includes('</attachment><b>bold</b> & &amp;'), `the card JSON should keep markup verbatim: ${raw}`);
  });

  test('hostile text/plain -> kept byte for byte', async () => {
    const text = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    expectAccepted(await postTo(hook.url, text, { contentType: 'text/plain; charset=utf-8' }));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(expectWebhookMessage(m, hook, channel).text, text);
    assert.ok(m.attachments[0].content.includes('<script>alert(\\"x\\")</script><img src=x onerror=alert(1)>'), m.attachments[0].content);
  });

  test('with the rate limit off (0), 50 quick posts all succeed (no 429)', async () => {
    const before = await messageCount(channel);
    const statuses = [];
    for (let batch = 0; batch < 5; batch++) {
      const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => postTo(hook.url, { text: `burst ${batch}.${i}` })));
      statuses.push(...rs.map((r) => r.status));
    }
    assert.deepEqual(statuses.filter((s) => s !== 200), [], `statuses: ${statuses.join(',')}`);
    assert.equal(await messageCount(channel), before + 50);
  });
});

// ---------------------------------------------------------------------------------------------

describe('refused posts (connector URL): Teams statuses and sentences; nothing is stored', () => {
  let channel;
  let hook;
  let countBefore;

  before(async () => {
    ({ channel, hook } = await freshHook(uniqueName('Error hook')));
    expectAccepted(await postTo(hook.url, messageCard('the only message')));
    countBefore = await messageCount(channel);
  });

  test('malformed JSON -> 400 "Bad payload received by generic incoming webhook."', async () => {
    const r = expectRefused(await postTo(hook.url, '{"text": "unterminated'), 400, BAD_PAYLOAD);
    assert.match(r.contentType, /^text\/plain\b/i);
  });

  test('a JSON array -> 400 bad payload', async () => {
    expectRefused(await postTo(hook.url, '[{"text":"hi"}]'), 400, BAD_PAYLOAD);
  });

  test('an empty body -> 400 bad payload', async () => {
    expectRefused(await postTo(hook.url, ''), 400, BAD_PAYLOAD);
  });

  test('a MessageCard without text or summary -> 400 "Summary or Text is required."', async () => {
    const r = expectRefused(await postTo(hook.url, { '@type': 'MessageCard', '@context': 'https://schema.org/extensions', title: 'no text' }), 400, SUMMARY_REQUIRED);
    assert.match(r.contentType, /^text\/plain\b/i);
  });

  test('a MessageCard with a blank text -> 400 "Summary or Text is required."', async () => {
    expectRefused(await postTo(hook.url, { '@type': 'MessageCard', text: '   ' }), 400, SUMMARY_REQUIRED);
  });

  test(`a body of ${MAX_PAYLOAD + 1} bytes -> 413 with "${TEAMS_413}"`, async () => {
    expectRefused(await postTo(hook.url, cardOfSize(MAX_PAYLOAD + 1)), 413, TEAMS_413);
  });

  test('a much larger body, sent chunked (no Content-Length) -> 413', async () => {
    const big = cardOfSize(100_000);
    const r = await rawRequest(hook.url, 'POST', hook.url, {
      headers: { 'Content-Type': 'application/json' },
      chunks: [big.slice(0, 20_000), big.slice(20_000, 60_000), big.slice(60_000)],
      chunked: true,
    });
    assert.equal(r.status, 413, `got ${r.status} ${r.text}`);
    assert.ok(r.text.includes(TEAMS_413), r.text);
  });

  test('an unknown key -> 404', async () => {
    const u = parseV2Url(hook.url);
    const url = hook.url.replace(`/IncomingWebhook/${u.key}/`, `/IncomingWebhook/${'0'.repeat(32)}/`);
    assert.notEqual(url, hook.url);
    expectRefused(await postTo(url, messageCard()), 404);
  });

  test('an unknown configuration id in the key slot -> 404', async () => {
    const url = withConfigurationId(hook.url, NO_SUCH_ID);
    assert.notEqual(url, hook.url);
    expectRefused(await postTo(url, messageCard()), 404);
  });

  test('a tampered signature -> 401', async () => {
    expectRefused(await postTo(tamperSignature(hook.url), messageCard()), 401);
  });

  test('a truncated signature -> refused (401 or 404)', async () => {
    const r = await postTo(hook.url.slice(0, -1), messageCard());
    assert.ok([401, 404].includes(r.status), `got ${r.status} ${r.text}`);
  });

  test('another creator id in the path -> refused (401 or 404)', async () => {
    const u = parseV2Url(hook.url);
    const r = await postTo(hook.url.replace(`/${u.creatorId}/V2`, `/${member.id}/V2`), messageCard());
    assert.ok([401, 404].includes(r.status), `got ${r.status} ${r.text}`);
  });

  test('another team id in the path -> refused (401 or 404)', async () => {
    const other = await createTeam(owner.api, uniqueName('Other'));
    const r = await postTo(hook.url.replace(`/webhookb2/${team.id}@`, `/webhookb2/${other.id}@`), messageCard());
    assert.ok([401, 404].includes(r.status), `got ${r.status} ${r.text}`);
  });

  test('none of the refused posts was stored', async () => {
    assert.equal(await messageCount(channel), countBefore);
  });
});

describe('refused posts (workflow URL): JSON {error:{code,message}}', () => {
  let channel;
  let hook;
  let countBefore;

  before(async () => {
    ({ channel, hook } = await freshHook(uniqueName('Workflow error hook')));
    countBefore = await messageCount(channel);
  });

  test('malformed JSON -> 400 JSON error with the bad-payload sentence', async () => {
    expectWorkflowError(await postTo(hook.workflowUrl, '{"text":'), 400, BAD_PAYLOAD);
  });

  test('no text or summary -> 400 JSON error "Summary or Text is required."', async () => {
    expectWorkflowError(await postTo(hook.workflowUrl, { '@type': 'MessageCard', title: 't' }), 400, SUMMARY_REQUIRED);
  });

  test('too large -> 413 JSON error', async () => {
    expectWorkflowError(await postTo(hook.workflowUrl, cardOfSize(MAX_PAYLOAD + 1)), 413);
  });

  test('an unknown id -> 404 JSON error', async () => {
    expectWorkflowError(await postTo(hook.workflowUrl.replace(`/workflows/${hook.id}/`, `/workflows/${NO_SUCH_ID}/`), messageCard()), 404);
  });

  test('a tampered sig -> 401 JSON error', async () => {
    expectWorkflowError(await postTo(tamperSignature(hook.workflowUrl), messageCard()), 401);
  });

  test('no sig at all -> 401 JSON error', async () => {
    expectWorkflowError(await postTo(hook.workflowUrl.replace(/&sig=[^&]*$/, ''), messageCard()), 401);
  });

  test('the connector URL\'s signature does not open the workflow URL (401)', async () => {
    const u = new URL(hook.workflowUrl);
    u.searchParams.set('sig', parseV2Url(hook.url).sig);
    expectWorkflowError(await postTo(u.href, messageCard()), 401);
  });

  test('none of the refused posts was stored', async () => {
    assert.equal(await messageCount(channel), countBefore);
  });
});

describe('payload limit', () => {
  test(`exactly ${MAX_PAYLOAD} bytes is accepted (the limit is 28 KB)`, async () => {
    const { channel, hook } = await freshHook(uniqueName('Big hook'));
    expectAccepted(await postTo(hook.url, cardOfSize(MAX_PAYLOAD, 'exact')));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(expectWebhookMessage(m, hook, channel).text.length, JSON.parse(cardOfSize(MAX_PAYLOAD, 'exact')).text.length);
  });

  test('--max-payload 1024: 1024 bytes -> 200, 1025 bytes -> 413 with the Teams sentence; other APIs keep their own limit', async () => {
    const s = await startServer({ args: ['--webhook-rate-limit', '0', '--max-payload', '1024'] });
    try {
      const o = await newUser(s, 'owner');
      const t = await createTeam(o.api);
      const ch = await generalChannel(o.api, t.id);
      const h = await createWebhook(o.api, ch.id, { name: 'small' });
      expectAccepted(await postTo(h.url, cardOfSize(1024)));
      expectRefused(await postTo(h.url, cardOfSize(1025)), 413, TEAMS_413);
      expectWorkflowError(await postTo(h.workflowUrl, cardOfSize(1025)), 413);
      // the webhook limit does not apply to people's messages
      await postMessage(o.api, t.id, ch.id, 'y'.repeat(4000));
      const msgs = await allMessages(o.api, t.id, ch.id, s);
      assert.equal(msgs.length, 2);
    } finally {
      await s.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

// Fires `n` posts at once at `url`; resolves with the responses and the elapsed milliseconds.
async function burst(url, n, label) {
  const t0 = Date.now();
  const rs = await Promise.all(Array.from({ length: n }, (_, i) => postTo(url, { text: `${label} ${i}` })));
  return { rs, ms: Date.now() - t0 };
}

function check429(r, { workflow = false } = {}) {
  const ra = r.headers.get('retry-after');
  assert.ok(ra !== null, `429 without Retry-After: ${r.text}`);
  assert.match(ra, /^\d+$/, `Retry-After must be an integer number of seconds, got ${ra}`);
  assert.ok(Number(ra) >= 1, `Retry-After must be at least 1, got ${ra}`);
  assert.match(r.headers.get('request-id') || '', GUID_RE, `429 without a request-id GUID: ${r.text}`);
  if (workflow) expectWorkflowError(r, 429);
  else expectRefused(r, 429, TEAMS_429);
}

describe('throttling', () => {
  test('--webhook-rate-limit 2: a burst gets 429s with Retry-After and the Teams sentence; only accepted posts are stored; logged', async () => {
    const s = await startServer({ args: ['--webhook-rate-limit', '2'] });
    try {
      const o = await newUser(s, 'owner');
      const t = await createTeam(o.api);
      const ch = await generalChannel(o.api, t.id);
      const h = await createWebhook(o.api, ch.id, { name: 'throttled' });
      const { rs, ms } = await burst(h.url, 12, 'burst');
      const ok = rs.filter((r) => r.status === 200);
      const limited = rs.filter((r) => r.status === 429);
      assert.equal(ok.length + limited.length, 12, `unexpected statuses: ${rs.map((r) => r.status).join(',')}`);
      assert.ok(limited.length > 0, `no 429 in a burst of 12 with a limit of 2/s (took ${ms} ms)`);
      // token bucket of 2/s with a burst of 2: at most 2 + 2 * seconds elapsed (+1 for rounding)
      assert.ok(ok.length <= 2 + Math.ceil((2 * ms) / 1000) + 1, `${ok.length} accepted in ${ms} ms with a limit of 2/s`);
      for (const r of ok) expectAccepted(r);
      for (const r of limited) check429(r);
      const msgs = await allMessages(o.api, t.id, ch.id, s);
      assert.equal(msgs.length, ok.length, 'exactly the accepted posts are stored');
      const log = expectCollection(await o.api('GET', `/api/v1/connectors/${h.id}/deliveries`));
      assert.equal(log.filter((d) => d.status === 429).length, limited.length, `delivery log: ${JSON.stringify(log)}`);
      assert.equal(log.filter((d) => d.status === 200).length, ok.length);

      // the limit is per webhook: another webhook on the same server is not affected
      const h2 = await createWebhook(o.api, ch.id, { name: 'neighbour' });
      expectAccepted(await postTo(h2.url, { text: 'not throttled' }));

      // the workflow URL shares the webhook's budget and answers as Power Automate (JSON)
      const wf = await burst(h.workflowUrl, 8, 'wf burst');
      const wfLimited = wf.rs.filter((r) => r.status === 429);
      assert.ok(wfLimited.length > 0, `no 429 on the workflow URL: ${wf.rs.map((r) => r.status).join(',')}`);
      for (const r of wfLimited) check429(r, { workflow: true });
      for (const r of wf.rs.filter((x) => x.status !== 429)) expectWorkflowAccepted(r);
    } finally {
      await s.close();
    }
  });

  test('SWITCHBOARD_WEBHOOK_RATE_LIMIT=2 in the environment throttles the same way', async () => {
    const s = await startServer({ env: { SWITCHBOARD_WEBHOOK_RATE_LIMIT: '2' } });
    try {
      const o = await newUser(s, 'owner');
      const t = await createTeam(o.api);
      const ch = await generalChannel(o.api, t.id);
      const h = await createWebhook(o.api, ch.id, { name: 'env throttled' });
      const { rs } = await burst(h.url, 12, 'env burst');
      const limited = rs.filter((r) => r.status === 429);
      assert.ok(limited.length > 0, `no 429: ${rs.map((r) => r.status).join(',')}`);
      for (const r of limited) check429(r);
    } finally {
      await s.close();
    }
  });

  test('the default (no flag) guards against bursts: 4 per second per webhook', async () => {
    const s = await startServer();
    try {
      const o = await newUser(s, 'owner');
      const t = await createTeam(o.api);
      const ch = await generalChannel(o.api, t.id);
      const h = await createWebhook(o.api, ch.id, { name: 'default throttled' });
      const { rs, ms } = await burst(h.url, 20, 'default burst');
      const ok = rs.filter((r) => r.status === 200).length;
      const limited = rs.filter((r) => r.status === 429);
      assert.ok(limited.length > 0, `no 429 in a burst of 20 with the default limit (took ${ms} ms)`);
      assert.ok(ok >= 4, `the first 4 of a burst should pass, only ${ok} did`);
      for (const r of limited) check429(r);
    } finally {
      await s.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('DELETE /api/v1/connectors/{id}', () => {
  let channel;
  let hook;
  let countBefore;

  before(async () => {
    ({ channel, hook } = await freshHook(uniqueName('Doomed hook')));
    expectAccepted(await postTo(hook.url, messageCard('before removal')));
    countBefore = await messageCount(channel);
  });

  test('a guest -> 403, an outsider -> 404 (and the webhook stays)', async () => {
    expectGraphError(await guest.api('DELETE', `/api/v1/connectors/${hook.id}`), 403);
    expectGraphError(await outsider.api('DELETE', `/api/v1/connectors/${hook.id}`), 404);
    expectAccepted(await postTo(hook.url, messageCard('still alive')));
    countBefore += 1;
  });

  test('the owner -> 204', async () => {
    const r = await owner.api('DELETE', `/api/v1/connectors/${hook.id}`);
    expectStatus(r, 204);
    assert.equal(r.text, '');
  });

  test('posting to its URL now -> 410', async () => {
    expectRefused(await postTo(hook.url, messageCard('after removal')), 410);
  });

  test('posting to its workflow URL now -> 410 JSON error', async () => {
    expectWorkflowError(await postTo(hook.workflowUrl, messageCard('after removal')), 410);
  });

  test('it is gone from GET /api/v1/channels/{c}/connectors and GET /api/v1/connectors/{id} -> 404', async () => {
    const value = await listConnectors(owner.api, channel.id);
    assert.ok(!value.some((c) => c.id === hook.id), `removed webhook still listed: ${JSON.stringify(value)}`);
    expectGraphError(await owner.api('GET', `/api/v1/connectors/${hook.id}`), 404);
  });

  test('deleting it again -> 404', async () => {
    expectGraphError(await owner.api('DELETE', `/api/v1/connectors/${hook.id}`), 404);
  });

  test('nothing was stored after the removal; earlier messages stay', async () => {
    const msgs = await allMessages(owner.api, team.id, channel.id, srv);
    assert.equal(msgs.length, countBefore);
    assert.equal(findByText(msgs, 'before removal').length, 1);
  });
});

describe('PATCH /api/v1/connectors/{id} (rename)', () => {
  test('configName -> 200 with the new name; GET and later posts carry it', async () => {
    const { channel, hook } = await freshHook(uniqueName('Old name'));
    const name = uniqueName('New name');
    const r = await owner.api('PATCH', `/api/v1/connectors/${hook.id}`, { configName: name });
    expectStatus(r, 200);
    assert.equal(r.body.name, name);
    const g = expectStatus(await owner.api('GET', `/api/v1/connectors/${hook.id}`), 200);
    assert.equal(g.body.name, name);
    expectAccepted(await postTo(hook.url, messageCard(uniqueName('after rename'))));
    const m = await newestMessage(owner.api, team.id, channel.id);
    assert.equal(m.from.application.displayName, name);
  });

  test('a guest -> 403', async () => {
    const { hook } = await freshHook();
    expectGraphError(await guest.api('PATCH', `/api/v1/connectors/${hook.id}`, { configName: 'guest name' }), 403);
  });
});

describe('GET /api/v1/connectors/{id}/deliveries', () => {
  let channel;
  let hook;
  const posted = []; // {status, size, text?} oldest first

  before(async () => {
    ({ channel, hook } = await freshHook(uniqueName('Logged hook')));
    const send = async (body, status, opts) => {
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      const r = await postTo(hook.url, payload, opts);
      assert.equal(r.status, status, `setup post: expected ${status}, got ${r.status} ${r.text}`);
      posted.push({ status, size: Buffer.byteLength(payload), text: r.text });
    };
    await send(messageCard('first ok'), 200);
    await send('{"text": ', 400);
    await send({ '@type': 'MessageCard', title: 'no text' }, 400);
    await send(cardOfSize(MAX_PAYLOAD + 1), 413);
    await send('plain text ok', 200, { contentType: 'text/plain' });
  });

  test('lists the posts newest first as {id, dateTime, size, status, error, messageId}, failures included', async () => {
    const log = expectCollection(await owner.api('GET', `/api/v1/connectors/${hook.id}/deliveries`));
    assert.equal(log.length, posted.length, JSON.stringify(log, null, 1));
    const want = [...posted].reverse();
    log.forEach((d, i) => {
      assert.equal(typeof d.id, 'string', `id: ${JSON.stringify(d)}`);
      assert.match(d.dateTime, RFC3339_UTC_RE);
      assert.equal(typeof d.size, 'number');
      assert.equal(d.status, want[i].status, `entry ${i}: ${JSON.stringify(d)}`);
      if (want[i].status !== 413) assert.equal(d.size, want[i].size, `entry ${i} size: ${JSON.stringify(d)}`);
    });
    assert.equal(new Set(log.map((d) => d.id)).size, log.length, 'ids must be distinct');
    for (let i = 1; i < log.length; i++) {
      assert.ok(Date.parse(log[i - 1].dateTime) >= Date.parse(log[i].dateTime), `not newest first: ${JSON.stringify(log)}`);
    }
  });

  test('successes name the stored message; failures carry the Teams sentence and no message', async () => {
    const log = expectCollection(await owner.api('GET', `/api/v1/connectors/${hook.id}/deliveries`));
    const msgs = await allMessages(owner.api, team.id, channel.id, srv);
    assert.equal(msgs.length, 2);
    const ids = new Set(msgs.map((m) => m.id));
    for (const d of log) {
      if (d.status === 200) {
        assert.ok(ids.has(d.messageId), `messageId ${d.messageId} is not a message of the channel`);
        assert.ok(d.error === null || d.error === '', `a success has no error: ${JSON.stringify(d)}`);
      } else {
        assert.ok(d.messageId === null || d.messageId === undefined, `a failure has no message: ${JSON.stringify(d)}`);
        assert.equal(typeof d.error, 'string');
      }
    }
    assert.equal(log[0].messageId, msgs[0].id, 'the newest delivery is the newest message');
    assert.ok(log[1].error.includes(TEAMS_413), log[1].error);
    assert.ok(log[2].error.includes(SUMMARY_REQUIRED), log[2].error);
    assert.ok(log[3].error.includes(BAD_PAYLOAD), log[3].error);
  });

  test('a member who may manage connectors can read it (200)', async () => {
    expectCollection(await member.api('GET', `/api/v1/connectors/${hook.id}/deliveries`));
  });

  test('a guest -> 403, an outsider -> 404, no credentials -> 401', async () => {
    expectGraphError(await guest.api('GET', `/api/v1/connectors/${hook.id}/deliveries`), 403);
    expectGraphError(await outsider.api('GET', `/api/v1/connectors/${hook.id}/deliveries`), 404);
    expectGraphError(await api(srv)('GET', `/api/v1/connectors/${hook.id}/deliveries`), 401);
  });

  test('an unknown configuration -> 404', async () => {
    expectGraphError(await owner.api('GET', `/api/v1/connectors/${NO_SUCH_ID}/deliveries`), 404);
  });
});

describe('the creator leaves the team', () => {
  let t3;
  let ch3;
  let leaver;
  let hook;

  before(async () => {
    leaver = await newUser(srv, 'leaver');
    t3 = await createTeam(owner.api, uniqueName('Turnover'));
    ch3 = await generalChannel(owner.api, t3.id);
    await addMember(owner.api, t3.id, leaver.id, []);
    hook = await createWebhook(leaver.api, ch3.id, { name: uniqueName('Leaver hook') });
    expectAccepted(await postTo(hook.url, messageCard('while the creator is here')));
    const membership = (await listMembers(owner.api, t3.id)).find((m) => m.userId === leaver.id);
    assert.ok(membership, 'leaver is not a member');
    expectStatus(await owner.api('DELETE', `/v1.0/teams/${t3.id}/members/${membership.id}`), 204, 'remove the creator');
  });

  test('posting still works (200 "1", and 202 on the workflow URL) and the messages are stored', async () => {
    const text = uniqueName('after the creator left');
    expectAccepted(await postTo(hook.url, messageCard(text)));
    expectWorkflowAccepted(await postTo(hook.workflowUrl, messageCard(text + ' wf')));
    const msgs = await allMessages(owner.api, t3.id, ch3.id, srv);
    assert.equal(findByText(msgs, text).length, 1);
    assert.equal(findByText(msgs, text + ' wf').length, 1);
    const m = findByText(msgs, text)[0];
    assert.equal(m.from.application.id, hook.id);
    assert.equal(m.from.application.displayName, hook.name);
  });

  test('the webhook is still listed on the channel, createdBy the former member', async () => {
    const value = await listConnectors(owner.api, ch3.id);
    const c = value.find((x) => x.id === hook.id);
    assert.ok(c, `webhook gone after its creator left: ${JSON.stringify(value)}`);
    assert.equal(c.createdBy, leaver.id);
  });

  test('the former member can no longer manage it (404)', async () => {
    expectGraphError(await leaver.api('GET', `/api/v1/connectors/${hook.id}/deliveries`), 404);
    expectGraphError(await leaver.api('DELETE', `/api/v1/connectors/${hook.id}`), 404);
  });
});

describe('POST /api/v1/webhooks/{id}/updateUrl', () => {
  let channel;
  let hook;
  let updated;

  before(async () => {
    ({ channel, hook } = await freshHook(uniqueName('Rotated hook')));
    expectAccepted(await postTo(hook.url, messageCard('old url works')));
    updated = await owner.api('POST', `/api/v1/webhooks/${hook.id}/updateUrl`);
  });

  test('-> 200 {url, workflowUrl}, both new, same configuration', () => {
    expectStatus(updated, 200);
    const b = expectJson(updated);
    assert.match(b.url, V2_URL_RE);
    assert.match(b.workflowUrl, WORKFLOW_URL_RE);
    assert.notEqual(b.url, hook.url);
    assert.notEqual(b.workflowUrl, hook.workflowUrl);
    const u = parseV2Url(b.url);
    assert.notEqual(u.key, parseV2Url(hook.url).key, 'Update URL gives a new key');
    assert.match(u.key, KEY_RE);
    assert.equal(u.teamId, team.id);
    assert.ok(b.workflowUrl.includes(`/workflows/${hook.id}/`));
  });

  test('the old URLs now fail (old key unknown: 404; workflow URL: 401) and store nothing', async () => {
    const before = await messageCount(channel);
    expectRefused(await postTo(hook.url, messageCard('old url after update')), 404);
    expectRefused(await postTo(unsignedUrl(hook.url), messageCard('old unsigned url after update')), 404);
    expectRefused(await postTo(withConfigurationId(hook.url, hook.id), messageCard('old id url after update')), 401);
    expectWorkflowError(await postTo(hook.workflowUrl, messageCard('old wf after update')), 401);
    assert.equal(await messageCount(channel), before);
  });

  test('the new URLs work', async () => {
    const text = uniqueName('new url');
    expectAccepted(await postTo(updated.body.url, messageCard(text)));
    expectWorkflowAccepted(await postTo(updated.body.workflowUrl, messageCard(text + ' wf')));
    const msgs = await allMessages(owner.api, team.id, channel.id, srv);
    assert.equal(findByText(msgs, text).length, 1);
    assert.equal(findByText(msgs, text + ' wf').length, 1);
  });

  test('GET /api/v1/connectors/{id} shows the new URL', async () => {
    const r = await owner.api('GET', `/api/v1/connectors/${hook.id}`);
    expectStatus(r, 200);
    assert.equal(r.body.url, updated.body.url);
    assert.equal(r.body.workflowUrl, updated.body.workflowUrl);
    assert.equal(r.body.attentionRequired, false);
  });

  test('a guest -> 403, an outsider -> 404, an unknown id -> 404', async () => {
    expectGraphError(await guest.api('POST', `/api/v1/webhooks/${hook.id}/updateUrl`), 403);
    expectGraphError(await outsider.api('POST', `/api/v1/webhooks/${hook.id}/updateUrl`), 404);
    expectGraphError(await owner.api('POST', `/api/v1/webhooks/${NO_SUCH_ID}/updateUrl`), 404);
    // and the URL did not change
    expectAccepted(await postTo(updated.body.url, messageCard('unchanged')));
  });
});
