// Webhook URLs as the clients that post to them see them (contract section 5, issue 17):
//
// 1. Every form the server hands out (`url`, the unsigned forms derived from it, `workflowUrl`)
//    matches the regular expressions that notification libraries, CI plugins and secret
//    scanners check Teams URLs with (quoted below, each with where it comes from), and a post to
//    each reaches the channel.
// 2. The real `ms-teams-webhook` client (npm) sends a MessageCard, an Adaptive Card and text to
//    the signed and both unsigned forms; `unsignedWebhookUrlsAccepted: false` refuses the
//    unsigned forms (410) and leaves the signed one working.
// 3. Clients that hard-code Microsoft's hosts: over https, with a throwaway "organisation CA"
//    made here with openssl and a server certificate for `contoso.webhook.office.com`,
//    `outlook.office.com`, `*.webhook.office.com`, a Logic Apps name and 127.0.0.1, a Node
//    client whose only trust is that CA and whose resolver maps those names to 127.0.0.1 (what a
//    hosts file or an internal DNS zone does) posts to the paths the server handed out on
//    Microsoft's host names, and the message reaches the channel. A wrong CA and a name outside
//    the certificate are refused by the client. docs/migrating-clients.md describes the setup.
// 4. `@microsoft/microsoft-graph-client` against an unknown path under /v1.0 rejects with a
//    GraphError 404 (the server runs with --web-root, whose HTML used to answer such paths).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { IncomingWebhook } from 'ms-teams-webhook';

import { startServer, tempDir, api, REPO_ROOT } from './lib/server.mjs';
import {
  expectStatus, expectCollection, createTeam, createChannel, generalChannel, messagesPath, uniqueName,
} from './lib/graph.mjs';
import {
  createWebhook, postTo, expectAccepted, expectWorkflowAccepted, messageCard, cardOf, ADAPTIVE_TYPE,
} from './lib/webhooks.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB_ROOT = path.join(REPO_ROOT, 'web', 'dist');
const G = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

// The Microsoft origins that clients hard-code or check for, by URL family.
const MS = {
  connector: 'https://contoso.webhook.office.com', // 2021 on: {tenant-name}.webhook.office.com
  legacy: 'https://outlook.office.com', // before 2021: /webhook/ on outlook.office.com
  workflow: 'https://prod-00.westeurope.logic.azure.com:443', // Workflows (Logic Apps) trigger
};

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// The same URL on another origin (path and query unchanged).
function onOrigin(url, origin) {
  const u = new URL(url);
  return origin + u.pathname + u.search;
}

// The forms of one webhook: what the server hands out and what clients derive from it.
function urlForms(hook) {
  const m = hook.url.match(new RegExp(`^(.*/webhookb2/${G}@${G}/IncomingWebhook/([^/]+)/${G})/V2[A-Za-z0-9_-]+$`));
  assert.ok(m, `url is not the signed /webhookb2/.../V2{sig} form: ${hook.url}`);
  const unsignedB2 = m[1];
  const wf = new URL(hook.workflowUrl);
  return {
    key: m[2],
    signed: hook.url,
    unsignedB2, // the /V2{sig} segment dropped (contract section 5)
    unsignedLegacy: unsignedB2.replace('/webhookb2/', '/webhook/'), // the pre-2021 path
    workflow: hook.workflowUrl,
    powerAutomate: `${wf.origin}/powerautomate/automations/direct${wf.pathname}${wf.search}`,
  };
}

