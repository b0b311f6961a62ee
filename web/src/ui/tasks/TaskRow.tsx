// One task in a list (My Tasks, a room's Tasks tab): a checkbox to mark it done or reopen it
// (only for those who may), its body in notation, the deadline, where it is and who is involved.
import { useMemo } from 'preact/hooks';
import { Avatar } from '../Avatar';
import { formatDateTime } from '../format';
import type { Strings } from '../i18n';
import { parseNotation, plainText } from '../notation/parse';
import { renderNodes, type RenderContext } from '../notation/render';
import type { Store } from '../store';
import type { Task } from './api';
import { dueState, formatDue } from './due';
import type { TasksModel } from './model';
import type { TaskStrings } from './strings';

export function TaskRow({ store, t, tt, model, task, where }: { store: Store; t: Strings; tt: TaskStrings; model: TasksModel; task: Task; where: 'my' | 'room' }) {
  const { lang, me } = store.state;
  const nodes = useMemo(() => parseNotation(task.body), [task.body]);
  const ctx: RenderContext = { t, person: (id) => store.state.people.get(id), formatTime: (u) => formatDateTime(u, lang), meId: me?.account_id, lang };
  const plain = useMemo(() => {
    const text = plainText(nodes, (id) => store.nameOf(id)).replace(/\s+/g, ' ').trim();
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  }, [nodes]);
  const done = task.status === 'done';
  // While the change is on its way, the checkbox shows what was asked for.
  const checked = (model.busy.get(task.task_id) ?? task.status) === 'done';
  const state = dueState(task);
  const due = formatDue(task, lang);
  const busy = model.busy.has(task.task_id);
  const allowed = model.canChange(task);
  const error = model.changeError?.taskId === task.task_id ? model.changeError.kind : null;
  const roomName = task.room_name ?? store.room(task.room_id)?.name ?? '';
  const assignee = store.state.people.get(task.assignee.account_id) ?? task.assignee;
  const assigner = store.state.people.get(task.assigned_by.account_id) ?? task.assigned_by;
  return (
    <li class={`task-row${done ? ' task-row-done' : ''}${!done && state === 'overdue' ? ' task-row-overdue' : ''}`} data-task-id={task.task_id}>
      <div class="task-check-cell">
        {allowed ? (
          <input
            type="checkbox"
            class="task-check"
            checked={checked}
            disabled={busy}
            aria-label={done ? tt.reopen(plain) : tt.markDone(plain)}
            onChange={() => void model.setStatus(task, done ? 'open' : 'done')}
          />
        ) : (
          <span class={`task-state-icon${done ? ' task-state-icon-done' : ''}`} role="img" aria-label={done ? tt.statusDone : tt.statusOpen} />
        )}
      </div>
      <div class="task-main">
        <div class="task-body">{renderNodes(nodes, ctx)}</div>
        <div class="task-meta">
          {due ? (
            <span class={`task-due task-due-${done ? 'plain' : state}`}>
              {!done && state === 'overdue' && <span class="task-due-flag">{tt.overdue}</span>}
              {!done && state === 'today' && <span class="task-due-flag">{tt.dueToday}</span>}
              {tt.due(due)}
            </span>
          ) : (
            <span class="task-due task-due-none">{tt.noDue}</span>
          )}
          {where === 'room' && (
            <span class="task-person" title={tt.assignee}>
              <Avatar account={assignee} size="xs" />
              <span class="visually-hidden">{tt.assignee}: </span>
              {assignee.name}
            </span>
          )}
          {where === 'my' && roomName && (
            <button type="button" class="link-button task-room" onClick={() => void openTaskMessage(store, task)} aria-label={tt.openInChat(roomName)}>
              {roomName}
            </button>
          )}
          <span class="task-from">
            {tt.assignedBy(assigner.name)}
          </span>
        </div>
        {error && (
          <p class="task-error" role="alert">
            {error === 'notAllowed' ? tt.notAllowed : tt.changeFailed}
          </p>
        )}
      </div>
    </li>
  );
}

// Opens the task's room at its message (the "task added" notice), centred and highlighted.
export function openTaskMessage(store: Store, task: Task): Promise<void> {
  return store.openMessage(task.room_id, task.message_id);
}
