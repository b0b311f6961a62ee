// History paging: Kaiwa's GET /kaiwa/v1/rooms/{room_id}/messages (docs/api/kaiwa-openapi.yaml)
// pages a room backwards (before=) and forwards (after=) from a message id, with a limit, where
// Chatwork's /v2 list stops at the latest 100.
//
// /kaiwa/v1 routes are not in the RAML, so 2xx answers are checked here instead of centrally:
// the page against the OpenAPI file's own schema, its messages against the RAML's /v2 message
// list schema (they must be the same objects), and the shared rate-limit headers. Errors still go
// through the central check ({"errors":[...]}).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import * as yaml from 'js-yaml';
import { startServer, expectStatus, checkResponse } from './support/server.mjs';
import { schemas } from './support/schema.mjs';
import { repoRoot } from './support/paths.mjs';
import {
  makeOrg, makeUsers, makeRoom, postMessage, getRoom, latestMessages, assertAscending,
} from './support/fixtures.mjs';

const ROUTE = '/kaiwa/v1/rooms/{room_id}/messages';

// The 200 schema of the route, from the OpenAPI document itself.
const validatePage = (() => {
  const doc = yaml.load(fs.readFileSync(path.join(repoRoot, 'docs', 'api', 'kaiwa-openapi.yaml'), 'utf8'));
  const ok = doc.paths?.[ROUTE]?.get?.responses?.['200']?.content?.['application/json']?.schema;
  assert.ok(ok, `kaiwa-openapi.yaml must describe the 200 answer of GET ${ROUTE}`);
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'kaiwa-openapi', components: doc.components });
  const validate = ajv.compile({ $ref: `kaiwa-openapi${ok.$ref}` });
  // The schema really constrains the messages (its $refs resolved), not just the outer object.
  assert.equal(validate({ messages: [{ message_id: 1 }], has_more_before: false, has_more_after: false }), false);
  return validate;
})();

let srv;
let alice; let bob; let carol; let dave;
let room; // alice admin, bob member, carol readonly; dave is in the org but not the room
let ids; // the room's message ids, oldest first (creation notice, then m1..m60)
let bodies; // id -> body

before(async () => {
  srv = await startServer();
  const org = await makeOrg(srv, 'History Org');
  [alice, bob, carol, dave] = await makeUsers(srv, org, ['Alice', 'Bob', 'Carol', 'Dave']);
  room = await makeRoom(alice, { name: 'History', members: [bob], readonly: [carol] });
  for (let i = 1; i <= 60; i++) {
    await postMessage(i % 3 === 0 ? bob : alice, room, `m${i}`);
  }
  const all = await latestMessages(alice, room);
  ids = all.map((m) => m.message_id);
  bodies = new Map(all.map((m) => [m.message_id, m.body]));
  assert.equal(ids.length, 61, 'the creation notice and 60 messages');
});

after(async () => { await srv?.stop(); });

/** GET the history route; a 200 is checked against the OpenAPI and RAML schemas here. */
async function history(user, query = {}, roomId = room, opts = {}) {
  const res = await user.api.request('GET', `/kaiwa/v1/rooms/${roomId}/messages`, { query, check: false, ...opts });
  if (res.status !== 200) {
    checkResponse(res);
    return res;
  }
  assert.match(res.headers['content-type'] || '', /application\/json/i, `${res}: JSON content-type`);
  assert.ok(res.jsonError === undefined, `${res}: body is not JSON`);
  assert.ok(validatePage(res.json), `${res}: does not match kaiwa-openapi.yaml: ${JSON.stringify(validatePage.errors)}`);
  const { route, errors } = schemas().validate('GET', `/v2/rooms/${roomId}/messages`, res.json.messages);
  assert.ok(route && !errors, `${res}: messages differ from the RAML's /v2 message list: ${(errors || []).join('; ')}`);
  assertAscending(res.json.messages.map((m) => m.message_id), 'paged message ids');
  for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
    assert.match(res.headers[h] ?? '', /^\d+$/, `${res}: ${h} (the /v2 rate limit applies)`);
  }
  return res;
}

