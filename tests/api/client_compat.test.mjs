// An unmodified real Chatwork client from npm, end to end: chatwork-api-client
// (aku11i/aktriver, generated from the same RAML). Its dist/api.js reads the
// exported CHATWORK_URL on every request (`axios.get(exports.CHATWORK_URL + uri)`),
// so assigning that export points it at Kaiwa without changing its code.
// Every response it receives is checked by the suite's central checks through an
// axios interceptor on the very axios instance the client uses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, checkResponse } from './support/server.mjs';
import { makeOrg, makeUsers, nowSec } from './support/fixtures.mjs';

const require = createRequire(import.meta.url);
const clientEntry = require.resolve('chatwork-api-client');
const apiModule = require('chatwork-api-client/dist/api.js');
const ChatworkApi = apiModule.default;
const clientAxios = createRequire(clientEntry)('axios');

let srv;
let alice; let bob;
let cwA; let cwB;
const seen = [];

function asCheckable(r) {
  const data = r.data;
  let text; let json; let jsonError;
  if (typeof data === 'string') {
    text = data;
    if (text) { try { json = JSON.parse(text); } catch (e) { jsonError = e.message; } }
  } else {
    json = data;
    text = JSON.stringify(data);
  }
  return {
    method: String(r.config.method).toUpperCase(),
    path: new URL(r.config.url).pathname,
    status: r.status,
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    text,
    json,
    jsonError,
  };
}

let interceptorIds;

before(async () => {
  srv = await startServer();
  const org = await makeOrg(srv, 'Client Org');
  [alice, bob] = await makeUsers(srv, org, ['Alice', 'Bob']);
  apiModule.CHATWORK_URL = `${srv.url}/v2`;
  interceptorIds = clientAxios.interceptors.response.use(
    (r) => { const c = asCheckable(r); seen.push(`${c.method} ${c.path} ${c.status}`); checkResponse(c); return r; },
    (err) => { if (err.response) { const c = asCheckable(err.response); seen.push(`${c.method} ${c.path} ${c.status}`); checkResponse(c); } return Promise.reject(err); },
  );
  cwA = new ChatworkApi(alice.api_token);
  cwB = new ChatworkApi(bob.api_token);
});

after(async () => {
  if (interceptorIds !== undefined) clientAxios.interceptors.response.eject(interceptorIds);
  apiModule.CHATWORK_URL = 'https://api.chatwork.com/v2';
  await srv?.stop();
});

let roomId;
let messageId;
let bobMessageId;
let taskIds;
let fileId;

test('client: getMe, getMyStatus, getRooms and rate limits from the response headers', async () => {
  const me = await cwA.getMe();
  assert.equal(me.account_id, alice.account_id);
  assert.equal(me.room_id, alice.room_id);
  const st = await cwA.getMyStatus();
  assert.equal(typeof st.unread_num, 'number');
  const rooms = await cwA.getRooms();
  assert.ok(rooms.some((r) => r.room_id === alice.room_id && r.type === 'my'));
  const rl = cwA.rateLimits;
  assert.ok(rl && Number.isInteger(rl['x-ratelimit-limit']) && Number.isInteger(rl['x-ratelimit-remaining']) && Number.isInteger(rl['x-ratelimit-reset']),
    `the client stores the X-RateLimit-* headers, got ${JSON.stringify(rl)}`);
});

