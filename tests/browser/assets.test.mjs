// The web client's assets as a browser gets them (issue 22): every script and stylesheet that
// index.html loads has a content-hashed name, comes compressed by the encoding Chromium asked
// for and is cached immutable; the HTML has an ETag and a reload revalidates it with a 304; the
// signed-in app works from these files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, signIn } from './lib/browser.mjs';

const T = { timeout: 30000 };
let server;
let browser;
let page;
const seen = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await newPage(browser, server);
  page.on('response', (r) => seen.push(r));
}, { timeout: 30000 });

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
}, { timeout: 20000 });

test('scripts and stylesheets: hashed names, compressed as asked, immutable; the app runs on them', T, async () => {
  await signIn(page, server);
  const assets = seen.filter((r) => /\.(js|css)$/.test(new URL(r.url()).pathname) && new URL(r.url()).origin === server.url);
  assert.ok(assets.some((r) => /\/app\.[0-9a-f]{16}\.js$/.test(r.url())), assets.map((r) => r.url()).join('\n'));
  assert.ok(assets.some((r) => /\/app\.[0-9a-f]{16}\.css$/.test(r.url())));
  for (const r of assets) {
    const name = new URL(r.url()).pathname;
    // finish-web's NAME.<16 hex>.EXT, or esbuild's chunk-<content hash>.js (named by app.js).
    assert.match(name, /(\.[0-9a-f]{16}|\/chunk-[A-Z0-9]{8,})\.(js|css)$/, `${name}: a content-hashed name`);
    const asked = (await r.request().allHeaders())['accept-encoding'] || '';
    const headers = await r.allHeaders();
    const want = /\bbr\b/.test(asked) ? 'br' : 'gzip';
    assert.equal(headers['content-encoding'], want, `${name} for Accept-Encoding: ${asked}`);
    assert.match(headers['cache-control'], /immutable/, name);
    assert.ok((await r.body()).length > 0, name);
  }
  // (the signed-out session probe's 401 and the favicon's 404 are the app's usual start)
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

test('the HTML has an ETag; a reload revalidates it with a 304 and the app still starts', T, async () => {
  const first = seen.find((r) => r.request().isNavigationRequest() && r.status() === 200);
  assert.ok(first, 'the first load of the page');
  const etag = (await first.allHeaders()).etag;
  assert.match(etag || '', /^"[0-9a-f]{16}(-(br|gzip))?"$/);
  // The page sees a revalidated answer as 200 from its cache; the raw answer on the wire, in
  // the protocol's extra information, is the 304.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const docIds = new Set();
  const raw = new Map();
  cdp.on('Network.requestWillBeSent', (e) => { if (e.type === 'Document') docIds.add(e.requestId); });
  cdp.on('Network.responseReceivedExtraInfo', (e) => raw.set(e.requestId, e.statusCode));
  const again = await page.reload();
  await page.locator('.app .topbar').waitFor();
  assert.equal((await again.request().allHeaders())['if-none-match'], etag);
  assert.equal(docIds.size, 1);
  assert.equal(raw.get([...docIds][0]), 304, 'the reload answered 304 Not Modified');
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
