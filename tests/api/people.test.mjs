// People and error codes (docs/api/kaiwa-openapi.yaml): contact requests by email without an
// oracle for which emails have accounts, GET /kaiwa/v1/colleagues (the caller's organization,
// NFKC filter, paging), the machine-readable `code` of /kaiwa/v1 errors and the
// X-Kaiwa-Error-Code header beside /v2's unchanged Chatwork body, and the session's
// max_upload_bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import { makeOrg, makeUser, makeUsers, makeContacts, makeRoom, listOrEmpty } from './support/fixtures.mjs';

const MAX_UPLOAD = 123456;
let srv;
let orgA; let orgB;

before(async () => {
  srv = await startServer({ extraArgs: ['--max-upload-bytes', String(MAX_UPLOAD)] });
  orgA = await makeOrg(srv, 'People Org A');
  orgB = await makeOrg(srv, 'People Org B');
});

after(async () => { await srv?.stop(); });

const requestsOf = async (user) => listOrEmpty(await user.api.get('/incoming_requests'));

// --- Contact requests by email

test('a contact request by email reaches the account, whatever the case of the address', async () => {
  const target = await makeUser(srv, orgB, 'Mail Target');
  const sender = await makeUser(srv, orgA, 'Mail Sender');
  const res = await sender.api.post('/kaiwa/v1/contact_requests', { email: target.email.toUpperCase(), message: 'Found you by email' });
  expectStatus(res, 200, 'request by email');
  assert.deepEqual(res.json, { status: 'sent' }, 'no request id: the answer must not differ from an unknown email');
  const incoming = await requestsOf(target);
  assert.equal(incoming.length, 1);
  assert.equal(incoming[0].account_id, sender.account_id);
  assert.equal(incoming[0].message, 'Found you by email');
});

test('by email, an unknown address and a repeated request answer exactly like a fresh one', async () => {
  const target = await makeUser(srv, orgB, 'Repeat Target');
  const sender = await makeUser(srv, orgA, 'Repeat Sender');
  const fresh = await sender.api.post('/kaiwa/v1/contact_requests', { email: target.email });
  const repeat = await sender.api.post('/kaiwa/v1/contact_requests', { email: target.email });
  const unknown = await sender.api.post('/kaiwa/v1/contact_requests', { email: `nobody.${process.pid}@example.test` });
  for (const [what, res] of [['fresh', fresh], ['repeat', repeat], ['unknown', unknown]]) {
    expectStatus(res, 200, what);
    assert.equal(res.text, '{"status":"sent"}', `${what}: the same bytes`);
    assert.equal(res.headers['x-kaiwa-error-code'], undefined, what);
  }
  assert.equal((await requestsOf(target)).length, 1, 'the repeat sent nothing twice');
});

test('by email, only what the caller knows is told apart: their own address and a contact\'s', async () => {
  const me = await makeUser(srv, orgA, 'Knows Self');
  const friend = await makeUser(srv, orgB, 'Known Friend');
  await makeContacts(srv, me, friend);
  const self = await me.api.post('/kaiwa/v1/contact_requests', { email: me.email });
  expectStatus(self, 400);
  assert.equal(self.json.code, 'contact_self');
  assert.equal(self.headers['x-kaiwa-error-code'], 'contact_self');
  const contact = await me.api.post('/kaiwa/v1/contact_requests', { email: friend.email.toUpperCase() });
  expectStatus(contact, 400);
  assert.equal(contact.json.code, 'contact_exists');
  for (const bad of ['not an email', '@example.test', 'x@']) {
    const res = await me.api.post('/kaiwa/v1/contact_requests', { email: bad });
    expectStatus(res, 400, bad);
    assert.equal(res.json.code, 'invalid_email', bad);
  }
  const both = await me.api.post('/kaiwa/v1/contact_requests', { email: friend.email, account_id: friend.account_id });
  expectStatus(both, 400, 'both account_id and email');
  assert.equal(both.json.code, 'invalid_argument');
  const neither = await me.api.post('/kaiwa/v1/contact_requests', {});
  expectStatus(neither, 400, 'neither');
  assert.equal(neither.json.code, 'invalid_argument');
});

