// Hostile and malformed input (notes §1, §9.14; operations S20, S23–S25).
// After every rejected write the test checks that nothing was written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, rawRequest, checkResponse } from './support/server.mjs';
import {
  makeOrg, makeUser, makeUsers, makeRoom, getRoom, latestMessages, postMessage, idList,
} from './support/fixtures.mjs';

let srv;
let org;
let alice; let bob;
let room;

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'Bad Input Org');
  [alice, bob] = await makeUsers(srv, org, ['Alice', 'Bob']);
  room = await makeRoom(alice, { name: 'Target', members: [bob] });
});

after(async () => { await srv?.stop(); });

/** Snapshot of everything a rejected write could have touched. */
async function snapshot() {
  const r = await getRoom(alice, room);
  const msgs = await latestMessages(alice, room);
  const rooms = (await alice.api.get('/rooms')).json.map((x) => x.room_id).sort((a, b) => a - b);
  const members = (await alice.api.get(`/rooms/${room}/members`)).json.map((m) => `${m.account_id}:${m.role}`).sort();
  return {
    name: r.name, description: r.description, message_num: r.message_num, task_num: r.task_num, file_num: r.file_num,
    last: msgs.map((m) => `${m.message_id}:${m.body}`).slice(-5), rooms, members,
  };
}

