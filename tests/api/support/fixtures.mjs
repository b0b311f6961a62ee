// Shared world-building helpers on top of the admin CLI and the API wrapper.
import assert from 'node:assert/strict';
import { expectStatus } from './server.mjs';

let seq = 0;

export async function makeOrg(srv, name = 'Org') {
  const r = await srv.admin('org', 'create', '--name', name);
  assert.ok(Number.isInteger(r.organization_id), `org create must return an integer organization_id, got ${JSON.stringify(r)}`);
  return r.organization_id;
}

/** Creates an account; returns {account_id, room_id (my chat), api_token, name, email, org, api}. */
export async function makeUser(srv, org, name) {
  seq += 1;
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${process.pid}.${seq}@example.test`;
  const r = await srv.admin('account', 'create', '--org', org, '--name', name, '--email', email);
  assert.ok(Number.isInteger(r.account_id), `account create: integer account_id expected, got ${JSON.stringify(r)}`);
  assert.ok(Number.isInteger(r.room_id), `account create: integer room_id (my chat) expected, got ${JSON.stringify(r)}`);
  assert.equal(typeof r.api_token, 'string', `account create: string api_token expected, got ${JSON.stringify(r)}`);
  assert.ok(r.api_token.length > 0);
  return { ...r, name, email, org, api: srv.api(r.api_token) };
}

/** Create many users with bounded parallelism. */
export async function makeUsers(srv, org, names, parallel = 8) {
  const out = new Array(names.length);
  let next = 0;
  async function worker() {
    while (next < names.length) {
      const i = next++;
      out[i] = await makeUser(srv, org, names[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, names.length) }, worker));
  return out;
}

export async function makeContacts(srv, a, b) {
  const r = await srv.admin('contact', 'add', a.account_id, b.account_id);
  assert.deepEqual(r, {}, `contact add should print {}, got ${JSON.stringify(r)}`);
}

/** Operations §4 actors: org A (a1 admin, a2 member, a3 readonly), org B (b1). */
export async function standardWorld(srv) {
  const orgA = await makeOrg(srv, 'Org A');
  const orgB = await makeOrg(srv, 'Org B');
  const [a1, a2, a3] = await makeUsers(srv, orgA, ['Alice A1', 'Bob A2', 'Carol A3']);
  const b1 = await makeUser(srv, orgB, 'Dan B1');
  return { orgA, orgB, a1, a2, a3, b1 };
}

export const idList = (users) => users.map((u) => (typeof u === 'number' ? u : u.account_id)).join(',');

/** POST /rooms as owner; returns room_id. */
export async function makeRoom(owner, { name = `Room ${++seq}`, admins, members = [], readonly = [], extra = {} } = {}) {
  // empty lists are omitted here; bad_input tests the empty-string form explicitly
  const res = await owner.api.post('/rooms', {
    name,
    members_admin_ids: idList(admins ?? [owner]),
    members_member_ids: members.length ? idList(members) : undefined,
    members_readonly_ids: readonly.length ? idList(readonly) : undefined,
    ...extra,
  });
  expectStatus(res, 200, 'creating a room');
  assert.ok(Number.isInteger(res.json.room_id));
  return res.json.room_id;
}

export async function postMessage(user, roomId, body, extra = {}) {
  const res = await user.api.post(`/rooms/${roomId}/messages`, { body, ...extra });
  expectStatus(res, 200, 'posting a message');
  assert.equal(typeof res.json.message_id, 'string');
  return res.json.message_id;
}

export async function getRoom(user, roomId) {
  const res = await user.api.get(`/rooms/${roomId}`);
  expectStatus(res, 200, `GET /rooms/${roomId} as ${user.name}`);
  return res.json;
}

/** Mark everything read in a room (200, or 400 when nothing was unread); asserts unread_num is 0 afterwards. */
export async function markAllRead(user, roomId) {
  const res = await user.api.put(`/rooms/${roomId}/messages/read`, {});
  expectStatus(res, [200, 400], 'marking a room read');
  const room = await getRoom(user, roomId);
  assert.equal(room.unread_num, 0, `after PUT read, ${user.name}'s unread_num in room ${roomId} must be 0`);
  assert.equal(room.mention_num, 0);
  return room;
}

/** All messages of a room visible with force=1 (latest 100). */
export async function latestMessages(user, roomId) {
  const res = await user.api.get(`/rooms/${roomId}/messages`, { force: 1 });
  expectStatus(res, [200, 204]);
  return res.status === 204 ? [] : res.json;
}

export async function roomCounters(user, roomId) {
  const r = await getRoom(user, roomId);
  return { unread: r.unread_num, mention: r.mention_num, mytask: r.mytask_num, messages: r.message_num, tasks: r.task_num, files: r.file_num };
}

export async function myStatus(user) {
  const res = await user.api.get('/my/status');
  expectStatus(res, 200);
  return res.json;
}

export async function listOrEmpty(res) {
  expectStatus(res, [200, 204]);
  return res.status === 204 ? [] : res.json;
}

export const cmpId = (a, b) => {
  const x = BigInt(a); const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

export function assertAscending(ids, what = 'message ids') {
  for (let i = 1; i < ids.length; i++) {
    assert.ok(cmpId(ids[i - 1], ids[i]) < 0, `${what} must be strictly ascending: ${ids[i - 1]} then ${ids[i]}`);
  }
}

export function assertAccount(acc, user, what = 'account') {
  assert.ok(acc && typeof acc === 'object', `${what} must be an object`);
  assert.equal(acc.account_id, user.account_id, `${what}.account_id`);
  assert.equal(acc.name, user.name, `${what}.name`);
  assert.equal(typeof acc.avatar_image_url, 'string', `${what}.avatar_image_url`);
}

/** Build a multipart/form-data body by hand (for leniency and size tests). */
export function multipartBody(parts, { boundary = `----kaiwa${Date.now()}${Math.random().toString(16).slice(2)}`, trailingCrlf = true } = {}) {
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    head += '\r\n';
    chunks.push(Buffer.from(head, 'utf8'));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(String(p.data), 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--${trailingCrlf ? '\r\n' : ''}`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const nowSec = () => Math.floor(Date.now() / 1000);
