// The message box: Enter sends, Shift+Enter breaks the line (and Enter that confirms an IME
// conversion does neither); Escape leaves editing.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Strings } from './i18n';
import type { Store } from './store';

export function Composer({ store, t, roomTitle }: { store: Store; t: Strings; roomTitle: string }) {
  const { editing, draft, roomId, composerError } = store.state;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const drafts = useRef(new Map<number, string>());

  // Keep each room's unsent text when switching rooms.
  useEffect(() => {
    setText(roomId === null ? '' : (drafts.current.get(roomId) ?? ''));
  }, [roomId]);

  // Reply, quote and edit put text into the box.
  useEffect(() => {
    if (!draft || draft.roomId !== roomId) return;
    setText((current) => (editing || !draft.text ? draft.text : current && !current.endsWith('\n') ? `${current}\n${draft.text}` : current + draft.text));
    box.current?.focus();
  }, [draft?.version]);

  const update = (value: string) => {
    setText(value);
    if (roomId !== null && !editing) drafts.current.set(roomId, value);
  };

  const send = async () => {
    if (busy || !text.trim()) return;
    // Cleared at once, as chat users expect; the text comes back if sending fails.
    const body = text;
    setBusy(true);
    update('');
    const ok = await store.send(body);
    setBusy(false);
    if (!ok) update(body);
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && editing) {
      e.preventDefault();
      store.cancelEdit();
    }
  };

  const lines = Math.min(8, Math.max(2, text.split('\n').length));
  const error = composerError === 'sendFailed' ? t.sendFailed : composerError;
  return (
    <form
      class={`composer${editing ? ' composer-editing' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {editing && (
        <div class="composer-mode">
          <span>{t.editing}</span>
          <button type="button" class="link-button" onClick={() => store.cancelEdit()}>
            {t.cancel}
          </button>
        </div>
      )}
      <div class="composer-row">
        <textarea ref={box} class="composer-input" rows={lines} value={text} aria-label={t.composerLabel(roomTitle)} placeholder={t.composerPlaceholder} onInput={(e) => update(e.currentTarget.value)} onKeyDown={onKeyDown} />
        <button type="submit" class="button button-primary composer-send" disabled={busy || !text.trim()}>
          {editing ? t.save : t.send}
        </button>
      </div>
      <div class="form-error" role="alert">
        {error ?? ''}
      </div>
    </form>
  );
}
