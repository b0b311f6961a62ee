// Invitation links: GET/POST/PUT/DELETE /rooms/{id}/link (notes §4.7, §9.16).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom } from './support/fixtures.mjs';

let srv;
let org;
let alice; let bob; let dave;

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'Link Org');
  [alice, bob, dave] = await makeUsers(srv, org, ['Alice', 'Bob', 'Dave']);
});

after(async () => { await srv?.stop(); });

const uniq = (p) => `${p}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

test('a room without a link answers GET /link with exactly {"public": false}', async () => {
  const r = await makeRoom(alice, { members: [bob] });
  const res = await alice.api.get(`/rooms/${r}/link`);
  expectStatus(res, 200);
  assert.deepEqual(res.json, { public: false });
});

test('POST /link creates the link with code, description and need_acceptance; GET returns the same', async () => {
  const r = await makeRoom(alice, { members: [bob] });
  const code = uniq('unique-link_name');
  const res = await alice.api.post(`/rooms/${r}/link`, { code, description: 'This is a public room for topic A.', need_acceptance: 0 });
  expectStatus(res, 200);
  assert.equal(res.json.public, true);
  assert.equal(typeof res.json.url, 'string');
  assert.ok(res.json.url.endsWith(`/g/${code}`), `url ${res.json.url} ends with /g/${code}`);
  assert.equal(res.json.need_acceptance, false);
  assert.equal(res.json.description, 'This is a public room for topic A.');
  const g = await bob.api.get(`/rooms/${r}/link`);
  expectStatus(g, 200, 'members may read the link');
  assert.deepEqual(g.json, res.json);
});

test('POST /link twice answers 400 and keeps the first link', async () => {
  const r = await makeRoom(alice);
  const code = uniq('first');
  expectStatus(await alice.api.post(`/rooms/${r}/link`, { code }), 200);
  expectStatus(await alice.api.post(`/rooms/${r}/link`, { code: uniq('second') }), 400);
  const g = await alice.api.get(`/rooms/${r}/link`);
  assert.ok(g.json.url.endsWith(`/g/${code}`));
});

test('POST /link without code generates a random valid code; need_acceptance defaults to true', async () => {
  const r = await makeRoom(alice);
  const res = await alice.api.post(`/rooms/${r}/link`, {});
  expectStatus(res, 200);
  assert.equal(res.json.public, true);
  const m = /\/g\/([^/?#]+)$/.exec(res.json.url);
  assert.ok(m, `url ${res.json.url} has a /g/<code> path`);
  assert.match(m[1], /^[A-Za-z0-9_-]{1,50}$/);
  assert.equal(res.json.need_acceptance, true);
  const r2 = await makeRoom(alice);
  const res2 = await alice.api.post(`/rooms/${r2}/link`, {});
  assert.notEqual(res2.json.url, res.json.url, 'random codes differ between rooms');
});

test('PUT /link changes code, description and need_acceptance', async () => {
  const r = await makeRoom(alice);
  expectStatus(await alice.api.post(`/rooms/${r}/link`, { code: uniq('old'), need_acceptance: 1, description: 'old' }), 200);
  const code = uniq('another_link_name');
  const res = await alice.api.put(`/rooms/${r}/link`, { code, need_acceptance: 0, description: 'Public room for everybody' });
  expectStatus(res, 200);
  assert.equal(res.json.public, true);
  assert.ok(res.json.url.endsWith(`/g/${code}`));
  assert.equal(res.json.need_acceptance, false);
  assert.equal(res.json.description, 'Public room for everybody');
  const res2 = await alice.api.put(`/rooms/${r}/link`, { need_acceptance: 'true' });
  expectStatus(res2, 200);
  assert.equal(res2.json.need_acceptance, true);
  assert.ok(res2.json.url.endsWith(`/g/${code}`), 'an omitted code is unchanged');
  assert.deepEqual((await alice.api.get(`/rooms/${r}/link`)).json, res2.json);
});

test('DELETE /link answers 200 {"public": false}; afterwards PUT and DELETE answer 400 and POST works again', async () => {
  const r = await makeRoom(alice);
  const code = uniq('deleteme');
  expectStatus(await alice.api.post(`/rooms/${r}/link`, { code }), 200);
  const del = await alice.api.del(`/rooms/${r}/link`);
  expectStatus(del, 200);
  assert.deepEqual(del.json, { public: false });
  assert.deepEqual((await alice.api.get(`/rooms/${r}/link`)).json, { public: false });
  expectStatus(await alice.api.put(`/rooms/${r}/link`, { description: 'x' }), 400, 'PUT without a link');
  expectStatus(await alice.api.del(`/rooms/${r}/link`), 400, 'DELETE without a link');
  expectStatus(await alice.api.post(`/rooms/${r}/link`, { code }), 200, 'the freed code can be used again');
});

test('link codes must match ^[A-Za-z0-9_-]+$ and be 1..50 characters', async () => {
  const r = await makeRoom(alice);
  for (const code of ['bad code', 'a/b', 'dot.name', 'コード', 'x'.repeat(51), 'semi;colon', '%41']) {
    expectStatus(await alice.api.post(`/rooms/${r}/link`, { code }), 400, `code ${JSON.stringify(code)}`);
  }
  assert.deepEqual((await alice.api.get(`/rooms/${r}/link`)).json, { public: false }, 'rejected codes create nothing');
  const fifty = `${'A-z_9'.repeat(9)}${process.pid.toString(36).padStart(5, '0').slice(-5)}`;
  assert.equal(fifty.length, 50);
  expectStatus(await alice.api.post(`/rooms/${r}/link`, { code: fifty }), 200, '50 characters');
  expectStatus(await alice.api.put(`/rooms/${r}/link`, { code: 'has space' }), 400);
  assert.ok((await alice.api.get(`/rooms/${r}/link`)).json.url.endsWith(`/g/${fifty}`));
});

test('a code already used by another room answers 400', async () => {
  const r1 = await makeRoom(alice);
  const r2 = await makeRoom(alice);
  const code = uniq('taken');
  expectStatus(await alice.api.post(`/rooms/${r1}/link`, { code }), 200);
  expectStatus(await alice.api.post(`/rooms/${r2}/link`, { code }), 400);
  assert.deepEqual((await alice.api.get(`/rooms/${r2}/link`)).json, { public: false });
  expectStatus(await alice.api.post(`/rooms/${r2}/link`, { code: uniq('free') }), 200);
  expectStatus(await alice.api.put(`/rooms/${r2}/link`, { code }), 400, 'PUT to a taken code');
});

test('only admins change links (403 for members); non-members get 404', async () => {
  const r = await makeRoom(alice, { members: [bob] });
  expectStatus(await bob.api.post(`/rooms/${r}/link`, { code: uniq('member') }), 403);
  assert.deepEqual((await alice.api.get(`/rooms/${r}/link`)).json, { public: false });
  expectStatus(await alice.api.post(`/rooms/${r}/link`, { code: uniq('admin') }), 200);
  expectStatus(await bob.api.put(`/rooms/${r}/link`, { description: 'member edit' }), 403);
  expectStatus(await bob.api.del(`/rooms/${r}/link`), 403);
  assert.equal((await alice.api.get(`/rooms/${r}/link`)).json.public, true);
  expectStatus(await dave.api.get(`/rooms/${r}/link`), 404);
  expectStatus(await dave.api.post(`/rooms/${r}/link`, {}), 404);
});

test('POST /rooms with link=1, link_code and link_need_acceptance=0 creates the link with the room', async () => {
  const code = uniq('created-with-room');
  const res = await alice.api.post('/rooms', {
    name: 'Linked room', members_admin_ids: String(alice.account_id), link: 1, link_code: code, link_need_acceptance: 0,
  });
  expectStatus(res, 200);
  const g = await alice.api.get(`/rooms/${res.json.room_id}/link`);
  assert.equal(g.json.public, true);
  assert.ok(g.json.url.endsWith(`/g/${code}`));
  assert.equal(g.json.need_acceptance, false);
  const bad = await alice.api.post('/rooms', { name: 'Bad link', members_admin_ids: String(alice.account_id), link: 1, link_code: 'no spaces allowed' });
  expectStatus(bad, 400);
  const noLink = await alice.api.post('/rooms', { name: 'No link', members_admin_ids: String(alice.account_id), link: 0 });
  expectStatus(noLink, 200);
  assert.deepEqual((await alice.api.get(`/rooms/${noLink.json.room_id}/link`)).json, { public: false });
});

test('with --public-url the link URL is that base plus /g/<code>', async () => {
  const s = await startServer({ publicUrl: 'https://chat.example.test' });
  try {
    const o = await makeOrg(s, 'Public URL Org');
    const [u] = await makeUsers(s, o, ['Uma']);
    const r = await makeRoom(u);
    const res = await u.api.post(`/rooms/${r}/link`, { code: 'public-url-code' });
    expectStatus(res, 200);
    assert.equal(res.json.url, 'https://chat.example.test/g/public-url-code');
  } finally {
    await s.stop();
  }
});
