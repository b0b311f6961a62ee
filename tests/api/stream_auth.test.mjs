// Event stream: who sees what (room membership from the join on, personal events), stream
// tickets, token revocation (close 4003), and bad input (401/400/426, malformed frames, 1009).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom, postMessage, idList } from './support/fixtures.mjs';
import {
  tryOpenStream, issueTicket, assertErrorBody, rawUpgrade, createdIn, within, StreamSet } from './support/stream.mjs';

let srv;
let org;
const streams = new StreamSet();

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'Stream Auth Org');
});

after(async () => {
  streams.closeAll();
  await srv?.stop();
});

function stream(user, opts = {}) {
  return streams.open(srv.url, user, opts);
}

/** Posts into the user's my chat and waits until their stream has it: everything committed before is then delivered. */
async function barrier(user, s, tag = 'barrier') {
  const id = await postMessage(user, user.room_id, `${tag} ${Date.now()} ${Math.random()}`);
  await s.waitForEvent((e) => e.type === 'message_created' && e.data.message_id === id, 15000, `${tag} in ${user.name}'s my chat`);
  return id;
}

test('membership decides delivery: nothing from a room before joining (live or on resume with since=0), everything while a member, nothing after removal', { timeout: 60000 }, async () => {
  const [a, b, c] = await makeUsers(srv, org, ['Authz A', 'Authz B', 'Authz C']);
  const room = await makeRoom(a, { name: 'A and B', members: [b] });
  const sc = await stream(c);
  const sb = await stream(b);
  const sa = await stream(a);

  const secret = await postMessage(a, room, 'secret before C joins');
  expectStatus(await b.api.put(`/rooms/${room}/messages/read`, {}), [200, 400]);
  await sb.waitForEvent((e) => e.data?.message_id === secret, 15000, 'B sees the secret');
  await barrier(c, sc);
  assert.deepEqual(sc.inRoom(room), [], 'C (not a member) receives no event of the room');

  // C is added
  expectStatus(await a.api.put(`/rooms/${room}/members`, { members_admin_ids: idList([a]), members_member_ids: idList([b, c]) }), 200);
  const added = await sc.waitForEvent((e) => e.type === 'member_added' && e.data.room_id === room, 15000, 'member_added for C');
  assert.equal(added.data.account_id, c.account_id);
  assert.equal(added.data.role, 'member');
  for (const s of [sa, sb]) await s.waitForEvent((e) => e.type === 'member_added' && e.data.room_id === room && e.data.account_id === c.account_id, 15000, 'the others see C join');
  const welcome = await postMessage(a, room, 'welcome C');
  const w = await sc.waitForEvent((e) => e.data?.message_id === welcome, 15000, 'C sees messages after joining');
  assert.equal(w.data.body, 'welcome C');
  assert.ok(!sc.events.some((e) => e.data?.message_id === secret), 'C never saw the message from before joining');

  // on resume from 0, C still gets nothing of the room before its member_added
  const replay = await stream(c, { since: 0 });
  replay.assertClean();
  const roomEvents = replay.inRoom(room);
  assert.ok(roomEvents.length >= 2, 'C replays its join and the later message');
  assert.equal(roomEvents[0].type, 'member_added', `the first event of the room C ever sees is its own member_added, got ${JSON.stringify(roomEvents[0])}`);
  assert.equal(roomEvents[0].data.account_id, c.account_id);
  assert.equal(roomEvents[0].pos, added.pos);
  assert.ok(!replay.events.some((e) => e.data?.message_id === secret), 'the secret is not in C\'s replay');
  assert.ok(replay.events.some((e) => e.data?.message_id === welcome), 'the welcome is');

  // B's read state is B's own
  await barrier(a, sa);
  const readEvents = sb.ofType('messages_read', room);
  assert.ok(readEvents.length >= 1, 'B\'s own stream hears that B read the room');
  assert.equal(readEvents[0].data.account_id, b.account_id);
  assert.deepEqual(sa.ofType('messages_read'), [], 'A does not receive B\'s messages_read');
  assert.deepEqual(sc.ofType('messages_read', room), [], 'C does not receive B\'s messages_read');
  assert.ok(!replay.ofType('messages_read').some((e) => e.data.account_id !== c.account_id), 'nor on replay');

  // C is removed
  expectStatus(await a.api.put(`/rooms/${room}/members`, { members_admin_ids: idList([a]), members_member_ids: idList([b]) }), 200);
  const removed = await sc.waitForEvent((e) => e.type === 'member_removed' && e.data.room_id === room, 15000, 'member_removed for C');
  assert.equal(removed.data.account_id, c.account_id);
  await sb.waitForEvent((e) => e.type === 'member_removed' && e.data.account_id === c.account_id, 15000, 'B sees C removed');
  await replay.waitForEvent((e) => e.type === 'member_removed' && e.data.room_id === room, 15000, 'C\'s second stream too');
  const gone = await postMessage(a, room, 'after C was removed');
  expectStatus(await a.api.put(`/rooms/${room}`, { name: 'renamed without C' }), 200);
  await sb.waitForEvent((e) => e.data?.message_id === gone, 15000, 'B sees the post after removal');
  await barrier(c, sc);
  await replay.waitForEvent((e) => e.data?.message_id === sc.events[sc.events.length - 1].data.message_id, 15000, 'the barrier on the second stream');
  for (const s of [sc, replay]) {
    const after = s.inRoom(room).filter((e) => e.pos > removed.pos);
    assert.deepEqual(after, [], `${s.label}: nothing of the room after the removal`);
  }
  const fresh = await stream(c, { since: removed.pos - 1 });
  assert.deepEqual(fresh.inRoom(room).map((e) => e.type), ['member_removed'], 'resuming just before the removal: the removal and nothing after it');
  for (const s of [sa, sb, sc, replay, fresh]) s.assertClean();
});

