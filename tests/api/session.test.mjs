// Browser sign-in (docs/api/kaiwa-openapi.yaml, /kaiwa/v1/session, /kaiwa/v1/me/password): the
// session cookie's flags, CSRF and Origin checks on every route that takes the cookie, sign-out
// and password change revoking sessions (and their streams), throttled failures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { makeOrg, makeUser } from './support/fixtures.mjs';
import { tryOpenStream } from './support/stream.mjs';

const PASSWORD = 'correct horse battery';
let srv;
let org;
let seq = 0;

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'Session Org');
});
after(async () => { await srv?.stop(); });

/** An account that can sign in: {email, account_id, api_token}. */
async function userWithPassword(password = PASSWORD) {
  const email = `session.${process.pid}.${++seq}@example.test`;
  const made = await srv.admin('account', 'create', '--org', org, '--name', `Session ${seq}`,
    '--email', email, '--password', password);
  return { ...made, email };
}

async function signIn(email, password = PASSWORD, headers = {}) {
  const res = await fetch(`${srv.url}/kaiwa/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ email, password }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

/** Signs in and returns {cookie: 'kaiwa_session=...', csrf, account_id}. */
async function session(user) {
  const res = await signIn(user.email);
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: res.json.csrf_token, account_id: res.json.account_id };
}

/** A request carrying the session cookie (and the CSRF token when given). */
async function withCookie(s, method, path, { form, csrf, headers = {} } = {}) {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: {
      Cookie: s.cookie,
      ...(csrf ? { 'X-CSRF-Token': csrf } : {}),
      ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      ...headers,
    },
    body: form ? new URLSearchParams(form) : undefined,
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (res.status >= 400) {
    assert.ok(Array.isArray(json?.errors) && json.errors.length > 0, `Chatwork error body for ${res.status}: ${text}`);
  }
  return { status: res.status, headers: res.headers, json };
}

test('signing in sets an HttpOnly, SameSite=Strict session cookie and returns the CSRF token', async () => {
  const user = await userWithPassword();
  const res = await signIn(user.email);
  assert.equal(res.status, 200);
  assert.equal(res.json.account_id, user.account_id);
  assert.match(res.json.csrf_token, /^[0-9a-f]{32,}$/);
  assert.ok(Number.isInteger(res.json.expires_at) && res.json.expires_at > Date.now() / 1000);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^kaiwa_session=[A-Za-z0-9]{20,};/);
  for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=2592000']) {
    assert.ok(cookie.split('; ').includes(flag), `${flag} in ${cookie}`);
  }
  assert.ok(!cookie.includes('Secure'), 'no Secure flag over plain http');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.ok(!cookie.includes(user.api_token), 'the session is not the API token');
});

test('a wrong password and an unknown email get the same 401; missing fields 400', async () => {
  const user = await userWithPassword();
  const wrong = await signIn(user.email, 'not the password');
  const unknown = await signIn(`nobody.${process.pid}@example.test`);
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(wrong.json, unknown.json);
  assert.equal(wrong.headers.get('set-cookie'), null);
  assert.equal((await signIn('', '')).status, 400);
});

test('the cookie authenticates /v2 and /kaiwa/v1; changes need the CSRF token; foreign origins are refused', async () => {
  const user = await userWithPassword();
  const s = await session(user);
  const me = await withCookie(s, 'GET', '/v2/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.account_id, user.account_id);
  const again = await withCookie(s, 'GET', '/kaiwa/v1/session');
  assert.equal(again.status, 200);
  assert.deepEqual(again.json, { account_id: user.account_id, csrf_token: s.csrf, max_upload_bytes: 5 * 1024 * 1024 });

  const path = `/v2/rooms/${user.room_id}/messages`;
  assert.equal((await withCookie(s, 'POST', path, { form: { body: 'no csrf' } })).status, 403);
  assert.equal((await withCookie(s, 'POST', path, { form: { body: 'bad' }, csrf: 'f'.repeat(64) })).status, 403);
  const other = await session(await userWithPassword());
  assert.equal((await withCookie(s, 'POST', path, { form: { body: 'csrf of another session' }, csrf: other.csrf })).status, 403);
  const posted = await withCookie(s, 'POST', path, { form: { body: 'with csrf' }, csrf: s.csrf });
  assert.equal(posted.status, 200);
  assert.equal(typeof posted.json.message_id, 'string');

  const foreign = await withCookie(s, 'GET', '/v2/me', { headers: { Origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403);
  const own = await withCookie(s, 'POST', path, { form: { body: 'from our page' }, csrf: s.csrf, headers: { Origin: srv.url } });
  assert.equal(own.status, 200);
});

test('a token header wins over the cookie and needs no CSRF token', async () => {
  const alice = await userWithPassword();
  const bob = await userWithPassword();
  const s = await session(alice);
  const res = await withCookie(s, 'POST', `/v2/rooms/${bob.room_id}/messages`, {
    form: { body: 'as bob' }, headers: { 'X-ChatWorkToken': bob.api_token },
  });
  assert.equal(res.status, 200);
  const me = await withCookie(s, 'GET', '/v2/me', { headers: { 'X-ChatWorkToken': bob.api_token } });
  assert.equal(me.json.account_id, bob.account_id);
});

test('signing out needs the CSRF token, clears the cookie, revokes the session and closes its streams', async () => {
  const user = await userWithPassword();
  const s = await session(user);
  const opened = await tryOpenStream(srv.url, null, { headers: { Cookie: s.cookie, Origin: srv.url } });
  assert.ok(opened.stream, `the cookie opens a stream: ${opened.status} ${opened.text}`);
  await opened.stream.waitReady();
  const foreignStream = await tryOpenStream(srv.url, null, { headers: { Cookie: s.cookie, Origin: 'https://evil.example' } });
  assert.equal(foreignStream.status, 403);

  assert.equal((await withCookie(s, 'DELETE', '/kaiwa/v1/session')).status, 403);
  const byToken = await fetch(`${srv.url}/kaiwa/v1/session`, { method: 'DELETE', headers: { 'X-ChatWorkToken': user.api_token } });
  assert.equal(byToken.status, 400);
  const out = await withCookie(s, 'DELETE', '/kaiwa/v1/session', { csrf: s.csrf });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /^kaiwa_session=; .*Max-Age=0/);
  assert.equal((await withCookie(s, 'GET', '/v2/me')).status, 401);
  await opened.stream.waitClosed();
  assert.equal(opened.stream.closeCode, 4003);
  const token = await fetch(`${srv.url}/v2/me`, { headers: { 'X-ChatWorkToken': user.api_token } });
  assert.equal(token.status, 200, 'the API token survives signing out');
});

test('changing the password signs out the other sessions, keeps this one, and the new password signs in', async () => {
  const user = await userWithPassword();
  const here = await session(user);
  const elsewhere = await session(user);
  const form = (current, next) => ({ form: { current_password: current, new_password: next }, csrf: here.csrf });
  assert.equal((await withCookie(here, 'PUT', '/kaiwa/v1/me/password', { form: { current_password: PASSWORD, new_password: 'another long password' } })).status, 403);
  assert.equal((await withCookie(here, 'PUT', '/kaiwa/v1/me/password', form('wrong', 'another long password'))).status, 400);
  assert.equal((await withCookie(here, 'PUT', '/kaiwa/v1/me/password', form(PASSWORD, 'short'))).status, 400);
  assert.equal((await withCookie(here, 'PUT', '/kaiwa/v1/me/password', form(PASSWORD, 'another long password'))).status, 204);
  assert.equal((await withCookie(here, 'GET', '/v2/me')).status, 200);
  assert.equal((await withCookie(elsewhere, 'GET', '/v2/me')).status, 401);
  assert.equal((await signIn(user.email)).status, 401);
  assert.equal((await signIn(user.email, 'another long password')).status, 200);
});

test('ten failed sign-ins for one email answer 429 even to the right password', async () => {
  const user = await userWithPassword();
  for (let i = 0; i < 10; i++) {
    assert.equal((await signIn(user.email, `guess ${i}`)).status, 401);
  }
  const blocked = await signIn(user.email);
  assert.equal(blocked.status, 429);
  assert.ok(Array.isArray(blocked.json.errors));
});
