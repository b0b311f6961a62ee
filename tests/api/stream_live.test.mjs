// Event stream (GET /kaiwa/v1/stream, WebSocket): live delivery, ordering and exactly-once under
// concurrent posters, resume with since after a disconnect, and resync for a position the log
// does not hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom, postMessage, latestMessages, cmpId } from './support/fixtures.mjs';
import { createdIn, assertMessageData, poolMap, StreamSet } from './support/stream.mjs';

let srv;
let org;
const streams = new StreamSet();

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'Stream Org');
});

after(async () => {
  streams.closeAll();
  await srv?.stop();
});

function stream(user, opts = {}) {
  return streams.open(srv.url, user, opts);
}

test('two members see each other\'s messages live, in the same pos order, with the posted body; edits and deletes follow', async () => {
  const [alice, bob] = await makeUsers(srv, org, ['Live Alice', 'Live Bob']);
  const room = await makeRoom(alice, { name: 'Live room', members: [bob] });
  const sa = await stream(alice);
  const sb = await stream(bob);
  for (const s of [sa, sb]) {
    assert.equal(s.items[0].type, 'ready', `${s.label}: without since the first object is the ready notice`);
    assert.ok(Number.isInteger(s.items[0].pos) && s.items[0].pos > 0, 'ready carries the current pos');
  }
  const t0 = Math.floor(Date.now() / 1000);
  const m1 = await postMessage(alice, room, 'hello from alice 🎉 <b>&amp;</b>');
  const m2 = await postMessage(bob, room, 'hi from bob\nsecond line');
  const m3 = await postMessage(alice, room, 'and alice again');
  const expected = [
    { id: m1, body: 'hello from alice 🎉 <b>&amp;</b>', account_id: alice.account_id },
    { id: m2, body: 'hi from bob\nsecond line', account_id: bob.account_id },
    { id: m3, body: 'and alice again', account_id: alice.account_id },
  ];
  for (const s of [sa, sb]) {
    await s.waitFor((x) => createdIn(x, room).length >= 3, 15000, 'three message_created');
    const got = createdIn(s, room);
    assert.deepEqual(got.map(({ id, body, account_id }) => ({ id, body, account_id })), expected, `${s.label}: the three messages in posting order`);
    for (const e of s.ofType('message_created', room)) {
      assertMessageData(e, { roomId: room });
      assert.equal(e.data.update_time, 0);
      assert.ok(e.data.send_time >= t0 - 5 && e.data.send_time <= Math.floor(Date.now() / 1000) + 5, `send_time ${e.data.send_time}`);
      assert.ok(Math.abs(e.created_at_ms - Date.now()) < 60000, `created_at_ms ${e.created_at_ms} is about now`);
    }
  }
  assert.deepEqual(createdIn(sa, room).map((x) => x.pos), createdIn(sb, room).map((x) => x.pos),
    'both members see the same events at the same positions');

  // edit and delete reach both
  expectStatus(await alice.api.put(`/rooms/${room}/messages/${m1}`, { body: 'edited by alice' }), 200);
  expectStatus(await bob.api.del(`/rooms/${room}/messages/${m2}`), 200);
  for (const s of [sa, sb]) {
    const upd = await s.waitForEvent((e) => e.type === 'message_updated' && e.data.message_id === m1, 15000, 'message_updated');
    assertMessageData(upd, { roomId: room, messageId: m1, accountId: alice.account_id, body: 'edited by alice' });
    assert.ok(upd.data.update_time >= t0 - 5, 'an edited message has an update_time');
    const del = await s.waitForEvent((e) => e.type === 'message_deleted' && e.data.message_id === m2, 15000, 'message_deleted');
    assert.equal(del.data.room_id, room);
    assert.equal(del.data.account_id, bob.account_id);
    assert.ok(del.pos > upd.pos, 'the delete comes after the edit');
    s.assertClean();
  }
  // a live stream only ever gets the present: nothing from before it opened
  for (const s of [sa, sb]) {
    assert.ok(s.events.every((e) => e.pos > s.items[0].pos), `${s.label}: every event is after the ready pos`);
  }
});

