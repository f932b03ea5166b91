// What the first-load benches share (firstload.mjs, firstload-ab.mjs, firstload-waterfall.mjs):
// Lighthouse's "slow 3G" profile with the CPU slowed 4x, and a signed-in person. Each bench
// opens `/` in a fresh throttled context (empty cache, the person's cookies) and waits for
// usable(): the channel header and the composer shown.
export const NETWORK = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };

// The storage state (session cookie) of the server's administrator, signed in through the form,
// with one team so that the channel view has a channel to show.
export async function signedInState(browser, server) {
  await server.api('POST', '/v1.0/teams', { displayName: 'Bench' }).catch(() => null);
  const setup = await browser.newContext({ baseURL: server.url });
  try {
    const p0 = await setup.newPage();
    await p0.goto('/');
    await p0.getByLabel('User name').fill(server.adminName);
    await p0.getByLabel('Password').fill(server.password);
    await p0.getByRole('button', { name: 'Sign in' }).click();
    await p0.locator('.channel-header h1').waitFor({ timeout: 20000 });
    return await setup.storageState();
  } finally {
    await setup.close();
  }
}

// A new context with that state, its page throttled; the caller closes ctx.
export async function throttledPage(browser, baseURL, state) {
  const ctx = await browser.newContext({ baseURL, storageState: state, viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return { ctx, page, cdp };
}

// Opens `/` and resolves with the milliseconds until the channel view is usable.
export async function timeUsable(page) {
  const t0 = Date.now();
  await page.goto('/', { waitUntil: 'commit', timeout: 60000 });
  await page.locator('.channel-header h1').waitFor({ timeout: 60000 });
  await page.locator('#composer').waitFor({ timeout: 60000 });
  return Date.now() - t0;
}
