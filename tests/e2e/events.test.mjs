// GET /api/v1/events: Server-Sent Events of new messages (contract section 4). Read with a raw
// fetch stream and eventsource-parser. Every wait is for an event, bounded by a timeout; the
// absence of an event is proven by a later event that does arrive.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, newUser } from './lib/server.mjs';
import {
  expectStatus, expectCollection, createTeam, createChannel, generalChannel, addMember,
  listMembers, postMessage, messagesPath, uniqueName, pickMessage,
} from './lib/graph.mjs';
import {
  createWebhook, postTo, expectAccepted, expectWorkflowAccepted, messageCard, openEvents, sessionFor,
  MESSAGECARD_TYPE,
} from './lib/webhooks.mjs';

let srv;
const streams = [];

before(async () => {
  srv = await startServer({ args: ['--webhook-rate-limit', '0'] });
});

after(async () => {
  for (const s of streams) s.close();
  if (srv) await srv.close();
});

async function open(opts) {
  const s = await openEvents(srv, opts);
  streams.push(s);
  return s;
}

async function openOk(opts) {
  const s = await open(opts);
  assert.equal(s.status, 200, `GET /api/v1/events -> ${s.status} ${s.text || ''}`);
  return s;
}

// The next event of `stream` carrying the message with `text` (a person's message content or a
// card text); fails if another message event comes first.
async function expectNextMessage(stream, check, what) {
  const ev = await stream.next({ what });
  assert.equal(ev.event, 'message', `expected "event: message", got ${JSON.stringify(ev)}`);
  assert.ok(ev.json, `data is not JSON: ${ev.data}`);
  check(ev.json, ev);
  return ev;
}

function isPersonText(text) {
  return (m) => {
    assert.deepEqual(m.body, { contentType: 'text', content: text }, `expected the message "${text}", got ${JSON.stringify(m)}`);
  };
}

function cardText(m) {
  return m.attachments && m.attachments[0] && typeof m.attachments[0].content === 'string' ? JSON.parse(m.attachments[0].content).text : undefined;
}

function isCardText(text) {
  return (m) => {
    assert.equal(cardText(m), text, `expected the webhook card "${text}", got ${JSON.stringify(m)}`);
  };
}

describe('a member\'s stream', () => {
  let alice; // owner of team A
  let bob; // member of team A
  let team;
  let general;
  let hook;
  let stream;

  before(async () => {
    [alice, bob] = await Promise.all([newUser(srv, 'alice'), newUser(srv, 'bob')]);
    team = await createTeam(alice.api, uniqueName('Events A'));
    general = await generalChannel(alice.api, team.id);
    await addMember(alice.api, team.id, bob.id, []);
    hook = await createWebhook(alice.api, general.id, { name: uniqueName('Events hook') });
    stream = await openOk({ token: alice.token, label: 'alice' });
  });

  test('answers 200 text/event-stream', () => {
    assert.match(stream.headers.get('content-type'), /^text\/event-stream\b/i);
  });

  test('a webhook post arrives as `event: message` with an id and the chatMessage as data', async () => {
    const text = uniqueName('hook event');
    expectAccepted(await postTo(hook.url, messageCard(text)));
    const ev = await expectNextMessage(stream, isCardText(text), 'the webhook message');
    assert.match(ev.id, /^\S+$/, `id: ${JSON.stringify(ev.id)}`);
    const m = ev.json;
    assert.equal(m.messageType, 'message');
    assert.deepEqual(m.channelIdentity, { teamId: team.id, channelId: general.id });
    assert.equal(m.from.application.id, hook.id);
    assert.equal(m.from.application.displayName, hook.name);
    assert.equal(m.from.application.applicationIdentityType, 'connector');
    assert.equal(m.attachments[0].contentType, MESSAGECARD_TYPE);
    // the same message as the Graph API returns
    const listed = expectCollection(await alice.api('GET', `${messagesPath(team.id, general.id)}?$top=1`))[0];
    assert.deepEqual(pickMessage(m), pickMessage(listed));
  });

  test('a person\'s message arrives too, with from.user', async () => {
    const text = uniqueName('bob says');
    const posted = await postMessage(bob.api, team.id, general.id, text);
    const ev = await expectNextMessage(stream, isPersonText(text), 'bob\'s message');
    assert.equal(ev.json.id, posted.id);
    assert.equal(ev.json.from.user.id, bob.id);
    assert.deepEqual(pickMessage(ev.json), pickMessage(posted));
  });

  test('messages in another channel of the team arrive; workflow-URL posts too', async () => {
    const ch = await createChannel(alice.api, team.id, uniqueName('Second'));
    const text = uniqueName('second channel');
    await postMessage(bob.api, team.id, ch.id, text);
    const ev = await expectNextMessage(stream, isPersonText(text), 'the message in the second channel');
    assert.equal(ev.json.channelIdentity.channelId, ch.id);
    const wf = uniqueName('workflow event');
    expectWorkflowAccepted(await postTo(hook.workflowUrl, messageCard(wf)));
    await expectNextMessage(stream, isCardText(wf), 'the workflow-URL message');
  });

  test('ids increase from one event to the next', () => {
    const ids = stream.events.filter((e) => e.event === 'message').map((e) => e.id);
    assert.ok(ids.length >= 4);
    assert.equal(new Set(ids).size, ids.length, `ids repeat: ${ids}`);
    if (ids.every((i) => /^\d+$/.test(i))) {
      for (let i = 1; i < ids.length; i++) assert.ok(BigInt(ids[i]) > BigInt(ids[i - 1]), `ids not increasing: ${ids}`);
    }
  });

  test('refused webhook posts produce no event', async () => {
    const r = await postTo(hook.url, { '@type': 'MessageCard', title: 'no text' });
    assert.equal(r.status, 400);
    const text = uniqueName('after the refused post');
    await postMessage(bob.api, team.id, general.id, text);
    await expectNextMessage(stream, isPersonText(text), 'the message after the refused post');
  });
});

