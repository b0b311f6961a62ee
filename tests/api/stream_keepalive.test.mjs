// Event stream liveness, byte by byte on a raw socket: the server pings a silent client and hangs
// up on one that stays silent; the close handshake both ways (the client's close is echoed; a
// client that never answers the server's close is cut off). The server runs with
// --ws-ping-seconds 1 so the timeouts take seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer } from './support/server.mjs';
import { makeOrg, makeUsers } from './support/fixtures.mjs';
import { rawUpgrade, within } from './support/stream.mjs';

let srv;
let org;

before(async () => {
  srv = await startServer({ extraArgs: ['--ws-ping-seconds', '1'] });
  org = await makeOrg(srv, 'Keepalive Org');
});

after(async () => {
  await srv?.stop();
});

/** Server frames (unmasked) as they arrive on a raw connection: [{opcode, payload}]. */
function frameReader(raw) {
  const frames = [];
  let buf = Buffer.concat(raw.received);
  const waiters = [];
  const parse = () => {
    for (;;) {
      if (buf.length < 2) return;
      let length = buf[1] & 0x7f;
      let offset = 2;
      if (length === 126) { if (buf.length < 4) return; length = buf.readUInt16BE(2); offset = 4; }
      else if (length === 127) { if (buf.length < 10) return; length = Number(buf.readBigUInt64BE(2)); offset = 10; }
      assert.equal(buf[1] & 0x80, 0, 'server frames are not masked');
      if (buf.length < offset + length) return;
      frames.push({ opcode: buf[0] & 0x0f, fin: (buf[0] & 0x80) !== 0, payload: buf.subarray(offset, offset + length), at: Date.now() });
      buf = buf.subarray(offset + length);
    }
  };
  parse();
  raw.socket.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    parse();
    for (const w of waiters.splice(0)) w();
  });
  return {
    frames,
    async next(pred, ms, what) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = frames.find(pred);
        if (found) return found;
        const left = deadline - Date.now();
        assert.ok(left > 0, `timed out waiting for ${what}`);
        await within(new Promise((r) => waiters.push(r)), left);
      }
    },
  };
}

/** A client frame: masked, final. */
function clientFrame(opcode, payload = Buffer.alloc(0)) {
  const mask = crypto.randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}

const kText = 0x1;
const kClose = 0x8;
const kPing = 0x9;
const kPong = 0xa;

test('a silent client is pinged; answering keeps it open, staying silent gets it closed', { timeout: 30000 }, async () => {
  const [a] = await makeUsers(srv, org, ['Silent A']);
  const raw = await rawUpgrade(srv.url, a.api_token);
  assert.ok(raw.accepted, raw.response);
  const reader = frameReader(raw);
  await reader.next((f) => f.opcode === kText, 5000, 'the first events');

  // Five seconds of answering every ping: pinged about once per silent second, never closed.
  const answered = new Set();
  let lastWord = Date.now();
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    for (const f of reader.frames) {
      if (f.opcode === kPing && !answered.has(f)) {
        answered.add(f);
        raw.socket.write(clientFrame(kPong, f.payload));
        lastWord = Date.now();
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(answered.size >= 2, `pinged at least twice in 5 s of silence (got ${answered.size})`);
  assert.ok(!reader.frames.some((f) => f.opcode === kClose), 'a client that answers pings stays open');
  assert.equal(await within(raw.ended, 10), false, 'the connection is still open');

  // Now silent: hung up on after twice the ping interval, counted in the server's whole seconds
  // (so a little over one second at the earliest), plus the sweep's second and some slack.
  assert.ok(await within(raw.ended, 6000), 'a client that stops answering is hung up on');
  const after = Date.now() - lastWord;
  assert.ok(after >= 900, `not before the ping interval has passed (closed ${after} ms after the last pong)`);
});

test('a client\'s close is answered with the same code, then the server hangs up', { timeout: 20000 }, async () => {
  const [a] = await makeUsers(srv, org, ['Closer A']);
  const raw = await rawUpgrade(srv.url, a.api_token);
  assert.ok(raw.accepted, raw.response);
  const reader = frameReader(raw);
  await reader.next((f) => f.opcode === kText, 5000, 'the first events');
  const payload = Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from('bye')]); // 4000
  raw.socket.write(clientFrame(kClose, payload));
  const close = await reader.next((f) => f.opcode === kClose, 5000, 'the server\'s close');
  assert.equal(close.payload.readUInt16BE(0), 4000, 'the close code is echoed');
  assert.ok(await within(raw.ended, 5000), 'the server closes the TCP connection after its close');

  // A close without a code is answered without one.
  const raw2 = await rawUpgrade(srv.url, a.api_token);
  const reader2 = frameReader(raw2);
  raw2.socket.write(clientFrame(kClose));
  const close2 = await reader2.next((f) => f.opcode === kClose, 5000, 'the server\'s close');
  assert.equal(close2.payload.length, 0);
  assert.ok(await within(raw2.ended, 5000));
});

test('pings from the client get pongs with the same payload; a close the client never answers is cut off', { timeout: 30000 }, async () => {
  const [a] = await makeUsers(srv, org, ['Pinger A']);
  const { api_token: token } = await srv.admin('token', 'create', '--account', a.account_id);
  const raw = await rawUpgrade(srv.url, token);
  assert.ok(raw.accepted, raw.response);
  const reader = frameReader(raw);
  raw.socket.write(clientFrame(kPing, Buffer.from('are you there')));
  const pong = await reader.next((f) => f.opcode === kPong, 5000, 'a pong');
  assert.equal(pong.payload.toString(), 'are you there');

  // Revoking the token makes the server close with 4003; this client keeps talking (pings of
  // its own, so it is never silent) but never answers the close, so the server hangs up after
  // its close timeout (5 s).
  const keepAnswering = setInterval(() => raw.socket.write(clientFrame(kPing, Buffer.from('still here'))), 300);
  try {
    assert.deepEqual(await srv.admin('token', 'revoke', '--token', token), {});
    const close = await reader.next((f) => f.opcode === kClose, 10000, 'the 4003 close');
    assert.equal(close.payload.readUInt16BE(0), 4003);
    const sentAt = close.at;
    assert.ok(await within(raw.ended, 9000), 'hung up on after the close timeout');
    const waited = Date.now() - sentAt;
    assert.ok(waited >= 3000, `the server waited for the client's close first (${waited} ms)`);
  } finally {
    clearInterval(keepAnswering);
  }
});
