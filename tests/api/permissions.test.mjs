// Security matrix of shared/operations.md §4 that applies to /v2: S6–S14, S18, S20, S21.
// Actors: org A (a1 admin, a2 member, a3 readonly of room R), org B (b1, not in R).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, rawRequest } from './support/server.mjs';
import {
  standardWorld, makeRoom, postMessage, getRoom, latestMessages, makeOrg, makeUser, nowSec, idList,
} from './support/fixtures.mjs';

let srv;
let w;
let R; let R2;
let mid; let mid2; let fileId; let taskId; let taskId2; let fileId2;

before(async () => {
  srv = await startServer();
  w = await standardWorld(srv);
  const { a1, a2, a3 } = w;
  R = await makeRoom(a1, { name: 'Room R', members: [a2], readonly: [a3] });
  R2 = await makeRoom(a1, { name: 'Room R2', members: [a2] });
  mid = await postMessage(a1, R, 'a1 in R');
  mid2 = await postMessage(a1, R2, 'a1 in R2');
  const up = await a1.api.upload(`/rooms/${R}/files`, { file: { name: 'r.txt', data: 'room R file' } });
  expectStatus(up, 200);
  fileId = up.json.file_id;
  const up2 = await a1.api.upload(`/rooms/${R2}/files`, { file: { name: 'r2.txt', data: 'room R2 file' } });
  expectStatus(up2, 200);
  fileId2 = up2.json.file_id;
  const t = await a1.api.post(`/rooms/${R}/tasks`, { body: 'task in R', to_ids: String(a2.account_id) });
  expectStatus(t, 200);
  taskId = t.json.task_ids[0];
  const t2 = await a1.api.post(`/rooms/${R2}/tasks`, { body: 'task in R2', to_ids: String(a2.account_id) });
  expectStatus(t2, 200);
  taskId2 = t2.json.task_ids[0];
});

after(async () => { await srv?.stop(); });

test('S6: b1 (not a member) gets 404 on every read and write of room R, identical to an unknown room', async () => {
  const { b1 } = w;
  const ghost = 987654321;
  const probes = [
    ['GET', (r) => `/rooms/${r}`],
    ['GET', (r) => `/rooms/${r}/messages?force=1`],
    ['GET', (r) => `/rooms/${r}/messages`],
    ['GET', (r) => `/rooms/${r}/messages/${mid}`],
    ['GET', (r) => `/rooms/${r}/files`],
    ['GET', (r) => `/rooms/${r}/files/${fileId}`],
    ['GET', (r) => `/rooms/${r}/files/${fileId}?create_download_url=1`],
    ['GET', (r) => `/rooms/${r}/tasks`],
    ['GET', (r) => `/rooms/${r}/tasks/${taskId}`],
    ['GET', (r) => `/rooms/${r}/members`],
    ['GET', (r) => `/rooms/${r}/link`],
    ['POST', (r) => `/rooms/${r}/messages`, { body: 'b1 intrudes' }],
    ['PUT', (r) => `/rooms/${r}`, { name: 'b1 renamed' }],
    ['PUT', (r) => `/rooms/${r}/members`, { members_admin_ids: String(b1.account_id) }],
    ['PUT', (r) => `/rooms/${r}/messages/read`, {}],
    ['PUT', (r) => `/rooms/${r}/messages/${mid}`, { body: 'b1 edit' }],
    ['DELETE', (r) => `/rooms/${r}/messages/${mid}`],
    ['POST', (r) => `/rooms/${r}/tasks`, { body: 'b1 task', to_ids: String(b1.account_id) }],
    ['PUT', (r) => `/rooms/${r}/tasks/${taskId}/status`, { body: 'done' }],
    ['POST', (r) => `/rooms/${r}/link`, {}],
    ['DELETE', (r) => `/rooms/${r}?action_type=delete`],
  ];
  for (const [m, p, form] of probes) {
    const [path, qs] = p(R).split('?');
    const query = qs ? Object.fromEntries(new URLSearchParams(qs)) : undefined;
    const res = await b1.api.request(m, path, { query, form });
    expectStatus(res, 404, `b1 ${m} ${p(R)}`);
    const [gpath, gqs] = p(ghost).split('?');
    const g = await b1.api.request(m, gpath, { query: gqs ? Object.fromEntries(new URLSearchParams(gqs)) : undefined, form });
    expectStatus(g, 404);
    assert.equal(res.text, g.text, `S6/S8: the 404 body for an existing room must equal the one for a missing room (${m} ${p(R)})`);
  }
  const upload = await b1.api.upload(`/rooms/${R}/files`, { file: { name: 'x.txt', data: 'x' } });
  expectStatus(upload, 404);
  // nothing changed
  const room = await getRoom(w.a1, R);
  assert.equal(room.name, 'Room R');
  const m = await w.a1.api.get(`/rooms/${R}/messages/${mid}`);
  assert.equal(m.json.body, 'a1 in R');
  assert.ok(!(await latestMessages(w.a1, R)).some((x) => x.body === 'b1 intrudes'));
});

