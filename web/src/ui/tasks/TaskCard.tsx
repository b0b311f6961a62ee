// A task in a message ([task aid=… st=… lt=… ltype=…]…[/task], which the server posts when a task
// is added or done): a card with its state, body, assignee and deadline.
import type { ComponentChildren } from 'preact';
import { Avatar } from '../Avatar';
import type { Node } from '../notation/parse';
import type { RenderContext } from '../notation/render';
import { formatDue } from './due';
import { taskStrings } from './strings';

type TaskNode = Extract<Node, { kind: 'task' }>;

export function TaskCard({ n, ctx, children }: { n: TaskNode; ctx: RenderContext; children: ComponentChildren }) {
  const lang = ctx.lang ?? 'en';
  const tt = taskStrings[lang];
  // A "task added" notice shows the task as it is now; otherwise as it was when posted.
  const status = (ctx.messageId && ctx.taskStatus?.(ctx.messageId)) || n.status;
  const done = status === 'done';
  const assignee = n.assigneeId !== undefined ? (ctx.person(n.assigneeId) ?? { account_id: n.assigneeId, name: `#${n.assigneeId}`, avatar_image_url: '' }) : undefined;
  const due = n.limitTime && n.limitType && n.limitType !== 'none' ? formatDue({ limit_time: n.limitTime, limit_type: n.limitType }, lang) : '';
  return (
    <div class={`task-card${done ? ' task-card-done' : ''}`}>
      {status && (
        <span class={`task-state-icon${done ? ' task-state-icon-done' : ''}`} role="img" aria-label={`${tt.taskCard}: ${done ? tt.statusDone : tt.statusOpen}`} />
      )}
      <div class="task-card-main">
        <div class="task-card-body">{children}</div>
        {(assignee || due) && (
          <div class="task-card-meta">
            {assignee && (
              <span class="task-person">
                <Avatar account={assignee} size="xs" />
                <span class="visually-hidden">{tt.assignee}: </span>
                {assignee.name}
              </span>
            )}
            {due && <span class="task-card-due">{tt.due(due)}</span>}
          </div>
        )}
      </div>
    </div>
  );
}
