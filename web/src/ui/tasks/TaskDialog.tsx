// "Add a task" from a message: a modal dialog (focus moves into it, Escape closes it, focus goes
// back to the message's action) prefilled with the message's text and its author as assignee.
import { useEffect, useRef } from 'preact/hooks';
import type { Strings } from '../i18n';
import type { Store } from '../store';
import { tasksOf } from './model';
import { taskStrings } from './strings';
import { TaskForm } from './TaskForm';
import './tasks.css';

export function TaskDialog({ store }: { store: Store; t: Strings }) {
  const model = tasksOf(store);
  const open = model.dialog;
  const tt = taskStrings[store.state.lang];
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const visible = open !== null && open.roomId === store.state.roomId && store.state.view === 'chat';

  useEffect(() => {
    const el = ref.current;
    if (!visible || !el) return;
    returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!el.open) el.showModal();
    el.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    return () => {
      if (el.open) el.close();
    };
  }, [visible, open?.message.message_id]);

  // Focus goes back to the message's Task action (its message keeps its actions shown while the
  // dialog is open, so the button can take focus), then the dialog goes.
  const close = () => {
    ref.current?.close();
    const back = returnTo.current;
    if (back && back.isConnected) back.focus();
    model.closeDialog();
  };

  if (!visible || !open) return null;
  const author = open.message.account.account_id;
  const members = store.state.members.get(open.roomId) ?? [];
  const initialAssignees = members.some((m) => m.account_id === author) ? [author] : [];
  return (
    <dialog
      ref={ref}
      class="task-dialog"
      aria-labelledby="task-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target === ref.current) close();
      }}
    >
      <div class="task-dialog-box">
        <div class="task-dialog-head">
          <h2 class="task-dialog-title" id="task-dialog-title">
            {tt.taskFromMessage}
          </h2>
          <button type="button" class="icon-button" aria-label={tt.close} onClick={close}>
            <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
              <path d="M5 5l10 10M15 5L5 15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            </svg>
          </button>
        </div>
        <TaskForm
          key={open.message.message_id}
          store={store}
          tt={tt}
          model={model}
          roomId={open.roomId}
          idPrefix="task-dialog"
          initialBody={open.message.body}
          initialAssignees={initialAssignees}
          onCreated={close}
          onCancel={close}
        />
      </div>
    </dialog>
  );
}
