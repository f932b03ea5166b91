// Helpers of the Graph connector tests: a throwaway certificate, HTTPS calls from the test
// process that trust it, and the sample connector app (lib/gc-sample-app.mjs) as a child
// process whose JSON-line events can be awaited.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export function makeCert(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { cert, key };
}

// httpsApi(server, token, caFile) -> request(method, path, body?, {headers, contentType}) like
// lib/server.mjs api(), over HTTPS trusting exactly caFile.
export function httpsApi(server, token, caFile) {
  const ca = fs.readFileSync(caFile);
  return (method, p, body, opts = {}) => new Promise((resolve, reject) => {
    const url = new URL(/^https:/.test(p) ? p : server.url + p);
    const headers = { Accept: 'application/json', ...(opts.headers || {}) };
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      headers['Content-Type'] = opts.contentType || 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const req = https.request(url, { method, headers, ca, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        if (/json/i.test(res.headers['content-type'] || '') && text) {
          try { parsed = JSON.parse(text); } catch { /* keep text */ }
        }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed, text, contentType: res.headers['content-type'] || '', method, url: url.href });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// The sample app process. events: every JSON line so far; waitFor(pred) resolves with the first
// event (seen or to come) matching pred, or fails after timeoutMs or when the app exits.
export class SampleApp {
  constructor(config, caFile) {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: caFile, GC_APP: JSON.stringify(config) };
    delete env.NODE_TEST_CONTEXT;
    this.child = spawn(process.execPath, [path.join(HERE, 'gc-sample-app.mjs')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.events = [];
    this.stderr = '';
    this.waiters = new Set();
    this.child.stdin.on('error', () => {});
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      try { this.events.push(JSON.parse(line)); } catch { this.events.push({ event: 'output', line }); }
      for (const w of [...this.waiters]) w();
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => {
      this.code = code;
      for (const w of [...this.waiters]) w();
      resolve(code);
    }));
  }

  waitFor(pred, { timeoutMs = 30_000, what = 'an event', from = 0 } = {}) {
    return new Promise((resolve, reject) => {
      let timer;
      const done = () => { this.waiters.delete(check); clearTimeout(timer); };
      const check = () => {
        const e = this.events.slice(from).find(pred);
        if (e) { done(); resolve(e); return; }
        const err = this.events.slice(from).find((x) => x.event === 'error');
        if (err) { done(); reject(new Error(`sample app failed while waiting for ${what}: ${err.message} ${JSON.stringify(err.body || '')}`)); return; }
        if (this.code !== undefined) { done(); reject(new Error(`sample app exited (${this.code}) before ${what}:\n${this.stderr}`)); }
      };
      this.waiters.add(check);
      timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(this.events)}\n${this.stderr}`));
      }, timeoutMs);
      check();
    });
  }

  configure(obj) {
    this.child.stdin.write(JSON.stringify(obj) + '\n');
  }

  async close() {
    this.child.stdin.end();
    await this.exited;
  }
}
