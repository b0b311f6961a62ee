// The store's badges against a fake server: events in, counts and the requests made out.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Room } from '../src/api/types';
import { Store } from '../src/ui/store';

const ME = 7;
const ALICE = 3;

class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close() {}
}

function room(id: number, patch: Partial<Room> = {}): Room {
  return { room_id: id, name: `Room ${id}`, type: 'group', role: 'member', sticky: false, unread_num: 0, mention_num: 0, mytask_num: 0, message_num: 10, icon_path: '', last_update_time: 1000, ...patch };
}

// The server's side: the rooms as it would answer them, and every request the client made.
function fakeServer() {
  const rooms = new Map<number, Room>([[1, room(1)], [2, room(2)]]);
  const requests: string[] = [];
  // A request can be held to let events cross it.
  let hold: { match: string; release: Promise<void> } | null = null;
  const json = (body: unknown, status = 200) => new Response(body === undefined ? '' : JSON.stringify(body), { status });
  const fetch = vi.fn(async (url: string, init: { method: string }) => {
    const path = url.split('?')[0];
    const key = `${init.method} ${path}`;
    requests.push(key);
    // What the answer says is decided when the request arrives (its snapshot); it may be held.
    let answer: () => Response;
    let m: RegExpExecArray | null;
    if (key === 'GET /kaiwa/v1/session') answer = () => json({ account_id: ME, csrf_token: 'csrf' });
    else if (key === 'GET /v2/me') answer = () => json({ account_id: ME, name: 'Me', avatar_image_url: '', room_id: 1, chatwork_id: '', organization_name: '' });
    else if (key === 'GET /v2/rooms') {
      const snap = [...rooms.values()].map((r) => ({ ...r }));
      answer = () => json(snap);
    } else if ((m = /^GET \/v2\/rooms\/(\d+)$/.exec(key))) {
      const snap = { ...rooms.get(Number(m[1]))! };
      answer = () => json(snap);
    } else if (/^GET \/v2\/rooms\/\d+\/members$/.test(key)) answer = () => json([{ account_id: ME, name: 'Me', avatar_image_url: '', role: 'member' }, { account_id: ALICE, name: 'Alice', avatar_image_url: '', role: 'member' }]);
    else if (/^GET \/kaiwa\/v1\/rooms\/\d+\/messages$/.test(key)) answer = () => json({ messages: [], has_more_before: false, has_more_after: false });
    else if ((m = /^PUT \/v2\/rooms\/(\d+)\/messages\/read$/.exec(key))) {
      const r = rooms.get(Number(m[1]))!;
      r.unread_num = 0;
      r.mention_num = 0;
      answer = () => json({ unread_num: 0, mention_num: 0 });
    } else throw new Error(`unexpected ${key}`);
    if (hold && key === hold.match) {
      const h = hold;
      hold = null;
      await h.release;
    }
    return answer();
  });
  return {
    rooms,
    requests,
    fetch,
    holdNext(match: string) {
      let release!: () => void;
      hold = { match, release: new Promise<void>((r) => (release = r)) };
      return () => release();
    },
  };
}

let pos = 100;
function frame(socket: FakeSocket, items: unknown[]) {
  socket.onmessage?.({ data: JSON.stringify(items) });
}
function ev(type: string, data: Record<string, unknown>) {
  return { pos: ++pos, type, created_at_ms: 0, data };
}
let nextMessage = 5000;
function message(roomId: number, accountId: number, body: string) {
  return ev('message_created', { room_id: roomId, message_id: String(++nextMessage), account_id: accountId, body, send_time: 2000, update_time: 0 });
}

let visibility: 'visible' | 'hidden' = 'visible';
const docListeners: Array<() => void> = [];

async function setup() {
  const server = fakeServer();
  vi.stubGlobal('fetch', server.fetch);
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('document', { get visibilityState() { return visibility; }, addEventListener: (_: string, fn: () => void) => docListeners.push(fn) });
  vi.stubGlobal('window', { addEventListener: () => {} });
  const location = { pathname: '/rooms/1', search: '', protocol: 'http:', host: 'kaiwa.test' };
  vi.stubGlobal('location', location);
  vi.stubGlobal('history', { pushState: (_: unknown, __: string, path: string) => { location.pathname = path; }, replaceState: (_: unknown, __: string, path: string) => { location.pathname = path; } });
  vi.stubGlobal('navigator', { language: 'en', languages: ['en'] });
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} });
  const store = new Store();
  await store.boot();
  await vi.advanceTimersByTimeAsync(300);
  const socket = FakeSocket.all[FakeSocket.all.length - 1];
  frame(socket, [{ type: 'ready', pos }]);
  server.requests.length = 0; // what boot asked is not the test's business
  const counts = (id: number) => {
    const r = store.room(id)!;
    return { unread: r.unread_num, mention: r.mention_num };
  };
  return { store, server, socket, counts, send: (...items: unknown[]) => frame(socket, items), settle: () => vi.advanceTimersByTimeAsync(500) };
}