test('ordering and exactly-once: 3 accounts × 50 concurrent posts reach a connected reader once each, pos and ids ascending, matching the room listing', { timeout: 90000 }, async (t) => {
  const posters = await makeUsers(srv, org, ['Poster 1', 'Poster 2', 'Poster 3']);
  const [reader] = await makeUsers(srv, org, ['Order Reader']);
  const room = await makeRoom(posters[0], { name: 'Ordering', members: [...posters.slice(1), reader] });
  const s = await stream(reader);
  const p0 = s.lastPos;
  const PER = 50;
  const WORKERS_PER_ACCOUNT = 4;
  const acked = new Map(); // id -> {body, account_id, worker, n}
  const perWorker = []; // acked ids in the order each sequential worker got them
  await Promise.all(posters.flatMap((p, a) => Array.from({ length: WORKERS_PER_ACCOUNT }, async (_, w) => {
    const mine = [];
    perWorker.push(mine);
    for (let n = w; n < PER; n += WORKERS_PER_ACCOUNT) {
      const body = `order a${a} n${n} ${'x'.repeat(n)}`;
      const id = await postMessage(p, room, body);
      assert.ok(!acked.has(id), `message id ${id} acknowledged twice`);
      acked.set(id, { body, account_id: p.account_id });
      mine.push(id);
    }
  })));
  const total = posters.length * PER;
  assert.equal(acked.size, total);
  await s.waitFor((x) => createdIn(x, room).length >= total, 30000, `${total} message_created`);
  // the next event tells us nothing more is in flight for this burst
  await postMessage(posters[0], room, 'end of burst');
  await s.waitFor((x) => createdIn(x, room).some((m) => m.body === 'end of burst'), 15000, 'the end marker');
  s.assertClean();

  const got = createdIn(s, room).filter((m) => m.body !== 'end of burst');
  assert.equal(got.length, total, 'every acknowledged message arrives exactly once (no more, no less)');
  const ids = got.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'no message_created is delivered twice');
  for (const m of got) {
    const a = acked.get(m.id);
    assert.ok(a, `message ${m.id} in the stream was acknowledged to a poster`);
    assert.equal(m.body, a.body, `body of ${m.id}`);
    assert.equal(m.account_id, a.account_id, `account_id of ${m.id}`);
  }
  for (let i = 1; i < got.length; i++) {
    assert.ok(got[i].pos > got[i - 1].pos, 'pos strictly increasing');
    assert.ok(cmpId(got[i - 1].id, got[i].id) < 0, `message ids ascend with pos (${got[i - 1].id} at pos ${got[i - 1].pos}, ${got[i].id} at pos ${got[i].pos})`);
  }
  // each sequential worker's posts appear in the order they were acknowledged
  const posOf = new Map(got.map((m) => [m.id, m.pos]));
  for (const mine of perWorker) {
    for (let i = 1; i < mine.length; i++) assert.ok(posOf.get(mine[i - 1]) < posOf.get(mine[i]), 'a poster\'s messages keep their order');
  }

  // the room listing (latest 100) is the tail of what the stream delivered, in the same order
  const listed = (await latestMessages(reader, room)).map((m) => ({ id: m.message_id, body: m.body, account_id: m.account.account_id }));
  const streamed = createdIn(s, room).map(({ id, body, account_id }) => ({ id, body, account_id }));
  assert.ok(listed.length > 0 && listed.length <= 100);
  assert.deepEqual(listed, streamed.slice(-listed.length), 'GET /v2/rooms/{id}/messages?force=1 equals the last messages of the stream');

  // a client resuming from before the burst gets the identical sequence from the log
  const late = await stream(reader, { since: p0 });
  late.assertClean();
  assert.deepEqual(createdIn(late, room), createdIn(s, room), 'resume from before the burst replays the same events at the same positions');
  t.diagnostic(`ordering: ${total} posts, pos ${got[0].pos}..${got[got.length - 1].pos}, ${s.frames} frames`);
});

test('resume after a disconnect: exactly the missed events (no gap, no duplicate), then ready, then live', { timeout: 60000 }, async () => {
  const [alice, bob, other] = await makeUsers(srv, org, ['Resume Alice', 'Resume Bob', 'Resume Other']);
  const room = await makeRoom(alice, { name: 'Resume room', members: [bob] });
  const foreign = await makeRoom(other, { name: 'Not Bob\'s room' });

  const first = await stream(bob);
  for (let i = 0; i < 5; i++) await postMessage(alice, room, `before ${i}`);
  await first.waitFor((x) => createdIn(x, room).length >= 5, 15000, 'the first five');
  const seen = createdIn(first, room);
  const resumeFrom = first.lastPos;
  first.terminate(); // an abrupt drop, not a clean close
  await first.closed;

  const missed = [];
  await poolMap(Array.from({ length: 20 }, (_, i) => i), 4, async (i) => {
    missed.push(await postMessage(alice, room, `while away ${i}`));
  });
  await postMessage(other, foreign, 'noise Bob must never see');

  const again = await stream(bob, { since: resumeFrom });
  const readyAt = again.items.findIndex((o) => o.type === 'ready');
  assert.ok(readyAt >= 0);
  const catchUp = again.items.slice(0, readyAt);
  assert.ok(catchUp.every((o) => o.pos > resumeFrom), 'catch-up starts after since');
  const caught = catchUp.filter((o) => o.type === 'message_created').map((o) => o.data.message_id);
  assert.deepEqual(new Set(caught), new Set(missed), 'the catch-up is exactly the 20 messages posted while away');
  assert.equal(caught.length, 20, 'each missed message once');
  assert.ok(!caught.some((id) => seen.some((m) => m.id === id)), 'nothing seen before the disconnect comes again');
  assert.ok(!again.events.some((e) => e.data?.room_id === foreign), 'no event of a room Bob is not in');
  assert.ok(again.items[readyAt].pos >= catchUp[catchUp.length - 1].pos, 'ready pos is at or after the last caught-up event');

  const live = await postMessage(alice, room, 'live after resume');
  const e = await again.waitForEvent((x) => x.type === 'message_created' && x.data.message_id === live, 15000, 'the live message');
  assert.ok(again.items.indexOf(e) > readyAt, 'live events come after ready');
  again.assertClean();

  // resuming from the ready pos (nothing missed) gives ready at once and nothing old
  const idle = await stream(bob, { since: again.lastPos });
  assert.equal(idle.items[0].type, 'ready', 'nothing missed: ready first');
  assert.equal(idle.items[0].pos, again.lastPos);
});

