// Authentication (X-ChatWorkToken, Bearer, revocation; operations S1–S3) and
// rate limiting (X-RateLimit-* headers, 429, window reset; notes §2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rawRequest, expectStatus, sleep } from './support/server.mjs';
import { schemas } from './support/schema.mjs';
import { makeOrg, makeUser, nowSec } from './support/fixtures.mjs';

let srv;
let org;
let alice;
let bob;

before(async () => {
  srv = await startServer({ rateLimit: null }); // server default: 300 per 300 s
  org = await makeOrg(srv, 'Auth Org');
  alice = await makeUser(srv, org, 'Alice');
  bob = await makeUser(srv, org, 'Bob');
});

after(async () => { await srv?.stop(); });

test('GET /healthz answers 200 without authentication', async () => {
  const res = await srv.api().request('GET', '/healthz', { auth: 'none' });
  expectStatus(res, 200);
});

test('S1: a request without a token gets 401 {"errors":["Invalid API token"]} and a WWW-Authenticate header, no data', async () => {
  const res = await alice.api.get('/me', undefined, { auth: 'none' });
  expectStatus(res, 401);
  assert.deepEqual(res.json, { errors: ['Invalid API token'] });
  assert.ok(res.headers['www-authenticate'], 'a 401 must carry WWW-Authenticate (operations S1)');
  assert.ok(!res.text.includes(alice.email), 'no account data in a 401');
});

test('S2: a malformed or unknown token gets 401 with the Chatwork error body', async () => {
  for (const bad of ['nope', 'x'.repeat(32), `${alice.api_token}x`, alice.api_token.slice(0, -1), ' ', '%00']) {
    const res = await alice.api.get('/me', undefined, { token: bad });
    expectStatus(res, 401, `token ${JSON.stringify(bad)}`);
    assert.deepEqual(res.json, { errors: ['Invalid API token'] });
  }
});

test('a valid X-ChatWorkToken authenticates GET /me as the token owner', async () => {
  const res = await alice.api.get('/me');
  expectStatus(res, 200);
  assert.equal(res.json.account_id, alice.account_id);
});

test('the X-ChatWorkToken header name is case-insensitive (X-ChatWorkToken, X-ChatworkToken, x-chatworktoken, X-CHATWORKTOKEN)', async () => {
  for (const name of ['X-ChatWorkToken', 'X-ChatworkToken', 'x-chatworktoken', 'X-CHATWORKTOKEN']) {
    const res = await rawRequest(srv.url, { method: 'GET', path: '/v2/me', headers: { [name]: alice.api_token } });
    assert.equal(res.status, 200, `header ${name}: expected 200, got ${res.status} ${res.text}`);
    assert.equal(res.json.account_id, alice.account_id);
  }
});

test('Authorization: Bearer <token> authenticates; a wrong Bearer or a Basic scheme gets 401', async () => {
  const ok = await alice.api.get('/me', undefined, { auth: 'bearer' });
  expectStatus(ok, 200);
  assert.equal(ok.json.account_id, alice.account_id);

  const wrong = await alice.api.get('/me', undefined, { auth: 'bearer', token: 'definitely-not-a-token' });
  expectStatus(wrong, 401);
  assert.deepEqual(wrong.json, { errors: ['Invalid API token'] });

  const basic = await alice.api.get('/me', undefined, {
    auth: 'none', headers: { Authorization: `Basic ${Buffer.from(`${alice.api_token}:`).toString('base64')}` },
  });
  expectStatus(basic, 401);
});

test('S3: a token in the query string is not accepted, and the token never appears in the server log', async () => {
  for (const key of ['token', 'api_token', 'access_token', 'X-ChatWorkToken', 'x-chatworktoken']) {
    const res = await alice.api.get('/me', { [key]: alice.api_token }, { auth: 'none' });
    expectStatus(res, [400, 401], `token in query parameter ${key}`);
  }
  await sleep(200);
  assert.ok(!srv.stderr().includes(alice.api_token), 'the API token must not be written to the server log');
});

test('S2: a revoked token gets 401 at once, while another token of the same account keeps working', async () => {
  const { api_token: extra } = await srv.admin('token', 'create', '--account', alice.account_id);
  assert.equal(typeof extra, 'string');
  assert.notEqual(extra, alice.api_token);
  const before = await alice.api.get('/me', undefined, { token: extra });
  expectStatus(before, 200);
  assert.equal(before.json.account_id, alice.account_id);

  const revoked = await srv.admin('token', 'revoke', '--token', extra);
  assert.deepEqual(revoked, {});
  const afterRes = await alice.api.get('/me', undefined, { token: extra });
  expectStatus(afterRes, 401);
  assert.deepEqual(afterRes.json, { errors: ['Invalid API token'] });
  const bearer = await alice.api.get('/me', undefined, { token: extra, auth: 'bearer' });
  expectStatus(bearer, 401);

  const original = await alice.api.get('/me');
  expectStatus(original, 200);
});

