// Messages (notes §4.4) and unread/mention counters (notes §7.4, §8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import {
  makeOrg, makeUsers, makeRoom, postMessage, getRoom, markAllRead, latestMessages, myStatus,
  assertAscending, assertAccount, cmpId, nowSec,
} from './support/fixtures.mjs';

let srv;
let org;
let alice; let bob; let carol; let dave;
let room; // alice admin, bob + carol members

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'Msg Org');
  [alice, bob, carol, dave] = await makeUsers(srv, org, ['Alice', 'Bob', 'Carol', 'Dave']);
  room = await makeRoom(alice, { name: 'Messages', members: [bob, carol] });
});

after(async () => { await srv?.stop(); });

async function counters(user, roomId = room) {
  const r = await getRoom(user, roomId);
  return { unread_num: r.unread_num, mention_num: r.mention_num };
}

test('POST a message returns a decimal string message_id; GET by id returns it verbatim with sender and times', async () => {
  const t0 = nowSec();
  const res = await alice.api.post(`/rooms/${room}/messages`, { body: 'Hello Chatwork!' });
  expectStatus(res, 200);
  assert.equal(typeof res.json.message_id, 'string');
  assert.match(res.json.message_id, /^[1-9][0-9]*$/);
  const g = await bob.api.get(`/rooms/${room}/messages/${res.json.message_id}`);
  expectStatus(g, 200);
  assert.equal(g.json.message_id, res.json.message_id);
  assert.equal(g.json.body, 'Hello Chatwork!');
  assertAccount(g.json.account, alice, 'message.account');
  assert.ok(Number.isInteger(g.json.send_time) && g.json.send_time >= t0 - 5 && g.json.send_time <= nowSec() + 5, `send_time ${g.json.send_time}`);
  assert.equal(g.json.update_time, 0, 'update_time is 0 for a never-edited message');
});

test('message bodies are stored and returned byte-for-byte (unicode, emoji, markup, HTML, RTL/zero-width, newlines)', async () => {
  const bodies = [
    'こんにちは世界 🎉👩‍👩‍👧 ünïcödé',
    '<script>alert("x")</script> & &amp; "quotes" \'single\'',
    '[info][title]Title[/title]boxed[/info][hr][code][To:1][/code]',
    'rtl \u202Eevil\u202C zero\u200Bwidth \uFEFF bom',
    'line1\nline2\n\n  indented\ttab',
    '+plus %25 percent & ampersand = equals ; semicolon',
    'x',
  ];
  for (const body of bodies) {
    const id = await postMessage(alice, room, body);
    const g = await alice.api.get(`/rooms/${room}/messages/${id}`);
    expectStatus(g, 200);
    assert.equal(g.json.body, body, `body roundtrip for ${JSON.stringify(body).slice(0, 40)}`);
  }
});

test('body length limits: 65535 characters (multi-byte) → 200, 65536 → 400, empty or missing → 400; rejected posts write nothing', async () => {
  const before = (await getRoom(alice, room)).message_num;
  const big = 'あ'.repeat(65535);
  const id = await postMessage(alice, room, big);
  const g = await alice.api.get(`/rooms/${room}/messages/${id}`);
  assert.equal(g.json.body.length, 65535);
  assert.equal(g.json.body, big);
  const afterOk = (await getRoom(alice, room)).message_num;
  assert.equal(afterOk, before + 1);

  expectStatus(await alice.api.post(`/rooms/${room}/messages`, { body: 'a'.repeat(65536) }), 400, '65536 characters');
  expectStatus(await alice.api.post(`/rooms/${room}/messages`, { body: '' }), 400, 'empty body');
  const missing = await alice.api.post(`/rooms/${room}/messages`, {});
  expectStatus(missing, 400, 'missing body');
  assert.match(missing.json.errors.join(' '), /body/, 'the error names the missing parameter');
  assert.equal((await getRoom(alice, room)).message_num, afterOk, 'nothing was written by the rejected posts');
});

test('POST parameters come only from the form body: ?body=... in the query string answers 400', async () => {
  const before = (await getRoom(alice, room)).message_num;
  const res = await alice.api.request('POST', `/rooms/${room}/messages`, { query: { body: 'from query' }, form: {} });
  expectStatus(res, 400);
  assert.equal((await getRoom(alice, room)).message_num, before);
});

