// Rooms and members: POST/GET/PUT/DELETE /rooms, GET/PUT /rooms/{id}/members (notes §4.3, §9.10).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import {
  makeOrg, makeUser, makeUsers, makeContacts, makeRoom, getRoom, latestMessages, idList,
} from './support/fixtures.mjs';

let srv;
let orgA; let orgB;
let a1; let a2; let a3; let b1; let b2;
let directRoom;

before(async () => {
  srv = await startServer();
  orgA = await makeOrg(srv, 'Org A');
  orgB = await makeOrg(srv, 'Org B');
  [a1, a2, a3] = await makeUsers(srv, orgA, ['Aki', 'Ayu', 'Aoi']);
  [b1, b2] = await makeUsers(srv, orgB, ['Ben', 'Bea']);
  await makeContacts(srv, a1, b1); // b1 is a contact of a1; b2 is a stranger
  const c = await a1.api.get('/contacts');
  directRoom = c.json.find((x) => x.account_id === b1.account_id).room_id;
});

after(async () => { await srv?.stop(); });

const sortNum = (xs) => [...xs].sort((x, y) => x - y);

async function memberMap(user, roomId) {
  const res = await user.api.get(`/rooms/${roomId}/members`);
  expectStatus(res, 200);
  return Object.fromEntries(res.json.map((m) => [m.account_id, m.role]));
}

async function roomIds(user) {
  const res = await user.api.get('/rooms');
  expectStatus(res, 200);
  return res.json.map((r) => r.room_id);
}

test('POST /rooms with name and one admin returns an integer room_id; GET /rooms/{id} describes a group room', async () => {
  const res = await a1.api.post('/rooms', { name: 'Website renewal', members_admin_ids: String(a1.account_id) });
  expectStatus(res, 200);
  assert.ok(Number.isInteger(res.json.room_id));
  const room = await getRoom(a1, res.json.room_id);
  assert.equal(room.room_id, res.json.room_id);
  assert.equal(room.name, 'Website renewal');
  assert.equal(room.type, 'group');
  assert.equal(room.role, 'admin');
  assert.equal(room.sticky, false);
  assert.equal(room.description, '');
  assert.equal(room.unread_num, 0, 'the creator has read the creation message');
  assert.equal(room.mention_num, 0);
  assert.equal(room.mytask_num, 0);
  assert.equal(room.task_num, 0);
  assert.equal(room.file_num, 0);
  assert.ok(room.message_num >= 1, 'POST /rooms posts a system message');
  assert.ok(Number.isInteger(room.last_update_time) && room.last_update_time > 0);
  const listed = (await a1.api.get('/rooms')).json.find((r) => r.room_id === room.room_id);
  assert.ok(listed, 'the new room is in GET /rooms');
  assert.equal(listed.name, 'Website renewal');
  assert.equal(listed.type, 'group');
});

test('POST /rooms posts the "group chat created" system message naming the room', async () => {
  const id = await makeRoom(a1, { name: 'Sysmsg room', members: [a2] });
  const msgs = await latestMessages(a1, id);
  assert.ok(msgs.length >= 1);
  const sys = msgs[0];
  assert.match(sys.body, /\[dtext:chatroom_groupchat_created\]/);
  assert.ok(sys.body.includes('[dtext:chatroom_chatname_is]Sysmsg room[dtext:chatroom_set]'), sys.body);
  assert.ok(sys.body.startsWith('[info][title][dtext:chatroom_groupchat_created][/title]'), sys.body);
  assert.ok(sys.body.endsWith('[dtext:chatroom_added][/info]'), sys.body);
  const a2room = await getRoom(a2, id);
  assert.equal(a2room.unread_num, 1, 'the creation message is unread for the other members');
});

test('POST /rooms with every parameter: description, icon_preset, admin/member/readonly lists incl. a contact', async () => {
  const res = await a1.api.post('/rooms', {
    name: '営業チーム 🚀',
    description: 'desc with [info]markup[/info] & ünïcödé',
    icon_preset: 'meeting',
    members_admin_ids: `${a1.account_id}`,
    members_member_ids: `${a2.account_id},${b1.account_id}`,
    members_readonly_ids: `${a3.account_id}`,
  });
  expectStatus(res, 200);
  const id = res.json.room_id;
  const room = await getRoom(a1, id);
  assert.equal(room.name, '営業チーム 🚀');
  assert.equal(room.description, 'desc with [info]markup[/info] & ünïcödé');
  assert.equal(typeof room.icon_path, 'string');
  assert.deepEqual(await memberMap(a1, id), {
    [a1.account_id]: 'admin', [a2.account_id]: 'member', [b1.account_id]: 'member', [a3.account_id]: 'readonly',
  });
  for (const [u, role] of [[a2, 'member'], [b1, 'member'], [a3, 'readonly']]) {
    const r = await getRoom(u, id);
    assert.equal(r.role, role, `${u.name}'s role`);
    assert.ok((await roomIds(u)).includes(id), `${u.name} lists the room`);
  }
  const members = (await a1.api.get(`/rooms/${id}/members`)).json;
  const ben = members.find((m) => m.account_id === b1.account_id);
  assert.equal(ben.name, 'Ben');
  assert.equal(ben.organization_id, orgB);
  assert.equal(ben.organization_name, 'Org B');
  for (const k of ['chatwork_id', 'department', 'avatar_image_url']) assert.equal(typeof ben[k], 'string');
});