// The URL with its key replaced by the webhook's configuration id: the shape the server handed
// out before issue 17 (a dashed GUID in the key slot). Each key-checking pattern must refuse it,
// so that a pattern test cannot pass whatever the key looks like.
function withDashedKey(url, forms, hook) {
  const out = url.replace(`/IncomingWebhook/${forms.key}/`, `/IncomingWebhook/${hook.id}/`);
  assert.notEqual(out, url);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The patterns. `on`: the origin a client using the pattern posts to (MS.*), or 'base' for the
// server's own base URL. `forms`: the URL forms the pattern is meant for. `whole`: the pattern
// must match the whole URL (validators); otherwise (secret scanners) its match must start at the
// beginning and cover the URL up to the creator id, the part that holds the key.

// /work/shared/spec/webhooks.md ("URL shapes clients accept"), verbatim; the test puts the
// server's base where the host part is.
const SPEC_PATTERN = 'https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/[0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}(/V2[A-Za-z0-9_-]+)?';
const SPEC_HOST = 'https://[a-z0-9-]+\\.webhook\\.office\\.com';

function specPatternOn(base, legacy) {
  assert.ok(SPEC_PATTERN.startsWith(SPEC_HOST));
  let p = escapeRe(base) + SPEC_PATTERN.slice(SPEC_HOST.length);
  // The spec's legacy shape (/webhook/, no signature segment), same segments.
  if (legacy) p = p.replace('/webhookb2/', '/webhook/').replace('(/V2[A-Za-z0-9_-]+)?', '');
  return new RegExp(`^${p}$`);
}

const PATTERNS = [
  {
    name: 'gitleaks rule microsoft-teams-webhook',
    // gitleaks/gitleaks config/gitleaks.toml (generated from cmd/generate/config/rules/teams.go)
    re: /https:\/\/[a-z0-9]+\.webhook\.office\.com\/webhookb2\/[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}@[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}\/IncomingWebhook\/[a-z0-9]{32}\/[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}/,
    on: 'connector',
    forms: ['signed', 'unsignedB2'],
  },
  {
    name: 'trufflehog detector MicrosoftTeamsWebhook v1',
    // trufflesecurity/trufflehog pkg/detectors/microsoftteamswebhook/v1/microsoftteamswebhook.go keyPat
    re: /(https:\/\/[a-zA-Z-0-9]+\.webhook\.office\.com\/webhookb2\/[a-zA-Z-0-9]{8}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{12}@[a-zA-Z-0-9]{8}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{12}\/IncomingWebhook\/[a-zA-Z-0-9]{32}\/[a-zA-Z-0-9]{8}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{4}-[a-zA-Z-0-9]{12})/,
    on: 'connector',
    forms: ['signed', 'unsignedB2'],
  },
  {
    name: 'Nosey Parker rule np.msteams.1',
    // praetorian-inc/noseyparker crates/noseyparker/data/default/builtin/rules/microsoft_teams.yml
    // ((?x)(?i) pattern, whitespace removed)
    re: /(https:\/\/outlook\.office\.com\/webhook\/[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}@[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}\/IncomingWebhook\/[a-f0-9]{32}\/[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})/i,
    on: 'legacy',
    forms: ['unsignedLegacy'],
  },
  {
    name: 'go-teams-notify webhookURLRegex (the full shape it documents)',
    // atc0005/go-teams-notify send.go, the commented-out webhookURLRegex next to
    // DefaultWebhookURLValidationPattern
    re: /^https:\/\/(?:.*\.webhook|outlook)\.office(?:365)?\.com\/webhook(?:b2)?\/[-a-zA-Z0-9]{36}@[-a-zA-Z0-9]{36}\/IncomingWebhook\/[-a-zA-Z0-9]{32}\/[-a-zA-Z0-9]{36}$/,
    on: 'connector',
    forms: ['unsignedB2', 'unsignedLegacy'],
    whole: true,
  },
  {
    name: 'apprise 1.2 (Debian) NotifyMSTeams.parse_native_url + token_b',
    // caronc/apprise v1.2.0 apprise/plugins/NotifyMSTeams.py: parse_native_url, then the key
    // (token_b) must match ^[a-z0-9]+$ (case-insensitive); it rebuilds the URL on Microsoft's host.
    re: /^https?:\/\/(?<team>[^.]+)(?<v2a>\.webhook)?\.office\.com\/webhook(?<v2b>b2)?\/(?<token_a>[A-Z0-9-]+@[A-Z0-9-]+)\/IncomingWebhook\/(?<token_b>[A-Z0-9]+)\/(?<token_c>[A-Z0-9-]+)\/?(?<params>\?.+)?$/i,
    token: { group: 'token_b', re: /^[a-z0-9]+$/i },
    on: 'connector',
    forms: ['unsignedB2'],
    whole: true,
  },
  {
    name: 'apprise 1.2 (Debian) NotifyMSTeams.parse_native_url, legacy host',
    re: /^https?:\/\/(?<team>[^.]+)(?<v2a>\.webhook)?\.office\.com\/webhook(?<v2b>b2)?\/(?<token_a>[A-Z0-9-]+@[A-Z0-9-]+)\/IncomingWebhook\/(?<token_b>[A-Z0-9]+)\/(?<token_c>[A-Z0-9-]+)\/?(?<params>\?.+)?$/i,
    token: { group: 'token_b', re: /^[a-z0-9]+$/i },
    on: 'legacy',
    forms: ['unsignedLegacy'],
    whole: true,
  },
  {
    name: 'apprise msteams (later, 4 tokens) parse_native_url + token_d',
    // caronc/apprise apprise/plugins/msteams.py before c3e67e61 (msteams:// retired, 2026-05)
    re: /^https?:\/\/(?<team>[^.]+)(?<v2a>\.webhook)?\.office\.com\/webhook(?<v2b>b2)?\/(?<token_a>[A-Z0-9-]+@[A-Z0-9-]+)\/IncomingWebhook\/(?<token_b>[A-Z0-9]+)\/(?<token_c>[A-Z0-9-]+)\/(?<token_d>V2[A-Z0-9-_]+)\/?(?<params>\?.+)?$/i,
    token: { group: 'token_d', re: /^V2[a-zA-Z0-9-_]+$/i },
    on: 'connector',
    forms: ['signed'],
    whole: true,
  },
  {
    name: 'prometheus-msteams validWebhookPatternO365 (--validate-webhook-url)',
    // prometheus-msteams/prometheus-msteams cmd/server/main.go, matched against the URL without
    // "https://". Its signature group [a-zA-Z0-9\-]+ has no "_": V2 signatures are base62 for it
    // (a base64url one would carry "_" about every other time).
    re: /^[a-z0-9]+\.webhook\.office\.com\/webhookb2\/[a-z0-9-]+@[a-z0-9-]+\/IncomingWebhook\/[a-z0-9]+\/[a-z0-9-]+(\/[a-zA-Z0-9-]+)?$/,
    strip: 'https://',
    on: 'connector',
    forms: ['signed', 'unsignedB2'],
    whole: true,
  },
];

// Patterns that check only the host (no key): the server's own base must fail them, which is why
// such clients need the hosts entry and the organisation's CA.
const HOST_PATTERNS = [
  {
    name: 'go-teams-notify DefaultWebhookURLValidationPattern',
    // atc0005/go-teams-notify send.go (v2.x): a prefix check
    re: /^https:\/\/(?:.*\.webhook|outlook)\.office(?:365)?\.com/,
    cases: [['connector', 'signed'], ['connector', 'unsignedB2'], ['legacy', 'unsignedLegacy']],
  },
  {
    name: 'go-teams-notify WorkflowURLBaseDomain',
    // atc0005/go-teams-notify send.go (v2.11+): Workflows URLs
    re: /^https:\/\/(?:.*)(:?\.azure-api|logic\.azure|api\.powerplatform)\.(?:com|net)/,
    cases: [['workflow', 'workflow']],
  },
];

// apprise's workflows plugin takes any host (its URL is rebuilt on that host over https).
// caronc/apprise apprise/plugins/workflows.py parse_native_url, then workflow ^[A-Z0-9_-]+$ (i)
// and signature ^[a-z0-9_-]+$ (i).
const APPRISE_WORKFLOWS = /^https?:\/\/(?<host>[A-Z0-9_.-]+)(?<port>:[1-9][0-9]{0,5})?(?<power_automate>\/powerautomate\/automations\/direct(?:\/cu\/(?<routing_id>[0-9]+))?)?\/workflows\/(?<workflow>[A-Z0-9_-]+)\/triggers\/manual\/paths\/invoke\/?(?<params>\?.+)$/i;

function checkPattern(p, url, unsignedPart) {
  const subject = p.strip ? url.slice(p.strip.length) : url;
  if (p.strip) assert.ok(url.startsWith(p.strip), `${url} does not start with ${p.strip}`);
  const m = subject.match(p.re);
  if (!m) return `no match`;
  if (p.whole) {
    if (m[0] !== subject) return `matches only ${m[0]}`;
  } else {
    if (m.index !== 0) return `match starts at ${m.index}`;
    const want = p.strip ? unsignedPart.slice(p.strip.length) : unsignedPart;
    if (m[0] !== want) return `matches ${m[0]}, not the key-bearing part ${want}`;
  }
  if (p.token && !p.token.re.test(m.groups[p.token.group])) return `${p.token.group} ${m.groups[p.token.group]} fails ${p.token.re}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// The plain-http server: URL forms, posting, ms-teams-webhook, the organisation setting.

let srv;
let owner; // api() of the admin (the bearer token of SWITCHBOARD_ADMIN_TOKEN)
let team;

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0', '--web-root', WEB_ROOT] });
  owner = api(srv, srv.adminToken);
  team = await createTeam(owner, uniqueName('Webhook URLs'));
});

after(async () => {
  if (srv) await srv.close();
});

// A webhook on a channel of its own: {channel, hook, forms}.
async function freshHook(label) {
  const channel = await createChannel(owner, team.id, uniqueName(label));
  const hook = await createWebhook(owner, channel.id, { name: uniqueName(label) });
  return { channel, hook, forms: urlForms(hook) };
}

async function newest(call, channel, teamId = team.id) {
  const value = expectCollection(await call('GET', `${messagesPath(teamId, channel.id)}?$top=1`));
  assert.ok(value.length > 0, `channel ${channel.id} has no messages`);
  return value[0];
}

// The id of the channel's newest message, null when it has none.
async function newestId(call, channel, teamId = team.id) {
  const value = expectCollection(await call('GET', `${messagesPath(teamId, channel.id)}?$top=1`));
  return value.length ? value[0].id : null;
}

// The channel's newest message is the MessageCard with `text`.
async function expectCardText(call, channel, text, teamId = team.id) {
  const value = expectCollection(await call('GET', `${messagesPath(teamId, channel.id)}?$top=1`));
  assert.ok(value.length > 0, `channel ${channel.id} has no messages`);
  assert.equal(cardOf(value[0]).text, text, `newest message of the channel: ${JSON.stringify(value[0])}`);
}

describe('every URL form matches the patterns Teams URLs are checked with, and reaches the channel', () => {
  let channel;
  let hook;
  let forms;

  before(async () => {
    ({ channel, hook, forms } = await freshHook('Forms'));
  });

  test('url is the signed form with a 32-lowercase-hex key that is not the configuration id', () => {
    assert.match(forms.key, /^[0-9a-f]{32}$/, `key in ${hook.url}`);
    assert.notEqual(forms.key, hook.id.replace(/-/g, ''));
    assert.ok(hook.url.startsWith(srv.url + '/webhookb2/'), hook.url);
    assert.match(hook.workflowUrl, new RegExp(`^${escapeRe(srv.url)}/workflows/[^/?]+/triggers/manual/paths/invoke\\?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1\\.0&sig=[A-Za-z0-9_-]+$`));
  });

  test('spec/webhooks.md pattern (host part = the server\'s base): signed and both unsigned forms', () => {
    const b2 = specPatternOn(srv.url, false);
    const legacy = specPatternOn(srv.url, true);
    assert.match(forms.signed, b2);
    assert.match(forms.unsignedB2, b2);
    assert.match(forms.unsignedLegacy, legacy);
    assert.doesNotMatch(withDashedKey(forms.signed, forms, hook), b2);
    assert.doesNotMatch(withDashedKey(forms.unsignedLegacy, forms, hook), legacy);
  });

  for (const p of PATTERNS) {
    test(`${p.name}: ${p.forms.join(', ')} on ${MS[p.on]}`, () => {
      for (const form of p.forms) {
        const url = onOrigin(forms[form], MS[p.on]);
        const unsignedPart = onOrigin(form === 'unsignedLegacy' ? forms.unsignedLegacy : forms.unsignedB2, MS[p.on]);
        const why = checkPattern(p, url, unsignedPart);
        assert.equal(why, null, `${form} ${url}: ${why}\npattern ${p.re}`);
        const dashed = withDashedKey(url, forms, hook);
        assert.notEqual(checkPattern(p, dashed, withDashedKey(unsignedPart, forms, hook)), null,
          `${p.name} should refuse a dashed GUID in the key slot: ${dashed}`);
      }
    });
  }

  for (const p of HOST_PATTERNS) {
    test(`${p.name}: Microsoft's host passes, the server's own base does not`, () => {
      for (const [on, form] of p.cases) {
        assert.match(onOrigin(forms[form], MS[on]), p.re, `${form} on ${MS[on]}`);
        assert.doesNotMatch(forms[form], p.re, `${form} as handed out (${forms[form]})`);
      }
    });
  }

  test('apprise workflows plugin: workflowUrl and its /powerautomate/ form as handed out, and on a Logic Apps host', () => {
    for (const url of [forms.workflow, forms.powerAutomate, onOrigin(forms.workflow, MS.workflow)]) {
      const m = url.match(APPRISE_WORKFLOWS);
      assert.ok(m, `apprise workflows does not take ${url}`);
      assert.match(m.groups.workflow, /^[A-Z0-9_-]+$/i);
      const sig = new URLSearchParams(m.groups.params).get('sig');
      assert.match(sig, /^[a-z0-9_-]+$/i, `sig of ${url}`);
    }
    assert.equal(forms.powerAutomate.match(APPRISE_WORKFLOWS).groups.power_automate, '/powerautomate/automations/direct');
  });

  for (const form of ['signed', 'unsignedB2', 'unsignedLegacy']) {
    test(`a MessageCard posted to the ${form} form -> 200 "1", and it reaches the channel`, async () => {
      const text = uniqueName(`posted to ${form}`);
      expectAccepted(await postTo(forms[form], messageCard(text)), form);
      await expectCardText(owner, channel, text);
    });
  }

  for (const form of ['workflow', 'powerAutomate']) {
    test(`a MessageCard posted to the ${form} form -> 202, and it reaches the channel`, async () => {
      const text = uniqueName(`posted to ${form}`);
      expectWorkflowAccepted(await postTo(forms[form], messageCard(text)), form);
      await expectCardText(owner, channel, text);
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('ms-teams-webhook (npm) on the signed and unsigned forms', () => {
  let channel;
  let forms;

  before(async () => {
    ({ channel, forms } = await freshHook('ms-teams-webhook'));
  });

  for (const form of ['signed', 'unsignedB2', 'unsignedLegacy']) {
    test(`${form}: send(MessageCard) resolves with 1; the card reaches the channel`, async () => {
      const text = uniqueName(`client ${form}`);
      const result = await new IncomingWebhook(forms[form]).send(messageCard(text));
      assert.equal(result, 1, `send() should resolve with the parsed body 1, got ${JSON.stringify(result)}`);
      await expectCardText(owner, channel, text);
    });

    test(`${form}: sendAdaptiveCard(template, data) -> 200, data 1; the expanded card reaches the channel`, async () => {
      const label = uniqueName(`adaptive ${form}`);
      const res = await new IncomingWebhook(forms[form]).sendAdaptiveCard(
        { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: '${label}', wrap: true }] },
        { label },
      );
      assert.equal(res.status, 200);
      assert.equal(res.data, 1);
      const m = await newest(owner, channel);
      assert.equal(m.attachments[0].contentType, ADAPTIVE_TYPE);
      assert.equal(cardOf(m).body[0].text, label);
    });

    test(`${form}: sendText (a text/plain body) -> 200, data 1; the text reaches the channel`, async () => {
      const text = uniqueName(`text ${form}`);
      const res = await new IncomingWebhook(forms[form]).sendText(text);
      assert.equal(res.status, 200);
      assert.equal(res.data, 1);
      await expectCardText(owner, channel, text);
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('unsignedWebhookUrlsAccepted', () => {
  let channel;
  let forms;

  before(async () => {
    ({ channel, forms } = await freshHook('Unsigned setting'));
  });

  after(async () => {
    await owner('PATCH', '/api/v1/admin/organization', { unsignedWebhookUrlsAccepted: null });
  });

  test('is true by default; false: the unsigned forms answer 410 to ms-teams-webhook and store nothing, the signed form still works; true again: they work', async () => {
    const org = expectStatus(await owner('GET', '/api/v1/admin/organization'), 200).body;
    assert.equal(org.unsignedWebhookUrlsAccepted, true, JSON.stringify(org));

    expectStatus(await owner('PATCH', '/api/v1/admin/organization', { unsignedWebhookUrlsAccepted: false }), [200, 204]);
    const before = await newestId(owner, channel);
    for (const form of ['unsignedB2', 'unsignedLegacy']) {
      await assert.rejects(new IncomingWebhook(forms[form]).send(messageCard(uniqueName('refused'))), (err) => {
        assert.equal(err.response && err.response.status, 410, `${form}: ${err.stack}`);
        return true;
      });
    }
    assert.equal(await newestId(owner, channel), before, 'a refused post must store nothing');
    const text = uniqueName('signed while unsigned are off');
    assert.equal(await new IncomingWebhook(forms.signed).send(messageCard(text)), 1);
    await expectCardText(owner, channel, text);

    expectStatus(await owner('PATCH', '/api/v1/admin/organization', { unsignedWebhookUrlsAccepted: true }), [200, 204]);
    for (const form of ['unsignedB2', 'unsignedLegacy']) {
      const t = uniqueName(`${form} back on`);
      assert.equal(await new IncomingWebhook(forms[form]).send(messageCard(t)), 1, form);
      await expectCardText(owner, channel, t);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Over https: the organisation's CA, Microsoft's host names resolved to the server.

function openssl(args) {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

// A CA certificate and key, as an organisation's internal CA would have.
function makeCa(dir, name) {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  openssl([
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', key, '-out', cert,
    '-subj', `/O=Test Organisation/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { key, cert };
}

// A server certificate for `names` (DNS names and IP addresses) signed by `ca`.
function makeServerCert(dir, ca, names) {
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.pem');
  const ext = path.join(dir, 'server.ext');
  const san = names.map((n) => (/^[0-9.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  fs.writeFileSync(ext, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${san}`,
  ].join('\n') + '\n');
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=switchboard']);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', '0x' + Date.now().toString(16),
    '-days', '2', '-extfile', ext, '-out', cert]);
  return { key, cert };
}

// A resolver that answers as a hosts file with these names -> 127.0.0.1 would (and nothing
// else), in the shape net.connect's `lookup` option takes.
function hostsFile(names) {
  const known = new Set(names.map((n) => n.toLowerCase()));
  return (hostname, options, cb) => {
    if (typeof options === 'function') [options, cb] = [{}, options];
    if (!known.has(hostname.toLowerCase())) {
      const err = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      process.nextTick(cb, err);
    } else if (options && options.all) {
      process.nextTick(cb, null, [{ address: '127.0.0.1', family: 4 }]);
    } else {
      process.nextTick(cb, null, '127.0.0.1', 4);
    }
  };
}

// One request with node:https; `ca` is the only trust, `lookup` the resolver. Resolves with
// {status, headers, text, body, contentType, method, url} (the shape of lib/server.mjs api()).
function httpsRequest(method, url, { ca, lookup, headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    let payload;
    const h = { Accept: 'application/json', ...headers };
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      if (!h['Content-Type']) h['Content-Type'] = 'application/json';
      h['Content-Length'] = Buffer.byteLength(payload);
    }
    const req = https.request(url, { method, headers: h, ca, lookup, agent: false, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = res.headers['content-type'] || '';
        let parsed = text;
        if (/json/i.test(contentType) && text) {
          try { parsed = JSON.parse(text); } catch { parsed = text; }
        }
        resolve({ status: res.statusCode, headers: res.headers, text, body: parsed, contentType, method, url });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// lib/sdk-worker.mjs in a child process that trusts `caFile` (NODE_EXTRA_CA_CERTS is read at
// process start only). send(op, args) resolves with the worker's {ok, result | error}.
function startSdkWorker(caFile) {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: caFile };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [path.join(HERE, 'lib', 'sdk-worker.mjs')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map();
  let nextId = 1;
  let stderr = '';
  child.stdin.on('error', () => {}); // a dead worker is reported through `exited`
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; });
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    let msg;
    try { msg = JSON.parse(line); } catch { return; }
    const p = pending.get(msg.id);
    if (p) {
      pending.delete(msg.id);
      p.resolve(msg);
    }
  });
  const exited = new Promise((resolve) => child.on('close', (code) => {
    for (const p of pending.values()) p.reject(new Error(`SDK worker exited (${code}):\n${stderr}`));
    pending.clear();
    resolve(code);
  }));
  return {
    send(op, args = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.stdin.write(JSON.stringify({ id, op, ...args }) + '\n');
      });
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

describe('over https with the organisation\'s CA, Microsoft\'s host names resolved to Switchboard', () => {
  const NAMES = ['contoso.webhook.office.com', 'outlook.office.com', '*.webhook.office.com', 'prod-00.westeurope.logic.azure.com', '127.0.0.1'];
  // The hosts-file entries: every name the clients below use, wildcard ones spelled out.
  const HOSTS = ['contoso.webhook.office.com', 'fabrikam.webhook.office.com', 'outlook.office.com', 'prod-00.westeurope.logic.azure.com', 'switchboard.example.net'];
  let dir;
  let tls;
  let caPem;
  let wrongCaPem;
  let call; // api()-shaped caller over https as the admin
  let port;
  let channel;
  let hook;
  let forms;
  let teamId;
  let sdk;
  const lookup = hostsFile(HOSTS);

  // The path the server handed out, on Microsoft's host name and the server's port.
  const onMs = (url, host) => `https://${host}:${port}${new URL(url).pathname}${new URL(url).search}`;

  before(async () => {
    dir = tempDir('sb-e2e-orgca-');
    const ca = makeCa(dir, 'Test Organisation CA');
    const wrong = makeCa(dir, 'Some Other CA');
    const cert = makeServerCert(dir, ca, NAMES);
    caPem = fs.readFileSync(ca.cert, 'utf8');
    wrongCaPem = fs.readFileSync(wrong.cert, 'utf8');
    tls = await startServer({ args: ['--tls-cert', cert.cert, '--tls-key', cert.key, '--web-root', WEB_ROOT, '--webhook-rate-limit', '0'] });
    assert.match(tls.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    port = new URL(tls.url).port;
    call = (method, p, body) => httpsRequest(method, /^https:/.test(p) ? p : tls.url + p, {
      ca: caPem, headers: { Authorization: `Bearer ${tls.adminToken}` }, body,
    });
    const t = await createTeam(call, uniqueName('Org CA'));
    teamId = t.id;
    channel = await generalChannel(call, teamId);
    hook = await createWebhook(call, channel.id, { name: uniqueName('Org CA hook') });
    forms = urlForms(hook);
    sdk = startSdkWorker(ca.cert);
    const init = await sdk.send('init', { baseUrl: tls.url + '/', token: tls.adminToken, customHosts: ['127.0.0.1'] });
    assert.ok(init.ok, JSON.stringify(init));
  });

  after(async () => {
    try {
      if (sdk) await sdk.close();
    } finally {
      if (tls) await tls.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const expectChannelText = (text) => expectCardText(call, channel, text, teamId);

  const cases = [
    ['signed url on https://contoso.webhook.office.com', 'signed', 'contoso.webhook.office.com', 200],
    ['unsigned /webhookb2/ on https://fabrikam.webhook.office.com (the wildcard name)', 'unsignedB2', 'fabrikam.webhook.office.com', 200],
    ['unsigned /webhook/ on https://outlook.office.com', 'unsignedLegacy', 'outlook.office.com', 200],
    ['workflowUrl on https://prod-00.westeurope.logic.azure.com', 'workflow', 'prod-00.westeurope.logic.azure.com', 202],
  ];
  for (const [what, form, host, status] of cases) {
    test(`${what}: trusted through the CA alone, the message reaches the channel`, async () => {
      const text = uniqueName(`https ${form}`);
      const url = onMs(forms[form], host);
      const r = await httpsRequest('POST', url, { ca: caPem, lookup, body: messageCard(text) });
      assert.equal(r.status, status, `POST ${url} -> ${r.status} ${r.text}`);
      if (status === 200) assert.equal(r.text, '1');
      await expectChannelText(text);
    });
  }

  test('ms-teams-webhook with an https agent (the CA, the hosts-style resolver) on contoso.webhook.office.com resolves with 1', async () => {
    const text = uniqueName('client over https');
    const client = new IncomingWebhook(onMs(forms.signed, 'contoso.webhook.office.com'));
    client.axios.defaults.httpsAgent = new https.Agent({ ca: caPem, lookup });
    assert.equal(await client.send(messageCard(text)), 1);
    await expectChannelText(text);
  });

  test('a client trusting another CA refuses the server, and nothing is stored', async () => {
    const before = await newestId(call, channel, teamId);
    await assert.rejects(
      httpsRequest('POST', onMs(forms.signed, 'contoso.webhook.office.com'), { ca: wrongCaPem, lookup, body: messageCard('never') }),
      (err) => {
        assert.match(String(err.code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_SIGNATURE_FAILURE/, err.stack);
        return true;
      },
    );
    assert.equal(await newestId(call, channel, teamId), before);
  });

  test('a name outside the certificate is refused by the client (hostname check)', async () => {
    await assert.rejects(
      httpsRequest('POST', onMs(forms.signed, 'switchboard.example.net'), { ca: caPem, lookup, body: messageCard('never') }),
      (err) => {
        assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID', err.stack);
        return true;
      },
    );
  });

  test('Graph SDK: a known path resolves (control)', async () => {
    const r = await sdk.send('call', { path: '/me' });
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.result.userPrincipalName, 'admin');
  });

  for (const [method, p] of [['get', '/noSuchResource'], ['get', '/me/noSuchThing'], ['post', '/noSuchResource']]) {
    test(`Graph SDK: ${method.toUpperCase()} ${p} (unknown under /v1.0) rejects with a GraphError 404`, async () => {
      const r = await sdk.send('call', { path: p, method, body: method === 'post' ? { x: 1 } : undefined });
      assert.equal(r.ok, false, `the SDK resolved with ${JSON.stringify(r.result)}`);
      // GraphError (v3.0.7) keeps Error's name; it is the error with statusCode, code and body
      // (the server's error object as JSON text), which lib/sdk-worker.mjs passes on.
      assert.equal(r.error.statusCode, 404, JSON.stringify(r.error));
      assert.equal(r.error.code, 'NotFound', JSON.stringify(r.error));
      assert.equal(JSON.parse(r.error.body).code, 'NotFound', JSON.stringify(r.error));
    });
  }
});
