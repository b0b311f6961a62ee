// The open room's Tasks tab: its open or done tasks (everyone's, mine, or those I assigned), each
// with its assignee and deadline; a checkbox for those who may change it; and "Add task" for
// members who may post.
import { useEffect, useState } from 'preact/hooks';
import type { Room } from '../../api/types';
import type { Strings } from '../i18n';
import type { Store } from '../store';
import type { TaskStatus } from './api';
import { sortTasks } from './due';
import { roomKey, tasksOf, type RoomFilter } from './model';
import { taskStrings } from './strings';
import { TaskForm } from './TaskForm';
import { TaskNotice } from './TasksPage';
import { TaskRow } from './TaskRow';
import './tasks.css';

export function RoomTasks({ store, t, room }: { store: Store; t: Strings; room: Room }) {
  const model = tasksOf(store);
  const tt = taskStrings[store.state.lang];
  const [status, setStatus] = useState<TaskStatus>('open');
  const [filter, setFilter] = useState<RoomFilter>('all');
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<number | null>(null);
  const key = roomKey(room.room_id, status, filter);
  useEffect(() => {
    model.ensure(key);
  }, [key]);
  useEffect(() => {
    setAdding(false);
    setCreated(null);
  }, [room.room_id]);
  const list = model.list(key);
  const canAdd = room.role !== 'readonly';

  return (
    <div class="room-tasks" data-testid="room-tasks" data-status={status}>
      <div class="room-tasks-tools">
        <div class="task-switch" role="group" aria-label={tt.statusNav}>
          {(['open', 'done'] as const).map((s) => (
            <button key={s} type="button" class={`toggle${status === s ? ' toggle-on' : ''}`} aria-pressed={status === s} onClick={() => setStatus(s)}>
              {s === 'open' ? tt.open : tt.done}
            </button>
          ))}
        </div>
        <select class="task-filter" aria-label={tt.filterLabel} value={filter} onChange={(e) => setFilter(e.currentTarget.value as RoomFilter)}>
          <option value="all">{tt.filterAll}</option>
          <option value="mine">{tt.filterMine}</option>
          <option value="byMe">{tt.filterByMe}</option>
        </select>
      </div>
      {canAdd && !adding && (
        <div class="room-tasks-add">
          <button
            type="button"
            class="button button-primary task-add-button"
            onClick={() => {
              setAdding(true);
              setCreated(null);
            }}
          >
            <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
              <path d="M10 4v12M4 10h12" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            </svg>
            {tt.addTask}
          </button>
        </div>
      )}
      {canAdd && adding && (
        <section class="room-tasks-form" aria-labelledby="room-task-form-title">
          <h3 class="task-form-title" id="room-task-form-title">
            {tt.newTask}
          </h3>
          <TaskForm
            store={store}
            tt={tt}
            model={model}
            roomId={room.room_id}
            idPrefix="room-task"
            autoFocus
            initialAssignees={room.type === 'my' ? [store.state.me!.account_id] : []}
            onCreated={(n) => {
              setAdding(false);
              setCreated(n);
            }}
            onCancel={() => setAdding(false)}
          />
        </section>
      )}
      <div role="status" class="task-notice-area">
        {created !== null && <div class="task-notice">{tt.created(created)}</div>}
      </div>
      <TaskNotice model={model} tt={tt} />
      {list.error && !list.loaded ? (
        <div class="task-load-error" role="alert">
          <p>{tt.loadFailed}</p>
          <button type="button" class="button" onClick={() => void model.load(key)}>
            {tt.retry}
          </button>
        </div>
      ) : !list.loaded ? (
        <p class="empty" role="status">
          {t.loading}
        </p>
      ) : list.items.length === 0 ? (
        <p class="empty task-empty">{status === 'open' ? tt.emptyRoomOpen : tt.emptyRoomDone}</p>
      ) : (
        <ul class="task-list task-list-room" aria-label={`${t.panel.tasks}: ${status === 'open' ? tt.open : tt.done}`}>
          {sortTasks(list.items, status).map((task) => (
            <TaskRow key={task.task_id} store={store} t={t} tt={tt} model={model} task={task} where="room" />
          ))}
        </ul>
      )}
    </div>
  );
}
