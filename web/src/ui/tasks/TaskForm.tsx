// The "add a task" form: what to do, who does it (the room's members), and an optional deadline
// (a date, and a time if it has one). Used in a room's Tasks tab and in the dialog that makes a
// task from a message.
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { Avatar } from '../Avatar';
import type { Store } from '../store';
import { limitFromInput } from './due';
import type { TasksModel } from './model';
import type { TaskStrings } from './strings';

export function TaskForm({ store, tt, model, roomId, idPrefix, initialBody = '', initialAssignees = [], autoFocus = false, onCreated, onCancel }: {
  store: Store;
  tt: TaskStrings;
  model: TasksModel;
  roomId: number;
  idPrefix: string;
  initialBody?: string;
  initialAssignees?: number[];
  autoFocus?: boolean;
  onCreated: (count: number) => void;
  onCancel?: () => void;
}) {
  const me = store.state.me;
  const members = (store.state.members.get(roomId) ?? []).slice().sort((a, b) => Number(b.account_id === me?.account_id) - Number(a.account_id === me?.account_id));
  const [body, setBody] = useState(initialBody);
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(initialAssignees));
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<'body' | 'assignees' | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  const toggle = (id: number) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
    if (invalid === 'assignees') {
      setInvalid(null);
      setError(null);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!body.trim()) {
      setInvalid('body');
      setError(tt.errBody);
      bodyRef.current?.focus();
      return;
    }
    const toIds = members.map((m) => m.account_id).filter((id) => chosen.has(id));
    if (toIds.length === 0) {
      setInvalid('assignees');
      setError(tt.errAssignees);
      return;
    }
    const { limit, limitType } = limitFromInput(date, time);
    setBusy(true);
    setError(null);
    setInvalid(null);
    try {
      const ids = await model.create(roomId, { body: body.trim(), toIds, limit, limitType });
      setBody('');
      setChosen(new Set());
      setDate('');
      setTime('');
      onCreated(ids.length);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setError(tt.errReadonly);
      else if (err instanceof ApiError && err.errors.length) setError(`${tt.errCreate} (${err.errors.join(' ')})`);
      else setError(tt.errCreate);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="task-form" onSubmit={(e) => void submit(e)} noValidate>
      <label class="task-field" for={`${idPrefix}-body`}>
        <span class="task-field-label">{tt.body}</span>
      </label>
      <textarea
        id={`${idPrefix}-body`}
        ref={bodyRef}
        class="task-input task-body-input"
        rows={3}
        value={body}
        placeholder={tt.bodyPlaceholder}
        aria-invalid={invalid === 'body'}
        aria-describedby={`${idPrefix}-error`}
        autoFocus={autoFocus}
        onInput={(e) => {
          setBody(e.currentTarget.value);
          if (invalid === 'body') {
            setInvalid(null);
            setError(null);
          }
        }}
      />
      <fieldset class="task-assignees" aria-invalid={invalid === 'assignees'} aria-describedby={`${idPrefix}-error`}>
        <legend class="task-field-label">{tt.assignees}</legend>
        {members.length === 0 ? (
          <p class="task-hint">{store.state.members.has(roomId) ? '' : '…'}</p>
        ) : (
          <ul class="task-member-list">
            {members.map((m) => (
              <li key={m.account_id}>
                <label class={`task-member${chosen.has(m.account_id) ? ' task-member-on' : ''}`}>
                  <input type="checkbox" checked={chosen.has(m.account_id)} onChange={() => toggle(m.account_id)} />
                  <Avatar account={m} size="xs" />
                  <span class="task-member-name">{m.name}</span>
                  {m.account_id === me?.account_id && <span class="task-member-me">{tt.me}</span>}
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <div class="task-due-fields">
        <label class="task-field">
          <span class="task-field-label">{tt.dueDate}</span>
          <input type="date" class="task-input task-date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <label class="task-field">
          <span class="task-field-label">{tt.dueTime}</span>
          <input type="time" class="task-input task-time" value={time} disabled={!date} onInput={(e) => setTime(e.currentTarget.value)} />
        </label>
        {date && (
          <button
            type="button"
            class="button button-quiet task-clear-due"
            onClick={() => {
              setDate('');
              setTime('');
            }}
          >
            {tt.clearDue}
          </button>
        )}
      </div>
      <p class="form-error task-form-error" id={`${idPrefix}-error`} role="alert">
        {error ?? ''}
      </p>
      <div class="task-form-actions">
        {onCancel && (
          <button type="button" class="button" onClick={onCancel}>
            {tt.cancel}
          </button>
        )}
        <button type="submit" class="button button-primary task-submit" disabled={busy}>
          {busy ? tt.creating : tt.create}
        </button>
      </div>
    </form>
  );
}
