// The client's state and every action that changes it: REST loads, stream events, sending.
// Components read `store.state` and re-render on `subscribe`. Single-threaded (event loop).
import { ApiError, isNetworkError } from '../api/http';
import { KaiwaApi } from '../api/kaiwa';
import type { Account, Me, Member, Message, Room } from '../api/types';
import { StreamClient, type SocketLike, type StreamEvent, type StreamStatus } from '../realtime/stream';
import { Counters } from './counters';
import { loadLang, saveLang, type Lang } from './i18n';
import { compareIds, upsertSorted } from './ids';

export interface Timeline {
  roomId: number;
  messages: Message[];
  hasMoreBefore: boolean;
  hasMoreAfter: boolean;
  loading: boolean;
  loadingOlder: boolean;
  loadingNewer?: boolean;
  // The first unread message when the room was opened (the "new messages" marker goes above it).
  markerId?: string;
  // Bumped when the view should jump (room opened, reloaded); scroll-keeping otherwise.
  generation: number;
  // Opened at this message (a search hit, a reply's link): shown centred and highlighted.
  focusId?: string;
  // The message asked for is gone (deleted, or not in this room): the window is around where it was.
  focusMissing?: boolean;
}

// The main area's page. 'chat' is the room list with the open room; the others are pages of
// their own, each with its own path (/tasks, /contacts, /search?q=…, /settings, and /g/<code>
// for an invitation link).
export type View = 'chat' | 'tasks' | 'contacts' | 'search' | 'settings' | 'invitation';
// The open room's side panel.
export type RoomPanel = 'tasks' | 'files' | 'members';

export interface State {
  phase: 'booting' | 'signed-out' | 'ready';
  view: View;
  roomPanel: RoomPanel | null;
  lang: Lang;
  me: Me | null;
  rooms: Room[];
  roomId: number | null;
  timeline: Timeline | null;
  members: Map<number, Member[]>;
  people: Map<number, Account>;
  status: StreamStatus;
  composerError: string | null;
  editing: Message | null;
  draft: { roomId: number; text: string; version: number } | null;
}

// Messages loaded each way around a message opened from search (and per newer page).
const kWindow = 30;

export class Store {
  readonly api = new KaiwaApi();
  state: State = {
    phase: 'booting',
    view: 'chat',
    roomPanel: null,
    lang: loadLang(),
    me: null,
    rooms: [],
    roomId: null,
    timeline: null,
    members: new Map(),
    people: new Map(),
    status: 'live',
    composerError: null,
    editing: null,
    draft: null,
  };
  private listeners = new Set<() => void>();
  private eventListeners = new Set<(ev: StreamEvent) => void>();
  private stream: StreamClient | null = null;
  private generation = 0;
  // The badges: counted from the stream, marked read with one PUT, checked against the server
  // (counters.ts).
  readonly counters = new Counters({
    api: this.api,
    rooms: () => this.state.rooms,
    setRooms: (rooms) => this.set({ rooms }),
    meId: () => this.state.me?.account_id,
    reading: (roomId) => this.isReading(roomId),
    removeRoom: (roomId) => this.removeRoom(roomId),
  });

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private features = new Map<string, unknown>();

  // A feature's own model (tasks, files, contacts…), made on first use and kept for the session;
  // it lives in the feature's folder and calls `changed()` when the page should re-render.
  feature<T>(key: string, create: (store: Store) => T): T {
    if (!this.features.has(key)) this.features.set(key, create(this));
    return this.features.get(key) as T;
  }

  changed(): void {
    for (const fn of this.listeners) fn();
  }

