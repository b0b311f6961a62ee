// The invitations feature's state: the invitation page's preview (/g/<code>) and what joining
// did, and the pending join requests of the rooms whose Members tab an admin has open. Follows
// the stream: a request answered elsewhere, a new request, the link removed.
import { ApiError } from '../../api/http';
import type { Store } from '../store';
import { approveJoinRequest, getInvitation, getJoinRequests, isLinkCode, joinByLink, rejectJoinRequest, type InvitationPreview, type JoinRequest } from './api';

export type PreviewState = { kind: 'loading' } | { kind: 'ready'; preview: InvitationPreview } | { kind: 'notFound' } | { kind: 'failed'; tooMany: boolean };

// What became of the caller's request while the page was open.
export type Outcome = 'approved' | 'rejected' | 'cancelled' | null;

export interface RoomRequests {
  load: 'loading' | 'ready' | 'failed';
  list: JoinRequest[];
}

export type AnswerNotice = { kind: 'approved' | 'declined'; name: string } | { kind: 'gone' } | { kind: 'failed' };

const joinRequestEvents = new Set(['join_request_created', 'join_request_approved', 'join_request_rejected', 'join_request_cancelled']);

export class InvitationsModel {
  code: string | null = null;
  preview: PreviewState = { kind: 'loading' };
  joining = false;
  joinError: 'failed' | 'tooMany' | null = null;
  outcome: Outcome = null;
  requests = new Map<number, RoomRequests>();
  answering = new Set<number>();
  notices = new Map<number, AnswerNotice>();
  private loadSeq = 0;

  constructor(private readonly store: Store) {
    store.onStreamEvent((ev) => {
      const roomId = typeof ev.data.room_id === 'number' ? ev.data.room_id : null;
      if (ev.type === 'resync') {
        if (this.code) void this.load();
        for (const id of this.requests.keys()) void this.loadRequests(id);
        return;
      }
      if (roomId !== null && this.requests.has(roomId) && (joinRequestEvents.has(ev.type) || ev.type === 'link_changed')) void this.loadRequests(roomId);
      this.followOwnRequest(ev.type, ev.data);
    });
  }

  // The page of /g/<code>: loads the preview the first time it shows this code.
  open(code: string): void {
    if (code === this.code) return;
    this.code = code;
    this.outcome = null;
    this.joinError = null;
    void this.load();
  }

  async load(): Promise<void> {
    const code = this.code;
    if (code === null) return;
    const seq = ++this.loadSeq;
    // A request that was waiting and now shows as membership was approved (the member_added
    // event may come before join_request_approved).
    const before = this.preview.kind === 'ready' && this.preview.preview.code === code ? this.preview.preview : null;
    const wasPending = !!before && before.request_pending && !before.is_member;
    // Reloading what is on screen keeps it there until the answer comes.
    if (!before) {
      this.preview = { kind: 'loading' };
      this.store.changed();
    }
    if (!isLinkCode(code)) {
      this.preview = { kind: 'notFound' };
      return this.store.changed();
    }
    try {
      const preview = await getInvitation(this.store.api.http, code);
      if (seq !== this.loadSeq) return;
      this.preview = { kind: 'ready', preview };
      if (wasPending && preview.is_member) this.outcome = 'approved';
    } catch (e) {
      if (seq !== this.loadSeq) return;
      this.preview = e instanceof ApiError && e.status === 404 ? { kind: 'notFound' } : { kind: 'failed', tooMany: e instanceof ApiError && e.status === 429 };
    }
    this.store.changed();
  }

  async join(): Promise<void> {
    const code = this.code;
    if (code === null || this.joining || this.preview.kind !== 'ready') return;
    this.joining = true;
    this.joinError = null;
    this.outcome = null;
    this.store.changed();
    try {
      const outcome = await joinByLink(this.store.api.http, code);
      if (code !== this.code) return;
      const preview = this.preview.kind === 'ready' ? this.preview.preview : null;
      if (outcome.status === 'requested') {
        if (preview) this.preview = { kind: 'ready', preview: { ...preview, request_pending: true, request_id: outcome.request.request_id } };
      } else {
        if (preview) this.preview = { kind: 'ready', preview: { ...preview, is_member: true, room_id: outcome.room_id, request_pending: false, member_count: preview.member_count + (outcome.status === 'joined' && !preview.is_member ? 1 : 0) } };
        // Straight into the room, as Chatwork does once you are in.
        void this.store.selectRoom(outcome.room_id);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) this.preview = { kind: 'notFound' };
      else this.joinError = e instanceof ApiError && e.status === 429 ? 'tooMany' : 'failed';
    } finally {
      this.joining = false;
      this.store.changed();
    }
  }

  // The caller's own request answered (in this tab's view of the link): the page says so live.
  private followOwnRequest(type: string, data: Record<string, unknown>): void {
    const me = this.store.state.me?.account_id;
    if (this.preview.kind !== 'ready' || data.account_id !== me) return;
    const preview = this.preview.preview;
    const ours = preview.request_pending && data.request_id === preview.request_id;
    if (type === 'join_request_approved' && ours) {
      this.outcome = 'approved';
      this.preview = { kind: 'ready', preview: { ...preview, is_member: true, room_id: Number(data.room_id), request_pending: false, request_id: undefined } };
    } else if ((type === 'join_request_rejected' || type === 'join_request_cancelled') && ours) {
      this.outcome = type === 'join_request_rejected' ? 'rejected' : 'cancelled';
      this.preview = { kind: 'ready', preview: { ...preview, request_pending: false, request_id: undefined } };
      // A withdrawn link shows as such; a declined request may ask again.
      if (type === 'join_request_cancelled') void this.load();
    } else if (type === 'member_added' && !preview.is_member && !this.joining) {
      // Added by an admin some other way: the page follows.
      if (this.code) void this.load();
      return;
    } else {
      return;
    }
    this.store.changed();
  }

  // --- Join requests of a room (its admins' Members tab)

  async loadRequests(roomId: number): Promise<void> {
    const known = this.requests.get(roomId);
    if (!known) {
      this.requests.set(roomId, { load: 'loading', list: [] });
      this.store.changed();
    }
    try {
      const list = await getJoinRequests(this.store.api.http, roomId);
      this.requests.set(roomId, { load: 'ready', list });
    } catch {
      this.requests.set(roomId, { load: 'failed', list: this.requests.get(roomId)?.list ?? [] });
    }
    this.store.changed();
  }

  forgetRequests(roomId: number): void {
    this.requests.delete(roomId);
    this.notices.delete(roomId);
  }

  async answer(roomId: number, request: JoinRequest, approve: boolean): Promise<void> {
    if (this.answering.has(request.request_id)) return;
    this.answering.add(request.request_id);
    this.notices.delete(roomId);
    this.store.changed();
    try {
      if (approve) await approveJoinRequest(this.store.api.http, roomId, request.request_id);
      else await rejectJoinRequest(this.store.api.http, roomId, request.request_id);
      this.notices.set(roomId, { kind: approve ? 'approved' : 'declined', name: request.account.name });
      const now = this.requests.get(roomId);
      if (now) this.requests.set(roomId, { ...now, list: now.list.filter((r) => r.request_id !== request.request_id) });
    } catch (e) {
      this.notices.set(roomId, e instanceof ApiError && e.status === 404 ? { kind: 'gone' } : { kind: 'failed' });
      void this.loadRequests(roomId);
    } finally {
      this.answering.delete(request.request_id);
      this.store.changed();
    }
  }
}

export const invitationsModel = (store: Store) => store.feature('invitations', (s) => new InvitationsModel(s));
