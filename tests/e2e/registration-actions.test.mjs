// A connector registered in the Developer Dashboard (issue 8) with card actions (issue 9): its
// cards' HttpPOST targets must be its registered actions URL (or under it); a connector
// registered without actions gets none run. Checked when the click is accepted, before anything
// is queued or sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api } from './lib/server.mjs';
import { createTeam, generalChannel, messagesPath } from './lib/graph.mjs';
import { png } from './lib/package.mjs';
import { actionId } from './lib/actions.mjs';

let srv;
let admin;
let channel;
let team;

const dataUrl = (buf) => `data:image/png;base64,${buf.toString('base64')}`;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
  team = await createTeam(admin);
  channel = await generalChannel(admin, team.id);
});

after(async () => {
  if (srv) await srv.close();
});

async function registerAndConfigure(name, actions) {
  const reg = await admin('POST', '/api/v1/connectorRegistrations', {
    name,
    logo: dataUrl(png(192, 192)),
    shortDescription: 'Build results',
    longDescription: 'Posts build results.',
    websiteUrl: 'https://ci.example.org',
    configurationUrl: 'https://ci.example.org/teams/config',
    validDomains: ['ci.example.org'],
    ...actions,
  });
  assert.equal(reg.status, 201, reg.text);
  const cfg = await admin('POST', `/api/v1/channels/${channel.id}/connectors`, {
    connectorId: reg.body.id, configName: name, entityId: 'e1', contentUrl: 'https://ci.example.org/teams/config',
  });
  assert.equal(cfg.status, 201, cfg.text);
  return cfg.body;
}

async function postCard(cfg, targets) {
  const res = await fetch(cfg.webhookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: 'Build', text: 'Build 12 failed',
      potentialAction: targets.map((target, i) => ({ '@type': 'HttpPOST', name: `Action ${i}`, target, body: '{}' })),
    }),
  });
  assert.equal(res.status, 200, await res.text());
  const list = await admin('GET', `${messagesPath(team.id, channel.id)}?$top=1`);
  return list.body.value[0];
}

const click = (message, i) => admin('POST', `/api/v1/messages/${message.id}/actions`, { actionId: actionId(message, `/potentialAction/${i}`) });

test('a registered actions URL is the only target: other paths on a valid domain are refused', async () => {
  const cfg = await registerAndConfigure('Build actions', { actionsEnabled: true, actionsUrl: 'https://ci.example.org/actions' });
  const message = await postCard(cfg, [
    'https://ci.example.org/other',
    'https://ci.example.org/actionsX',
    'https://ci.example.org/actions/rerun?build=12',
  ]);
  for (const i of [0, 1]) {
    const r = await click(message, i);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.error.code, 'outboundRefused');
    assert.match(r.body.error.message, /registered actions URL/);
  }
  const ok = await click(message, 2);
  assert.equal(ok.status, 202, ok.text);
  assert.equal(ok.body.status, 'pending');
});

test('a connector registered without actions gets no action run', async () => {
  const cfg = await registerAndConfigure('No actions', { actionsEnabled: false });
  const message = await postCard(cfg, ['https://ci.example.org/actions']);
  const r = await click(message, 0);
  assert.equal(r.status, 403, r.text);
  assert.match(r.body.error.message, /registered without card actions/);
});
