// Event-stream client for the black-box tests: GET /kaiwa/v1/stream over WebSocket (the `ws`
// package). A Stream collects everything the server sends, checks the framing as it goes (each
// text frame a JSON array of objects; event positions strictly increasing on one connection),
// and offers waitFor(predicate) for the tests.
import net from 'node:net';
import crypto from 'node:crypto';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

/** ws://host:port/kaiwa/v1/stream?since=…&ticket=… */
export function streamUrl(baseUrl, { since, ticket, query } = {}) {
  const u = new URL('/kaiwa/v1/stream', baseUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  if (since !== undefined && since !== null) u.searchParams.set('since', String(since));
  if (ticket !== undefined) u.searchParams.set('ticket', ticket);
  for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, String(v));
  return u.toString();
}

const isNotice = (o) => o && (o.type === 'ready' || o.type === 'resync') && !('data' in o);

export class Stream {
  constructor(ws, label) {
    this.ws = ws;
    this.label = label;
    this.items = []; // every object received, in order (events and notices)
    this.events = []; // objects with data (real events)
    this.notices = []; // {type: ready|resync, pos}
    this.frames = 0;
    this.bytes = 0;
    this.errors = []; // framing / ordering violations seen by the client
    this.lastPos = null; // pos of the last object received (event or notice): the resume token
    this.lastEventPos = null;
    this.closeCode = null;
    this.closeReason = null;
    this.socketError = null;
    this.waiters = new Set();
    this.closed = new Promise((resolve) => { this.resolveClosed = resolve; });
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('error', (e) => { this.socketError = e.message; this.#wake(); });
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
      this.resolveClosed({ code, reason: this.closeReason });
      this.#wake();
    });
  }