test('every /v2 route of the RAML answers 401 "Invalid API token" to an unknown token', async () => {
  const routes = schemas().routes.filter((r) => !r.absolute);
  assert.ok(routes.length >= 30, 'the RAML should define at least 30 operations');
  for (const r of routes) {
    const p = r.template.replace(/\{[^}]+\}/g, '1');
    const res = await alice.api.request(r.method, p, { token: 'invalid-token-for-route-walk', form: r.method === 'POST' || r.method === 'PUT' ? {} : undefined });
    expectStatus(res, 401, `${r.method} ${r.template}`);
    assert.deepEqual(res.json, { errors: ['Invalid API token'] }, `${r.method} ${r.template}`);
  }
});

test('every authenticated response carries X-RateLimit-Limit (300 by default), a decreasing Remaining and a future Reset', async () => {
  const r1 = await bob.api.get('/me');
  const r2 = await bob.api.get('/rooms');
  const r3 = await bob.api.get('/rooms/999999999'); // 404 also carries the headers
  expectStatus(r1, 200); expectStatus(r2, 200); expectStatus(r3, 404);
  for (const r of [r1, r2, r3]) {
    assert.equal(r.headers['x-ratelimit-limit'], '300', 'default limit is 300 requests');
    const reset = Number(r.headers['x-ratelimit-reset']);
    assert.ok(reset >= nowSec() - 1 && reset <= nowSec() + 301, `X-RateLimit-Reset must be a Unix time within the 300 s window, got ${reset}`);
  }
  const rem = [r1, r2, r3].map((r) => Number(r.headers['x-ratelimit-remaining']));
  assert.ok(rem[0] < 300 && rem[0] >= 0);
  assert.equal(rem[1], rem[0] - 1, 'Remaining decreases by one per request');
  assert.equal(rem[2], rem[1] - 1, 'Remaining decreases by one per request (also on 404)');
  assert.equal(r1.headers['x-ratelimit-reset'], r2.headers['x-ratelimit-reset'], 'Reset is fixed within a window');
});

test('a 400 response also carries the rate-limit headers', async () => {
  const room = bob.room_id;
  const res = await bob.api.post(`/rooms/${room}/messages`, {});
  expectStatus(res, 400);
  assert.ok(res.headers['x-ratelimit-remaining'] !== undefined);
});

test('past the limit a token gets 429 with Remaining 0 and Reset, while another account is unaffected', async () => {
  const s = await startServer({ rateLimit: 5, rateWindowSeconds: 300 });
  try {
    const o = await makeOrg(s, 'RL');
    const u = await makeUser(s, o, 'Limited');
    const v = await makeUser(s, o, 'Other');
    const statuses = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await u.api.get('/me');
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429], 'exactly 5 requests pass');
    assert.equal(last.headers['x-ratelimit-limit'], '5');
    assert.equal(last.headers['x-ratelimit-remaining'], '0');
    const reset = Number(last.headers['x-ratelimit-reset']);
    assert.ok(reset > nowSec() - 1 && reset <= nowSec() + 301, `Reset ${reset}`);
    const other = await v.api.get('/me');
    expectStatus(other, 200, 'another account has its own budget');
    assert.equal(other.headers['x-ratelimit-remaining'], '4');
    // writes are limited too, and nothing is written while limited
    const post = await u.api.post(`/rooms/${u.room_id}/messages`, { body: 'should be rate limited' });
    expectStatus(post, 429);
  } finally {
    await s.stop();
  }
});

test('the rate-limit window resets after --rate-window-seconds', async () => {
  const s = await startServer({ rateLimit: 2, rateWindowSeconds: 2 });
  try {
    const o = await makeOrg(s, 'RLW');
    const u = await makeUser(s, o, 'Windowed');
    expectStatus(await u.api.get('/me'), 200);
    expectStatus(await u.api.get('/me'), 200);
    const limited = await u.api.get('/me');
    expectStatus(limited, 429);
    const reset = Number(limited.headers['x-ratelimit-reset']);
    const waitMs = Math.max(0, (reset + 1) * 1000 - Date.now());
    assert.ok(waitMs <= 4000, `Reset should be within the 2 s window, got ${reset} (now ${nowSec()})`);
    await sleep(waitMs + 100);
    const again = await u.api.get('/me');
    expectStatus(again, 200, 'after the window reset the token is allowed again');
    assert.equal(again.headers['x-ratelimit-limit'], '2');
  } finally {
    await s.stop();
  }
});
