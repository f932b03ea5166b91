// Forwarding (issue 24, contract §8) beyond the contract rows: every MessageCard of the card
// corpus translated and checked with the Adaptive Cards library (no text lost), Slack's limits,
// e-mail through a real SMTP server (python3-aiosmtpd) with its MIME parsed, filters, retries
// on time-outs and SMTP answers, refusals that change nothing, and kill -9 in the middle of
// deliveries. Runs on SQLite, and on PostgreSQL with SB_STORE=postgres.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

import { startServer, api, newUser, REPO_ROOT } from './lib/server.mjs';
import { until } from './lib/contract.mjs';
import { expectStatus, expectGraphError, createTeam, generalChannel, postMessage, uniqueName, addMember } from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, ADAPTIVE_TYPE } from './lib/webhooks.mjs';

const require = createRequire(import.meta.url);
// The stock Adaptive Cards library (its UMD build runs in node): parsing reports unknown
// element types, unknown actions and invalid property values as serialization events.
const AC = require(path.join(REPO_ROOT, 'node_modules/adaptivecards/dist/adaptivecards.js'));
const CORPUS = path.join(REPO_ROOT, 'tests/cards/corpus');
const MESSAGECARD_TYPE = 'application/vnd.microsoft.teams.card.o365connector';
const AC14_ELEMENTS = new Set(['TextBlock', 'Image', 'ImageSet', 'FactSet', 'ColumnSet', 'Column', 'Container', 'ActionSet', 'RichTextBlock', 'Media', 'Input.Text']);

// Debian's python3 (python3-aiosmtpd is a Debian package), not a python3 of another PATH entry.
const PYTHON = process.env.SB_PYTHON || '/usr/bin/python3';
// Asks again until ok (each probe is a request: the wait is on the condition, not a clock).
async function poll(probe, ok, what, ms = 30_000) {
  const last = await until(probe, ok, ms);
  if (!ok(last)) assert.fail(`${what}: ${JSON.stringify(last?.body ?? last)}`);
  return last;
}

// Checks an Adaptive Card with the library and the 1.4 element set; returns the library's
// complaints (empty when valid).
function adaptiveProblems(content) {
  const problems = [];
  if (content.type !== 'AdaptiveCard') problems.push(`type ${content.type}`);
  if (content.version !== '1.4') problems.push(`version ${content.version}`);
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  card.parse(content, ctx);
  for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) problems.push(e.message);
  const walk = (items) => {
    for (const e of items || []) {
      if (!AC14_ELEMENTS.has(e.type)) problems.push(`element ${e.type} is not in Adaptive Cards 1.4's set`);
      if (e.type === 'TextBlock' && typeof e.text !== 'string') problems.push('TextBlock without text');
      if (e.type === 'Image' && !/^https?:\/\//.test(e.url)) problems.push(`Image url ${e.url}`);
      walk(e.items); walk(e.images);
      for (const c of e.columns || []) walk(c.items);
    }
  };
  walk(content.body);
  for (const a of content.actions || []) if (a.type !== 'Action.OpenUrl' || !/^https?:\/\//.test(a.url)) problems.push(`action ${JSON.stringify(a)}`);
  return problems;
}

// Every string people read in a MessageCard (what the translation must keep).
function messageCardTexts(mc) {
  const out = [];
  const add = (s) => { if (typeof s === 'string' && s.trim()) out.push(s.trim()); };
  add(mc.title); add(mc.text);
  if (!mc.title && !mc.text) add(mc.summary);
  for (const s of mc.sections || []) {
    for (const k of ['activityTitle', 'activitySubtitle', 'activityText', 'activityImage', 'title', 'text']) add(s[k]);
    for (const f of s.facts || []) { add(f.name); add(typeof f.value === 'number' ? String(f.value) : f.value); }
    for (const i of s.images || []) add(i.image);
    add(s.heroImage?.image);
    for (const a of s.potentialAction || []) add(a.name);
  }
  for (const a of mc.potentialAction || []) {
    add(a.name);
    for (const t of a.targets || []) add(t.uri);
  }
  return out;
}

function allStrings(v, out = []) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => allStrings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => allStrings(x, out));
  return out;
}

