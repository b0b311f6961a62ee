// The message box: Enter sends, Shift+Enter breaks the line (and Enter that confirms an IME
// conversion does neither); with "Enter to send" off, Enter breaks the line and Ctrl/Cmd+Enter
// sends. Escape leaves editing. Above it: the To picker, attaching files, the upload tray.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { isSendKey, useEnterToSend } from './files/composerPrefs';
import { filesStrings } from './files/strings';
import { ToPicker } from './files/ToPicker';
import { AttachButton, pasteFiles, UploadTray } from './files/Uploads';
import type { Strings } from './i18n';
import type { Store } from './store';

export function Composer({ store, t, roomTitle }: { store: Store; t: Strings; roomTitle: string }) {
  const { editing, draft, roomId, composerError, lang } = store.state;
  const ft = filesStrings[lang];
  const room = store.room(roomId);
  const [enterSends, setEnterSends] = useEnterToSend();
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

  // The To picker's choice goes where the caret is; the caret then follows it.
  const caret = useRef<number | null>(null);
  const insertAtCaret = (snippet: string) => {
    const el = box.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    caret.current = start + snippet.length;
    update(text.slice(0, start) + snippet + text.slice(end));
  };
  useLayoutEffect(() => {
    if (caret.current === null) return;
    box.current?.focus();
    box.current?.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  });

  const onKeyDown = (e: KeyboardEvent) => {
    if (isSendKey(e, enterSends)) {
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
      {roomId !== null && <UploadTray store={store} roomId={roomId} />}
      {room && (
        <div class="composer-tools">
          <ToPicker store={store} room={room} onPick={insertAtCaret} />
          <AttachButton store={store} roomId={room.room_id} />
          <span class="composer-tools-spacer" />
          <label class="enter-to-send" title={ft.enterToSendHint}>
            <input type="checkbox" checked={enterSends} aria-describedby={`enter-hint-${room.room_id}`} onChange={(e) => setEnterSends(e.currentTarget.checked)} />
            <span>{ft.enterToSend}</span>
          </label>
          <span id={`enter-hint-${room.room_id}`} class="visually-hidden-text">
            {ft.enterToSendHint}
          </span>
        </div>
      )}
      <div class="composer-row">
        <textarea ref={box} class="composer-input" rows={lines} value={text} aria-label={t.composerLabel(roomTitle)} placeholder={enterSends ? t.composerPlaceholder : ft.placeholderCtrl} onInput={(e) => update(e.currentTarget.value)} onKeyDown={onKeyDown} onPaste={(e) => roomId !== null && pasteFiles(store, roomId, e)} />
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