describe('visibility', () => {
  let owner;
  let carol; // only in team B
  let teamA;
  let teamB;
  let chA;
  let chB;
  let hookA;
  let carolStream;

  before(async () => {
    [owner, carol] = await Promise.all([newUser(srv, 'owner'), newUser(srv, 'carol')]);
    teamA = await createTeam(owner.api, uniqueName('Team A'));
    teamB = await createTeam(owner.api, uniqueName('Team B'));
    chA = await generalChannel(owner.api, teamA.id);
    chB = await generalChannel(owner.api, teamB.id);
    await addMember(owner.api, teamB.id, carol.id, []);
    hookA = await createWebhook(owner.api, chA.id, { name: 'A hook' });
    carolStream = await openOk({ token: carol.token, label: 'carol' });
  });

  test('a user of another team receives nothing for a team they are not in', async () => {
    const ownerStream = await openOk({ token: owner.token, label: 'owner' });
    const secretText = uniqueName('team A secret');
    const hookText = uniqueName('team A hook secret');
    await postMessage(owner.api, teamA.id, chA.id, secretText);
    expectAccepted(await postTo(hookA.url, messageCard(hookText)));
    // the owner (in both teams) sees them, so they have been published
    await expectNextMessage(ownerStream, isPersonText(secretText), 'team A message on the owner\'s stream');
    await expectNextMessage(ownerStream, isCardText(hookText), 'team A webhook message on the owner\'s stream');
    // carol's next event is the later team-B message: the team-A ones never reached her
    const visible = uniqueName('team B news');
    await postMessage(owner.api, teamB.id, chB.id, visible);
    await expectNextMessage(carolStream, isPersonText(visible), 'the team B message (and nothing of team A before it)');
    assert.ok(!carolStream.events.some((e) => e.data.includes(secretText) || e.data.includes(hookText)), carolStream.describe());
  });

  test('a user added to a team while connected starts receiving that team\'s events', async () => {
    await addMember(owner.api, teamA.id, carol.id, []);
    const text = uniqueName('welcome to A');
    await postMessage(owner.api, teamA.id, chA.id, text);
    const ev = await expectNextMessage(carolStream, isPersonText(text), 'the team A message after carol joined');
    assert.equal(ev.json.channelIdentity.teamId, teamA.id);
    const hookText = uniqueName('A hook after joining');
    expectAccepted(await postTo(hookA.url, messageCard(hookText)));
    await expectNextMessage(carolStream, isCardText(hookText), 'the team A webhook message after carol joined');
  });

  test('a user removed from a team while connected stops receiving that team\'s events', async () => {
    const membership = (await listMembers(owner.api, teamA.id)).find((m) => m.userId === carol.id);
    expectStatus(await owner.api('DELETE', `/v1.0/teams/${teamA.id}/members/${membership.id}`), 204);
    const hidden = uniqueName('A after carol left');
    await postMessage(owner.api, teamA.id, chA.id, hidden);
    const visible = uniqueName('B after carol left A');
    await postMessage(owner.api, teamB.id, chB.id, visible);
    await expectNextMessage(carolStream, isPersonText(visible), 'the team B message (and not the team A one before it)');
  });

  test('the admin token sees every team', async () => {
    const adminStream = await openOk({ token: srv.adminToken, label: 'admin' });
    const text = uniqueName('for the admin');
    await postMessage(owner.api, teamB.id, chB.id, text);
    await expectNextMessage(adminStream, isPersonText(text), 'the message on the admin stream');
  });

  test('no credentials -> 401; a bad token -> 401', async () => {
    const anon = await open({ label: 'anonymous' });
    assert.equal(anon.status, 401, `got ${anon.status} ${anon.text}`);
    const bad = await open({ token: 'not-a-token', label: 'bad token' });
    assert.equal(bad.status, 401, `got ${bad.status} ${bad.text}`);
  });
});

