// A connector vendor's service, as the browser suite needs one: it serves configuration pages
// (tests/browser/vendor/*.html) that use the real @microsoft/teams-js packages from npm, 2.x and
// 1.x, unmodified, and a small backend that receives the webhook URL on save and posts a card
// to it with the ms-teams-webhook client. Every request is recorded, so tests can check what the
// configuration host's proxy forwarded. Waits are on events, bounded by a timeout.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { IncomingWebhook } from 'ms-teams-webhook';
import { REPO_ROOT } from './server.mjs';

const PAGES = {
  '/deploys/config.html': 'deploys-v2.html',
  '/deploys/remove.html': 'deploys-remove.html',
  '/alerts/config.html': 'alerts-v1.html',
};
const LIBS = {
  '/lib/teams-js-2.js': path.join(REPO_ROOT, 'node_modules', '@microsoft', 'teams-js', 'dist', 'umd', 'MicrosoftTeams.min.js'),
  '/lib/teams-js-1.js': path.join(REPO_ROOT, 'node_modules', 'teams-js-v1', 'dist', 'MicrosoftTeams.min.js'),
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startVendor() {
  const requests = [];
  const events = [];
  const waiters = new Set();
  const record = (e) => {
    events.push(e);
    for (const w of [...waiters]) w();
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://vendor');
    requests.push({ method: req.method, path: url.pathname, headers: req.headers });
    try {
      if (req.method === 'GET' && PAGES[url.pathname]) {
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          // What vendors send for Teams: only Microsoft's hosts may frame the page.
          'Content-Security-Policy': 'frame-ancestors teams.microsoft.com *.teams.microsoft.com',
        });
        res.end(fs.readFileSync(path.join(REPO_ROOT, 'tests', 'browser', 'vendor', PAGES[url.pathname])));
        return;
      }
      if (req.method === 'GET' && LIBS[url.pathname]) {
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        res.end(fs.readFileSync(LIBS[url.pathname]));
        return;
      }
      if (req.method === 'POST' && (url.pathname === '/api/subscribe' || url.pathname === '/api/unsubscribe')) {
        const body = JSON.parse(await readBody(req));
        const type = url.pathname.slice(5);
        if (type === 'subscribe') {
          // The vendor's backend keeps the URL and says hello through it, as connectors do.
          const hook = new IncomingWebhook(body.settings.webhookUrl);
          const title = body.connector === 'deploys' ? `Deploy notifier connected: ${body.project}` : `Alert relay connected: ${body.severity}`;
          await hook.send({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: title, themeColor: '0076D7', title, text: `Configured as ${body.settings.configName}` });
        }
        record({ type, ...body });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err && err.message));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    events,
    // Resolves with the first event matching pred (past or future).
    waitFor(pred, timeoutMs = 15000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const e = events.find(pred);
          if (!e) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(e);
          return true;
        };
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`vendor event not seen in ${timeoutMs} ms; events: ${JSON.stringify(events)}`)); }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