const idsOf = (res) => res.json.messages.map((m) => m.message_id);
const more = (res) => [res.json.has_more_before, res.json.has_more_after];

test('without an anchor: the latest 50 (the default limit), oldest first, the same objects as GET /v2 messages?force=1', async () => {
  const res = expectStatus(await history(bob), 200);
  assert.deepEqual(idsOf(res), ids.slice(-50));
  assert.deepEqual(more(res), [true, false]);
  const v2 = await latestMessages(bob, room);
  assert.deepEqual(res.json.messages, v2.slice(-50), 'message objects identical to /v2');
});

test('before= pages backwards from a message; walking back with the first id visits every message once', async () => {
  const res = expectStatus(await history(bob, { before: ids[40], limit: 5 }), 200);
  assert.deepEqual(idsOf(res), ids.slice(35, 40));
  assert.deepEqual(res.json.messages.map((m) => m.body), ids.slice(35, 40).map((id) => bodies.get(id)));
  assert.deepEqual(more(res), [true, true]);

  const walked = [];
  let page = expectStatus(await history(alice, { limit: 7 }), 200);
  for (;;) {
    walked.unshift(...idsOf(page));
    if (!page.json.has_more_before) break;
    page = expectStatus(await history(alice, { before: idsOf(page)[0], limit: 7 }), 200);
  }
  assert.deepEqual(walked, ids);
  assert.deepEqual(more(page), [false, true], 'the first page has nothing before it');
});

test('after= pages forwards from a message; after=0 starts at the first message and walks to the end', async () => {
  const res = expectStatus(await history(bob, { after: ids[10], limit: 3 }), 200);
  assert.deepEqual(idsOf(res), ids.slice(11, 14));
  assert.deepEqual(more(res), [true, true]);

  const walked = [];
  let page = expectStatus(await history(carol, { after: 0, limit: 9 }), 200);
  assert.equal(idsOf(page)[0], ids[0]);
  for (;;) {
    walked.push(...idsOf(page));
    if (!page.json.has_more_after) break;
    page = expectStatus(await history(carol, { after: idsOf(page).at(-1), limit: 9 }), 200);
  }
  assert.deepEqual(walked, ids);
});

test('an empty page is 200 with "messages": [] (never 204) and still says what lies beyond the anchor', async () => {
  const newest = expectStatus(await history(bob, { after: ids.at(-1) }), 200);
  assert.deepEqual(newest.json, { messages: [], has_more_before: true, has_more_after: false });
  const oldest = expectStatus(await history(bob, { before: ids[0] }), 200);
  assert.deepEqual(oldest.json, { messages: [], has_more_before: false, has_more_after: true });
});

test('limit: 1 and 100 are accepted; 0, 101, negative, non-integer and overflowing values are 400', async () => {
  const one = expectStatus(await history(bob, { limit: 1 }), 200);
  assert.deepEqual(idsOf(one), ids.slice(-1));
  const hundred = expectStatus(await history(bob, { limit: 100 }), 200);
  assert.deepEqual(idsOf(hundred), ids, 'the whole room fits in 100');
  assert.deepEqual(more(hundred), [false, false]);
  for (const limit of ['0', '101', '-1', 'ten', '5x', '1.5', '99999999999999999999999']) {
    const res = expectStatus(await history(bob, { limit }), 400, `limit=${limit}`);
    assert.match(res.json.errors.join(' '), /limit/, `limit=${limit}: the error names the parameter`);
  }
});

test('anchors: before and after together, non-numeric, negative and out-of-range ids are 400', async () => {
  expectStatus(await history(bob, { before: ids[20], after: ids[10] }), 400, 'before with after');
  for (const name of ['before', 'after']) {
    for (const value of ['abc', '-1', '12abc', '0x10', '9223372036854775808', '99999999999999999999']) {
      const res = expectStatus(await history(bob, { [name]: value }), 400, `${name}=${value}`);
      assert.match(res.json.errors.join(' '), new RegExp(name), `${name}=${value}: the error names the parameter`);
    }
  }
  // The largest int64 is a well-formed id: a position after every message.
  const max = expectStatus(await history(bob, { before: '9223372036854775807', limit: 2 }), 200);
  assert.deepEqual(idsOf(max), ids.slice(-2));
});

