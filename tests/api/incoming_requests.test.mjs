// Contact requests: Kaiwa extension POST /kaiwa/v1/contact_requests, and
// GET /incoming_requests, PUT (approve) and DELETE (decline) /incoming_requests/{id} (notes §4.2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus } from './support/server.mjs';
import { makeOrg, makeUser, makeRoom, getRoom, listOrEmpty } from './support/fixtures.mjs';

let srv;
let orgA; let orgB;

before(async () => {
  srv = await startServer();
  orgA = await makeOrg(srv, 'Req Org A');
  orgB = await makeOrg(srv, 'Req Org B');
});

after(async () => { await srv?.stop(); });

async function sendRequest(from, to, message) {
  const form = { account_id: to.account_id };
  if (message !== undefined) form.message = message;
  const res = await from.api.post('/kaiwa/v1/contact_requests', form);
  expectStatus(res, 200, 'sending a contact request');
  assert.ok(Number.isInteger(res.json.request_id));
  return res.json.request_id;
}

async function contactIds(user) {
  return (await listOrEmpty(await user.api.get('/contacts'))).map((c) => c.account_id);
}

test('GET /incoming_requests with no requests answers 204 with an empty body', async () => {
  const u = await makeUser(srv, orgA, 'Nobody');
  const res = await u.api.get('/incoming_requests');
  expectStatus(res, 204);
  assert.equal(res.text, '');
});

test('a contact request appears in the target\'s GET /incoming_requests with the sender\'s profile and message', async () => {
  const target = await makeUser(srv, orgA, 'Tara');
  const sender = await makeUser(srv, orgB, 'Sam');
  const id = await sendRequest(sender, target, 'Hello, please add me 🙏');
  const res = await target.api.get('/incoming_requests');
  expectStatus(res, 200);
  assert.equal(res.json.length, 1);
  const r = res.json[0];
  assert.equal(r.request_id, id);
  assert.equal(r.account_id, sender.account_id);
  assert.equal(r.message, 'Hello, please add me 🙏');
  assert.equal(r.name, 'Sam');
  assert.equal(r.organization_id, orgB);
  assert.equal(r.organization_name, 'Req Org B');
  for (const k of ['chatwork_id', 'department', 'avatar_image_url']) assert.equal(typeof r[k], 'string');
  expectStatus(await sender.api.get('/incoming_requests'), 204, 'the sender has no incoming request');
});

test('a request without a message lists message as an empty string', async () => {
  const target = await makeUser(srv, orgA, 'Quiet');
  const sender = await makeUser(srv, orgB, 'Silent');
  const id = await sendRequest(sender, target);
  const list = (await target.api.get('/incoming_requests')).json;
  assert.equal(list.find((x) => x.request_id === id).message, '');
});

test('PUT /incoming_requests/{id} approves: returns the new contact with its direct chat, both sides become contacts', async () => {
  const target = await makeUser(srv, orgA, 'Approver');
  const sender = await makeUser(srv, orgB, 'Asker');
  const id = await sendRequest(sender, target, 'let us talk');
  const res = await target.api.put(`/incoming_requests/${id}`, {});
  expectStatus(res, 200);
  assert.equal(res.json.account_id, sender.account_id);
  assert.equal(res.json.name, 'Asker');
  assert.equal(res.json.organization_id, orgB);
  assert.ok(Number.isInteger(res.json.room_id));
  const direct = await getRoom(target, res.json.room_id);
  assert.equal(direct.type, 'direct');
  assert.equal((await getRoom(sender, res.json.room_id)).type, 'direct');
  assert.ok((await contactIds(target)).includes(sender.account_id));
  assert.ok((await contactIds(sender)).includes(target.account_id));
  const contact = (await target.api.get('/contacts')).json.find((c) => c.account_id === sender.account_id);
  assert.equal(contact.room_id, res.json.room_id);
  expectStatus(await target.api.get('/incoming_requests'), 204, 'the approved request is gone');
  expectStatus(await target.api.put(`/incoming_requests/${id}`, {}), 404, 'approving twice');
  expectStatus(await target.api.del(`/incoming_requests/${id}`), 404, 'declining an approved request');
});

