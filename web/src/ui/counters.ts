// Live unread and mention badges. The common case — a message from someone else — is counted
// here from the stream event, with the server's own rule for mentions, so a message in a room of
// a thousand readers costs no request per reader. Reading the open room is one PUT (which answers
// the new counts), coalesced; what cannot be computed exactly falls back to one GET of the room;
// and the whole list is re-read once when the tab comes back or the stream reconnects.
import type { KaiwaApi } from '../api/kaiwa';
import { ApiError } from '../api/http';
import type { Room } from '../api/types';

// ---- The mention rule: a port of src/core/message_markup.cc (api notes §7.4) ----------------

export interface Mentions {
  // Accounts named by [To:X] or [rp aid=X ...], de-duplicated, in order of first appearance.
  ids: bigint[];
  // [toall] was present: every member except the author is mentioned.
  toAll: boolean;
}

const kCodeOpen = '[code]';
const kCodeClose = '[/code]';
const kQuoteOpen = '[qt]';
const kQuoteClose = '[/qt]';
const kToAll = '[toall]';
const kToPrefix = '[To:';
const kReplyPrefix = '[rp ';
const kAidKey = 'aid=';
const kInt64Max = 9223372036854775807n;

const isDigit = (c: string) => c >= '0' && c <= '9';

// A non-empty run of ASCII digits whose value fits a positive int64 (leading zeros allowed).
function parsePositiveId(digits: string): bigint | null {
  if (digits.length === 0) return null;
  let start = 0;
  for (let i = 0; i < digits.length; i++) if (!isDigit(digits[i])) return null;
  while (start < digits.length && digits[start] === '0') start++;
  const significant = digits.slice(start);
  // Longer than int64's 19 digits overflows (checked by length first: linear on any input).
  if (significant.length === 0 || significant.length > 19) return null;
  const value = BigInt(significant);
  return value <= kInt64Max ? value : null;
}

// "[To:123]" at `at`.
function parseToTag(body: string, at: number): bigint | null {
  const from = at + kToPrefix.length;
  let end = from;
  while (end < body.length && isDigit(body[end])) end++;
  if (end >= body.length || body[end] !== ']') return null;
  return parsePositiveId(body.slice(from, end));
}

// "[rp attr=value ...]" at `at`: its aid. The scan stops at the next '[' (a tag never spans
// another), so a body of unterminated "[rp " tags stays linear. The first aid decides.
function parseReplyTag(body: string, at: number): bigint | null {
  let aid: bigint | null = null;
  let sawAid = false;
  let pos = at + kReplyPrefix.length;
  while (pos < body.length) {
    const c = body[pos];
    if (c === ']') return aid;
    if (c === '[') return null;
    if (c === ' ') {
      pos++;
      continue;
    }
    let end = pos;
    while (end < body.length && body[end] !== ' ' && body[end] !== ']' && body[end] !== '[') end++;
    if (!sawAid && body.startsWith(kAidKey, pos)) {
      sawAid = true;
      aid = parsePositiveId(body.slice(pos + kAidKey.length, end));
    }
    pos = end;
  }
  return null;
}