test('listing without force returns only messages not yet fetched (oldest first), then 204 with an empty body', async () => {
  const r = await makeRoom(alice, { name: 'Cursor', members: [bob, carol] });
  const first = await bob.api.get(`/rooms/${r}/messages`);
  expectStatus(first, 200);
  assert.ok(first.json.length >= 1, 'the creation message is new to bob');
  const empty = await bob.api.get(`/rooms/${r}/messages`);
  expectStatus(empty, 204);
  assert.equal(empty.text, '');

  const m1 = await postMessage(alice, r, 'diff one');
  const m2 = await postMessage(carol, r, 'diff two');
  const diff = await bob.api.get(`/rooms/${r}/messages`);
  expectStatus(diff, 200);
  assert.deepEqual(diff.json.map((m) => m.message_id), [m1, m2]);
  assert.deepEqual(diff.json.map((m) => m.body), ['diff one', 'diff two']);
  assertAccount(diff.json[1].account, carol);
  expectStatus(await bob.api.get(`/rooms/${r}/messages`), 204);
  expectStatus(await bob.api.get(`/rooms/${r}/messages`, { force: 0 }), 204, 'force=0 is the default');
  expectStatus(await bob.api.get(`/rooms/${r}/messages`, { force: 'false' }), 204, 'force=false is the default');

  // the cursor is per account: carol has fetched nothing yet
  const c = await carol.api.get(`/rooms/${r}/messages`);
  expectStatus(c, 200);
  assert.deepEqual(c.json.slice(-2).map((m) => m.message_id), [m1, m2]);
  assertAscending(c.json.map((m) => m.message_id));
});

test('force=1 returns the latest messages ascending, whatever was fetched before', async () => {
  const r = await makeRoom(alice, { name: 'Force', members: [bob] });
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await postMessage(alice, r, `force ${i}`));
  await bob.api.get(`/rooms/${r}/messages`);
  for (const f of [1, 'true']) {
    const res = await bob.api.get(`/rooms/${r}/messages`, { force: f });
    expectStatus(res, 200);
    assertAscending(res.json.map((m) => m.message_id));
    assert.deepEqual(res.json.slice(-3).map((m) => m.message_id), ids);
  }
});

test('listing does not mark messages read', async () => {
  const r = await makeRoom(alice, { name: 'ListNoRead', members: [bob] });
  await markAllRead(bob, r);
  await postMessage(alice, r, 'unread but fetched');
  await bob.api.get(`/rooms/${r}/messages`);
  await bob.api.get(`/rooms/${r}/messages`, { force: 1 });
  assert.equal((await getRoom(bob, r)).unread_num, 1);
});

test('more than 100 new messages: the diff returns the oldest 100 first, then the rest; force=1 returns the latest 100', async () => {
  const r = await makeRoom(alice, { name: 'Hundred', members: [bob] });
  await bob.api.get(`/rooms/${r}/messages`); // consume the creation message
  const ids = [];
  for (let i = 0; i < 105; i++) ids.push(await postMessage(alice, r, `bulk ${i}`));
  const p1 = await bob.api.get(`/rooms/${r}/messages`);
  expectStatus(p1, 200);
  assert.equal(p1.json.length, 100);
  assert.deepEqual(p1.json.map((m) => m.message_id), ids.slice(0, 100));
  const p2 = await bob.api.get(`/rooms/${r}/messages`);
  expectStatus(p2, 200);
  assert.deepEqual(p2.json.map((m) => m.message_id), ids.slice(100));
  expectStatus(await bob.api.get(`/rooms/${r}/messages`), 204);
  const forced = await bob.api.get(`/rooms/${r}/messages`, { force: 1 });
  assert.equal(forced.json.length, 100);
  assert.deepEqual(forced.json.map((m) => m.message_id), ids.slice(5));
});

test('message ids increase with every post', async () => {
  const a = await postMessage(alice, room, 'order a');
  const b = await postMessage(bob, room, 'order b');
  const c = await postMessage(alice, room, 'order c');
  assert.ok(cmpId(a, b) < 0 && cmpId(b, c) < 0);
});