test('S7: a2 asking for a message, task or file of R2 through the path of R gets 404 (the id must belong to the path\'s room)', async () => {
  const { a2 } = w;
  expectStatus(await a2.api.get(`/rooms/${R2}/messages/${mid2}`), 200, 'sanity: a2 can read it through R2');
  expectStatus(await a2.api.get(`/rooms/${R}/messages/${mid2}`), 404);
  expectStatus(await a2.api.put(`/rooms/${R}/messages/${mid2}`, { body: 'cross-room edit' }), 404);
  expectStatus(await a2.api.del(`/rooms/${R}/messages/${mid2}`), 404);
  expectStatus(await a2.api.put(`/rooms/${R}/messages/read`, { message_id: mid2 }), [400, 404]);
  expectStatus(await a2.api.get(`/rooms/${R}/tasks/${taskId2}`), 404);
  expectStatus(await a2.api.put(`/rooms/${R}/tasks/${taskId2}/status`, { body: 'done' }), 404);
  expectStatus(await a2.api.get(`/rooms/${R}/files/${fileId2}`), 404);
  expectStatus(await a2.api.get(`/rooms/${R}/files/${fileId2}`, { create_download_url: 1 }), 404);
  const m = await w.a1.api.get(`/rooms/${R2}/messages/${mid2}`);
  assert.equal(m.json.body, 'a1 in R2', 'not edited');
  const t = await w.a1.api.get(`/rooms/${R2}/tasks/${taskId2}`);
  assert.equal(t.json.status, 'open', 'not completed');
});

test('S8: walking message, file, task and room ids ±1…±30 and ±1000 as an outsider yields only uniform 404s', async () => {
  const { b1 } = w;
  const offsets = [];
  for (let k = 1; k <= 30; k++) offsets.push(k, -k);
  offsets.push(1000, -1000, 0);
  const bodies = new Set();
  const own = new Set((await b1.api.get('/rooms')).json.map((r) => r.room_id));
  for (const k of offsets) {
    // only well-formed (positive) ids: ids <= 0 are malformed and may be rejected with 400 before the room gate
    const checks = [];
    if (BigInt(mid) + BigInt(k) > 0n) checks.push(`/rooms/${R}/messages/${BigInt(mid) + BigInt(k)}`);
    if (fileId + k > 0) checks.push(`/rooms/${R}/files/${fileId + k}`);
    if (taskId + k > 0) checks.push(`/rooms/${R}/tasks/${taskId + k}`);
    if (!own.has(R + k) && R + k > 0) checks.push(`/rooms/${R + k}`, `/rooms/${R + k}/messages/${mid}`);
    for (const p of checks) {
      const res = await b1.api.get(p);
      expectStatus(res, 404, `outsider walk ${p}`);
      bodies.add(res.text);
    }
  }
  assert.equal(bodies.size, 1, `every 404 has the same body (no size oracle), got ${[...bodies].join(' | ')}`);
});