// [To:X], [rp aid=X ...] and [toall] outside [qt]…[/qt] (which nest) and outside [code]…[/code]
// (literal up to the first [/code]). Tag names are case-sensitive; anything malformed is text; an
// unclosed [qt] or [code] hides the rest of the body. Linear time, constant stack.
export function findMentions(body: string): Mentions {
  const ids: bigint[] = [];
  const seen = new Set<bigint>();
  let toAll = false;
  let quoteDepth = 0;
  let inCode = false;
  let pos = 0;
  while (pos < body.length) {
    const open = body.indexOf('[', pos);
    if (open < 0) break;
    pos = open + 1;
    if (inCode) {
      if (body.startsWith(kCodeClose, open)) {
        inCode = false;
        pos = open + kCodeClose.length;
      }
      continue;
    }
    if (body.startsWith(kCodeOpen, open)) {
      inCode = true;
      pos = open + kCodeOpen.length;
      continue;
    }
    if (body.startsWith(kQuoteOpen, open)) {
      quoteDepth++;
      pos = open + kQuoteOpen.length;
      continue;
    }
    if (body.startsWith(kQuoteClose, open)) {
      if (quoteDepth > 0) quoteDepth--; // a stray [/qt] is plain text
      pos = open + kQuoteClose.length;
      continue;
    }
    if (quoteDepth > 0) continue;
    let id: bigint | null = null;
    if (body.startsWith(kToAll, open)) {
      toAll = true;
      pos = open + kToAll.length;
    } else if (body.startsWith(kToPrefix, open)) {
      id = parseToTag(body, open);
    } else if (body.startsWith(kReplyPrefix, open)) {
      id = parseReplyTag(body, open);
    }
    if (id !== null && !seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  return { ids, toAll };
}

// Whether a message by `authorId` counts as a mention of `accountId` (a member of its room):
// never the author's own message.
export function mentionsAccount(body: string, accountId: number, authorId: number): boolean {
  if (accountId === authorId) return false;
  const m = findMentions(body);
  if (m.toAll) return true;
  const me = BigInt(accountId);
  return m.ids.some((id) => id === me);
}

// What a new message adds to the badges of `meId`. The author's own message is read for them
// (unless posted with self_unread, which the event does not tell: the next full check fixes it).
export function countsOf(body: string, authorId: number, meId: number): { unread: number; mention: number } {
  if (authorId === meId) return { unread: 0, mention: 0 };
  return { unread: 1, mention: mentionsAccount(body, meId, authorId) ? 1 : 0 };
}

// ---- Keeping the badges --------------------------------------------------------------------

export interface CountersHost {
  readonly api: Pick<KaiwaApi, 'room' | 'rooms' | 'markRead'>;
  rooms(): readonly Room[];
  setRooms(rooms: Room[]): void;
  meId(): number | undefined;
  // The room is open, in view, showing its latest messages, in a visible tab.
  reading(roomId: number): boolean;
  // The room is gone for us (404/403 on reading it).
  removeRoom(roomId: number): void;
}

type Delta = { unread: number; mention: number };

// Per room: which messages the counts we hold include, to merge a snapshot (a GET's answer) with
// the events that crossed it. `version` is the room's message_num as of our counts; message_num
// grows by one per message_created event, in stream order, so a snapshot's message_num says how
// many of the events around it it already contains.
interface Track {
  version: number;
  recent: Delta[]; // the deltas of the last created events counted, newest last
  skip: number; // created events a snapshot already contained that have not arrived yet
  skipUntil: number;
}

const kRecent = 100;
// A snapshot's events arrive within moments; past this a surplus is a drift, not a lag.
const kSkipMs = 3_000;
// Several events of a burst cost one request.
const kBurstMs = 150;

export class Counters {
  private tracks = new Map<number, Track>();
  private refreshTimers = new Map<number, ReturnType<typeof setTimeout>>();
  // One GET per room at a time; true: ask again when it ends.
  private refreshing = new Map<number, boolean>();
  private readTimers = new Map<number, ReturnType<typeof setTimeout>>();
  // One PUT per room at a time; true: another is wanted when it ends.
  private marking = new Map<number, boolean>();
  // Counted while a PUT was out (the room was left meanwhile): the PUT's answer may or may not
  // include them.
  private countedInFlight = new Map<number, Delta>();
  private checking: Promise<void> | null = null;
  // Bumped on reset: answers to requests of an earlier session are dropped.
  private session = 0;

  constructor(
    private readonly host: CountersHost,
    private readonly now: () => number = () => Date.now(),
  ) {}

  // Forget everything (signed out).
  reset(): void {
    this.session++;
    this.checking = null;
    for (const t of this.refreshTimers.values()) clearTimeout(t);
    for (const t of this.readTimers.values()) clearTimeout(t);
    this.tracks.clear();
    this.refreshTimers.clear();
    this.readTimers.clear();
  }

  // message_created: counted here unless the room is being read (then marked read).
  messageCreated(roomId: number, authorId: number, body: string, sendTime: number): void {
    const me = this.host.meId();
    const room = this.room(roomId);
    const track = this.tracks.get(roomId);
    if (me === undefined || !room || !track) {
      // A room we have no counts for yet (just joined or created): ask the server.
      this.refresh(roomId);
      return;
    }
    if (track.skip > 0 && this.now() < track.skipUntil) {
      track.skip--; // the counts already include it
      return;
    }
    track.skip = 0;
    const reading = this.host.reading(roomId);
    const delta = countsOf(body, authorId, me);
    track.version++;
    track.recent.push(reading ? { unread: 0, mention: 0 } : delta); // read at once when in view
    if (track.recent.length > kRecent) track.recent.shift();
    const lastUpdate = Math.max(room.last_update_time, sendTime);
    if (reading) {
      this.patch(roomId, { message_num: track.version, last_update_time: lastUpdate });
      if (authorId !== me) this.markRead(roomId);
      return;
    }
    this.patch(roomId, { message_num: track.version, last_update_time: lastUpdate, unread_num: room.unread_num + delta.unread, mention_num: room.mention_num + delta.mention });
    const flight = this.countedInFlight.get(roomId);
    if (flight && delta.unread) this.countedInFlight.set(roomId, { unread: flight.unread + delta.unread, mention: flight.mention + delta.mention });
  }

  // message_updated: an edit can add or remove a mention of an unread message; it matters only
  // while the room has unread messages, and what it was before is unknown here: ask.
  messageUpdated(roomId: number, authorId: number): void {
    const room = this.room(roomId);
    if (authorId === this.host.meId() || (room && room.unread_num === 0)) return;
    this.refresh(roomId);
  }

  // message_deleted: a deleted unread message leaves the counts; which one it was is unknown.
  messageDeleted(roomId: number): void {
    const track = this.tracks.get(roomId);
    if (track) {
      track.version--;
      track.recent = []; // no longer in step with message_num
    }
    const room = this.room(roomId);
    if (room && track) this.patch(roomId, { message_num: track.version });
    if (!room || room.unread_num > 0 || room.mention_num > 0) this.refresh(roomId);
  }

  // messages_read / messages_unread of our own account (another tab, or our own PUT coming back).
  // The event carries no counts. Reading only lowers them: nothing to ask when they are zero, nor
  // while our own PUT is on its way (it answers the counts).
  readMoved(roomId: number, unread: boolean): void {
    if (unread) return this.refresh(roomId);
    const room = this.room(roomId);
    if (room && room.unread_num === 0 && room.mention_num === 0) return;
    if (this.marking.has(roomId) || this.readTimers.has(roomId)) return;
    if (this.host.reading(roomId)) this.markRead(roomId, 0);
    else this.refresh(roomId);
  }

  // A snapshot of every room (GET /v2/rooms): replaces the list, merged with the events that
  // crossed it.
  applyAll(rooms: Room[]): void {
    const ids = new Set(rooms.map((r) => r.room_id));
    for (const id of this.tracks.keys()) if (!ids.has(id)) this.tracks.delete(id);
    this.host.setRooms(rooms.map((r) => this.merge(r)));
  }

  // A snapshot of one room (GET /v2/rooms/{id}).
  applyOne(room: Room): void {
    const merged = this.merge(room);
    const rooms = this.host.rooms();
    this.host.setRooms(rooms.some((r) => r.room_id === room.room_id) ? rooms.map((r) => (r.room_id === room.room_id ? merged : r)) : [...rooms, merged]);
  }

  forget(roomId: number): void {
    this.tracks.delete(roomId);
  }

  private merge(snap: Room): Room {
    const track = this.tracks.get(snap.room_id);
    const reading = this.host.reading(snap.room_id);
    let room = snap;
    if (!track) {
      this.tracks.set(snap.room_id, { version: snap.message_num, recent: [], skip: 0, skipUntil: 0 });
    } else if (snap.message_num < track.version) {
      // We counted events the snapshot does not have yet: add them back.
      const missing = track.version - snap.message_num;
      if (missing <= track.recent.length) {
        const extra = track.recent.slice(-missing);
        room = { ...snap, message_num: track.version, unread_num: snap.unread_num + sum(extra, 'unread'), mention_num: snap.mention_num + sum(extra, 'mention') };
      } else {
        track.version = snap.message_num;
        track.recent = [];
        this.refresh(snap.room_id); // cannot tell: ask again once things settle
      }
      track.skip = 0;
    } else {
      // The snapshot has events that have not arrived yet: do not count them again.
      track.skip = snap.message_num - track.version;
      track.skipUntil = this.now() + kSkipMs;
      track.version = snap.message_num;
    }
    // The room being read: its PUT owns the counts.
    if (reading) {
      const held = this.room(snap.room_id);
      if (held) room = { ...room, unread_num: held.unread_num, mention_num: held.mention_num };
      if (room.unread_num > 0 || room.mention_num > 0 || snap.unread_num > 0) this.markRead(snap.room_id, 0);
    }
    return room;
  }

  // Reading the room in view: PUT .../messages/read answers the new counts. At most one PUT per
  // room in flight; a burst while one is out makes one more.
  markRead(roomId: number, delayMs = kBurstMs): void {
    if (this.marking.has(roomId)) {
      this.marking.set(roomId, true);
      return;
    }
    if (this.readTimers.has(roomId)) return;
    this.readTimers.set(roomId, setTimeout(() => {
      this.readTimers.delete(roomId);
      void this.markReadNow(roomId);
    }, delayMs));
  }

  private async markReadNow(roomId: number): Promise<void> {
    if (!this.host.reading(roomId)) return;
    this.marking.set(roomId, false);
    this.countedInFlight.set(roomId, { unread: 0, mention: 0 });
    const session = this.session;
    try {
      const counts = await this.host.api.markRead(roomId);
      if (session !== this.session) return;
      const crossed = this.countedInFlight.get(roomId)!;
      if (this.room(roomId)) this.patch(roomId, { unread_num: counts.unread_num + crossed.unread, mention_num: counts.mention_num + crossed.mention });
      // Whether the PUT read those too is unknown: the room's GET settles it.
      if (crossed.unread) this.refresh(roomId);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) this.host.removeRoom(roomId);
      // Otherwise (offline, a 400 on a room read meanwhile): the next event or check tries again.
    } finally {
      const again = this.marking.get(roomId);
      this.marking.delete(roomId);
      this.countedInFlight.delete(roomId);
      if (again) this.markRead(roomId, 0);
    }
  }

  // The fallback: one GET /v2/rooms/{id} per room per burst.
  refresh(roomId: number, delayMs = kBurstMs): void {
    if (this.refreshTimers.has(roomId)) return;
    this.refreshTimers.set(roomId, setTimeout(() => {
      this.refreshTimers.delete(roomId);
      void this.refreshNow(roomId);
    }, delayMs));
  }

  private async refreshNow(roomId: number): Promise<void> {
    if (this.refreshing.has(roomId)) {
      this.refreshing.set(roomId, true);
      return;
    }
    this.refreshing.set(roomId, false);
    const session = this.session;
    try {
      const room = await this.host.api.room(roomId);
      if (session === this.session) this.applyOne(room);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) this.host.removeRoom(roomId);
    } finally {
      const again = this.refreshing.get(roomId);
      this.refreshing.delete(roomId);
      if (again) this.refresh(roomId, 0);
    }
  }

  // The self-check against drift: GET /v2/rooms once (one request for every room), replacing
  // the counts. Asked again while one is out, it waits for that one.
  checkAll(): Promise<void> {
    if (this.checking) return this.checking;
    const session = this.session;
    let check: Promise<void> | null = null;
    check = (async () => {
      try {
        const rooms = await this.host.api.rooms();
        if (session === this.session) this.applyAll(rooms);
      } catch {
        // Offline: the next reconnect checks again.
      } finally {
        if (this.checking === check) this.checking = null;
      }
    })();
    this.checking = check;
    return check;
  }

  private room(roomId: number): Room | undefined {
    return this.host.rooms().find((r) => r.room_id === roomId);
  }

  private patch(roomId: number, patch: Partial<Room>): void {
    this.host.setRooms(this.host.rooms().map((r) => (r.room_id === roomId ? { ...r, ...patch } : r)));
  }
}

function sum(deltas: Delta[], key: keyof Delta): number {
  return deltas.reduce((n, d) => n + d[key], 0);
}
