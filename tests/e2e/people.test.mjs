// People (issue 21 items 1-3): the directory ($search, $top, guests), administrators' changes
// (PATCH, DELETE, roles, disable), the password policy, changePassword, forced changes and
// `switchboard admin reset-password`, API tokens (expiresIn, list, revoke, lastUsedDateTime) and
// web sessions (list, end one, sign out everywhere). Every refusal checks that nothing changed.
// One server for the file; both stores (SB_STORE=postgres).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, api, newUser, createUser, getToken, runCli, uniqueUpn } from './lib/server.mjs';
import {
  expectStatus, expectGraphError, expectCollection, createTeam, generalChannel, addMember, messagesPath, postMessage,
  uniqueName, RFC3339_UTC_RE, listMembers,
} from './lib/graph.mjs';
import { createWebhook, postTo, expectAccepted, messageCard, newestMessage, openEvents } from './lib/webhooks.mjs';
import { request, until } from './lib/contract.mjs';
import { startOidcProvider } from './lib/oidc.mjs';

let srv;
let admin;
let nextHost = 100;
// Each sign-in from an address of its own: the per-address throttle of one test never reaches
// another's.
function newSource() {
  nextHost += 1;
  return `127.0.0.${nextHost}`;
}

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
  admin = api(srv, srv.adminToken);
});
after(async () => {
  await srv?.close();
});

const me = async (call) => (await call('GET', '/v1.0/me'));
const signIn = (upn, password) => request(srv, 'POST', '/api/v1/session', { body: { userPrincipalName: upn, password }, from: newSource() });

// A web session of u: {cookie, csrf, call(method, path, body)}.
async function session(u, password = u.password) {
  const r = expectStatus(await signIn(u.userPrincipalName, password), 200);
  const cookie = r.setCookie[0].split(';')[0];
  const csrf = r.body.csrfToken;
  return {
    cookie, csrf, answer: r.body,
    call: (method, p, body, headers = {}) => request(srv, method, p, { body, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...headers } }),
  };
}

async function userAsAdmin(id) {
  return expectStatus(await admin('GET', `/v1.0/users/${id}`), 200).body;
}

describe('directory', () => {
  test('$search matches display name or UPN in any case, $top limits, members see no admin fields', async () => {
    const a = await newUser(srv, 'searchable');
    const byUpn = expectCollection(await a.api('GET', `/v1.0/users?$search="${encodeURIComponent(a.userPrincipalName.split('@')[0].toUpperCase())}"`));
    assert.deepEqual(byUpn.map((u) => u.id), [a.id]);
    assert.equal(byUpn[0].mail, a.userPrincipalName);
    assert.ok(!('roles' in byUpn[0]) && !('accountEnabled' in byUpn[0]));
    const byProperty = expectCollection(await a.api('GET', `/v1.0/users?$search="displayName:${encodeURIComponent(a.displayName.toLowerCase())}"`));
    assert.deepEqual(byProperty.map((u) => u.id), [a.id]);
    // LIKE's wildcards are text here.
    assert.deepEqual(expectCollection(await a.api('GET', `/v1.0/users?$search="${encodeURIComponent('%_')}"`)), []);
    assert.equal(expectCollection(await a.api('GET', '/v1.0/users?$top=1')).length, 1);
    expectGraphError(await a.api('GET', '/v1.0/users?$top=0'), 400);
    expectGraphError(await a.api('GET', '/v1.0/users?$top=1000'), 400);
  });

  test('administrators see accountEnabled, roles and userType; GET by id too', async () => {
    const u = await newUser(srv, 'seen');
    const got = await userAsAdmin(u.id);
    assert.equal(got.accountEnabled, true);
    assert.deepEqual(got.roles, ['member']);
    assert.equal(got.userType, 'Member');
    assert.match(got.createdDateTime, RFC3339_UTC_RE);
    const byMember = expectStatus(await u.api('GET', `/v1.0/users/${u.id}`), 200).body;
    assert.ok(!('accountEnabled' in byMember));
  });

  test('an organisation guest (roles:["guest"]) and a team-guest-only person get 403 on the directory; /v1.0/me still works', async () => {
    const g = await newUser(srv, 'orgguest');
    expectStatus(await admin('PATCH', `/v1.0/users/${g.id}`, { roles: ['guest'] }), 204);
    assert.deepEqual((await userAsAdmin(g.id)).roles, ['guest']);
    expectGraphError(await g.api('GET', '/v1.0/users'), 403);
    expectGraphError(await g.api('GET', `/v1.0/users/${g.id}`), 403);
    expectStatus(await me(g.api), 200);
    // A team guest who is also a member of another team is a member.
    const owner = await newUser(srv, 'dirowner');
    const t1 = await createTeam(owner.api, uniqueName('Dir'));
    const t2 = await createTeam(owner.api, uniqueName('Dir'));
    const p = await newUser(srv, 'teamguest');
    await addMember(owner.api, t1.id, p.id, ['guest']);
    expectGraphError(await p.api('GET', '/v1.0/users'), 403);
    await addMember(owner.api, t2.id, p.id);
    expectCollection(await p.api('GET', '/v1.0/users?$top=1'));
  });
});

