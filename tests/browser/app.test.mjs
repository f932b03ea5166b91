// The main flow in a real browser: sign in, create a team, create an Incoming Webhook through the
// connectors dialog, post cards to it and see them rendered live, hostile payloads stay text,
// keyboard use of the dialog, the delivery log, rename and removal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postWebhook } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

const T = { timeout: 30000 };
let server;
let browser;
let page;
let webhookUrl;
let teamName;

// 1x1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await newPage(browser, server);
}, { timeout: 30000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

test('a wrong password shows the server\'s error, the right one signs in', T, async () => {
  await page.goto('/');
  await page.getByLabel('User name').fill(server.adminName);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const err = page.locator('#signin-error');
  await err.waitFor({ state: 'visible' });
  assert.match(await err.textContent(), /do not match/);
  await shot(page, '01-signin-error');
  await signIn(page, server);
  assert.equal(await page.locator('.live-state').getAttribute('role'), 'status');
});

test('create a team through the UI; its General channel opens', T, async () => {
  teamName = 'Ops ' + Date.now().toString(36);
  await page.getByRole('button', { name: '+ New team' }).click();
  const dlg = page.getByRole('dialog', { name: 'Create a team' });
  await dlg.getByLabel('Team name').fill(teamName);
  await dlg.getByRole('button', { name: 'Create' }).click();
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
  await page.locator('.team-label', { hasText: teamName }).waitFor();
  assert.equal(await page.locator('.channel-link[aria-current="page"]').textContent(), 'General');
});

test('Tab reaches the composer; a text message is sent and shown as text', T, async () => {
  await page.locator('body').click({ position: { x: 5, y: 5 } }).catch(() => {});
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'composer');
  }
  assert.ok(reached, 'Tab never reached the composer');
  await page.keyboard.type('Hello <b>team</b> <img src=x onerror=alert(1)>');
  await page.keyboard.press('Enter');
  const msg = page.locator('.message .text', { hasText: 'Hello <b>team</b>' });
  await msg.waitFor();
  assert.equal(await page.locator('.messages img[src="x"]').count(), 0);
  assert.equal(await page.locator('.messages b').count(), 0);
});

test('the connectors dialog: opens from the ... menu, traps focus, Escape closes it', T, async () => {
  const more = page.getByRole('button', { name: /More options for General/ });
  await more.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('menuitem', { name: 'Connectors' }).waitFor();
  await page.keyboard.press('Enter');
  const dlg = page.getByRole('dialog', { name: /Connectors for "General"/ });
  await dlg.waitFor();
  await dlg.getByText('No connectors are configured for this channel yet.').waitFor();
  await dlg.getByText(/No custom connectors have been uploaded/).waitFor();
  // Focus is inside the dialog and stays there however often Tab or Shift+Tab is pressed.
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('dialog[open]')), `Tab ${i} left the dialog`);
  }
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Shift+Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('dialog[open]')), `Shift+Tab ${i} left the dialog`);
  }
  // Search filters the All section.
  await dlg.getByLabel('Search connectors').fill('zzz-nothing');
  await dlg.getByText('No connectors match "zzz-nothing".').waitFor();
  // Retired connectors are listed from the server's catalog but cannot be added.
  await dlg.getByLabel('Search connectors').fill('zendesk');
  await dlg.locator('li.conn-item.retired', { hasText: 'Zendesk' }).waitFor();
  assert.equal(await dlg.getByRole('button', { name: 'Add Zendesk' }).count(), 0);
  await dlg.getByLabel('Search connectors').fill('webhook');
  await dlg.getByRole('button', { name: 'Add Incoming Webhook' }).waitFor();
  await shot(page, '02-connectors-dialog');
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'More options for General');
});

