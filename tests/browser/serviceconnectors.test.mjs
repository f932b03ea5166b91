// Built-in service connectors in a real browser: GitHub configured through the Connectors
// dialog (form, URL and secret to paste, set-up steps), a signed push event posted with the
// secret read from the page arrives as a card; Alertmanager and GitLab cards; the JSON template
// preview. Screenshots 30-35 show what the cards look like: laid out for a reader (nothing said
// twice, severity colour, one link per item, times as ISO 8601 UTC fact values the client shows
// relative).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { startServer } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json');

const T = { timeout: 40000 };
let server;
let browser;
let page;
let team;
let general;

function example(event, pred) {
  return structuredClone(EXAMPLES.find((e) => e.name === event).examples.find(pred));
}

async function post(url, raw, headers) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: raw, signal: AbortSignal.timeout(10000) });
  return { status: res.status, text: await res.text() };
}

before(async () => {
  server = await startServer();
  browser = await launch();
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Platform' });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  page = await newPage(browser, server);
  await signIn(page, server);
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.live-state[data-state="live"]').waitFor();
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

async function openConnectors() {
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for "General"/ });
  await dlg.waitFor();
  return dlg;
}

test('GitHub through the dialog: form, URL and secret to paste, a signed push becomes a card', T, async () => {
  const dlg = await openConnectors();
  await dlg.getByLabel('Search connectors').fill('github');
  await dlg.getByRole('button', { name: 'Add GitHub' }).click();
  await dlg.getByRole('heading', { name: 'Add GitHub' }).waitFor();
  await dlg.getByLabel(/^Name/).fill('Hello-World repo');
  await dlg.getByLabel('Pushes (commits, with a compare link)').check();
  await dlg.getByLabel('Pull requests (opened, closed, merged, review requested)').check();
  await dlg.getByLabel(/^Branches/).fill('master, release/*');
  await dlg.getByRole('button', { name: 'Create' }).click();
  await dlg.getByRole('heading', { name: 'GitHub: Hello-World repo' }).waitFor();
  const url = await dlg.getByRole('textbox', { name: 'Payload URL' }).inputValue();
  const secret = await dlg.getByRole('textbox', { name: 'Secret', exact: true }).inputValue();
  assert.match(url, /\/connectors\/github\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}$/);
  assert.match(secret, /^[0-9a-f]{40}$/);
  await dlg.getByText(/^Content type: application\/json/).waitFor();
  await shot(page, '30-github-setup');

  const payload = example('push', (e) => e.ref === 'refs/heads/master' && e.commits.length);
  payload.commits[0].message = 'Update README <img src=x onerror=alert(1)>\n\nlonger text';
  const raw = JSON.stringify(payload);
  const bad = await post(url, raw, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': 'sha256=' + '0'.repeat(64) });
  assert.equal(bad.status, 401);
  const sig = 'sha256=' + crypto.createHmac('sha256', secret).update(raw).digest('hex');
  const ok = await post(url, raw, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sig });
  assert.equal(ok.status, 200, ok.text);
  const pr = example('pull_request', (e) => e.action === 'opened');
  const rawPr = JSON.stringify(pr);
  const okPr = await post(url, rawPr, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': 'sha256=' + crypto.createHmac('sha256', secret).update(rawPr).digest('hex') });
  assert.equal(okPr.status, 200, okPr.text);

  // The delivery log in the configuration shows the refusal and the posts.
  await dlg.getByRole('button', { name: /Back to connectors/ }).click();
  await dlg.getByRole('button', { name: 'Manage Hello-World repo' }).click();
  await dlg.locator('table.deliveries td', { hasText: 'X-Hub-Signature-256 does not match' }).waitFor();
  // New URL: the field shows it, the old one is refused.
  await dlg.getByRole('button', { name: 'Replace the URL of Hello-World repo' }).click();
  await dlg.getByText('Replaced: paste the new URL into the service.').waitFor();
  const newUrl = await dlg.getByRole('textbox', { name: 'Payload URL' }).inputValue();
  assert.notEqual(newUrl, url);
  assert.equal((await post(url, raw, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sig })).status, 401);
  await dlg.getByRole('button', { name: 'Close' }).first().click();

  const card = page.locator('.messagecard', { hasText: '1 new commit pushed to master by Codertocat' });
  await card.waitFor();
  await card.getByRole('link', { name: 'View changes' }).waitFor();
  await card.getByRole('link', { name: /^[0-9a-f]{7}$/ }).waitFor();
  // Repository, branch and pusher are in the title: no facts table repeats them, one button.
  assert.equal(await card.locator('.mc-facts').count(), 0);
  assert.equal(await card.locator('.mc-button').count(), 1);
  assert.equal(await page.locator('.messages img[src="x"]').count(), 0, 'payload markup stays text');
  await page.locator('.messagecard', { hasText: 'Pull request #2 opened' }).waitFor();
  await card.scrollIntoViewIfNeeded();
  await shot(page, '31-github-cards');
  assert.deepEqual(page.dialogs, []);
});