test('after approval the new contact can be added to a group chat (member rule: contacts or same organization)', async () => {
  const owner = await makeUser(srv, orgA, 'Owner');
  const outsider = await makeUser(srv, orgB, 'Outsider');
  const denied = await owner.api.post('/rooms', { name: 'Before contact', members_admin_ids: String(owner.account_id), members_member_ids: String(outsider.account_id) });
  expectStatus(denied, 400);
  const id = await sendRequest(outsider, owner, 'hi');
  expectStatus(await owner.api.put(`/incoming_requests/${id}`, {}), 200);
  const r = await makeRoom(owner, { members: [outsider] });
  assert.equal((await getRoom(outsider, r)).role, 'member');
});

test('DELETE /incoming_requests/{id} declines with 204 and creates no contact', async () => {
  const target = await makeUser(srv, orgA, 'Decliner');
  const sender = await makeUser(srv, orgB, 'Pest');
  const id = await sendRequest(sender, target, 'spam');
  const roomsBefore = (await target.api.get('/rooms')).json.length;
  const res = await target.api.del(`/incoming_requests/${id}`);
  expectStatus(res, 204);
  assert.equal(res.text, '');
  expectStatus(await target.api.get('/incoming_requests'), 204);
  assert.ok(!(await contactIds(target)).includes(sender.account_id));
  assert.ok(!(await contactIds(sender)).includes(target.account_id));
  assert.equal((await target.api.get('/rooms')).json.length, roomsBefore, 'no direct chat was created');
  expectStatus(await target.api.del(`/incoming_requests/${id}`), 404);
  expectStatus(await target.api.put(`/incoming_requests/${id}`, {}), 404);
});

test('a request can only be approved or declined by its target (404 for anybody else, including the sender)', async () => {
  const target = await makeUser(srv, orgA, 'Target');
  const sender = await makeUser(srv, orgB, 'Sender');
  const third = await makeUser(srv, orgB, 'Third');
  const id = await sendRequest(sender, target, 'mine');
  for (const u of [sender, third]) {
    expectStatus(await u.api.put(`/incoming_requests/${id}`, {}), 404, `${u.name} approving`);
    expectStatus(await u.api.del(`/incoming_requests/${id}`), 404, `${u.name} declining`);
  }
  const still = (await target.api.get('/incoming_requests')).json;
  assert.ok(still.some((x) => x.request_id === id), 'the request is untouched');
  assert.ok(!(await contactIds(third)).includes(sender.account_id));
});

test('unknown request ids answer 404', async () => {
  const u = await makeUser(srv, orgA, 'Unknown');
  expectStatus(await u.api.put('/incoming_requests/987654321', {}), 404);
  expectStatus(await u.api.del('/incoming_requests/987654321'), 404);
});

test('several requests are all listed, each with a distinct request_id', async () => {
  const target = await makeUser(srv, orgA, 'Popular');
  const senders = [];
  for (let i = 0; i < 3; i++) senders.push(await makeUser(srv, orgB, `Fan${i}`));
  const ids = [];
  for (const s of senders) ids.push(await sendRequest(s, target, `from ${s.name}`));
  assert.equal(new Set(ids).size, 3);
  const list = (await target.api.get('/incoming_requests')).json;
  assert.deepEqual(list.map((x) => x.request_id).sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
  for (const x of list) assert.equal(x.message, `from ${senders.find((s) => s.account_id === x.account_id).name}`);
});

test('the contact-request extension validates input and needs authentication', async () => {
  const a = await makeUser(srv, orgA, 'Validator');
  expectStatus(await a.api.post('/kaiwa/v1/contact_requests', {}), 400, 'missing account_id');
  expectStatus(await a.api.post('/kaiwa/v1/contact_requests', { account_id: 'abc' }), 400, 'non-numeric account_id');
  expectStatus(await a.api.post('/kaiwa/v1/contact_requests', { account_id: 987654321 }), [400, 404], 'unknown account');
  expectStatus(await a.api.post('/kaiwa/v1/contact_requests', { account_id: a.account_id }), 400, 'request to oneself');
  const noAuth = await a.api.post('/kaiwa/v1/contact_requests', { account_id: 1 }, { auth: 'none' });
  expectStatus(noAuth, 401);
});