describe('PATCH /v1.0/users/{id}', () => {
  test('refusals change nothing: a member (403), an unknown id (404), bad values (400), a weak password (400)', async () => {
    const u = await newUser(srv, 'patched');
    const other = await newUser(srv, 'notadmin');
    const before = await userAsAdmin(u.id);
    expectGraphError(await other.api('PATCH', `/v1.0/users/${u.id}`, { displayName: 'Hijacked', accountEnabled: false }), 403);
    expectGraphError(await admin('PATCH', '/v1.0/users/00000000-0000-4000-8000-000000000000', { displayName: 'Ghost' }), 404);
    // An id with more after it is not that user's (whatever the handler copies it into).
    expectGraphError(await admin('PATCH', `/v1.0/users/${u.id}0`, { passwordProfile: { password: 'Long-enough-pw-77' } }), 404);
    expectGraphError(await admin('PATCH', `/v1.0/users/${u.id}0`, { displayName: 'Longer' }), 404);
    expectGraphError(await admin('PATCH', `/v1.0/users/${u.id}`, { accountEnabled: 'no' }), 400);
    expectGraphError(await admin('PATCH', `/v1.0/users/${u.id}`, { displayName: 'Half', roles: ['king'] }), 400);
    expectGraphError(await admin('PATCH', `/v1.0/users/${u.id}`, { displayName: '' }), 400);
    for (const weak of ['Short-pw-1', 'password1234', 'QWERTY123456', u.userPrincipalName, 'zzzzzzzzzzzzzzzz']) {
      expectGraphError(await admin('PATCH', `/v1.0/users/${u.id}`, { displayName: 'Weak', passwordProfile: { password: weak } }), 400, 'password');
    }
    assert.deepEqual(await userAsAdmin(u.id), before);
    expectStatus(await me(u.api), 200); // credentials untouched
    await getToken(srv, u.userPrincipalName, u.password); // password untouched
  });

  test('an administrator cannot disable, demote or delete themself', async () => {
    const a = await newUser(srv, 'selfadmin');
    expectStatus(await admin('PATCH', `/v1.0/users/${a.id}`, { roles: ['globalAdministrator'] }), 204);
    expectGraphError(await a.api('PATCH', `/v1.0/users/${a.id}`, { accountEnabled: false }), 400);
    expectGraphError(await a.api('PATCH', `/v1.0/users/${a.id}`, { roles: ['member'] }), 400);
    expectGraphError(await a.api('DELETE', `/v1.0/users/${a.id}`), 400);
    assert.deepEqual((await userAsAdmin(a.id)).roles, ['globalAdministrator']);
    assert.equal((await userAsAdmin(a.id)).accountEnabled, true);
  });

  test('roles: globalAdministrator may create users, back to member may not', async () => {
    const u = await newUser(srv, 'promoted');
    const body = () => ({ displayName: 'By promoted', userPrincipalName: uniqueUpn('bypromoted'), passwordProfile: { password: 'Long-enough-pw-1' } });
    expectGraphError(await u.api('POST', '/v1.0/users', body()), 403);
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { roles: ['globalAdministrator'] }), 204);
    expectStatus(await u.api('POST', '/v1.0/users', body()), 201);
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { roles: ['member'] }), 204);
    expectGraphError(await u.api('POST', '/v1.0/users', body()), 403);
  });

  test('accountEnabled:false ends sessions and tokens at once and refuses sign-in clearly; true lets them back', async () => {
    const u = await newUser(srv, 'offon');
    const s = await session(u);
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { accountEnabled: false }), 204);
    expectGraphError(await me(u.api), 401);
    expectGraphError(await s.call('GET', '/v1.0/me'), 401);
    const r = await signIn(u.userPrincipalName, u.password);
    expectGraphError(r, 403, 'disabled');
    assert.deepEqual(r.setCookie, []);
    expectGraphError(await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: u.userPrincipalName, password: u.password }), 403);
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { accountEnabled: true }), 204);
    expectGraphError(await me(u.api), 401); // ended credentials stay ended
    await getToken(srv, u.userPrincipalName, u.password);
  });

  test('disabling or deleting ends the person\'s open event streams at once; another person\'s stream stays', async () => {
    const u = await newUser(srv, 'streamer');
    const v = await newUser(srv, 'streamer2');
    const other = await newUser(srv, 'bystander');
    const [su, sv, so] = [await openEvents(srv, { token: u.token }), await openEvents(srv, { token: v.token }), await openEvents(srv, { token: other.token })];
    try {
      expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { accountEnabled: false }), 204);
      await su.waitEnd();
      expectStatus(await admin('DELETE', `/v1.0/users/${v.id}`), 204);
      await sv.waitEnd();
      assert.equal(so.ended, false);
    } finally {
      for (const s of [su, sv, so]) s.close();
    }
  });

  test('a password set by an administrator ends the credentials; forceChangePasswordNextSignIn:false signs in normally', async () => {
    const u = await newUser(srv, 'adminset');
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { passwordProfile: { password: 'Admin-chosen-pw-9', forceChangePasswordNextSignIn: false } }), 204);
    expectGraphError(await me(u.api), 401);
    await assert.rejects(getToken(srv, u.userPrincipalName, u.password));
    const s = await session(u, 'Admin-chosen-pw-9');
    assert.equal(s.answer.passwordChangeRequired, false);
    expectStatus(await s.call('GET', '/v1.0/me/joinedTeams'), 200);
  });

  test('changes are in the audit log with names, never a password', async () => {
    const u = await newUser(srv, 'audited');
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { displayName: 'Audited Person', passwordProfile: { password: 'Audit-secret-pw-7' } }), 204);
    const log = expectCollection(await admin('GET', '/api/v1/admin/audit'));
    const entry = log.find((e) => e.target === u.id);
    assert.ok(entry, JSON.stringify(log.slice(0, 3)));
    assert.equal(entry.action, 'user.resetPassword');
    assert.equal(entry.after.displayName, 'Audited Person');
    assert.ok(!JSON.stringify(log).includes('Audit-secret-pw-7'));
    assert.ok(!JSON.stringify(log).includes('$argon2'));
  });
});

