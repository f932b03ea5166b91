// Helpers for the incoming-webhook, events, crash and organisation-settings tests.
//
// Everything here waits on conditions (a response, a stream event), each bounded by a timeout
// that fails the test with what was seen so far. Nothing sleeps.

import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { createParser } from 'eventsource-parser';

import { api, newUser } from './server.mjs';
import {
  expectStatus, expectCollection, createTeam, generalChannel, messagesPath, readAllPages, uniqueName,
} from './graph.mjs';

// ---------------------------------------------------------------------------------------------
// URL shapes (contract section 5)

// {key}: the webhook's own secret, 32 lower-case hex digits as Teams makes it (issue 17).
const G = '[0-9a-f-]{36}';
const K = '[0-9a-f]{32}';
export const KEY_RE = /^[0-9a-f]{32}$/;
export const V2_URL_RE = new RegExp(`/webhookb2/(${G})@(${G})/IncomingWebhook/(${K})/(${G})/V2([A-Za-z0-9_-]{43})$`);
export const UNSIGNED_URL_RE = new RegExp(`/webhookb2/(${G})@(${G})/IncomingWebhook/(${K})/(${G})$`);
export const LEGACY_URL_RE = new RegExp(`/webhook/(${G})@(${G})/IncomingWebhook/(${K})/(${G})$`);
export const WORKFLOW_URL_RE = new RegExp(
  `/workflows/(${G})/triggers/manual/paths/invoke\\?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1\\.0&sig=([A-Za-z0-9_-]+)$`,
);

export const TEAMS_413 = 'Microsoft Teams endpoint returned HTTP error 413';
export const TEAMS_429 = 'Microsoft Teams endpoint returned HTTP error 429';
export const BAD_PAYLOAD = 'Bad payload received by generic incoming webhook.';
export const SUMMARY_REQUIRED = 'Summary or Text is required.';
export const MESSAGECARD_TYPE = 'application/vnd.microsoft.teams.card.o365connector';
export const ADAPTIVE_TYPE = 'application/vnd.microsoft.card.adaptive';
export const MAX_PAYLOAD = 28 * 1024; // 28672 bytes, the default --max-payload

// Parses a V2 webhook URL into its parts.
export function parseV2Url(url) {
  const m = url.match(V2_URL_RE);
  assert.ok(m, `not a V2 webhook URL: ${url}`);
  return { teamId: m[1], tenantId: m[2], key: m[3], creatorId: m[4], sig: m[5] };
}

// The unsigned forms of a signed URL: /webhookb2/... without the V2 segment, and /webhook/....
export function unsignedUrl(url) {
  assert.match(url, V2_URL_RE);
  return url.replace(/\/V2[A-Za-z0-9_-]+$/, '');
}

export function legacyUrl(url) {
  return unsignedUrl(url).replace('/webhookb2/', '/webhook/');
}

