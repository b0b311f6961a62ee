// One event stream per tab (GET /kaiwa/v1/stream, authenticated by the session cookie). Keeps the
// last position seen and resumes from it after any close, with capped exponential backoff, so the
// UI sees every event once and in order. Single-threaded (the browser's event loop).

export interface StreamEvent {
  pos: number;
  type: string;
  created_at_ms?: number;
  data: Record<string, unknown>;
}

export type StreamStatus = 'connecting' | 'live' | 'offline';

export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number): void;
}

export interface StreamOptions {
  url: (since: number | undefined) => string;
  createSocket: (url: string) => SocketLike;
  onEvents: (events: StreamEvent[]) => void;
  // The server could not resume from our position: reload state over REST.
  onResync: () => void;
  onStatus: (status: StreamStatus) => void;
  // The session was revoked (4003), or the stream keeps failing before it opens (maybe signed out).
  onAuthProblem: (revoked: boolean) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
}

export const kRestartCode = 1012;
export const kSlowCode = 4001;
export const kRevokedCode = 4003;
const kMaxDelayMs = 30_000;

// Delay before reconnect attempt `attempt` (0-based) after a close with `code`.
export function backoffMs(attempt: number, code: number, random: () => number): number {
  // A restarting server spreads its clients over about a second; follow it, then back off.
  const base = code === kRestartCode || code === kSlowCode ? 500 : 1000;
  const capped = Math.min(kMaxDelayMs, base * 2 ** Math.min(attempt, 10));
  return Math.round(capped / 2 + (random() * capped) / 2);
}

export class StreamClient {
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private failedBeforeOpen = 0;
  private stopped = true;
  private status: StreamStatus = 'offline';
  // The last position received (event or notice): the resume token.
  pos: number | undefined;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly random: () => number;

  constructor(private readonly opts: StreamOptions) {
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.random = opts.random ?? Math.random;
  }

  start(since?: number): void {
    this.stopped = false;
    if (since !== undefined) this.pos = since;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = s.onmessage = s.onerror = s.onopen = null;
      s.close(1000);
    }
  }

  // Reconnect now (e.g. the browser came back online) instead of waiting out the backoff.
  nudge(): void {
    if (this.stopped || this.socket) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.connect();
  }

  private setStatus(s: StreamStatus): void {
    if (s === this.status) return;
    this.status = s;
    this.opts.onStatus(s);
  }

  private connect(): void {
    this.timer = null;
    if (this.status !== 'offline') this.setStatus('connecting');
    let opened = false;
    const socket = this.opts.createSocket(this.opts.url(this.pos));
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.failedBeforeOpen = 0;
    };
    socket.onmessage = (ev) => {
      if (this.socket === socket) this.onFrame(ev.data);
    };
    socket.onerror = () => {};
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onClose(ev.code, opened);
    };
  }

  private onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let items: unknown;
    try {
      items = JSON.parse(data);
    } catch {
      return;
    }
    if (!Array.isArray(items)) return;
    const events: StreamEvent[] = [];
    let resync = false;
    for (const item of items as Array<Record<string, unknown>>) {
      if (!item || typeof item.pos !== 'number' || typeof item.type !== 'string') continue;
      if (item.type === 'ready') {
        this.pos = Math.max(this.pos ?? 0, item.pos);
        this.attempt = 0;
        this.setStatus('live');
        continue;
      }
      if (item.type === 'resync') {
        this.pos = item.pos;
        resync = true;
        continue;
      }
      // The server never repeats a position; this guards against a doubled frame all the same.
      if (this.pos !== undefined && item.pos <= this.pos) continue;
      this.pos = item.pos;
      events.push({ pos: item.pos, type: item.type, created_at_ms: item.created_at_ms as number | undefined, data: (item.data ?? {}) as Record<string, unknown> });
    }
    if (resync) this.opts.onResync();
    if (events.length) this.opts.onEvents(events);
  }

  private onClose(code: number, opened: boolean): void {
    if (this.stopped) return;
    this.setStatus('offline');
    if (code === kRevokedCode) {
      this.stopped = true;
      this.opts.onAuthProblem(true);
      return;
    }
    if (!opened) {
      this.failedBeforeOpen++;
      // A refused upgrade (401 after sign-out elsewhere) looks like any failed connect; let the
      // app check the session now and then.
      if (this.failedBeforeOpen % 3 === 0) this.opts.onAuthProblem(false);
    }
    const delay = backoffMs(this.attempt, code, this.random);
    this.attempt++;
    this.timer = this.setTimer(() => this.connect(), delay);
  }
}