describe('DELETE /v1.0/users/{id}', () => {
  test('refusals change nothing: a member (403), an unknown id (404)', async () => {
    const u = await newUser(srv, 'keep');
    const other = await newUser(srv, 'deleter');
    expectGraphError(await other.api('DELETE', `/v1.0/users/${u.id}`), 403);
    expectGraphError(await admin('DELETE', '/v1.0/users/00000000-0000-4000-8000-000000000000'), 404);
    expectStatus(await me(u.api), 200);
    await userAsAdmin(u.id);
  });

  test('a deleted person is a former member: gone from the team members, messages stay with their name, their webhook keeps posting, the UPN is free, a second DELETE is 404', async () => {
    const u = await newUser(srv, 'leaver');
    const team = await createTeam(u.api, uniqueName('Leaver'));
    const channel = await generalChannel(u.api, team.id);
    const stayer = await newUser(srv, 'stayer');
    await addMember(u.api, team.id, stayer.id, ['owner']);
    const sent = await postMessage(u.api, team.id, channel.id, 'before I leave');
    const hook = await createWebhook(u.api, channel.id);
    expectStatus(await admin('DELETE', `/v1.0/users/${u.id}`), 204);
    expectGraphError(await me(u.api), 401);
    expectGraphError(await signIn(u.userPrincipalName, u.password), 401);
    expectGraphError(await admin('GET', `/v1.0/users/${u.id}`), 404);
    assert.ok(!expectCollection(await admin('GET', '/v1.0/users')).some((x) => x.id === u.id));
    assert.deepEqual((await listMembers(stayer.api, team.id)).map((m) => m.userId), [stayer.id]);
    const kept = expectStatus(await stayer.api('GET', `${messagesPath(team.id, channel.id)}/${sent.id}`), 200).body;
    assert.equal(kept.from.user.id, u.id);
    assert.equal(kept.from.user.displayName, u.displayName);
    expectAccepted(await postTo(hook.url, messageCard('still posting')));
    assert.match(JSON.stringify((await newestMessage(stayer.api, team.id, channel.id)).attachments), /still posting/);
    expectGraphError(await admin('DELETE', `/v1.0/users/${u.id}`), 404);
    const again = await createUser(srv, { userPrincipalName: u.userPrincipalName, password: 'Brand-new-pw-42' });
    assert.notEqual(again.id, u.id);
  });
});

