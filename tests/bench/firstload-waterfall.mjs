// The requests of one first load (the profile and the person of tests/bench/firstload.mjs), as a
// waterfall: for each request its start, its first byte and its end in ms from the first
// request, its bytes over the wire, who asked for it (parser, script, preload, other) and its
// path; then the time until the channel view was usable. What to read in it: how many round
// trips (562 ms each) come one after the other before the view shows, and whether more than six
// requests to the host wait for a connection at once (HTTP/1.1).
// Usage: node tests/bench/firstload-waterfall.mjs [WEB_ROOT]
import { startServer } from '../browser/lib/server.mjs';
import { launch } from '../browser/lib/browser.mjs';
import { signedInState, throttledPage, timeUsable } from './slow3g.mjs';

const browser = await launch();
const server = await startServer({ args: process.argv[2] ? ['--web-root', process.argv[2]] : [] });
try {
  const state = await signedInState(browser, server);
  const { ctx, page, cdp } = await throttledPage(browser, server.url, state);
  const reqs = new Map();
  let first = null;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (first === null) first = e.timestamp;
    reqs.set(e.requestId, { path: e.request.url.replace(server.url, ''), start: e.timestamp, by: e.initiator.type });
  });
  cdp.on('Network.responseReceived', (e) => { const r = reqs.get(e.requestId); if (r) r.firstByte = e.timestamp; });
  cdp.on('Network.loadingFinished', (e) => { const r = reqs.get(e.requestId); if (r) { r.end = e.timestamp; r.bytes = e.encodedDataLength; } });
  const usable = await timeUsable(page);
  // The requests that follow the view (messages, the live stream) are shown too: the live
  // stream is opened last.
  if (![...reqs.values()].some((r) => r.path.startsWith('/api/v1/events'))) {
    await page.waitForRequest(/\/api\/v1\/events/, { timeout: 20000 }).catch(() => {});
  }
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
