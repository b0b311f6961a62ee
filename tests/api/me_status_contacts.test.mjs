// GET /me, GET /my/status, GET /contacts (notes §3, §4.1, §4.2, §8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import {
  makeOrg, makeUser, makeContacts, makeRoom, postMessage, getRoom, markAllRead, myStatus, listOrEmpty,
} from './support/fixtures.mjs';

let srv;
let orgA; let orgB;
let alice; let amy; let bert; let loner;

before(async () => {
  srv = await startServer();
  orgA = await makeOrg(srv, 'Acme Japan');
  orgB = await makeOrg(srv, 'Beta Corp');
  alice = await makeUser(srv, orgA, 'Alice');
  amy = await makeUser(srv, orgA, 'Amy');
  bert = await makeUser(srv, orgB, 'Bert');
  loner = await makeUser(srv, orgB, 'Loner');
});

after(async () => { await srv?.stop(); });

const ME_STRINGS = ['name', 'chatwork_id', 'organization_name', 'department', 'title', 'url', 'introduction', 'mail',
  'tel_organization', 'tel_extension', 'tel_mobile', 'skype', 'facebook', 'twitter', 'avatar_image_url', 'login_mail'];

test('GET /me returns the token owner with integer ids, its My Chat room_id and string (never null) profile fields', async () => {
  const res = await alice.api.get('/me');
  expectStatus(res, 200);
  const me = res.json;
  assert.equal(me.account_id, alice.account_id);
  assert.equal(me.room_id, alice.room_id, 'room_id is the account\'s My Chat');
  assert.equal(me.name, 'Alice');
  assert.equal(me.organization_id, orgA);
  assert.equal(me.organization_name, 'Acme Japan');
  for (const k of ME_STRINGS) assert.equal(typeof me[k], 'string', `/me.${k} must be a string ("" when unset)`);
  assert.ok(Number.isInteger(me.account_id) && Number.isInteger(me.room_id) && Number.isInteger(me.organization_id));
});

test('GET /me answers for each token owner separately', async () => {
  const res = await bert.api.get('/me');
  expectStatus(res, 200);
  assert.equal(res.json.account_id, bert.account_id);
  assert.equal(res.json.organization_id, orgB);
  assert.equal(res.json.organization_name, 'Beta Corp');
  assert.notEqual(res.json.room_id, alice.room_id);
});

test('a new account sees its My Chat in GET /rooms with type "my" and role "admin"', async () => {
  const res = await loner.api.get('/rooms');
  expectStatus(res, 200);
  const my = res.json.find((r) => r.room_id === loner.room_id);
  assert.ok(my, 'My Chat must be listed');
  assert.equal(my.type, 'my');
  assert.equal(my.role, 'admin');
  assert.equal(typeof my.sticky, 'boolean');
  const single = await getRoom(loner, loner.room_id);
  assert.equal(single.type, 'my');
  assert.equal(typeof single.description, 'string');
});

test('GET /my/status of a fresh account is all zero integers', async () => {
  const s = await myStatus(loner);
  assert.deepEqual(s, { unread_room_num: 0, mention_room_num: 0, mytask_room_num: 0, unread_num: 0, mention_num: 0, mytask_num: 0 });
});

test('GET /contacts with no contacts answers 204 with an empty body', async () => {
  const res = await loner.api.get('/contacts');
  expectStatus(res, 204);
  assert.equal(res.text, '');
});

test('after "contact add", both sides list each other with the shared direct-chat room_id', async () => {
  await makeContacts(srv, alice, bert);
  const ra = await alice.api.get('/contacts');
  expectStatus(ra, 200);
  const cb = ra.json.find((c) => c.account_id === bert.account_id);
  assert.ok(cb, 'Bert is a contact of Alice');
  assert.equal(cb.name, 'Bert');
  assert.equal(cb.organization_id, orgB);
  assert.equal(cb.organization_name, 'Beta Corp');
  assert.equal(typeof cb.chatwork_id, 'string');
  assert.equal(typeof cb.department, 'string');
  assert.equal(typeof cb.avatar_image_url, 'string');
  assert.ok(Number.isInteger(cb.room_id));
  assert.ok(!('mail' in cb) && !('login_mail' in cb) && !('tel_mobile' in cb), 'a contact entry must not expose e-mail or phone (operations S16)');

  const rb = await bert.api.get('/contacts');
  expectStatus(rb, 200);
  const ca = rb.json.find((c) => c.account_id === alice.account_id);
  assert.ok(ca, 'Alice is a contact of Bert');
  assert.equal(ca.room_id, cb.room_id, 'both sides share one direct chat');
  assert.ok(!rb.json.some((c) => c.account_id === bert.account_id), 'one is never one\'s own contact');

  const dA = await getRoom(alice, cb.room_id);
  const dB = await getRoom(bert, cb.room_id);
  assert.equal(dA.type, 'direct');
  assert.equal(dB.type, 'direct');
  const roomsA = await alice.api.get('/rooms');
  assert.ok(roomsA.json.some((r) => r.room_id === cb.room_id && r.type === 'direct'), 'the direct chat is in GET /rooms');

  const members = await alice.api.get(`/rooms/${cb.room_id}/members`);
  expectStatus(members, 200);
  assert.deepEqual(members.json.map((m) => m.account_id).sort((x, y) => x - y), [alice.account_id, bert.account_id].sort((x, y) => x - y));
});

