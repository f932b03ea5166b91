// The first load (as tests/bench/firstload.mjs times it: "slow 3G", 4x CPU slowdown, a signed-in
// person with an empty cache, until the channel header and the composer show) of two or more
// builds of the web client, run alternately (A, B, A, B...) so that a busy machine weighs on
// each alike. One server per web root, the same binary. Prints one line per web root: median,
// min, max, every run, and the bytes and requests of the last run until the view was usable.
// Usage: node tests/bench/firstload-ab.mjs RUNS WEB_ROOT_A WEB_ROOT_B [...]
// (a web root is a built web/dist, e.g. an older commit's: git archive it, link node_modules,
// run scripts/build-web there.)
import { startServer } from '../browser/lib/server.mjs';
import { signedInState, throttledPage, timeUsable } from './slow3g.mjs';
import { launch } from '../browser/lib/browser.mjs';

const RUNS = Number(process.argv[2] || 5);
const ROOTS = process.argv.slice(3);

async function signedIn(browser, root) {
  const server = await startServer({ args: ['--web-root', root] });
  return { root, server, state: await signedInState(browser, server), times: [], bytes: 0, requests: 0 };
}

async function once(browser, s) {
  const { ctx, page, cdp } = await throttledPage(browser, s.server.url, s.state);
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests++; });
  s.times.push(await timeUsable(page));
  s.bytes = bytes;
  s.requests = requests;
  await ctx.close();
}

if (ROOTS.length < 2) {
  console.error('usage: node tests/bench/firstload-ab.mjs RUNS WEB_ROOT_A WEB_ROOT_B [...]');
  process.exit(2);
}
const browser = await launch();
const all = [];
try {
  for (const root of ROOTS) all.push(await signedIn(browser, root));
  for (let i = 0; i < RUNS; i++) for (const s of all) await once(browser, s);
} finally {
  for (const s of all) await s.server.stop();
  await browser.close();
}
for (const s of all) {
  const t = [...s.times].sort((a, b) => a - b);
  console.log(`${s.root}: median ${t[Math.floor(t.length / 2)]} ms, min ${t[0]}, max ${t[t.length - 1]}; runs ${s.times.join(' ')}; ` +
    `${Math.round(s.bytes / 1024)} KB in ${s.requests} requests until usable`);
}
