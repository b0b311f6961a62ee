// The tasks feature's state: My Tasks (open, done), each room's task lists, the user's open task
// count (the header badge), the "task from a message" dialog. Lists are read from the server and
// read again when a task event arrives for them, so another tab's or person's change shows at once.
import { ApiError } from '../../api/http';
import type { Message } from '../../api/types';
import type { StreamEvent } from '../../realtime/stream';
import type { Store } from '../store';
import { fromMyTask, fromRoomTask, TasksApi, type NewTask, type Task, type TaskStatus } from './api';

export type RoomFilter = 'all' | 'mine' | 'byMe';

export interface TaskList {
  items: Task[];
  loaded: boolean;
  loading: boolean;
  error: boolean;
}

const kEmpty: TaskList = { items: [], loaded: false, loading: false, error: false };

export const myKey = (status: TaskStatus) => `my:${status}`;
export const roomKey = (roomId: number, status: TaskStatus, filter: RoomFilter) => `room:${roomId}:${status}:${filter}`;

export class TasksModel {
  readonly api: TasksApi;
  private lists = new Map<string, TaskList>();
  private seq = new Map<string, number>();
  openCount: number | null = null;
  private countSeq = 0;
  // Tasks whose status is being changed, and the last change's result (for the undo line).
  busy = new Map<number, TaskStatus>(); // task id → the status asked for
  notice: { kind: 'markedDone' | 'reopened'; task: Task } | null = null;
  changeError: { taskId: number; kind: 'changeFailed' | 'notAllowed' } | null = null;
  // The message a task is being made from (the timeline's "Task" action).
  dialog: { roomId: number; message: Message } | null = null;
  private dirty = new Set<string>();
  private countDirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly store: Store) {
    this.api = new TasksApi(store.api.http);
    store.onStreamEvent((ev) => this.onEvent(ev));
  }

  list(key: string): TaskList {
    return this.lists.get(key) ?? kEmpty;
  }

  ensure(key: string): void {
    const l = this.lists.get(key);
    if (!l || (!l.loaded && !l.loading && !l.error)) void this.load(key);
  }

  async load(key: string): Promise<void> {
    const n = (this.seq.get(key) ?? 0) + 1;
    this.seq.set(key, n);
    const prev = this.list(key);
    this.lists.set(key, { ...prev, loading: true, error: false });
    this.store.changed();
    try {
      const items = await this.fetch(key);
      if (this.seq.get(key) !== n) return;
      this.lists.set(key, { items, loaded: true, loading: false, error: false });
    } catch {
      if (this.seq.get(key) !== n) return;
      this.lists.set(key, { ...this.list(key), loading: false, error: true });
    }
    this.store.changed();
  }

  private async fetch(key: string): Promise<Task[]> {
    const parts = key.split(':');
    const me = this.store.state.me!;
    if (parts[0] === 'my') return (await this.api.myTasks(parts[1] as TaskStatus)).map((t) => fromMyTask(t, me));
    const roomId = Number(parts[1]);
    const filter = parts[3] as RoomFilter;
    const tasks = await this.api.roomTasks(roomId, parts[2] as TaskStatus, {
      accountId: filter === 'mine' ? me.account_id : undefined,
      assignedBy: filter === 'byMe' ? me.account_id : undefined,
    });
    return tasks.map((t) => fromRoomTask(t, roomId));
  }

  // The current status of the task a message announced (its "task added" notice), for the card
  // in the timeline. Reads the room's lists the first time a card asks.
  statusOf(roomId: number, messageId: string): TaskStatus | undefined {
    const keys = [roomKey(roomId, 'open', 'all'), roomKey(roomId, 'done', 'all')];
    if (keys.some((k) => !this.lists.has(k))) queueMicrotask(() => keys.forEach((k) => this.ensure(k)));
    for (const [i, key] of keys.entries()) {
      if (this.list(key).items.some((t) => t.message_id === messageId)) return i === 0 ? 'open' : 'done';
    }
    return undefined;
  }

  ensureCount(): void {
    if (this.openCount === null && this.countSeq === 0) void this.loadCount();
  }

  async loadCount(): Promise<void> {
    const n = ++this.countSeq;
    try {
      const count = await this.api.openCount();
      if (n !== this.countSeq) return;
      this.openCount = count;
      this.store.changed();
    } catch {
      // The next task event tries again; the badge keeps its last value.
    }
  }

  // Whether the user may change a task's status: the server lets the assignee, the person who
  // assigned it and the room's admins do it.
  canChange(task: Task): boolean {
    const me = this.store.state.me?.account_id;
    if (me === undefined) return false;
    if (task.assignee.account_id === me || task.assigned_by.account_id === me) return true;
    return this.store.room(task.room_id)?.role === 'admin';
  }

  async setStatus(task: Task, status: TaskStatus, undo = false): Promise<boolean> {
    if (this.busy.has(task.task_id)) return false;
    this.busy.set(task.task_id, status);
    this.changeError = null;
    this.store.changed();
    try {
      await this.api.setStatus(task.room_id, task.task_id, status);
      const changed = { ...task, status };
      this.move(changed);
      this.notice = undo ? null : { kind: status === 'done' ? 'markedDone' : 'reopened', task: changed };
      this.markDirty(task.room_id);
      return true;
    } catch (e) {
      this.changeError = { taskId: task.task_id, kind: e instanceof ApiError && e.status === 403 ? 'notAllowed' : 'changeFailed' };
      return false;
    } finally {
      this.busy.delete(task.task_id);
      this.store.changed();
    }
  }

  // Moves a task between the loaded open and done lists at once (the event's reload confirms).
  private move(task: Task): void {
    const me = this.store.state.me?.account_id;
    for (const [key, list] of this.lists) {
      if (!list.loaded) continue;
      const parts = key.split(':');
      const mine = parts[0] === 'my';
      if (!mine && Number(parts[1]) !== task.room_id) continue;
      const status = (mine ? parts[1] : parts[2]) as TaskStatus;
      const without = list.items.filter((t) => t.task_id !== task.task_id);
      let items = without;
      if (status === task.status) {
        const existing = list.items.find((t) => t.task_id === task.task_id);
        const filter = parts[3] as RoomFilter | undefined;
        const fits = mine ? task.assignee.account_id === me : filter === 'all' || (filter === 'mine' && task.assignee.account_id === me) || (filter === 'byMe' && task.assigned_by.account_id === me);
        if (fits) items = [...without, { ...(existing ?? task), status: task.status }];
      }
      this.lists.set(key, { ...list, items });
    }
  }

  async create(roomId: number, task: NewTask): Promise<number[]> {
    const ids = await this.api.create(roomId, task);
    this.markDirty(roomId);
    return ids;
  }

  openDialog(roomId: number, message: Message): void {
    this.dialog = { roomId, message };
    this.store.changed();
  }

  closeDialog(): void {
    this.dialog = null;
    this.store.changed();
  }

  dismissNotice(): void {
    this.notice = null;
    this.changeError = null;
    this.store.changed();
  }

  private onEvent(ev: StreamEvent): void {
    const d = ev.data;
    const roomId = typeof d.room_id === 'number' ? d.room_id : null;
    const meId = this.store.state.me?.account_id;
    switch (ev.type) {
      case 'task_created':
      case 'task_updated':
        if (roomId !== null) this.markDirty(roomId);
        break;
      case 'member_removed':
      case 'member_left':
      case 'room_deleted':
        // Leaving a room drops the tasks assigned there; deleting one drops all of its tasks.
        if (roomId !== null && (d.account_id === meId || ev.type === 'room_deleted')) this.markDirty(roomId);
        break;
      case 'resync':
        // Events were missed (the store re-reads everything): so do the lists and the count.
        for (const key of this.lists.keys()) this.dirty.add(key);
        this.countDirty = true;
        this.schedule();
        break;
      case 'room_updated':
        // A renamed room: My Tasks shows room names.
        for (const key of this.lists.keys()) if (key.startsWith('my:')) this.dirty.add(key);
        this.schedule();
        break;
      default:
        break;
    }
  }

  // Reads again, shortly and once for a burst, every loaded list the room's change may touch.
  private markDirty(roomId: number): void {
    for (const key of this.lists.keys()) {
      if (key.startsWith('my:') || key.startsWith(`room:${roomId}:`)) this.dirty.add(key);
    }
    this.countDirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const keys = [...this.dirty];
      this.dirty.clear();
      for (const key of keys) if (this.lists.has(key)) void this.load(key);
      if (this.countDirty) {
        this.countDirty = false;
        void this.loadCount();
      }
    }, 150);
  }
}

export function tasksOf(store: Store): TasksModel {
  return store.feature('tasks', (s) => new TasksModel(s));
}
