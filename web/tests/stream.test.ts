import { describe, expect, it } from 'vitest';
import { backoffMs, StreamClient, type SocketLike, type StreamEvent, type StreamStatus } from '../src/realtime/stream';

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  open() { this.onopen?.({}); }
  send(items: unknown[]) { this.onmessage?.({ data: JSON.stringify(items) }); }
  drop(code = 1006) { this.onclose?.({ code }); }
  close() { this.closed = true; }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const events: StreamEvent[] = [];
  const statuses: StreamStatus[] = [];
  const auth: boolean[] = [];
  let resyncs = 0;
  const client = new StreamClient({
    url: (since) => `/kaiwa/v1/stream${since === undefined ? '' : `?since=${since}`}`,
    createSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    onEvents: (e) => events.push(...e),
    onResync: () => { resyncs++; },
    onStatus: (s) => statuses.push(s),
    onAuthProblem: (revoked) => auth.push(revoked),
    setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimer: () => {},
    random: () => 0.5,
  });
  const fire = () => timers.shift()!.fn();
  return { client, sockets, timers, events, statuses, auth, fire, resyncs: () => resyncs };
}

const ev = (pos: number, type = 'message_created') => ({ pos, type, created_at_ms: 1, data: { room_id: 1 } });

describe('StreamClient', () => {
  it('starts at the present, then resumes from the last position after a drop', () => {
    const h = harness();
    h.client.start();
    expect(h.sockets[0].url).toBe('/kaiwa/v1/stream');
    h.sockets[0].open();
    h.sockets[0].send([{ type: 'ready', pos: 10 }]);
    expect(h.statuses).toEqual(['live']);
    h.sockets[0].send([ev(11), ev(12, 'messages_read')]);
    h.sockets[0].drop(1012);
    expect(h.statuses.at(-1)).toBe('offline');
    expect(h.timers).toHaveLength(1);
    h.fire();
    expect(h.sockets[1].url).toBe('/kaiwa/v1/stream?since=12');
    h.sockets[1].open();
    h.sockets[1].send([ev(12), ev(13), { type: 'ready', pos: 13 }]);
    expect(h.events.map((e) => e.pos)).toEqual([11, 12, 13]);
    expect(h.statuses.at(-1)).toBe('live');
  });

  it('resumes from a ready position even when no event came', () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].send([{ type: 'ready', pos: 42 }]);
    h.sockets[0].drop();
    h.fire();
    expect(h.sockets[1].url).toBe('/kaiwa/v1/stream?since=42');
  });

  it('backs off exponentially while the server is down and resets once live', () => {
    const h = harness();
    h.client.start(5);
    expect(h.sockets[0].url).toBe('/kaiwa/v1/stream?since=5');
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      h.sockets.at(-1)!.drop(1006);
      delays.push(h.timers[0].ms);
      h.fire();
    }
    expect(delays).toEqual([750, 1500, 3000, 6000, 12000]);
    expect(h.sockets.at(-1)!.url).toBe('/kaiwa/v1/stream?since=5');
    expect(h.auth).toEqual([false]); // asked the app to check the session after repeated failures
    h.sockets.at(-1)!.open();
    h.sockets.at(-1)!.send([{ type: 'ready', pos: 5 }]);
    h.sockets.at(-1)!.drop(1012);
    expect(h.timers[0].ms).toBe(375);
  });

  it('caps the backoff', () => {
    expect(backoffMs(30, 1006, () => 1)).toBe(30000);
    expect(backoffMs(30, 1006, () => 0)).toBe(15000);
  });

  it('reports a resync and continues after its position', () => {
    const h = harness();
    h.client.start(3);
    h.sockets[0].open();
    h.sockets[0].send([{ type: 'resync', pos: 900 }, ev(901), { type: 'ready', pos: 901 }]);
    expect(h.resyncs()).toBe(1);
    expect(h.events.map((e) => e.pos)).toEqual([901]);
    h.sockets[0].drop();
    h.fire();
    expect(h.sockets[1].url).toBe('/kaiwa/v1/stream?since=901');
  });

  it('stops on a revoked session', () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].drop(4003);
    expect(h.auth).toEqual([true]);
    expect(h.timers).toHaveLength(0);
  });

  it('ignores malformed frames and does nothing after stop', () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].onmessage?.({ data: 'not json' });
    h.sockets[0].onmessage?.({ data: '{"pos":1}' });
    h.client.stop();
    expect(h.sockets[0].closed).toBe(true);
    expect(h.events).toEqual([]);
    expect(h.timers).toHaveLength(0);
  });

  it('reconnects at once when nudged while waiting', () => {
    const h = harness();
    h.client.start();
    h.sockets[0].drop();
    h.client.nudge();
    expect(h.sockets).toHaveLength(2);
  });
});