test('by account id, every outcome has its code beside the English text', async () => {
  const a = await makeUser(srv, orgA, 'Coded A');
  const b = await makeUser(srv, orgB, 'Coded B');
  const sent = await a.api.post('/kaiwa/v1/contact_requests', { account_id: b.account_id });
  expectStatus(sent, 200);
  assert.equal(sent.json.status, 'sent');
  assert.ok(Number.isInteger(sent.json.request_id));
  const cases = [
    [{ account_id: b.account_id }, 400, 'contact_request_pending'],
    [{ account_id: a.account_id }, 400, 'contact_self'],
    [{ account_id: 987654321 }, 404, 'account_not_found'],
    [{ account_id: 'abc' }, 400, 'invalid_argument'],
  ];
  for (const [form, status, code] of cases) {
    const res = await a.api.post('/kaiwa/v1/contact_requests', form);
    expectStatus(res, status, JSON.stringify(form));
    assert.equal(res.json.code, code, JSON.stringify(form));
    assert.ok(res.json.errors[0].length > 0);
  }
  await makeContacts(srv, a, b);
  const exists = await a.api.post('/kaiwa/v1/contact_requests', { account_id: b.account_id });
  expectStatus(exists, 400);
  assert.equal(exists.json.code, 'contact_exists');
});

// --- Colleagues

test('GET /kaiwa/v1/colleagues lists the caller\'s organization without the caller, by name', async () => {
  const org = await makeOrg(srv, 'Directory Org');
  const [zed, amy, kai] = await makeUsers(srv, org, ['Zed Colleague', 'Amy Colleague', 'Kai Colleague']);
  const outsider = await makeUser(srv, orgB, 'Not A Colleague');
  const res = await kai.api.get('/kaiwa/v1/colleagues');
  expectStatus(res, 200);
  assert.equal(res.json.has_more, false);
  assert.deepEqual(res.json.colleagues.map((c) => c.account_id), [amy.account_id, zed.account_id]);
  const first = res.json.colleagues[0];
  assert.equal(first.name, 'Amy Colleague');
  assert.equal(first.organization_id, org);
  assert.equal(first.organization_name, 'Directory Org');
  for (const k of ['chatwork_id', 'department', 'avatar_image_url']) assert.equal(typeof first[k], 'string');
  assert.equal(first.room_id, undefined);
  assert.equal(first.login_mail, undefined, 'no email in the listing');
  const alone = await outsider.api.get('/kaiwa/v1/colleagues');
  expectStatus(alone, 200, 'an organization of one answers 200 with an empty list');
  assert.ok(!alone.json.colleagues.some((c) => c.organization_id !== orgB));
});

test('the colleague filter matches names and emails after NFKC and case folding', async () => {
  const org = await makeOrg(srv, 'Filter Org');
  const [me, , , ] = await makeUsers(srv, org, ['Filter Me', 'ﾔﾏﾀﾞ Taro', 'Ｓｕｚｕｋｉ Hanako', 'Plain Person']);
  const names = async (q) => {
    const res = await me.api.get('/kaiwa/v1/colleagues', { q });
    expectStatus(res, 200, `q=${q}`);
    return res.json.colleagues.map((c) => c.name);
  };
  assert.deepEqual(await names('ヤマダ'), ['ﾔﾏﾀﾞ Taro'], 'half-width kana');
  assert.deepEqual(await names('suzuki'), ['Ｓｕｚｕｋｉ Hanako'], 'full-width letters');
  assert.deepEqual(await names('ＰＬＡＩＮ'), ['Plain Person'], 'case and width');
  // makeUser's emails are <name>.<pid>.<n>@example.test: "plain.person" is in Plain's email only.
  assert.deepEqual(await names('PLAIN.PERSON.'), ['Plain Person'], 'email');
  assert.deepEqual(await names('  plain  '), ['Plain Person'], 'spaces around are ignored');
  assert.deepEqual(await names('nobody here'), []);
  expectStatus(await me.api.get('/kaiwa/v1/colleagues', { q: 'x'.repeat(101) }), 400, 'q over 100 characters');
});

