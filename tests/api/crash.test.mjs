// Crash durability: 16 concurrent posters, kill -9 mid-flight, restart on the same
// data dir. Every acknowledged (2xx) message must survive, and the counters must be
// consistent with the messages that are present.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, tempDir, expectStatus, sleep } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom, markAllRead, latestMessages, getRoom, cmpId } from './support/fixtures.mjs';
import { poolMap } from './support/stream.mjs';

const POSTERS = 16;
const RUN_MS = 3000;

let srv;
const dataDir = tempDir('kaiwa-crash-');

after(async () => {
  await srv?.stop({ removeData: false });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('kill -9 during 16 concurrent posters loses no acknowledged message and leaves counters consistent', { timeout: 120000 }, async (t) => {
  srv = await startServer({ dataDir, keepData: true, rateLimit: 10000000 });
  const org = await makeOrg(srv, 'Crash Org');
  const writers = await makeUsers(srv, org, ['Writer0', 'Writer1', 'Writer2', 'Writer3']);
  const [reader] = await makeUsers(srv, org, ['Reader']);
  const room = await makeRoom(writers[0], { name: 'Crash room', members: [...writers.slice(1), reader] });
  await markAllRead(reader, room);
  const latest = await latestMessages(reader, room);
  const lastReadId = latest[latest.length - 1].message_id;

  // --- 16 posters (4 per writer account) run until the server dies
  const acked = []; // {id, body, writer}
  const failures = [];
  let stop = false;
  async function poster(p) {
    const w = writers[p % writers.length];
    const api = srv.api(w.api_token);
    for (let n = 0; !stop; n++) {
      const body = n % 5 === 0 ? `[To:${reader.account_id}] crash p${p} n${n}` : `crash p${p} n${n}`;
      let res;
      try {
        res = await api.request('POST', `/rooms/${room}/messages`, { form: { body }, check: false });
      } catch (e) {
        failures.push(String(e.message).slice(0, 120));
        return; // transport error: the server is gone
      }
      if (res.status === 200 && res.json && typeof res.json.message_id === 'string') {
        acked.push({ id: res.json.message_id, body, writer: w.account_id });
      } else if (res.status >= 500 || res.status === 429) {
        failures.push(`status ${res.status}`);
      } else {
        assert.fail(`unexpected answer while posting: ${res.status} ${res.text}`);
      }
    }
  }
  const running = Promise.all(Array.from({ length: POSTERS }, (_, p) => poster(p)));
  await sleep(RUN_MS);
  const ackedAtKill = acked.length;
  await srv.kill9();
  stop = true;
  await running;
  assert.ok(ackedAtKill > 0, 'some messages were acknowledged before the kill');

  // --- restart on the same data dir
  srv = await startServer({ dataDir, keepData: true, rateLimit: 10000000 });
  const rApi = srv.api(reader.api_token);
  reader.api = rApi;
  for (const w of writers) w.api = srv.api(w.api_token);

  // every acknowledged message is present, with its body and sender
  const ids = new Set();
  await poolMap(acked, 16, async (m) => {
    assert.ok(!ids.has(m.id), `message_id ${m.id} was acknowledged twice`);
    ids.add(m.id);
    const g = await rApi.get(`/rooms/${room}/messages/${m.id}`);
    expectStatus(g, 200, `acknowledged message ${m.id} after kill -9`);
    assert.equal(g.json.body, m.body);
    assert.equal(g.json.account.account_id, m.writer);
  });

  // enumerate the whole room through the reader's (never used) fetch cursor
  const all = [];
  for (let i = 0; i < 10000; i++) {
    const res = await rApi.get(`/rooms/${room}/messages`);
    expectStatus(res, [200, 204]);
    if (res.status === 204) break;
    assert.ok(res.json.length <= 100);
    all.push(...res.json);
  }
  const allIds = all.map((m) => m.message_id);
  assert.equal(new Set(allIds).size, allIds.length, 'no message is listed twice');
  for (let i = 1; i < allIds.length; i++) assert.ok(cmpId(allIds[i - 1], allIds[i]) < 0, 'listing is ascending');
  const present = new Set(allIds);
  for (const m of acked) assert.ok(present.has(m.id), `acknowledged message ${m.id} is in the listing`);

  const after = all.filter((m) => cmpId(m.message_id, lastReadId) > 0 && m.account.account_id !== reader.account_id);
  const expectedUnread = after.length;
  const expectedMentions = after.filter((m) => m.body.includes(`[To:${reader.account_id}]`)).length;
  assert.ok(expectedUnread >= acked.length, 'all acknowledged messages are after the read point');

  const r = await getRoom(reader, room);
  assert.equal(r.unread_num, expectedUnread, `reader unread_num = messages from others since the last read (${acked.length} acked, ${expectedUnread} present)`);
  assert.equal(r.mention_num, expectedMentions, 'reader mention_num = present [To:reader] messages since the last read');
  assert.equal(r.message_num, all.length, 'message_num = messages present in the room');
  const st = await rApi.get('/my/status');
  expectStatus(st, 200);
  const rooms = (await rApi.get('/rooms')).json;
  assert.equal(st.json.unread_num, rooms.reduce((a, x) => a + x.unread_num, 0));
  assert.equal(st.json.mention_num, rooms.reduce((a, x) => a + x.mention_num, 0));

  // the server keeps working and never reuses an id
  const maxId = allIds.reduce((a, b) => (cmpId(a, b) < 0 ? b : a));
  const fresh = await writers[0].api.post(`/rooms/${room}/messages`, { body: 'after restart' });
  expectStatus(fresh, 200);
  assert.ok(cmpId(fresh.json.message_id, maxId) > 0, `a post after restart gets a new, larger id (${fresh.json.message_id} > ${maxId})`);
  const r2 = await getRoom(reader, room);
  assert.equal(r2.unread_num, expectedUnread + 1);

  // reading everything zeroes the counters
  const read = await rApi.put(`/rooms/${room}/messages/read`, {});
  expectStatus(read, 200);
  assert.deepEqual(read.json, { unread_num: 0, mention_num: 0 });
  t.diagnostic(`crash: ${acked.length} acknowledged (${ackedAtKill} before the kill), ${all.length} present, ${failures.length} posters cut off`);
});

test('a graceful restart (SIGTERM) keeps rooms, members, tokens, links, tasks, files, read state and the fetch cursor', { timeout: 60000 }, async () => {
  const dir = tempDir('kaiwa-restart-');
  let s = await startServer({ dataDir: dir, keepData: true });
  try {
    const org = await makeOrg(s, 'Restart Org');
    const [owner, peer] = await makeUsers(s, org, ['Owner', 'Peer']);
    const room = await makeRoom(owner, { name: 'Persistent', members: [peer] });
    expectStatus(await owner.api.post(`/rooms/${room}/link`, { code: 'persist-code', need_acceptance: 0 }), 200);
    const task = await owner.api.post(`/rooms/${room}/tasks`, { body: 'persist task', to_ids: String(peer.account_id) });
    expectStatus(task, 200);
    const data = Buffer.from('persisted bytes \u0000\u00ff', 'latin1');
    const up = await owner.api.upload(`/rooms/${room}/files`, { file: { name: 'p.bin', data } });
    expectStatus(up, 200);
    const m1 = await owner.api.post(`/rooms/${room}/messages`, { body: `[To:${peer.account_id}] before restart` });
    expectStatus(m1, 200);
    await peer.api.get(`/rooms/${room}/messages`); // consume the diff
    const roomBefore = await getRoom(peer, room);
    const membersBefore = (await owner.api.get(`/rooms/${room}/members`)).json;

    const code = await s.stop({ removeData: false });
    assert.ok(code.code === 0 || code.signal === 'SIGTERM', `SIGTERM stops the server cleanly (${JSON.stringify(code)})`);
    s = await startServer({ dataDir: dir, keepData: true });
    owner.api = s.api(owner.api_token);
    peer.api = s.api(peer.api_token);

    const roomAfter = await getRoom(peer, room);
    for (const k of ['name', 'type', 'role', 'unread_num', 'mention_num', 'mytask_num', 'message_num', 'task_num', 'file_num']) {
      assert.deepEqual(roomAfter[k], roomBefore[k], `room.${k} survives a restart`);
    }
    assert.deepEqual((await owner.api.get(`/rooms/${room}/members`)).json, membersBefore);
    const link = await owner.api.get(`/rooms/${room}/link`);
    assert.equal(link.json.public, true);
    assert.ok(link.json.url.endsWith('/g/persist-code'));
    assert.equal(link.json.need_acceptance, false);
    assert.equal((await owner.api.get(`/rooms/${room}/tasks/${task.json.task_ids[0]}`)).json.body, 'persist task');
    const f = await owner.api.get(`/rooms/${room}/files/${up.json.file_id}`, { create_download_url: 1 });
    expectStatus(f, 200);
    const dl = await fetch(new URL(f.json.download_url, s.url));
    assert.ok(Buffer.from(await dl.arrayBuffer()).equals(data), 'file bytes survive');
    expectStatus(await peer.api.get(`/rooms/${room}/messages`), 204, 'the fetch cursor survives');
    const m2 = await owner.api.post(`/rooms/${room}/messages`, { body: 'after restart' });
    assert.ok(cmpId(m2.json.message_id, m1.json.message_id) > 0);
  } finally {
    await s.stop({ removeData: false });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
