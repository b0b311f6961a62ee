// The signed-in account's profile (docs/api/kaiwa-openapi.yaml): PUT /kaiwa/v1/me with its
// validation, PUT/DELETE /kaiwa/v1/me/avatar (sniffed image types, the 1 MiB limit), the public
// pictures at /avatars/{account_id}/{file}, and other accounts seeing the change (contacts,
// members, messages, and the account_updated event on their streams).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { makeOrg, makeUser, makeContacts, makeRoom, postMessage, multipartBody } from './support/fixtures.mjs';
import { StreamSet } from './support/stream.mjs';

// A 1x1 PNG, and the first bytes of the other accepted types (the server sniffs, not decodes).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGPQyr8NAAI7AXWvpo28AAAAAElFTkSuQmCC', 'base64');
const PNG2 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAQklEQVR4nO3OQQ0AIAwAsQlDGWqRgguOR5MK6Jy9vjL5QEhISKgeCAkJCdUDISEhoXogJCQkVA+EhISE6oGQkNBjF86YRtOiOONjAAAAAElFTkSuQmCC', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(32, 0)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([32, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(24, 0)]);
const MIB = 1024 * 1024;

let srv;
let org;
const streams = new StreamSet();

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'Profile Org');
});
after(async () => {
  streams.closeAll();
  await srv?.stop();
});

function putAvatar(user, data, { filename = 'me.png', type = 'image/png', field = 'file' } = {}) {
  const { body, contentType } = multipartBody([{ name: field, filename, contentType: type, data }]);
  return user.api.request('PUT', '/kaiwa/v1/me/avatar', { body, contentType });
}

async function me(user) {
  const res = await user.api.get('/me');
  assert.equal(res.status, 200);
  return res.json;
}

/** GET (or HEAD) a picture URL without any credentials, as an <img> or a Chatwork client does. */
async function fetchPicture(url, method = 'GET') {
  const res = await fetch(url, { method });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

test('PUT /kaiwa/v1/me edits the profile, trimmed, and /v2/me shows it', async () => {
  const user = await makeUser(srv, org, 'Edit Me');
  const res = await user.api.put('/kaiwa/v1/me', {
    name: '  山田　太郎\u3000', title: ' Manager ', department: 'Sales', url: 'https://example.com/yamada',
    introduction: 'Hello.\nI sell things.', tel_organization: '03-1234-5678', tel_extension: '123',
    tel_mobile: '090-0000-0000', skype: 'yamada.skype', facebook: 'yamada.fb', twitter: '@yamada',
  });
  assert.equal(res.status, 200, res.toString());
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.json.account_id, user.account_id);
  assert.equal(res.json.name, '山田　太郎');
  const now = await me(user);
  assert.deepEqual(now, res.json);
  assert.equal(now.title, 'Manager');
  assert.equal(now.department, 'Sales');
  assert.equal(now.url, 'https://example.com/yamada');
  assert.equal(now.introduction, 'Hello.\nI sell things.');
  assert.equal(now.tel_organization, '03-1234-5678');
  assert.equal(now.tel_extension, '123');
  assert.equal(now.tel_mobile, '090-0000-0000');
  assert.equal(now.skype, 'yamada.skype');
  assert.equal(now.facebook, 'yamada.fb');
  assert.equal(now.twitter, '@yamada');
  assert.equal(now.login_mail, user.email, 'the email is not editable');

  // A field left out keeps its value; an empty one clears it.
  const second = await user.api.put('/kaiwa/v1/me', { name: 'Taro Yamada', title: '' });
  assert.equal(second.status, 200, second.toString());
  assert.equal(second.json.name, 'Taro Yamada');
  assert.equal(second.json.title, '');
  assert.equal(second.json.department, 'Sales');
  assert.equal(second.json.introduction, 'Hello.\nI sell things.');
});

test('bad profile input gets Chatwork errors and changes nothing', async () => {
  const user = await makeUser(srv, org, 'Careful User');
  const before = await me(user);
  const cases = [
    [{}, /'name' is required/],
    [{ name: '' }, /'name' is required/],
    [{ name: '  \u3000 ' }, /'name' is required/],
    [{ name: 'x'.repeat(256) }, /'name' must be at most 255/],
    [{ name: 'Two\nLines' }, /'name' must be a single line/],
    [{ name: 'Ok', title: 't'.repeat(256) }, /'title' must be at most 255/],
    [{ name: 'Ok', department: 'a\nb' }, /'department' must be a single line/],
    [{ name: 'Ok', url: 'javascript:alert(1)' }, /'url' must start with http/],
    [{ name: 'Ok', url: 'https://exa mple.com' }, /'url' must not contain spaces/],
    [{ name: 'Ok', introduction: 'i'.repeat(2001) }, /'introduction' must be at most 2000/],
  ];
  for (const [form, message] of cases) {
    const res = await user.api.put('/kaiwa/v1/me', form);
    assert.equal(res.status, 400, `${JSON.stringify(form).slice(0, 80)}: ${res.toString()}`);
    assert.match(res.json.errors[0], message);
  }
  assert.deepEqual(await me(user), before);
  // The limits themselves are accepted.
  const longest = await user.api.put('/kaiwa/v1/me', { name: 'n'.repeat(255), introduction: 'i'.repeat(2000) });
  assert.equal(longest.status, 200, longest.toString());
  assert.equal(longest.json.name.length, 255);
});