test('colleagues page with offset and limit, and has_more', async () => {
  const org = await makeOrg(srv, 'Paging Org');
  const users = await makeUsers(srv, org, ['P0', 'P1', 'P2', 'P3', 'P4']);
  const me = users[0];
  const page1 = await me.api.get('/kaiwa/v1/colleagues', { limit: 3 });
  expectStatus(page1, 200);
  assert.deepEqual(page1.json.colleagues.map((c) => c.name), ['P1', 'P2', 'P3']);
  assert.equal(page1.json.has_more, true);
  const page2 = await me.api.get('/kaiwa/v1/colleagues', { limit: 3, offset: 3 });
  assert.deepEqual(page2.json.colleagues.map((c) => c.name), ['P4']);
  assert.equal(page2.json.has_more, false);
  for (const [query, what] of [[{ limit: 0 }, 'limit 0'], [{ limit: 101 }, 'limit 101'], [{ offset: -1 }, 'negative offset']]) {
    const res = await me.api.get('/kaiwa/v1/colleagues', query);
    expectStatus(res, 400, what);
    assert.equal(res.json.code, 'invalid_argument', what);
  }
  expectStatus(await me.api.get('/kaiwa/v1/colleagues', undefined, { auth: 'none' }), 401);
});

test('a colleague found in the directory can be added to a group chat without being a contact', async () => {
  const org = await makeOrg(srv, 'Add Org');
  const [admin, colleague] = await makeUsers(srv, org, ['Room Admin', 'Room Colleague']);
  const found = (await admin.api.get('/kaiwa/v1/colleagues', { q: 'colleague' })).json.colleagues;
  assert.deepEqual(found.map((c) => c.account_id), [colleague.account_id]);
  await makeRoom(admin, { members: [found[0].account_id] });
});

// --- Error codes elsewhere

test('search 400s carry codes the client can translate', async () => {
  const u = await makeUser(srv, orgA, 'Searcher');
  const cases = [
    [{ q: '' }, 'search_no_word'],
    [{}, 'search_no_word'],
    [{ q: '-only' }, 'search_no_word'],
    [{ q: '"open' }, 'search_unclosed_quote'],
    [{ q: 'a -b OR c' }, 'search_excluded_or'],
    [{ q: Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ') }, 'search_too_many_words'],
    [{ q: 'x'.repeat(1001) }, 'search_too_long'],
    [{ q: 'word', time_from: 200, time_to: 100 }, 'search_time_range'],
    [{ q: 'word', sort: 'sideways' }, 'invalid_argument'],
  ];
  for (const [query, code] of cases) {
    const res = await u.api.get('/kaiwa/v1/search', query);
    expectStatus(res, 400, JSON.stringify(query).slice(0, 60));
    assert.equal(res.json.code, code, JSON.stringify(query).slice(0, 60));
    assert.equal(res.headers['x-kaiwa-error-code'], code);
  }
});

test('/v2 keeps Chatwork\'s body for a room left without an admin; the code is only in a header', async () => {
  const admin = await makeUser(srv, orgA, 'Only Admin');
  const member = await makeUser(srv, orgA, 'Plain Member');
  const roomId = await makeRoom(admin, { members: [member] });
  const res = await admin.api.put(`/rooms/${roomId}/members`, { members_member_ids: `${admin.account_id},${member.account_id}` });
  expectStatus(res, 400);
  assert.deepEqual(res.json, { errors: ["Parameter 'members_admin_ids' is required"] });
  assert.equal(res.headers['x-kaiwa-error-code'], 'last_admin');
  const leave = await admin.api.del(`/rooms/${roomId}`, { action_type: 'leave' });
  expectStatus(leave, 400);
  assert.equal(Object.keys(leave.json).join(), 'errors', 'no code in a /v2 body');
  assert.equal(leave.headers['x-kaiwa-error-code'], 'last_admin');
  // An error without a specific code adds no header on /v2.
  const plain = await admin.api.get('/rooms/987654321');
  assert.ok(plain.status >= 400);
  assert.equal(plain.headers['x-kaiwa-error-code'], undefined);
});

// --- Session

test('GET /kaiwa/v1/session tells the client the upload limit', async () => {
  const u = await makeUser(srv, orgA, 'Uploader');
  const res = await u.api.get('/kaiwa/v1/session');
  expectStatus(res, 200);
  assert.equal(res.json.max_upload_bytes, MAX_UPLOAD);
  // The limit it states is the one uploads meet.
  const roomId = await makeRoom(u);
  const over = await u.api.upload(`/rooms/${roomId}/files`, { file: { name: 'big.bin', data: Buffer.alloc(MAX_UPLOAD + 1) } });
  expectStatus(over, 413);
  const fits = await u.api.upload(`/rooms/${roomId}/files`, { file: { name: 'fits.bin', data: Buffer.alloc(MAX_UPLOAD) } });
  expectStatus(fits, 200);
});
