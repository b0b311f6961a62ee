// The number of the user's open tasks on the header's "My Tasks" link (GET /v2/my/status
// mytask_num, read again on task events).
import { useEffect } from 'preact/hooks';
import type { Store } from '../store';
import { tasksOf } from './model';
import { taskStrings } from './strings';
import './tasks.css';

export function TasksNavBadge({ store }: { store: Store }) {
  const model = tasksOf(store);
  useEffect(() => model.ensureCount(), []);
  const n = model.openCount ?? 0;
  if (n <= 0) return null;
  return (
    <>
      <span class="nav-badge" aria-hidden="true" data-testid="tasks-badge">
        {n > 99 ? '99+' : n}
      </span>
      <span class="visually-hidden">({taskStrings[store.state.lang].badge(n)})</span>
    </>
  );
}