test('the creator is always a member: listed only as a member, or not at all, they still end up in the room (as admin when unlisted)', async () => {
  const res = await a1.api.post('/rooms', { name: 'Creator unlisted', members_admin_ids: String(a2.account_id) });
  expectStatus(res, 200);
  const m = await memberMap(a2, res.json.room_id);
  assert.equal(m[a1.account_id], 'admin', 'an unlisted creator is added as admin');
  assert.equal(m[a2.account_id], 'admin');
  assert.equal(Object.keys(m).length, 2);
});

test('POST /rooms with a member who is neither a contact nor in the organization answers 400 and creates nothing', async () => {
  const before = await roomIds(a1);
  const res = await a1.api.post('/rooms', {
    name: 'Stranger room', members_admin_ids: String(a1.account_id), members_member_ids: String(b2.account_id),
  });
  expectStatus(res, 400);
  assert.deepEqual(await roomIds(a1), before, 'no room was created');
  assert.deepEqual((await roomIds(b2)).length, 1, 'the stranger only has their My Chat');
});

test('POST /rooms with an unknown account id answers 400', async () => {
  const res = await a1.api.post('/rooms', { name: 'Ghost', members_admin_ids: `${a1.account_id}`, members_member_ids: '987654321' });
  expectStatus(res, 400);
});

test('POST /rooms validates name: missing, empty and 256 characters → 400; 255 characters → 200', async () => {
  const before = await roomIds(a1);
  for (const form of [
    { members_admin_ids: String(a1.account_id) },
    { name: '', members_admin_ids: String(a1.account_id) },
    { name: 'n'.repeat(256), members_admin_ids: String(a1.account_id) },
    { name: 'no admins' },
  ]) {
    const res = await a1.api.post('/rooms', form);
    expectStatus(res, 400, JSON.stringify(form).slice(0, 80));
  }
  assert.deepEqual(await roomIds(a1), before, 'rejected requests created nothing');
  const ok = await a1.api.post('/rooms', { name: 'あ'.repeat(255), members_admin_ids: String(a1.account_id) });
  expectStatus(ok, 200, '255 characters (multi-byte) is allowed');
  assert.equal((await getRoom(a1, ok.json.room_id)).name, 'あ'.repeat(255));
});

test('PUT /rooms/{id} updates name, description and icon_preset and answers {room_id}', async () => {
  const id = await makeRoom(a1, { name: 'Before', members: [a2] });
  const res = await a1.api.put(`/rooms/${id}`, { name: 'After', description: 'new description', icon_preset: 'beer' });
  expectStatus(res, 200);
  assert.deepEqual(res.json, { room_id: id });
  const room = await getRoom(a2, id);
  assert.equal(room.name, 'After');
  assert.equal(room.description, 'new description');
  const partial = await a1.api.put(`/rooms/${id}`, { description: 'only description' });
  expectStatus(partial, 200);
  const again = await getRoom(a1, id);
  assert.equal(again.name, 'After', 'omitted fields are unchanged');
  assert.equal(again.description, 'only description');
});

test('PUT /rooms/{id} with an over-long name or unknown icon_preset answers 400 and changes nothing', async () => {
  const id = await makeRoom(a1, { name: 'Stable' });
  expectStatus(await a1.api.put(`/rooms/${id}`, { name: 'x'.repeat(256) }), 400);
  expectStatus(await a1.api.put(`/rooms/${id}`, { name: '' }), 400);
  expectStatus(await a1.api.put(`/rooms/${id}`, { icon_preset: 'unicorn' }), 400);
  assert.equal((await getRoom(a1, id)).name, 'Stable');
});

