// The requests of one first load (the profile and the person of tests/bench/firstload.mjs), as a
// waterfall: for each request its start, its first byte and its end in ms from the first
// request, its bytes over the wire, who asked for it (parser, script, preload, other) and its
// path; then the time until the channel view was usable. What to read in it: how many round
// trips (562 ms each) come one after the other before the view shows, and whether more than six
// requests to the host wait for a connection at once (HTTP/1.1).
// Usage: node tests/bench/firstload-waterfall.mjs [WEB_ROOT]
import { startServer } from '../browser/lib/server.mjs';
import { launch } from '../browser/lib/browser.mjs';

const NETWORK = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
const browser = await launch();
const server = await startServer({ args: process.argv[2] ? ['--web-root', process.argv[2]] : [] });
try {
  await server.api('POST', '/v1.0/teams', { displayName: 'Bench' }).catch(() => null);
  const setup = await browser.newContext({ baseURL: server.url });
  const p0 = await setup.newPage();
  await p0.goto('/');
  await p0.getByLabel('User name').fill(server.adminName);
  await p0.getByLabel('Password').fill(server.password);
  await p0.getByRole('button', { name: 'Sign in' }).click();
  await p0.locator('.channel-header h1').waitFor({ timeout: 20000 });
  const state = await setup.storageState();
  await setup.close();
  const ctx = await browser.newContext({ baseURL: server.url, storageState: state, viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const reqs = new Map();
  let first = null;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (first === null) first = e.timestamp;
    reqs.set(e.requestId, { path: e.request.url.replace(server.url, ''), start: e.timestamp, by: e.initiator.type });
  });
  cdp.on('Network.responseReceived', (e) => { const r = reqs.get(e.requestId); if (r) r.firstByte = e.timestamp; });
  cdp.on('Network.loadingFinished', (e) => { const r = reqs.get(e.requestId); if (r) { r.end = e.timestamp; r.bytes = e.encodedDataLength; } });
  const t0 = Date.now();
  await page.goto('/', { waitUntil: 'commit', timeout: 60000 });
  await page.locator('.channel-header h1').waitFor({ timeout: 60000 });
  await page.locator('#composer').waitFor({ timeout: 60000 });
  const usable = Date.now() - t0;
  // The requests that follow the view (messages, the live stream) are shown too.
  await page.waitForTimeout(1500);
  const ms = (x) => (x === undefined ? '-' : String(Math.round((x - first) * 1000))).padStart(6);
  console.log(' start  first    end    bytes  by       path');
  for (const r of [...reqs.values()].sort((a, b) => a.start - b.start)) {
    console.log(`${ms(r.start)} ${ms(r.firstByte)} ${ms(r.end)} ${String(r.bytes ?? '').padStart(8)}  ${r.by.padEnd(8)} ${r.path.slice(0, 80)}`);
  }
  console.log(`usable after ${usable} ms`);
  await ctx.close();
} finally {
  await server.stop();
  await browser.close();
}
