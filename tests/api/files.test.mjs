// Files: multipart upload, GET file(s), download URL (notes §4.6, §9.12–9.13).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, expectStatus, rawRequest, checkResponse } from './support/server.mjs';
import {
  makeOrg, makeUsers, makeRoom, getRoom, listOrEmpty, assertAccount, multipartBody, nowSec,
} from './support/fixtures.mjs';

let srv;
let org;
let alice; let bob; let rita; let dave;
let room; // alice admin, bob member, rita readonly

before(async () => {
  srv = await startServer();
  org = await makeOrg(srv, 'File Org');
  [alice, bob, rita, dave] = await makeUsers(srv, org, ['Alice', 'Bob', 'Rita', 'Dave']);
  room = await makeRoom(alice, { name: 'Files', members: [bob], readonly: [rita] });
});

after(async () => { await srv?.stop(); });

async function upload(user, roomId, file, message) {
  const res = await user.api.upload(`/rooms/${roomId}/files`, { file, message });
  expectStatus(res, 200, 'uploading a file');
  assert.ok(Number.isInteger(res.json.file_id));
  return res.json.file_id;
}

async function getFile(user, roomId, id, query) {
  const res = await user.api.get(`/rooms/${roomId}/files/${id}`, query);
  expectStatus(res, 200);
  return res.json;
}

async function download(url) {
  const abs = new URL(url, srv.url);
  const r = await fetch(abs, { redirect: 'follow' });
  return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()), headers: r.headers };
}

test('uploading a file answers {file_id}; GET file returns name, size, uploader, message_id and upload_time', async () => {
  const t0 = nowSec();
  const data = Buffer.from('# README\nhello file\n', 'utf8');
  const id = await upload(alice, room, { name: 'README.md', data, type: 'text/markdown' }, 'see attached');
  const f = await getFile(bob, room, id);
  assert.equal(f.file_id, id);
  assert.equal(f.filename, 'README.md');
  assert.equal(f.filesize, data.length, 'filesize is the byte length');
  assertAccount(f.account, alice, 'file.account');
  assert.equal(typeof f.message_id, 'string');
  assert.match(f.message_id, /^[1-9][0-9]*$/);
  assert.ok(f.upload_time >= t0 - 5 && f.upload_time <= nowSec() + 5);
  assert.equal(f.download_url, undefined, 'no download_url unless asked for');
});

test('the upload posts a message carrying the file block and the optional message text', async () => {
  const id = await upload(alice, room, { name: 'notes.txt', data: 'abc', type: 'text/plain' }, 'I attached a comment');
  const f = await getFile(alice, room, id);
  const m = await bob.api.get(`/rooms/${room}/messages/${f.message_id}`);
  expectStatus(m, 200);
  assert.match(m.json.body, /\[dtext:file_uploaded\]/);
  assert.ok(m.json.body.includes(`[download:${id}]notes.txt`), m.json.body);
  assert.ok(m.json.body.includes('I attached a comment'), m.json.body);
  assertAccount(m.json.account, alice);
});

test('create_download_url=1 adds a download_url that returns the exact bytes without any auth header', async () => {
  const data = crypto.randomBytes(200_000);
  data[0] = 0; data[1] = 0xff; data[2] = 0x0d; data[3] = 0x0a; // NUL, 0xFF, CRLF inside the payload
  const id = await upload(bob, room, { name: 'blob.bin', data, type: 'application/octet-stream' });
  for (const flag of [1, 'true']) {
    const f = await getFile(alice, room, id, { create_download_url: flag });
    assert.equal(typeof f.download_url, 'string');
    assert.ok(f.download_url.length > 0);
    const d = await download(f.download_url);
    assert.equal(d.status, 200);
    assert.equal(d.bytes.length, data.length);
    assert.ok(d.bytes.equals(data), 'downloaded bytes are identical to the upload');
  }
  const plain = await getFile(alice, room, id, { create_download_url: 0 });
  assert.equal(plain.download_url, undefined);
});

