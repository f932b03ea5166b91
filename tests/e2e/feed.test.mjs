// Outlook-style groups (contract addition): webhooks record the client they were made in
// (appType "teams" or "groups"), and GET /api/v1/teams/{id}/feed lists the team's posts from
// "groups" configurations, newest first, grouped by date, paged with $top and @odata.nextLink.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, newUser } from './lib/server.mjs';
import { expectStatus, uniqueName, createChannel } from './lib/graph.mjs';
import { teamFixture, webhooksPath, createWebhook, postTo, expectAccepted, listConnectors } from './lib/webhooks.mjs';

let srv;
let fx;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  fx = await teamFixture(srv, 'owner');
});

after(async () => {
  await srv?.close();
});

test('appType is recorded, listed, and validated', async () => {
  const g = await createWebhook(fx.owner.api, fx.channel.id, { name: uniqueName('Group hook'), appType: 'groups' });
  assert.equal(g.appType, 'groups');
  const t = await createWebhook(fx.owner.api, fx.channel.id, { name: uniqueName('Teams hook') });
  assert.equal(t.appType, 'teams');
  const listed = await listConnectors(fx.owner.api, fx.channel.id);
  assert.equal(listed.find((c) => c.id === g.id).appType, 'groups');
  for (const bad of ['outlook', '', 7]) {
    const r = await fx.owner.api('POST', webhooksPath(fx.channel.id), { name: 'x', appType: bad });
    expectStatus(r, 400, `appType ${JSON.stringify(bad)}`);
  }
});

test("the group feed lists the groups configurations' posts by date, newest first", async () => {
  const other = await createChannel(fx.owner.api, fx.team.id, uniqueName('Second'));
  const g1 = await createWebhook(fx.owner.api, fx.channel.id, { name: uniqueName('Group A'), appType: 'groups' });
  const g2 = await createWebhook(fx.owner.api, other.id, { name: uniqueName('Group B'), appType: 'groups' });
  const t = await createWebhook(fx.owner.api, fx.channel.id, { name: uniqueName('Teams only') });
  const texts = [];
  for (const [hook, text] of [[g1, 'feed one'], [t, 'not in feed'], [g2, 'feed two'], [g1, 'feed three']]) {
    expectAccepted(await postTo(hook.url, { text }), text);
    texts.push(text);
  }
  const r = await fx.owner.api('GET', `/api/v1/teams/${fx.team.id}/feed`);
  expectStatus(r, 200, 'feed');
  const all = r.body.value.flatMap((d) => d.messages);
  const shown = all.map((m) => JSON.parse(m.attachments[0].content).text);
  assert.deepEqual(shown, ['feed three', 'feed two', 'feed one']);
  for (const day of r.body.value) {
    assert.match(day.date, /^\d{4}-\d{2}-\d{2}$/);
    for (const m of day.messages) assert.ok(m.createdDateTime.startsWith(day.date));
  }
  assert.equal(r.body['@odata.nextLink'], undefined);

  // Paging by message.
  const p1 = await fx.owner.api('GET', `/api/v1/teams/${fx.team.id}/feed?$top=2`);
  expectStatus(p1, 200, 'page 1');
  assert.equal(p1.body.value.flatMap((d) => d.messages).length, 2);
  const p2 = await fx.owner.api('GET', p1.body['@odata.nextLink']);
  expectStatus(p2, 200, 'page 2');
  assert.deepEqual(p2.body.value.flatMap((d) => d.messages).map((m) => JSON.parse(m.attachments[0].content).text), ['feed one']);
  expectStatus(await fx.owner.api('GET', `/api/v1/teams/${fx.team.id}/feed?$top=0`), 400, '$top=0');
});

test('only team members see the feed', async () => {
  const outsider = await newUser(srv, 'outsider');
  expectStatus(await outsider.api('GET', `/api/v1/teams/${fx.team.id}/feed`), 404, 'outsider');
});