test('create an Incoming Webhook with an image through the dialog and read its URL', T, async () => {
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for/ });
  await dlg.getByRole('button', { name: 'Add Incoming Webhook' }).click();
  await dlg.getByLabel('Name').fill('Build bot');
  await dlg.getByLabel(/Image/).setInputFiles({ name: 'bot.png', mimeType: 'image/png', buffer: PNG });
  await dlg.locator('.image-preview img').waitFor();
  await dlg.getByRole('button', { name: 'Create' }).click();
  const urlField = dlg.getByLabel('Webhook URL');
  await urlField.waitFor();
  webhookUrl = await urlField.inputValue();
  assert.match(webhookUrl, /^http:\/\/127\.0\.0\.1:\d+\/webhookb2\/.+\/IncomingWebhook\//);
  await dlg.getByRole('button', { name: 'Copy' }).first().click();
  await dlg.getByText('Copied').waitFor();
  await shot(page, '03-webhook-created');
  await dlg.getByRole('button', { name: 'Done' }).click();
  await dlg.locator('.conn-name', { hasText: 'Build bot' }).waitFor();
  await dlg.getByRole('button', { name: 'Close' }).first().click();
  await dlg.waitFor({ state: 'detached' });
});

test('a MessageCard posted to the webhook appears live, rendered as Teams shows it', T, async () => {
  const card = {
    '@type': 'MessageCard', '@context': 'https://schema.org/extensions',
    summary: 'Deploy finished', themeColor: '0076D7', title: 'Deployment **succeeded**',
    text: 'Release *1.2.3* went out. See [the log](https://example.com/log).',
    sections: [{
      activityTitle: 'Pipeline main', activitySubtitle: 'on build-agent-7', activityImage: 'https://example.com/a.png',
      facts: [{ name: 'Environment', value: 'production' }, { name: 'Duration', value: '4m 12s' }],
      markdown: true,
    }],
    potentialAction: [
      { '@type': 'OpenUri', name: 'View build', targets: [{ os: 'default', uri: 'https://example.com/build/1' }] },
      { '@type': 'HttpPOST', name: 'Roll back', target: 'https://example.com/rollback' },
      { '@type': 'ActionCard', name: 'Comment', inputs: [{ '@type': 'TextInput', id: 'c', title: 'Your comment', isMultiline: true }], actions: [{ '@type': 'HttpPOST', name: 'Save', target: 'https://example.com/c' }] },
    ],
  };
  const res = await postWebhook(webhookUrl, card);
  assert.deepEqual(res, { status: 200, text: '1' });
  const mc = page.locator('.messagecard', { hasText: 'Deployment succeeded' });
  await mc.waitFor();
  assert.equal(await mc.locator('.mc-title strong').textContent(), 'succeeded');
  assert.equal(await mc.evaluate((el) => getComputedStyle(el).borderTopColor), 'rgb(0, 118, 215)');
  assert.equal(await mc.locator('.mc-facts th').first().textContent(), 'Environment');
  assert.equal(await mc.locator('.mc-facts td').nth(1).textContent(), '4m 12s');
  const view = mc.getByRole('link', { name: 'View build' });
  assert.equal(await view.getAttribute('href'), 'https://example.com/build/1');
  assert.equal(await view.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await mc.locator('a', { hasText: 'the log' }).getAttribute('rel'), 'noopener noreferrer');
  // Actions that call the sender's service are live (the server runs them: actions.test.mjs).
  assert.ok(await mc.getByRole('button', { name: 'Roll back' }).isEnabled());
  // The ActionCard starts collapsed; opening it shows its input.
  const details = mc.locator('details.mc-actioncard');
  assert.equal(await details.getAttribute('open'), null);
  await details.locator('summary').click();
  await mc.getByLabel('Your comment').waitFor();
  // The sender is the connector with its name and the uploaded image.
  const message = page.locator('.message', { has: mc });
  assert.equal(await message.locator('.sender').textContent(), 'Build bot');
  await message.locator('.avatar img').waitFor();
  assert.ok(await message.locator('.avatar img').evaluate((img) => img.complete && img.naturalWidth === 1));
  await shot(page, '04-messagecard');
});