test('S9: a readonly member (a3) gets 403 when posting a message, adding a task or uploading a file; nothing is written', async () => {
  const { a1, a3 } = w;
  const before = await getRoom(a1, R);
  const post = await a3.api.post(`/rooms/${R}/messages`, { body: 'readonly speaks' });
  expectStatus(post, 403);
  const task = await a3.api.post(`/rooms/${R}/tasks`, { body: 'readonly task', to_ids: String(a3.account_id) });
  expectStatus(task, 403);
  const up = await a3.api.upload(`/rooms/${R}/files`, { file: { name: 'ro.txt', data: 'ro' } });
  expectStatus(up, 403);
  const after = await getRoom(a1, R);
  assert.equal(after.message_num, before.message_num);
  assert.equal(after.task_num, before.task_num);
  assert.equal(after.file_num, before.file_num);
  // readonly may still read
  expectStatus(await a3.api.get(`/rooms/${R}/messages`, { force: 1 }), 200);
  expectStatus(await a3.api.get(`/rooms/${R}/messages/${mid}`), 200);
  expectStatus(await a3.api.get(`/rooms/${R}/members`), 200);
  assert.equal((await getRoom(a3, R)).role, 'readonly');
});

test('S10: a member (a2) gets 403 on PUT /rooms/R, PUT /rooms/R/members and DELETE action_type=delete; the admin (a1) gets 200', async () => {
  const { a1, a2, a3 } = w;
  expectStatus(await a2.api.put(`/rooms/${R}`, { name: 'a2 renamed' }), 403);
  expectStatus(await a2.api.put(`/rooms/${R}/members`, { members_admin_ids: idList([a2]), members_member_ids: idList([a1]) }), 403);
  expectStatus(await a2.api.del(`/rooms/${R}`, { action_type: 'delete' }), 403);
  expectStatus(await a3.api.put(`/rooms/${R}`, { name: 'a3 renamed' }), 403);
  assert.equal((await getRoom(a1, R)).name, 'Room R');
  assert.equal((await getRoom(a2, R)).role, 'member');

  expectStatus(await a1.api.put(`/rooms/${R}`, { name: 'Room R' , description: 'admin edit' }), 200);
  const m = await a1.api.put(`/rooms/${R}/members`, { members_admin_ids: idList([a1]), members_member_ids: idList([a2]), members_readonly_ids: idList([a3]) });
  expectStatus(m, 200);
  assert.deepEqual(m.json, { admin: [a1.account_id], member: [a2.account_id], readonly: [a3.account_id] });
});

test('S11: PUT members with an empty or missing members_admin_ids answers 400 and changes nothing', async () => {
  const { a1, a2, a3 } = w;
  const before = (await a1.api.get(`/rooms/${R}/members`)).json;
  expectStatus(await a1.api.put(`/rooms/${R}/members`, { members_admin_ids: '', members_member_ids: idList([a1, a2]), members_readonly_ids: idList([a3]) }), 400);
  expectStatus(await a1.api.put(`/rooms/${R}/members`, { members_member_ids: idList([a1, a2]) }), 400);
  assert.deepEqual((await a1.api.get(`/rooms/${R}/members`)).json, before);
});

test('S12: a2 cannot edit or delete a1\'s message (403), the admin cannot edit a2\'s; a2 edits and deletes its own (200)', async () => {
  const { a1, a2 } = w;
  expectStatus(await a2.api.put(`/rooms/${R}/messages/${mid}`, { body: 'a2 was here' }), 403);
  expectStatus(await a2.api.del(`/rooms/${R}/messages/${mid}`), 403);
  const still = await a1.api.get(`/rooms/${R}/messages/${mid}`);
  expectStatus(still, 200);
  assert.equal(still.json.body, 'a1 in R');
  assert.equal(still.json.update_time, 0);

  const own = await postMessage(a2, R, 'a2 own');
  expectStatus(await a1.api.put(`/rooms/${R}/messages/${own}`, { body: 'admin rewrites a2' }), 403);
  expectStatus(await a2.api.put(`/rooms/${R}/messages/${own}`, { body: 'a2 own edited' }), 200);
  assert.equal((await a1.api.get(`/rooms/${R}/messages/${own}`)).json.body, 'a2 own edited');
  expectStatus(await a2.api.del(`/rooms/${R}/messages/${own}`), 200);
  expectStatus(await a1.api.get(`/rooms/${R}/messages/${own}`), 404);
});