test('an image with a Unicode file name keeps its name and bytes', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d6b1f40000000049454e44ae426082', 'hex');
  const id = await upload(alice, room, { name: '報告書 2024 (最終).png', data: png, type: 'image/png' });
  const f = await getFile(alice, room, id, { create_download_url: 1 });
  assert.equal(f.filename, '報告書 2024 (最終).png');
  assert.equal(f.filesize, png.length);
  const d = await download(f.download_url);
  assert.ok(d.bytes.equals(png));
});

test('GET /rooms/{id}/files lists files, filters by uploader account_id, and answers 204 when empty', async () => {
  const r = await makeRoom(alice, { name: 'FileList', members: [bob] });
  expectStatus(await alice.api.get(`/rooms/${r}/files`), 204);
  const fa = await upload(alice, r, { name: 'a.txt', data: 'a' });
  const fb = await upload(bob, r, { name: 'b.txt', data: 'bb' });
  const all = await listOrEmpty(await bob.api.get(`/rooms/${r}/files`));
  assert.deepEqual(all.map((f) => f.file_id).sort((x, y) => x - y), [fa, fb].sort((x, y) => x - y));
  const onlyBob = await listOrEmpty(await alice.api.get(`/rooms/${r}/files`, { account_id: bob.account_id }));
  assert.deepEqual(onlyBob.map((f) => f.file_id), [fb]);
  assert.equal(onlyBob[0].filesize, 2);
  assert.equal(onlyBob[0].filename, 'b.txt');
  expectStatus(await alice.api.get(`/rooms/${r}/files`, { account_id: dave.account_id }), 204);
  assert.equal((await getRoom(alice, r)).file_num, 2, 'file_num counts the room\'s files');
});

test('multipart parsing is lenient: no trailing CRLF after the closing boundary, no part Content-Type, extra file_name field', async () => {
  for (const trailingCrlf of [true, false]) {
    const mp = multipartBody([
      { name: 'file', filename: `lenient-${trailingCrlf}.txt`, data: 'lenient body' },
      { name: 'file_name', data: 'ignored.txt' },
      { name: 'message', data: 'lenient upload' },
    ], { trailingCrlf });
    const res = await alice.api.request('POST', `/rooms/${room}/files`, { body: mp.body, contentType: mp.contentType });
    expectStatus(res, 200, `trailing CRLF ${trailingCrlf}`);
    const f = await getFile(alice, room, res.json.file_id);
    assert.equal(f.filename, `lenient-${trailingCrlf}.txt`);
    assert.equal(f.filesize, 'lenient body'.length);
  }
});

test('an upload without the file part, or as a urlencoded form, answers 400 and stores nothing', async () => {
  const before = (await getRoom(alice, room)).file_num;
  const noFile = await alice.api.upload(`/rooms/${room}/files`, { message: 'no file here' });
  expectStatus(noFile, 400);
  const wrongField = await alice.api.upload(`/rooms/${room}/files`, { file: { field: 'attachment', name: 'x.txt', data: 'x' } });
  expectStatus(wrongField, 400);
  const form = await alice.api.post(`/rooms/${room}/files`, { file: 'not a file', message: 'x' });
  expectStatus(form, 400);
  const broken = await alice.api.request('POST', `/rooms/${room}/files`, {
    body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nunterminated',
    contentType: 'multipart/form-data; boundary=xyz',
  });
  expectStatus(broken, 400, 'truncated multipart');
  assert.equal((await getRoom(alice, room)).file_num, before);
});

test('uploads up to 5 MB (4,900,000 bytes) are accepted and download intact', async () => {
  const okData = crypto.randomBytes(4_900_000);
  const id = await upload(alice, room, { name: 'big-ok.bin', data: okData });
  const f = await getFile(alice, room, id);
  assert.equal(f.filesize, okData.length);
  const d = await download((await getFile(alice, room, id, { create_download_url: 1 })).download_url);
  assert.ok(d.bytes.equals(okData), 'a 4.9 MB file downloads intact');
});

