// First load of the web client's channel view on a throttled link (issue 22): Chromium with
// Lighthouse's "slow 3G" (562.5 ms round trip, 1.6 Mbit/s down, 750 kbit/s up) and its CPU
// slowed 4x, a signed-in person with an empty cache opening `/`, timed until the channel view
// is usable (its header and the composer shown). Run twice: with the web client as built
// (content-hashed, brotli/gzip precompressed) and with the same files without the compressed
// copies (as the client was served before issue 22). Prints a Markdown section for
// docs/bench.md. Usage: node tests/bench/firstload.mjs [runs]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, REPO_ROOT } from '../browser/lib/server.mjs';
import { launch } from '../browser/lib/browser.mjs';
import { signedInState, throttledPage, timeUsable } from './slow3g.mjs';

const RUNS = Number(process.argv[2] || 5);
const DIST = path.join(REPO_ROOT, 'web', 'dist');

// web/dist without the .gz/.br copies.
function plainCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-firstload-'));
  fs.cpSync(DIST, dir, { recursive: true, filter: (src) => !/\.(gz|br)$/.test(src) });
  return dir;
}

async function measure(browser, webRoot) {
  const server = await startServer({ args: webRoot ? ['--web-root', webRoot] : [] });
  try {
    const state = await signedInState(browser, server);
    const times = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const { ctx, page, cdp } = await throttledPage(browser, server.url, state);
      let received = 0;
      cdp.on('Network.loadingFinished', (e) => { received += e.encodedDataLength; });
      times.push(await timeUsable(page));
      bytes = received;
      await ctx.close();
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1], bytes };
  } finally {
    await server.stop();
  }
}

const browser = await launch();
const plainDir = plainCopy();
let before;
let now;
try {
  before = await measure(browser, plainDir);
  now = await measure(browser, null);
} finally {
  await browser.close();
  fs.rmSync(plainDir, { recursive: true, force: true });
}
const s = (ms) => (ms / 1000).toFixed(2) + ' s';
const kb = (b) => Math.round(b / 1024) + ' KB';
console.log(`## First load on a slow link (issue 22)

The channel view's first load for a signed-in person with an empty cache, Chromium with
Lighthouse's "slow 3G" (562.5 ms round trip, 1.6 Mbit/s down) and 4x CPU slowdown, from
navigation to the channel header and composer shown; median of ${RUNS} (tests/bench/firstload.mjs).

| web client | median | min | max | bytes over the wire |
|---|---|---|---|---|
| uncompressed (before) | ${s(before.median)} | ${s(before.min)} | ${s(before.max)} | ${kb(before.bytes)} |
| brotli, hashed, immutable (now) | ${s(now.median)} | ${s(now.min)} | ${s(now.max)} | ${kb(now.bytes)} |

index.html names everything the channel view needs, so after it the browser sends six requests
at once (app.css, app.js, the one chunk of the first load, and GET /api/v1/session and
/api/v1/bootstrap, preloaded) and the view is drawn when they are in: two round trips. The card
renderers, markdown-it and the views opened from menus are loaded on demand (docs/deploy.md,
"The web client's first load").`);