// Regression (found by this suite): catch-up once filtered room events by the account's current
// memberships, while live delivery uses the membership at each event's pos, so a member who was
// offline while a message was posted and removed before reconnecting never got that message.
// Resume must equal staying connected (ended memberships are kept in membership_history).
test('resume is the same as staying connected: a member that was away while messages were posted and then removed gets those messages on resume', {
}, async () => {
  const [a, c] = await makeUsers(srv, org, ['Away A', 'Away C']);
  const room = await makeRoom(a, { name: 'Away room', members: [c] });
  const live = await stream(c); // stays connected throughout: the reference
  const away = await stream(c);
  const since = away.lastPos;
  away.terminate();
  const m = await postMessage(a, room, 'posted while C was a member but offline');
  expectStatus(await a.api.put(`/rooms/${room}/members`, { members_admin_ids: idList([a]) }), 200);
  await live.waitForEvent((e) => e.type === 'member_removed' && e.data.room_id === room, 15000, 'the removal (live)');
  assert.ok(live.events.some((e) => e.data?.message_id === m), 'the connected stream got the message while C was a member');
  const resumed = await stream(c, { since });
  assert.ok(resumed.events.some((e) => e.type === 'member_removed' && e.data.room_id === room), 'the resumed stream gets the removal');
  assert.deepEqual(resumed.inRoom(room).map((e) => e.type), live.inRoom(room).map((e) => e.type),
    'the resumed stream must get the same events of the room as the connected one (the message was posted while C was a member)');
});

