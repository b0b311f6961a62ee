// Joining a group chat by its invitation link: GET /kaiwa/v1/invitations/{code} (the preview),
// POST /kaiwa/v1/invitations/{code}/join, and the admins' join requests at
// /kaiwa/v1/rooms/{room_id}/join_requests[/{request_id}] (docs/api/kaiwa-openapi.yaml), with the
// stream events each side sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom, postMessage } from './support/fixtures.mjs';
import { StreamSet } from './support/stream.mjs';

let srv;
let orgA;
let orgB;
let alice; let amy; let reader;
const streams = new StreamSet();

before(async () => {
  srv = await startServer();
  orgA = await makeOrg(srv, 'Invite Org A');
  orgB = await makeOrg(srv, 'Invite Org B');
  [alice, amy, reader] = await makeUsers(srv, orgA, ['Alice Admin', 'Amy Member', 'Rita Readonly']);
});

after(async () => {
  streams.closeAll();
  await srv?.stop();
});

let seq = 0;
const uniq = (p) => `${p}-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
// Someone of another organization, neither a contact nor a colleague of anyone here.
const stranger = async (name) => (await makeUsers(srv, orgB, [name]))[0];
const invitation = (user, code) => user.api.get(`/kaiwa/v1/invitations/${code}`);
const join = (user, code) => user.api.post(`/kaiwa/v1/invitations/${code}/join`, {});
const requestsOf = (user, room) => user.api.get(`/kaiwa/v1/rooms/${room}/join_requests`);
const approve = (user, room, id) => user.api.put(`/kaiwa/v1/rooms/${room}/join_requests/${id}`, {});
const reject = (user, room, id) => user.api.del(`/kaiwa/v1/rooms/${room}/join_requests/${id}`);

/** A group chat of alice (amy a member, reader readonly) with a link; returns {room, code}. */
async function linkedRoom({ needAcceptance, description = 'Everyone working on topic A', name } = {}) {
  const room = await makeRoom(alice, { name: name ?? uniq('Linked room'), members: [amy], readonly: [reader] });
  const code = uniq('code');
  expectStatus(await alice.api.post(`/rooms/${room}/link`, { code, description, need_acceptance: needAcceptance ? 1 : 0 }), 200);
  return { room, code };
}

async function roleIn(user, room) {
  const res = await user.api.get(`/rooms/${room}`);
  return res.status === 200 ? res.json.role : res.status;
}

async function pendingIds(room) {
  const res = await requestsOf(alice, room);
  expectStatus(res, 200);
  return res.json.join_requests.map((r) => r.account.account_id);
}

test('a non-member sees the preview: name, icon, the link description, member count, need_acceptance', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: false, name: 'Topic A 企画' });
  const bob = await stranger('Bob Preview');
  const res = await invitation(bob, code);
  expectStatus(res, 200);
  assert.equal(res.json.code, code);
  assert.equal(res.json.name, 'Topic A 企画');
  assert.match(res.json.icon_path, /\/icons\/group\.png$/);
  assert.equal(res.json.description, 'Everyone working on topic A');
  assert.equal(res.json.member_count, 3);
  assert.equal(res.json.need_acceptance, false);
  assert.equal(res.json.is_member, false);
  assert.equal(res.json.request_pending, false);
  assert.equal('room_id' in res.json, false, 'a non-member is not told the room id');
  assert.equal(res.headers['cache-control'], 'no-store');
  for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) assert.match(res.headers[h] ?? '', /^\d+$/, `${h} (the per-token limit applies)`);
  const own = await invitation(amy, code);
  expectStatus(own, 200);
  assert.equal(own.json.is_member, true);
  assert.equal(own.json.room_id, room, 'a member is told the room to open');
  expectStatus(await bob.api.get(`/rooms/${room}`), 404, 'the preview does not let a stranger in');
});

test('without need_acceptance, join makes the caller a member at once; everyone sees it live', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: false });
  const bob = await stranger('Bob Joiner');
  const sa = await streams.open(srv.url, alice);
  const sb = await streams.open(srv.url, bob);
  const res = await join(bob, code);
  expectStatus(res, 200);
  assert.deepEqual(res.json, { status: 'joined', room_id: room });
  assert.equal(await roleIn(bob, room), 'member');
  const added = (e) => e.type === 'member_added' && e.data.room_id === room && e.data.account_id === bob.account_id;
  await sa.waitForEvent(added, 15000, 'alice sees bob join');
  const mine = await sb.waitForEvent(added, 15000, 'bob\'s stream learns the room');
  assert.equal(mine.data.role, 'member');
  const notice = await sa.waitForEvent((e) => e.type === 'message_created' && e.data.room_id === room, 15000, 'the join notice');
  assert.equal(notice.data.body, `[info][dtext:chatroom_member_is][piconname:${bob.account_id}][dtext:chatroom_added][/info]`);
  assert.equal(notice.data.account_id, bob.account_id);
  const rooms = await bob.api.get('/rooms');
  assert.ok(rooms.json.some((r) => r.room_id === room), 'the room is in bob\'s list');
  const hello = await postMessage(alice, room, 'Welcome, Bob!');
  await sb.waitForEvent((e) => e.type === 'message_created' && e.data.message_id === hello, 15000, 'bob gets messages live');
  expectStatus(await bob.api.post(`/rooms/${room}/messages`, { body: 'Thanks!' }), 200, 'a joiner may post');
  assert.equal((await invitation(bob, code)).json.member_count, 4);
});

test('joining again as a member answers already_member and changes nothing', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: false });
  const before = (await alice.api.get(`/rooms/${room}/members`)).json;
  for (const user of [alice, amy, reader]) {
    const res = await join(user, code);
    expectStatus(res, 200);
    assert.deepEqual(res.json, { status: 'already_member', room_id: room });
  }
  assert.equal(await roleIn(reader, room), 'readonly', 'a readonly member stays readonly');
  assert.deepEqual((await alice.api.get(`/rooms/${room}/members`)).json, before);
  const pending = await linkedRoom({ needAcceptance: true });
  const res = await join(amy, pending.code);
  expectStatus(res, 200);
  assert.deepEqual(res.json, { status: 'already_member', room_id: pending.room });
  assert.deepEqual(await pendingIds(pending.room), [], 'a member never becomes a request');
});

test('with need_acceptance, join creates one pending request that admins see live and approve', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: true });
  const carol = await stranger('Carol Requester');
  const sa = await streams.open(srv.url, alice);
  const sm = await streams.open(srv.url, amy);
  const sc = await streams.open(srv.url, carol);
  const res = await join(carol, code);
  expectStatus(res, 202);
  assert.equal(res.json.status, 'requested');
  const request = res.json.request;
  assert.ok(Number.isInteger(request.request_id));
  assert.equal(request.room_id, room);
  assert.equal(request.account.account_id, carol.account_id);
  assert.equal(request.account.name, 'Carol Requester');
  assert.equal(request.account.organization_name, 'Invite Org B');
  assert.ok(Number.isInteger(request.requested_at) && request.requested_at > 1.7e9);
  assert.equal(await roleIn(carol, room), 404, 'not a member yet');

  const again = await join(carol, code);
  expectStatus(again, 202);
  assert.equal(again.json.request.request_id, request.request_id, 'asking twice keeps one request');
  const preview = await invitation(carol, code);
  assert.equal(preview.json.request_pending, true);
  assert.equal(preview.json.request_id, request.request_id);
  assert.equal(preview.json.is_member, false);

  const created = (e) => e.type === 'join_request_created' && e.data.request_id === request.request_id;
  const seen = await sa.waitForEvent(created, 15000, 'the admin sees the request live');
  assert.deepEqual({ ...seen.data }, { room_id: room, request_id: request.request_id, account_id: carol.account_id, room_name: seen.data.room_name });
  await sc.waitForEvent(created, 15000, 'the requester\'s other tabs see it too');
  const list = await requestsOf(alice, room);
  expectStatus(list, 200);
  assert.deepEqual(list.json.join_requests, [request]);

  const ok = await approve(alice, room, request.request_id);
  expectStatus(ok, 200);
  assert.equal(ok.json.status, 'approved');
  assert.equal(ok.json.request.account.account_id, carol.account_id);
  assert.equal(await roleIn(carol, room), 'member');
  const approved = await sc.waitForEvent((e) => e.type === 'join_request_approved' && e.data.request_id === request.request_id, 15000, 'carol learns the outcome');
  assert.equal(approved.data.by, alice.account_id);
  assert.equal(approved.data.room_id, room);
  await sc.waitForEvent((e) => e.type === 'member_added' && e.data.room_id === room && e.data.account_id === carol.account_id, 15000, 'carol joins the room live');
  await sm.waitForEvent((e) => e.type === 'member_added' && e.data.account_id === carol.account_id, 15000, 'members see carol join');
  await sa.waitForEvent((e) => e.type === 'join_request_approved' && e.data.request_id === request.request_id, 15000, 'admins see the request answered');
  assert.equal(sm.events.some((e) => e.type.startsWith('join_request')), false, 'members who are not admins see no requests');
  assert.deepEqual(await pendingIds(room), []);
  expectStatus(await approve(alice, room, request.request_id), 404, 'an answered request is gone');
  const hi = await postMessage(alice, room, 'Welcome, Carol');
  await sc.waitForEvent((e) => e.type === 'message_created' && e.data.message_id === hi, 15000, 'carol gets messages live');
});

test('rejecting a request tells the requester; they are not a member and may ask again', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: true });
  const dan = await stranger('Dan Rejected');
  const sd = await streams.open(srv.url, dan);
  const { request } = (await join(dan, code)).json;
  const res = await reject(alice, room, request.request_id);
  expectStatus(res, 200);
  assert.equal(res.json.status, 'rejected');
  assert.equal(res.json.request.request_id, request.request_id);
  const ev = await sd.waitForEvent((e) => e.type === 'join_request_rejected' && e.data.request_id === request.request_id, 15000, 'dan learns the outcome');
  assert.equal(ev.data.room_id, room);
  assert.equal(typeof ev.data.room_name, 'string');
  assert.equal(await roleIn(dan, room), 404);
  assert.deepEqual(await pendingIds(room), []);
  expectStatus(await reject(alice, room, request.request_id), 404, 'rejected twice');
  assert.equal((await invitation(dan, code)).json.request_pending, false);
  const again = await join(dan, code);
  expectStatus(again, 202);
  assert.notEqual(again.json.request.request_id, request.request_id);
});

test('only admins list and answer requests: members and readonly get 403, outsiders 404', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: true });
  const eve = await stranger('Eve Waiting');
  const { request } = (await join(eve, code)).json;
  for (const user of [amy, reader]) {
    expectStatus(await requestsOf(user, room), 403, `${user.name} lists`);
    expectStatus(await approve(user, room, request.request_id), 403, `${user.name} approves`);
    expectStatus(await reject(user, room, request.request_id), 403, `${user.name} rejects`);
  }
  const outsider = await stranger('Oscar Outsider');
  expectStatus(await requestsOf(outsider, room), 404);
  expectStatus(await approve(outsider, room, request.request_id), 404);
  expectStatus(await approve(eve, room, request.request_id), 404, 'the requester cannot approve themselves');
  assert.equal(await roleIn(eve, room), 404);
  assert.deepEqual(await pendingIds(room), [eve.account_id], 'the request is untouched');
  const other = await linkedRoom({ needAcceptance: true });
  expectStatus(await approve(alice, other.room, request.request_id), 404, 'a request id of another room');
  for (const bad of ['abc', '0', '-1', '1.5']) expectStatus(await approve(alice, room, bad), 400, `request id ${bad}`);
  const dm = (await alice.api.get('/rooms')).json.find((r) => r.type === 'my');
  expectStatus(await requestsOf(alice, dm.room_id), 400, 'a my chat has no join requests');
});

test('removing the link ends pending requests: requester told, old code and request ids 404', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: true });
  const fay = await stranger('Fay Cancelled');
  const sf = await streams.open(srv.url, fay);
  const sa = await streams.open(srv.url, alice);
  const { request } = (await join(fay, code)).json;
  expectStatus(await alice.api.del(`/rooms/${room}/link`), 200);
  const ev = await sf.waitForEvent((e) => e.type === 'join_request_cancelled' && e.data.request_id === request.request_id, 15000, 'fay learns the link went');
  assert.equal(ev.data.reason, 'link_removed');
  await sa.waitForEvent((e) => e.type === 'join_request_cancelled' && e.data.request_id === request.request_id, 15000, 'admins drop it from their list');
  assert.deepEqual(await pendingIds(room), []);
  expectStatus(await approve(alice, room, request.request_id), 404);
  expectStatus(await invitation(fay, code), 404);
  expectStatus(await join(fay, code), 404);
  expectStatus(await alice.api.post(`/rooms/${room}/link`, { code: uniq('fresh'), need_acceptance: 1 }), 200);
  assert.deepEqual(await pendingIds(room), [], 'a new link starts with no requests');
  assert.equal(await roleIn(fay, room), 404);
});

test('changing the link code keeps pending requests; the old code stops working', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: true });
  const gus = await stranger('Gus Patient');
  const { request } = (await join(gus, code)).json;
  const newCode = uniq('renamed');
  expectStatus(await alice.api.put(`/rooms/${room}/link`, { code: newCode }), 200);
  expectStatus(await invitation(gus, code), 404);
  const preview = await invitation(gus, newCode);
  expectStatus(preview, 200);
  assert.equal(preview.json.request_id, request.request_id);
  expectStatus(await approve(alice, room, request.request_id), 200);
  assert.equal(await roleIn(gus, room), 'member');
});

test('a link that stops needing acceptance lets a waiting requester join at once', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: true });
  const hal = await stranger('Hal Quick');
  const sa = await streams.open(srv.url, alice);
  const { request } = (await join(hal, code)).json;
  expectStatus(await alice.api.put(`/rooms/${room}/link`, { need_acceptance: 0 }), 200);
  const res = await join(hal, code);
  expectStatus(res, 200);
  assert.deepEqual(res.json, { status: 'joined', room_id: room });
  const ev = await sa.waitForEvent((e) => e.type === 'join_request_cancelled' && e.data.request_id === request.request_id, 15000, 'the stale request leaves the admins\' list');
  assert.equal(ev.data.reason, 'joined');
  assert.deepEqual(await pendingIds(room), []);
});

test('deleting the room ends its pending requests', async () => {
  const { room, code } = await linkedRoom({ needAcceptance: true });
  const ida = await stranger('Ida Late');
  const si = await streams.open(srv.url, ida);
  const { request } = (await join(ida, code)).json;
  expectStatus(await alice.api.del(`/rooms/${room}`, { action_type: 'delete' }), 204);
  const ev = await si.waitForEvent((e) => e.type === 'join_request_cancelled' && e.data.request_id === request.request_id, 15000, 'ida learns the room went');
  assert.equal(ev.data.reason, 'room_deleted');
  expectStatus(await invitation(ida, code), 404);
  expectStatus(await join(ida, code), 404);
});

test('bad, unknown and removed codes all answer the same 404; no token answers 401', async () => {
  const bob = await stranger('Bob Guesser');
  const { room, code } = await linkedRoom({ needAcceptance: false });
  expectStatus(await alice.api.del(`/rooms/${room}/link`), 200);
  const codes = [code, uniq('never-made'), 'bad.code', 'x'.repeat(51), '%41BC', 'コード', encodeURIComponent('a b'), '-'];
  const bodies = new Set();
  for (const c of codes) {
    for (const res of [await invitation(bob, c), await join(bob, c)]) {
      expectStatus(res, 404, `code ${JSON.stringify(c)}`);
      bodies.add(res.text);
    }
  }
  assert.deepEqual([...bodies], ['{"errors":["Invitation link not found"]}'], 'every miss looks the same');
  assert.equal(await roleIn(bob, room), 404);
  const live = await linkedRoom({ needAcceptance: false });
  expectStatus(await bob.api.get(`/kaiwa/v1/invitations/${live.code}`, undefined, { auth: 'none' }), 401);
  expectStatus(await bob.api.post(`/kaiwa/v1/invitations/${live.code}/join`, {}, { auth: 'none' }), 401);
  expectStatus(await bob.api.get(`/kaiwa/v1/invitations/${live.code.toUpperCase()}`), 404, 'codes are case-sensitive');
  assert.equal(await roleIn(bob, live.room), 404);
});
