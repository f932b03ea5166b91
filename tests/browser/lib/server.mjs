// Harness for the browser suite: a real Switchboard server on a free port with a fresh data
// directory, started without SWITCHBOARD_ADMIN_TOKEN so that it creates `admin` and prints its
// one-time password, which the tests use to sign in through the form. No sleeps: we wait for
// the `listening on` line (bounded by a timeout).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = path.resolve(REPO_ROOT, process.env.SB_BIN || 'build/switchboard');
const LISTENING_RE = /^listening on (https?:\/\/\S+)$/;
const PASSWORD_RE = /^first start: created administrator '([^']+)' with password: (\S+)$/;

const live = new Set();
process.on('exit', () => { for (const c of live) { try { c.kill('SIGKILL'); } catch { /* gone */ } } });

// Runs a private copy of the binary so a concurrent `make` relinking build/switchboard cannot
// break the run (ETXTBSY) and so nobody's `pkill switchboard` hits our servers.
function binaryCopy(dir) {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} does not exist: run \`make\` first`);
  const dest = path.join(dir, 'sb-browser-server');
  fs.copyFileSync(BIN, dest);
  fs.chmodSync(dest, 0o755);
  return dest;
}

export async function startServer({ timeoutMs = 15000, args = [] } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-browser-'));
  const data = path.join(root, 'data');
  fs.mkdirSync(data);
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SWITCHBOARD_')) env[k] = v;
  // The copy does not sit beside web/dist, so the repository's bundle is named explicitly.
  const webRoot = path.join(REPO_ROOT, 'web', 'dist');
  if (!fs.existsSync(path.join(webRoot, 'app.js'))) throw new Error(`${webRoot}/app.js is missing: run \`make\` first`);
  const bin = binaryCopy(root);
  const lines = [];
  let password = null;
  let adminName = null;
  let child = null;
  // Starts the binary listening on `listen` and resolves with its URL once it says so.
  const boot = (listen) => {
    child = spawn(bin, ['serve', '--listen', listen, '--data', data, '--web-root', webRoot, '--webhook-rate-limit', '0', ...args],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const proc = child;
    return new Promise((resolve, reject) => {
      let partial = '';
      const timer = setTimeout(() => reject(new Error(`server not ready within ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs);
      proc.stderr.setEncoding('utf8');
      proc.stderr.on('data', (chunk) => {
        partial += chunk;
        let i;
        while ((i = partial.indexOf('\n')) !== -1) {
          const line = partial.slice(0, i).replace(/\r$/, '');
          partial = partial.slice(i + 1);
          lines.push(line);
          const p = PASSWORD_RE.exec(line);
          if (p) { adminName = p[1]; password = p[2]; }
          const m = LISTENING_RE.exec(line);
          if (m) { clearTimeout(timer); proc.removeAllListeners('exit'); resolve(m[1].replace(/\/+$/, '')); }
        }
      });
      proc.stdout.resume();
      proc.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`server exited (${code ?? sig}) before listening:\n${lines.join('\n')}`)); });
    });
  };
  const stopChild = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10000);
      await done;
      clearTimeout(t);
    }
    live.delete(child);
  };
  const url = await boot('127.0.0.1:0');
  const server = {
    url, password, adminName, stderr: lines, dataDir: data,
    async stop() {
      await stopChild();
      fs.rmSync(root, { recursive: true, force: true });
    },
    // Stops the server and starts it again on the same address with the same data (sessions
    // and tokens survive); `between` runs while it is down.
    async restart(between = async () => {}) {
      await stopChild();
      await between();
      await boot(new URL(url).host);
    },
  };
  if (!password) throw new Error(`no first-start password printed:\n${lines.join('\n')}`);
  const token = await getToken(url, adminName, password);
  server.adminToken = token;
  server.api = api(url, token);
  return server;
}

export async function getToken(url, userPrincipalName, password) {
  const res = await fetch(url + '/api/v1/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userPrincipalName, password }) });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

// api(base, token)(method, path, body) -> parsed JSON; throws with the answer on non-2xx.
export function api(base, token) {
  return async (method, p, body) => {
    const res = await fetch(/^https?:/.test(p) ? p : base + p, {
      method,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

// Posts a webhook body; resolves with {status, text}.
export async function postWebhook(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), signal: AbortSignal.timeout(10000) });
  return { status: res.status, text: await res.text() };
}