describe('resuming with Last-Event-ID', () => {
  let dana;
  let team;
  let ch;
  let hook;
  const texts = [];

  before(async () => {
    dana = await newUser(srv, 'dana');
    team = await createTeam(dana.api, uniqueName('Replay'));
    ch = await generalChannel(dana.api, team.id);
    hook = await createWebhook(dana.api, ch.id, { name: 'replay hook' });
  });

  test('replays exactly the messages after that id, in order, then continues live', async () => {
    const first = await openOk({ token: dana.token, label: 'dana 1' });
    // three messages seen live
    for (let i = 0; i < 3; i++) {
      const t = uniqueName(`live ${i}`);
      texts.push(t);
      await postMessage(dana.api, team.id, ch.id, t);
      await expectNextMessage(first, isPersonText(t), `live message ${i}`);
    }
    const seen = first.events.filter((e) => e.event === 'message');
    assert.equal(seen.length, 3);
    first.close();

    // while disconnected: a person's message and two webhook posts
    const missed = [uniqueName('missed person'), uniqueName('missed hook 1'), uniqueName('missed hook 2')];
    await postMessage(dana.api, team.id, ch.id, missed[0]);
    expectAccepted(await postTo(hook.url, messageCard(missed[1])));
    expectAccepted(await postTo(hook.url, messageCard(missed[2])));

    // resume after the first of the three live events: the other two, then the missed three
    const second = await openOk({ token: dana.token, lastEventId: seen[0].id, label: 'dana 2' });
    await expectNextMessage(second, isPersonText(texts[1]), 'replayed live message 1');
    await expectNextMessage(second, isPersonText(texts[2]), 'replayed live message 2');
    await expectNextMessage(second, isPersonText(missed[0]), 'the missed person message');
    await expectNextMessage(second, isCardText(missed[1]), 'the missed webhook message 1');
    const lastReplayed = await expectNextMessage(second, isCardText(missed[2]), 'the missed webhook message 2');
    assert.equal(second.events.filter((e) => e.event === 'message')[0].id, seen[1].id, 'replayed events keep their ids');
    assert.equal(second.events.filter((e) => e.event === 'message')[1].id, seen[2].id);

    // then live, with nothing repeated in between
    const live = uniqueName('live again');
    await postMessage(dana.api, team.id, ch.id, live);
    const ev = await expectNextMessage(second, isPersonText(live), 'the live message after the replay');
    assert.notEqual(ev.id, lastReplayed.id);

    // resuming from the newest id replays nothing: the next event is the next new message
    const third = await openOk({ token: dana.token, lastEventId: ev.id, label: 'dana 3' });
    const next = uniqueName('after resuming at the head');
    expectAccepted(await postTo(hook.url, messageCard(next)));
    await expectNextMessage(third, isCardText(next), 'the new message (nothing replayed before it)');
  });

  test('replay only covers teams the user belongs to', async () => {
    const erin = await newUser(srv, 'erin');
    const other = await createTeam(erin.api, uniqueName('Erin only'));
    const otherCh = await generalChannel(erin.api, other.id);
    const start = await openOk({ token: dana.token, label: 'dana marker' });
    const marker = uniqueName('marker');
    await postMessage(dana.api, team.id, ch.id, marker);
    const markerEv = await expectNextMessage(start, isPersonText(marker), 'the marker');
    start.close();
    const foreign = uniqueName('erin private');
    await postMessage(erin.api, other.id, otherCh.id, foreign);
    const mine = uniqueName('dana after marker');
    await postMessage(dana.api, team.id, ch.id, mine);
    const resumed = await openOk({ token: dana.token, lastEventId: markerEv.id, label: 'dana resumed' });
    await expectNextMessage(resumed, isPersonText(mine), 'dana\'s own message (erin\'s is not replayed)');
  });
});

describe('cookie session', () => {
  test('a web session (POST /api/v1/session) can read the stream', async () => {
    const fay = await newUser(srv, 'fay');
    const team = await createTeam(fay.api, uniqueName('Cookie'));
    const ch = await generalChannel(fay.api, team.id);
    const hook = await createWebhook(fay.api, ch.id, { name: 'cookie hook' });
    const { cookie } = await sessionFor(srv, fay);
    const s = await openOk({ cookie, label: 'fay (cookie)' });
    const text = uniqueName('cookie hook post');
    expectAccepted(await postTo(hook.url, messageCard(text)));
    await expectNextMessage(s, isCardText(text), 'the webhook message on the cookie stream');
    const said = uniqueName('cookie person');
    await postMessage(fay.api, team.id, ch.id, said);
    await expectNextMessage(s, isPersonText(said), 'the person message on the cookie stream');
  });

  test('a bogus session cookie -> 401', async () => {
    const s = await open({ cookie: 'sb_session=bogus', label: 'bogus cookie' });
    assert.equal(s.status, 401, `got ${s.status} ${s.text}`);
  });
});
