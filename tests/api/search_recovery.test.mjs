// Message search durability (issue 4): the index is fed by tailing the event log from a
// checkpoint, so a kill -9 while it lags behind must end, after a restart, with every
// acknowledged message found exactly once (none missing, none doubled, edits and deletes
// applied); `kaiwa reindex --data DIR` rebuilds the index from the store, with the server
// stopped ({"indexed": N}) or running ({"requested": true}), and the answers stay the same.
//
// No timing is asserted: the tests poll for the expected state with generous deadlines.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import { startServer, tempDir, expectStatus, requireBinary } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom, postMessage } from './support/fixtures.mjs';
import { corpus, search, hitIds, eventually, seedCorpus } from './support/search.mjs';
import { poolMap } from './support/stream.mjs';

const dirs = [];
const servers = [];
let srv;

/** startServer, remembered so that a failing test never leaves a server behind. */
async function start(opts) {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}

after(async () => {
  for (const s of servers) await s.stop({ removeData: false });
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function newDir(prefix) {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}

/** Runs `kaiwa ...args`; resolves {code, stdout, stderr} (never rejects on a non-zero exit). */
function runKaiwa(args, timeoutMs = 120000) {
  const bin = requireBinary();
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 1 << 22 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? err.signal) : 0, stdout, stderr });
    });
  });
}

/** The one JSON object a command printed on stdout. */
function oneJsonObject(out, what) {
  const text = out.stdout.trim();
  let value;
  try { value = JSON.parse(text); } catch (e) {
    assert.fail(`${what} must print one JSON object on stdout, got ${JSON.stringify(out.stdout)} (stderr: ${out.stderr})`);
  }
  assert.ok(value && typeof value === 'object' && !Array.isArray(value), `${what}: a JSON object, got ${text}`);
  return value;
}

/** Every hit of a search, walking the pages (limit 100). */
async function allHits(user, params, opts = {}) {
  const hits = [];
  let total;
  for (let offset = 0; ; offset += 100) {
    const res = await search(user, { ...params, offset, limit: 100 }, opts);
    if (res.status !== 200) return { status: res.status, res };
    if (total === undefined) total = res.json.total;
    assert.equal(res.json.total, total, 'total is the same on every page');
    hits.push(...res.json.hits);
    if (!res.json.has_more) break;
  }
  return { status: 200, total, hits };
}

// --- kill -9 --------------------------------------------------------------------------------

const SHARED = 'クラッシュ復旧テスト';
const bodyOf = (n) => `定例報告 ${n} ${SHARED} 進捗は順調です`;