describe('password policy', () => {
  test('POST /v1.0/users refuses short and common passwords (400) and creates nothing', async () => {
    for (const weak of ['Elevenchars', 'Password1234', '123456789012', 'qwertyuiop123']) {
      const upn = uniqueUpn('weak');
      expectGraphError(await admin('POST', '/v1.0/users', { displayName: 'Weak', userPrincipalName: upn, passwordProfile: { password: weak } }), 400, 'password');
      assert.deepEqual(expectCollection(await admin('GET', `/v1.0/users?$search="${encodeURIComponent(upn)}"`)), []);
    }
    expectStatus(await admin('POST', '/v1.0/users', { displayName: 'Twelve', userPrincipalName: uniqueUpn('twelve'), passwordProfile: { password: 'é-twelve-chr' } }), 201);
  });
});

describe('POST /v1.0/me/changePassword', () => {
  test('refusals change nothing: missing fields and a weak or unchanged new password (400), a wrong current one (403)', async () => {
    const u = await newUser(srv, 'refused');
    const other = api(srv, await getToken(srv, u.userPrincipalName, u.password));
    expectGraphError(await u.api('POST', '/v1.0/me/changePassword', { currentPassword: u.password }), 400);
    expectGraphError(await u.api('POST', '/v1.0/me/changePassword', { currentPassword: u.password, newPassword: 'short-1' }), 400);
    expectGraphError(await u.api('POST', '/v1.0/me/changePassword', { currentPassword: u.password, newPassword: 'password1234' }), 400);
    expectGraphError(await u.api('POST', '/v1.0/me/changePassword', { currentPassword: u.password, newPassword: u.password }), 400);
    expectGraphError(await u.api('POST', '/v1.0/me/changePassword', { currentPassword: 'not-my-password', newPassword: 'A-fine-new-pw-1' }), 403);
    expectStatus(await me(other), 200);
    await getToken(srv, u.userPrincipalName, u.password);
  });

  test('wrong current passwords count against the account: the sixth try is 429 before any check', async () => {
    const u = await newUser(srv, 'guesser');
    for (let i = 0; i < 5; i++) {
      expectGraphError(await u.api('POST', '/v1.0/me/changePassword', { currentPassword: `wrong-${i}-password`, newPassword: 'A-fine-new-pw-1' }), 403);
    }
    const r = await u.api('POST', '/v1.0/me/changePassword', { currentPassword: u.password, newPassword: 'A-fine-new-pw-1' });
    expectGraphError(r, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  });

  test('from a web session: the calling session stays, the other session and the API token end', async () => {
    const u = await newUser(srv, 'websess');
    const a = await session(u);
    const b = await session(u);
    expectStatus(await a.call('POST', '/v1.0/me/changePassword', { currentPassword: u.password, newPassword: 'Web-changed-pw-3' }), 204);
    expectStatus(await a.call('GET', '/v1.0/me'), 200);
    expectGraphError(await b.call('GET', '/v1.0/me'), 401);
    expectGraphError(await me(u.api), 401);
  });

  test('the bootstrap administrator without a password: 403, nothing set', async () => {
    const r = await admin('POST', '/v1.0/me/changePassword', { currentPassword: 'x-not-a-password', newPassword: 'A-fine-new-pw-1' });
    expectGraphError(r, 403);
    expectGraphError(await signIn('admin', 'A-fine-new-pw-1'), 401);
  });
});

describe('forced password change and reset-password', () => {
  test('a forced change lets only the session routes and changePassword through, for tokens too', async () => {
    const u = await newUser(srv, 'mustchange');
    expectStatus(await admin('PATCH', `/v1.0/users/${u.id}`, { passwordProfile: { password: 'Temporary-pw-11' } }), 204);
    const token = await getToken(srv, u.userPrincipalName, 'Temporary-pw-11');
    expectGraphError(await api(srv, token)('GET', '/v1.0/me'), 403, 'changePassword');
    expectGraphError(await api(srv, token)('GET', '/api/v1/tokens'), 403);
    const s = await session(u, 'Temporary-pw-11');
    assert.equal(s.answer.passwordChangeRequired, true);
    assert.equal(expectStatus(await s.call('GET', '/api/v1/session'), 200).body.passwordChangeRequired, true);
    expectGraphError(await s.call('GET', '/v1.0/users'), 403);
    expectStatus(await api(srv, token)('POST', '/v1.0/me/changePassword', { currentPassword: 'Temporary-pw-11', newPassword: 'My-own-choice-12' }), 204);
    expectStatus(await api(srv, token)('GET', '/v1.0/me'), 200);
    expectGraphError(await s.call('GET', '/v1.0/me'), 401); // the other session ended with the change
    const s2 = await session(u, 'My-own-choice-12');
    assert.equal(s2.answer.passwordChangeRequired, false);
  });

  test('reset-password of the bootstrap administrator leaves SWITCHBOARD_ADMIN_TOKEN working', async () => {
    const r = await runCli(['admin', '--data', srv.dataDir, 'reset-password', 'admin']);
    assert.equal(r.code, 0, r.stderr);
    expectStatus(await admin('GET', '/v1.0/me'), 200);
    expectStatus(await admin('GET', '/v1.0/users?$top=1'), 200);
  });

  test('reset-password refusals: an unknown account exits 1, no account or two exit 2', async () => {
    const unknown = await runCli(['admin', '--data', srv.dataDir, 'reset-password', 'nobody@switchboard.test']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /nobody@switchboard\.test/);
    assert.equal(unknown.stdout, '');
    assert.equal((await runCli(['admin', '--data', srv.dataDir, 'reset-password'])).code, 2);
    assert.equal((await runCli(['admin', '--data', srv.dataDir, 'reset-password', 'a', 'b'])).code, 2);
  });

  test('reset-password ends the person\'s sessions and tokens', async () => {
    const u = await newUser(srv, 'resetends');
    const s = await session(u);
    const r = await runCli(['admin', '--data', srv.dataDir, 'reset-password', u.userPrincipalName]);
    assert.equal(r.code, 0, r.stderr);
    expectGraphError(await me(u.api), 401);
    expectGraphError(await s.call('GET', '/v1.0/me'), 401);
  });
});

describe('API tokens', () => {
  test('expiresIn out of range or not a number: 400 and no token created', async () => {
    const u = await newUser(srv, 'badexpiry');
    const count = () => u.api('GET', '/api/v1/tokens').then((r) => expectCollection(r).length);
    const n = await count();
    for (const expiresIn of [59, 3 * 365 * 86400, '3600', 1.5]) {
      expectGraphError(await api(srv)('POST', '/api/v1/tokens', { userPrincipalName: u.userPrincipalName, password: u.password, expiresIn }), 400, 'expiresIn');
    }
    assert.equal(await count(), n);
  });

  test('another person\'s token or an unknown id: 404, and the token still works', async () => {
    const a = await newUser(srv, 'tokena');
    const b = await newUser(srv, 'tokenb');
    const [bt] = expectCollection(await b.api('GET', '/api/v1/tokens'));
    expectGraphError(await a.api('DELETE', `/api/v1/tokens/${bt.id}`), 404);
    expectGraphError(await a.api('DELETE', '/api/v1/tokens/00000000-0000-4000-8000-000000000000'), 404);
    expectStatus(await me(b.api), 200);
  });

  test('lastUsedDateTime records use; sessions are not listed as tokens', async () => {
    const u = await newUser(srv, 'lastused');
    await session(u);
    await me(u.api);
    const value = await until(async () => expectCollection(await u.api('GET', '/api/v1/tokens')), (v) => v.length === 1 && v[0].lastUsedDateTime);
    assert.match(value[0].lastUsedDateTime, RFC3339_UTC_RE);
    assert.ok(Date.parse(value[0].lastUsedDateTime) >= Date.parse(value[0].createdDateTime));
  });
});

describe('web sessions: GET/DELETE /api/v1/me/sessions', () => {
  test('lists the caller\'s sessions with the current one marked; ends one; refusals change nothing', async () => {
    const u = await newUser(srv, 'sessions');
    const a = await session(u);
    const b = await session(u);
    const list = expectCollection(await a.call('GET', '/api/v1/me/sessions'));
    assert.equal(list.length, 2);
    for (const x of list) for (const k of ['id', 'createdDateTime', 'expiresDateTime', 'lastUsedDateTime', 'isCurrent']) assert.ok(k in x, k);
    assert.equal(list.filter((x) => x.isCurrent).length, 1);
    const other = list.find((x) => !x.isCurrent);
    // Without the CSRF token, from someone else, with an unknown id: nothing ends.
    expectGraphError(await request(srv, 'DELETE', `/api/v1/me/sessions/${other.id}`, { headers: { Cookie: a.cookie } }), 403);
    const stranger = await newUser(srv, 'stranger');
    expectGraphError(await stranger.api('DELETE', `/api/v1/me/sessions/${other.id}`), 404);
    expectGraphError(await a.call('DELETE', '/api/v1/me/sessions/00000000-0000-4000-8000-000000000000'), 404);
    expectStatus(await b.call('GET', '/v1.0/me'), 200);
    expectStatus(await a.call('DELETE', `/api/v1/me/sessions/${other.id}`), 204);
    expectGraphError(await b.call('GET', '/v1.0/me'), 401);
    expectStatus(await a.call('GET', '/v1.0/me'), 200);
    assert.equal(expectCollection(await a.call('GET', '/api/v1/me/sessions')).length, 1);
  });

  test('an ended session\'s or token\'s event stream ends at once; streams of others stay', async () => {
    const u = await newUser(srv, 'streamends');
    const other = await newUser(srv, 'streamstays');
    const a = await session(u);
    const b = await session(u);
    const second = await getToken(srv, u.userPrincipalName, u.password);
    const sb = await openEvents(srv, { cookie: b.cookie });
    const st = await openEvents(srv, { token: second });
    const so = await openEvents(srv, { token: other.token });
    try {
      const other_ = expectCollection(await a.call('GET', '/api/v1/me/sessions')).find((x) => !x.isCurrent);
      expectStatus(await a.call('DELETE', `/api/v1/me/sessions/${other_.id}`), 204);
      await sb.waitEnd();
      const tokens = expectCollection(await a.call('GET', '/api/v1/tokens'));
      const newest = [...tokens].sort((x, y) => Date.parse(y.createdDateTime) - Date.parse(x.createdDateTime))[0];
      expectStatus(await a.call('DELETE', `/api/v1/tokens/${newest.id}`), 204);
      await st.waitEnd();
      assert.equal(so.ended, false);
    } finally {
      for (const s of [sb, st, so]) s.close();
    }
  });

  test('DELETE /api/v1/me/sessions signs out everywhere (this session included, cookie cleared); API tokens stay', async () => {
    const u = await newUser(srv, 'everywhere');
    const a = await session(u);
    const b = await session(u);
    const r = expectStatus(await a.call('DELETE', '/api/v1/me/sessions'), 204);
    assert.match(r.setCookie.join('\n'), /sb_session=;.*Max-Age=0/);
    expectGraphError(await a.call('GET', '/v1.0/me'), 401);
    expectGraphError(await b.call('GET', '/v1.0/me'), 401);
    expectStatus(await me(u.api), 200);
  });
});

describe('a disabled account and single sign-on', () => {
  let idp;
  let s;
  before(async () => {
    idp = await startOidcProvider();
    s = await startServer({ args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', idp.clientId], env: { SWITCHBOARD_OIDC_CLIENT_SECRET: idp.clientSecret } });
    idp.configure(`${s.url}/api/v1/auth/oidc/callback`);
    expectStatus(await api(s, s.adminToken)('PATCH', '/api/v1/admin/organization', { outboundAllowedHosts: [idp.host] }), 200);
  });
  after(async () => {
    await s?.close();
    await idp?.close();
  });

  test('the provider signs the person in, but a disabled account gets no session; enabled again, it does', async () => {
    const u = await createUser(s, { userPrincipalName: uniqueUpn('ssooff') });
    idp.people.set('ssooff', { preferred_username: u.userPrincipalName, email: u.userPrincipalName, name: 'Off' });
    const through = async () => {
      const start = await request(s, 'GET', '/api/v1/auth/oidc/start');
      assert.equal(start.status, 302, start.text);
      const back = new URL(await idp.signIn(start.headers.location, 'ssooff'));
      const cookies = start.setCookie.map((c) => c.split(';')[0]).filter((c) => !/=$/.test(c)).join('; ');
      return request(s, 'GET', back.pathname + back.search, { headers: { Cookie: cookies } });
    };
    const session = (r) => r.setCookie.find((c) => /^sb_session=[^;]/.test(c));
    expectStatus(await api(s, s.adminToken)('PATCH', `/v1.0/users/${u.id}`, { accountEnabled: false }), 204);
    const refused = await through();
    assert.equal(session(refused), undefined, refused.setCookie.join(' | '));
    expectStatus(await api(s, s.adminToken)('PATCH', `/v1.0/users/${u.id}`, { accountEnabled: true }), 204);
    const ok = await through();
    assert.ok(session(ok), ok.setCookie.join(' | '));
  });
});