test('uploads over 5 MB answer 413 and store nothing', async () => {
  const before = (await getRoom(alice, room)).file_num;
  const mp = multipartBody([{ name: 'file', filename: 'too-big.bin', contentType: 'application/octet-stream', data: crypto.randomBytes(5 * 1024 * 1024 + 4096) }]);
  const res = await rawRequest(srv.url, {
    method: 'POST',
    path: `/v2/rooms/${room}/files`,
    headers: { 'X-ChatWorkToken': alice.api_token, 'Content-Type': mp.contentType, 'Content-Length': mp.body.length },
    body: mp.body,
  });
  assert.equal(res.status, 413, `expected 413 for a >5 MB upload, got ${res.status} ${res.error ?? ''} ${res.text?.slice(0, 200)}`);
  checkResponse({ ...res, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), String(v)])) });
  expectStatus(await alice.api.get('/me'), 200, 'the server is still healthy');
  assert.equal((await getRoom(alice, room)).file_num, before);
});

test('readonly members get 403 on upload; non-members get 404 on files', async () => {
  const before = (await getRoom(alice, room)).file_num;
  const ro = await rita.api.upload(`/rooms/${room}/files`, { file: { name: 'ro.txt', data: 'nope' } });
  expectStatus(ro, 403);
  const id = await upload(alice, room, { name: 'secret.txt', data: 'secret' });
  assert.equal((await getRoom(alice, room)).file_num, before + 1);
  expectStatus(await rita.api.get(`/rooms/${room}/files/${id}`), 200, 'readonly members can read files');
  expectStatus(await dave.api.get(`/rooms/${room}/files/${id}`), 404);
  expectStatus(await dave.api.get(`/rooms/${room}/files/${id}`, { create_download_url: 1 }), 404);
  expectStatus(await dave.api.get(`/rooms/${room}/files`), 404);
  expectStatus(await dave.api.upload(`/rooms/${room}/files`, { file: { name: 'x.txt', data: 'x' } }), 404);
});

test('a file is only reachable through its own room; unknown file ids answer 404', async () => {
  const id = await upload(alice, room, { name: 'here.txt', data: 'here' });
  const other = await makeRoom(alice, { name: 'Elsewhere', members: [bob] });
  expectStatus(await bob.api.get(`/rooms/${other}/files/${id}`), 404);
  expectStatus(await bob.api.get(`/rooms/${room}/files/987654321`), 404);
});

test('a download URL stops working once the file\'s room is deleted', async () => {
  const r = await makeRoom(alice, { name: 'Doomed', members: [bob] });
  const id = await upload(alice, r, { name: 'doomed.txt', data: 'doomed' });
  const f = await getFile(alice, r, id, { create_download_url: 1 });
  expectStatus(await alice.api.del(`/rooms/${r}`, { action_type: 'delete' }), 204);
  const d = await download(f.download_url);
  assert.ok(d.status >= 400 && d.status < 500, `download after room deletion: expected 4xx, got ${d.status}`);
  assert.ok(!d.bytes.equals(Buffer.from('doomed')));
});

test('a tampered download URL is refused', async () => {
  const id = await upload(alice, room, { name: 'guarded.txt', data: 'guarded' });
  const f = await getFile(alice, room, id, { create_download_url: 1 });
  const u = new URL(f.download_url, srv.url);
  const variants = [];
  if (u.search) {
    const q = new URLSearchParams(u.search);
    for (const [k, v] of q) {
      const t = new URLSearchParams(q);
      t.set(k, v.length ? (v[0] === 'A' ? 'B' : 'A') + v.slice(1) : 'x');
      variants.push(`${u.origin}${u.pathname}?${t}`);
    }
  }
  const segs = u.pathname.split('/');
  const last = segs[segs.length - 1];
  segs[segs.length - 1] = last.length ? (last[0] === 'A' ? 'B' : 'A') + last.slice(1) : 'x';
  variants.push(`${u.origin}${segs.join('/')}${u.search}`);
  for (const v of variants) {
    const d = await download(v);
    assert.ok(d.status >= 400 && d.status < 500, `tampered URL ${v}: expected 4xx, got ${d.status}`);
  }
});