test('PUT /messages/{id} edits the own message: same message_id, new body, update_time set', async () => {
  const id = await postMessage(bob, room, 'before edit');
  const res = await bob.api.put(`/rooms/${room}/messages/${id}`, { body: 'after edit' });
  expectStatus(res, 200);
  assert.deepEqual(res.json, { message_id: id });
  const g = await alice.api.get(`/rooms/${room}/messages/${id}`);
  assert.equal(g.json.body, 'after edit');
  assert.ok(Number.isInteger(g.json.update_time) && g.json.update_time >= g.json.send_time && g.json.update_time > 0);
  expectStatus(await bob.api.put(`/rooms/${room}/messages/${id}`, { body: '' }), 400, 'empty edit');
  expectStatus(await bob.api.put(`/rooms/${room}/messages/${id}`, {}), 400, 'missing body');
  expectStatus(await bob.api.put(`/rooms/${room}/messages/${id}`, { body: 'z'.repeat(65536) }), 400, 'too long');
  assert.equal((await alice.api.get(`/rooms/${room}/messages/${id}`)).json.body, 'after edit');
});

test('DELETE /messages/{id} answers 200 {message_id}; the message is then 404 and cannot be edited or deleted again', async () => {
  const id = await postMessage(bob, room, 'to be deleted');
  const res = await bob.api.del(`/rooms/${room}/messages/${id}`);
  expectStatus(res, 200);
  assert.deepEqual(res.json, { message_id: id });
  expectStatus(await bob.api.get(`/rooms/${room}/messages/${id}`), 404);
  expectStatus(await alice.api.get(`/rooms/${room}/messages/${id}`), 404);
  expectStatus(await bob.api.del(`/rooms/${room}/messages/${id}`), 404);
  expectStatus(await bob.api.put(`/rooms/${room}/messages/${id}`, { body: 'resurrect' }), 404);
});

test('GET/PUT/DELETE of an unknown message id answers 404', async () => {
  expectStatus(await alice.api.get(`/rooms/${room}/messages/999999999999`), 404);
  expectStatus(await alice.api.put(`/rooms/${room}/messages/999999999999`, { body: 'x' }), 404);
  expectStatus(await alice.api.del(`/rooms/${room}/messages/999999999999`), 404);
});

test('unread_num counts messages from others; posting marks the room read for the poster', async () => {
  const r = await makeRoom(alice, { name: 'Unread', members: [bob, carol] });
  await markAllRead(bob, r);
  await markAllRead(carol, r);
  for (let i = 0; i < 3; i++) await postMessage(alice, r, `u${i}`);
  assert.deepEqual(await counters(bob, r), { unread_num: 3, mention_num: 0 });
  assert.deepEqual(await counters(carol, r), { unread_num: 3, mention_num: 0 });
  assert.deepEqual(await counters(alice, r), { unread_num: 0, mention_num: 0 });
  // bob posts: his own room becomes read, including alice's three
  await postMessage(bob, r, 'bob replies');
  assert.deepEqual(await counters(bob, r), { unread_num: 0, mention_num: 0 }, 'posting marks the room read for the poster');
  assert.deepEqual(await counters(carol, r), { unread_num: 4, mention_num: 0 });
  assert.deepEqual(await counters(alice, r), { unread_num: 1, mention_num: 0 });
});