beforeEach(() => {
  vi.useFakeTimers();
  visibility = 'visible';
  docListeners.length = 0;
  FakeSocket.all = [];
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('badges counted from the stream', () => {
  it('counts messages in another room with no request at all', async () => {
    const { store, server, counts, send, settle } = await setup();
    expect(store.state.roomId).toBe(1);
    send(
      message(2, ALICE, 'one'),
      message(2, ALICE, `[To:${ME}] two`),
      message(2, ALICE, `[qt][qtmeta aid=${ALICE}][To:${ME}] quoted[/qt] three`),
      message(2, ALICE, `[code][To:${ME}][/code] four`),
      message(2, ALICE, `[rp aid=${ME}] five`),
      message(2, ME, `[To:${ME}] my own`),
    );
    await settle();
    expect(counts(2)).toEqual({ unread: 5, mention: 2 });
    expect(store.room(2)!.message_num).toBe(16);
    expect(store.room(2)!.last_update_time).toBe(2000);
    expect(server.requests).toEqual([]);
  });

  it('[toall] counts for everyone but its author', async () => {
    const { counts, send, settle, server } = await setup();
    send(message(2, ALICE, '[toall] meeting'), message(2, ME, '[toall] from me'));
    await settle();
    expect(counts(2)).toEqual({ unread: 1, mention: 1 });
    expect(server.requests).toEqual([]);
  });

  it('marks the room being read with one PUT per burst and no GET', async () => {
    const { counts, send, settle, server } = await setup();
    send(message(1, ALICE, 'a'), message(1, ALICE, `[To:${ME}] b`), message(1, ALICE, 'c'));
    expect(counts(1)).toEqual({ unread: 0, mention: 0 }); // never shown as unread
    await settle();
    expect(server.requests).toEqual(['PUT /v2/rooms/1/messages/read']);
    // Our own message needs nothing.
    send(message(1, ME, 'mine'));
    await settle();
    expect(server.requests).toEqual(['PUT /v2/rooms/1/messages/read']);
  });

  it('keeps one PUT in flight per room; messages meanwhile make exactly one more', async () => {
    const { send, settle, server } = await setup();
    const release = server.holdNext('PUT /v2/rooms/1/messages/read');
    send(message(1, ALICE, 'a'));
    await vi.advanceTimersByTimeAsync(200);
    expect(server.requests).toEqual(['PUT /v2/rooms/1/messages/read']);
    for (let i = 0; i < 5; i++) {
      send(message(1, ALICE, `more ${i}`));
      await vi.advanceTimersByTimeAsync(200);
    }
    // Our own PUT coming back as messages_read needs nothing either.
    send(ev('messages_read', { room_id: 1, account_id: ME, read_seq: 11 }));
    expect(server.requests).toEqual(['PUT /v2/rooms/1/messages/read']);
    release();
    await settle();
    expect(server.requests).toEqual(['PUT /v2/rooms/1/messages/read', 'PUT /v2/rooms/1/messages/read']);
  });

  it('opening a room clears its badges with one PUT and no GET', async () => {
    const { store, counts, send, settle, server } = await setup();
    send(message(2, ALICE, 'a'), message(2, ALICE, `[To:${ME}] b`));
    server.rooms.get(2)!.unread_num = 2;
    server.rooms.get(2)!.mention_num = 1;
    await settle();
    expect(counts(2)).toEqual({ unread: 2, mention: 1 });
    await store.selectRoom(2);
    await settle();
    expect(counts(2)).toEqual({ unread: 0, mention: 0 });
    expect(server.requests.filter((r) => !r.endsWith('/members') && !r.startsWith('GET /kaiwa/v1/rooms/'))).toEqual(['PUT /v2/rooms/2/messages/read']);
  });
});

describe('what cannot be counted falls back to one GET of the room', () => {
  it('a deleted message while the room has unread ones: one GET per burst', async () => {
    const { counts, send, settle, server } = await setup();
    send(message(2, ALICE, 'a'), message(2, ALICE, 'b'));
    server.rooms.get(2)!.unread_num = 1;
    server.rooms.get(2)!.message_num = 11;
    send(ev('message_deleted', { room_id: 2, message_id: '1', account_id: ALICE }), ev('message_deleted', { room_id: 2, message_id: '2', account_id: ALICE }));
    await settle();
    expect(server.requests).toEqual(['GET /v2/rooms/2']);
    expect(counts(2)).toEqual({ unread: 1, mention: 0 });
  });

  it('a deleted message in a room with nothing unread asks nothing', async () => {
    const { send, settle, server } = await setup();
    send(ev('message_deleted', { room_id: 2, message_id: '1', account_id: ALICE }));
    await settle();
    expect(server.requests).toEqual([]);
  });

  it('messages_read from another tab: nothing when already zero, else one GET; others’ reads ignored', async () => {
    const { counts, send, settle, server } = await setup();
    send(ev('messages_read', { room_id: 2, account_id: ME, read_seq: 10 }), ev('messages_read', { room_id: 2, account_id: ALICE, read_seq: 10 }));
    await settle();
    expect(server.requests).toEqual([]);
    send(message(2, ALICE, 'a'));
    await settle();
    expect(counts(2).unread).toBe(1);
    send(ev('messages_read', { room_id: 2, account_id: ME, read_seq: 11 }));
    server.rooms.get(2)!.message_num = 11;
    await settle();
    expect(server.requests).toEqual(['GET /v2/rooms/2']);
    expect(counts(2)).toEqual({ unread: 0, mention: 0 });
  });

  it('messages_unread, an edit with unread messages, and a membership change each ask once', async () => {
    const { send, settle, server } = await setup();
    send(ev('messages_unread', { room_id: 2, account_id: ME, read_seq: 5 }), ev('messages_unread', { room_id: 2, account_id: ME, read_seq: 4 }));
    await settle();
    expect(server.requests).toEqual(['GET /v2/rooms/2']);
    server.requests.length = 0;
    send(ev('message_updated', { room_id: 2, message_id: '9', account_id: ALICE, body: 'x', send_time: 1, update_time: 2 }));
    await settle();
    expect(server.requests).toEqual([]); // nothing unread there: an edit cannot change the counts
    send(message(2, ALICE, 'a'), ev('message_updated', { room_id: 2, message_id: '9', account_id: ALICE, body: `[To:${ME}]`, send_time: 1, update_time: 2 }));
    await settle();
    expect(server.requests).toEqual(['GET /v2/rooms/2']);
  });
});

describe('the self-check against drift', () => {
  it('re-reads GET /v2/rooms once when the tab becomes visible; the open room is then marked read', async () => {
    const { counts, send, settle, server } = await setup();
    visibility = 'hidden';
    send(message(1, ALICE, 'while away'), message(2, ALICE, 'elsewhere'));
    await settle();
    expect(counts(1)).toEqual({ unread: 1, mention: 0 }); // not being read: the tab is hidden
    expect(server.requests).toEqual([]);
    for (const r of [1, 2]) Object.assign(server.rooms.get(r)!, { unread_num: 1, message_num: 11 });
    server.rooms.get(2)!.unread_num = 4; // the server knows better (e.g. a self_unread post)
    visibility = 'visible';
    for (const fn of docListeners) fn();
    await settle();
    expect(server.requests).toEqual(['GET /v2/rooms', 'PUT /v2/rooms/1/messages/read']);
    expect(counts(1)).toEqual({ unread: 0, mention: 0 });
    expect(counts(2)).toEqual({ unread: 4, mention: 0 });
  });

  it('re-reads GET /v2/rooms once after a reconnect', async () => {
    const { socket, settle, server } = await setup();
    socket.onclose?.({ code: 1006 });
    await vi.advanceTimersByTimeAsync(1500);
    const again = FakeSocket.all[FakeSocket.all.length - 1];
    expect(again).not.toBe(socket);
    expect(again.url).toContain(`since=${pos}`);
    frame(again, [{ type: 'ready', pos }]);
    await settle();
    expect(server.requests).toEqual(['GET /v2/rooms']);
  });

  it('merges a snapshot with the events that crossed it, either way', async () => {
    const { store, counts, send, settle, server } = await setup();
    // The snapshot is taken before this message: the event arrives before its answer.
    const release = server.holdNext('GET /v2/rooms');
    const check = store.counters.checkAll();
    await vi.advanceTimersByTimeAsync(0);
    send(message(2, ALICE, `[To:${ME}] crossed`));
    expect(counts(2)).toEqual({ unread: 1, mention: 1 });
    release();
    await check;
    expect(counts(2)).toEqual({ unread: 1, mention: 1 }); // not lost
    // The snapshot already has a message whose event comes after its answer: not counted twice.
    Object.assign(server.rooms.get(2)!, { unread_num: 2, mention_num: 1, message_num: 12 });
    await store.counters.checkAll();
    expect(counts(2)).toEqual({ unread: 2, mention: 1 });
    send(message(2, ALICE, 'late event'));
    expect(counts(2)).toEqual({ unread: 2, mention: 1 });
    send(message(2, ALICE, 'new one'));
    expect(counts(2)).toEqual({ unread: 3, mention: 1 });
    await settle();
    expect(server.requests).toEqual(['GET /v2/rooms', 'GET /v2/rooms']);
  });
});