test('kill -9 while the index lags: after a restart every acknowledged message is found exactly once, edits and deletes applied', { timeout: 600000 }, async (t) => {
  const dataDir = newDir('kaiwa-search-crash-');
  srv = await start({ dataDir, keepData: true, rateLimit: 10000000 });
  const org = await makeOrg(srv, 'Crash Search Org');
  const [poster, reader] = await makeUsers(srv, org, ['Crash Poster', 'Crash Reader']);
  const room = await makeRoom(poster, { name: 'Crash search', members: [reader] });

  // 1,500 posts as fast as 16 connections go; each carries a unique number and a shared word.
  const N = 1500;
  const numberOf = (i) => 8800000 + i;
  const ids = await poolMap(Array.from({ length: N }, (_, i) => i), 16, async (i) => {
    const res = await poster.api.request('POST', `/rooms/${room}/messages`, { form: { body: bodyOf(numberOf(i)) }, check: false });
    expectStatus(res, 200, `post ${i}`);
    return res.json.message_id;
  });
  // The last writes before the kill: edits and deletes of old and of brand-new messages.
  const deleted = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => N - 1 - i)];
  const edited = [...Array.from({ length: 10 }, (_, i) => 10 + i), ...Array.from({ length: 10 }, (_, i) => N - 11 - i)];
  const editedNumber = (i) => 9900000 + i;
  await poolMap(edited, 8, async (i) => {
    const res = await poster.api.request('PUT', `/rooms/${room}/messages/${ids[i]}`, { form: { body: bodyOf(editedNumber(i)) }, check: false });
    expectStatus(res, 200, `edit ${i}`);
  });
  await poolMap(deleted, 8, async (i) => {
    const res = await poster.api.request('DELETE', `/rooms/${room}/messages/${ids[i]}`, { check: false });
    expectStatus(res, 200, `delete ${i}`);
  });
  await srv.kill9(); // right after the last acknowledgement, while the indexer most likely still works

  srv = await start({ dataDir, keepData: true, rateLimit: 10000000 });
  reader.api = srv.api(reader.api_token);
  poster.api = srv.api(poster.api_token);
  const first = await search(reader, { q: SHARED, room_id: room, limit: 1 }, { allow503: true });
  t.diagnostic(`first answer after the restart: ${first.status} total=${first.json?.total}`);

  await verifyCrashState(t, { reader, room, ids, N, deleted, edited, numberOf, editedNumber });

  // The indexer goes on live after the catch-up.
  const fresh = await postMessage(poster, room, bodyOf(7700001));
  const res = await eventually(() => search(reader, { q: '7700001' }), (r) => r.status === 200 && r.json.total === 1);
  assert.deepEqual(hitIds(res), [fresh], 'a message posted after the restart is found');

  // A second kill -9, this time during the catch-up that follows a restart.
  const more = await poolMap(Array.from({ length: 300 }, (_, i) => i), 16, async (i) => {
    const r = await poster.api.request('POST', `/rooms/${room}/messages`, { form: { body: bodyOf(6600000 + i) }, check: false });
    expectStatus(r, 200, `second batch post ${i}`);
    return r.json.message_id;
  });
  await srv.kill9();
  srv = await start({ dataDir, keepData: true, rateLimit: 10000000 });
  await srv.kill9(); // as soon as it is ready, probably mid catch-up
  srv = await start({ dataDir, keepData: true, rateLimit: 10000000 });
  reader.api = srv.api(reader.api_token);
  const expectedAll = new Set([...ids.filter((_, i) => !deleted.includes(i)), fresh, ...more]);
  const settled = await eventually(() => search(reader, { q: SHARED, room_id: room, limit: 1 }, { allow503: true }),
    (r) => r.status === 200 && r.json.total === expectedAll.size, { timeoutMs: 120000 });
  assert.equal(settled.status, 200, String(settled));
  assert.equal(settled.json.total, expectedAll.size, 'after two more kills: every live message once');
  const walked = await allHits(reader, { q: SHARED, room_id: room });
  const got = walked.hits.map((h) => h.message_id);
  assert.equal(new Set(got).size, got.length, 'no message found twice');
  assert.deepEqual(new Set(got), expectedAll, 'exactly the live messages');
  const missing = [];
  await poolMap(Array.from({ length: 300 }, (_, i) => i), 8, async (i) => {
    const r = expectStatus(await search(reader, { q: String(6600000 + i) }), 200);
    if (JSON.stringify(hitIds(r)) !== JSON.stringify([more[i]])) missing.push(`${6600000 + i}: ${JSON.stringify(hitIds(r))}`);
  });
  assert.deepEqual(missing, [], 'every message of the second batch is found exactly once by its number');
});