test('contacts, co-members and message authors show the new name; co-members get account_updated', async () => {
  const alice = await makeUser(srv, org, 'Alice Before');
  const bob = await makeUser(srv, org, 'Bob Contact');
  const carol = await makeUser(srv, org, 'Carol Member');
  const dave = await makeUser(srv, org, 'Dave Stranger');
  await makeContacts(srv, alice, bob);
  const room = await makeRoom(alice, { members: [carol] });
  await postMessage(alice, room, 'hello before the rename');
  const bobStream = await streams.open(srv.url, bob);
  const carolStream = await streams.open(srv.url, carol);
  const daveStream = await streams.open(srv.url, dave);

  const res = await alice.api.put('/kaiwa/v1/me', { name: 'Alice After' });
  assert.equal(res.status, 200, res.toString());

  const contacts = await bob.api.get('/contacts');
  assert.equal(contacts.json.find((c) => c.account_id === alice.account_id)?.name, 'Alice After');
  const members = await carol.api.get(`/rooms/${room}/members`);
  assert.equal(members.json.find((m) => m.account_id === alice.account_id)?.name, 'Alice After');
  const messages = await carol.api.get(`/rooms/${room}/messages`, { force: 1 });
  assert.equal(messages.json[0].account.name, 'Alice After');

  for (const [stream, who] of [[bobStream, 'the contact'], [carolStream, 'the co-member']]) {
    const event = await stream.waitForEvent((e) => e.type === 'account_updated' && e.data.account_id === alice.account_id,
      15000, `account_updated for ${who}`);
    assert.equal(event.data.name, 'Alice After');
    assert.equal(event.data.avatar_image_url, '');
    assert.ok(Number.isInteger(event.data.room_id));
  }
  // A stranger shares no room: a message in its own My Chat marks how far its stream got.
  await postMessage(dave, dave.room_id, 'marker');
  await daveStream.waitForEvent((e) => e.type === 'message_created' && e.data.room_id === dave.room_id);
  assert.ok(!daveStream.events.some((e) => e.type === 'account_updated'), 'a stranger hears nothing');
});

test('a picture is stored, served publicly with its type, and shown wherever the account appears', async () => {
  const alice = await makeUser(srv, org, 'Pictured Alice');
  const bob = await makeUser(srv, org, 'Pictured Bob');
  await makeContacts(srv, alice, bob);
  const bobStream = await streams.open(srv.url, bob);
  assert.equal((await me(alice)).avatar_image_url, '', 'the default is no picture, ""');

  const res = await putAvatar(alice, PNG);
  assert.equal(res.status, 200, res.toString());
  const url = res.json.avatar_image_url;
  assert.match(url, new RegExp(`^${srv.url}/avatars/${alice.account_id}/[0-9a-f]{64}\\.png$`));
  assert.equal((await me(alice)).avatar_image_url, url);
  const contacts = await bob.api.get('/contacts');
  assert.equal(contacts.json.find((c) => c.account_id === alice.account_id)?.avatar_image_url, url);
  const event = await bobStream.waitForEvent((e) => e.type === 'account_updated' && e.data.avatar_image_url === url);
  assert.equal(event.data.name, 'Pictured Alice');

  const picture = await fetchPicture(url);
  assert.equal(picture.status, 200);
  assert.deepEqual(picture.bytes, PNG);
  assert.equal(picture.headers.get('content-type'), 'image/png');
  assert.equal(picture.headers.get('x-content-type-options'), 'nosniff');
  assert.match(picture.headers.get('cache-control'), /public/);
  assert.match(picture.headers.get('cache-control'), /max-age=\d{6,}/);
  const head = await fetchPicture(url, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.bytes.length, 0);
  assert.equal(head.headers.get('content-length'), String(PNG.length));

  // A new picture gets a new URL, and the old one is no longer served.
  const second = await putAvatar(alice, PNG2, { filename: 'photo.PNG' });
  assert.equal(second.status, 200, second.toString());
  assert.notEqual(second.json.avatar_image_url, url);
  assert.equal((await fetchPicture(url)).status, 404);
  assert.deepEqual((await fetchPicture(second.json.avatar_image_url)).bytes, PNG2);

  // Removing it returns to the default everywhere, and the picture is gone.
  const removed = await alice.api.del('/kaiwa/v1/me/avatar');
  assert.equal(removed.status, 200, removed.toString());
  assert.equal(removed.json.avatar_image_url, '');
  const after = await bob.api.get('/contacts');
  assert.equal(after.json.find((c) => c.account_id === alice.account_id)?.avatar_image_url, '');
  assert.equal((await fetchPicture(second.json.avatar_image_url)).status, 404);
  await bobStream.waitForEvent((e) => e.type === 'account_updated' && e.data.account_id === alice.account_id && e.data.avatar_image_url === '');
  // Removing again is harmless.
  assert.equal((await alice.api.del('/kaiwa/v1/me/avatar')).status, 200);
});

