import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../src/realtime/stream';
import type { Store } from '../src/ui/store';
import type { MyTask } from '../src/ui/tasks/api';
import { myKey, roomKey, TasksModel } from '../src/ui/tasks/model';

const me = { account_id: 1, name: 'Me', avatar_image_url: '' };
const boss = { account_id: 2, name: 'Boss', avatar_image_url: '' };

function myTask(id: number, status: 'open' | 'done'): MyTask {
  return { task_id: id, room: { room_id: 10, name: 'Room', icon_path: '' }, assigned_by_account: boss, message_id: String(100 + id), body: `task ${id}`, limit_time: 0, limit_type: 'none', status };
}

// A store with just what the model uses, and a server that keeps the tasks.
function setup() {
  const tasks = new Map<number, MyTask>([[1, myTask(1, 'open')], [2, myTask(2, 'done')]]);
  const calls: string[] = [];
  let listener: (ev: StreamEvent) => void = () => {};
  const http = {
    get: vi.fn(async (path: string, query?: Record<string, unknown>) => {
      calls.push(`GET ${path}${query?.status ? ` ${query.status}` : ''}`);
      if (path === '/v2/my/tasks') return [...tasks.values()].filter((t) => t.status === query?.status);
      if (path === '/v2/my/status') return { mytask_num: [...tasks.values()].filter((t) => t.status === 'open').length };
      if (path === '/v2/rooms/10/tasks') return [...tasks.values()].filter((t) => t.status === query?.status).map(({ room: _room, ...t }) => ({ ...t, account: me }));
      throw new Error(path);
    }),
    put: vi.fn(async (path: string, form: { body: 'open' | 'done' }) => {
      calls.push(`PUT ${path} ${form.body}`);
      const id = Number(/tasks\/(\d+)/.exec(path)![1]);
      tasks.set(id, { ...tasks.get(id)!, status: form.body });
      return { task_id: id };
    }),
    post: vi.fn(),
  };
  const store = {
    api: { http },
    state: { me, rooms: [{ room_id: 10, role: 'member' }], people: new Map() },
    room: (id: number) => (id === 10 ? { room_id: 10, role: 'member' } : undefined),
    changed: vi.fn(),
    onStreamEvent: (fn: (ev: StreamEvent) => void) => {
      listener = fn;
      return () => {};
    },
  } as unknown as Store;
  const model = new TasksModel(store);
  return { model, tasks, calls, emit: (ev: StreamEvent) => listener(ev) };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

afterEach(() => vi.useRealTimers());

describe('TasksModel', () => {
  it('moves a task from open to done when it is marked done', async () => {
    const { model } = setup();
    await model.load(myKey('open'));
    await model.load(myKey('done'));
    expect(model.list(myKey('open')).items.map((t) => t.task_id)).toEqual([1]);
    const task = model.list(myKey('open')).items[0];
    expect(model.canChange(task)).toBe(true);
    expect(await model.setStatus(task, 'done')).toBe(true);
    expect(model.list(myKey('open')).items).toEqual([]);
    expect(model.list(myKey('done')).items.map((t) => [t.task_id, t.status])).toEqual([[2, 'done'], [1, 'done']]);
    expect(model.notice?.kind).toBe('markedDone');
  });

  it('reads the loaded lists and the count again once for a burst of task events', async () => {
    vi.useFakeTimers();
    const { model, tasks, calls, emit } = setup();
    await model.load(myKey('open'));
    await model.loadCount();
    expect(model.openCount).toBe(1);
    calls.length = 0;
    tasks.set(3, myTask(3, 'open'));
    emit({ pos: 1, type: 'task_created', data: { room_id: 10, task_id: 3, account_id: 1 } });
    emit({ pos: 2, type: 'message_created', data: { room_id: 10 } });
    emit({ pos: 3, type: 'task_updated', data: { room_id: 10, task_id: 3, status: 'open' } });
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(calls.sort()).toEqual(['GET /v2/my/status', 'GET /v2/my/tasks open']);
    expect(model.list(myKey('open')).items.map((t) => t.task_id)).toEqual([1, 3]);
    expect(model.openCount).toBe(2);
  });

  it('knows the current status of the task a message announced', async () => {
    const { model } = setup();
    expect(model.statusOf(10, '101')).toBeUndefined();
    await flush();
    await flush();
    expect(model.list(roomKey(10, 'open', 'all')).loaded).toBe(true);
    expect(model.statusOf(10, '101')).toBe('open');
    expect(model.statusOf(10, '102')).toBe('done');
    expect(model.statusOf(10, '999')).toBeUndefined();
  });
});