async function verifyCrashState(t, { reader, room, ids, N, deleted, edited, numberOf, editedNumber }) {
  const live = ids.filter((_, i) => !deleted.includes(i));
  const res = await eventually(() => search(reader, { q: SHARED, room_id: room, limit: 1 }, { allow503: true }),
    (r) => r.status === 200 && r.json.total === live.length, { timeoutMs: 120000 });
  assert.equal(res.status, 200, String(res));
  assert.equal(res.json.total, live.length, `the index catches up: ${N} posted, ${deleted.length} deleted`);

  const walked = await allHits(reader, { q: SHARED, room_id: room });
  const got = walked.hits.map((h) => h.message_id);
  assert.equal(walked.total, live.length);
  assert.equal(new Set(got).size, got.length, 'no message is found twice');
  const gotSet = new Set(got);
  const lost = live.filter((id) => !gotSet.has(id));
  const ghosts = got.filter((id) => !live.includes(id));
  assert.deepEqual(lost, [], 'no acknowledged live message is missing');
  assert.deepEqual(ghosts, [], 'no deleted (or unknown) message is found');

  // Each unique number: exactly its message, once; edits moved the number, deletes removed it.
  const problems = [];
  await poolMap(Array.from({ length: N }, (_, i) => i), 8, async (i) => {
    const r = expectStatus(await search(reader, { q: String(numberOf(i)) }), 200);
    const want = deleted.includes(i) || edited.includes(i) ? [] : [ids[i]];
    if (JSON.stringify(hitIds(r)) !== JSON.stringify(want)) problems.push(`${numberOf(i)}: want ${JSON.stringify(want)}, got ${JSON.stringify(hitIds(r))}`);
  });
  for (const i of edited) {
    const r = expectStatus(await search(reader, { q: String(editedNumber(i)) }), 200);
    if (JSON.stringify(hitIds(r)) !== JSON.stringify([ids[i]])) problems.push(`edited ${editedNumber(i)}: want [${ids[i]}], got ${JSON.stringify(hitIds(r))}`);
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} unique words not found exactly once`);
  t.diagnostic(`crash: ${N} posted, ${edited.length} edited, ${deleted.length} deleted, ${live.length} found once each`);
}

// --- kaiwa reindex --------------------------------------------------------------------------

/** The comparable part of every corpus query's answer (scores left out: only the order counts). */
async function snapshot(seed, opts = {}) {
  const out = {};
  const asks = [
    ...corpus.queries.map((c) => ['yamada', c.q]),
    ...corpus.by_user.map((c) => [c.as, c.q]),
  ];
  for (const [who, q] of asks) {
    const res = await search(seed.users[who], { q, limit: 100 }, { snippets: false, ...opts });
    if (res.status !== 200) return { status: res.status, res };
    out[`${who} ${q}`] = {
      total: res.json.total,
      has_more: res.json.has_more,
      hits: res.json.hits.map(({ score, ...rest }) => rest),
    };
  }
  return { status: 200, out };
}

/** Live messages in the store: the sum of message_num over every room any account belongs to. */
async function liveMessages(users) {
  const nums = new Map();
  for (const u of users) {
    const res = expectStatus(await u.api.get('/rooms'), 200);
    for (const r of res.json) nums.set(r.room_id, r.message_num);
  }
  return [...nums.values()].reduce((a, b) => a + b, 0);
}

async function seedWithChanges(s) {
  const seed = await seedCorpus(s, { orgName: 'Reindex Org' });
  const u = seed.users;
  // An edit and a delete, so a rebuild from the store must use the current bodies only.
  const s05 = seed.msgId.s05;
  expectStatus(await u.sato.api.put(`/rooms/${seed.rooms.sales}/messages/${s05}`, { body: '見積もりを明日送付します（改訂）' }), 200);
  const s26 = seed.msgId.s26;
  expectStatus(await u.yamada.api.del(`/rooms/${seed.rooms.sales}/messages/${s26}`), 200);
  const res = await eventually(async () => [await search(u.yamada, { q: '改訂' }), await search(u.yamada, { q: 'コーヒー' })],
    ([a, b]) => a.status === 200 && b.status === 200 && a.json.total === 1 && b.json.total === 2);
  assert.deepEqual(hitIds(res[0]), [s05], 'the edit is indexed');
  assert.equal(hitIds(res[1]).includes(s26), false, 'the delete is indexed');
  return seed;
}

function rebind(seed, s) {
  for (const u of Object.values(seed.users)) u.api = s.api(u.api_token);
}

test('kaiwa reindex with the server stopped rebuilds from the store, prints {"indexed": N}, and the answers stay the same', { timeout: 300000 }, async () => {
  const dataDir = newDir('kaiwa-reindex-');
  srv = await start({ dataDir, keepData: true });
  const seed = await seedWithChanges(srv);
  const before = await snapshot(seed);
  assert.equal(before.status, 200);
  const live = await liveMessages(Object.values(seed.users));
  await srv.stop({ removeData: false });

  const out = await runKaiwa(['reindex', '--data', dataDir]);
  assert.equal(out.code, 0, `kaiwa reindex exits 0 (stderr: ${out.stderr})`);
  const printed = oneJsonObject(out, 'kaiwa reindex (no server running)');
  assert.deepEqual(printed, { indexed: live }, `N = the live messages in the store (${live}: corpus, room-creation notices, sentinel; the deleted one excluded)`);

  srv = await start({ dataDir, keepData: true });
  rebind(seed, srv);
  const after = await eventually(() => snapshot(seed, { allow503: true }),
    (r) => r.status === 200 && JSON.stringify(r.out) === JSON.stringify(before.out), { timeoutMs: 60000 });
  assert.equal(after.status, 200, String(after.res));
  assert.deepEqual(after.out, before.out, 'every corpus answer is the same after the rebuild');

  // The rebuilt index keeps following the log.
  const id = await postMessage(seed.users.yamada, seed.rooms.sales, '再構築後の投稿も検索できます');
  const res = await eventually(() => search(seed.users.yamada, { q: '再構築後' }), (r) => r.status === 200 && r.json.total === 1);
  assert.deepEqual(hitIds(res), [id]);
  await srv.stop({ removeData: false });
  srv = undefined;
});

/** kaiwa_search_index_rebuilds_total from GET /metrics. */
async function rebuilds(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('kaiwa_search_index_rebuilds_total '));
  assert.ok(line, 'GET /metrics exposes kaiwa_search_index_rebuilds_total');
  return Number(line.split(' ')[1]);
}

test('kaiwa reindex with the server running prints {"requested": true}; the server rebuilds (503 allowed meanwhile) and the answers stay the same', { timeout: 300000 }, async () => {
  const dataDir = newDir('kaiwa-reindex-live-');
  srv = await start({ dataDir, keepData: true });
  const seed = await seedWithChanges(srv);
  const before = await snapshot(seed);
  assert.equal(before.status, 200);

  const rebuildsBefore = await rebuilds(srv);
  const out = await runKaiwa(['reindex', '--data', dataDir]);
  assert.equal(out.code, 0, `kaiwa reindex exits 0 (stderr: ${out.stderr})`);
  assert.deepEqual(oneJsonObject(out, 'kaiwa reindex (server running)'), { requested: true });
  // The server takes the request up within about a second: until then, the old index answers.
  await eventually(() => rebuilds(srv), (n) => n > rebuildsBefore, { timeoutMs: 120000 });

  // /v2 keeps working during the rebuild.
  expectStatus(await seed.users.yamada.api.get('/me'), 200);
  const after = await eventually(() => snapshot(seed, { allow503: true }),
    (r) => r.status === 200 && JSON.stringify(r.out) === JSON.stringify(before.out), { timeoutMs: 120000 });
  assert.equal(after.status, 200, String(after.res));
  assert.deepEqual(after.out, before.out, 'every corpus answer is the same after the rebuild');

  const id = await postMessage(seed.users.sato, seed.rooms.proj, '再構築中と再構築後の投稿');
  const res = await eventually(() => search(seed.users.yamada, { q: '再構築中' }), (r) => r.status === 200 && r.json.total === 1);
  assert.deepEqual(hitIds(res), [id], 'the index keeps following the log after the rebuild');
  assert.equal(srv.proc.exitCode, null, 'the server is still running');
});