test('an Adaptive Card is rendered with the official renderer and markdown', T, async () => {
  const env = {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: {
        type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        body: [
          { type: 'TextBlock', text: 'Incident **42** opened', size: 'Large', weight: 'Bolder', wrap: true },
          { type: 'FactSet', facts: [{ title: 'Severity', value: 'High' }, { title: 'Owner', value: 'On-call' }] },
          { type: 'TextBlock', text: 'Details in [the runbook](https://example.com/rb).', wrap: true },
        ],
        actions: [{ type: 'Action.OpenUrl', title: 'Open incident', url: 'https://example.com/i/42' }, { type: 'Action.Submit', title: 'Ack' }],
      },
    }],
  };
  const res = await postWebhook(webhookUrl, env);
  assert.equal(res.status, 200, res.text);
  const ac = page.locator('.adaptivecard', { hasText: 'Incident 42 opened' });
  await ac.waitFor();
  assert.equal(await ac.locator('strong', { hasText: '42' }).count(), 1);
  await ac.getByText('Severity').waitFor();
  await ac.locator('button.ac-pushButton', { hasText: 'Open incident' }).waitFor();
  // Action.Submit is shown as Teams shows it on a webhook's card (adaptive.test.mjs clicks it).
  await ac.locator('button', { hasText: 'Ack' }).waitFor();
  assert.equal(await ac.locator('a', { hasText: 'the runbook' }).getAttribute('rel'), 'noopener noreferrer');
  await shot(page, '05-adaptivecard');
});

test('hostile payloads render as text, make no links and run nothing', T, async () => {
  const evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
  const mc = {
    summary: 'evil', title: evil, themeColor: 'red;background:url(javascript:alert(9))',
    text: `Click [me](javascript:alert(3)) or <a href="javascript:alert(4)">this</a> ${evil}`,
    sections: [{ activityTitle: evil, activityImage: 'javascript:alert(5)', facts: [{ name: evil, value: '[x](javascript:alert(6))' }], images: [{ image: 'javascript:alert(7)' }], text: '<iframe src="javascript:alert(8)"></iframe>' }],
  };
  assert.equal((await postWebhook(webhookUrl, mc)).status, 200);
  const ac = {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: {
        type: 'AdaptiveCard', version: '1.4',
        body: [{ type: 'TextBlock', text: 'AC ' + evil + ' [y](javascript:alert(10))', wrap: true }, { type: 'Image', url: 'javascript:alert(11)' }],
        actions: [{ type: 'Action.OpenUrl', title: 'Evil open', url: 'javascript:alert(12)' }],
        selectAction: { type: 'Action.OpenUrl', url: 'javascript:alert(13)' },
      },
    }],
  };
  assert.equal((await postWebhook(webhookUrl, ac)).status, 200);
  const mcEl = page.locator('.messagecard', { hasText: '<script>alert(2)</script>' }).first();
  await mcEl.waitFor();
  const acEl = page.locator('.adaptivecard', { hasText: 'AC <img src=x' });
  await acEl.waitFor();
  // The markup is visible as characters.
  assert.match(await mcEl.locator('.mc-title').textContent(), /<img src=x onerror="alert\(1\)">/);
  // Nothing from the payload became an element, link or image.
  const stream = page.locator('.messages');
  assert.equal(await stream.locator('img[src="x"], script, iframe').count(), 0);
  assert.equal(await stream.locator('[onerror], [onclick]').count(), 0);
  assert.equal(await page.locator('a[href^="javascript:" i], img[src^="javascript:" i]').count(), 0);
  assert.equal(await mcEl.locator('a').count(), 0, 'no links in the hostile MessageCard');
  assert.equal(await mcEl.evaluate((el) => el.style.getPropertyValue('--theme')), '');
  // Clicking the javascript: actions does nothing.
  const pagesBefore = page.context().pages().length;
  await acEl.locator('button.ac-pushButton', { hasText: 'Evil open' }).click();
  await acEl.locator('.ac-adaptiveCard').first().click({ position: { x: 5, y: 5 } });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  assert.equal(page.context().pages().length, pagesBefore, 'no window was opened');
  assert.deepEqual(page.dialogs, [], 'no alert/confirm/prompt fired');
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await shot(page, '06-hostile');
});