test('a third account cannot see the direct chat of two others (404)', async () => {
  const ra = await alice.api.get('/contacts');
  const direct = ra.json.find((c) => c.account_id === bert.account_id).room_id;
  const res = await loner.api.get(`/rooms/${direct}`);
  expectStatus(res, 404);
  const msgs = await loner.api.get(`/rooms/${direct}/messages`, { force: 1 });
  expectStatus(msgs, 404);
});

test('GET /my/status counts unread, mentions and open tasks across rooms and equals the sums of GET /rooms', async () => {
  const r1 = await makeRoom(alice, { members: [amy] });
  const r2 = await makeRoom(alice, { members: [amy] });
  await markAllRead(amy, r1);
  await markAllRead(amy, r2);
  const base = await myStatus(amy);

  await postMessage(alice, r1, 'plain one');
  await postMessage(alice, r1, `[To:${amy.account_id}]Amy-san please look`);
  await postMessage(alice, r1, 'plain two');
  await postMessage(alice, r2, '[toall] everybody');
  const t = await alice.api.post(`/rooms/${r2}/tasks`, { body: 'status task', to_ids: String(amy.account_id) });
  expectStatus(t, 200);

  const room1 = await getRoom(amy, r1);
  const room2 = await getRoom(amy, r2);
  assert.equal(room1.unread_num, 3);
  assert.equal(room1.mention_num, 1);
  assert.ok(room2.unread_num >= 1, 'the [toall] message is unread (a task system message may add one)');
  assert.equal(room2.mention_num, 1, '[toall] mentions every member but the sender');
  assert.equal(room2.mytask_num, 1);

  const s = await myStatus(amy);
  assert.equal(s.unread_num - base.unread_num, room1.unread_num + room2.unread_num);
  assert.equal(s.mention_num - base.mention_num, 2);
  assert.equal(s.mytask_num - base.mytask_num, 1);

  // status is exactly the aggregate of the per-room counters
  const rooms = (await amy.api.get('/rooms')).json;
  const sum = (k) => rooms.reduce((a, r) => a + r[k], 0);
  const cnt = (k) => rooms.filter((r) => r[k] > 0).length;
  assert.equal(s.unread_num, sum('unread_num'));
  assert.equal(s.mention_num, sum('mention_num'));
  assert.equal(s.mytask_num, sum('mytask_num'));
  assert.equal(s.unread_room_num, cnt('unread_num'));
  assert.equal(s.mention_room_num, cnt('mention_num'));
  assert.equal(s.mytask_room_num, cnt('mytask_num'));
  const myTasks = await listOrEmpty(await amy.api.get('/my/tasks'));
  assert.equal(s.mytask_num, myTasks.length, 'mytask_num = open tasks assigned to the caller');

  // the sender's own status is unaffected by her own posts
  const sa = await myStatus(alice);
  assert.equal(sa.mention_num, 0, 'the author is never mentioned by [toall]');
});

test('reading a room drops it from unread_room_num and mention_room_num in /my/status', async () => {
  const r = await makeRoom(alice, { members: [amy] });
  await markAllRead(amy, r);
  const before = await myStatus(amy);
  await postMessage(alice, r, `[To:${amy.account_id}] ping`);
  const mid = await myStatus(amy);
  assert.equal(mid.unread_room_num, before.unread_room_num + 1);
  assert.equal(mid.mention_room_num, before.mention_room_num + 1);
  assert.equal(mid.unread_num, before.unread_num + 1);
  const read = await amy.api.put(`/rooms/${r}/messages/read`, {});
  expectStatus(read, 200);
  assert.deepEqual(read.json, { unread_num: 0, mention_num: 0 });
  const after = await myStatus(amy);
  assert.deepEqual(after, before);
});
