// MessageCards as Teams renders them (issue 19, points 3, 4 and 5), in real Chromium against a
// real server: each card is posted through a real Incoming Webhook and read in the channel.
// Sections, activity, hero image, facts, images, theme colour, Teams' markdown and HTML subset
// for connector cards, potentialAction (OpenUri targets per OS, HttpPOST, ActionCard inputs),
// the link and image rules, 375 px, the
// dark and high-contrast themes (system and user setting) and ISO timestamps shown relative.
// Images are generated PNGs as data: URLs (no network beyond loopback).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { png as pngFile } from '../e2e/lib/package.mjs';
import { startServer, postWebhook } from './lib/server.mjs';
import { launch, newPage, signIn, shot } from './lib/browser.mjs';

const T = { timeout: 60000 };
let server;
let browser;
let team;
let general;
let webhook;

// Solid-colour PNGs as data: URLs.
const png = (w, h, rgba) => 'data:image/png;base64,' + pngFile(w, h, rgba).toString('base64');
const WIDE = png(1600, 120, [0, 120, 212, 255]);
const SMALL = png(8, 8, [200, 60, 60, 255]);

before(async () => {
  server = await startServer();
  browser = await launch();
  team = await server.api('POST', '/v1.0/teams', { displayName: 'Cards team' });
  general = (await server.api('GET', `/v1.0/teams/${team.id}/channels`)).value[0];
  webhook = await server.api('POST', `/api/v1/channels/${general.id}/webhooks`, { name: 'Release bot' });
}, { timeout: 40000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

async function post(card) {
  const res = await postWebhook(webhook.url, card);
  assert.equal(res.status, 200, res.text);
}

async function openGeneral(page) {
  await page.goto(`/t/${team.id}/c/${general.id}`);
  await page.locator('.channel-header h1', { hasText: 'General' }).waitFor();
}

function scriptErrors(page) {
  return page.errors.filter((e) => !/Failed to load resource/.test(e));
}

test('a MessageCard shows its sections, activity, hero image, facts, images, theme colour and Teams\' markdown and HTML', T, async () => {
  const started = new Date(Date.now() - (2 * 3600 + 5 * 60) * 1000).toISOString();
  await post({
    '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: 'Release 4.2',
    themeColor: 'E81123', title: 'Release 4.2 **ready**',
    text: 'Build <strong>passed</strong> with <em>no</em> warnings.\n\nSecond paragraph\nsame paragraph',
    sections: [
      {
        startGroup: true,
        activityTitle: 'Ada Lovelace', activitySubtitle: 'pushed 3 commits', activityImage: SMALL, activityText: '~~old~~ new',
        heroImage: { image: WIDE, title: 'Release banner' },
        facts: [{ name: 'Branch', value: '`main`' }, { name: 'Started', value: started }],
        images: [{ image: WIDE, title: 'Chart' }],
        text: '# Heading one\r- first\r- second\n\n> quoted\n\n<h3>HTML head</h3><ul><li>html item</li></ul><p><strike>gone</strike></p><blockquote>bq</blockquote>',
      },
      { markdown: false, activityTitle: '**plain** title', text: '**not bold** as typed' },
      { activityTitle: 'Assigned to <at>Grace Hopper</at>', facts: [{ name: 'Owner', value: '<at>Alan Turing</at>' }], text: 'Ping <at>Ada</at>' },
    ],
  });
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openGeneral(page);
  const mc = page.locator('.messagecard', { hasText: 'Release 4.2 ready' });
  await mc.waitFor();
  assert.equal(await mc.evaluate((el) => getComputedStyle(el).borderTopColor), 'rgb(232, 17, 35)');
  // Teams' limited HTML in text fields; one newline is no line break, a blank line a paragraph.
  const text = mc.locator(':scope > .mc-text');
  assert.equal(await text.locator('strong').textContent(), 'passed');
  assert.equal(await text.locator('em').textContent(), 'no');
  assert.equal(await text.locator('p').count(), 2);
  assert.equal(await text.locator('br').count(), 0);
  assert.equal(await text.locator('p').nth(1).textContent(), 'Second paragraph\nsame paragraph');
  // The activity header.
  const section = mc.locator('.mc-section').first();
  assert.ok(await section.locator('img.mc-activity-image').evaluate((img) => img.complete && img.naturalWidth === 8));
  assert.equal(await section.locator('.mc-activity-title').textContent(), 'Ada Lovelace');
  assert.equal(await section.locator('.mc-activity-subtitle').textContent(), 'pushed 3 commits');
  assert.equal(await section.locator('.mc-activity-body s').textContent(), 'old');
  // The hero image, full width of the card's content, and the image gallery.
  const hero = section.locator('img.mc-hero');
  assert.equal(await hero.getAttribute('alt'), 'Release banner');
  assert.ok(await hero.evaluate((img) => img.complete && img.naturalWidth === 1600));
  assert.equal(await section.locator('.mc-images img').getAttribute('alt'), 'Chart');
  // Facts, one with inline markdown, one an ISO timestamp shown relative with the exact time on hover.
  assert.equal(await section.locator('.mc-facts th').first().textContent(), 'Branch');
  assert.equal(await section.locator('.mc-facts td code').textContent(), 'main');
  const time = section.locator('.mc-facts td time');
  assert.equal(await time.getAttribute('datetime'), started);
  assert.equal(await time.textContent(), '2 hours ago');
  assert.ok((await time.getAttribute('title')).includes(String(new Date(started).getFullYear())), await time.getAttribute('title'));
  // Markdown blocks (with \r as the line separator, as Teams' own examples) and the HTML tags.
  const body = section.locator(':scope > .mc-text');
  assert.equal(await body.locator('h1').textContent(), 'Heading one');
  assert.deepEqual(await body.locator('ul').first().locator('li').allTextContents(), ['first', 'second']);
  assert.equal((await body.locator('blockquote').first().textContent()).trim(), 'quoted');
  assert.equal(await body.locator('h3').textContent(), 'HTML head');
  assert.equal(await body.locator('ul').nth(1).locator('li').textContent(), 'html item');
  assert.equal(await body.locator('strike').textContent(), 'gone');
  assert.equal((await body.locator('blockquote').nth(1).textContent()).trim(), 'bq');
  // markdown: false shows the section's texts as typed.
  const plain = mc.locator('.mc-section').nth(1);
  assert.equal(await plain.locator('.mc-activity-title').textContent(), '**plain** title');
  assert.equal(await plain.locator('.mc-text').textContent(), '**not bold** as typed');
  assert.equal(await plain.locator('strong').count(), 0);
  // A MessageCard has no mention entities: <at> shows the name, never the tags.
  const mentions = mc.locator('.mc-section').nth(2);
  assert.equal(await mentions.locator('.mc-activity-title').textContent(), 'Assigned to Grace Hopper');
  assert.equal(await mentions.locator('.mc-facts td').textContent(), 'Alan Turing');
  assert.equal((await mentions.locator(':scope > .mc-text').textContent()).trim(), 'Ping Ada');
  assert.doesNotMatch(await mc.innerText(), /<\/?at>/);
  await mc.scrollIntoViewIfNeeded();
  await shot(page, '50-messagecard-full');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('text rules: links only http, https and mailto; data: images never shown as text; hostile strings as text', T, async () => {
  await post({
    '@type': 'MessageCard', summary: 'rules', title: 'Text rules card',
    text: '[web](https://example.com/a) [mail](mailto:ops@example.com) [plain](http://example.com/p) '
      + '[dat](data:text/html;base64,PHNjcmlwdD5vcGVuZXIuX19wd25lZD0xPC9zY3JpcHQ+) '
      + '<a href="https://example.com/h">htmllink</a> <a href="javascript:window.__pwned=2">badhtml</a>\n\n'
      + `![pixel](${SMALL}) and ![vector](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)\n\n`
      + '<script>window.__pwned=3</script> <img src=x onerror="window.__pwned=4"> <b>notbold</b> <iframe src="https://example.com/f"></iframe>',
    sections: [{
      text: `<img src="${SMALL}" alt="htmlpixel"></img> <img src="http://example.com/insecure.png" alt="insecure">\n\n| not | a table |\n|---|---|\n| x | y |`,
      facts: [{ name: 'Screenshot', value: SMALL }, { name: 'Vector', value: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' }],
    }],
  });
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openGeneral(page);
  const mc = page.locator('.messagecard', { hasText: 'Text rules card' });
  await mc.waitFor();
  const hrefs = await mc.evaluate((el) => [...el.querySelectorAll('[href]')].map((a) => [a.textContent, a.getAttribute('href')]));
  assert.deepEqual(hrefs, [
    ['web', 'https://example.com/a'], ['mail', 'mailto:ops@example.com'], ['plain', 'http://example.com/p'], ['htmllink', 'https://example.com/h'],
  ]);
  const shown = await mc.innerText();
  // A data: URL is never dumped as text: a raster image is an image, anything else its alt text.
  assert.doesNotMatch(shown, /data:|base64/);
  assert.ok(await mc.locator('img[alt="pixel"]').evaluate((img) => img.complete && img.naturalWidth === 8));
  assert.ok(await mc.locator('img[alt="htmlpixel"]').evaluate((img) => img.complete && img.naturalWidth === 8));
  assert.match(shown, /and vector/);
  assert.match(shown, /\bdat\b/);
  assert.equal(await mc.locator('img[alt="insecure"]').count(), 0, 'http images are not loaded inline');
  // A fact value that is a data: URL: the image, or the word "image".
  assert.ok(await mc.locator('.mc-facts td img').evaluate((img) => img.complete && img.naturalWidth === 8));
  assert.equal(await mc.locator('.mc-facts td').nth(1).textContent(), 'image');
  // Tables are not in Teams' markdown for connector cards: the rows stay text.
  assert.equal(await mc.locator('table:not(.mc-facts)').count(), 0);
  assert.match(shown, /\| not \| a table \|/);
  // Markup outside Teams' subset, and allowed tags with a bad link, show as the characters sent.
  for (const s of ['<a href="javascript:window.__pwned=2">badhtml', '<script>window.__pwned=3</script>', '<img src=x onerror="window.__pwned=4">', '<b>notbold</b>', '<iframe src="https://example.com/f"></iframe>']) {
    assert.ok(shown.includes(s), `shown as text: ${s}`);
  }
  assert.equal(await mc.locator('script, iframe, b, img[src="x"], [onerror]').count(), 0);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

const ACTIONS_CARD = {
  '@type': 'MessageCard', summary: 'actions', title: 'Incident 77 actions',
  sections: [{ text: 'Section actions', potentialAction: [{ '@type': 'InvokeAddInCommand', name: 'Outlook only', addInId: 'x', desktopCommandId: 'y' }, { '@type': 'OpenUri', name: 'Runbook', targets: [{ os: 'default', uri: 'https://example.com/runbook' }] }] }],
  potentialAction: [
    { '@type': 'OpenUri', name: 'Docs', targets: [{ os: 'iOS', uri: 'https://example.com/ios' }, { os: 'default', uri: 'https://example.com/default' }, { os: 'android', uri: 'https://example.com/android' }] },
    { '@type': 'HttpPOST', name: 'Acknowledge', target: 'https://example.com/ack' },
    {
      '@type': 'ActionCard', name: 'Comment',
      inputs: [
        { '@type': 'TextInput', id: 'note', title: 'Your note', isMultiline: true, maxLength: 200, isRequired: true },
        { '@type': 'DateInput', id: 'due', title: 'Due date', includeTime: true },
        { '@type': 'MultichoiceInput', id: 'teams', title: 'Teams to tell', isMultiSelect: true, choices: [{ display: 'Network', value: 'net' }, { display: 'Storage', value: 'sto' }] },
        { '@type': 'MultichoiceInput', id: 'sev', title: 'Severity', value: 'low', choices: [{ display: 'High', value: 'high' }, { display: 'Low', value: 'low' }] },
        { '@type': 'MultichoiceInput', id: 'env', title: 'Environment', style: 'expanded', choices: [{ display: 'Staging', value: 'stg' }, { display: 'Production', value: 'prod' }] },
      ],
      actions: [{ '@type': 'HttpPOST', name: 'Save note', target: 'https://example.com/note' }, { '@type': 'OpenUri', name: 'Help', targets: [{ os: 'default', uri: 'https://example.com/help' }] }],
    },
    { '@type': 'OpenUri', name: 'Compare with the previous release of the service', targets: [{ os: 'default', uri: 'https://example.com/compare' }] },
  ],
};

test('potentialAction: OpenUri opens the target for the OS, HttpPOST, ActionCard with every input type', T, async () => {
  await post(ACTIONS_CARD);
  const page = await newPage(browser, server);
  await signIn(page, server);
  await openGeneral(page);
  const mc = page.locator('.messagecard', { hasText: 'Incident 77 actions' });
  await mc.waitFor();
  // Every action is a visible button, in order; InvokeAddInCommand is Outlook's and not shown.
  const row = mc.locator(':scope > .mc-actions');
  assert.deepEqual(await row.evaluate((el) => [...el.children].map((c) => c.querySelector('summary, button') ? c.querySelector('summary, button').textContent : c.textContent)),
    ['Docs', 'Acknowledge', 'Comment', 'Compare with the previous release of the service']);
  assert.equal(await mc.getByText('Outlook only').count(), 0);
  assert.equal(await mc.locator('.mc-section').getByRole('link', { name: 'Runbook' }).getAttribute('href'), 'https://example.com/runbook');
  // On Linux, OpenUri opens the default target.
  assert.equal(await mc.getByRole('link', { name: 'Docs' }).getAttribute('href'), 'https://example.com/default');
  assert.ok(await mc.getByRole('button', { name: 'Acknowledge' }).isEnabled());
  // The ActionCard's inputs as Teams shows them.
  await mc.locator('summary', { hasText: 'Comment' }).click();
  const note = mc.getByLabel('Your note');
  assert.equal(await note.evaluate((el) => el.tagName), 'TEXTAREA');
  assert.equal(await note.getAttribute('maxlength'), '200');
  assert.equal(await note.getAttribute('required'), '');
  assert.equal(await mc.getByLabel('Due date').getAttribute('type'), 'datetime-local');
  await mc.getByRole('checkbox', { name: 'Storage' }).check();
  assert.ok(await mc.getByRole('checkbox', { name: 'Storage' }).isChecked());
  assert.equal(await mc.getByLabel('Severity').inputValue(), 'low');
  await mc.getByRole('radio', { name: 'Production' }).check();
  assert.ok(await mc.getByRole('button', { name: 'Save note' }).isVisible());
  assert.equal(await mc.getByRole('link', { name: 'Help' }).getAttribute('href'), 'https://example.com/help');
  await shot(page, '51-messagecard-actions');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();

  // On an iPhone, OpenUri opens the iOS target.
  const ios = await browser.newContext({ baseURL: server.url, viewport: { width: 375, height: 800 }, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1' });
  const phone = await ios.newPage();
  await signIn(phone, server);
  await openGeneral(phone);
  const card = phone.locator('.messagecard', { hasText: 'Incident 77 actions' });
  await card.waitFor();
  assert.equal(await card.getByRole('link', { name: 'Docs' }).getAttribute('href'), 'https://example.com/ios');
  await ios.close();
});

test('at 375 px facts stack name above value, buttons wrap, images scale and nothing overflows', T, async () => {
  await post({
    '@type': 'MessageCard', summary: 'phone', themeColor: '0076D7', title: 'Phone layout card',
    sections: [{
      heroImage: { image: WIDE, title: 'Wide banner' },
      facts: [{ name: 'Environment name', value: 'production-west-europe-cluster-7' }, { name: 'Triggered by', value: 'Grace Hopper' }],
      images: [{ image: WIDE, title: 'Wide chart' }],
    }],
    potentialAction: ['View the full build log', 'Open the pull request', 'Compare with the previous release', 'Roll back'].map((name, i) => ({ '@type': 'OpenUri', name, targets: [{ os: 'default', uri: `https://example.com/${i}` }] })),
  });
  const page = await newPage(browser, server, { viewport: { width: 375, height: 800 } });
  await signIn(page, server);
  await openGeneral(page);
  const mc = page.locator('.messagecard', { hasText: 'Phone layout card' });
  await mc.waitFor();
  const geo = await mc.evaluate((card) => {
    const r = (el) => el.getBoundingClientRect();
    const th = card.querySelector('.mc-facts th');
    const td = card.querySelector('.mc-facts td');
    return {
      card: { left: r(card).left, right: r(card).right },
      th: r(th), td: r(td),
      hero: card.querySelector('.mc-hero') ? r(card.querySelector('.mc-hero')).width : 0,
      image: r(card.querySelector('.mc-images img')).width,
      buttons: [...card.querySelectorAll('.mc-button')].map((b) => [r(b).left, r(b).right]),
      rows: new Set([...card.querySelectorAll('.mc-actions > *')].map((b) => Math.round(r(b).top))).size,
      scroll: card.scrollWidth - card.clientWidth,
    };
  });
  // The name sits above its value, both starting at the same left edge.
  assert.ok(geo.th.bottom <= geo.td.top + 1, `fact name above value: ${JSON.stringify(geo.th)} ${JSON.stringify(geo.td)}`);
  assert.ok(Math.abs(geo.th.left - geo.td.left) < 1);
  const inner = geo.card.right - geo.card.left;
  assert.ok(geo.hero > 0 && geo.hero < inner, `hero ${geo.hero} within ${inner}`);
  assert.ok(geo.image > 0 && geo.image < inner, `image ${geo.image} within ${inner}`);
  for (const [l, rgt] of geo.buttons) assert.ok(l >= geo.card.left && rgt <= geo.card.right, `button ${l}-${rgt} inside ${geo.card.left}-${geo.card.right}`);
  assert.ok(geo.rows > 1, 'the buttons wrap onto more than one row');
  assert.ok(geo.scroll <= 0, `the card scrolls sideways by ${geo.scroll}px`);
  // The ActionCard of the other card opens inside its card.
  const other = page.locator('.messagecard', { hasText: 'Incident 77 actions' });
  await other.locator('summary', { hasText: 'Comment' }).click();
  const formBox = await other.locator('.mc-actioncard-body').boundingBox();
  const cardBox = await other.boundingBox();
  assert.ok(formBox.x >= cardBox.x && formBox.x + formBox.width <= cardBox.x + cardBox.width + 0.5, `form ${JSON.stringify(formBox)} in card ${JSON.stringify(cardBox)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  const topbar = await page.locator('.topbar').evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(topbar <= 0, `the top bar overflows by ${topbar}px`);
  await mc.scrollIntoViewIfNeeded();
  await shot(page, '52-messagecard-375');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('dark and high contrast follow the system and the person\'s setting, for the whole app and the cards', T, async () => {
  await post({ '@type': 'MessageCard', summary: 'theme', title: 'Theme card', text: 'Themed [link](https://example.com/t)', sections: [{ facts: [{ name: 'State', value: 'firing' }] }] });
  const context = await browser.newContext({ baseURL: server.url, colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, server);
  await openGeneral(page);
  const mc = page.locator('.messagecard', { hasText: 'Theme card' });
  await mc.waitFor();
  const look = () => page.evaluate(() => {
    const card = [...document.querySelectorAll('.messagecard')].find((c) => c.textContent.includes('Theme card'));
    return {
      theme: document.documentElement.dataset.theme,
      scheme: document.querySelector('meta[name="color-scheme"]').content,
      bg: getComputedStyle(document.documentElement).backgroundColor,
      card: getComputedStyle(card).backgroundColor,
      text: getComputedStyle(card).color,
      link: getComputedStyle(card.querySelector('a')).color,
      topbar: getComputedStyle(document.querySelector('.topbar')).backgroundColor,
    };
  });
  // The system is dark: Teams' dark colours.
  assert.deepEqual(await look(), { theme: 'dark', scheme: 'dark', bg: 'rgb(31, 31, 31)', card: 'rgb(41, 41, 41)', text: 'rgb(255, 255, 255)', link: 'rgb(127, 133, 245)', topbar: 'rgb(43, 43, 64)' });
  await shot(page, '53-messagecard-dark');
  await page.evaluate(() => { window.__themes = []; window.addEventListener('sb-themechange', (e) => window.__themes.push(e.detail.theme)); });
  // The person picks high contrast in the top bar's Theme menu.
  const themeButton = page.getByRole('button', { name: 'Theme' });
  await themeButton.click();
  await page.getByRole('menuitemradio', { name: 'High contrast' }).click();
  assert.deepEqual(await look(), { theme: 'contrast', scheme: 'dark', bg: 'rgb(0, 0, 0)', card: 'rgb(0, 0, 0)', text: 'rgb(255, 255, 255)', link: 'rgb(255, 255, 1)', topbar: 'rgb(0, 0, 0)' });
  assert.equal(await page.evaluate(() => localStorage.getItem('sb.theme')), 'contrast');
  await themeButton.click();
  assert.equal(await page.getByRole('menuitemradio', { name: 'High contrast' }).getAttribute('aria-checked'), 'true');
  assert.equal(await page.getByRole('menuitemradio', { name: 'Same as system' }).getAttribute('aria-checked'), 'false');
  await page.keyboard.press('Escape');
  await shot(page, '54-messagecard-contrast');
  // The setting wins over the system, and survives a reload.
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal((await look()).theme, 'contrast');
  await page.reload();
  await mc.waitFor();
  assert.equal((await look()).theme, 'contrast');
  await page.evaluate(() => { window.__themes = []; window.addEventListener('sb-themechange', (e) => window.__themes.push(e.detail.theme)); });
  // Back to the system: light now, and it follows the system live.
  await themeButton.click();
  await page.getByRole('menuitemradio', { name: 'Same as system' }).click();
  assert.deepEqual(await look(), { theme: 'light', scheme: 'light', bg: 'rgb(245, 245, 245)', card: 'rgb(255, 255, 255)', text: 'rgb(36, 36, 36)', link: 'rgb(79, 82, 178)', topbar: 'rgb(91, 95, 199)' });
  assert.equal(await page.evaluate(() => localStorage.getItem('sb.theme')), null);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.emulateMedia({ forcedColors: 'active' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'contrast');
  await page.emulateMedia({ forcedColors: 'none', colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  assert.deepEqual(await page.evaluate(() => window.__themes), ['light', 'dark', 'contrast', 'light']);
  assert.deepEqual(errors, []);
  await context.close();
});
