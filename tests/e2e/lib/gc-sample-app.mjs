// A Graph connector app, written the way vendors write them for Microsoft Graph
// (@azure/msal-node for the app token, @microsoft/microsoft-graph-client for the API, jose to
// validate the notification's validationTokens), pointed at Switchboard by its base URLs only.
//
// It runs as its own process (started by graph-connectors.test.mjs with NODE_EXTRA_CA_CERTS
// naming the server's throwaway certificate, because Node reads that variable only at start).
// Configuration: the environment variable GC_APP (JSON):
//   {authorityHost, graphBase, tenantId, clientId, clientSecret | certificate {thumbprintSha256,
//    privateKey}, connectionId,
//    failFirst (answer 500 to that many notifications first), items: [...], groups: [...]}
// It listens on 127.0.0.1 (plain http) for the admin-flow notification at /notify and writes
// one JSON line per event to stdout: {event:"listening", port}, {event:"notification", state,
// status}, {event:"rejected", reason}, {event:"ready", connectionId}, {event:"deleted", ids},
// {event:"error", message}.

import http from 'node:http';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const cfg = JSON.parse(process.env.GC_APP);
const say = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

// Microsoft Graph Change Tracking: the app id Graph's notification tokens carry.
const GRAPH_NOTIFIER_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

const authority = `${cfg.authorityHost}/${cfg.tenantId}`;
let msalApp;
function msal() {
  // Made on first use: the secret arrives on stdin once the administrator registered the app.
  msalApp ??= new ConfidentialClientApplication({
    auth: {
      clientId: cfg.clientId,
      // A certificate credential when the app has one (msal signs a PS256 client assertion),
      // else the client secret.
      ...(cfg.certificate
        ? { clientCertificate: { thumbprintSha256: cfg.certificate.thumbprintSha256, privateKey: cfg.certificate.privateKey } }
        : { clientSecret: cfg.clientSecret }),
      authority,
      knownAuthorities: [new URL(cfg.authorityHost).host],
    },
  });
  return msalApp;
}

async function graphClient() {
  return Client.init({
    baseUrl: cfg.graphBase,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(cfg.graphBase).hostname]),
    authProvider: async (done) => {
      try {
        const r = await msal().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
        done(null, r.accessToken);
      } catch (e) {
        done(e, null);
      }
    },
  });
}

// The validationTokens check from Microsoft's guidance: signed by the identity platform's keys,
// not expired, aud = our app id, issued for Graph's notifier.
let jwks;
async function validateToken(token) {
  if (!jwks) {
    const oidc = await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).json();
    jwks = { set: createRemoteJWKSet(new URL(oidc.jwks_uri)), issuer: oidc.issuer };
  }
  const { payload } = await jwtVerify(token, jwks.set, { audience: cfg.clientId, issuer: jwks.issuer });
  if (payload.appid !== GRAPH_NOTIFIER_APP_ID) throw new Error(`unexpected appid ${payload.appid}`);
  return payload;
}

const schema = {
  baseType: 'microsoft.graph.externalItem',
  properties: [
    { name: 'ticketTitle', type: 'String', isSearchable: 'true', isRetrievable: 'true', labels: ['title'] },
    { name: 'url', type: 'String', isRetrievable: 'true', labels: ['url'] },
    { name: 'iconUrl', type: 'String', isRetrievable: 'true', labels: ['iconUrl'] },
    { name: 'priority', type: 'Int64', isQueryable: 'true', isRetrievable: 'true', isSearchable: 'false' },
    { name: 'tags', type: 'StringCollection', isSearchable: 'true', isRetrievable: 'true' },
    { name: 'assignee', type: 'String', isRetrievable: 'true' },
    { name: 'opened', type: 'DateTime', isRetrievable: 'true', labels: ['createdDateTime'] },
  ],
};