test('client: postRoom, getRoom, putRoom, getRoomMembers, putRoomMembers', async () => {
  const created = await cwA.postRoom({
    name: 'Client room', description: 'made by chatwork-api-client', icon_preset: 'meeting',
    members_admin_ids: String(alice.account_id), members_member_ids: String(bob.account_id),
  });
  assert.ok(Number.isInteger(created.room_id));
  roomId = created.room_id;
  const room = await cwB.getRoom(roomId);
  assert.equal(room.name, 'Client room');
  assert.equal(room.role, 'member');
  const put = await cwA.putRoom(roomId, { name: 'Client room renamed', description: 'changed' });
  assert.equal(put.room_id, roomId);
  assert.equal((await cwA.getRoom(roomId)).name, 'Client room renamed');
  const members = await cwA.getRoomMembers(roomId);
  assert.deepEqual(members.map((m) => m.account_id).sort((a, b) => a - b), [alice.account_id, bob.account_id].sort((a, b) => a - b));
  const pm = await cwA.putRoomMembers(roomId, { members_admin_ids: `${alice.account_id},${bob.account_id}` });
  assert.deepEqual([...pm.admin].sort((a, b) => a - b), [alice.account_id, bob.account_id].sort((a, b) => a - b));
  assert.deepEqual(pm.member, []);
  assert.deepEqual(pm.readonly, []);
  await cwA.putRoomMembers(roomId, { members_admin_ids: String(alice.account_id), members_member_ids: String(bob.account_id) });
  assert.equal((await cwB.getRoom(roomId)).role, 'member');
});

test('client: postRoomMessage, getRoomMessages (diff then 204 → ""), getRoomMessage, putRoomMessage, read/unread, deleteRoomMessage', async () => {
  const first = await cwB.getRoomMessages(roomId);
  assert.ok(Array.isArray(first) && first.length >= 1, 'bob sees the creation message');
  const posted = await cwA.postRoomMessage(roomId, { body: `[To:${bob.account_id}]Bob-san hello from the client`, self_unread: 0 });
  assert.equal(typeof posted.message_id, 'string');
  messageId = posted.message_id;
  const diff = await cwB.getRoomMessages(roomId, { force: 0 });
  assert.deepEqual(diff.map((m) => m.message_id), [messageId]);
  const none = await cwB.getRoomMessages(roomId);
  assert.equal(none, '', 'a 204 reaches the client as an empty body');
  const forced = await cwB.getRoomMessages(roomId, { force: 1 });
  assert.equal(forced[forced.length - 1].message_id, messageId);
  const one = await cwB.getRoomMessage(roomId, messageId);
  assert.equal(one.body, `[To:${bob.account_id}]Bob-san hello from the client`);
  assert.equal(one.account.account_id, alice.account_id);
  const edited = await cwA.putRoomMessage(roomId, messageId, { body: 'edited by the client' });
  assert.equal(edited.message_id, messageId);

  const room = await cwB.getRoom(roomId);
  assert.ok(room.unread_num >= 1);
  const read = await cwB.putRoomMessagesRead(roomId, { message_id: messageId });
  assert.deepEqual(read, { unread_num: 0, mention_num: 0 });
  const unread = await cwB.putRoomMessagesUnread(roomId, { message_id: messageId });
  assert.equal(unread.unread_num, 1);
  await cwB.putRoomMessagesRead(roomId, {});

  const bm = await cwB.postRoomMessage(roomId, { body: 'bob says hi' });
  bobMessageId = bm.message_id;
  const del = await cwB.deleteRoomMessage(roomId, bobMessageId);
  assert.equal(del.message_id, bobMessageId);
  await assert.rejects(cwB.getRoomMessage(roomId, bobMessageId), (e) => e.response?.status === 404);
});

test('client: postRoomTask (with limit and limit_type), getRoomTasks, getRoomTask, putRoomTaskStatus, getMyTasks', async () => {
  const limit = nowSec() + 7200;
  const created = await cwA.postRoomTask(roomId, { body: 'client task', to_ids: String(bob.account_id), limit, limit_type: 'time' });
  assert.equal(created.task_ids.length, 1);
  taskIds = created.task_ids;
  const list = await cwA.getRoomTasks(roomId, { account_id: bob.account_id, status: 'open' });
  assert.deepEqual(list.map((t) => t.task_id), taskIds);
  const task = await cwB.getRoomTask(roomId, taskIds[0]);
  assert.equal(task.limit_time, limit);
  assert.equal(task.limit_type, 'time');
  assert.equal(task.account.account_id, bob.account_id);
  const mine = await cwB.getMyTasks({ status: 'open' });
  assert.ok(mine.some((t) => t.task_id === taskIds[0] && t.room.room_id === roomId));
  const st = await cwB.putRoomTaskStatus(roomId, taskIds[0], { body: 'done' });
  assert.equal(st.task_id, taskIds[0]);
  const done = await cwB.getMyTasks({ status: 'done', assigned_by_account_id: alice.account_id });
  assert.ok(done.some((t) => t.task_id === taskIds[0]));
  const openNow = await cwA.getRoomTasks(roomId);
  assert.equal(openNow, '', 'no open task left: 204');
});