test('Alertmanager and GitLab cards', T, async () => {
  const am = await server.api('POST', `/api/v1/channels/${general.id}/serviceConnectors`, { kind: 'alertmanager', name: 'Alertmanager' });
  // Times relative to now, as Alertmanager sends them (nanoseconds, UTC).
  const ago = (min) => new Date(Date.now() - min * 60000).toISOString().replace('Z', '123456Z');
  const alert = (job, status) => ({
    status, labels: { alertname: 'HighLatency', job, severity: 'critical', instance: `${job}-1:9090`, cluster: 'eu-west' },
    annotations: { summary: `p99 latency above 1s on ${job}`, runbook_url: 'https://runbooks.example.com/latency' },
    startsAt: ago(25), endsAt: status === 'resolved' ? ago(2) : '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus.example.com/graph?g0.expr=latency_${job}`, fingerprint: crypto.randomBytes(8).toString('hex'),
  });
  const notify = (status) => ({
    version: '4', groupKey: '{}:{alertname="HighLatency"}', truncatedAlerts: 0, status, receiver: 'switchboard',
    groupLabels: { alertname: 'HighLatency' }, commonLabels: { alertname: 'HighLatency', severity: 'critical', cluster: 'eu-west' },
    commonAnnotations: { runbook_url: 'https://runbooks.example.com/latency' }, externalURL: 'http://alertmanager.example.com:9093',
    alerts: [alert('api', status), alert('web', status)],
  });
  assert.equal((await post(am.url, JSON.stringify(notify('firing')), {})).status, 200);
  assert.equal((await post(am.url, JSON.stringify(notify('resolved')), {})).status, 200);
  const firing = page.locator('.messagecard', { hasText: '[FIRING:2] HighLatency' });
  await firing.waitFor();
  await firing.getByRole('link', { name: 'Silence' }).waitFor();
  await firing.getByRole('link', { name: 'Runbook' }).waitFor();
  // Shared labels once, each alert only what differs, headed by its own summary, one link each.
  const th = (name) => firing.locator('.mc-facts th', { hasText: new RegExp(`^${name}$`) }).count();
  assert.equal(await th('severity'), 1);
  assert.equal(await th('cluster'), 1);
  assert.equal(await th('job'), 2);
  assert.equal(await th('alertname'), 0);
  assert.equal(await th('runbook_url'), 0);
  await firing.locator('.mc-activity-title', { hasText: 'p99 latency above 1s on web' }).waitFor();
  assert.equal(await firing.getByRole('link', { name: 'Source' }).count(), 2);
  await firing.evaluate((el) => el.scrollIntoView({ block: 'start' })); // the colour bar and title in view
  await shot(page, '32-alertmanager-firing');
  const resolved = page.locator('.messagecard', { hasText: '[RESOLVED] HighLatency' });
  await resolved.waitFor();
  assert.equal(await resolved.locator('.mc-facts th', { hasText: /^Lasted$/ }).count(), 2);
  assert.equal(await resolved.getByRole('link', { name: 'Silence' }).count(), 0);
  await resolved.evaluate((el) => el.scrollIntoView({ block: 'start' })); // the colour bar and title in view
  await shot(page, '33-alertmanager-resolved');

  const gl = await server.api('POST', `/api/v1/channels/${general.id}/serviceConnectors`, { kind: 'gitlab', name: 'GitLab' });
  const project = { name: 'Diaspora', path_with_namespace: 'mike/diaspora', web_url: 'http://example.com/mike/diaspora' };
  const mr = {
    object_kind: 'merge_request', user: { name: 'Administrator', username: 'root' }, project,
    object_attributes: { iid: 1, target_branch: 'master', source_branch: 'ms-viewport', title: 'MS-Viewport', description: 'Viewport fix', action: 'merge', url: 'http://example.com/diaspora/merge_requests/1' },
  };
  const pipeline = {
    object_kind: 'pipeline', user: { name: 'Administrator', username: 'root' }, project,
    object_attributes: { id: 31, ref: 'master', tag: false, status: 'failed', duration: 63, finished_at: new Date(Date.now() - 4 * 60000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'), url: 'http://example.com/mike/diaspora/-/pipelines/31' },
    commit: { id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', message: 'fixed readme\n', url: 'http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7' },
    builds: [{ id: 377, stage: 'test', name: 'rspec', status: 'failed' }, { id: 376, stage: 'build', name: 'build-image', status: 'success' }],
  };
  assert.equal((await post(gl.url, JSON.stringify(mr), { 'X-Gitlab-Event': 'Merge Request Hook', 'X-Gitlab-Token': gl.settings.secret })).status, 200);
  assert.equal((await post(gl.url, JSON.stringify(pipeline), { 'X-Gitlab-Event': 'Pipeline Hook', 'X-Gitlab-Token': 'wrong-token-123' })).status, 401);
  assert.equal((await post(gl.url, JSON.stringify(pipeline), { 'X-Gitlab-Event': 'Pipeline Hook', 'X-Gitlab-Token': gl.settings.secret })).status, 200);
  await page.locator('.messagecard', { hasText: 'Merge request !1 merged: MS-Viewport' }).waitFor();
  const failed = page.locator('.messagecard', { hasText: 'Pipeline #31 failed on master' });
  await failed.waitFor();
  await failed.locator('.mc-facts td', { hasText: 'rspec (test)' }).waitFor();
  await failed.getByRole('link', { name: 'da156088' }).waitFor();
  assert.equal(await failed.locator('.mc-button').count(), 1, 'one link: View pipeline');
  await failed.scrollIntoViewIfNeeded();
  await shot(page, '34-gitlab-cards');
  assert.deepEqual(page.dialogs, []);
});

test('JSON template: the preview renders the card from a pasted sample before saving', T, async () => {
  const dlg = await openConnectors();
  await dlg.getByLabel('Search connectors').fill('template');
  await dlg.getByRole('button', { name: 'Add JSON template' }).click();
  await dlg.getByLabel('Title', { exact: true }).fill('{{ .check.name }} is {{ .status }}');
  await dlg.getByLabel(/^Sample payload/).fill('{"status":"failure","check":{"name":"<b>api</b>","url":"https://status.example.com/api"},"host":"web-1"}');
  await dlg.getByRole('button', { name: 'Preview' }).click();
  const preview = dlg.locator('.svc-preview .messagecard', { hasText: '<b>api</b> is failure' });
  await preview.waitFor();
  assert.equal(await dlg.locator('.svc-preview b').count(), 0, 'sample markup stays text');
  await preview.locator('.mc-facts td', { hasText: 'web-1' }).waitFor();
  await dlg.getByLabel(/^Sample payload/).fill('{ not json');
  await dlg.getByRole('button', { name: 'Preview' }).click();
  await dlg.locator('.svc-preview .error', { hasText: 'The sample is not JSON' }).waitFor();
  await dlg.getByLabel(/^Sample payload/).fill('{"status":"failure","check":{"name":"api","url":"https://status.example.com/api"},"host":"web-1"}');
  await dlg.getByRole('button', { name: 'Preview' }).click();
  const good = dlg.locator('.svc-preview .messagecard', { hasText: 'api is failure' });
  await good.waitFor();
  await good.locator('.mc-button', { hasText: 'Open check' }).scrollIntoViewIfNeeded();
  await shot(page, '35-template-preview');
  await dlg.getByRole('button', { name: 'Create' }).click();
  const url = await dlg.getByRole('textbox', { name: 'Webhook URL' }).inputValue();
  assert.equal((await post(url, JSON.stringify({ status: 'resolved', check: { name: 'db', url: 'https://status.example.com/db' }, host: 'db-1' }), {})).status, 200);
  await dlg.getByRole('button', { name: 'Close' }).first().click();
  await page.locator('.messagecard', { hasText: 'db is resolved' }).waitFor();
  // Resource loads answered 401/404 (the session check before sign-in, the favicon) are not script errors.
  assert.deepEqual(page.errors.filter((e) => !e.startsWith('console: Failed to load resource')), []);
});

test('phone width 375: the Alertmanager form and its set-up page fit the screen and work from the keyboard', T, async () => {
  const phone = await newPage(browser, server, { viewport: { width: 375, height: 740 } });
  await signIn(phone, server);
  await phone.goto(`/t/${team.id}/c/${general.id}`);
  await phone.getByRole('button', { name: /More options for General/ }).click();
  await phone.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = phone.getByRole('dialog', { name: /Connectors for "General"/ });
  await dlg.getByLabel('Search connectors').fill('alert');
  await dlg.getByRole('button', { name: 'Add Prometheus Alertmanager' }).click();
  const name = dlg.getByLabel(/^Name/);
  await name.waitFor();
  assert.equal(await name.evaluate((el) => el === document.activeElement), true, 'the name field has focus');
  await name.fill('Alerts (phone)');
  await phone.keyboard.press('Enter');
  await dlg.getByRole('heading', { name: 'Prometheus Alertmanager: Alerts (phone)' }).waitFor();
  await dlg.locator('.svc-code', { hasText: 'webhook_configs' }).waitFor();
  const url = await dlg.getByRole('textbox', { name: 'Webhook URL' }).inputValue();
  assert.ok((await dlg.locator('.svc-code').textContent()).includes(url), 'the YAML names the URL');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 375, `no horizontal scroll (${overflow})`);
  const box = await dlg.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `dialog fits (${box.x}+${box.width})`);
  await shot(phone, '36-phone-alertmanager-setup');
  await phone.context().close();
});
