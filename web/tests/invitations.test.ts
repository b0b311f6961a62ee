import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/http';
import type { StreamEvent } from '../src/realtime/stream';
import { isLinkCode } from '../src/ui/invitations/api';
import { InvitationsModel } from '../src/ui/invitations/model';
import type { Store } from '../src/ui/store';

// A store with just what the model uses; `answers` decides what each call returns.
function fakeStore(answers: Record<string, () => unknown>) {
  const calls: string[] = [];
  const selected: number[] = [];
  const listeners: Array<(ev: StreamEvent) => void> = [];
  const call = async (method: string, path: string) => {
    calls.push(`${method} ${path}`);
    const answer = answers[`${method} ${path}`];
    if (!answer) throw new ApiError(500, ['unexpected call']);
    return answer();
  };
  const store = {
    state: { lang: 'en', me: { account_id: 7, name: 'Me', avatar_image_url: '' } },
    api: { http: { get: (p: string) => call('GET', p), post: (p: string) => call('POST', p), put: (p: string) => call('PUT', p), del: (p: string) => call('DELETE', p) } },
    onStreamEvent: (fn: (ev: StreamEvent) => void) => {
      listeners.push(fn);
      return () => undefined;
    },
    changed: () => undefined,
    selectRoom: async (id: number) => {
      selected.push(id);
    },
  } as unknown as Store;
  const emit = (type: string, data: Record<string, unknown> = {}) => listeners.forEach((fn) => fn({ pos: 1, type, created_at_ms: 0, data } as StreamEvent));
  return { store, calls, selected, emit };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const preview = (over: Record<string, unknown> = {}) => ({ code: 'team', name: 'Team', icon_path: '/icons/group.png', description: '', member_count: 2, need_acceptance: true, is_member: false, request_pending: false, ...over });

describe('invitations model', () => {
  it('knows a link code when it sees one', () => {
    expect(isLinkCode('launch-2027_A')).toBe(true);
    for (const bad of ['', 'a b', 'a/b', 'x'.repeat(51), 'コード', '%41']) expect(isLinkCode(bad)).toBe(false);
  });

  it('answers a malformed code without asking the server, and an unknown one as not found', async () => {
    const { store, calls } = fakeStore({
      'GET /kaiwa/v1/invitations/gone': () => {
        throw new ApiError(404, ['Invitation link not found']);
      },
    });
    const model = new InvitationsModel(store);
    model.open('a b');
    await flush();
    expect(model.preview).toEqual({ kind: 'notFound' });
    expect(calls).toEqual([]);
    model.open('gone');
    await flush();
    expect(model.preview).toEqual({ kind: 'notFound' });
  });

  it('joins and opens the room, or waits for an admin and follows the answer live', async () => {
    let current = preview({ need_acceptance: false });
    const { store, selected, emit } = fakeStore({
      'GET /kaiwa/v1/invitations/team': () => current,
      'POST /kaiwa/v1/invitations/team/join': () => (current.need_acceptance ? { status: 'requested', request: { request_id: 5, room_id: 9 } } : { status: 'joined', room_id: 9 }),
    });
    const model = new InvitationsModel(store);
    model.open('team');
    await flush();
    await model.join();
    expect(selected).toEqual([9]);
    expect(model.preview.kind === 'ready' && model.preview.preview.is_member).toBe(true);

    current = preview();
    const other = new InvitationsModel(store);
    other.open('team');
    await flush();
    await other.join();
    expect(other.preview.kind === 'ready' && other.preview.preview.request_pending).toBe(true);
    emit('join_request_rejected', { room_id: 9, request_id: 4, account_id: 7 });
    expect(other.outcome).toBe(null); // another request's answer
    emit('join_request_approved', { room_id: 9, request_id: 5, account_id: 7 });
    expect(other.outcome).toBe('approved');
    expect(other.preview.kind === 'ready' && other.preview.preview.room_id).toBe(9);
  });

  it('takes a membership that arrives before the answer as the approval', async () => {
    let current = preview({ request_pending: true, request_id: 5 });
    const { store, emit } = fakeStore({ 'GET /kaiwa/v1/invitations/team': () => current });
    const model = new InvitationsModel(store);
    model.open('team');
    await flush();
    current = preview({ is_member: true, room_id: 9 });
    emit('member_added', { room_id: 9, account_id: 7, role: 'member' });
    await flush();
    expect(model.outcome).toBe('approved');
    expect(model.preview.kind === 'ready' && model.preview.preview.is_member).toBe(true);
  });

  it('keeps an open room\'s request list current and reports an answer that came too late', async () => {
    let list = [{ request_id: 5, room_id: 9, requested_at: 0, account: { account_id: 3, name: 'Bob', avatar_image_url: '', chatwork_id: '', organization_id: 1, organization_name: 'Org', department: '' } }];
    const { store, emit } = fakeStore({
      'GET /kaiwa/v1/rooms/9/join_requests': () => ({ join_requests: list }),
      'PUT /kaiwa/v1/rooms/9/join_requests/5': () => {
        throw new ApiError(404, ['Join request not found']);
      },
    });
    const model = new InvitationsModel(store);
    await model.loadRequests(9);
    expect(model.requests.get(9)?.list.map((r) => r.request_id)).toEqual([5]);
    const request = list[0];
    list = [];
    await model.answer(9, request, true);
    expect(model.notices.get(9)).toEqual({ kind: 'gone' });
    await flush();
    expect(model.requests.get(9)?.list).toEqual([]);
    list = [request];
    emit('join_request_created', { room_id: 9, request_id: 5, account_id: 3 });
    await flush();
    expect(model.requests.get(9)?.list.length).toBe(1);
  });
});