test('PUT /rooms/{id}/members replaces the membership and answers the resulting role lists', async () => {
  const id = await makeRoom(a1, { members: [a2, a3] });
  const res = await a1.api.put(`/rooms/${id}/members`, {
    members_admin_ids: `${a1.account_id},${a2.account_id}`,
    members_member_ids: `${b1.account_id}`,
    members_readonly_ids: '',
  });
  expectStatus(res, 200);
  assert.deepEqual(sortNum(res.json.admin), sortNum([a1.account_id, a2.account_id]));
  assert.deepEqual(res.json.member, [b1.account_id]);
  assert.deepEqual(res.json.readonly, []);
  assert.deepEqual(await memberMap(a1, id), { [a1.account_id]: 'admin', [a2.account_id]: 'admin', [b1.account_id]: 'member' });
  // a3 was removed: no longer sees the room
  expectStatus(await a3.api.get(`/rooms/${id}`), 404);
  assert.ok(!(await roomIds(a3)).includes(id));
  // roles change for the remaining members
  assert.equal((await getRoom(a2, id)).role, 'admin');
  assert.equal((await getRoom(b1, id)).role, 'member');
});

test('PUT /rooms/{id}/members with a stranger or unknown id answers 400 and leaves the membership unchanged', async () => {
  const id = await makeRoom(a1, { members: [a2] });
  const before = await memberMap(a1, id);
  expectStatus(await a1.api.put(`/rooms/${id}/members`, { members_admin_ids: `${a1.account_id}`, members_member_ids: `${b2.account_id}` }), 400);
  expectStatus(await a1.api.put(`/rooms/${id}/members`, { members_admin_ids: `${a1.account_id}`, members_member_ids: '987654321' }), 400);
  expectStatus(await a1.api.put(`/rooms/${id}/members`, { members_member_ids: `${a1.account_id},${a2.account_id}` }), 400, 'members_admin_ids is required');
  assert.deepEqual(await memberMap(a1, id), before);
});

test('DELETE /rooms/{id} action_type=leave (query) answers 204; the leaver loses access, the others keep it', async () => {
  const id = await makeRoom(a1, { members: [a2, a3] });
  const res = await a2.api.del(`/rooms/${id}`, { action_type: 'leave' });
  expectStatus(res, 204);
  assert.equal(res.text, '');
  expectStatus(await a2.api.get(`/rooms/${id}`), 404);
  assert.ok(!(await roomIds(a2)).includes(id));
  const m = await memberMap(a1, id);
  assert.equal(m[a2.account_id], undefined);
  assert.equal(m[a3.account_id], 'member');
});

test('leaving removes the leaver\'s assigned tasks and uploaded files (RAML action_type) and their counters', async () => {
  const id = await makeRoom(a1, { members: [a2] });
  const t = await a1.api.post(`/rooms/${id}/tasks`, { body: 'for a2', to_ids: String(a2.account_id) });
  expectStatus(t, 200);
  const t1 = await a1.api.post(`/rooms/${id}/tasks`, { body: 'for a1', to_ids: String(a1.account_id) });
  expectStatus(t1, 200);
  const up = await a2.api.upload(`/rooms/${id}/files`, { file: { name: 'a2.txt', data: 'a2 file' } });
  expectStatus(up, 200);
  const up1 = await a1.api.upload(`/rooms/${id}/files`, { file: { name: 'a1.txt', data: 'a1 file' } });
  expectStatus(up1, 200);
  await a1.api.post(`/rooms/${id}/messages`, { body: `[To:${a2.account_id}] unread for a2` });
  const s0 = (await a2.api.get('/my/status')).json;
  assert.ok(s0.mytask_num >= 1 && s0.unread_num >= 1);
  const roomBefore = await getRoom(a2, id);

  expectStatus(await a2.api.del(`/rooms/${id}`, { action_type: 'leave' }), 204);
  expectStatus(await a1.api.get(`/rooms/${id}/tasks/${t.json.task_ids[0]}`), 404, 'the leaver\'s task is deleted');
  expectStatus(await a1.api.get(`/rooms/${id}/files/${up.json.file_id}`), 404, 'the leaver\'s file is deleted');
  expectStatus(await a1.api.get(`/rooms/${id}/tasks/${t1.json.task_ids[0]}`), 200, 'other tasks stay');
  expectStatus(await a1.api.get(`/rooms/${id}/files/${up1.json.file_id}`), 200, 'other files stay');
  const s1 = (await a2.api.get('/my/status')).json;
  assert.equal(s1.mytask_num, s0.mytask_num - roomBefore.mytask_num, 'the left room no longer counts in mytask_num');
  assert.equal(s1.unread_num, s0.unread_num - roomBefore.unread_num, 'the left room no longer counts in unread_num');
  assert.equal(s1.mention_num, s0.mention_num - roomBefore.mention_num);
  const tasksOfA2 = await a2.api.get('/my/tasks');
  expectStatus(tasksOfA2, [200, 204]);
  if (tasksOfA2.status === 200) assert.ok(!tasksOfA2.json.some((x) => x.room.room_id === id));
});