test('S13: demoting a2 to readonly takes effect on the very next request (403), promoting back restores posting', async () => {
  const { a1, a2, a3 } = w;
  expectStatus(await a2.api.post(`/rooms/${R}/messages`, { body: 'a2 before demotion' }), 200);
  expectStatus(await a1.api.put(`/rooms/${R}/members`, { members_admin_ids: idList([a1]), members_readonly_ids: idList([a2, a3]) }), 200);
  expectStatus(await a2.api.post(`/rooms/${R}/messages`, { body: 'a2 after demotion' }), 403);
  expectStatus(await a2.api.post(`/rooms/${R}/tasks`, { body: 'x', to_ids: String(a1.account_id) }), 403);
  assert.equal((await getRoom(a2, R)).role, 'readonly');
  expectStatus(await a1.api.put(`/rooms/${R}/members`, { members_admin_ids: idList([a1]), members_member_ids: idList([a2]), members_readonly_ids: idList([a3]) }), 200);
  expectStatus(await a2.api.post(`/rooms/${R}/messages`, { body: 'a2 after promotion' }), 200);
  // removal also applies at once
  expectStatus(await a1.api.put(`/rooms/${R}/members`, { members_admin_ids: idList([a1]), members_readonly_ids: idList([a3]) }), 200);
  expectStatus(await a2.api.get(`/rooms/${R}/messages/${mid}`), 404);
  expectStatus(await a2.api.post(`/rooms/${R}/messages`, { body: 'a2 after removal' }), 404);
  expectStatus(await a1.api.put(`/rooms/${R}/members`, { members_admin_ids: idList([a1]), members_member_ids: idList([a2]), members_readonly_ids: idList([a3]) }), 200);
});

test('S14: account_id, send_time, room_id, message_id and update_time in a POST body are ignored; the sender is the token owner', async () => {
  const { a1, a2 } = w;
  const t0 = nowSec();
  const res = await a2.api.post(`/rooms/${R}/messages`, {
    body: 'spoof attempt', account_id: a1.account_id, send_time: 1, update_time: 5, room_id: R2, message_id: '1',
  });
  expectStatus(res, [200, 400]);
  if (res.status === 200) {
    const id = res.json.message_id;
    assert.notEqual(id, '1');
    const g = await a1.api.get(`/rooms/${R}/messages/${id}`);
    expectStatus(g, 200, 'the message is in the path\'s room');
    assert.equal(g.json.account.account_id, a2.account_id, 'the sender is the token owner');
    assert.ok(g.json.send_time >= t0 - 5, 'send_time is the server\'s');
    assert.equal(g.json.update_time, 0);
    expectStatus(await a1.api.get(`/rooms/${R2}/messages/${id}`), 404, 'not in the room named in the body');
  }
  if (res.status === 200) {
    const edit = await a2.api.put(`/rooms/${R}/messages/${res.json.message_id}`, { body: 'edit spoof', account_id: a1.account_id, room_id: R2 });
    expectStatus(edit, 200);
    const g = await a1.api.get(`/rooms/${R}/messages/${res.json.message_id}`);
    assert.equal(g.json.account.account_id, a2.account_id);
  }
  // task creator cannot be spoofed either
  const t = await a2.api.post(`/rooms/${R}/tasks`, { body: 'spoofed task', to_ids: String(a1.account_id), assigned_by_account_id: a1.account_id });
  expectStatus(t, [200, 400]);
  if (t.status === 200) {
    const task = await a1.api.get(`/rooms/${R}/tasks/${t.json.task_ids[0]}`);
    assert.equal(task.json.assigned_by_account.account_id, a2.account_id);
  }
});