  // Features with state of their own follow the stream here.
  onStreamEvent(fn: (ev: StreamEvent) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  // Opens a page of the main area; `search` is the query string it keeps in the address.
  showView(view: View, search = '', push = true): void {
    if (view === 'chat') {
      const id = this.state.roomId;
      const t = this.state.timeline;
      // Back to a room still showing an older part (opened at a message): the address says where.
      const at = t && t.roomId === id && t.focusId && t.hasMoreAfter ? `?message=${t.focusId}` : '';
      const path = id === null ? '/' : `/rooms/${id}${at}`;
      if (push && location.pathname + location.search !== path) history.pushState(null, '', path);
      this.set({ view });
      if (id !== null) this.counters.markRead(id, 0);
      return;
    }
    // An invitation's address is its link: `search` is the code.
    const path = view === 'invitation' ? `/g/${encodeURIComponent(search)}` : `/${view}${search}`;
    if (push && location.pathname + location.search !== path) history.pushState(null, '', path);
    this.set({ view });
  }

  setRoomPanel(panel: RoomPanel | null): void {
    this.set({ roomPanel: panel });
  }

  private set(patch: Partial<State>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }

  // The signed-in account as the server now shows it (after a profile edit): the header, the
  // timeline and member lists follow at once.
  setMe(me: Me): void {
    this.set({ me });
    this.applyAccount({ account_id: me.account_id, name: me.name, avatar_image_url: me.avatar_image_url });
  }

  // Someone's new name or picture (their profile edit, or the account_updated event).
  private applyAccount(a: Account): void {
    const people = new Map(this.state.people);
    people.set(a.account_id, { account_id: a.account_id, name: a.name, avatar_image_url: a.avatar_image_url });
    let members = this.state.members;
    for (const [roomId, list] of members) {
      if (!list.some((m) => m.account_id === a.account_id)) continue;
      if (members === this.state.members) members = new Map(members);
      members.set(roomId, list.map((m) => (m.account_id === a.account_id ? { ...m, name: a.name, avatar_image_url: a.avatar_image_url } : m)));
    }
    const me = this.state.me && this.state.me.account_id === a.account_id ? { ...this.state.me, name: a.name, avatar_image_url: a.avatar_image_url } : this.state.me;
    this.set({ people, members, me });
  }

  setLang(lang: Lang): void {
    saveLang(lang);
    this.set({ lang });
  }

  async boot(): Promise<void> {
    this.api.http.onUnauthorized = () => this.signedOut();
    document.addEventListener('visibilitychange', () => {
      // Back to the tab: the whole list once against drift (and the open room marked read).
      if (document.visibilityState === 'visible' && this.state.phase === 'ready') void this.counters.checkAll();
    });
    window.addEventListener('online', () => this.stream?.nudge());
    window.addEventListener('popstate', () => {
      const view = viewFromPath();
      if (view !== 'chat') return this.set({ view });
      const id = roomFromPath();
      const messageId = messageFromPath();
      if (id !== null && messageId !== null && (id !== this.state.roomId || messageId !== this.state.timeline?.focusId)) void this.openMessage(id, messageId, false);
      else if (id !== this.state.roomId || (messageId === null && this.state.timeline?.hasMoreAfter)) void this.selectRoom(id, false);
      else this.showView('chat', '', false);
    });
    try {
      const session = await this.api.session();
      if (!session) return this.set({ phase: 'signed-out' });
      await this.start();
    } catch {
      // The server is unreachable: retry shortly rather than asking for a password.
      setTimeout(() => void this.boot(), 3000);
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.api.signIn(email, password);
    await this.start();
  }

  async signOut(): Promise<void> {
    try {
      await this.api.signOut();
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
    }
    this.signedOut();
  }

  private signedOut(): void {
    this.stream?.stop();
    this.stream = null;
    this.features.clear(); // with the stream listeners they registered
    this.counters.reset();
    this.eventListeners.clear();
    this.api.http.csrfToken = '';
    // An invitation link stays in the address, so signing in comes back to it.
    if (location.pathname !== '/' && invitationFromPath() === null) history.replaceState(null, '', '/');
    this.set({ phase: 'signed-out', view: 'chat', roomPanel: null, me: null, rooms: [], roomId: null, timeline: null, members: new Map(), people: new Map(), editing: null, draft: null });
  }

  private async start(): Promise<void> {
    const [me, rooms] = await Promise.all([this.api.me(), this.api.rooms()]);
    const people = new Map(this.state.people);
    people.set(me.account_id, me);
    this.set({ phase: 'ready', me, people, status: 'live' });
    this.counters.applyAll(rooms);
    this.openStream();
    const view = viewFromPath();
    if (view !== 'chat') return this.set({ view });
    const wanted = roomFromPath();
    const wantedMessage = messageFromPath();
    if (wanted !== null && wantedMessage !== null && rooms.some((r) => r.room_id === wanted)) await this.openMessage(wanted, wantedMessage, false);
    else if (wanted !== null && rooms.some((r) => r.room_id === wanted)) await this.selectRoom(wanted, false);
    else if (wanted !== null) history.replaceState(null, '', '/');
  }

  private openStream(): void {
    this.stream?.stop();
    this.stream = new StreamClient({
      url: (since) => this.api.streamUrl(since),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      onEvents: (events) => this.onEvents(events),
      onResync: () => void this.reload(),
      onStatus: (status) => {
        const back = status === 'live' && this.state.status !== 'live';
        this.set({ status });
        // Reconnected after being offline: the missed events were replayed; check all the same.
        if (back) void this.counters.checkAll();
      },
      onAuthProblem: (revoked) => {
        if (revoked) this.signedOut();
        else void this.api.session().then((s) => (s ? undefined : this.signedOut()), () => undefined);
      },
    });
    this.stream.start();
  }

  // Everything again from REST: after a resync notice. Features hear it as a 'resync' event.
  async reload(): Promise<void> {
    for (const fn of this.eventListeners) fn({ pos: 0, type: 'resync', data: {} });
    await this.counters.checkAll();
    const rooms = this.state.rooms;
    this.set({ members: new Map() });
    const id = this.state.roomId;
    if (id !== null) {
      const t = this.state.timeline;
      // Still reading an older part of the room (a search hit): stay there.
      if (rooms.some((r) => r.room_id === id) && t?.roomId === id && t.focusId && t.hasMoreAfter) await this.openMessage(id, t.focusId, false);
      else if (rooms.some((r) => r.room_id === id)) await this.selectRoom(id, false, true);
      else await this.selectRoom(null);
    }
  }

  room(id: number | null): Room | undefined {
    return id === null ? undefined : this.state.rooms.find((r) => r.room_id === id);
  }

  nameOf(accountId: number): string {
    return this.state.people.get(accountId)?.name ?? `#${accountId}`;
  }

  async selectRoom(roomId: number | null, push = true, keepMarker = false): Promise<void> {
    if (push) {
      const path = roomId === null ? '/' : `/rooms/${roomId}`;
      if (location.pathname + location.search !== path) history.pushState(null, '', path);
    }
    if (roomId === null) return this.set({ view: 'chat', roomId: null, timeline: null, editing: null });
    const room = this.room(roomId);
    const unread = room?.unread_num ?? 0;
    const previousMarker = keepMarker && this.state.timeline?.roomId === roomId ? this.state.timeline.markerId : undefined;
    const generation = ++this.generation;
    this.set({
      view: 'chat',
      roomId,
      editing: this.state.editing && this.state.roomId === roomId ? this.state.editing : null,
      composerError: null,
      timeline: { roomId, messages: [], hasMoreBefore: false, hasMoreAfter: false, loading: true, loadingOlder: false, generation },
    });
    const [page] = await Promise.all([this.api.history(roomId), this.loadMembers(roomId)]);
    if (this.state.timeline?.generation !== generation) return;
    this.learnPeople(page.messages.map((m) => m.account));
    let markerId = previousMarker;
    if (!keepMarker && unread > 0) {
      const others = page.messages.filter((m) => m.account.account_id !== this.state.me?.account_id);
      markerId = others[Math.max(0, others.length - unread)]?.message_id;
    }
    this.set({ timeline: { roomId, messages: page.messages, hasMoreBefore: page.has_more_before, hasMoreAfter: page.has_more_after, loading: false, loadingOlder: false, markerId, generation } });
    this.counters.markRead(roomId, 0);
  }

  async loadOlder(): Promise<void> {
    const t = this.state.timeline;
    if (!t || t.loading || t.loadingOlder || !t.hasMoreBefore || t.messages.length === 0) return;
    this.set({ timeline: { ...t, loadingOlder: true } });
    try {
      const page = await this.api.history(t.roomId, { before: t.messages[0].message_id });
      const now = this.state.timeline;
      if (!now || now.generation !== t.generation) return;
      this.learnPeople(page.messages.map((m) => m.account));
      let messages = now.messages;
      for (const m of page.messages) messages = upsertSorted(messages, m);
      this.set({ timeline: { ...now, messages, hasMoreBefore: page.has_more_before, loadingOlder: false } });
    } catch (e) {
      const now = this.state.timeline;
      if (now && now.generation === t.generation) this.set({ timeline: { ...now, loadingOlder: false } });
      if (!isNetworkError(e)) throw e;
    }
  }

  // Opens a room at one message (a search hit, a reply's link), however old: a window of history
  // around it, more loaded as the reader scrolls either way. The address keeps the message
  // (/rooms/12?message=345) so a reload comes back to it.
  async openMessage(roomId: number, messageId: string, push = true): Promise<void> {
    if (push) {
      const path = `/rooms/${roomId}?message=${messageId}`;
      if (location.pathname + location.search !== path) history.pushState(null, '', path);
    }
    const t = this.state.timeline;
    if (t && t.roomId === roomId && this.state.roomId === roomId && !t.loading && t.messages.some((m) => m.message_id === messageId)) {
      // Already on screen (a reply to a message nearby): just go there.
      this.set({ view: 'chat', timeline: { ...t, focusId: messageId, focusMissing: false, loadingOlder: false, loadingNewer: false, generation: ++this.generation } });
      return;
    }
    const generation = ++this.generation;
    if (!this.room(roomId)) void this.reloadRooms(); // joined since the list was read
    this.set({
      view: 'chat',
      roomId,
      editing: this.state.editing && this.state.roomId === roomId ? this.state.editing : null,
      composerError: null,
      timeline: { roomId, messages: [], hasMoreBefore: false, hasMoreAfter: false, loading: true, loadingOlder: false, generation, focusId: messageId },
    });
    const missing = (e: unknown) => {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return null;
      throw e;
    };
    try {
      const [before, found, after] = await Promise.all([
        this.api.history(roomId, { before: messageId, limit: kWindow }),
        this.api.message(roomId, messageId).catch(missing),
        this.api.history(roomId, { after: messageId, limit: kWindow }),
        this.loadMembers(roomId),
      ]);
      if (this.state.timeline?.generation !== generation) return;
      let messages = before.messages;
      for (const m of [...(found ? [found] : []), ...after.messages]) messages = upsertSorted(messages, m);
      this.learnPeople(messages.map((m) => m.account));
      this.set({ timeline: { roomId, messages, hasMoreBefore: before.has_more_before, hasMoreAfter: after.has_more_after, loading: false, loadingOlder: false, loadingNewer: false, generation, focusId: messageId, focusMissing: !found } });
      this.counters.markRead(roomId, 0); // only if the latest is on screen
    } catch (e) {
      if (this.state.timeline?.generation !== generation) return;
      // The room is gone or the id is not a message id: open the room as usual.
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return this.selectRoom(roomId, false);
      this.set({ timeline: { roomId, messages: [], hasMoreBefore: false, hasMoreAfter: false, loading: false, loadingOlder: false, generation } });
      if (!isNetworkError(e)) throw e;
    }
  }

  // New messages the stream brought while the timeline did not reach the latest: loadNewer asks
  // again if one came while its page was on the way.
  private skippedNew = 0;

  // The next page towards the latest, when the timeline was opened at an older message.
  async loadNewer(): Promise<void> {
    const t = this.state.timeline;
    if (!t || t.loading || t.loadingNewer || !t.hasMoreAfter || t.messages.length === 0) return;
    this.set({ timeline: { ...t, loadingNewer: true } });
    try {
      let now = this.state.timeline!;
      let more = true;
      for (let round = 0; more && round < 3; round++) {
        const skipped = this.skippedNew;
        const page = await this.api.history(t.roomId, { after: now.messages[now.messages.length - 1].message_id, limit: kWindow });
        const current = this.state.timeline;
        if (!current || current.generation !== t.generation) return;
        this.learnPeople(page.messages.map((m) => m.account));
        let messages = current.messages;
        for (const m of page.messages) messages = upsertSorted(messages, m);
        // At the latest; a message the stream had to skip meanwhile may be just past this page.
        more = !page.has_more_after && this.skippedNew !== skipped;
        now = { ...current, messages, hasMoreAfter: page.has_more_after || more, loadingNewer: more };
        this.set({ timeline: now });
      }
      if (!now.hasMoreAfter) this.counters.markRead(t.roomId, 0); // now the latest is on screen: mark read
    } catch (e) {
      const now = this.state.timeline;
      if (now && now.generation === t.generation) this.set({ timeline: { ...now, loadingNewer: false } });
      if (!isNetworkError(e)) throw e;
    }
  }

  private async loadMembers(roomId: number): Promise<void> {
    try {
      const list = await this.api.members(roomId);
      const members = new Map(this.state.members);
      members.set(roomId, list);
      this.set({ members });
      this.learnPeople(list);
    } catch {
      // Names fall back to the message's own account object.
    }
  }

  private learnPeople(accounts: Account[]): void {
    let people: Map<number, Account> | null = null;
    for (const a of accounts) {
      const known = this.state.people.get(a.account_id);
      if (known && known.name === a.name && known.avatar_image_url === a.avatar_image_url) continue;
      people ??= new Map(this.state.people);
      people.set(a.account_id, { account_id: a.account_id, name: a.name, avatar_image_url: a.avatar_image_url });
    }
    if (people) this.set({ people });
  }

  async send(text: string): Promise<boolean> {
    const roomId = this.state.roomId;
    if (roomId === null || !text.trim()) return false;
    const editing = this.state.editing;
    try {
      if (editing) {
        await this.api.edit(roomId, editing.message_id, text);
        this.applyMessage(roomId, { ...editing, body: text, update_time: Math.floor(Date.now() / 1000) });
        this.set({ editing: null, composerError: null });
      } else {
        const { message_id } = await this.api.post(roomId, text);
        // Reading an older part of the room: go to the latest, where the message now is.
        if (this.state.timeline?.roomId === roomId && this.state.timeline.hasMoreAfter) void this.selectRoom(roomId);
        const me = this.state.me!;
        this.applyMessage(roomId, { message_id, account: me, body: text, send_time: Math.floor(Date.now() / 1000), update_time: 0 }, true);
        this.set({ composerError: null });
      }
      return true;
    } catch (e) {
      this.set({ composerError: e instanceof ApiError && e.errors.length ? e.errors.join(' ') : 'sendFailed' });
      return false;
    }
  }

  startEdit(m: Message): void {
    this.set({ editing: m, composerError: null, draft: { roomId: this.state.roomId!, text: m.body, version: Date.now() } });
  }

  cancelEdit(): void {
    this.set({ editing: null, draft: { roomId: this.state.roomId!, text: '', version: Date.now() } });
  }

  insertDraft(text: string): void {
    this.set({ draft: { roomId: this.state.roomId!, text, version: Date.now() } });
  }

  async remove(m: Message): Promise<void> {
    const roomId = this.state.roomId;
    if (roomId === null) return;
    await this.api.remove(roomId, m.message_id);
    this.dropMessage(roomId, m.message_id);
  }

  // Puts a message into the open timeline (new or edited). `own` adds even before the stream's
  // copy arrives; the stream's copy then replaces it (same id).
  private applyMessage(roomId: number, m: Message, isNew = false): void {
    const t = this.state.timeline;
    if (!t || t.roomId !== roomId || t.loading) return;
    const exists = t.messages.some((x) => x.message_id === m.message_id);
    if (!exists && isNew && t.hasMoreAfter) this.skippedNew++; // loadNewer brings it in order
    if (!exists && (!isNew || t.hasMoreAfter)) return;
    this.set({ timeline: { ...t, messages: upsertSorted(t.messages, m) } });
  }

  private dropMessage(roomId: number, messageId: string): void {
    const t = this.state.timeline;
    if (!t || t.roomId !== roomId) return;
    const messages = t.messages.filter((m) => m.message_id !== messageId);
    if (messages.length !== t.messages.length) this.set({ timeline: { ...t, messages } });
    if (this.state.editing?.message_id === messageId) this.set({ editing: null });
  }

  private onEvents(events: StreamEvent[]): void {
    const meId = this.state.me?.account_id;
    for (const ev of events) {
      const d = ev.data;
      const roomId = typeof d.room_id === 'number' ? d.room_id : null;
      switch (ev.type) {
        case 'message_created':
        case 'message_updated': {
          if (roomId === null || typeof d.message_id !== 'string') break;
          const accountId = Number(d.account_id);
          const account = this.state.people.get(accountId) ?? { account_id: accountId, name: `#${accountId}`, avatar_image_url: '' };
          if (!this.state.people.has(accountId) && roomId === this.state.roomId) void this.loadMembers(roomId);
          this.applyMessage(roomId, { message_id: d.message_id, account, body: String(d.body ?? ''), send_time: Number(d.send_time ?? 0), update_time: Number(d.update_time ?? 0) }, ev.type === 'message_created');
          if (ev.type === 'message_created') this.counters.messageCreated(roomId, accountId, String(d.body ?? ''), Number(d.send_time ?? 0));
          else this.counters.messageUpdated(roomId, accountId);
          break;
        }
        case 'message_deleted':
          if (roomId === null || typeof d.message_id !== 'string') break;
          this.dropMessage(roomId, d.message_id);
          this.counters.messageDeleted(roomId);
          break;
        case 'messages_read':
        case 'messages_unread':
          if (roomId !== null && d.account_id === meId) this.counters.readMoved(roomId, ev.type === 'messages_unread');
          break;
        case 'task_created':
          // mytask_num changes only for the assignee.
          if (roomId !== null && d.account_id === meId) this.scheduleRefresh(roomId);
          break;
        case 'task_updated':
          // A task done lowers mytask_num only where we have open ones; a reopened one may be ours.
          if (roomId !== null && (d.status !== 'done' || (this.room(roomId)?.mytask_num ?? 1) > 0)) this.scheduleRefresh(roomId);
          break;
        case 'room_updated':
          if (roomId !== null) this.scheduleRefresh(roomId);
          break;
        case 'room_created':
        case 'contact_added':
          void this.reloadRooms();
          break;
        case 'member_added':
        case 'member_role_changed':
          if (roomId === null) break;
          if (d.account_id === meId && !this.room(roomId)) void this.reloadRooms();
          else this.forgetMembers(roomId);
          if (d.account_id === meId) this.scheduleRefresh(roomId);
          break;
        case 'member_removed':
        case 'member_left':
        case 'room_deleted':
          if (roomId === null) break;
          if (d.account_id === meId || ev.type === 'room_deleted') this.removeRoom(roomId);
          else this.forgetMembers(roomId);
          break;
        case 'account_updated':
          if (typeof d.account_id !== 'number' || typeof d.name !== 'string') break;
          this.applyAccount({ account_id: d.account_id, name: d.name, avatar_image_url: String(d.avatar_image_url ?? '') });
          // A direct chat is named after the other person.
          if (roomId !== null && this.room(roomId)?.type === 'direct') this.scheduleRefresh(roomId);
          break;
        default:
          break; // Types the features below follow themselves (files, links, contact requests).
      }
      for (const fn of this.eventListeners) fn(ev);
    }
  }

  private forgetMembers(roomId: number): void {
    const members = new Map(this.state.members);
    members.delete(roomId);
    this.set({ members });
    if (roomId === this.state.roomId) void this.loadMembers(roomId);
  }

  private removeRoom(roomId: number): void {
    this.counters.forget(roomId);
    this.set({ rooms: this.state.rooms.filter((r) => r.room_id !== roomId) });
    if (this.state.roomId === roomId) void this.selectRoom(null);
  }

  private async reloadRooms(): Promise<void> {
    try {
      this.counters.applyAll(await this.api.rooms());
    } catch {
      // The next event or resync tries again.
    }
  }

  // Re-reads one room (GET /v2/rooms/{id}), several asks in a burst costing one request: for what
  // the stream's events do not tell exactly (renames, tasks, membership, deletions).
  scheduleRefresh(roomId: number, delayMs = 150): void {
    this.counters.refresh(roomId, delayMs);
  }

  // The room is open in view with its latest messages, in a visible tab: new messages are read.
  isReading(roomId: number): boolean {
    const t = this.state.timeline;
    return roomId === this.state.roomId && this.state.view === 'chat' && document.visibilityState === 'visible' && t?.roomId === roomId && t.loading === false && !t.hasMoreAfter;
  }
}

export function viewFromPath(): View {
  if (invitationFromPath() !== null) return 'invitation';
  const m = /^\/(tasks|contacts|search|settings)$/.exec(location.pathname);
  return m ? (m[1] as View) : 'chat';
}

// The code of an invitation link's address (/g/<code>), if this is one.
export function invitationFromPath(): string | null {
  const m = /^\/g\/([^/]+)\/?$/.exec(location.pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

export function roomFromPath(): number | null {
  const m = /^\/rooms\/(\d+)$/.exec(location.pathname);
  return m ? Number(m[1]) : null;
}

// The message a room's address opens at (/rooms/12?message=345), if any.
export function messageFromPath(): string | null {
  const id = new URLSearchParams(location.search).get('message');
  return id && /^[1-9][0-9]{0,19}$/.test(id) ? id : null;
}

export function sortRooms(rooms: readonly Room[]): Room[] {
  return rooms.slice().sort((a, b) => Number(b.sticky) - Number(a.sticky) || b.last_update_time - a.last_update_time || a.room_id - b.room_id);
}

export { compareIds };
