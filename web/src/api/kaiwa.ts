// The calls the client makes, one function per endpoint.
import { Http } from './http';
import type { Me, Member, Message, MessagePage, Room, Session } from './types';

export class KaiwaApi {
  readonly http = new Http();
  // From the session: the largest upload the server takes (0: not known).
  maxUploadBytes = 0;

  // The current session after a reload; null when not signed in (no console noise: 401 expected).
  async session(): Promise<Session | null> {
    try {
      const s = await this.http.get<Session>('/kaiwa/v1/session', undefined, false);
      this.http.csrfToken = s.csrf_token;
      this.maxUploadBytes = s.max_upload_bytes ?? 0;
      return s;
    } catch (e) {
      if ((e as { status?: number }).status === 401) return null;
      throw e;
    }
  }

  async signIn(email: string, password: string): Promise<Session> {
    const s = await this.http.post<Session>('/kaiwa/v1/session', { email, password }, false);
    this.http.csrfToken = s.csrf_token;
    this.maxUploadBytes = s.max_upload_bytes ?? 0;
    return s;
  }

  async signOut(): Promise<void> {
    await this.http.del('/kaiwa/v1/session');
    this.http.csrfToken = '';
  }

  me() {
    return this.http.get<Me>('/v2/me');
  }

  async rooms(): Promise<Room[]> {
    return (await this.http.get<Room[] | undefined>('/v2/rooms')) ?? [];
  }

  room(roomId: number) {
    return this.http.get<Room>(`/v2/rooms/${roomId}`);
  }

  async members(roomId: number): Promise<Member[]> {
    return (await this.http.get<Member[] | undefined>(`/v2/rooms/${roomId}/members`)) ?? [];
  }

  history(roomId: number, page: { before?: string; after?: string; limit?: number } = {}) {
    return this.http.get<MessagePage>(`/kaiwa/v1/rooms/${roomId}/messages`, { before: page.before, after: page.after, limit: page.limit ?? 50 });
  }

  message(roomId: number, messageId: string) {
    return this.http.get<Message>(`/v2/rooms/${roomId}/messages/${messageId}`);
  }

  post(roomId: number, body: string) {
    return this.http.post<{ message_id: string }>(`/v2/rooms/${roomId}/messages`, { body });
  }

  edit(roomId: number, messageId: string, body: string) {
    return this.http.put<{ message_id: string }>(`/v2/rooms/${roomId}/messages/${messageId}`, { body });
  }

  remove(roomId: number, messageId: string) {
    return this.http.del<{ message_id: string }>(`/v2/rooms/${roomId}/messages/${messageId}`);
  }

  markRead(roomId: number, messageId?: string) {
    return this.http.put<{ unread_num: number; mention_num: number }>(`/v2/rooms/${roomId}/messages/read`, { message_id: messageId });
  }

  streamUrl(since: number | undefined): string {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}/kaiwa/v1/stream${since === undefined ? '' : `?since=${since}`}`;
  }
}