test('every event type reaches exactly its audience', { timeout: 60000 }, async () => {
  const [owner, member, outsider, stranger] = await makeUsers(srv, org, ['Cat Owner', 'Cat Member', 'Cat Outsider', 'Cat Stranger']);
  const so = await stream(owner);
  const sm = await stream(member);
  const sx = await stream(outsider);
  const room = await makeRoom(owner, { name: 'Catalogue', members: [member] });
  for (const s of [so, sm]) await s.waitForEvent((e) => e.type === 'room_created' && e.data.room_id === room, 15000, `room_created for ${s.label}`);
  const addedOwner = so.ofType('member_added', room).map((e) => e.data.account_id).sort();
  assert.deepEqual(addedOwner, [owner.account_id, member.account_id].sort(), 'member_added for each initial member');

  expectStatus(await owner.api.put(`/rooms/${room}`, { description: 'new description' }), 200);
  expectStatus(await owner.api.put(`/rooms/${room}/members`, { members_admin_ids: idList([owner, member]) }), 200);
  const task = await owner.api.post(`/rooms/${room}/tasks`, { body: 'catalogue task', to_ids: String(member.account_id) });
  expectStatus(task, 200);
  expectStatus(await member.api.put(`/rooms/${room}/tasks/${task.json.task_ids[0]}/status`, { body: 'done' }), 200);
  expectStatus(await owner.api.upload(`/rooms/${room}/files`, { file: { name: 'c.txt', data: 'catalogue file' } }), 200);
  expectStatus(await owner.api.post(`/rooms/${room}/link`, { code: `cat-${Date.now()}` }), 200);
  expectStatus(await owner.api.put(`/rooms/${room}/link`, { description: 'link description' }), 200);
  expectStatus(await owner.api.del(`/rooms/${room}/link`), 200);
  const msg = await postMessage(owner, room, 'read me');
  expectStatus(await member.api.put(`/rooms/${room}/messages/read`, {}), 200);
  expectStatus(await member.api.put(`/rooms/${room}/messages/unread`, { message_id: msg }), 200);

  const roomTypes = ['room_created', 'room_updated', 'member_role_changed', 'task_created', 'task_updated', 'file_uploaded', 'link_changed', 'message_created'];
  for (const s of [so, sm]) {
    // 'read me' was posted after all the changes above: once it is here, so are they
    await s.waitForEvent((e) => e.type === 'message_created' && e.data.message_id === msg, 15000, `'read me' for ${s.label}`);
    for (const type of roomTypes) assert.ok(s.ofType(type, room).length >= 1, `${s.label} received ${type}`);
  }
  assert.equal(so.ofType('link_changed', room).length, 3, 'create, edit and delete of the link');
  const role = so.ofType('member_role_changed', room)[0];
  assert.equal(role.data.account_id, member.account_id);
  assert.equal(role.data.role, 'admin');
  await sm.waitForEvent((e) => e.type === 'messages_unread' && e.data.room_id === room, 15000, 'messages_unread for the reader');
  assert.ok(sm.ofType('messages_read', room).length >= 1);
  await barrier(owner, so);
  assert.deepEqual(so.ofType('messages_read', room).concat(so.ofType('messages_unread', room)), [], 'read state is not sent to other members');
  await barrier(outsider, sx);
  assert.deepEqual(sx.inRoom(room), [], 'the outsider hears nothing of the room');

  // contact requests: received by the target only; answered seen by the one who answered
  const ss = await stream(stranger);
  const req = await outsider.api.post('/kaiwa/v1/contact_requests', { account_id: stranger.account_id, message: 'hi' });
  expectStatus(req, 200);
  const got = await ss.waitForEvent((e) => e.type === 'contact_request_received', 15000, 'contact_request_received');
  assert.equal(got.data.request_id, req.json.request_id);
  assert.equal(got.data.account_id, outsider.account_id);
  const accept = await stranger.api.put(`/incoming_requests/${req.json.request_id}`, {});
  expectStatus(accept, 200);
  const answered = await ss.waitForEvent((e) => e.type === 'contact_request_answered', 15000, 'contact_request_answered');
  assert.equal(answered.data.request_id, req.json.request_id);
  const direct = accept.json.room_id;
  for (const s of [ss, sx]) {
    const ca = await s.waitForEvent((e) => e.type === 'contact_added', 15000, `contact_added for ${s.label}`);
    assert.deepEqual([ca.data.account_id, ca.data.contact_id].sort(), [outsider.account_id, stranger.account_id].sort(), 'contact_added names the two accounts');
    const joined = await s.waitForEvent((e) => e.type === 'member_added' && e.data.room_id === direct, 15000, 'member_added of the direct chat');
    assert.ok(joined.pos < ca.pos, 'the direct chat\'s member_added comes before contact_added');
  }
  await barrier(outsider, sx);
  assert.deepEqual(sx.ofType('contact_request_received'), [], 'the sender does not get contact_request_received');
  assert.deepEqual(sx.ofType('contact_request_answered'), [], 'contact_request_answered goes to the recipient of the request only');
  for (const s of [so, sm]) assert.ok(!s.events.some((e) => e.type.startsWith('contact_')), `${s.label}: nothing of others' contacts`);

  // leaving and deleting
  const second = await makeRoom(owner, { name: 'To delete', members: [member, outsider] });
  expectStatus(await outsider.api.del(`/rooms/${second}`, { action_type: 'leave' }), [200, 204]);
  const left = await sx.waitForEvent((e) => e.type === 'member_left' && e.data.room_id === second, 15000, 'member_left for the leaver');
  assert.equal(left.data.account_id, outsider.account_id);
  await so.waitForEvent((e) => e.type === 'member_left' && e.data.room_id === second, 15000, 'member_left for the others');
  expectStatus(await owner.api.del(`/rooms/${second}`, { action_type: 'delete' }), [200, 204]);
  for (const s of [so, sm]) {
    await s.waitForEvent((e) => e.type === 'room_deleted' && e.data.room_id === second, 15000, 'room_deleted');
  }
  await barrier(owner, so);
  await barrier(member, sm);
  assert.equal(so.ofType('room_deleted', second).length, 1, 'one room_deleted per former member, each seen only by that member');
  assert.equal(sm.ofType('room_deleted', second).length, 1);
  await barrier(outsider, sx);
  assert.deepEqual(sx.ofType('room_deleted', second), [], 'the member who had left does not get room_deleted');
  for (const s of [so, sm, sx, ss]) s.assertClean();
});