async function onEnabled(ticket, connectorId) {
  const client = await graphClient();
  const existing = await client.api('/external/connections').get();
  let conn = existing.value.find((c) => c.id === cfg.connectionId);
  if (!conn) {
    conn = await client.api('/external/connections')
      .header('GraphConnectors-Ticket', ticket)
      .post({ id: cfg.connectionId, name: 'Contoso Tickets', description: 'Tickets from Contoso Helpdesk', connectorId });
  }
  if (conn.state !== 'ready') {
    const res = await client.api(`/external/connections/${cfg.connectionId}/schema`)
      .responseType(ResponseType.RAW)
      .patch(schema);
    if (res.status !== 202) throw new Error(`schema: ${res.status}`);
    const location = res.headers.get('Location');
    // Poll the operation until it is done (a real app waits between polls; the test must not).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const op = await client.api(location).get();
      if (op.status === 'completed') break;
      if (op.status === 'failed') throw new Error(`schema operation failed: ${JSON.stringify(op.error)}`);
      if (Date.now() > deadline) throw new Error('schema operation did not complete');
    }
  }
  for (const g of cfg.groups || []) {
    await client.api(`/external/connections/${cfg.connectionId}/groups`).post({ id: g.id, displayName: g.displayName });
    for (const m of g.members) {
      await client.api(`/external/connections/${cfg.connectionId}/groups/${g.id}/members`).post(m);
    }
  }
  for (const item of cfg.items || []) {
    await client.api(`/external/connections/${cfg.connectionId}/items/${item.id}`).put({
      acl: item.acl,
      properties: { ...item.properties, 'tags@odata.type': 'Collection(String)' },
      content: { value: item.content, type: 'text' },
    });
  }
  say({ event: 'ready', connectionId: cfg.connectionId });
}

async function onDisabled(ticket) {
  const client = await graphClient();
  const existing = await client.api('/external/connections').get();
  const ids = [];
  for (const c of existing.value) {
    await client.api(`/external/connections/${c.id}`).header('GraphConnectors-Ticket', ticket).delete();
    ids.push(c.id);
  }
  say({ event: 'deleted', ids });
}

let failuresLeft = cfg.failFirst || 0;
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/notify') {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => { body += d; });
  req.on('end', async () => {
    let n;
    try {
      n = JSON.parse(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const change = n.value && n.value[0];
    const state = change && change.resourceData && change.resourceData.state;
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      res.writeHead(500).end();
      say({ event: 'notification', state, status: 500, at: Date.now() });
      return;
    }
    // Answer 202 first, then work, as Microsoft recommends.
    res.writeHead(202).end();
    say({ event: 'notification', state, status: 202, at: Date.now() });
    try {
      const claims = await validateToken(n.validationTokens[0]);
      if (claims.tid !== change.tenantId) throw new Error('tenant mismatch');
      if (change.resourceData['@odata.type'] !== '#Microsoft.Graph.connector') return;
      const info = await (await graphClient())
        .api(`/tenantRelationships/findTenantInformationByTenantId(tenantId='${change.tenantId}')`).get();
      if (info.tenantId !== cfg.tenantId) throw new Error('tenant lookup mismatch');
      if (state === 'enabled') await onEnabled(change.resourceData.connectorsTicket, change.resourceData.id);
      else if (state === 'disabled') await onDisabled(change.resourceData.connectorsTicket);
    } catch (e) {
      say({ event: 'error', message: String(e && (e.stack || e.message || e)), body: e && e.body });
    }
  });
});

server.listen(0, '127.0.0.1', () => say({ event: 'listening', port: server.address().port }));
// Each stdin line is a JSON object merged into the configuration (the client secret).
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  pending += d;
  let i;
  while ((i = pending.indexOf('\n')) >= 0) {
    Object.assign(cfg, JSON.parse(pending.slice(0, i)));
    pending = pending.slice(i + 1);
    say({ event: 'configured' });
  }
});
process.stdin.on('end', () => server.close());