function corpusMessageCards() {
  const cards = [];
  for (const f of fs.readdirSync(CORPUS).filter((x) => x.endsWith('.json') && x !== 'sources.json').sort()) {
    const j = JSON.parse(fs.readFileSync(path.join(CORPUS, f), 'utf8'));
    if (j.type === 'message') {
      (j.attachments || []).forEach((a, i) => {
        if (a.contentType === MESSAGECARD_TYPE) cards.push([`${f}#${i}`, typeof a.content === 'string' ? JSON.parse(a.content) : a.content]);
      });
    } else if (j.type !== 'AdaptiveCard') {
      cards.push([f, j]);
    }
  }
  return cards;
}

// A destination on 127.0.0.1: records requests; per path, scripted answers ([status, headers]
// or 'hang': no answer until the test ends).
async function startDestination() {
  const calls = [];
  const scripts = new Map();
  const hung = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const text = Buffer.concat(chunks).toString('utf8');
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    calls.push({ path: req.url, headers: req.headers, text, json });
    const next = scripts.get(req.url)?.shift() || [200, {}];
    if (next === 'hang') { hung.push(res); return; }
    res.writeHead(next[0], next[1]);
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    calls, scripts, port,
    url: (p) => `http://127.0.0.1:${port}${p}`,
    close: () => new Promise((r) => { for (const h of hung) h.destroy(); server.closeAllConnections(); server.close(r); }),
  };
}

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function startSmtp() {
  const port = await freePort();
  const proc = spawn(PYTHON, [path.join(REPO_ROOT, 'tests/e2e/lib/smtp-sink.py'), String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const messages = [];
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const lines = readline.createInterface({ input: proc.stdout });
  await new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`smtp-sink exited ${code}: ${stderr}`)));
    lines.on('line', (l) => {
      const j = JSON.parse(l);
      if (j.ready) resolve(); else messages.push(j);
    });
  });
  return { port, messages, close: () => { proc.kill('SIGTERM'); } };
}

