// Tasks: POST/GET /rooms/{id}/tasks, GET task, PUT status, GET /my/tasks, mytask_num (notes §4.5, §9.4–9.5).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import {
  makeOrg, makeUsers, makeRoom, getRoom, myStatus, listOrEmpty, assertAccount, nowSec,
} from './support/fixtures.mjs';

let srv;
let org;
let alice; let bob; let carol; let dave; let erin;
let room; // alice admin; bob, carol members; dave outside

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'Task Org');
  [alice, bob, carol, dave, erin] = await makeUsers(srv, org, ['Alice', 'Bob', 'Carol', 'Dave', 'Erin']);
  room = await makeRoom(alice, { name: 'Tasks room', members: [bob, carol] });
});

after(async () => { await srv?.stop(); });

async function createTasks(user, roomId, form) {
  const res = await user.api.post(`/rooms/${roomId}/tasks`, form);
  expectStatus(res, 200, 'creating tasks');
  assert.ok(Array.isArray(res.json.task_ids));
  for (const id of res.json.task_ids) assert.ok(Number.isInteger(id));
  return res.json.task_ids;
}

async function getTask(user, roomId, id) {
  const res = await user.api.get(`/rooms/${roomId}/tasks/${id}`);
  expectStatus(res, 200);
  return res.json;
}

test('POST /rooms/{id}/tasks creates one task per assignee and answers {task_ids:[int,...]}', async () => {
  const ids = await createTasks(alice, room, { body: 'Buy milk', to_ids: `${bob.account_id},${carol.account_id}` });
  assert.equal(ids.length, 2);
  assert.notEqual(ids[0], ids[1]);
  const tasks = await Promise.all(ids.map((id) => getTask(alice, room, id)));
  const byAssignee = Object.fromEntries(tasks.map((t) => [t.account.account_id, t]));
  assert.ok(byAssignee[bob.account_id] && byAssignee[carol.account_id], 'one task for each of bob and carol');
  for (const t of tasks) {
    assert.ok(ids.includes(t.task_id));
    assert.equal(t.body, 'Buy milk');
    assert.equal(t.status, 'open');
    assert.equal(t.limit_type, 'none', 'no limit → limit_type none');
    assert.equal(t.limit_time, 0, 'no limit → limit_time 0');
    assertAccount(t.assigned_by_account, alice, 'assigned_by_account');
    assert.equal(typeof t.message_id, 'string');
    assert.match(t.message_id, /^[1-9][0-9]*$/);
  }
  assertAccount(byAssignee[bob.account_id].account, bob, 'account (assignee)');
});

test('each created task points to a system message in the room that announces it', async () => {
  const [id] = await createTasks(alice, room, { body: 'announce me', to_ids: String(bob.account_id) });
  const t = await getTask(bob, room, id);
  const m = await bob.api.get(`/rooms/${room}/messages/${t.message_id}`);
  expectStatus(m, 200);
  assert.match(m.json.body, /\[dtext:task_added\]/);
  assert.ok(m.json.body.includes('announce me'));
});

test('limit with limit_type=time keeps the exact Unix time; limit without limit_type means time; date gives a date deadline', async () => {
  const limit = nowSec() + 86400;
  const [t1] = await createTasks(alice, room, { body: 'timed', to_ids: String(bob.account_id), limit, limit_type: 'time' });
  const a = await getTask(alice, room, t1);
  assert.equal(a.limit_type, 'time');
  assert.equal(a.limit_time, limit);

  const [t2] = await createTasks(alice, room, { body: 'legacy client', to_ids: String(bob.account_id), limit });
  const b = await getTask(alice, room, t2);
  assert.equal(b.limit_type, 'time', 'limit without limit_type defaults to time');
  assert.equal(b.limit_time, limit);

  const [t3] = await createTasks(alice, room, { body: 'dated', to_ids: String(bob.account_id), limit, limit_type: 'date' });
  const c = await getTask(alice, room, t3);
  assert.equal(c.limit_type, 'date');
  assert.ok(Number.isInteger(c.limit_time) && Math.abs(c.limit_time - limit) < 2 * 86400, `a date deadline stays near the given day, got ${c.limit_time}`);

  const [t4] = await createTasks(alice, room, { body: 'explicit none', to_ids: String(bob.account_id), limit_type: 'none' });
  const d = await getTask(alice, room, t4);
  assert.equal(d.limit_type, 'none');
  assert.equal(d.limit_time, 0);
});

test('task bodies are stored verbatim (unicode, markup, 65535 characters)', async () => {
  for (const body of ['請求書を送る 📄 [To:1] <b>bold</b>', 'x'.repeat(65535)]) {
    const [id] = await createTasks(alice, room, { body, to_ids: String(carol.account_id) });
    assert.equal((await getTask(carol, room, id)).body, body);
  }
});