test('S18: a1 adding b1 (neither a contact nor in org A) to R is refused (400/403) and membership is unchanged', async () => {
  const { a1, a2, a3, b1 } = w;
  const before = (await a1.api.get(`/rooms/${R}/members`)).json;
  const res = await a1.api.put(`/rooms/${R}/members`, {
    members_admin_ids: idList([a1]), members_member_ids: idList([a2, b1]), members_readonly_ids: idList([a3]),
  });
  expectStatus(res, [400, 403]);
  assert.deepEqual((await a1.api.get(`/rooms/${R}/members`)).json, before);
  expectStatus(await b1.api.get(`/rooms/${R}`), 404);
  const create = await a1.api.post('/rooms', { name: 'with stranger', members_admin_ids: idList([a1]), members_member_ids: idList([b1]) });
  expectStatus(create, [400, 403]);
  assert.equal((await b1.api.get('/rooms')).json.length, 1, 'b1 still only has its My Chat');
});

test('S20: a 10 MB body gets 413 and writes nothing', async () => {
  const { a1 } = w;
  const before = await getRoom(a1, R);
  const big = Buffer.alloc(10 * 1024 * 1024, 'x');
  big.write('body=', 0);
  const res = await rawRequest(srv.url, {
    method: 'POST', path: `/v2/rooms/${R}/messages`, body: big,
    headers: { 'X-ChatWorkToken': a1.api_token, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': big.length },
  });
  assert.equal(res.status, 413, `10 MB body: expected 413, got ${res.status} ${res.error ?? ''}`);
  assert.equal((await getRoom(a1, R)).message_num, before.message_num);
});

test('S20: a message over 65535 characters gets 400 and writes nothing', async () => {
  const { a1 } = w;
  const before = await getRoom(a1, R);
  expectStatus(await a1.api.post(`/rooms/${R}/messages`, { body: 'x'.repeat(65536) }), 400);
  assert.equal((await getRoom(a1, R)).message_num, before.message_num);
});

test('S20: 10,000 [To:] tags in one message are rejected (400) or counted as one mention', async () => {
  const { a1, a2 } = w;
  // mark a2's room read, then one message with 10,000 mentions of a2 (short tag form keeps it ≤ 65535 chars when possible)
  await a2.api.put(`/rooms/${R}/messages/read`, {});
  const tag = `[To:${a2.account_id}]`;
  const body = tag.repeat(10000);
  const m = await a1.api.post(`/rooms/${R}/messages`, { body });
  if (body.length > 65535) expectStatus(m, 400, 'over the length limit');
  else expectStatus(m, [200, 400]);
  const r2 = await getRoom(a2, R);
  if (m.status === 200) {
    assert.equal(r2.mention_num, 1, 'one message is one mention however many tags it carries');
    assert.equal(r2.unread_num, 1);
  } else {
    assert.equal(r2.mention_num, 0);
  }
  // a message just under the limit packed with To tags is fine
  const packed = `[To:${a2.account_id}]`.repeat(Math.floor(60000 / tag.length));
  const p = await a1.api.post(`/rooms/${R}/messages`, { body: packed });
  expectStatus(p, [200, 400]);
});

test('S21: over 300 requests in the window on one token get 429 with X-RateLimit-* headers and a Reset time', async () => {
  const s = await startServer({ rateLimit: null });
  try {
    const o = await makeOrg(s, 'S21');
    const u = await makeUser(s, o, 'Flooder');
    let first429 = -1;
    let last;
    for (let i = 0; i < 305; i++) {
      last = await u.api.get('/me');
      if (last.status === 429 && first429 < 0) first429 = i;
      if (last.status !== 200 && last.status !== 429) assert.fail(`unexpected ${last.status} at request ${i}`);
    }
    assert.equal(first429, 300, 'requests 1..300 pass, the 301st is limited');
    assert.equal(last.status, 429);
    assert.equal(last.headers['x-ratelimit-limit'], '300');
    assert.equal(last.headers['x-ratelimit-remaining'], '0');
    const reset = Number(last.headers['x-ratelimit-reset']);
    assert.ok(reset >= nowSec() && reset <= nowSec() + 301, `Reset ${reset}`);
  } finally {
    await s.stop();
  }
});