test('DELETE /rooms/{id} also accepts action_type in a form body', async () => {
  const id = await makeRoom(a1, { members: [a2] });
  const res = await a2.api.del(`/rooms/${id}`, { action_type: 'leave' }, { asBody: true });
  expectStatus(res, 204);
  expectStatus(await a2.api.get(`/rooms/${id}`), 404);
});

test('the last admin cannot leave (400); after promoting another admin they can (204)', async () => {
  const id = await makeRoom(a1, { members: [a2] });
  expectStatus(await a1.api.del(`/rooms/${id}`, { action_type: 'leave' }), 400);
  assert.equal((await getRoom(a1, id)).role, 'admin', 'still a member');
  expectStatus(await a1.api.put(`/rooms/${id}/members`, { members_admin_ids: `${a1.account_id},${a2.account_id}` }), 200);
  expectStatus(await a1.api.del(`/rooms/${id}`, { action_type: 'leave' }), 204);
  assert.deepEqual(await memberMap(a2, id), { [a2.account_id]: 'admin' });
});

test('DELETE /rooms/{id} action_type=delete by an admin removes the room for every member', async () => {
  const id = await makeRoom(a1, { members: [a2, b1] });
  const res = await a1.api.del(`/rooms/${id}`, { action_type: 'delete' });
  expectStatus(res, 204);
  for (const u of [a1, a2, b1]) {
    expectStatus(await u.api.get(`/rooms/${id}`), 404, `${u.name} after delete`);
    assert.ok(!(await roomIds(u)).includes(id));
  }
  expectStatus(await a1.api.get(`/rooms/${id}/messages`, { force: 1 }), 404);
});

test('DELETE /rooms/{id} without action_type or with an unknown one answers 400 and keeps the room', async () => {
  const id = await makeRoom(a1, { members: [a2] });
  expectStatus(await a1.api.del(`/rooms/${id}`), 400);
  expectStatus(await a1.api.del(`/rooms/${id}`, { action_type: 'destroy' }), 400);
  expectStatus(await a1.api.get(`/rooms/${id}`), 200);
});

test('a direct chat refuses PUT room, PUT members, POST link and DELETE with 400', async () => {
  expectStatus(await a1.api.put(`/rooms/${directRoom}`, { name: 'renamed direct' }), 400);
  expectStatus(await a1.api.put(`/rooms/${directRoom}/members`, { members_admin_ids: idList([a1, b1]) }), 400);
  expectStatus(await a1.api.post(`/rooms/${directRoom}/link`, { code: 'directlink' }), 400);
  expectStatus(await a1.api.del(`/rooms/${directRoom}`, { action_type: 'leave' }), 400);
  expectStatus(await a1.api.del(`/rooms/${directRoom}`, { action_type: 'delete' }), 400);
  const room = await getRoom(a1, directRoom);
  assert.equal(room.type, 'direct');
  expectStatus(await b1.api.get(`/rooms/${directRoom}`), 200, 'the direct chat still exists for the other side');
});

test('My Chat refuses PUT room, PUT members, POST link and DELETE with 400', async () => {
  const my = a1.room_id;
  expectStatus(await a1.api.put(`/rooms/${my}`, { name: 'renamed my chat' }), 400);
  expectStatus(await a1.api.put(`/rooms/${my}/members`, { members_admin_ids: idList([a1, a2]) }), 400);
  expectStatus(await a1.api.post(`/rooms/${my}/link`, { code: 'mychatlink' }), 400);
  expectStatus(await a1.api.del(`/rooms/${my}`, { action_type: 'leave' }), 400);
  expectStatus(await a1.api.del(`/rooms/${my}`, { action_type: 'delete' }), 400);
  assert.equal((await getRoom(a1, my)).type, 'my');
});

test('GET /rooms/{id} for an unknown room answers 404', async () => {
  expectStatus(await a1.api.get('/rooms/987654321'), 404);
  expectStatus(await a1.api.get('/rooms/987654321/members'), 404);
});

test('GET /rooms lists group, direct and my chats with integer counters and no duplicate room ids', async () => {
  const res = await a1.api.get('/rooms');
  expectStatus(res, 200);
  const types = new Set(res.json.map((r) => r.type));
  assert.ok(types.has('my') && types.has('direct') && types.has('group'));
  const ids = res.json.map((r) => r.room_id);
  assert.equal(new Set(ids).size, ids.length);
});