function normHeaders(h) {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

async function raw(method, path, body, contentType = 'application/x-www-form-urlencoded', token = alice.api_token) {
  const headers = { 'X-ChatWorkToken': token };
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  const res = await rawRequest(srv.url, { method, path, headers, body });
  if (res.status) checkResponse({ ...res, headers: normHeaders(res.headers) });
  return res;
}

test('invalid UTF-8 in a message body (raw bytes, percent-encoded, overlong, surrogate) answers 400 and writes nothing', async () => {
  const before = await snapshot();
  const cases = [
    Buffer.concat([Buffer.from('body='), Buffer.from([0xff, 0xfe, 0x41])]),
    Buffer.from('body=%FF%FEabc'),
    Buffer.from('body=%C0%AF'), // overlong "/"
    Buffer.from('body=%ED%A0%80'), // UTF-16 surrogate encoded in UTF-8
    Buffer.from('body=ok%E3%81'), // truncated multi-byte sequence
  ];
  for (const body of cases) {
    const res = await raw('POST', `/v2/rooms/${room}/messages`, body);
    assert.equal(res.status, 400, `invalid UTF-8 ${JSON.stringify(body.toString('latin1'))}: expected 400, got ${res.status} ${res.text}`);
  }
  assert.deepEqual(await snapshot(), before);
});

test('invalid UTF-8 in room names, descriptions and task bodies answers 400 and writes nothing', async () => {
  const before = await snapshot();
  const r1 = await raw('POST', '/v2/rooms', `name=%FFbad&members_admin_ids=${alice.account_id}`);
  assert.equal(r1.status, 400, `room name: ${r1.status} ${r1.text}`);
  const r2 = await raw('PUT', `/v2/rooms/${room}`, 'description=%C3%28');
  assert.equal(r2.status, 400, `room description: ${r2.status} ${r2.text}`);
  const r3 = await raw('POST', `/v2/rooms/${room}/tasks`, `body=%FE&to_ids=${bob.account_id}`);
  assert.equal(r3.status, 400, `task body: ${r3.status} ${r3.text}`);
  const mid = await postMessage(alice, room, 'edit target');
  const before2 = await snapshot();
  const r4 = await raw('PUT', `/v2/rooms/${room}/messages/${mid}`, 'body=%80%80');
  assert.equal(r4.status, 400, `message edit: ${r4.status} ${r4.text}`);
  assert.deepEqual(await snapshot(), before2);
  assert.equal(before2.message_num, before.message_num + 1);
});

test('a malformed form body (bad percent-encoding) answers 400 and writes nothing', async () => {
  const before = await snapshot();
  for (const body of ['body=%ZZhello', 'body=100%', 'body=%4']) {
    const res = await raw('POST', `/v2/rooms/${room}/messages`, body);
    assert.equal(res.status, 400, `${body}: expected 400, got ${res.status} ${res.text}`);
  }
  assert.deepEqual(await snapshot(), before);
});

test('a JSON body instead of a form body is not a source of parameters (400, nothing written)', async () => {
  const before = await snapshot();
  const res = await alice.api.request('POST', `/rooms/${room}/messages`, { body: JSON.stringify({ body: 'json body' }), contentType: 'application/json' });
  expectStatus(res, 400);
  assert.deepEqual(await snapshot(), before);
});

test('a form Content-Type with a charset parameter is accepted', async () => {
  const res = await alice.api.request('POST', `/rooms/${room}/messages`, {
    form: { body: 'charset ok' }, contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
  });
  expectStatus(res, 200);
});

test('unknown parameters are ignored', async () => {
  const res = await alice.api.post(`/rooms/${room}/messages`, { body: 'with extras', foo: 'bar', file_name: 'x', force: 1 });
  expectStatus(res, 200);
  const g = await alice.api.get(`/rooms/${room}/messages/${res.json.message_id}`, { force: 1, unknown: 'yes' });
  expectStatus(g, 200);
  assert.equal(g.json.body, 'with extras');
  expectStatus(await alice.api.get('/rooms', { page: 2, limit: 100000 }), 200);
});

test('S20: a 2 MiB and a 10 MB request body answer 413, write nothing, and the server keeps serving', async () => {
  const before = await snapshot();
  for (const size of [2 * 1024 * 1024, 10 * 1000 * 1000]) {
    const body = Buffer.alloc(size, 'a');
    body.write('body=', 0);
    const res = await raw('POST', `/v2/rooms/${room}/messages`, body);
    assert.equal(res.status, 413, `${size} bytes: expected 413, got ${res.status} ${res.error ?? ''} ${res.text?.slice(0, 200)}`);
  }
  const put = await raw('PUT', `/v2/rooms/${room}`, Buffer.concat([Buffer.from('description='), Buffer.alloc(1024 * 1024 + 10, 'b')]));
  assert.equal(put.status, 413, `PUT room over 1 MiB: ${put.status}`);
  expectStatus(await alice.api.request('GET', '/healthz', { auth: 'none' }), 200);
  assert.deepEqual(await snapshot(), before);
});

test('only the upload route takes a file-sized body: a 2 MiB multipart body elsewhere answers 413', async () => {
  const before = await snapshot();
  const contentType = 'multipart/form-data; boundary=x';
  const body = Buffer.alloc(2 * 1024 * 1024, 'a');
  for (const [method, path] of [['POST', `/v2/rooms/${room}/messages`], ['PUT', `/v2/rooms/${room}`], ['POST', '/v2/rooms']]) {
    const res = await raw(method, path, body, contentType);
    assert.equal(res.status, 413, `${method} ${path}: expected 413, got ${res.status}`);
  }
  expectStatus(await alice.api.request('GET', '/healthz', { auth: 'none' }), 200);
  assert.deepEqual(await snapshot(), before);
});

test('a form body with more than 1,000 parameters answers 400 and writes nothing', async () => {
  const before = await snapshot();
  const body = `${'a=1&'.repeat(5000)}body=hello`;
  const res = await raw('POST', `/v2/rooms/${room}/messages`, body);
  assert.equal(res.status, 400, `expected 400, got ${res.status}`);
  assert.deepEqual(await snapshot(), before);
});

test('a message of 65536 characters answers 400 (not 413) and writes nothing', async () => {
  const before = await snapshot();
  expectStatus(await alice.api.post(`/rooms/${room}/messages`, { body: 'é'.repeat(65536) }), 400);
  assert.deepEqual(await snapshot(), before);
});

test('NUL and control characters in a body are stored literally or rejected with 400, never a 5xx', async () => {
  const body = 'nul\u0000inside\u0001\u001f end';
  const res = await alice.api.post(`/rooms/${room}/messages`, { body });
  expectStatus(res, [200, 400]);
  if (res.status === 200) {
    const g = await alice.api.get(`/rooms/${room}/messages/${res.json.message_id}`);
    assert.equal(g.json.body, body);
  }
});

test('non-numeric, negative, fractional or overflowing path ids answer 400 or 404, never 5xx', async () => {
  const bad = ['abc', '-1', '0', '1.5', '1e3', '99999999999999999999999', '%20', '0x10', "1'%20OR%201=1"];
  for (const b of bad) {
    expectStatus(await alice.api.get(`/rooms/${b}`), [400, 404], `/rooms/${b}`);
    expectStatus(await alice.api.get(`/rooms/${room}/messages/${b}`), [400, 404], `/messages/${b}`);
    expectStatus(await alice.api.get(`/rooms/${room}/tasks/${b}`), [400, 404], `/tasks/${b}`);
    expectStatus(await alice.api.get(`/rooms/${room}/files/${b}`), [400, 404], `/files/${b}`);
    expectStatus(await alice.api.put(`/incoming_requests/${b}`, {}), [400, 404], `/incoming_requests/${b}`);
  }
});

test('unknown but well-formed ids answer 404 on every by-id route', async () => {
  const big = '987654321';
  expectStatus(await alice.api.get(`/rooms/${big}`), 404);
  expectStatus(await alice.api.put(`/rooms/${big}`, { name: 'x' }), 404);
  expectStatus(await alice.api.del(`/rooms/${big}`, { action_type: 'leave' }), 404);
  expectStatus(await alice.api.get(`/rooms/${big}/members`), 404);
  expectStatus(await alice.api.get(`/rooms/${big}/messages`, { force: 1 }), 404);
  expectStatus(await alice.api.post(`/rooms/${big}/messages`, { body: 'x' }), 404);
  expectStatus(await alice.api.get(`/rooms/${big}/tasks`), 404);
  expectStatus(await alice.api.get(`/rooms/${big}/files`), 404);
  expectStatus(await alice.api.get(`/rooms/${big}/link`), 404);
  expectStatus(await alice.api.get(`/rooms/${room}/messages/9876543210987`), 404);
  expectStatus(await alice.api.get(`/rooms/${room}/tasks/${big}`), 404);
  expectStatus(await alice.api.get(`/rooms/${room}/files/${big}`), 404);
  expectStatus(await alice.api.del(`/incoming_requests/${big}`), 404);
});

test('non-numeric entries in id lists answer 400 and write nothing', async () => {
  const before = await snapshot();
  for (const ids of [`${alice.account_id},abc`, 'abc', `${alice.account_id},1.5`, `${alice.account_id},-2`, `${alice.account_id};${bob.account_id}`]) {
    expectStatus(await alice.api.post('/rooms', { name: 'bad ids', members_admin_ids: ids }), 400, `members_admin_ids=${ids}`);
    expectStatus(await alice.api.post('/rooms', { name: 'bad ids', members_admin_ids: String(alice.account_id), members_member_ids: ids }), 400, `members_member_ids=${ids}`);
    expectStatus(await alice.api.put(`/rooms/${room}/members`, { members_admin_ids: String(alice.account_id), members_readonly_ids: ids }), 400, `PUT members_readonly_ids=${ids}`);
    expectStatus(await alice.api.post(`/rooms/${room}/tasks`, { body: 'bad ids', to_ids: ids }), 400, `to_ids=${ids}`);
  }
  assert.deepEqual(await snapshot(), before);
});

test('an empty list string means an empty list (members_member_ids= and members_readonly_ids=)', async () => {
  const res = await alice.api.post('/rooms', { name: 'Empty lists', members_admin_ids: String(alice.account_id), members_member_ids: '', members_readonly_ids: '' });
  expectStatus(res, 200);
  const m = (await alice.api.get(`/rooms/${res.json.room_id}/members`)).json;
  assert.deepEqual(m.map((x) => x.account_id), [alice.account_id]);
});

test('PHP-style array parameters (ids[0]=, ids[]=) answer 400 and write nothing', async () => {
  const before = await snapshot();
  const a = alice.account_id; const b = bob.account_id;
  const cases = [
    ['/v2/rooms', 'POST', `name=php&members_admin_ids[0]=${a}&members_admin_ids[1]=${b}`],
    ['/v2/rooms', 'POST', `name=php&members_admin_ids%5B0%5D=${a}`],
    ['/v2/rooms', 'POST', `name=php&members_admin_ids=${a}&members_member_ids[]=${b}`],
    [`/v2/rooms/${room}/tasks`, 'POST', `body=php&to_ids[0]=${b}`],
    [`/v2/rooms/${room}/members`, 'PUT', `members_admin_ids[0]=${a}&members_member_ids=${b}`],
  ];
  for (const [p, method, body] of cases) {
    const res = await raw(method, p, body);
    assert.equal(res.status, 400, `${method} ${p} ${body}: expected 400, got ${res.status} ${res.text}`);
  }
  assert.deepEqual(await snapshot(), before);
});

test('unknown enum values answer 400 and write nothing (action_type, icon_preset, limit_type, task status, booleans)', async () => {
  const before = await snapshot();
  const t = await alice.api.post(`/rooms/${room}/tasks`, { body: 'enum target', to_ids: String(bob.account_id) });
  expectStatus(t, 200);
  const taskId = t.json.task_ids[0];
  const before2 = await snapshot();
  assert.equal(before2.task_num, before.task_num + 1);

  expectStatus(await alice.api.del(`/rooms/${room}`, { action_type: 'archive' }), 400);
  expectStatus(await alice.api.post('/rooms', { name: 'bad icon', members_admin_ids: String(alice.account_id), icon_preset: 'unicorn' }), 400);
  expectStatus(await alice.api.put(`/rooms/${room}`, { name: 'renamed by bad icon', icon_preset: 'GROUP' }), 400);
  expectStatus(await alice.api.post(`/rooms/${room}/tasks`, { body: 'bad limit_type', to_ids: String(bob.account_id), limit: 2000000000, limit_type: 'weekly' }), 400);
  expectStatus(await bob.api.put(`/rooms/${room}/tasks/${taskId}/status`, { body: 'DONE' }), 400);
  expectStatus(await alice.api.post(`/rooms/${room}/messages`, { body: 'bad bool', self_unread: 'yes' }), 400);
  expectStatus(await alice.api.post(`/rooms/${room}/messages`, { body: 'bad bool 2', self_unread: '2' }), 400);
  expectStatus(await alice.api.post('/rooms', { name: 'bad link flag', members_admin_ids: String(alice.account_id), link: 'maybe' }), 400);
  expectStatus(await alice.api.get(`/rooms/${room}/messages`, { force: 'sometimes' }), 400);
  expectStatus(await alice.api.get(`/rooms/${room}/tasks`, { status: 'archived' }), 400);
  expectStatus(await alice.api.get('/my/tasks', { status: 'all' }), 400);
  assert.deepEqual(await snapshot(), before2);
  const task = await alice.api.get(`/rooms/${room}/tasks/${taskId}`);
  assert.equal(task.json.status, 'open');
});

test('too many ids (>100) in a list answer 400 and write nothing; 99 members plus the creator are fine', async () => {
  const many = await makeUsers(srv, org, Array.from({ length: 101 }, (_, i) => `Bulk${i}`), 8);
  const before = await snapshot();
  const res = await alice.api.post('/rooms', { name: 'Too big', members_admin_ids: String(alice.account_id), members_member_ids: idList(many) });
  expectStatus(res, 400, '101 ids in members_member_ids');
  const res2 = await alice.api.post('/rooms', { name: 'Too big admins', members_admin_ids: idList([alice, ...many]) });
  expectStatus(res2, 400, '102 ids in members_admin_ids');
  const res3 = await alice.api.put(`/rooms/${room}/members`, { members_admin_ids: String(alice.account_id), members_member_ids: idList(many) });
  expectStatus(res3, 400, '101 ids in PUT members');
  assert.deepEqual(await snapshot(), before);

  const ok = await alice.api.post('/rooms', { name: 'Hundred', members_admin_ids: String(alice.account_id), members_member_ids: idList(many.slice(0, 99)) });
  expectStatus(ok, 200, '99 members + the creator');
  const big = ok.json.room_id;
  const members = (await alice.api.get(`/rooms/${big}/members`)).json;
  assert.equal(members.length, 100);
  const before3 = (await getRoom(alice, big)).task_num;
  const tooManyAssignees = await alice.api.post(`/rooms/${big}/tasks`, { body: 'too many', to_ids: idList([alice, ...many.slice(0, 99), many[100]]) });
  expectStatus(tooManyAssignees, 400, '101 ids in to_ids');
  assert.equal((await getRoom(alice, big)).task_num, before3);
});

test('POST/PUT read parameters only from the body: query parameters are ignored', async () => {
  const before = await snapshot();
  const res = await alice.api.request('PUT', `/rooms/${room}`, { query: { name: 'From query' }, form: { description: before.description } });
  expectStatus(res, 200);
  assert.equal((await getRoom(alice, room)).name, before.name, 'name in the query string is ignored on PUT');
  const res2 = await alice.api.request('POST', `/rooms/${room}/tasks`, { query: { body: 'q', to_ids: String(bob.account_id) }, form: {} });
  expectStatus(res2, 400);
  assert.deepEqual(await snapshot(), before);
});

test('S25: SQL-looking and wildcard input is stored literally', async () => {
  for (const body of ["' OR 1=1 --", '%_\\', 'Robert\'); DROP TABLE messages;--']) {
    const id = await postMessage(alice, room, body);
    assert.equal((await alice.api.get(`/rooms/${room}/messages/${id}`)).json.body, body);
  }
  const r = await alice.api.post('/rooms', { name: "x' OR '1'='1", members_admin_ids: String(alice.account_id) });
  expectStatus(r, 200);
  assert.equal((await getRoom(alice, r.json.room_id)).name, "x' OR '1'='1");
});

test('unsupported HTTP methods and unknown /v2 paths do not answer 2xx or 5xx', async () => {
  for (const [m, p] of [['PATCH', `/rooms/${room}`], ['DELETE', '/me'], ['POST', '/me'], ['GET', '/nonexistent'], ['GET', `/rooms/${room}/nonexistent`]]) {
    const res = await alice.api.request(m, p, m === 'GET' || m === 'DELETE' ? { check: false } : { form: {}, check: false });
    assert.ok(res.status >= 400 && res.status < 500, `${m} ${p}: expected 4xx, got ${res.status}`);
    checkResponse(res); // {"errors":[...]} body and X-RateLimit-* headers, like every /v2 response
  }
});