test('[To:id], [rp aid=id ...] and [toall] mention; quotes do not; the author is never mentioned', async () => {
  const r = await makeRoom(alice, { name: 'Mentions', members: [bob, carol] });
  for (const u of [bob, carol]) await markAllRead(u, r);
  const first = await postMessage(alice, r, 'context');
  await postMessage(alice, r, `[To:${bob.account_id}]Bob-san hello`);
  assert.deepEqual(await counters(bob, r), { unread_num: 2, mention_num: 1 });
  assert.deepEqual(await counters(carol, r), { unread_num: 2, mention_num: 0 }, '[To:bob] does not mention carol');

  await postMessage(alice, r, `[rp aid=${carol.account_id} to=${r}-${first}][pname:${carol.account_id}]さん reply`);
  assert.deepEqual(await counters(carol, r), { unread_num: 3, mention_num: 1 }, '[rp aid=carol] mentions carol');
  assert.deepEqual(await counters(bob, r), { unread_num: 3, mention_num: 1 });

  await postMessage(alice, r, '[toall] all hands');
  assert.deepEqual(await counters(bob, r), { unread_num: 4, mention_num: 2 });
  assert.deepEqual(await counters(carol, r), { unread_num: 4, mention_num: 2 });
  assert.deepEqual(await counters(alice, r), { unread_num: 0, mention_num: 0 }, '[toall] never mentions the author');

  await postMessage(alice, r, `[qt][qtmeta aid=${alice.account_id} time=1700000000][To:${bob.account_id}] quoted [toall][/qt] outside the quote`);
  assert.deepEqual(await counters(bob, r), { unread_num: 5, mention_num: 2 }, 'To/toall inside [qt]...[/qt] do not mention');
  assert.deepEqual(await counters(carol, r), { unread_num: 5, mention_num: 2 });

  await postMessage(alice, r, `[To:${bob.account_id}][To:${bob.account_id}] twice`);
  assert.deepEqual(await counters(bob, r), { unread_num: 6, mention_num: 3 }, 'a message mentions at most once');
});

test('self_unread=1 leaves the poster\'s own message unread; a self-mention never counts as a mention', async () => {
  const r = await makeRoom(alice, { name: 'SelfUnread', members: [bob] });
  await markAllRead(alice, r);
  await postMessage(alice, r, 'read by default');
  assert.deepEqual(await counters(alice, r), { unread_num: 0, mention_num: 0 });
  await postMessage(alice, r, 'explicit zero', { self_unread: 0 });
  assert.deepEqual(await counters(alice, r), { unread_num: 0, mention_num: 0 });
  await postMessage(alice, r, `[To:${alice.account_id}] note to self`, { self_unread: 1 });
  assert.deepEqual(await counters(alice, r), { unread_num: 1, mention_num: 0 }, 'own message unread, never a mention of the author');
  await postMessage(alice, r, 'boolean true', { self_unread: 'true' });
  assert.deepEqual(await counters(alice, r), { unread_num: 2, mention_num: 0 });
  await postMessage(alice, r, 'boolean false', { self_unread: 'false' });
  assert.deepEqual(await counters(alice, r), { unread_num: 0, mention_num: 0 }, 'a normal post marks everything read again');
});

test('PUT /messages/read up to a message_id returns the remaining counters; re-reading the same id answers 400', async () => {
  const r = await makeRoom(alice, { name: 'ReadTo', members: [bob] });
  await markAllRead(bob, r);
  const ids = [];
  ids.push(await postMessage(alice, r, 'r0'));
  ids.push(await postMessage(alice, r, `[To:${bob.account_id}] r1`));
  ids.push(await postMessage(alice, r, 'r2'));
  ids.push(await postMessage(alice, r, `[To:${bob.account_id}] r3`));
  assert.deepEqual(await counters(bob, r), { unread_num: 4, mention_num: 2 });

  const res = await bob.api.put(`/rooms/${r}/messages/read`, { message_id: ids[1] });
  expectStatus(res, 200);
  assert.deepEqual(res.json, { unread_num: 2, mention_num: 1 });
  assert.deepEqual(await counters(bob, r), { unread_num: 2, mention_num: 1 });

  expectStatus(await bob.api.put(`/rooms/${r}/messages/read`, { message_id: ids[1] }), 400, 'already read');
  expectStatus(await bob.api.put(`/rooms/${r}/messages/read`, { message_id: ids[0] }), 400, 'an older message is already read');
  assert.deepEqual(await counters(bob, r), { unread_num: 2, mention_num: 1 }, 'a rejected read changes nothing');

  const all = await bob.api.put(`/rooms/${r}/messages/read`, {});
  expectStatus(all, 200);
  assert.deepEqual(all.json, { unread_num: 0, mention_num: 0 });
  // with no message_id and nothing unread, the lead's contract allows either 400 or a 200 with zeros
  const again = await bob.api.put(`/rooms/${r}/messages/read`, {});
  expectStatus(again, [200, 400], 'nothing left to read');
  if (again.status === 200) assert.deepEqual(again.json, { unread_num: 0, mention_num: 0 });
});

