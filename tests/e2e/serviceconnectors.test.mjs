// Built-in service connectors (issue 11): GitHub (real @octokit/webhooks-examples payloads,
// signed with the configuration's secret, and refused unsigned or mis-signed), GitLab (payloads
// built from GitLab's documented examples, token checked both ways), a real Prometheus
// Alertmanager posting firing and resolved notifications, the JSON template connector and its
// preview, filters, the delivery log, the catalog and the configuration routes.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

import { startServer, newUser, api, Proc, tempDir, childEnv, REPO_ROOT } from './lib/server.mjs';
import { expectStatus, createTeam, createChannel, addMember, uniqueName } from './lib/graph.mjs';
import { allMessages, cardOf, postTo, openEvents, MESSAGECARD_TYPE } from './lib/webhooks.mjs';

const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json');

function example(event, pred = () => true) {
  const def = EXAMPLES.find((e) => e.name === event);
  assert.ok(def, `no examples for ${event}`);
  const ex = def.examples.find(pred);
  assert.ok(ex, `no matching example for ${event}`);
  return structuredClone(ex);
}

let srv;
let owner;
let member;
let guest;
let outsider;
let team;

before(async () => {
  // The web root serves the catalog icons.
  srv = await startServer({ args: ['--webhook-rate-limit', '0', '--web-root', path.join(REPO_ROOT, 'web', 'dist')] });
  [owner, member, guest, outsider] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'member'), newUser(srv, 'guest'), newUser(srv, 'outsider')]);
  team = await createTeam(owner.api, uniqueName('Services'));
  await addMember(owner.api, team.id, member.id, []);
  await addMember(owner.api, team.id, guest.id, ['guest']);
});

after(async () => {
  if (srv) await srv.close();
});

async function freshChannel() {
  return createChannel(owner.api, team.id, uniqueName('Channel'));
}

async function createService(channelId, body, who = owner) {
  const r = await who.api('POST', `/api/v1/channels/${channelId}/serviceConnectors`, body);
  expectStatus(r, 201, `create ${body.kind}`);
  return r.body;
}

function sign(secret, raw) {
  return 'sha256=' + crypto.createHmac('sha256', secret).update(raw).digest('hex');
}

async function postGithub(cfg, event, payload, { secret = cfg.settings.secret, signed = true } = {}) {
  const raw = JSON.stringify(payload, null, 2); // GitHub sends pretty JSON: sign the exact bytes
  const headers = { 'X-GitHub-Event': event, 'X-GitHub-Delivery': crypto.randomUUID(), 'User-Agent': 'GitHub-Hookshot/test' };
  if (signed) headers['X-Hub-Signature-256'] = sign(secret, raw);
  return postTo(cfg.url, raw, { headers });
}

async function postGitlab(cfg, event, payload, token = cfg.settings.secret) {
  const headers = { 'X-Gitlab-Event': event };
  if (token !== null) headers['X-Gitlab-Token'] = token;
  return postTo(cfg.url, payload, { headers });
}

async function cards(channel) {
  const msgs = await allMessages(owner.api, team.id, channel.id, srv);
  return msgs.map((m) => ({ m, card: cardOf(m) }));
}

async function onlyCard(channel) {
  const all = await cards(channel);
  assert.equal(all.length, 1, `expected one message, got ${all.length}`);
  return all[0];
}

function facts(card) {
  const out = {};
  for (const s of card.sections || []) for (const f of s.facts || []) out[f.name] = f.value;
  return out;
}

function links(card) {
  return Object.fromEntries((card.potentialAction || []).map((a) => [a.name, a.targets[0].uri]));
}

