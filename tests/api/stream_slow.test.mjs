// Event stream back-pressure: a client that stops reading is closed with 4001 once its send
// queue passes its bound (4 MiB), while other clients keep receiving everything; it then
// resumes from the last pos it saw and gets the rest, with no gap and no duplicate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom, postMessage } from './support/fixtures.mjs';
import { createdIn, poolMap, StreamSet } from './support/stream.mjs';

let srv;
const streams = new StreamSet();

before(async () => { srv = await startServer({ rateLimit: 10000000 }); });
after(async () => {
  streams.closeAll();
  await srv?.stop();
});

function stream(user, opts = {}) {
  return streams.open(srv.url, user, opts);
}

// The server keeps at most 4 MiB queued per connection; the kernel buffers some more on both
// ends of a paused socket (about 4 MB here). Posting this much past the pause is far beyond both.
const VOLUME_BYTES = 24 * 1024 * 1024;

test('a client that stops reading gets close 4001 while a normal client receives everything; it resumes from its last pos and gets the rest', { timeout: 120000 }, async (t) => {
  const org = await makeOrg(srv, 'Slow Org');
  const [poster, fast, laggard] = await makeUsers(srv, org, ['Slow Poster', 'Slow Fast', 'Slow Laggard']);
  const room = await makeRoom(poster, { name: 'Big messages', members: [fast, laggard] });
  const slow = await stream(laggard);
  slow.ws._socket.pause(); // stop reading: the kernel buffers fill, then the server's queue
  const normal = await stream(fast);

  const filler = 'x'.repeat(65500);
  let n = 0;
  const posted = [];
  while (normal.bytes < VOLUME_BYTES) {
    const before = posted.length;
    await poolMap(Array.from({ length: 8 }, () => n++), 8, async (i) => {
      posted.push(await postMessage(poster, room, `big ${i} ${filler}`.slice(0, 65535)));
    });
    await normal.waitFor((x) => createdIn(x, room).length >= posted.length, 30000, `${posted.length} big messages at the normal client`);
    assert.ok(posted.length > before);
    assert.ok(posted.length < 2000, 'bounded: the normal client must be receiving');
  }
  assert.ok(!normal.isClosed, 'the normal client is never closed');
  const got = createdIn(normal, room);
  assert.deepEqual(new Set(got.map((m) => m.id)), new Set(posted), 'the normal client received every message');
  assert.equal(got.length, posted.length);

  // read again: whatever the kernel held, then the close
  slow.ws._socket.resume();
  const c = await slow.waitClosed(20000);
  const seen = createdIn(slow, room);
  assert.ok(seen.length < posted.length,
    `the paused client should have been cut off (it received all ${posted.length} messages: the 4 MiB send-queue bound was never applied)`);
  assert.equal(c.code, 4001, `close code 4001 for a client that cannot keep up (got ${c.code} ${c.reason})`);
  slow.assertClean();
  assert.deepEqual(seen, got.slice(0, seen.length), 'what the slow client got before the close is a prefix of the sequence, with no hole');

  // resume from the last pos it saw
  const again = await stream(laggard, { since: slow.lastPos });
  const rest = createdIn(again, room);
  assert.deepEqual([...seen, ...rest].map((m) => m.id), got.map((m) => m.id), 'resume delivers exactly the rest: no gap, no duplicate');
  assert.deepEqual([...seen, ...rest].map((m) => m.pos), got.map((m) => m.pos));
  const live = await postMessage(poster, room, 'small one after the flood');
  await again.waitForEvent((e) => e.data?.message_id === live, 15000, 'live after the resume');
  again.assertClean();
  normal.assertClean();
  t.diagnostic(`slow consumer: ${posted.length} messages (${(normal.bytes / 1048576).toFixed(1)} MiB); the paused client got ${seen.length} before close ${c.code}, ${rest.length} on resume`);
});

test('resuming after missing far more than 4 MiB of large events catches up page by page, without a 4001', { timeout: 60000 }, async (t) => {
  const org = await makeOrg(srv, 'Resume Big Org');
  const [poster, reader] = await makeUsers(srv, org, ['Big Poster', 'Big Reader']);
  const room = await makeRoom(poster, { name: 'Missed big messages', members: [reader] });
  const probe = await stream(reader);
  const since = probe.lastPos;
  probe.terminate();
  const COUNT = 150; // × ~64 KiB ≈ 9.4 MiB of events
  const filler = 'y'.repeat(65500);
  const posted = await poolMap(Array.from({ length: COUNT }, (_, i) => i), 8, (i) => postMessage(poster, room, `missed ${i} ${filler}`.slice(0, 65535)));
  const s = await stream(reader, { since, waitReady: false });
  await s.waitFor((x) => x.ready || x.isClosed, 30000, 'ready (or a close)');
  assert.ok(!s.isClosed, `the resumed stream must not be closed while catching up (closed ${s.closeCode} ${s.closeReason} after ${s.events.length} events)`);
  const got = createdIn(s, room).map((m) => m.id);
  assert.deepEqual(got, posted.slice().sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)), 'every missed message once, in order');
  s.assertClean();
  t.diagnostic(`resume into ${(s.bytes / 1048576).toFixed(1)} MiB: ${s.frames} frames`);
});

// Regression (found by this suite): one group commit of many 65,000-character messages
// (~190 KB of JSON each) once closed every reader of the room with 4001, however fast it read.
// Only clients that fall behind may be closed.
test('a client that keeps reading is not closed by a burst of large messages committed together', {
  timeout: 60000,
}, async (t) => {
  const org = await makeOrg(srv, 'Burst Org');
  const [poster, reader] = await makeUsers(srv, org, ['Burst Poster', 'Burst Reader']);
  const room = await makeRoom(poster, { name: 'Burst', members: [reader] });
  const s = await stream(reader);
  const COUNT = 128;
  const body = 'あ'.repeat(65000);
  const posted = await poolMap(Array.from({ length: COUNT }, (_, i) => i), 64, (i) => postMessage(poster, room, `${i} ${body}`));
  await s.waitFor((x) => createdIn(x, room).length >= COUNT || x.isClosed, 30000, `${COUNT} messages (or a close)`);
  t.diagnostic(`burst: ${createdIn(s, room).length}/${COUNT} delivered in ${s.frames} frames, closed: ${s.closeCode ?? 'no'}`);
  assert.ok(!s.isClosed, `a reading client was closed with ${s.closeCode} (${s.closeReason}) after ${createdIn(s, room).length} of ${COUNT} messages`);
  assert.deepEqual(new Set(createdIn(s, room).map((m) => m.id)), new Set(posted));
});