test('assignees must be room members: a non-member or unknown id answers 400 and creates no task', async () => {
  const before = (await getRoom(alice, room)).task_num;
  for (const to of [String(dave.account_id), `${bob.account_id},${dave.account_id}`, '987654321']) {
    expectStatus(await alice.api.post(`/rooms/${room}/tasks`, { body: 'nope', to_ids: to }), 400, `to_ids=${to}`);
  }
  assert.equal((await getRoom(alice, room)).task_num, before, 'no task was created');
  expectStatus(await dave.api.get('/my/tasks'), 204, 'dave has no tasks');
});

test('missing body, missing to_ids, empty to_ids or a body over 65535 characters answers 400', async () => {
  const before = (await getRoom(alice, room)).task_num;
  for (const form of [
    { to_ids: String(bob.account_id) },
    { body: 'no assignee' },
    { body: 'empty assignee', to_ids: '' },
    { body: 'y'.repeat(65536), to_ids: String(bob.account_id) },
    { body: 'bad limit', to_ids: String(bob.account_id), limit: 'tomorrow' },
    { body: 'bad type', to_ids: String(bob.account_id), limit: nowSec(), limit_type: 'week' },
  ]) {
    expectStatus(await alice.api.post(`/rooms/${room}/tasks`, form), 400, JSON.stringify(form).slice(0, 80));
  }
  assert.equal((await getRoom(alice, room)).task_num, before);
});

test('PUT .../tasks/{id}/status toggles done/open and answers {task_id}', async () => {
  const [id] = await createTasks(alice, room, { body: 'toggle me', to_ids: String(bob.account_id) });
  const done = await bob.api.put(`/rooms/${room}/tasks/${id}/status`, { body: 'done' });
  expectStatus(done, 200);
  assert.deepEqual(done.json, { task_id: id });
  assert.equal((await getTask(alice, room, id)).status, 'done');
  const open = await bob.api.put(`/rooms/${room}/tasks/${id}/status`, { body: 'open' });
  expectStatus(open, 200);
  assert.deepEqual(open.json, { task_id: id });
  assert.equal((await getTask(alice, room, id)).status, 'open');
  expectStatus(await bob.api.put(`/rooms/${room}/tasks/${id}/status`, { body: 'finished' }), 400);
  expectStatus(await bob.api.put(`/rooms/${room}/tasks/${id}/status`, {}), 400);
  assert.equal((await getTask(alice, room, id)).status, 'open');
  expectStatus(await bob.api.put(`/rooms/${room}/tasks/987654321/status`, { body: 'done' }), 404);
});

test('GET /rooms/{id}/tasks filters by status (default open), account_id and assigned_by_account_id; empty → 204', async () => {
  const r = await makeRoom(alice, { name: 'Filters', members: [bob, carol] });
  expectStatus(await alice.api.get(`/rooms/${r}/tasks`), 204, 'a room without tasks');
  const [tb] = await createTasks(alice, r, { body: 'for bob', to_ids: String(bob.account_id) });
  const [tc] = await createTasks(bob, r, { body: 'for carol by bob', to_ids: String(carol.account_id) });
  const [tdone] = await createTasks(alice, r, { body: 'finished one', to_ids: String(carol.account_id) });
  expectStatus(await carol.api.put(`/rooms/${r}/tasks/${tdone}/status`, { body: 'done' }), 200);

  const ids = async (q) => (await listOrEmpty(await alice.api.get(`/rooms/${r}/tasks`, q))).map((t) => t.task_id).sort((x, y) => x - y);
  assert.deepEqual(await ids(), [tb, tc].sort((x, y) => x - y), 'default is status=open');
  assert.deepEqual(await ids({ status: 'open' }), [tb, tc].sort((x, y) => x - y));
  assert.deepEqual(await ids({ status: 'done' }), [tdone]);
  assert.deepEqual(await ids({ account_id: carol.account_id }), [tc]);
  assert.deepEqual(await ids({ account_id: carol.account_id, status: 'done' }), [tdone]);
  assert.deepEqual(await ids({ assigned_by_account_id: bob.account_id }), [tc]);
  assert.deepEqual(await ids({ assigned_by_account_id: alice.account_id }), [tb]);
  expectStatus(await alice.api.get(`/rooms/${r}/tasks`, { account_id: dave.account_id }), 204);
  expectStatus(await alice.api.get(`/rooms/${r}/tasks`, { status: 'closed' }), 400);
  const full = (await alice.api.get(`/rooms/${r}/tasks`, { account_id: bob.account_id })).json[0];
  assertAccount(full.account, bob);
  assertAccount(full.assigned_by_account, alice);
  assert.equal(full.body, 'for bob');
});

