// The JSON shapes the client reads from /v2 (Chatwork) and /kaiwa/v1.

export interface Account {
  account_id: number;
  name: string;
  avatar_image_url: string;
}

export interface Me extends Account {
  room_id: number;
  chatwork_id: string;
  organization_name: string;
}

export type RoomType = 'my' | 'direct' | 'group';

export interface Room {
  room_id: number;
  name: string;
  type: RoomType;
  role: 'admin' | 'member' | 'readonly';
  sticky: boolean;
  unread_num: number;
  mention_num: number;
  mytask_num: number;
  message_num: number;
  icon_path: string;
  last_update_time: number;
}

export interface Member extends Account {
  role: 'admin' | 'member' | 'readonly';
}

export interface Message {
  message_id: string;
  account: Account;
  body: string;
  send_time: number;
  update_time: number;
}

export interface MessagePage {
  messages: Message[];
  has_more_before: boolean;
  has_more_after: boolean;
}

export interface Session {
  account_id: number;
  csrf_token: string;
  expires_at?: number;
  // The largest file an upload may be (bytes); absent from servers before it was added.
  max_upload_bytes?: number;
}
