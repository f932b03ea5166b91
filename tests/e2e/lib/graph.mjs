// Shared assertions and Graph-resource helpers for the end-to-end tests.

import assert from 'node:assert/strict';
import { GUID_RE } from './server.mjs';

export { GUID_RE };

export const RFC3339_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function show(res) {
  const body = typeof res.text === 'string' ? res.text.slice(0, 800) : String(res.body);
  return `${res.method} ${res.url} -> ${res.status} ${res.contentType}\n${body}`;
}

// Asserts the status code, showing the request and the response body when it differs.
export function expectStatus(res, status, note = '') {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  assert.ok(ok, `${note ? note + ': ' : ''}expected ${Array.isArray(status) ? status.join(' or ') : status}, got ${show(res)}`);
  return res;
}

// Asserts a JSON response body (object).
export function expectJson(res) {
  assert.match(res.contentType, /^application\/json\b/i, `expected a JSON response, got ${show(res)}`);
  assert.equal(typeof res.body, 'object', `expected a JSON body, got ${show(res)}`);
  assert.ok(res.body !== null, `expected a JSON body, got ${show(res)}`);
  return res.body;
}

// Asserts the Graph error shape {"error":{"code":"...","message":"..."}} with `status`.
// `mentions`: a string (or RegExp) that the message must contain, e.g. the bad field's name.
export function expectGraphError(res, status, mentions) {
  expectStatus(res, status);
  const body = expectJson(res);
  assert.ok(body.error && typeof body.error === 'object', `expected {"error":{...}}, got ${show(res)}`);
  assert.equal(typeof body.error.code, 'string', `error.code must be a string: ${show(res)}`);
  assert.ok(body.error.code.length > 0, `error.code must not be empty: ${show(res)}`);
  assert.equal(typeof body.error.message, 'string', `error.message must be a string: ${show(res)}`);
  assert.ok(body.error.message.length > 0, `error.message must not be empty: ${show(res)}`);
  if (mentions !== undefined) {
    if (mentions instanceof RegExp) assert.match(body.error.message, mentions, `error.message should match ${mentions}: ${show(res)}`);
    else assert.ok(body.error.message.includes(mentions), `error.message should name "${mentions}": ${show(res)}`);
  }
  return body.error;
}

export function expectGuid(value, what = 'id') {
  assert.equal(typeof value, 'string', `${what} must be a string, got ${JSON.stringify(value)}`);
  assert.match(value, GUID_RE, `${what} must be a lower-case GUID, got ${JSON.stringify(value)}`);
}

// {value:[...]} collection.
export function expectCollection(res) {
  expectStatus(res, 200);
  const body = expectJson(res);
  assert.ok(Array.isArray(body.value), `expected {value:[...]}, got ${show(res)}`);
  return body.value;
}

export function bindUser(userId) {
  return `https://graph.microsoft.com/v1.0/users('${userId}')`;
}

export function memberBody(userId, roles = []) {
  return {
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    roles,
    'user@odata.bind': bindUser(userId),
  };
}

let seq = 0;
export function uniqueName(label) {
  seq += 1;
  return `${label} ${seq} ${Math.random().toString(36).slice(2, 8)}`;
}

// Helpers below assert success so that a failing precondition reads clearly.

export async function createTeam(call, displayName = uniqueName('Team'), description) {
  const body = { displayName };
  if (description !== undefined) body.description = description;
  const res = expectStatus(await call('POST', '/v1.0/teams', body), 201, 'create team');
  return res.body;
}

export async function createChannel(call, teamId, displayName = uniqueName('Channel'), description) {
  const body = { displayName };
  if (description !== undefined) body.description = description;
  const res = expectStatus(await call('POST', `/v1.0/teams/${teamId}/channels`, body), 201, 'create channel');
  return res.body;
}

export async function listChannels(call, teamId) {
  return expectCollection(await call('GET', `/v1.0/teams/${teamId}/channels`));
}

export async function generalChannel(call, teamId) {
  const channels = await listChannels(call, teamId);
  const general = channels.find((c) => c.displayName === 'General');
  assert.ok(general, `team ${teamId} has no "General" channel: ${JSON.stringify(channels)}`);
  return general;
}

export async function addMember(call, teamId, userId, roles = []) {
  const res = expectStatus(await call('POST', `/v1.0/teams/${teamId}/members`, memberBody(userId, roles)), 201, 'add member');
  return res.body;
}

export async function listMembers(call, teamId) {
  return expectCollection(await call('GET', `/v1.0/teams/${teamId}/members`));
}

// The contract's chatMessage fields, for comparing a message across responses.
export function pickMessage(m) {
  const { id, createdDateTime, messageType, from, body, attachments, channelIdentity } = m;
  return { id, createdDateTime, messageType, from, body, attachments, channelIdentity };
}

export function messagesPath(teamId, channelId) {
  return `/v1.0/teams/${teamId}/channels/${channelId}/messages`;
}

export async function postMessage(call, teamId, channelId, content = uniqueName('hello'), contentType = 'text') {
  const res = expectStatus(await call('POST', messagesPath(teamId, channelId), { body: { contentType, content } }), 201, 'post message');
  return res.body;
}

// Follows @odata.nextLink from `firstPath` to the end; returns {pages:[[...]], items:[...]}.
export async function readAllPages(call, firstPath, { serverUrl, maxPages = 1000 } = {}) {
  const pages = [];
  let next = firstPath;
  while (next) {
    assert.ok(pages.length < maxPages, `more than ${maxPages} pages: the nextLinks loop`);
    const res = await call('GET', next);
    const value = expectCollection(res);
    pages.push(value);
    next = res.body['@odata.nextLink'];
    if (next !== undefined && next !== null) {
      assert.equal(typeof next, 'string', '@odata.nextLink must be a string');
      if (serverUrl) assert.ok(next.startsWith(serverUrl + '/'), `@odata.nextLink must be absolute under ${serverUrl}, got ${next}`);
    } else {
      next = null;
    }
  }
  return { pages, items: pages.flat() };
}