test('a catch-up of several pages (>1000 missed events) while posts keep coming switches to live without a gap or a duplicate', { timeout: 90000 }, async (t) => {
  const [alice, bob, carol] = await makeUsers(srv, org, ['Pages Alice', 'Pages Bob', 'Pages Carol']);
  const room = await makeRoom(alice, { name: 'Pages room', members: [bob, carol] });
  const probe = await stream(bob);
  const since = probe.lastPos;
  probe.terminate();
  const BEFORE = 1200;
  const DURING = 300;
  const posted = new Set();
  await poolMap(Array.from({ length: BEFORE }, (_, i) => i), 16, async (i) => {
    posted.add(await postMessage(i % 2 ? alice : carol, room, `page ${i}`));
  });
  // reconnect while more posts are being written
  const during = poolMap(Array.from({ length: DURING }, (_, i) => i), 8, async (i) => {
    posted.add(await postMessage(i % 2 ? carol : alice, room, `during ${i}`));
  });
  const s = await stream(bob, { since, waitReady: false });
  await during;
  await s.waitFor((x) => createdIn(x, room).length >= BEFORE + DURING, 60000, `${BEFORE + DURING} messages`);
  const marker = await postMessage(alice, room, 'pages end');
  await s.waitForEvent((e) => e.data?.message_id === marker, 15000, 'the end marker');
  s.assertClean();
  const got = createdIn(s, room).filter((m) => m.id !== marker).map((m) => m.id);
  assert.equal(got.length, BEFORE + DURING, 'every message once');
  assert.equal(new Set(got).size, got.length, 'no duplicates');
  assert.deepEqual(new Set(got), posted, 'exactly the posted messages');
  assert.equal(s.notices.filter((n) => n.type === 'ready').length, 1, 'one ready notice');
  assert.ok(!s.notices.some((n) => n.type === 'resync'), 'no resync');
  t.diagnostic(`pages: ${got.length} messages in ${s.frames} frames; ready at item ${s.items.findIndex((o) => o.type === 'ready')}`);
});

test('resync: a since beyond the log head answers {"type":"resync"} first, then ready, then live events', async () => {
  const [alice] = await makeUsers(srv, org, ['Resync Alice']);
  const probe = await stream(alice);
  const head = probe.items[0].pos;
  for (const since of [head + 1000000, 9007199254740991]) {
    const s = await stream(alice, { since });
    assert.equal(s.items[0].type, 'resync', `since=${since}: the first object is a resync notice, got ${JSON.stringify(s.items[0])}`);
    assert.ok(Number.isInteger(s.items[0].pos) && s.items[0].pos >= head && s.items[0].pos < since, 'resync names the pos to continue from (the head)');
    assert.equal(s.items[1]?.type, 'ready', 'then ready');
    const id = await postMessage(alice, alice.room_id, `after resync ${since}`);
    const e = await s.waitForEvent((x) => x.type === 'message_created' && x.data.message_id === id, 15000, 'a live message after resync');
    assert.ok(e.pos > s.items[0].pos);
    s.assertClean();
  }
  // since equal to the head is not a resync (the probe has seen every message posted above)
  const last = await postMessage(alice, alice.room_id, 'the head');
  await probe.waitForEvent((x) => x.data?.message_id === last, 15000, 'the last message at the probe');
  const exact = await stream(alice, { since: probe.lastPos });
  assert.equal(exact.items[0].type, 'ready', 'since = head → ready without resync');
});

test('since=0 replays the account\'s whole visible history in pos order, starting with its own creation', async () => {
  const [alice, bob] = await makeUsers(srv, org, ['History Alice', 'History Bob']);
  const room = await makeRoom(alice, { name: 'History room', members: [bob] });
  const m = await postMessage(bob, room, 'in history');
  const s = await stream(alice, { since: 0 });
  s.assertClean();
  const mine = s.events.filter((e) => e.data?.room_id === alice.room_id);
  assert.ok(mine.some((e) => e.type === 'member_added' && e.data.account_id === alice.account_id), 'member_added of her my chat');
  assert.ok(mine.some((e) => e.type === 'room_created'), 'room_created of her my chat');
  assert.ok(s.events.some((e) => e.type === 'member_added' && e.data.room_id === room && e.data.account_id === bob.account_id), 'Bob joining the room she made');
  assert.ok(s.events.some((e) => e.type === 'message_created' && e.data.message_id === m), 'the message');
  assert.equal(s.items[s.items.length - 1].type, 'ready', 'ready once the history is done');
  // nothing of other accounts' private rooms
  const otherMyChats = s.events.filter((e) => e.data?.room_id === bob.room_id);
  assert.deepEqual(otherMyChats, [], 'nothing from Bob\'s my chat');
});