// What a person reads: nothing the title or the section heading says is said again as a fact,
// and the card has at most one link of its own (items, such as alerts, carry theirs).
function saysThingsOnce(card) {
  for (const s of card.sections || []) {
    for (const f of s.facts || []) {
      assert.ok(!card.title.includes(f.value), `fact ${f.name}: "${f.value}" repeats the title "${card.title}"`);
      assert.notEqual(f.value, s.activityTitle, `fact ${f.name} repeats the section heading`);
    }
  }
  assert.ok((card.potentialAction || []).length <= 1, `one link: ${JSON.stringify(card.potentialAction)}`);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function deliveries(cfg) {
  return expectStatus(await owner.api('GET', `/api/v1/connectors/${cfg.id}/deliveries`), 200).body.value;
}

describe('catalog and configurations', () => {
  test('the builtin section lists GitHub, GitLab, Alertmanager and JSON template with icons', async () => {
    const ch = await freshChannel();
    const r = expectStatus(await owner.api('GET', `/api/v1/channels/${ch.id}/connectorCatalog`), 200);
    const byName = Object.fromEntries(r.body.value.map((e) => [e.name, e]));
    for (const [name, kind] of [['GitHub', 'github'], ['GitLab', 'gitlab'], ['Prometheus Alertmanager', 'alertmanager'], ['JSON template', 'template']]) {
      const e = byName[name];
      assert.ok(e, `${name} in the catalog`);
      assert.equal(e.section, 'builtin');
      assert.equal(e.retired, false);
      assert.equal(e.kind, kind);
      assert.match(e.connectorId, /^[0-9a-f-]{36}$/);
      const icon = await fetch(e.iconUrl);
      assert.equal(icon.status, 200, `${name} icon`);
      assert.match(icon.headers.get('content-type'), /image\/svg\+xml/);
    }
    // Stable ids: the same on a second server.
    const other = await startServer();
    try {
      const admin = (await newUser(other, 'o'));
      const t2 = await createTeam(admin.api, uniqueName('T'));
      const chs = expectStatus(await admin.api('GET', `/v1.0/teams/${t2.id}/channels`), 200).body.value;
      const r2 = expectStatus(await admin.api('GET', `/api/v1/channels/${chs[0].id}/connectorCatalog`), 200);
      assert.equal(r2.body.value.find((e) => e.name === 'GitHub').connectorId, byName.GitHub.connectorId);
    } finally {
      await other.close();
    }
  });

  test('URLs of other kinds, or with the wrong kind, are unknown (404)', async () => {
    const ch = await freshChannel();
    const cfg = await createService(ch.id, { kind: 'alertmanager', name: 'A' });
    const moved = cfg.url.replace('/connectors/alertmanager/', '/connectors/template/');
    assert.equal((await postTo(moved, {})).status, 404);
    const hook = expectStatus(await owner.api('POST', `/api/v1/channels/${ch.id}/webhooks`, { name: 'w' }), 201).body;
    const asService = cfg.url.replace('/connectors/alertmanager/', '/connectors/incomingWebhook/').replace(cfg.id, hook.id);
    assert.equal((await postTo(asService, { text: 'x' })).status, 404);
  });

  test('create: generated secret, URL, listed with the channel connectors, PATCH filters, DELETE stops the URL', async () => {
    const ch = await freshChannel();
    const cfg = await createService(ch.id, { kind: 'github', name: 'Repo events' });
    assert.equal(cfg.kind, 'github');
    assert.match(cfg.url, new RegExp(`/connectors/github/${cfg.id}/[A-Za-z0-9_-]{43}$`));
    assert.match(cfg.settings.secret, /^[0-9a-f]{40}$/);
    const list = expectStatus(await owner.api('GET', `/api/v1/channels/${ch.id}/connectors`), 200).body.value;
    const listed = list.find((c) => c.id === cfg.id);
    assert.ok(listed);
    assert.equal(listed.url, cfg.url);
    assert.equal(listed.kind, 'github');
    // The avatar is the catalog's letter mark.
    const img = await owner.api('GET', `/api/v1/connectors/${cfg.id}/image`);
    assert.equal(img.status, 302);
    assert.equal(img.headers.get('location'), '/icons/github.svg');
    // A guest (who may not manage connectors) sees the configuration, not its URL or secret.
    const seen = expectStatus(await guest.api('GET', `/api/v1/connectors/${cfg.id}`), 200).body;
    assert.equal(seen.url, undefined);
    assert.equal(seen.settings, undefined);
    // Outsiders learn nothing.
    expectStatus(await outsider.api('GET', `/api/v1/connectors/${cfg.id}`), 404);
    expectStatus(await outsider.api('POST', `/api/v1/channels/${ch.id}/serviceConnectors`, { kind: 'github', name: 'x' }), 404);
    expectStatus(await guest.api('POST', `/api/v1/channels/${ch.id}/serviceConnectors`, { kind: 'github', name: 'x' }), 403);
    // Members manage connectors while the team allows it (the default).
    expectStatus(await member.api('POST', `/api/v1/channels/${ch.id}/serviceConnectors`, { kind: 'alertmanager', name: 'm' }), 201);

    const p = expectStatus(await owner.api('PATCH', `/api/v1/connectors/${cfg.id}`, { events: ['push'], branches: ['main', 'release/*'] }), 200).body;
    assert.deepEqual(p.settings.events, ['push']);
    assert.deepEqual(p.settings.branches, ['main', 'release/*']);
    assert.equal(p.settings.secret, cfg.settings.secret);
    // Bad input: a clear 400 and no change.
    for (const bad of [{ events: ['nope'] }, { events: 'push' }, { secret: 'short' }, { template: { title: 'x' } }, { branches: [''] }]) {
      const r = await owner.api('PATCH', `/api/v1/connectors/${cfg.id}`, bad);
      expectStatus(r, 400, JSON.stringify(bad));
      assert.ok(r.body.error.message, 'error message');
    }
    const again = expectStatus(await owner.api('GET', `/api/v1/connectors/${cfg.id}`), 200).body;
    assert.deepEqual(again.settings, p.settings);

    // A new URL (POST .../updateUrl, as for webhooks): the old one stops at once.
    const ping = example('ping');
    assert.equal((await postGithub(cfg, 'ping', ping)).status, 200);
    const rotated = expectStatus(await owner.api('POST', `/api/v1/webhooks/${cfg.id}/updateUrl`), 200).body;
    assert.notEqual(rotated.url, cfg.url);
    assert.equal((await postGithub(cfg, 'ping', ping)).status, 401);
    assert.equal((await postGithub({ ...cfg, url: rotated.url }, 'ping', ping)).status, 200);
    expectStatus(await guest.api('POST', `/api/v1/webhooks/${cfg.id}/updateUrl`), 403);

    expectStatus(await owner.api('DELETE', `/api/v1/connectors/${cfg.id}`), 204);
    const gone = await postGithub(cfg, 'push', example('push'));
    assert.equal(gone.status, 410);
  });

  test('bad creation bodies are refused with a message', async () => {
    const ch = await freshChannel();
    for (const [body, word] of [
      [{ kind: 'svn', name: 'x' }, 'kind'],
      [{ kind: 'github' }, 'name'],
      [{ kind: 'template', name: 't' }, 'template'],
      [{ kind: 'template', name: 't', template: { title: '{{ .a' } }, 'closed'],
      [{ kind: 'alertmanager', name: 'a', secret: 'abcdefghij' }, 'secret'],
      [{ kind: 'github', name: 'g', secret: 'has space in it' }, 'secret'],
    ]) {
      const r = await owner.api('POST', `/api/v1/channels/${ch.id}/serviceConnectors`, body);
      expectStatus(r, 400, JSON.stringify(body));
      assert.match(r.body.error.message, new RegExp(word));
    }
    const list = expectStatus(await owner.api('GET', `/api/v1/channels/${ch.id}/connectors`), 200).body.value;
    assert.equal(list.length, 0);
  });
});

describe('GitHub', () => {
  let ch;
  let cfg;
  before(async () => {
    ch = await freshChannel();
    cfg = await createService(ch.id, { kind: 'github', name: 'GitHub', secret: 'It\'sASecret-123' });
    assert.equal(cfg.settings.secret, 'It\'sASecret-123');
  });

  // Each case: the event, a real example (maybe adjusted), what the card must say.
  const cases = [
    ['push', () => example('push', (e) => e.ref === 'refs/heads/master' && e.commits.length), (c) => {
      assert.match(c.title, /^\[Codertocat\/Hello-World\] 1 new commit pushed to master by Codertocat$/);
      assert.match(c.sections[0].text, /\[`[0-9a-f]{7}`\]\(https:\/\/github\.com\/.+\)/);
      assert.deepEqual(facts(c), {}, 'repository, branch and pusher are in the title');
      assert.equal(links(c)['View changes'], 'https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246');
    }],
    ['push', () => example('push', (e) => e.ref.startsWith('refs/tags/') && e.created), (c) => {
      assert.equal(c.title, '[Codertocat/Hello-World] New tag simple-tag pushed by Codertocat');
      assert.equal(c.sections, undefined, 'no commits: the title says it all');
    }],
    ['pull_request', () => example('pull_request', (e) => e.action === 'opened'), (c) => {
      assert.match(c.title, /^\[Codertocat\/Hello-World\] Pull request #2 opened: Update the README with new information\.$/);
      assert.equal(c.themeColor, '2EB886');
      assert.equal(facts(c).Branches, 'changes \u2192 master');
      assert.equal(c.sections[0].activityTitle, 'Codertocat');
      assert.equal(c.sections[0].activitySubtitle, undefined, 'the verb is in the title');
      assert.equal(facts(c).Author, undefined, 'the author is the actor heading the section');
      assert.equal(links(c)['View pull request'], 'https://github.com/Codertocat/Hello-World/pull/2');
    }],
    ['pull_request', () => example('pull_request', (e) => e.action === 'closed'), (c) => {
      assert.match(c.title, /Pull request #2 closed: /);
      assert.equal(c.themeColor, 'D63333');
    }],
    ['pull_request', () => { const e = example('pull_request', (x) => x.action === 'closed'); e.pull_request.merged = true; return e; }, (c) => {
      assert.match(c.title, /Pull request #2 merged: /);
      assert.equal(c.themeColor, '6F42C1');
    }],
    ['pull_request', () => example('pull_request', (e) => e.action === 'review_requested'), (c) => {
      assert.match(c.title, /Pull request #2 review requested: /);
      assert.equal(facts(c).Reviewer, 'octocat');
    }],
    ['issues', () => example('issues', (e) => e.action === 'opened'), (c) => {
      assert.match(c.title, /^\[Codertocat\/Hello-World\] Issue #1 opened: Spelling error in the README file$/);
      assert.ok(links(c)['View issue']);
    }],
    ['issues', () => example('issues', (e) => e.action === 'reopened'), (c) => {
      assert.match(c.title, /Issue #\d+ reopened: /);
    }],
    ['issues', () => { const e = example('issues', (x) => x.action === 'reopened'); e.action = 'closed'; return e; }, (c) => {
      assert.match(c.title, /Issue #\d+ closed: /);
    }],
    ['issue_comment', () => example('issue_comment', (e) => e.action === 'created'), (c) => {
      assert.match(c.title, /New comment on issue #1: Spelling error in the README file/);
      assert.match(c.sections[0].text, /You are totally right!/);
      assert.equal(links(c)['View comment'], 'https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400');
    }],
    ['issue_comment', () => { const e = example('issue_comment', (x) => x.action === 'created'); e.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' }; return e; }, (c) => {
      assert.match(c.title, /New comment on pull request #1: /);
    }],
    ['pull_request_review_comment', () => example('pull_request_review_comment', (e) => e.action === 'created'), (c) => {
      assert.match(c.title, /New review comment on pull request #2: /);
      assert.equal(facts(c).File, 'README.md');
    }],
    ['pull_request_review', () => example('pull_request_review', (e) => e.action === 'submitted'), (c) => {
      assert.equal(c.title, '[Codertocat/Hello-World] Pull request #2 reviewed by Codertocat: Update the README with new information.');
      assert.equal(links(c)['View review'], 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671');
    }],
    ['pull_request_review', () => { const e = example('pull_request_review', (x) => x.action === 'submitted'); e.review.state = 'approved'; e.review.body = 'LGTM'; return e; }, (c) => {
      assert.match(c.title, /Pull request #2 approved by Codertocat: /);
      assert.equal(c.themeColor, '2EB886');
      assert.equal(c.sections[0].text, 'LGTM');
    }],
    ['release', () => example('release', (e) => e.action === 'published'), (c) => {
      assert.equal(c.title, '[Codertocat/Hello-World] Release 0.0.1 published');
      assert.equal(links(c)['View release'], 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1');
    }],
    ['workflow_run', () => example('workflow_run', (e) => e.action === 'completed' && e.workflow_run.conclusion === 'success'), (c) => {
      assert.match(c.title, /Workflow .*: success on master$/);
      assert.equal(c.themeColor, '2EB886');
      assert.equal(facts(c).Run, '#163');
      assert.equal(facts(c).Started, '2020-10-05T16:33:49Z');
      assert.equal(links(c)['View run'], 'https://github.com/octo-org/octo-repo/actions/runs/289782451');
    }],
    ['workflow_run', () => { const e = example('workflow_run', (x) => x.action === 'completed' && x.workflow_run.conclusion === 'success'); e.workflow_run.conclusion = 'failure'; return e; }, (c) => {
      assert.match(c.title, /: failure on master$/);
      assert.equal(c.themeColor, 'D63333');
      assert.equal(facts(c).Result, undefined, 'the result is in the title');
    }],
  ];

  for (const [event, make, check] of cases) {
    test(`${event}: signed example posts a card`, async () => {
      const c2 = await freshChannel();
      const conf = await createService(c2.id, { kind: 'github', name: 'GitHub' });
      const r = await postGithub(conf, event, make());
      assert.equal(r.status, 200, r.text);
      const { m, card } = await onlyCard(c2);
      assert.equal(m.attachments[0].contentType, MESSAGECARD_TYPE);
      assert.equal(m.from.application.displayName, 'GitHub');
      assert.equal(m.from.application.imageUrl, `/api/v1/connectors/${conf.id}/image`);
      assert.equal(card['@type'], 'MessageCard');
      check(card);
      saysThingsOnce(card);
    });
  }

  test('unsigned, mis-signed and wrong-secret posts are refused with 401 and nothing is posted', async () => {
    const payload = example('push', (e) => e.ref === 'refs/heads/master');
    const unsigned = await postGithub(cfg, 'push', payload, { signed: false });
    assert.equal(unsigned.status, 401);
    assert.match(unsigned.text, /X-Hub-Signature-256 is required/);
    const wrong = await postGithub(cfg, 'push', payload, { secret: 'not-the-secret' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /does not match/);
    // A correct signature over other bytes (the body changed in transit) is refused too.
    const raw = JSON.stringify(payload);
    const tampered = await postTo(cfg.url, raw.replace('Codertocat', 'Codertocad'), { headers: { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign(cfg.settings.secret, raw) } });
    assert.equal(tampered.status, 401);
    // The URL's own signature is checked before anything else.
    const badUrl = cfg.url.slice(0, -1) + (cfg.url.endsWith('A') ? 'B' : 'A');
    assert.equal((await postGithub({ ...cfg, url: badUrl }, 'push', payload)).status, 401);
    assert.equal((await cards(ch)).length, 0);
    const log = await deliveries(cfg);
    assert.ok(log.filter((d) => d.status === 401).length >= 3, JSON.stringify(log));
  });

  test('GitHub\'s default content type (form-encoded payload=...) works too, signed over the encoded body', async () => {
    const c2 = await freshChannel();
    const conf = await createService(c2.id, { kind: 'github', name: 'GitHub' });
    const raw = new URLSearchParams({ payload: JSON.stringify(example('release', (e) => e.action === 'published')) }).toString();
    const r = await postTo(conf.url, raw, {
      contentType: 'application/x-www-form-urlencoded',
      headers: { 'X-GitHub-Event': 'release', 'X-Hub-Signature-256': sign(conf.settings.secret, raw) },
    });
    assert.equal(r.status, 200, r.text);
    const { card } = await onlyCard(c2);
    assert.equal(card.title, '[Codertocat/Hello-World] Release 0.0.1 published');
  });

  test('ping answers 200; unknown events and other actions are acknowledged, ignored and logged', async () => {
    const c2 = await freshChannel();
    const conf = await createService(c2.id, { kind: 'github', name: 'GitHub' });
    const ping = await postGithub(conf, 'ping', example('ping'));
    assert.equal(ping.status, 200);
    const star = await postGithub(conf, 'star', { action: 'created', repository: { full_name: 'a/b' } });
    assert.equal(star.status, 200);
    const edited = await postGithub(conf, 'issues', example('issues', (e) => e.action === 'edited'));
    assert.equal(edited.status, 200);
    assert.equal((await cards(c2)).length, 0);
    const log = await deliveries(conf);
    assert.equal(log.length, 3);
    assert.ok(log.every((d) => d.status === 200 && !d.messageId));
    assert.ok(log.some((d) => /ping/.test(d.error)));
    assert.ok(log.some((d) => /'star' is not covered/.test(d.error)));
    assert.ok(log.some((d) => /issues action 'edited'/.test(d.error)));
  });

  test('event and branch filters chosen in the configuration', async () => {
    const c2 = await freshChannel();
    const conf = await createService(c2.id, { kind: 'github', name: 'GitHub', events: ['push', 'workflow_run'], branches: ['main', 'release/*'] });
    const push = example('push', (e) => e.ref === 'refs/heads/master' && e.commits.length);
    assert.equal((await postGithub(conf, 'push', push)).status, 200); // master: filtered out
    push.ref = 'refs/heads/release/1.2';
    assert.equal((await postGithub(conf, 'push', push)).status, 200);
    assert.equal((await postGithub(conf, 'issues', example('issues', (e) => e.action === 'opened'))).status, 200); // not selected
    const all = await cards(c2);
    assert.equal(all.length, 1);
    assert.match(all[0].card.title, /pushed to release\/1\.2/);
    const log = await deliveries(conf);
    assert.ok(log.some((d) => /filtered out/.test(d.error)));
    assert.ok(log.some((d) => /not selected/.test(d.error)));
  });

  test('hostile strings from payloads stay text in the card JSON', async () => {
    const c2 = await freshChannel();
    const conf = await createService(c2.id, { kind: 'github', name: 'GitHub' });
    const e = example('issues', (x) => x.action === 'opened');
    e.issue.title = '<img src=x onerror=alert(1)>"},{"@type":"x';
    e.issue.body = '<script>alert(1)</script>';
    e.issue.html_url = 'javascript:alert(1)';
    assert.equal((await postGithub(conf, 'issues', e)).status, 200);
    const { card } = await onlyCard(c2);
    assert.ok(card.title.endsWith('<img src=x onerror=alert(1)>"},{"@type":"x'));
    assert.equal(card.sections[0].text, '<script>alert(1)</script>');
    assert.equal(card.potentialAction, undefined, 'a javascript: link is left out');
    // A title longer than the card's title buffer, in 4-byte characters, is cut on a character.
    const e2 = example('issues', (x) => x.action === 'opened');
    e2.issue.title = '\u{1F600}'.repeat(400);
    assert.equal((await postGithub(conf, 'issues', e2)).status, 200);
    const all = await cards(c2);
    assert.equal(all.length, 2);
    assert.ok(all[0].card.title.includes('\u{1F600}'.repeat(50)));
    assert.ok(!all[0].card.title.includes('\uFFFD'));
  });
  test('multi-byte characters at every cut point (short ids, first lines, filter notes) give 200 and intact text', async () => {
    const c2 = await freshChannel();
    const conf = await createService(c2.id, { kind: 'github', name: 'GitHub', branches: ['main'] });
    const e = example('push', (x) => x.ref === 'refs/heads/master' && x.commits.length);
    e.ref = 'refs/heads/main';
    const base = e.commits[0];
    // The 7-character short id ends inside a 2-byte, a 3-byte and a 4-byte character when cut by bytes.
    const ids = ['abcdef\u00e9123', 'abcde\u20ac123', 'ab\u{1F600}cdefgh'];
    e.commits = ids.map((id, i) => ({ ...base, id, message: 'x'.repeat(119) + '\u{1F600}' + ' tail\nsecond line', author: { ...base.author, name: `Zo\u00eb ${i}` } }));
    e.pusher.name = '\u00c5sa';
    const r = await postGithub(conf, 'push', e);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { card } = await onlyCard(c2);
    const text = card.sections[0].text;
    for (const short of ['abcdef\u00e9', 'abcde\u20ac1', 'ab\u{1F600}cdef']) assert.ok(text.includes(`[\`${short}\`]`), `short id ${short} in ${text}`);
    assert.ok(text.includes('x'.repeat(119) + '\u2026'), 'the first line is cut before the 4-byte character');
    assert.ok(text.includes('Zo\u00eb 2'));
    assert.ok(card.title.endsWith(' by \u00c5sa'), card.title);
    assert.ok(!JSON.stringify(card).includes('\uFFFD'));
    // The delivery log's note quotes the branch cut at 100 bytes, here inside a character.
    const f = example('push', (x) => x.ref === 'refs/heads/master' && x.commits.length);
    f.ref = 'refs/heads/' + 'b'.repeat(99) + '\u00e9\u00e9';
    assert.equal((await postGithub(conf, 'push', f)).status, 200);
    const log = await deliveries(conf);
    assert.ok(log.some((d) => d.error.includes(`'${'b'.repeat(99)}' is filtered out`)), JSON.stringify(log));
  });
});

describe('GitLab', () => {
  // Payloads from GitLab's "Webhook events" documentation, trimmed to the fields they show.
  const project = { id: 15, name: 'Diaspora', path_with_namespace: 'mike/diaspora', web_url: 'http://example.com/mike/diaspora', default_branch: 'master' };
  const pushHook = {
    object_kind: 'push', event_name: 'push', before: '95790bf891e76fee5e1747ab589903a6a1f80f22', after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
    ref: 'refs/heads/master', user_name: 'John Smith', user_username: 'jsmith', project_id: 15, project,
    commits: [
      { id: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327', message: 'Update Catalan translation to e38cb41.\n\nSee https://gitlab.com/gitlab-org/gitlab for more information', title: 'Update Catalan translation to e38cb41.', timestamp: '2011-12-12T14:27:31+02:00', url: 'http://example.com/mike/diaspora/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327', author: { name: 'Jordi Mallach', email: 'jordi@softcatala.org' } },
      { id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', message: 'fixed readme', title: 'fixed readme', timestamp: '2012-01-03T23:36:29+02:00', url: 'http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7', author: { name: 'GitLab dev user', email: 'gitlabdev@dv6700.(none)' } },
    ],
    total_commits_count: 4,
  };
  const mrHook = {
    object_kind: 'merge_request', event_type: 'merge_request', user: { id: 1, name: 'Administrator', username: 'root' }, project,
    object_attributes: { id: 99, iid: 1, target_branch: 'master', source_branch: 'ms-viewport', title: 'MS-Viewport', description: 'Viewport fix', state: 'opened', action: 'open', url: 'http://example.com/diaspora/merge_requests/1' },
  };
  const issueHook = {
    object_kind: 'issue', event_type: 'issue', user: { id: 1, name: 'Administrator', username: 'root' }, project,
    object_attributes: { id: 301, iid: 23, title: 'New API: create/update/delete file', description: 'Create new API for manipulations with repository', state: 'opened', action: 'open', url: 'http://example.com/diaspora/issues/23' },
  };
  const pipelineHook = (status) => ({
    object_kind: 'pipeline', user: { id: 1, name: 'Administrator', username: 'root' }, project,
    object_attributes: { id: 31, iid: 3, ref: 'master', tag: false, sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2', status, detailed_status: status, stages: ['build', 'test', 'deploy'], created_at: '2016-08-12 15:23:28 UTC', finished_at: '2016-08-12 15:26:29 UTC', duration: 63, url: 'http://example.com/gitlab-org/gitlab-test/-/pipelines/31' },
    commit: { id: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2', message: 'test\n', url: 'http://example.com/gitlab-org/gitlab-test/commit/bcbb5ec396a2c0f828686f14fac9b80b780504f2', author: { name: 'User', email: 'user@gitlab.com' } },
    builds: [
      { id: 380, stage: 'deploy', name: 'production', status: status === 'failed' ? 'skipped' : 'success' },
      { id: 377, stage: 'test', name: 'test-image', status: status === 'failed' ? 'failed' : 'success' },
      { id: 378, stage: 'test', name: 'test-build', status: 'success' },
      { id: 376, stage: 'build', name: 'build-image', status: 'success' },
    ],
  });

  test('push, merge request, issue and pipeline events become cards', async () => {
    const ch = await freshChannel();
    const cfg = await createService(ch.id, { kind: 'gitlab', name: 'GitLab' });
    assert.equal((await postGitlab(cfg, 'Push Hook', pushHook)).status, 200);
    assert.equal((await postGitlab(cfg, 'Merge Request Hook', mrHook)).status, 200);
    assert.equal((await postGitlab(cfg, 'Issue Hook', issueHook)).status, 200);
    assert.equal((await postGitlab(cfg, 'Pipeline Hook', pipelineHook('running'))).status, 200); // ignored
    assert.equal((await postGitlab(cfg, 'Pipeline Hook', pipelineHook('failed'))).status, 200);
    assert.equal((await postGitlab(cfg, 'Pipeline Hook', pipelineHook('success'))).status, 200);
    const all = (await cards(ch)).map((x) => x.card).reverse();
    assert.equal(all.length, 5);
    assert.equal(all[0].title, '[mike/diaspora] 4 new commits pushed to master by John Smith');
    assert.match(all[0].sections[0].text, /Update Catalan translation to e38cb41\./);
    assert.equal(links(all[0])['View changes'], 'http://example.com/mike/diaspora/-/compare/95790bf891e76fee5e1747ab589903a6a1f80f22...da1560886d4f094c3e6c9ef40349f7d38b5d27d7');
    assert.equal(all[1].title, '[mike/diaspora] Merge request !1 opened: MS-Viewport');
    assert.equal(facts(all[1]).Branches, 'ms-viewport \u2192 master');
    assert.equal(all[2].title, '[mike/diaspora] Issue #23 opened: New API: create/update/delete file');
    assert.equal(all[3].title, '[mike/diaspora] Pipeline #31 failed on master');
    assert.equal(all[3].themeColor, 'D63333');
    assert.deepEqual(facts(all[3]), {
      Duration: '1 min 3 s',
      Finished: '2016-08-12T15:26:29Z',
      Commit: '[bcbb5ec3](http://example.com/gitlab-org/gitlab-test/commit/bcbb5ec396a2c0f828686f14fac9b80b780504f2) test',
      'Failed jobs': 'test-image (test)',
    });
    assert.equal(all[4].themeColor, '2EB886');
    assert.equal(facts(all[4])['Failed jobs'], undefined);
    assert.equal(links(all[4])['View pipeline'], 'http://example.com/gitlab-org/gitlab-test/-/pipelines/31');
    for (const c of all) saysThingsOnce(c);
    const log = await deliveries(cfg);
    assert.ok(log.some((d) => /pipeline status 'running'/.test(d.error)));
  });

  test('X-Gitlab-Token: missing or wrong is 401, the right one passes', async () => {
    const ch = await freshChannel();
    const cfg = await createService(ch.id, { kind: 'gitlab', name: 'GitLab', secret: 'gl-token-0123456789' });
    assert.equal((await postGitlab(cfg, 'Issue Hook', issueHook, null)).status, 401);
    assert.equal((await postGitlab(cfg, 'Issue Hook', issueHook, 'gl-token-012345678')).status, 401);
    assert.equal((await postGitlab(cfg, 'Issue Hook', issueHook, 'gl-token-0123456789x')).status, 401);
    assert.equal((await cards(ch)).length, 0);
    assert.equal((await postGitlab(cfg, 'Issue Hook', issueHook, 'gl-token-0123456789')).status, 200);
    assert.equal((await cards(ch)).length, 1);
    // A header naming one event with a body of another is not posted.
    assert.equal((await postGitlab(cfg, 'Push Hook', issueHook)).status, 200);
    assert.equal((await cards(ch)).length, 1);
  });

  test('multi-byte characters at the cut points of short ids and links give 200 and intact text', async () => {
    const ch = await freshChannel();
    const cfg = await createService(ch.id, { kind: 'gitlab', name: 'GitLab' });
    const hook = structuredClone(pushHook);
    // The 8-character short id ends inside a 3-byte, a 2-byte and a 4-byte character when cut by bytes.
    hook.commits[0].id = '1234567\u20ac89';
    hook.commits[1].id = '1234567\u00e989';
    hook.commits.push({ ...hook.commits[1], id: '123456\u{1F600}\u{1F600}9', message: '\u00e9'.repeat(70) });
    hook.user_name = 'J\u00f6rg';
    // A project URL so long that the compare link no longer fits its buffer, cut inside a character.
    hook.project = { ...project, web_url: 'http://example.com/x' + '\u00e9'.repeat(600) };
    const r = await postGitlab(cfg, 'Push Hook', hook);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { card } = await onlyCard(ch);
    const text = card.sections[0].text;
    for (const short of ['1234567\u20ac', '1234567\u00e9', '123456\u{1F600}\u{1F600}']) assert.ok(text.includes(`[\`${short}\`]`), `short id ${short} in ${text}`);
    assert.ok(text.includes('\u00e9'.repeat(59) + '\u2026'), 'a first line of 2-byte characters is cut on a character');
    assert.equal(card.title, '[mike/diaspora] 4 new commits pushed to master by J\u00f6rg');
    assert.equal(links(card)['View changes'], undefined, 'a compare link that does not fit is left out');
    assert.equal(links(card)['View project'], hook.project.web_url);
  });
});

describe('JSON template', () => {
  const template = {
    title: '{{ .service }}: {{ .check.name }} is {{ .check.state }}',
    text: 'Details: {{ .check.output }}',
    themeColor: '{{ .check.state }}',
    facts: [{ name: 'Host', value: '{{ .host.name }}' }, { name: 'Tags', value: '{{ .tags }}' }, { name: 'First tag', value: '{{ .tags.0 }}' }, { name: 'Missing', value: '{{ .nope.nothing }}' }],
    links: [{ name: 'Open', url: '{{ .url }}' }],
  };
  const sample = { service: 'uptime', check: { name: 'api', state: 'failure', output: '"quoted" <b>bold</b>' }, host: { name: 'web-1' }, tags: ['prod', 'eu'], url: 'https://status.example.com/api' };

  test('preview renders the card the configuration will post', async () => {
    const r = expectStatus(await owner.api('POST', '/api/v1/serviceConnectors/preview', { template, sample }), 200);
    const c = r.body.card;
    assert.equal(c.title, 'uptime: api is failure');
    assert.equal(c.text, 'Details: "quoted" <b>bold</b>');
    assert.equal(c.themeColor, 'D63333');
    assert.deepEqual(facts(c), { Host: 'web-1', Tags: '["prod","eu"]', 'First tag': 'prod' });
    assert.equal(links(c).Open, 'https://status.example.com/api');
    const bad = await owner.api('POST', '/api/v1/serviceConnectors/preview', { template: { title: '{{ title }}' }, sample });
    expectStatus(bad, 400);
    assert.match(bad.body.error.message, /path starting with '\.'/);
    const empty = await owner.api('POST', '/api/v1/serviceConnectors/preview', { template: { title: '{{ .x }}' }, sample: {} });
    expectStatus(empty, 400);
    assert.match(empty.body.error.message, /Summary or Text is required/);
  });

  test('posting any JSON applies the template; an Adaptive Card template is posted as one', async () => {
    const ch = await freshChannel();
    const cfg = await createService(ch.id, { kind: 'template', name: 'Uptime', template });
    assert.equal((await postTo(cfg.url, sample)).status, 200);
    assert.equal((await postTo(cfg.url, 'not json', { contentType: 'text/plain' })).status, 400);
    const { card } = await onlyCard(ch);
    assert.equal(card.title, 'uptime: api is failure');
    const adaptive = { card: { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Deploy {{ .version }} by {{ .who }}' }] } };
    expectStatus(await owner.api('PATCH', `/api/v1/connectors/${cfg.id}`, { template: adaptive }), 200);
    assert.equal((await postTo(cfg.url, { version: '1.2.3', who: '"}]} x' })).status, 200);
    const all = await allMessages(owner.api, team.id, ch.id, srv);
    assert.equal(all[0].attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(cardOf(all[0]).body[0].text, 'Deploy 1.2.3 by "}]} x');
  });
});

describe('the switches of every connector', () => {
  test('policy: with connectors off for the team, posts are refused (403, logged) and nothing is created', async () => {
    const t = await createTeam(owner.api, uniqueName('Policy'));
    const chs = expectStatus(await owner.api('GET', `/v1.0/teams/${t.id}/channels`), 200).body.value;
    const cfg = await createService(chs[0].id, { kind: 'alertmanager', name: 'AM' });
    const admin = api(srv, srv.adminToken);
    expectStatus(await admin('PATCH', `/api/v1/admin/teams/${t.id}`, { connectorsEnabled: false }), 204);
    const body = { version: '4', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'X' }, annotations: {} }], groupLabels: { alertname: 'X' }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am.example.com' };
    const r = await postTo(cfg.url, body);
    assert.equal(r.status, 403);
    expectStatus(await owner.api('POST', `/api/v1/channels/${chs[0].id}/serviceConnectors`, { kind: 'github', name: 'g' }), 403);
    assert.ok((await deliveries(cfg)).some((d) => d.status === 403));
    expectStatus(await admin('PATCH', `/api/v1/admin/teams/${t.id}`, { connectorsEnabled: true }), 204);
    assert.equal((await postTo(cfg.url, body)).status, 200);
  });

  test('per-configuration rate limit: 429 with Retry-After, logged; filtered events do not use the budget', async () => {
    const s = await startServer({ args: ['--webhook-rate-limit', '1'] });
    try {
      const o = await newUser(s, 'owner');
      const t = await createTeam(o.api, uniqueName('Rate'));
      const chs = expectStatus(await o.api('GET', `/v1.0/teams/${t.id}/channels`), 200).body.value;
      const cfg = expectStatus(await o.api('POST', `/api/v1/channels/${chs[0].id}/serviceConnectors`, { kind: 'template', name: 'T', template: { title: '{{ .n }}' } }), 201).body;
      const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => postTo(cfg.url, { n: `post ${i}` })));
      const limited = rs.filter((r) => r.status === 429);
      assert.ok(limited.length > 0, rs.map((r) => r.status).join(','));
      for (const r of limited) assert.ok(Number(r.headers.get('retry-after')) >= 1);
      const log = expectStatus(await o.api('GET', `/api/v1/connectors/${cfg.id}/deliveries`), 200).body.value;
      assert.equal(log.filter((d) => d.status === 429).length, limited.length);
      // Another configuration has its own budget.
      const gh = expectStatus(await o.api('POST', `/api/v1/channels/${chs[0].id}/serviceConnectors`, { kind: 'github', name: 'G' }), 201).body;
      const ping = JSON.stringify(example('ping'));
      const headers = { 'X-GitHub-Event': 'ping', 'X-Hub-Signature-256': sign(gh.settings.secret, ping) };
      const pings = await Promise.all(Array.from({ length: 4 }, () => postTo(gh.url, ping, { headers })));
      assert.deepEqual(pings.map((r) => r.status), [200, 200, 200, 200], 'acknowledged pings are not throttled');
    } finally {
      await s.close();
    }
  });

  test('payloads above 1 MiB are refused with 413; bodies above --max-payload but below it are fine', async () => {
    const ch = await freshChannel();
    const cfg = await createService(ch.id, { kind: 'template', name: 'Big', template: { title: 'size {{ .n }}' } });
    const ok = await postTo(cfg.url, { n: 1, pad: 'x'.repeat(100 * 1024) });
    assert.equal(ok.status, 200, ok.text);
    const big = await postTo(cfg.url, { n: 2, pad: 'x'.repeat(1024 * 1024) });
    assert.equal(big.status, 413);
    assert.match(big.text, /1048576 bytes/);
  });
});

// ---------------------------------------------------------------------------------------------
// A real Alertmanager (Debian's prometheus-alertmanager) posting to the connector's URL.

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

describe('Prometheus Alertmanager', { skip: !fs.existsSync('/usr/bin/prometheus-alertmanager') && 'prometheus-alertmanager is not installed' }, () => {
  let am;
  let amUrl;
  let dir;
  let ch;
  let cfg;

  before(async () => {
    ch = await freshChannel();
    cfg = await createService(ch.id, { kind: 'alertmanager', name: 'Alertmanager' });
    dir = tempDir('sb-am-');
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    fs.writeFileSync(path.join(dir, 'am.yml'), [
      'global:',
      '  resolve_timeout: 1s',
      'route:',
      '  receiver: switchboard',
      "  group_by: ['alertname']",
      '  group_wait: 100ms',
      '  group_interval: 500ms',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: switchboard',
      '    webhook_configs:',
      `      - url: '${cfg.url}'`,
      '        send_resolved: true',
      '',
    ].join('\n'));
    am = new Proc('/usr/bin/prometheus-alertmanager', [
      `--config.file=${path.join(dir, 'am.yml')}`, `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', `--web.external-url=${amUrl}`,
    ], { env: childEnv() });
    // Alertmanager logs "Listening on" once its HTTP API accepts requests.
    await am.waitForLine(/Listening on/i, { timeoutMs: 20_000, what: 'alertmanager listening' });
  });

  after(async () => {
    if (am) await am.terminate();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('firing then resolved: one card each, grouped alerts in one message', async () => {
    const events = await openEvents(srv, { token: owner.token, label: 'alerts' });
    try {
      const name = uniqueName('HighLatency').replace(/[^A-Za-z0-9_]/g, '_');
      const startsAt = new Date().toISOString();
      const alerts = (endsAt) => ['api', 'web'].map((job) => ({
        labels: { alertname: name, job, severity: 'critical' },
        annotations: { summary: `Latency is high on ${job}`, description: '<b>p99</b> > 1s' },
        startsAt,
        ...(endsAt ? { endsAt } : {}),
        generatorURL: `http://prometheus.example.com/graph?g0.expr=latency_${job}`,
      }));
      const post = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts()) });
      assert.equal(post.status, 200, await post.text());
      const isOurs = (status) => (ev) => ev.event === 'message' && ev.json && ev.json.channelIdentity.channelId === ch.id &&
        JSON.parse(ev.json.attachments[0].content).title.startsWith(status);
      const firing = JSON.parse((await events.nextMatching(isOurs('[FIRING'), { timeoutMs: 30_000, what: 'a firing card' })).json.attachments[0].content);
      assert.equal(firing.title, `[FIRING:2] ${name}`);
      assert.equal(firing.themeColor, 'D63333', 'critical');
      // What both alerts share is said once: the description as the text, the severity in a
      // first section; then one section per alert with only what differs.
      assert.equal(firing.text, '<b>p99</b> > 1s');
      assert.equal(firing.sections.length, 3, 'the shared section and both alerts of the group in one card');
      assert.deepEqual(facts({ sections: [firing.sections[0]] }), { severity: 'critical' });
      const byJob = {};
      for (const s of firing.sections.slice(1)) {
        const f = facts({ sections: [s] });
        byJob[f.job] = s;
        assert.equal(s.activityTitle, `Latency is high on ${f.job}`);
        assert.deepEqual(Object.keys(f).sort(), ['Started', 'job'], JSON.stringify(f));
        assert.match(f.Started, ISO_UTC);
        assert.equal(Date.parse(f.Started), Math.floor(Date.parse(startsAt) / 1000) * 1000);
        assert.equal(s.potentialAction.length, 1);
        assert.equal(s.potentialAction[0].targets[0].uri, `http://prometheus.example.com/graph?g0.expr=latency_${f.job}`);
      }
      assert.deepEqual(Object.keys(byJob).sort(), ['api', 'web']);
      assert.equal(links(firing)['Open Alertmanager'], amUrl);
      assert.ok(links(firing).Silence.startsWith(`${amUrl}/#/silences/new?filter=`));
      assert.ok(decodeURIComponent(links(firing).Silence).includes(`alertname="${name}"`));

      const resolve = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts(new Date().toISOString())) });
      assert.equal(resolve.status, 200);
      const resolved = JSON.parse((await events.nextMatching(isOurs('[RESOLVED'), { timeoutMs: 30_000, what: 'a resolved card' })).json.attachments[0].content);
      assert.equal(resolved.title, `[RESOLVED] ${name}`);
      assert.equal(resolved.themeColor, '2EB886');
      const ended = facts({ sections: [resolved.sections[1]] });
      assert.match(ended.Ended, ISO_UTC);
      assert.ok(ended.Lasted, JSON.stringify(ended));
      assert.equal(resolved.sections[1].activitySubtitle, undefined, 'all resolved: nothing to tell apart');
      assert.equal(links(resolved).Silence, undefined);
      const log = await deliveries(cfg);
      assert.ok(log.filter((d) => d.status === 200 && d.messageId).length >= 2);
    } finally {
      events.close();
    }
  });
});