test('PUT /messages/read with an unknown or foreign message_id is rejected', async () => {
  const r = await makeRoom(alice, { name: 'ReadBad', members: [bob] });
  await postMessage(alice, r, 'something unread');
  const other = await postMessage(alice, room, 'in another room');
  expectStatus(await bob.api.put(`/rooms/${r}/messages/read`, { message_id: '999999999999' }), [400, 404]);
  expectStatus(await bob.api.put(`/rooms/${r}/messages/read`, { message_id: other }), [400, 404], 'message of another room');
  expectStatus(await bob.api.put(`/rooms/${r}/messages/read`, { message_id: 'abc' }), 400);
  assert.ok((await getRoom(bob, r)).unread_num >= 1, 'nothing was marked read');
});

test('PUT /messages/unread marks the message and everything after it unread and returns the counters', async () => {
  const r = await makeRoom(alice, { name: 'Unreadify', members: [bob] });
  await markAllRead(bob, r);
  const ids = [];
  ids.push(await postMessage(alice, r, 'n0'));
  ids.push(await postMessage(alice, r, `[To:${bob.account_id}] n1`));
  ids.push(await postMessage(alice, r, 'n2'));
  await markAllRead(bob, r);
  const res = await bob.api.put(`/rooms/${r}/messages/unread`, { message_id: ids[1] });
  expectStatus(res, 200);
  assert.deepEqual(res.json, { unread_num: 2, mention_num: 1 });
  assert.deepEqual(await counters(bob, r), { unread_num: 2, mention_num: 1 });
  const s = await myStatus(bob);
  assert.ok(s.unread_num >= 2 && s.mention_num >= 1);
  expectStatus(await bob.api.put(`/rooms/${r}/messages/unread`, {}), 400, 'message_id is required');
  expectStatus(await bob.api.put(`/rooms/${r}/messages/unread`, { message_id: '999999999999' }), [400, 404]);
  assert.deepEqual(await counters(bob, r), { unread_num: 2, mention_num: 1 });
});

test('a deleted message no longer counts in unread_num or mention_num', async () => {
  const r = await makeRoom(alice, { name: 'DeleteCount', members: [bob] });
  await markAllRead(bob, r);
  await postMessage(alice, r, 'keep');
  const gone = await postMessage(alice, r, `[To:${bob.account_id}] delete me`);
  assert.deepEqual(await counters(bob, r), { unread_num: 2, mention_num: 1 });
  expectStatus(await alice.api.del(`/rooms/${r}/messages/${gone}`), 200);
  assert.deepEqual(await counters(bob, r), { unread_num: 1, mention_num: 0 });
  const s = await myStatus(bob);
  const rooms = (await bob.api.get('/rooms')).json;
  assert.equal(s.unread_num, rooms.reduce((a, x) => a + x.unread_num, 0));
  assert.equal(s.mention_num, rooms.reduce((a, x) => a + x.mention_num, 0));
});

test('message_num counts the room\'s messages and last_update_time moves forward on a post', async () => {
  const r = await makeRoom(alice, { name: 'Totals', members: [bob] });
  const before = await getRoom(alice, r);
  await postMessage(bob, r, 'one');
  await postMessage(bob, r, 'two');
  const after = await getRoom(alice, r);
  assert.equal(after.message_num, before.message_num + 2);
  assert.ok(after.last_update_time >= before.last_update_time);
});

test('a non-member (same organization) cannot list, read or post (404)', async () => {
  const mid = await postMessage(alice, room, 'members only');
  expectStatus(await dave.api.get(`/rooms/${room}/messages`, { force: 1 }), 404);
  expectStatus(await dave.api.get(`/rooms/${room}/messages/${mid}`), 404);
  expectStatus(await dave.api.post(`/rooms/${room}/messages`, { body: 'intruder' }), 404);
  expectStatus(await dave.api.put(`/rooms/${room}/messages/read`, {}), 404);
  const last = await latestMessages(alice, room);
  assert.ok(!last.some((m) => m.body === 'intruder'));
});