// The URL as handed out before keys: the configuration id in the key slot (signed URLs kept
// their signature: the key slot is not part of the signed message).
export function withConfigurationId(url, configurationId) {
  return url.replace(/\/IncomingWebhook\/[0-9a-f]{32}\//, `/IncomingWebhook/${configurationId}/`);
}

// The same URL with one character of its signature changed (same length and alphabet).
export function tamperSignature(url) {
  const m = url.match(/(V2|sig=)([A-Za-z0-9_-]+)$/);
  assert.ok(m, `no signature in ${url}`);
  const sig = m[2];
  const i = Math.floor(sig.length / 2);
  const swapped = sig[i] === 'A' ? 'B' : 'A';
  return url.slice(0, url.length - sig.length) + sig.slice(0, i) + swapped + sig.slice(i + 1);
}

// Replaces the origin of a URL handed out by the server (the port changes across restarts).
export function onServer(url, server) {
  const u = new URL(url);
  return server.url + u.pathname + u.search;
}

// ---------------------------------------------------------------------------------------------
// A real, tiny PNG (1x1 RGBA), built byte by byte with valid CRCs.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function tinyPng(rgba = [0x12, 0x80, 0xe0, 0xff]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.from([0, ...rgba]); // filter byte 0 + one pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export function dataUrl(mime, bytes) {
  return `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

// An owner with a team and its General channel: {owner, team, channel}.
export async function teamFixture(server, label = 'owner') {
  const owner = await newUser(server, label);
  const team = await createTeam(owner.api, uniqueName('Hooks'));
  const channel = await generalChannel(owner.api, team.id);
  return { owner, team, channel };
}

export function webhooksPath(channelId) {
  return `/api/v1/channels/${channelId}/webhooks`;
}

export function connectorsPath(channelId) {
  return `/api/v1/channels/${channelId}/connectors`;
}

// POST /api/v1/channels/{c}/webhooks, asserting 201; resolves with the webhook.
export async function createWebhook(call, channelId, body = { name: uniqueName('Hook') }) {
  const res = expectStatus(await call('POST', webhooksPath(channelId), body), 201, 'create webhook');
  return res.body;
}

// The configurations listed on a channel.
export async function listConnectors(call, channelId) {
  return expectCollection(await call('GET', connectorsPath(channelId)));
}

// ---------------------------------------------------------------------------------------------
// Posting to a webhook URL (no authentication; the URL is the secret)

// Posts `body` (an object is sent as JSON; a string/Buffer as is) to `url` and resolves with
// {status, headers, text, contentType, body} (body: parsed JSON when the answer is JSON).
// opts: contentType (default application/json; null to send none), headers, timeoutMs, signal.
export async function postTo(url, body, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const ct = opts.contentType === undefined ? 'application/json' : opts.contentType;
  if (ct !== null) headers['Content-Type'] = ct;
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body: payload,
      redirect: 'manual',
      signal: opts.signal || AbortSignal.timeout(opts.timeoutMs || 30_000),
    });
  } catch (err) {
    const cause = err && err.cause ? ` (${err.cause.code || err.cause.message || err.cause})` : '';
    const e = new Error(`POST ${url}: no response: ${err && err.message}${cause}`);
    e.cause = err;
    throw e;
  }
  const text = await res.text();
  const contentType = res.headers.get('content-type') || '';
  let parsed = text;
  if (/json/i.test(contentType) && text) {
    try { parsed = JSON.parse(text); } catch { parsed = text; }
  }
  return { status: res.status, headers: res.headers, text, contentType, body: parsed, method: 'POST', url };
}

function showPost(r) {
  return `POST ${r.url} -> ${r.status} ${r.contentType}\n${String(r.text).slice(0, 800)}`;
}

// A connector-shaped URL accepted the post: 200, text/plain, body exactly "1".
export function expectAccepted(r, note = '') {
  const pre = note ? `${note}: ` : '';
  assert.equal(r.status, 200, `${pre}expected 200 "1", got ${showPost(r)}`);
  assert.match(r.contentType, /^text\/plain\b/i, `${pre}expected text/plain, got ${showPost(r)}`);
  assert.equal(r.text, '1', `${pre}expected the body "1", got ${showPost(r)}`);
  return r;
}

// A workflow-shaped URL accepted the post: 202.
export function expectWorkflowAccepted(r, note = '') {
  assert.equal(r.status, 202, `${note ? note + ': ' : ''}expected 202, got ${showPost(r)}`);
  return r;
}

// A connector-shaped URL refused the post with `status` and a body containing `mentions`.
export function expectRefused(r, status, mentions) {
  assert.equal(r.status, status, `expected ${status}, got ${showPost(r)}`);
  for (const m of [].concat(mentions || [])) {
    if (m instanceof RegExp) assert.match(r.text, m, `body should match ${m}: ${showPost(r)}`);
    else assert.ok(r.text.includes(m), `body should contain ${JSON.stringify(m)}: ${showPost(r)}`);
  }
  return r;
}

// A workflow-shaped URL refused the post with `status` and {error:{code,message}}.
export function expectWorkflowError(r, status, mentions) {
  assert.equal(r.status, status, `expected ${status}, got ${showPost(r)}`);
  assert.match(r.contentType, /^application\/json\b/i, `expected a JSON error, got ${showPost(r)}`);
  assert.ok(r.body && typeof r.body === 'object' && r.body.error, `expected {"error":{...}}, got ${showPost(r)}`);
  assert.equal(typeof r.body.error.code, 'string', `error.code: ${showPost(r)}`);
  assert.ok(r.body.error.code.length > 0, `error.code empty: ${showPost(r)}`);
  assert.equal(typeof r.body.error.message, 'string', `error.message: ${showPost(r)}`);
  for (const m of [].concat(mentions || [])) {
    if (m instanceof RegExp) assert.match(r.body.error.message, m, `error.message should match ${m}: ${showPost(r)}`);
    else assert.ok(r.body.error.message.includes(m), `error.message should contain ${JSON.stringify(m)}: ${showPost(r)}`);
  }
  return r.body.error;
}

// A MessageCard with a unique text, so that the stored message can be found again.
export function messageCard(text = uniqueName('card'), extra = {}) {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: `summary of ${text}`,
    text,
    ...extra,
  };
}

export function adaptiveEnvelope(cards, summary) {
  const env = {
    type: 'message',
    attachments: cards.map((content) => ({ contentType: ADAPTIVE_TYPE, contentUrl: null, content })),
  };
  if (summary !== undefined) env.summary = summary;
  return env;
}

export function adaptiveCard(text = uniqueName('adaptive')) {
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [{ type: 'TextBlock', text, wrap: true }],
  };
}

// A MessageCard whose JSON text is exactly `size` bytes (ASCII).
export function cardOfSize(size, label = 'sized') {
  const base = messageCard(label, { text: '' });
  const overhead = Buffer.byteLength(JSON.stringify(base));
  assert.ok(size > overhead, `size ${size} is too small for a card`);
  const card = { ...base, text: 'x'.repeat(size - overhead) };
  const json = JSON.stringify(card);
  assert.equal(Buffer.byteLength(json), size);
  return json;
}

// ---------------------------------------------------------------------------------------------
// Reading messages back

// Every message of a channel, newest first, paging with $top=50 and @odata.nextLink.
export async function allMessages(call, teamId, channelId, server) {
  const { items } = await readAllPages(call, `${messagesPath(teamId, channelId)}?$top=50`, { serverUrl: server && server.url });
  return items;
}

// The parsed card of attachment i of a message (asserting content is a JSON string).
export function cardOf(message, i = 0) {
  const a = message.attachments && message.attachments[i];
  assert.ok(a, `message ${message.id} has no attachment ${i}: ${JSON.stringify(message)}`);
  assert.equal(typeof a.content, 'string', `attachments[${i}].content must be a string (the card JSON): ${JSON.stringify(a)}`);
  return JSON.parse(a.content);
}

// The messages one of whose cards contains the string value `text` (unique ASCII labels).
export function findByText(messages, text) {
  const needle = JSON.stringify(text);
  return messages.filter((m) => (m.attachments || []).some((a) => typeof a.content === 'string' && a.content.includes(needle)));
}

// The newest message of a channel.
export async function newestMessage(call, teamId, channelId) {
  const value = expectCollection(await call('GET', `${messagesPath(teamId, channelId)}?$top=1`));
  assert.ok(value.length > 0, 'the channel has no messages');
  return value[0];
}

// ---------------------------------------------------------------------------------------------
// Binary GET (images)

export async function getBinary(url, { token, redirect = 'manual' } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers, redirect, signal: AbortSignal.timeout(30_000) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, contentType: res.headers.get('content-type') || '' };
}

// ---------------------------------------------------------------------------------------------
// Server-Sent Events: GET /api/v1/events read with fetch and eventsource-parser.

export const EVENT_TIMEOUT_MS = 10_000;

export class EventStream {
  constructor(label) {
    this.label = label;
    this.events = []; // every event received, in order: {id, event, data, json}
    this._cursor = 0; // index of the next event next() returns
    this._waiters = new Set();
    this.ended = false;
    this.error = null;
    this.retry = null;
    this.status = null;
    this.headers = null;
    this._abort = new AbortController();
  }

  _notify() {
    for (const w of [...this._waiters]) w();
  }

  _push(ev) {
    let json;
    try { json = JSON.parse(ev.data); } catch { json = undefined; }
    this.events.push({ id: ev.id, event: ev.event, data: ev.data, json });
    this._notify();
  }

  get lastId() {
    return this.events.length ? this.events[this.events.length - 1].id : undefined;
  }

  describe() {
    const seen = this.events.map((e, i) => `  ${i}: id=${e.id} event=${e.event} ${e.data.slice(0, 160)}`).join('\n');
    return `event stream "${this.label}" (status ${this.status}${this.ended ? ', ended' : ''}${this.error ? ', error ' + this.error.message : ''}); events so far:\n${seen || '  (none)'}`;
  }

  // The next event not yet returned by next(); fails after timeoutMs or if the stream ends.
  next({ timeoutMs = EVENT_TIMEOUT_MS, what = 'the next event' } = {}) {
    return new Promise((resolve, reject) => {
      let timer = null;
      const waiter = () => {
        if (this._cursor < this.events.length) {
          cleanup();
          resolve(this.events[this._cursor++]);
        } else if (this.ended) {
          cleanup();
          reject(new Error(`waiting for ${what}, but the stream ended.\n${this.describe()}`));
        }
      };
      const cleanup = () => {
        this._waiters.delete(waiter);
        clearTimeout(timer);
      };
      this._waiters.add(waiter);
      timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}.\n${this.describe()}`));
      }, timeoutMs);
      waiter();
    });
  }

  // Skips events until one matches `pred`; resolves with it (the skipped ones stay in .events).
  async nextMatching(pred, { timeoutMs = EVENT_TIMEOUT_MS, what = 'a matching event' } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}.\n${this.describe()}`);
      const ev = await this.next({ timeoutMs: left, what });
      if (pred(ev)) return ev;
    }
  }

  // Waits until the stream has ended (the server closed it).
  waitEnd({ timeoutMs = EVENT_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      let timer = null;
      const waiter = () => {
        if (this.ended) {
          cleanup();
          resolve();
        }
      };
      const cleanup = () => {
        this._waiters.delete(waiter);
        clearTimeout(timer);
      };
      this._waiters.add(waiter);
      timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the stream to end.\n${this.describe()}`));
      }, timeoutMs);
      waiter();
    });
  }

  close() {
    this._abort.abort();
  }
}