  #onMessage(data, isBinary) {
    this.frames += 1;
    this.bytes += data.length;
    if (isBinary) {
      this.errors.push(`frame ${this.frames}: binary frame; the stream sends text frames`);
      return;
    }
    let arr;
    try {
      arr = JSON.parse(data.toString('utf8'));
    } catch (e) {
      this.errors.push(`frame ${this.frames}: not JSON (${e.message}): ${data.toString('utf8').slice(0, 200)}`);
      return;
    }
    if (!Array.isArray(arr) || arr.length === 0) {
      this.errors.push(`frame ${this.frames}: expected a non-empty JSON array, got ${data.toString('utf8').slice(0, 200)}`);
      return;
    }
    for (const o of arr) {
      if (!o || typeof o !== 'object' || Array.isArray(o) || typeof o.type !== 'string' || !Number.isInteger(o.pos)) {
        this.errors.push(`frame ${this.frames}: item is not {type, pos, …}: ${JSON.stringify(o).slice(0, 200)}`);
        continue;
      }
      this.items.push(o);
      if (isNotice(o)) {
        this.notices.push(o);
        if (this.lastPos !== null && o.pos < this.lastPos) {
          this.errors.push(`${o.type} notice at pos ${o.pos} after pos ${this.lastPos}`);
        }
      } else {
        if (!Number.isInteger(o.created_at_ms) || !o.data || typeof o.data !== 'object' || Array.isArray(o.data)) {
          this.errors.push(`event is not {pos, type, created_at_ms, data:{…}}: ${JSON.stringify(o).slice(0, 200)}`);
        }
        if (this.lastEventPos !== null && o.pos <= this.lastEventPos) {
          this.errors.push(`event pos ${o.pos} (${o.type}) does not increase (previous event pos ${this.lastEventPos})`);
        }
        if (this.lastPos !== null && o.pos <= this.lastPos) {
          this.errors.push(`event pos ${o.pos} (${o.type}) not after the previous item's pos ${this.lastPos}`);
        }
        this.lastEventPos = o.pos;
        this.events.push(o);
      }
      this.lastPos = o.pos;
    }
    this.#wake();
  }

  #wake() {
    for (const w of [...this.waiters]) w();
  }

  get isClosed() { return this.closeCode !== null; }
  get ready() { return this.notices.some((n) => n.type === 'ready'); }

  /** Resolves with predicate's truthy value, checked after every frame and at close. */
  waitFor(predicate, timeoutMs = 15000, what = 'condition') {
    return new Promise((resolve, reject) => {
      let timer;
      const check = () => {
        let v;
        try { v = predicate(this); } catch (e) { cleanup(); reject(e); return true; }
        if (v) { cleanup(); resolve(v); return true; }
        return false;
      };
      const cleanup = () => { clearTimeout(timer); this.waiters.delete(check); };
      if (check()) return;
      this.waiters.add(check);
      timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for ${what}; ` +
          `received ${this.items.length} items (${this.events.length} events, last pos ${this.lastPos}), ` +
          `closed: ${this.isClosed ? `${this.closeCode} ${this.closeReason}` : 'no'}; ` +
          `last items: ${JSON.stringify(this.items.slice(-3)).slice(0, 600)}`));
      }, timeoutMs);
    });
  }

  /** Waits for an event (not a notice) matching pred; returns it. */
  waitForEvent(pred, timeoutMs = 15000, what = 'an event') {
    return this.waitFor((s) => s.events.find(pred), timeoutMs, what);
  }

  /** Waits until `n` events match pred; returns them. */
  async waitForCount(pred, n, timeoutMs = 15000, what = `${n} events`) {
    await this.waitFor((s) => s.events.filter(pred).length >= n, timeoutMs, what);
    return this.events.filter(pred);
  }

  waitReady(timeoutMs = 15000) {
    return this.waitFor((s) => s.notices.find((x) => x.type === 'ready'), timeoutMs, 'the ready notice');
  }

  waitClosed(timeoutMs = 15000) {
    return this.waitFor((s) => (s.isClosed ? { code: s.closeCode, reason: s.closeReason } : null), timeoutMs, 'the close');
  }

  /** Events of a type (optionally in a room). */
  ofType(type, roomId) {
    return this.events.filter((e) => e.type === type && (roomId === undefined || e.data?.room_id === roomId));
  }

  /** Events about a room (data.room_id). */
  inRoom(roomId) { return this.events.filter((e) => e.data?.room_id === roomId); }

  assertClean() {
    assert.deepEqual(this.errors, [], `${this.label}: stream protocol violations`);
  }

  close(code = 1000) {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
    return this.closed;
  }

  terminate() {
    this.ws.terminate();
    return this.closed;
  }
}

function headersFor(token, auth) {
  if (token === undefined || token === null || auth === 'none') return {};
  if (auth === 'bearer') return { Authorization: `Bearer ${token}` };
  return { 'X-ChatWorkToken': token };
}

/**
 * Try to open a stream. Resolves {stream} on success (after the upgrade; use waitReady), or
 * {status, headers, text, json} when the server answers the upgrade request without 101.
 * opts: since, ticket, auth ('x-chatworktoken' | 'bearer' | 'none'), label, headers, query.
 */
export function tryOpenStream(baseUrl, token, opts = {}) {
  const url = streamUrl(baseUrl, opts);
  const ws = new WebSocket(url, {
    headers: { ...headersFor(token, opts.auth), ...(opts.headers ?? {}) },
    perMessageDeflate: false,
    handshakeTimeout: opts.handshakeTimeoutMs ?? 10000,
    maxPayload: 256 * 1024 * 1024,
  });
  const stream = new Stream(ws, opts.label ?? `stream(${url.replace(/^.*\/kaiwa/, '/kaiwa')})`);
  return new Promise((resolve, reject) => {
    let settled = false;
    ws.on('unexpected-response', (req, res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        settled = true;
        resolve({ status: res.statusCode, headers: res.headers, text, json });
        req.destroy();
      });
    });
    ws.once('open', () => { settled = true; resolve({ stream }); });
    ws.once('error', (e) => { if (!settled) { settled = true; reject(new Error(`opening ${url}: ${e.message}`)); } });
  });
}

/** Open a stream that must succeed; by default waits for its ready notice. */
export async function openStream(baseUrl, token, opts = {}) {
  const r = await tryOpenStream(baseUrl, token, opts);
  assert.ok(r.stream, `opening the stream (since=${opts.since}) must upgrade, got ${r.status} ${r.text}`);
  if (opts.waitReady !== false) await r.stream.waitReady(opts.readyTimeoutMs ?? 15000);
  return r.stream;
}

/** POST /kaiwa/v1/stream/tickets; returns the parsed answer (asserts 200 and its shape). */
/**
 * Streams a test file opens, closed together at the end:
 *   const streams = new StreamSet(); ... streams.open(url, user, opts); after: streams.closeAll().
 * opts.token overrides the user's token; the label names the user.
 */
export class StreamSet {
  #open = [];

  async open(baseUrl, user, opts = {}) {
    const label = `${user.name}${opts.since !== undefined ? ` since=${opts.since}` : ''}`;
    const token = opts.token ?? user.api_token;
    const s = await openStream(baseUrl, token, { label, ...opts });
    this.#open.push(s);
    return s;
  }

  closeAll() {
    for (const s of this.#open) s.terminate();
  }
}

export async function issueTicket(api, opts = {}) {
  const res = await api.request('POST', '/kaiwa/v1/stream/tickets', { form: {}, check: false, ...opts });
  assert.equal(res.status, 200, `POST /kaiwa/v1/stream/tickets → ${res.status} ${res.text}`);
  assert.match(res.headers['content-type'] ?? '', /application\/json/i);
  assert.equal(typeof res.json?.ticket, 'string', `ticket answer: ${res.text}`);
  assert.ok(res.json.ticket.length > 0);
  assert.ok(Number.isInteger(res.json.expires_in) && res.json.expires_in > 0, `expires_in: ${res.text}`);
  return res.json;
}

/** Checks the Chatwork error body of a refused upgrade. */
export function assertErrorBody(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text}`);
  assert.ok(r.json && Array.isArray(r.json.errors) && r.json.errors.length > 0 && r.json.errors.every((e) => typeof e === 'string'),
    `${what}: body must be {"errors":[…]}, got ${r.text}`);
}

/**
 * A raw TCP WebSocket client: performs the upgrade handshake by hand so the test can then
 * write arbitrary (invalid) bytes. Resolves {socket, response, received (Buffer[]), ended}.
 */
export function rawUpgrade(baseUrl, token, { path = '/kaiwa/v1/stream', timeoutMs = 10000 } = {}) {
  const u = new URL(baseUrl);
  const key = crypto.randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port) });
    let buf = Buffer.alloc(0);
    const state = { socket, response: null, received: [], ended: null };
    state.ended = new Promise((res) => socket.once('close', () => res(true)));
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('raw upgrade: no handshake answer')); }, timeoutMs);
    socket.on('error', () => { /* reported through close */ });
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nX-ChatWorkToken: ${token}\r\n\r\n`);
    });
    const onData = (d) => {
      if (state.response) { state.received.push(d); return; }
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      state.response = buf.subarray(0, end).toString('latin1');
      const rest = buf.subarray(end + 4);
      if (rest.length) state.received.push(rest);
      const expected = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      state.accepted = /^HTTP\/1\.1 101/.test(state.response) && state.response.includes(expected);
      resolve(state);
    };
    socket.on('data', onData);
  });
}

/** Polls fn() until it returns a truthy value. */
export async function eventually(fn, timeoutMs = 10000, what = 'condition', stepMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Run fn over items with at most `parallel` in flight; results in order. */
export async function poolMap(items, parallel, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

/** The message_created events of a room, as [{pos, id, body, account_id}]. */
export function createdIn(stream, roomId) {
  return stream.ofType('message_created', roomId).map((e) => ({
    pos: e.pos, id: e.data.message_id, body: e.data.body, account_id: e.data.account_id,
  }));
}

/** Asserts the shape of a message_created / message_updated event's data. */
export function assertMessageData(e, { roomId, messageId, accountId, body } = {}) {
  const d = e.data;
  assert.equal(typeof d.message_id, 'string', `${e.type}.data.message_id must be a string: ${JSON.stringify(d).slice(0, 200)}`);
  assert.match(d.message_id, /^[1-9][0-9]*$/);
  assert.ok(Number.isInteger(d.room_id), `${e.type}.data.room_id`);
  assert.ok(Number.isInteger(d.account_id), `${e.type}.data.account_id`);
  assert.equal(typeof d.body, 'string', `${e.type}.data.body`);
  assert.ok(Number.isInteger(d.send_time), `${e.type}.data.send_time`);
  assert.ok(Number.isInteger(d.update_time), `${e.type}.data.update_time`);
  if (roomId !== undefined) assert.equal(d.room_id, roomId, `${e.type}.data.room_id`);
  if (messageId !== undefined) assert.equal(d.message_id, messageId, `${e.type}.data.message_id`);
  if (accountId !== undefined) assert.equal(d.account_id, accountId, `${e.type}.data.account_id`);
  if (body !== undefined) assert.equal(d.body, body, `${e.type}.data.body`);
}

/** Resolves with the promise's value, or with `fallback` after ms (the timer is cleared either way). */
export function within(promise, ms, fallback = false) {
  let timer;
  const t = new Promise((resolve) => { timer = setTimeout(() => resolve(fallback), ms); });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}