test('an id that is no message of the room is a position: it falls between the messages around it', async () => {
  // Two neighbours whose ids leave room between them (posts a millisecond or more apart).
  const i = ids.findIndex((id, k) => k >= 2 && k + 2 < ids.length && BigInt(ids[k + 1]) - BigInt(id) > 1n);
  assert.ok(i >= 0, 'some neighbouring ids leave a gap');
  const between = (BigInt(ids[i]) + 1n).toString();
  const back = expectStatus(await history(bob, { before: between, limit: 2 }), 200);
  assert.deepEqual(idsOf(back), ids.slice(i - 1, i + 1));
  const fwd = expectStatus(await history(bob, { after: between, limit: 2 }), 200);
  assert.deepEqual(idsOf(fwd), ids.slice(i + 1, i + 3));
});

test('deleted messages are left out, and a deleted message still anchors a page', async () => {
  const other = await makeRoom(alice, { name: 'Deletions', members: [bob] });
  const posted = [];
  for (let i = 1; i <= 6; i++) posted.push(await postMessage(alice, other, `d${i}`));
  for (const id of [posted[1], posted[3]]) {
    expectStatus(await alice.api.del(`/rooms/${other}/messages/${id}`), 200);
  }
  const latest = expectStatus(await history(bob, { limit: 4 }, other), 200);
  assert.deepEqual(latest.json.messages.map((m) => m.body), ['d1', 'd3', 'd5', 'd6']);
  assert.deepEqual(more(latest), [true, false], 'the creation notice is older');
  const fromDeleted = expectStatus(await history(bob, { after: posted[1], limit: 2 }, other), 200);
  assert.deepEqual(fromDeleted.json.messages.map((m) => m.body), ['d3', 'd5']);
  const beforeDeleted = expectStatus(await history(bob, { before: posted[3], limit: 10 }, other), 200);
  assert.deepEqual(beforeDeleted.json.messages.slice(1).map((m) => m.body), ['d1', 'd3']);
});

test('members of any role may page; a non-member and an unknown room get 404, a malformed room id 400, no token 401', async () => {
  for (const user of [alice, bob, carol]) expectStatus(await history(user, { limit: 1 }), 200, user.name);
  const outsider = expectStatus(await history(dave), 404, 'not a member');
  const unknown = expectStatus(await history(bob, {}, 987654321), 404, 'unknown room');
  assert.deepEqual(outsider.json, unknown.json, 'a stranger learns nothing a missing room would not say');
  expectStatus(await history(bob, {}, 'abc'), 400, 'malformed room id');
  expectStatus(await history(bob, {}, room, { auth: 'none' }), 401, 'no token');
  expectStatus(await history(bob, {}, room, { token: 'not-a-token' }), 401, 'bad token');
});

test('paging reads only: it moves neither the /v2 "not yet fetched" position nor the read position', async () => {
  const quiet = await makeRoom(alice, { name: 'Quiet', members: [bob] });
  for (let i = 1; i <= 3; i++) await postMessage(alice, quiet, `q${i}`);
  const unreadBefore = (await getRoom(bob, quiet)).unread_num;
  assert.equal(unreadBefore, 4, 'the notice and three messages are unread');
  expectStatus(await history(bob, {}, quiet), 200);
  expectStatus(await history(bob, { after: 0, limit: 2 }, quiet), 200);
  assert.equal((await getRoom(bob, quiet)).unread_num, unreadBefore, 'read position unchanged');
  const diff = expectStatus(await bob.api.get(`/rooms/${quiet}/messages`), 200);
  assert.equal(diff.json.length, 4, 'the /v2 diff still returns everything bob has not fetched');
});