test('only http, https and mailto become links: TextRun selectAction, OpenUrl, show-cards, markdown', T, async () => {
  // Each would set window.__pwned if a browser ever ran it.
  const bad = [
    'javascript:window.__pwned=1', 'JaVaScRiPt:window.__pwned=2', '  javascript:window.__pwned=3',
    'java\tscript:window.__pwned=4', '\u0001javascript:window.__pwned=5', 'javascript\n:window.__pwned=6',
    'vbscript:msgbox(7)', 'data:text/html,<script>opener.__pwned=8</script>', '/relative', '',
  ];
  const runs = bad.map((url, i) => ({ type: 'TextRun', text: `run${i} `, selectAction: { type: 'Action.OpenUrl', url } }));
  runs.push({ type: 'TextRun', text: 'goodweb ', selectAction: { type: 'Action.OpenUrl', url: 'https://example.com/ok' } });
  runs.push({ type: 'TextRun', text: 'goodmail', selectAction: { type: 'Action.OpenUrl', url: 'mailto:ops@example.com' } });
  const mdLinks = bad.filter(Boolean).map((url, i) => `[md${i}](${url.replace(/[\s()]/g, '')})`).join(' ') + ' [mdmail](mailto:ops@example.com)';
  const ac = {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: {
        type: 'AdaptiveCard', version: '1.4',
        body: [
          { type: 'TextBlock', text: 'Scheme card', wrap: true },
          { type: 'RichTextBlock', inlines: runs },
          { type: 'TextBlock', text: mdLinks, wrap: true },
          { type: 'Image', url: 'https://example.com/i.png', altText: 'pic', selectAction: { type: 'Action.OpenUrl', url: 'javascript:window.__pwned=9' } },
        ],
        actions: [
          { type: 'Action.OpenUrl', title: 'Open JS', url: 'JaVaScRiPt:window.__pwned=10' },
          { type: 'Action.OpenUrl', title: 'Open data', url: 'data:text/html,<script>opener.__pwned=11</script>' },
          { type: 'Action.ShowCard', title: 'More', card: { type: 'AdaptiveCard', body: [
            { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'innerrun', selectAction: { type: 'Action.OpenUrl', url: 'javascript:window.__pwned=12' } }] },
          ], actions: [{ type: 'Action.OpenUrl', title: 'Inner JS', url: 'vbscript:msgbox(13)' }] } },
        ],
      },
    }],
  };
  const posted = await postWebhook(webhookUrl, ac);
  assert.equal(posted.status, 200, posted.text);
  const mc = {
    summary: 'scheme mc', title: 'Scheme MessageCard',
    text: mdLinks,
    sections: [{ facts: [{ name: 'f', value: '[factlink](javascript:window.__pwned=14)' }], text: '[sectionlink](vbscript:x) [ok](https://example.com/s)' }],
    potentialAction: [{ '@type': 'OpenUri', name: 'Safe', targets: [{ os: 'default', uri: 'https://example.com/safe' }] }],
  };
  assert.equal((await postWebhook(webhookUrl, mc)).status, 200);
  // The server refuses an OpenUri target that is not http(s): nothing is posted.
  for (const uri of ['javascript:window.__pwned=15', 'JaVaScRiPt:x', 'data:text/html,x', 'vbscript:x']) {
    const r = await postWebhook(webhookUrl, { ...mc, title: 'refused', potentialAction: [{ '@type': 'OpenUri', name: 'JS', targets: [{ os: 'default', uri }] }] });
    assert.equal(r.status, 400, uri);
  }
  const acEl = page.locator('.adaptivecard', { hasText: 'Scheme card' });
  await acEl.waitFor();
  const mcEl = page.locator('.messagecard', { hasText: 'Scheme MessageCard' });
  await mcEl.waitFor();
  await acEl.locator('button.ac-pushButton', { hasText: 'More' }).click();
  await acEl.getByText('innerrun').waitFor();
  const hrefs = () => page.locator('.messages').evaluate((el) => [...el.querySelectorAll('[href]')].map((a) => a.getAttribute('href')));
  const ok = (h) => /^(https?:\/\/|mailto:)/i.test(h);
  assert.deepEqual((await hrefs()).filter((h) => !ok(h)), [], 'every href is http, https or mailto');
  // The text stays visible, and the good links are links.
  for (let i = 0; i < bad.length; i++) assert.ok(await acEl.getByText(`run${i}`).isVisible(), `run${i}`);
  assert.equal(await acEl.locator('a', { hasText: 'goodweb' }).getAttribute('href'), 'https://example.com/ok');
  assert.equal(await acEl.locator('a', { hasText: 'goodmail' }).getAttribute('href'), 'mailto:ops@example.com');
  assert.equal(await acEl.locator('a', { hasText: 'mdmail' }).getAttribute('href'), 'mailto:ops@example.com');
  assert.equal(await mcEl.locator('a', { hasText: 'mdmail' }).getAttribute('href'), 'mailto:ops@example.com');
  assert.ok(await mcEl.getByText('factlink').isVisible());
  assert.equal(await mcEl.locator('a', { hasText: 'ok' }).getAttribute('href'), 'https://example.com/s');
  // Clicking every would-be link runs nothing and opens nothing.
  const pagesBefore = page.context().pages().length;
  for (let i = 0; i < bad.length; i++) await acEl.getByText(`run${i}`).click();
  await acEl.getByText('innerrun').click();
  await acEl.getByRole('img', { name: 'pic' }).click({ force: true }).catch(() => {});
  // The show-card's own action first: another action of the card closes the show-card.
  for (const name of ['Inner JS', 'Open JS', 'Open data']) await acEl.locator('button.ac-pushButton', { hasText: name }).click();
  await mcEl.getByText('factlink').click();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
  assert.equal(page.context().pages().length, pagesBefore, 'no window was opened');
  assert.deepEqual(page.dialogs, []);
});

