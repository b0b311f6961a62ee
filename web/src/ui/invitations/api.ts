// The calls of invitation links and join requests (docs/api/kaiwa-openapi.yaml).
import type { Http } from '../../api/http';

// GET /kaiwa/v1/invitations/{code}: what the link shows before joining.
export interface InvitationPreview {
  code: string;
  name: string;
  icon_path: string;
  description: string;
  member_count: number;
  need_acceptance: boolean;
  is_member: boolean;
  room_id?: number;
  request_pending: boolean;
  request_id?: number;
}

export interface JoinRequest {
  request_id: number;
  room_id: number;
  requested_at: number;
  account: {
    account_id: number;
    name: string;
    avatar_image_url: string;
    chatwork_id: string;
    organization_id: number;
    organization_name: string;
    department: string;
  };
}

export type JoinOutcome = { status: 'joined' | 'already_member'; room_id: number } | { status: 'requested'; request: JoinRequest };

// Link codes are A-Z, a-z, 0-9, _ and - (1 to 50): anything else names no link.
export const isLinkCode = (code: string) => /^[A-Za-z0-9_-]{1,50}$/.test(code);

export const getInvitation = (http: Http, code: string) => http.get<InvitationPreview>(`/kaiwa/v1/invitations/${encodeURIComponent(code)}`);
export const joinByLink = (http: Http, code: string) => http.post<JoinOutcome>(`/kaiwa/v1/invitations/${encodeURIComponent(code)}/join`);
export const getJoinRequests = async (http: Http, roomId: number) => (await http.get<{ join_requests: JoinRequest[] }>(`/kaiwa/v1/rooms/${roomId}/join_requests`)).join_requests;
export const approveJoinRequest = (http: Http, roomId: number, id: number) => http.put<{ status: 'approved'; request: JoinRequest }>(`/kaiwa/v1/rooms/${roomId}/join_requests/${id}`);
export const rejectJoinRequest = (http: Http, roomId: number, id: number) => http.del<{ status: 'rejected'; request: JoinRequest }>(`/kaiwa/v1/rooms/${roomId}/join_requests/${id}`);