// Opens GET /api/v1/events; resolves once the response headers have arrived (the subscription
// exists then: the server subscribes before answering). Options: token, cookie, lastEventId,
// label. With expectStatus other than 200 it resolves with {status, text} instead.
export async function openEvents(server, { token, cookie, lastEventId, label = 'events', timeoutMs = 15_000 } = {}) {
  const s = new EventStream(label);
  const headers = { Accept: 'text/event-stream' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = cookie;
  if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
  const timer = setTimeout(() => s._abort.abort(new Error(`no response headers within ${timeoutMs} ms`)), timeoutMs);
  let res;
  try {
    res = await fetch(server.url + '/api/v1/events', { headers, signal: s._abort.signal });
  } finally {
    clearTimeout(timer);
  }
  s.status = res.status;
  s.headers = res.headers;
  if (res.status !== 200) {
    s.text = await res.text();
    s.ended = true;
    return s;
  }
  const parser = createParser({
    onEvent: (ev) => s._push(ev),
    onRetry: (ms) => { s.retry = ms; },
  });
  (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch (err) {
      if (!s._abort.signal.aborted) s.error = err;
    } finally {
      s.ended = true;
      s._notify();
    }
  })();
  return s;
}

// An api() caller authenticated by a session cookie (POST /api/v1/session).
export async function sessionFor(server, user) {
  const r = await api(server)('POST', '/api/v1/session', { userPrincipalName: user.userPrincipalName, password: user.password });
  expectStatus(r, 200, 'POST /api/v1/session');
  const set = r.headers.getSetCookie().find((c) => /^sb_session=/.test(c));
  assert.ok(set, `no sb_session cookie in ${JSON.stringify(r.headers.getSetCookie())}`);
  return { cookie: set.split(';')[0], csrf: r.body.csrfToken };
}
