// The calls of contacts, contact requests, group chats, members and invitation links.
import { ApiError, type Http } from '../../api/http';
import type { Member, Room } from '../../api/types';
import type { ContactStrings } from './strings';

export type Role = Member['role'];

// GET /v2/contacts, and PUT /v2/incoming_requests/{id}'s answer.
export interface Contact {
  account_id: number;
  room_id: number;
  name: string;
  chatwork_id: string;
  organization_id?: number;
  organization_name: string;
  department: string;
  avatar_image_url: string;
}

export interface IncomingRequest {
  request_id: number;
  message: string;
  account_id: number;
  name: string;
  chatwork_id: string;
  organization_name: string;
  department: string;
  avatar_image_url: string;
}

export interface RoomDetail extends Room {
  description: string;
}

// {"public": false} when the room has none.
export interface RoomLink {
  public: boolean;
  url?: string;
  need_acceptance?: boolean;
  description?: string;
}

export interface MemberLists {
  admin: number[];
  member: number[];
  readonly: number[];
}

// Empty lists may come back as 204 without a body.
export async function getContacts(http: Http): Promise<Contact[]> {
  return (await http.get<Contact[] | undefined>('/v2/contacts')) ?? [];
}

export async function getIncomingRequests(http: Http): Promise<IncomingRequest[]> {
  return (await http.get<IncomingRequest[] | undefined>('/v2/incoming_requests')) ?? [];
}

export const acceptRequest = (http: Http, id: number) => http.put<Contact>(`/v2/incoming_requests/${id}`);
export const rejectRequest = (http: Http, id: number) => http.del<void>(`/v2/incoming_requests/${id}`);
// To an account id, or to the account that signs in with an email. By email the server answers
// "sent" alike whether or not the address has an account (no oracle for who is registered).
export const sendContactRequest = (http: Http, to: { accountId: number } | { email: string }, message: string) =>
  http.post<{ status: 'sent'; request_id?: number }>('/kaiwa/v1/contact_requests', {
    ...('email' in to ? { email: to.email } : { account_id: to.accountId }),
    message: message || undefined,
  });

// GET /kaiwa/v1/colleagues: the people of the user's organization (not the user), whom a room
// admin may add to a group chat without being contacts.
export interface Colleague {
  account_id: number;
  name: string;
  chatwork_id: string;
  organization_id: number;
  organization_name: string;
  department: string;
  avatar_image_url: string;
}

export interface ColleaguePage {
  colleagues: Colleague[];
  has_more: boolean;
}

export const getColleagues = (http: Http, q: string, offset = 0, limit = 50) =>
  http.get<ColleaguePage>('/kaiwa/v1/colleagues', { q: q || undefined, offset: offset || undefined, limit });

export const getRoomDetail = (http: Http, roomId: number) => http.get<RoomDetail>(`/v2/rooms/${roomId}`);

export const createRoom = (http: Http, room: { name: string; description: string; icon_preset: string; members: MemberLists; link: boolean }) =>
  http.post<{ room_id: number }>('/v2/rooms', {
    name: room.name,
    description: room.description,
    icon_preset: room.icon_preset,
    ...memberForm(room.members),
    link: room.link ? 1 : undefined,
  });

export const updateRoom = (http: Http, roomId: number, changes: { name: string; description: string; icon_preset: string }) =>
  http.put<{ room_id: number }>(`/v2/rooms/${roomId}`, changes);

export const leaveOrDeleteRoom = (http: Http, roomId: number, action: 'leave' | 'delete') =>
  http.request<void>('DELETE', `/v2/rooms/${roomId}`, { form: { action_type: action } });

// The whole list each time: whoever is not listed is removed.
export const putMembers = (http: Http, roomId: number, lists: MemberLists) => http.put<MemberLists>(`/v2/rooms/${roomId}/members`, memberForm(lists));

export const getLink = (http: Http, roomId: number) => http.get<RoomLink>(`/v2/rooms/${roomId}/link`);
export const createLink = (http: Http, roomId: number, link: { code?: string; description: string; need_acceptance: boolean }) =>
  http.post<RoomLink>(`/v2/rooms/${roomId}/link`, { code: link.code || undefined, description: link.description, need_acceptance: link.need_acceptance });
export const updateLink = (http: Http, roomId: number, link: { description: string; need_acceptance: boolean }) =>
  http.put<RoomLink>(`/v2/rooms/${roomId}/link`, { description: link.description, need_acceptance: link.need_acceptance });
export const deleteLink = (http: Http, roomId: number) => http.del<RoomLink>(`/v2/rooms/${roomId}/link`);

function memberForm(lists: MemberLists) {
  return {
    members_admin_ids: lists.admin.join(','),
    members_member_ids: lists.member.length ? lists.member.join(',') : undefined,
    members_readonly_ids: lists.readonly.length ? lists.readonly.join(',') : undefined,
  };
}

export function listsOf(members: readonly { account_id: number; role: Role }[]): MemberLists {
  const lists: MemberLists = { admin: [], member: [], readonly: [] };
  for (const m of members) lists[m.role].push(m.account_id);
  return lists;
}

// A failure as a sentence for the user: the server's own words (its errors are sentences), with
// the ones the client knows better (by their code) said in the user's language. `leaving`: the
// failed call was leaving the room.
export function errorText(e: unknown, s: ContactStrings, nameOf: (id: number) => string = (id) => `#${id}`, leaving = false): string {
  if (!(e instanceof ApiError)) return s.errGeneric;
  if (e.status === 0) return s.errNetwork;
  const text = e.errors.join(' ');
  if (e.code === 'last_admin') return leaving ? s.lastAdminLeave : s.lastAdmin;
  // Servers before codes: the same refusals by their words.
  if (/members_admin_ids' (is required|requires)/.test(text)) return s.lastAdmin;
  if (/last admin cannot leave/.test(text)) return s.lastAdminLeave;
  const unreachable = /Account (\d+) is not a contact or colleague/.exec(text);
  if (unreachable) return s.notReachable(nameOf(Number(unreachable[1])));
  return text || s.errGeneric;
}
