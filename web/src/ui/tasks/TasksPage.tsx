// My Tasks: the user's tasks in every room. Open ones in sections (overdue, due today, upcoming,
// no due date); done ones most recent first. Checking a task marks it done, with an undo.
import { useEffect, useState } from 'preact/hooks';
import type { Strings } from '../i18n';
import { Page } from '../Page';
import type { Store } from '../store';
import type { TaskStatus } from './api';
import { groupOpen, sortTasks } from './due';
import { myKey, tasksOf, type TaskList, type TasksModel } from './model';
import { taskStrings, type TaskStrings } from './strings';
import { TaskRow } from './TaskRow';
import './tasks.css';

export function TasksPage({ store, t }: { store: Store; t: Strings }) {
  const model = tasksOf(store);
  const tt = taskStrings[store.state.lang];
  const [status, setStatus] = useState<TaskStatus>('open');
  const key = myKey(status);
  useEffect(() => {
    model.ensure(key);
    model.ensureCount();
  }, [key]);
  useEffect(() => () => model.dismissNotice(), []);
  const list = model.list(key);
  const openCount = model.openCount;

  const switcher = (
    <div class="task-switch" role="group" aria-label={tt.statusNav}>
      {(['open', 'done'] as const).map((s) => (
        <button key={s} type="button" class={`toggle${status === s ? ' toggle-on' : ''}`} aria-pressed={status === s} onClick={() => setStatus(s)}>
          {s === 'open' ? tt.open : tt.done}
          {s === 'open' && openCount !== null && openCount > 0 && <span class="task-switch-count">{openCount}</span>}
        </button>
      ))}
    </div>
  );

  return (
    <Page store={store} t={t} title={t.nav.tasks} actions={switcher}>
      <div class="tasks-page" data-testid="my-tasks" data-status={status}>
        <TaskNotice model={model} tt={tt} />
        <ListBody store={store} t={t} tt={tt} model={model} list={list} status={status} onRetry={() => void model.load(key)} />
      </div>
    </Page>
  );
}

function ListBody({ store, t, tt, model, list, status, onRetry }: { store: Store; t: Strings; tt: TaskStrings; model: TasksModel; list: TaskList; status: TaskStatus; onRetry: () => void }) {
  if (list.error && !list.loaded) {
    return (
      <div class="task-load-error" role="alert">
        <p>{tt.loadFailed}</p>
        <button type="button" class="button" onClick={onRetry}>
          {tt.retry}
        </button>
      </div>
    );
  }
  if (!list.loaded) return <p class="empty" role="status">{t.loading}</p>;
  if (list.items.length === 0) return <p class="empty task-empty">{status === 'open' ? tt.emptyOpen : tt.emptyDone}</p>;
  if (status === 'done') {
    return (
      <ul class="task-list" aria-label={tt.done}>
        {sortTasks(list.items, 'done').map((task) => (
          <TaskRow key={task.task_id} store={store} t={t} tt={tt} model={model} task={task} where="my" />
        ))}
      </ul>
    );
  }
  return (
    <>
      {groupOpen(list.items).map((g) => (
        <section key={g.state} class={`task-section task-section-${g.state}`} aria-labelledby={`task-section-${g.state}`}>
          <h2 class="task-section-title" id={`task-section-${g.state}`}>
            {tt.sections[g.state]}
            <span class="task-section-count">{g.tasks.length}</span>
          </h2>
          <ul class="task-list">
            {g.tasks.map((task) => (
              <TaskRow key={task.task_id} store={store} t={t} tt={tt} model={model} task={task} where="my" />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

// "Task marked done. Undo" after a change, announced to screen readers.
export function TaskNotice({ model, tt }: { model: TasksModel; tt: TaskStrings }) {
  const notice = model.notice;
  return (
    <div class="task-notice-area" role="status">
      {notice && (
        <div class="task-notice">
          <span>{notice.kind === 'markedDone' ? tt.markedDone : tt.reopened}</span>
          <button type="button" class="link-button" disabled={model.busy.has(notice.task.task_id)} onClick={() => void model.setStatus(notice.task, notice.task.status === 'done' ? 'open' : 'done', true)}>
            {tt.undo}
          </button>
          <button type="button" class="icon-button task-notice-close" aria-label={tt.close} onClick={() => model.dismissNotice()}>
            <svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true">
              <path d="M5 5l10 10M15 5L5 15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            </svg>
          </button>
        </div>
      )}
    </div>
  );
}