test('client: postRoomFile (multipart with file_name field and sniffed Content-Type), getRoomFiles, getRoomFile with download URL', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d6b1f40000000049454e44ae426082', 'hex');
  const up = await cwB.postRoomFile(roomId, { file: png, file_name: 'pixel.png', message: 'a pixel' });
  assert.ok(Number.isInteger(up.file_id));
  fileId = up.file_id;
  const files = await cwA.getRoomFiles(roomId, { account_id: bob.account_id });
  assert.deepEqual(files.map((f) => f.file_id), [fileId]);
  const f = await cwA.getRoomFile(roomId, fileId, { create_download_url: 1 });
  assert.equal(f.filename, 'pixel.png');
  assert.equal(f.filesize, png.length);
  assert.equal(typeof f.download_url, 'string');
  const dl = await fetch(new URL(f.download_url, srv.url));
  assert.equal(dl.status, 200);
  assert.ok(Buffer.from(await dl.arrayBuffer()).equals(png));
});

test('client: getRoomLink, postRoomLink, putRoomLink, deleteRoomLink', async () => {
  assert.deepEqual(await cwA.getRoomLink(roomId), { public: false });
  const created = await cwA.postRoomLink(roomId, { code: 'client-link', need_acceptance: 1, description: 'from the client' });
  assert.equal(created.public, true);
  assert.ok(created.url.endsWith('/g/client-link'));
  const changed = await cwA.putRoomLink(roomId, { code: 'client-link-2', need_acceptance: 0 });
  assert.ok(changed.url.endsWith('/g/client-link-2'));
  assert.equal(changed.need_acceptance, false);
  assert.deepEqual(await cwA.deleteRoomLink(roomId), { public: false });
  await assert.rejects(cwA.deleteRoomLink(roomId), (e) => e.response?.status === 400);
});

test('client: getContacts and getIncomingRequests answer 204 ("") when empty; errors surface as axios errors with the Chatwork body', async () => {
  assert.equal(await cwA.getContacts(), '');
  assert.equal(await cwA.getIncomingRequests(), '');
  await assert.rejects(cwA.getRoom(987654321), (e) => e.response?.status === 404 && Array.isArray(e.response.data.errors));
  const bad = new ChatworkApi('not-a-token');
  await assert.rejects(bad.getMe(), (e) => e.response?.status === 401 && e.response.data.errors[0] === 'Invalid API token');
});

test('client: status reflects the conversation; deleteRoom with action_type in the query string', async () => {
  const st = await cwB.getMyStatus();
  const rooms = await cwB.getRooms();
  assert.equal(st.unread_num, rooms.reduce((a, r) => a + r.unread_num, 0));
  assert.equal(st.mytask_num, 0, 'the only task was completed');
  const left = await cwB.deleteRoom(roomId, { action_type: 'leave' });
  assert.equal(left, '', '204 → empty body');
  await assert.rejects(cwB.getRoom(roomId), (e) => e.response?.status === 404);
  const deleted = await cwA.deleteRoom(roomId, { action_type: 'delete' });
  assert.equal(deleted, '');
  await assert.rejects(cwA.getRoom(roomId), (e) => e.response?.status === 404);
  assert.ok(seen.length >= 40, `every client response went through the central checks (${seen.length})`);
});