describe('forwarding', () => {
  let s;
  let owner;
  let team;
  let channel;
  let dest;
  let smtp;
  const fwdPath = () => `/api/v1/channels/${channel.id}/forwards`;
  const deliveries = (id) => owner.api('GET', `/api/v1/forwards/${id}/deliveries?$top=100`);
  const delivered = async (id, pred, what, ms) => (await poll(() => deliveries(id), (r) => r.status === 200 && pred(r.body.value), what, ms)).body.value;

  before(async () => {
    dest = await startDestination();
    smtp = await startSmtp();
    s = await startServer({ args: ['--webhook-rate-limit', '0', '--max-payload', '200000', '--smtp-url', `smtp://127.0.0.1:${smtp.port}`, '--smtp-from', 'switchboard@switchboard.test'] });
    expectStatus(await api(s, s.adminToken)('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [`127.0.0.1:${dest.port}`] }), 200);
    owner = await newUser(s, 'forwarder');
    team = await createTeam(owner.api, uniqueName('Forwarding'));
    channel = await generalChannel(owner.api, team.id);
  });
  after(async () => {
    await s?.close();
    await dest?.close();
    smtp?.close();
  });

  test('every MessageCard of the card corpus translates to a valid Adaptive Card 1.4 with none of its text lost', async () => {
    const cards = corpusMessageCards();
    assert.ok(cards.length >= 10, `the corpus has MessageCards (${cards.length})`);
    for (const [name, mc] of cards) {
      const r = await owner.api('POST', '/api/v1/translate?to=adaptive', mc);
      assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.type, 'message');
      assert.equal(r.body.attachments.length, 1);
      assert.equal(r.body.attachments[0].contentType, ADAPTIVE_TYPE);
      const content = r.body.attachments[0].content;
      assert.deepEqual(adaptiveProblems(content), [], `${name} is a valid Adaptive Card`);
      const strings = allStrings(content).join('\n');
      for (const t of messageCardTexts(mc)) assert.ok(strings.includes(t), `${name}: "${t}" is in the Adaptive Card`);
    }
  });

  test('the corpus posted to a webhook reaches a workflows destination as valid Adaptive Cards and a slack one within its limits, text kept', async () => {
    const hook = await createWebhook(owner.api, channel.id);
    const wf = expectStatus(await owner.api('POST', fwdPath(), { name: 'Corpus WF', kind: 'workflows', url: dest.url('/corpus-wf'), include: { connectors: [hook.id] } }), 201).body;
    const sl = expectStatus(await owner.api('POST', fwdPath(), { name: 'Corpus Slack', kind: 'slack', url: dest.url('/corpus-slack'), include: { connectors: [hook.id] } }), 201).body;
    const files = fs.readdirSync(CORPUS).filter((x) => x.endsWith('.json') && x !== 'sources.json').sort();
    let posted = 0;
    for (const f of files) {
      const body = JSON.parse(fs.readFileSync(path.join(CORPUS, f), 'utf8'));
      if (body.type === 'AdaptiveCard') continue; // not a webhook body by itself
      expectAccepted(await postTo(hook.url, body), f);
      posted++;
    }
    for (const f of [wf, sl]) await delivered(f.id, (v) => v.length === posted && v.every((d) => d.status === 'delivered'), `${f.name}: all delivered`, 60_000);
    const wfBodies = dest.calls.filter((c) => c.path === '/corpus-wf').map((c) => c.json);
    const slBodies = dest.calls.filter((c) => c.path === '/corpus-slack').map((c) => c.json);
    assert.equal(wfBodies.length, posted);
    assert.equal(slBodies.length, posted);
    for (const b of wfBodies) {
      assert.equal(b.type, 'message');
      assert.ok(b.attachments.length >= 1);
      for (const a of b.attachments) {
        assert.equal(a.contentType, ADAPTIVE_TYPE);
        // Adaptive Cards pass through as their senders wrote them (any version); translated
        // MessageCards must be valid 1.4 cards.
        if (a.content.version === '1.4' && a.content.msteams?.width === 'Full' && a.content.body?.[0]?.type === 'Container') {
          assert.deepEqual(adaptiveProblems(a.content), [], JSON.stringify(a.content).slice(0, 200));
        }
      }
    }
    for (const b of slBodies) {
      assert.equal(typeof b.text, 'string');
      assert.ok(b.text.length > 0 && b.text.length <= 40000);
      assert.ok(Array.isArray(b.blocks) && b.blocks.length <= 50);
      for (const blk of b.blocks) {
        assert.ok(['header', 'section', 'context', 'image', 'actions'].includes(blk.type), blk.type);
        if (blk.type === 'section' && blk.text) assert.ok([...blk.text.text].length <= 3000);
        if (blk.type === 'header') assert.ok([...blk.text.text].length <= 150);
        if (blk.type === 'actions') for (const e of blk.elements) assert.ok(/^https?:/.test(e.url) && [...e.text.text].length <= 75);
      }
    }
    // Text is kept: every TextBlock of every delivered Adaptive Card is in the Slack text.
    const slackText = slBodies.map((b) => b.text).join('\n');
    for (const b of wfBodies) {
      const walk = (items) => {
        for (const e of items || []) {
          if (e.type === 'TextBlock' && e.text.trim()) assert.ok(slackText.includes(e.text.trim().slice(0, 50)), `"${e.text.slice(0, 50)}" is in the Slack text`);
          walk(e.items);
          for (const c of e.columns || []) walk(c.items);
        }
      };
      for (const a of b.attachments) walk(a.content.body);
    }
    for (const f of [wf, sl]) expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
  });

  test('actions without an Adaptive Card equivalent are kept as text; OpenUri becomes Action.OpenUrl', async () => {
    const mc = {
      '@type': 'MessageCard', summary: 's', title: 'Actions', themeColor: 'FF0000',
      potentialAction: [
        { '@type': 'OpenUri', name: 'Open it', targets: [{ os: 'default', uri: 'https://example.com/x' }] },
        { '@type': 'HttpPOST', name: 'Approve', target: 'https://example.com/approve' },
        { '@type': 'ActionCard', name: 'Comment', inputs: [{ '@type': 'TextInput', id: 'c' }], actions: [] },
      ],
    };
    const c = expectStatus(await owner.api('POST', '/api/v1/translate?to=adaptive', mc), 200).body.attachments[0].content;
    assert.deepEqual(c.actions, [{ type: 'Action.OpenUrl', title: 'Open it', url: 'https://example.com/x' }]);
    const text = allStrings(c.body).join('\n');
    assert.match(text, /Approve.*HttpPOST.*https:\/\/example\.com\/approve/);
    assert.match(text, /Comment.*ActionCard/);
    assert.equal(c.body[0].style, 'attention', 'a red themeColor is the attention style');
  });

  test('a translation is refused (400) for what is not a MessageCard: an envelope, no text, not JSON, ?to= other than adaptive', async () => {
    expectGraphError(await owner.api('POST', '/api/v1/translate?to=adaptive', { type: 'message', attachments: [] }), 400);
    expectGraphError(await owner.api('POST', '/api/v1/translate?to=adaptive', { '@type': 'MessageCard', themeColor: '00FF00' }), 400);
    expectGraphError(await owner.api('POST', '/api/v1/translate?to=adaptive', '[1,2]'), 400);
    expectGraphError(await owner.api('POST', '/api/v1/translate?to=slack', { text: 'x' }), 400);
  });

  test('a slack destination gets blocks within Slack\'s limits; what does not fit is folded, not lost', async () => {
    const hook = await createWebhook(owner.api, channel.id);
    const f = expectStatus(await owner.api('POST', fwdPath(), { name: 'Big', kind: 'slack', url: dest.url('/big'), include: { connectors: [hook.id] } }), 201).body;
    const sections = Array.from({ length: 30 }, (_, i) => ({
      title: `Section ${i}`,
      facts: Array.from({ length: 12 }, (_, k) => ({ name: `n${i}-${k}`, value: `v${i}-${k}` })),
    }));
    expectAccepted(await postTo(hook.url, { '@type': 'MessageCard', summary: 'big', title: 'T'.repeat(200), text: 'x'.repeat(5000), sections }));
    await delivered(f.id, (v) => v.some((d) => d.status === 'delivered'), 'delivered');
    const body = dest.calls.find((c) => c.path === '/big').json;
    assert.ok(body.blocks.length <= 50, `${body.blocks.length} blocks`);
    for (const b of body.blocks) {
      if (b.type === 'header') assert.ok([...b.text.text].length <= 150);
      if (b.type === 'section' && b.text) assert.ok([...b.text.text].length <= 3000);
      if (b.fields) {
        assert.ok(b.fields.length <= 10);
        for (const x of b.fields) assert.ok([...x.text].length <= 2000);
      }
    }
    for (const sct of sections) for (const fact of sct.facts) assert.ok(body.text.includes(fact.value), `${fact.value} in text`);
    const blockText = JSON.stringify(body.blocks);
    assert.ok(blockText.includes('v29-11'), 'the last fact reaches the blocks (folded into the last section)');
    expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
  });

  test('an e-mail reaches a real SMTP server as multipart/alternative: plain text and HTML (tables, inline styles)', async () => {
    const hook = await createWebhook(owner.api, channel.id);
    const f = expectStatus(await owner.api('POST', fwdPath(), { name: 'Mail', kind: 'email', to: ['ops@switchboard.test', 'dev@switchboard.test'], include: { connectors: [hook.id] } }), 201).body;
    assert.deepEqual(f.to, ['ops@switchboard.test', 'dev@switchboard.test']);
    expectAccepted(await postTo(hook.url, {
      '@type': 'MessageCard', summary: 'Déploiement terminé', title: 'Deploy <done>', text: 'All good & green',
      sections: [{ facts: [{ name: 'Service', value: 'billing' }, { name: 'Version', value: '1.2.3' }] }],
    }));
    await delivered(f.id, (v) => v.some((d) => d.status === 'delivered'), 'delivered');
    const mail = smtp.messages.find((m) => m.parts.some((p) => p.text.includes('billing')));
    assert.ok(mail, JSON.stringify(smtp.messages));
    assert.equal(mail.from, 'switchboard@switchboard.test');
    assert.deepEqual(mail.to.sort(), ['dev@switchboard.test', 'ops@switchboard.test']);
    assert.equal(mail.subject, 'Déploiement terminé', 'a UTF-8 subject (RFC 2047)');
    assert.equal(mail.contentType, 'multipart/alternative');
    const plain = mail.parts.find((p) => p.type === 'text/plain');
    const html = mail.parts.find((p) => p.type === 'text/html');
    assert.match(plain.text, /Deploy <done>/);
    assert.match(plain.text, /Service: billing/);
    assert.match(html.text, /<table[^>]*>/);
    assert.match(html.text, /style="/);
    assert.match(html.text, /Deploy &lt;done&gt;/, 'card text is escaped in HTML');
    assert.match(html.text, /All good &amp; green/);
    expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
  });

  test('e-mail: a 451 is retried, a 550 fails at once; both logged on the delivery', async () => {
    const hook = await createWebhook(owner.api, channel.id);
    const later = expectStatus(await owner.api('POST', fwdPath(), { name: 'Later', kind: 'email', to: ['tempfail@switchboard.test'], include: { connectors: [hook.id] } }), 201).body;
    const never = expectStatus(await owner.api('POST', fwdPath(), { name: 'Never', kind: 'email', to: ['reject@switchboard.test'], include: { connectors: [hook.id] } }), 201).body;
    expectAccepted(await postTo(hook.url, { text: 'smtp paths' }));
    const v1 = await delivered(later.id, (v) => v.some((d) => d.status === 'delivered'), 'delivered after a 451');
    assert.ok(v1[0].attempts >= 2);
    const v2 = await delivered(never.id, (v) => v.some((d) => d.status === 'failed'), 'failed on 550');
    assert.equal(v2[0].attempts, 1);
    assert.match(v2[0].error, /550/);
    for (const f of [later, never]) expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
  });

  test('a destination that does not answer times out and is retried; the time-out is logged', async () => {
    const f = expectStatus(await owner.api('POST', fwdPath(), { name: 'Slow', kind: 'workflows', url: dest.url('/hang'), include: { people: true } }), 201).body;
    dest.scripts.set('/hang', ['hang']);
    const m = await postMessage(owner.api, team.id, channel.id, 'slow destination');
    const pending = await delivered(f.id, (v) => v.some((d) => d.messageId === m.id && d.attempts >= 1), 'a first attempt', 40_000);
    const d = pending.find((x) => x.messageId === m.id);
    assert.equal(d.status, 'pending');
    assert.match(d.error, /did not answer within/);
    await delivered(f.id, (v) => v.some((x) => x.messageId === m.id && x.status === 'delivered'), 'delivered after the time-out', 40_000);
    expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
  });

  test('filters: only the chosen connectors, people or not, keywords', async () => {
    const a = await createWebhook(owner.api, channel.id);
    const b = await createWebhook(owner.api, channel.id);
    const picky = expectStatus(await owner.api('POST', fwdPath(), { name: 'Picky', kind: 'workflows', url: dest.url('/picky'), include: { people: false, connectors: [a.id], keywords: ['DEPLOY'] } }), 201).body;
    const all = expectStatus(await owner.api('POST', fwdPath(), { name: 'All', kind: 'workflows', url: dest.url('/all'), include: { people: true } }), 201).body;
    expectAccepted(await postTo(a.url, { text: 'deploy finished' }));
    expectAccepted(await postTo(a.url, { text: 'tests finished' }));
    expectAccepted(await postTo(b.url, { text: 'deploy from b' }));
    await postMessage(owner.api, team.id, channel.id, 'deploy by a person');
    // Deliveries are written with their message: once "All" has all four, "Picky" has its own.
    await delivered(all.id, (v) => v.length === 4, 'the catch-all has four');
    const v = (await deliveries(picky.id)).body.value;
    assert.equal(v.length, 1, JSON.stringify(v));
    await delivered(picky.id, (x) => x[0].status === 'delivered', 'delivered');
    assert.ok(JSON.stringify(dest.calls.filter((c) => c.path === '/picky').map((c) => c.json)).includes('deploy finished'));
    for (const f of [picky, all]) expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
  });

  test('filters: card colour (themeColor), with or without #, any case', async () => {
    const hook = await createWebhook(owner.api, channel.id);
    const red = expectStatus(await owner.api('POST', fwdPath(), { name: 'Red', kind: 'workflows', url: dest.url('/red'), include: { connectors: [hook.id], colors: ['#FF0000', 'd70000'] } }), 201).body;
    assert.deepEqual(red.include.colors, ['#FF0000', 'd70000']);
    const all = expectStatus(await owner.api('POST', fwdPath(), { name: 'Every card', kind: 'workflows', url: dest.url('/every'), include: { connectors: [hook.id] } }), 201).body;
    expectAccepted(await postTo(hook.url, { '@type': 'MessageCard', summary: 's', text: 'red alert', themeColor: 'ff0000' }));
    expectAccepted(await postTo(hook.url, { '@type': 'MessageCard', summary: 's', text: 'green news', themeColor: '#00FF00' }));
    expectAccepted(await postTo(hook.url, { '@type': 'MessageCard', summary: 's', text: 'dark red', themeColor: '#D70000' }));
    expectAccepted(await postTo(hook.url, { text: 'no colour' }));
    await delivered(all.id, (v) => v.length === 4, 'the catch-all has four');
    const v = (await deliveries(red.id)).body.value;
    assert.equal(v.length, 2, JSON.stringify(v));
    await delivered(red.id, (x) => x.every((d) => d.status === 'delivered'), 'delivered');
    const got = JSON.stringify(dest.calls.filter((c) => c.path === '/red').map((c) => c.json));
    assert.ok(got.includes('red alert') && got.includes('dark red') && !got.includes('green news'));
    expectGraphError(await owner.api('POST', fwdPath(), { name: 'X', kind: 'slack', url: dest.url('/x'), include: { colors: ['red'] } }), 400);
    for (const f of [red, all]) expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
  });

  test('refusals change nothing: outsiders 404, bad kinds, missing URLs, bad addresses, refused hosts 400', async () => {
    const outsider = await newUser(s, 'outsider');
    const f = expectStatus(await owner.api('POST', fwdPath(), { name: 'Kept', kind: 'slack', url: dest.url('/kept') }), 201).body;
    const before = (await owner.api('GET', fwdPath())).body.value;
    expectGraphError(await outsider.api('GET', fwdPath()), 404);
    expectGraphError(await outsider.api('POST', fwdPath(), { name: 'X', kind: 'slack', url: dest.url('/x') }), 404);
    expectGraphError(await outsider.api('GET', `/api/v1/forwards/${f.id}`), 404);
    expectGraphError(await outsider.api('PATCH', `/api/v1/forwards/${f.id}`, { name: 'Stolen' }), 404);
    expectGraphError(await outsider.api('DELETE', `/api/v1/forwards/${f.id}`), 404);
    expectGraphError(await outsider.api('GET', `/api/v1/forwards/${f.id}/deliveries`), 404);
    // A member where the team does not let members manage connectors: 403, as for connectors.
    const member = await newUser(s, 'member');
    await addMember(owner.api, team.id, member.id);
    expectStatus(await owner.api('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: false } }), [200, 204]);
    expectGraphError(await member.api('POST', fwdPath(), { name: 'X', kind: 'slack', url: dest.url('/x') }), 403);
    expectGraphError(await member.api('DELETE', `/api/v1/forwards/${f.id}`), 403);
    expectStatus(await owner.api('PATCH', `/v1.0/teams/${team.id}`, { memberSettings: { allowCreateUpdateRemoveConnectors: true } }), [200, 204]);
    for (const body of [
      { name: 'X', kind: 'fax', url: dest.url('/x') },
      { name: 'X', kind: 'workflows' },
      { name: 'X', kind: 'email', to: ['not an address'] },
      { name: 'X', kind: 'email', to: [] },
      { name: 'X', kind: 'slack', url: 'http://10.0.0.1/x' },
      { name: 'X', kind: 'slack', url: 'ftp://example.com/x' },
      { name: '', kind: 'slack', url: dest.url('/x') },
      { name: 'X', kind: 'slack', url: dest.url('/x'), include: { connectors: 'all' } },
    ]) {
      const r = await owner.api('POST', fwdPath(), body);
      assert.equal(r.status, 400, JSON.stringify(body));
      expectGraphError(r, 400);
    }
    expectGraphError(await owner.api('PATCH', `/api/v1/forwards/${f.id}`, { url: 'http://192.168.1.1/x' }), 400);
    expectGraphError(await owner.api('PATCH', `/api/v1/forwards/${f.id}`, { kind: 'email' }), 400);
    assert.deepEqual((await owner.api('GET', fwdPath())).body.value, before, 'nothing changed');
    expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
  });

  test('the audit log records who made, changed and removed a forward, with its host but never its URL', async () => {
    const f = expectStatus(await owner.api('POST', fwdPath(), { name: 'Audited', kind: 'workflows', url: dest.url('/audited?sig=very-secret') }), 201).body;
    expectStatus(await owner.api('PATCH', `/api/v1/forwards/${f.id}`, { name: 'Audited 2', url: dest.url('/audited?sig=other-secret') }), 200);
    expectStatus(await owner.api('DELETE', `/api/v1/forwards/${f.id}`), 204);
    const log = expectStatus(await api(s, s.adminToken)('GET', '/api/v1/admin/audit?$top=50'), 200).body.value.filter((e) => e.target === f.id);
    assert.deepEqual(log.map((e) => e.action), ['forward.delete', 'forward.update', 'forward.create']);
    for (const e of log) assert.equal(e.actor.id, owner.id);
    assert.equal(log[2].after.host, '127.0.0.1');
    assert.equal(log[1].before.name, 'Audited');
    assert.equal(log[1].after.name, 'Audited 2');
    assert.ok(!JSON.stringify(log).includes('secret'), 'no URL in the audit log');
  });

  test('kill -9 in the middle of deliveries loses none: after the restart every message is delivered', async () => {
    const f = expectStatus(await owner.api('POST', fwdPath(), { name: 'Crash', kind: 'workflows', url: dest.url('/crash'), include: { people: true } }), 201).body;
    dest.scripts.set('/crash', Array.from({ length: 1000 }, () => [503, {}]));
    const texts = Array.from({ length: 8 }, (_, i) => `crash ${i} ${uniqueName('m')}`);
    const ids = [];
    for (const t of texts) ids.push((await postMessage(owner.api, team.id, channel.id, t)).id);
    await s.kill9();
    dest.scripts.set('/crash', []);
    await s.restart();
    owner.api = api(s, owner.token);
    const v = await delivered(f.id, (x) => ids.every((id) => x.some((d) => d.messageId === id && d.status === 'delivered')), 'all delivered after the restart', 60_000);
    assert.equal(v.length, ids.length, 'one delivery per message');
    const got = dest.calls.filter((c) => c.path === '/crash').map((c) => JSON.stringify(c.json));
    for (const t of texts) assert.ok(got.some((g) => g.includes(t)), `${t} reached the destination`);
  });
});