test('JPEG, GIF and WebP are accepted by their bytes, served with the sniffed type', async () => {
  const user = await makeUser(srv, org, 'Many Formats');
  for (const [bytes, type, ext] of [[JPEG, 'image/jpeg', 'jpg'], [GIF, 'image/gif', 'gif'], [WEBP, 'image/webp', 'webp']]) {
    // The declared type and name lie: the bytes decide.
    const res = await putAvatar(user, bytes, { filename: 'picture.bin', type: 'application/octet-stream' });
    assert.equal(res.status, 200, `${type}: ${res.toString()}`);
    assert.ok(res.json.avatar_image_url.endsWith(`.${ext}`), res.json.avatar_image_url);
    const picture = await fetchPicture(res.json.avatar_image_url);
    assert.equal(picture.headers.get('content-type'), type);
    assert.deepEqual(picture.bytes, bytes);
  }
});

test('bad pictures: not an image (even named .png), too big, empty, no file part', async () => {
  const user = await makeUser(srv, org, 'Bad Pictures');
  const html = await putAvatar(user, '<svg onload=alert(1)></svg>', { filename: 'evil.png', type: 'image/png' });
  assert.equal(html.status, 400, html.toString());
  assert.match(html.json.errors[0], /PNG, JPEG, GIF or WebP/);
  const svg = await putAvatar(user, '<svg xmlns="http://www.w3.org/2000/svg"/>', { filename: 'a.svg', type: 'image/svg+xml' });
  assert.equal(svg.status, 400, svg.toString());

  const big = Buffer.concat([PNG, Buffer.alloc(MIB + 1 - PNG.length, 0)]);
  const tooBig = await putAvatar(user, big);
  assert.equal(tooBig.status, 413, tooBig.toString());
  assert.match(tooBig.json.errors[0], /1 MB/);
  const atLimit = await putAvatar(user, Buffer.concat([PNG, Buffer.alloc(MIB - PNG.length, 0)]));
  assert.equal(atLimit.status, 200, `exactly 1 MiB is accepted: ${atLimit.toString()}`);
  assert.equal((await user.api.del('/kaiwa/v1/me/avatar')).status, 200);

  const empty = await putAvatar(user, Buffer.alloc(0));
  assert.equal(empty.status, 400, empty.toString());
  const wrongField = await putAvatar(user, PNG, { field: 'avatar' });
  assert.equal(wrongField.status, 400, wrongField.toString());
  assert.match(wrongField.json.errors[0], /'file' is required/);
  const form = await user.api.request('PUT', '/kaiwa/v1/me/avatar', { form: { file: 'x' } });
  assert.equal(form.status, 400, form.toString());
  assert.equal((await me(user)).avatar_image_url, '', 'nothing was stored');
});

test('pictures of unknown accounts or files are 404; the API routes need a token', async () => {
  const user = await makeUser(srv, org, 'Lookup');
  for (const p of [`/avatars/${user.account_id}/${'0'.repeat(64)}.png`, '/avatars/999999/x.png', '/avatars/abc/x.png']) {
    assert.equal((await fetchPicture(`${srv.url}${p}`)).status, 404, p);
  }
  const anonymous = srv.api(undefined);
  assert.equal((await anonymous.put('/kaiwa/v1/me', { name: 'Nobody' })).status, 401);
  assert.equal((await anonymous.del('/kaiwa/v1/me/avatar')).status, 401);
});

test('a browser session needs the CSRF token to edit the profile', async () => {
  const email = `profile.${process.pid}@example.test`;
  await srv.admin('account', 'create', '--org', org, '--name', 'Browser User', '--email', email, '--password', 'correct horse battery');
  const signIn = await fetch(`${srv.url}/kaiwa/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: 'correct horse battery' }),
  });
  const { csrf_token: csrf } = await signIn.json();
  const cookie = signIn.headers.get('set-cookie').split(';')[0];
  const put = (headers) => fetch(`${srv.url}/kaiwa/v1/me`, {
    method: 'PUT',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ name: 'Browser Renamed' }),
  });
  assert.equal((await put({})).status, 403);
  const ok = await put({ 'X-CSRF-Token': csrf });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).name, 'Browser Renamed');
});
