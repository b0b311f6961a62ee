// Event stream across server restarts: kill -9 mid-flight and a graceful SIGTERM (close 1012,
// spread over about a second). Clients resume with since = the last pos they saw: nothing
// acknowledged is missing, nothing arrives twice, and nothing uncommitted was ever sent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, tempDir, expectStatus, sleep } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom, postMessage, cmpId } from './support/fixtures.mjs';
import { createdIn, poolMap, StreamSet } from './support/stream.mjs';

const dirs = [];
const servers = [];
const streams = new StreamSet();

after(async () => {
  streams.closeAll();
  for (const s of servers) await s.stop({ removeData: false });
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function start(dataDir) {
  const srv = await startServer({ dataDir, keepData: true, rateLimit: 10000000 });
  servers.push(srv);
  return srv;
}

function stream(srv, user, opts = {}) {
  return streams.open(srv.url, user, opts);
}

/** Posters hammer the room until stopped or the server goes away; returns {acked, done}. */
function runPosters(srvRef, users, room, count, tag) {
  const acked = []; // {id, body, account_id}
  const failures = [];
  let stop = false;
  const done = Promise.all(Array.from({ length: count }, async (_, p) => {
    const u = users[p % users.length];
    for (let n = 0; !stop; n++) {
      const body = `${tag} p${p} n${n}`;
      let res;
      try {
        res = await srvRef().api(u.api_token).request('POST', `/rooms/${room}/messages`, { form: { body }, check: false });
      } catch (e) {
        failures.push(e.message.slice(0, 100));
        return; // the server is gone
      }
      if (res.status === 200 && typeof res.json?.message_id === 'string') acked.push({ id: res.json.message_id, body, account_id: u.account_id });
      else if (res.status >= 500 || res.status === 429) { failures.push(`status ${res.status}`); return; }
      else assert.fail(`unexpected answer while posting: ${res.status} ${res.text}`);
    }
  }));
  return { acked, failures, done, stop: () => { stop = true; } };
}

/** Checks that union(first, second) of message_created covers every acked message exactly once. */
function checkUnion(first, second, room, acked, what) {
  const a = createdIn(first, room);
  const b = createdIn(second, room);
  const all = [...a, ...b];
  const ids = all.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, `${what}: no message_created delivered twice across the reconnect`);
  if (a.length && b.length) assert.ok(b[0].pos > a[a.length - 1].pos, `${what}: the resumed stream continues after the last pos seen`);
  for (let i = 1; i < all.length; i++) assert.ok(all[i].pos > all[i - 1].pos, `${what}: positions increase across the reconnect`);
  const got = new Map(all.map((m) => [m.id, m]));
  for (const m of acked) {
    const e = got.get(m.id);
    assert.ok(e, `${what}: acknowledged message ${m.id} (${m.body}) was delivered before or after the restart`);
    assert.equal(e.body, m.body);
    assert.equal(e.account_id, m.account_id);
  }
  return all;
}

test('kill -9 while posters run: resuming with since=<last pos> after the restart delivers every acknowledged message once, and nothing that was not committed', { timeout: 90000 }, async (t) => {
  const dataDir = tempDir('kaiwa-stream-kill-');
  dirs.push(dataDir);
  let srv = await start(dataDir);
  const org = await makeOrg(srv, 'Kill Org');
  const [w1, w2, reader] = await makeUsers(srv, org, ['Kill W1', 'Kill W2', 'Kill Reader']);
  const room = await makeRoom(w1, { name: 'Kill room', members: [w2, reader] });
  const s1 = await stream(srv, reader);
  const p0 = s1.lastPos;

  const posters = runPosters(() => srv, [w1, w2], room, 8, 'kill');
  await s1.waitFor((x) => createdIn(x, room).length >= 100, 30000, '100 live messages before the kill');
  await sleep(200);
  await srv.kill9();
  posters.stop();
  await posters.done;
  const closed = await s1.waitClosed(10000);
  assert.notEqual(closed.code, 1012, 'a killed server sends no close frame (abnormal closure)');
  const ackedAtKill = posters.acked.length;
  assert.ok(ackedAtKill > 0);

  srv = await start(dataDir);
  const s2 = await stream(srv, reader, { since: s1.lastPos });
  s2.assertClean();
  const all = checkUnion(s1, s2, room, posters.acked, 'kill -9');
  // every delivered message exists after the restart: the stream never ran ahead of the commit
  const api = srv.api(reader.api_token);
  await poolMap(all, 16, async (m) => {
    const g = await api.get(`/rooms/${room}/messages/${m.id}`);
    expectStatus(g, 200, `streamed message ${m.id} exists after kill -9`);
    assert.equal(g.json.body, m.body);
  });
  // ids are never reused after the restart, and the resumed stream is live
  const fresh = await postMessage({ ...w1, api: srv.api(w1.api_token) }, room, 'after kill');
  const e = await s2.waitForEvent((x) => x.data?.message_id === fresh, 15000, 'a live message after the restart');
  assert.ok(s2.items.indexOf(e) > s2.items.findIndex((o) => o.type === 'ready'), 'live after ready');
  assert.ok(all.every((m) => cmpId(m.id, fresh) < 0), 'the new message id is larger than all before');

  // a client resuming from before the burst on the restarted server sees the same sequence
  const replay = await stream(srv, reader, { since: p0 });
  assert.deepEqual(createdIn(replay, room).filter((m) => m.id !== fresh), all, 'the log after restart holds exactly what was streamed');
  t.diagnostic(`kill -9: ${ackedAtKill} acknowledged, ${createdIn(s1, room).length} live before the kill, ${createdIn(s2, room).length} on resume (${all.length - ackedAtKill} committed without an answer)`);
});

test('graceful restart: SIGTERM closes every stream with 1012 (spread over about a second); clients resume after the restart and lose nothing', { timeout: 90000 }, async (t) => {
  const dataDir = tempDir('kaiwa-stream-term-');
  dirs.push(dataDir);
  let srv = await start(dataDir);
  const org = await makeOrg(srv, 'Term Org');
  const [w1, w2, reader] = await makeUsers(srv, org, ['Term W1', 'Term W2', 'Term Reader']);
  const room = await makeRoom(w1, { name: 'Term room', members: [w2, reader] });
  const CLIENTS = 20;
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(await stream(srv, reader, { label: `reader#${i}` }));

  const posters = runPosters(() => srv, [w1, w2], room, 6, 'term');
  await clients[0].waitFor((x) => createdIn(x, room).length >= 50, 30000, '50 live messages before SIGTERM');
  const t0 = Date.now();
  const stopped = srv.stop({ removeData: false });
  const closes = await Promise.all(clients.map((c) => c.waitClosed(15000)));
  const closeSpan = Date.now() - t0;
  const exit = await stopped;
  posters.stop();
  await posters.done;
  for (const [i, c] of closes.entries()) assert.equal(c.code, 1012, `client ${i}: close code 1012 at shutdown (got ${c.code} ${c.reason})`);
  assert.ok(exit.code === 0 || exit.signal === 'SIGTERM', `clean exit: ${JSON.stringify(exit)}`);

  srv = await start(dataDir);
  const resumed = [];
  for (const c of clients) resumed.push(await stream(srv, reader, { since: c.lastPos, label: `${c.label} resumed` }));
  const more = await postMessage({ ...w2, api: srv.api(w2.api_token) }, room, 'after graceful restart');
  const reference = checkUnion(clients[0], resumed[0], room, posters.acked, 'client 0');
  for (const [i, r] of resumed.entries()) {
    await r.waitForEvent((e) => e.data?.message_id === more, 15000, 'the live message after restart');
    r.assertClean();
    const all = checkUnion(clients[i], r, room, posters.acked, `client ${i}`);
    assert.deepEqual(all.filter((m) => m.id !== more), reference.filter((m) => m.id !== more), `client ${i} ends with the same sequence as client 0`);
  }
  t.diagnostic(`SIGTERM: ${posters.acked.length} acknowledged; all ${CLIENTS} closes within ${closeSpan} ms; ${posters.failures.length} posters cut off`);
});