test('huge strings render as text and do not widen the page', T, async () => {
  const word = 'W'.repeat(12000); // one 12 KB word: no break opportunity at all (the body stays under 28 KB)
  const lines = Array.from({ length: 200 }, (_, i) => `line ${i} <b>not bold</b>`).join('\n');
  const mc = { summary: 'huge', title: 'Huge ' + word.slice(0, 1000), text: word, sections: [{ facts: [{ name: 'k', value: word.slice(0, 2000) }], text: lines }] };
  assert.equal((await postWebhook(webhookUrl, mc)).status, 200);
  const el = page.locator('.messagecard', { hasText: 'line 199 <b>not bold</b>' }).first();
  await el.waitFor();
  assert.equal(await page.locator('.messages b', { hasText: 'not bold' }).count(), 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  assert.deepEqual(page.dialogs, []);
  await shot(page, '08-huge');
});

test('Manage shows the delivery log and renames the webhook', T, async () => {
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for/ });
  await dlg.getByRole('button', { name: 'Manage Build bot' }).click();
  const rows = dlg.locator('table.deliveries tbody tr');
  await rows.first().waitFor();
  assert.ok(await rows.count() >= 4, 'one row per post');
  assert.equal(await rows.first().locator('td').nth(1).textContent(), '200');
  await dlg.getByLabel('Name').fill('Release bot');
  await dlg.getByRole('button', { name: 'Save' }).click();
  await dlg.getByText('Saved').waitFor();
  await shot(page, '07-manage');
  await dlg.getByRole('button', { name: /Back to connectors/ }).click();
  await dlg.locator('.conn-name', { hasText: 'Release bot' }).waitFor();
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'detached' });
});

test('Remove asks first, then the webhook URL stops working', T, async () => {
  await page.getByRole('button', { name: /More options for General/ }).click();
  await page.getByRole('menuitem', { name: 'Connectors' }).click();
  const dlg = page.getByRole('dialog', { name: /Connectors for/ });
  await dlg.getByRole('button', { name: 'Remove Release bot' }).click();
  await dlg.getByRole('button', { name: 'Confirm removing Release bot' }).click();
  await dlg.getByText('No connectors are configured for this channel yet.').waitFor();
  const res = await postWebhook(webhookUrl, { text: 'after removal' });
  assert.equal(res.status, 410, res.text);
  await page.keyboard.press('Escape');
  assert.deepEqual(page.dialogs, []);
});

test('sign out returns to the sign-in form', T, async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('User name').waitFor();
  const me = await page.evaluate(() => fetch('/v1.0/me').then((r) => r.status));
  assert.equal(me, 401);
});