test('mytask_num (room and /my/status) counts open tasks assigned to the caller; done tasks drop out', async () => {
  const r = await makeRoom(alice, { name: 'MyTaskNum', members: [erin] });
  const s0 = await myStatus(erin);
  const ids = await createTasks(alice, r, { body: 'erin 1', to_ids: String(erin.account_id) });
  ids.push(...await createTasks(alice, r, { body: 'erin 2', to_ids: String(erin.account_id) }));
  await createTasks(alice, r, { body: 'alice herself', to_ids: String(alice.account_id) });
  let room2 = await getRoom(erin, r);
  assert.equal(room2.mytask_num, 2);
  assert.equal(room2.task_num >= 3, true, 'task_num counts the room\'s tasks');
  let s1 = await myStatus(erin);
  assert.equal(s1.mytask_num, s0.mytask_num + 2);
  assert.equal(s1.mytask_room_num, s0.mytask_room_num + 1);
  expectStatus(await erin.api.put(`/rooms/${r}/tasks/${ids[0]}/status`, { body: 'done' }), 200);
  room2 = await getRoom(erin, r);
  assert.equal(room2.mytask_num, 1);
  s1 = await myStatus(erin);
  assert.equal(s1.mytask_num, s0.mytask_num + 1);
  assert.equal((await getRoom(alice, r)).mytask_num, 1, 'alice has her own open task');
});

test('GET /my/tasks lists the caller\'s tasks with their room; filters by status and assigned_by_account_id', async () => {
  const r = await makeRoom(bob, { name: 'Bob room for Carol', members: [carol] });
  const before = await listOrEmpty(await carol.api.get('/my/tasks'));
  const [t1] = await createTasks(bob, r, { body: 'carol my-task', to_ids: String(carol.account_id), limit: nowSec() + 3600, limit_type: 'time' });
  const list = await listOrEmpty(await carol.api.get('/my/tasks'));
  assert.equal(list.length, before.length + 1);
  const t = list.find((x) => x.task_id === t1);
  assert.ok(t, 'the new task is listed');
  assert.equal(t.room.room_id, r);
  assert.equal(t.room.name, 'Bob room for Carol');
  assert.equal(typeof t.room.icon_path, 'string');
  assertAccount(t.assigned_by_account, bob);
  assert.equal(t.body, 'carol my-task');
  assert.equal(t.status, 'open');
  assert.equal(t.limit_type, 'time');
  assert.equal(typeof t.message_id, 'string');
  assert.ok(list.every((x) => x.status === 'open'), 'default status is open');

  const byBob = await listOrEmpty(await carol.api.get('/my/tasks', { assigned_by_account_id: bob.account_id }));
  assert.ok(byBob.every((x) => x.assigned_by_account.account_id === bob.account_id));
  assert.ok(byBob.some((x) => x.task_id === t1));
  const byDave = await carol.api.get('/my/tasks', { assigned_by_account_id: dave.account_id });
  expectStatus(byDave, 204);

  expectStatus(await carol.api.put(`/rooms/${r}/tasks/${t1}/status`, { body: 'done' }), 200);
  const done = await listOrEmpty(await carol.api.get('/my/tasks', { status: 'done' }));
  assert.ok(done.some((x) => x.task_id === t1 && x.status === 'done'));
  const open = await listOrEmpty(await carol.api.get('/my/tasks'));
  assert.ok(!open.some((x) => x.task_id === t1));
  expectStatus(await carol.api.get('/my/tasks', { status: 'pending' }), 400);
  // bob assigned it but is not the assignee
  const bobs = await listOrEmpty(await bob.api.get('/my/tasks', { status: 'done' }));
  assert.ok(!bobs.some((x) => x.task_id === t1));
});

test('a task is only reachable through its own room and only by members (404 otherwise)', async () => {
  const [id] = await createTasks(alice, room, { body: 'private', to_ids: String(bob.account_id) });
  const other = await makeRoom(alice, { name: 'Other', members: [bob] });
  expectStatus(await bob.api.get(`/rooms/${other}/tasks/${id}`), 404, 'task id through a different room');
  expectStatus(await bob.api.put(`/rooms/${other}/tasks/${id}/status`, { body: 'done' }), 404);
  expectStatus(await dave.api.get(`/rooms/${room}/tasks/${id}`), 404, 'non-member');
  expectStatus(await dave.api.get(`/rooms/${room}/tasks`), 404);
  expectStatus(await dave.api.post(`/rooms/${room}/tasks`, { body: 'x', to_ids: String(dave.account_id) }), 404);
  expectStatus(await alice.api.get(`/rooms/${room}/tasks/987654321`), 404);
  assert.equal((await getTask(alice, room, id)).status, 'open');
});