test('stream tickets: a ticket opens one stream without a header; reused, forged, garbled or revoked tickets get 401', async () => {
  const [a, b] = await makeUsers(srv, org, ['Ticket A', 'Ticket B']);
  const t = await issueTicket(a.api);
  assert.equal(t.expires_in, 30);
  const s = await stream(a, { token: null, ticket: t.ticket, auth: 'none' });
  const id = await postMessage(a, a.room_id, 'via ticket');
  await s.waitForEvent((e) => e.data?.message_id === id, 15000, 'a live event on a ticket stream');
  // the ticket is bound to its account: A's ticket shows A's events, never B's
  const bid = await postMessage(b, b.room_id, 'B private');
  await barrier(a, s);
  assert.ok(!s.events.some((e) => e.data?.message_id === bid));

  // bearer token for the ticket request works too
  const t2 = await issueTicket(a.api, { auth: 'bearer' });
  const withSince = await stream(a, { token: null, ticket: t2.ticket, auth: 'none', since: s.lastPos });
  assert.equal(withSince.items[0].type, 'ready');

  const forged = [
    ['garbage', 'not-a-ticket'],
    ['empty', ''],
    ['signature changed', t.ticket.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a'))],
    ['account swapped', t.ticket.replace(/^\d+/, String(b.account_id))],
    ['expiry extended', t.ticket.replace(/^(\d+)\.(\d+)/, (_, acc, exp) => `${acc}.${Number(exp) + 3600}`)],
    ['truncated', t.ticket.slice(0, Math.floor(t.ticket.length / 2))],
    ['extra part', `${t.ticket}.x`],
    ['already used (tickets are single use)', t.ticket],
  ];
  for (const [what, ticket] of forged) {
    const r = await tryOpenStream(srv.url, null, { ticket, auth: 'none' });
    if (r.stream) r.stream.terminate();
    assertErrorBody(r, 401, `ticket ${what}`);
  }

  // a ticket of a token that has since been revoked
  const { api_token: extra } = await srv.admin('token', 'create', '--account', a.account_id);
  const t3 = await issueTicket(srv.api(extra));
  assert.deepEqual(await srv.admin('token', 'revoke', '--token', extra), {});
  const r = await tryOpenStream(srv.url, null, { ticket: t3.ticket, auth: 'none' });
  if (r.stream) r.stream.terminate();
  assertErrorBody(r, 401, 'ticket of a revoked token');

  // issuing needs a valid token
  const bad = await a.api.request('POST', '/kaiwa/v1/stream/tickets', { form: {}, token: 'nope' });
  expectStatus(bad, 401);
  const none = await a.api.request('POST', '/kaiwa/v1/stream/tickets', { form: {}, auth: 'none' });
  expectStatus(none, 401);
});

test('revoking the token that opened a stream closes it with 4003 within seconds; other tokens\' streams stay open', { timeout: 30000 }, async (t) => {
  const [a] = await makeUsers(srv, org, ['Revoke A']);
  const { api_token: t1 } = await srv.admin('token', 'create', '--account', a.account_id);
  const { api_token: t2 } = await srv.admin('token', 'create', '--account', a.account_id);
  const byHeader = await stream(a, { token: t1 });
  const byBearer = await stream(a, { token: t1, auth: 'bearer' });
  const ticket = await issueTicket(srv.api(t2));
  const byTicket = await stream(a, { token: null, auth: 'none', ticket: ticket.ticket });
  const keeper = await stream(a); // the account's original token

  const t0 = Date.now();
  assert.deepEqual(await srv.admin('token', 'revoke', '--token', t1), {});
  for (const s of [byHeader, byBearer]) {
    const c = await s.waitClosed(10000);
    assert.equal(c.code, 4003, `${s.label}: close code 4003 after revocation (got ${c.code} ${c.reason})`);
  }
  const elapsed = Date.now() - t0;
  assert.ok(!byTicket.isClosed && !keeper.isClosed, 'streams of other tokens stay open');

  assert.deepEqual(await srv.admin('token', 'revoke', '--token', t2), {});
  const c2 = await byTicket.waitClosed(10000);
  assert.equal(c2.code, 4003, 'a stream opened with a ticket closes when the ticket\'s token is revoked');

  const id = await postMessage(a, a.room_id, 'still here');
  await keeper.waitForEvent((e) => e.data?.message_id === id, 15000, 'the untouched stream keeps working');
  assert.ok(!keeper.isClosed);

  const again = await tryOpenStream(srv.url, t1);
  if (again.stream) again.stream.terminate();
  assertErrorBody(again, 401, 'reopening with a revoked token');
  // no event about the revocation is ever sent to clients
  for (const s of [byHeader, byBearer, byTicket, keeper]) {
    assert.ok(!s.events.some((e) => e.type === 'token_revoked'), 'token_revoked is internal');
    s.assertClean();
  }
  t.diagnostic(`revocation closed the streams after ${elapsed} ms`);
});

test('bad input before the upgrade: 401 without or with a wrong token, 400 for a bad since, 426 for a plain GET', async () => {
  const [a] = await makeUsers(srv, org, ['Bad A']);
  for (const [what, token, opts] of [
    ['no token', null, { auth: 'none' }],
    ['unknown token', '0123456789abcdef0123456789abcdef', {}],
    ['unknown bearer token', 'nope', { auth: 'bearer' }],
  ]) {
    const r = await tryOpenStream(srv.url, token, opts);
    if (r.stream) r.stream.terminate();
    assertErrorBody(r, 401, what);
  }
  for (const since of ['abc', '-1', '1.5', ' 1', '1e3', '0x10', '99999999999999999999999']) {
    const r = await tryOpenStream(srv.url, a.api_token, { query: { since } });
    if (r.stream) r.stream.terminate();
    assertErrorBody(r, 400, `since=${JSON.stringify(since)}`);
  }
  // a bad since is refused before a ticket is even looked at
  const t = await issueTicket(a.api);
  const r = await tryOpenStream(srv.url, null, { auth: 'none', ticket: t.ticket, query: { since: 'x' } });
  if (r.stream) r.stream.terminate();
  assertErrorBody(r, 400, 'ticket with since=x');

  const plain = await a.api.get('/kaiwa/v1/stream');
  expectStatus(plain, 426, 'a plain GET (no Upgrade)');
  const noAuthPlain = await a.api.request('GET', '/kaiwa/v1/stream', { auth: 'none' });
  expectStatus(noAuthPlain, 401, 'a plain GET without a token');
  // bearer opens a stream
  const sb = await stream(a, { auth: 'bearer' });
  assert.equal(sb.items[0].type, 'ready');
});

test('a malformed client frame closes only that connection; client text is ignored; a message over 4096 bytes closes with 1009', { timeout: 30000 }, async () => {
  const [a, b] = await makeUsers(srv, org, ['Frame A', 'Frame B']);
  const room = await makeRoom(a, { name: 'Frames', members: [b] });
  const watcher = await stream(b);

  const garbage = [
    ['an unmasked text frame', Buffer.from([0x81, 0x05, ...Buffer.from('hello')])],
    ['a reserved opcode (0x3)', Buffer.from([0x83, 0x80, 1, 2, 3, 4])],
    ['reserved bits set', Buffer.from([0xf1, 0x80, 1, 2, 3, 4])],
    ['a fragmented control frame', Buffer.from([0x09, 0x80, 1, 2, 3, 4])],
    ['random bytes', Buffer.from('GET / HTTP/1.1\r\n\r\n\u0000\u00ff\u00fe garbage', 'latin1')],
  ];
  for (const [what, bytes] of garbage) {
    const raw = await rawUpgrade(srv.url, a.api_token);
    assert.ok(raw.accepted, `raw handshake accepted: ${raw.response}`);
    raw.socket.write(bytes);
    const ended = await within(raw.ended, 10000);
    assert.ok(ended, `${what}: the server closes the connection`);
    const id = await postMessage(a, room, `after ${what}`);
    await watcher.waitForEvent((e) => e.data?.message_id === id, 15000, `the other client still receives events after ${what}`);
  }

  // ordinary client messages are ignored
  const chatty = await stream(a);
  chatty.ws.send('hello server');
  chatty.ws.send(JSON.stringify({ type: 'subscribe', room_id: 1 }));
  chatty.ws.send(Buffer.alloc(4096, 0x61));
  chatty.ws.ping();
  const id = await postMessage(b, room, 'to the chatty client');
  await chatty.waitForEvent((e) => e.data?.message_id === id, 15000, 'events keep flowing after client messages');
  assert.ok(!chatty.isClosed);

  // 4097 bytes: too big
  chatty.ws.send(Buffer.alloc(4097, 0x61), { binary: false });
  const c = await chatty.waitClosed(10000);
  assert.equal(c.code, 1009, `a message over 4096 bytes closes with 1009 (got ${c.code} ${c.reason})`);
  const id2 = await postMessage(a, room, 'after 1009');
  await watcher.waitForEvent((e) => e.data?.message_id === id2, 15000, 'the watcher is unaffected');
  watcher.assertClean();
  assert.ok(createdIn(watcher, room).length >= garbage.length + 2);
});
