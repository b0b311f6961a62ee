// The task endpoints (Chatwork API v2) and the shapes they answer with. An empty list may come
// back as 204 with no body: that reads as [].
import type { Account } from '../../api/types';
import type { Http } from '../../api/http';

export type TaskStatus = 'open' | 'done';
export type LimitType = 'none' | 'date' | 'time';

// GET /my/tasks: the caller's tasks, with the room they are in.
export interface MyTask {
  task_id: number;
  room: { room_id: number; name: string; icon_path: string };
  assigned_by_account: Account;
  message_id: string;
  body: string;
  limit_time: number;
  limit_type: LimitType;
  status: TaskStatus;
}

// GET /rooms/{id}/tasks: a room's tasks, with the assignee.
export interface RoomTask {
  task_id: number;
  account: Account;
  assigned_by_account: Account;
  message_id: string;
  body: string;
  limit_time: number;
  limit_type: LimitType;
  status: TaskStatus;
}

// One shape for both lists: the room is known for both, the assignee for room tasks (and it is
// the user for My Tasks).
export interface Task {
  task_id: number;
  room_id: number;
  room_name?: string;
  room_icon?: string;
  assignee: Account;
  assigned_by: Account;
  message_id: string;
  body: string;
  limit_time: number;
  limit_type: LimitType;
  status: TaskStatus;
}

export interface NewTask {
  body: string;
  toIds: number[];
  limit: number; // Unix seconds; 0 without a deadline
  limitType: LimitType;
}

export function fromMyTask(t: MyTask, me: Account): Task {
  return {
    task_id: t.task_id, room_id: t.room.room_id, room_name: t.room.name, room_icon: t.room.icon_path, assignee: me,
    assigned_by: t.assigned_by_account, message_id: t.message_id, body: t.body, limit_time: t.limit_time, limit_type: t.limit_type ?? (t.limit_time > 0 ? 'time' : 'none'), status: t.status,
  };
}

export function fromRoomTask(t: RoomTask, roomId: number): Task {
  return {
    task_id: t.task_id, room_id: roomId, assignee: t.account, assigned_by: t.assigned_by_account, message_id: t.message_id,
    body: t.body, limit_time: t.limit_time, limit_type: t.limit_type ?? (t.limit_time > 0 ? 'time' : 'none'), status: t.status,
  };
}

export class TasksApi {
  constructor(private readonly http: Http) {}

  async myTasks(status: TaskStatus): Promise<MyTask[]> {
    return (await this.http.get<MyTask[] | undefined>('/v2/my/tasks', { status })) ?? [];
  }

  async roomTasks(roomId: number, status: TaskStatus, filter: { accountId?: number; assignedBy?: number } = {}): Promise<RoomTask[]> {
    return (await this.http.get<RoomTask[] | undefined>(`/v2/rooms/${roomId}/tasks`, { status, account_id: filter.accountId, assigned_by_account_id: filter.assignedBy })) ?? [];
  }

  async create(roomId: number, task: NewTask): Promise<number[]> {
    const form = { body: task.body, to_ids: task.toIds.join(','), limit: task.limitType === 'none' ? undefined : task.limit, limit_type: task.limitType };
    const res = await this.http.post<{ task_ids: number[] }>(`/v2/rooms/${roomId}/tasks`, form);
    return res?.task_ids ?? [];
  }

  setStatus(roomId: number, taskId: number, status: TaskStatus) {
    return this.http.put<{ task_id: number }>(`/v2/rooms/${roomId}/tasks/${taskId}/status`, { body: status });
  }

  async openCount(): Promise<number> {
    const s = await this.http.get<{ mytask_num: number }>('/v2/my/status');
    return Number(s?.mytask_num ?? 0);
  }
}
