// Getting files into a chat: the composer's attach button, pasting files, dropping them on the
// room (a drop zone shows while dragging), and the tray above the composer where they wait for
// "Upload" with an optional message, then upload one by one with a progress bar and a cancel.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Room } from '../../api/types';
import type { Store } from '../store';
import { FileIcon } from './FileCard';
import './files.css';
import { formatSize } from './kinds';
import { filesOf, type UploadError, type UploadItem } from './model';
import { filesStrings, type FilesStrings } from './strings';

const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');

export function AttachButton({ store, roomId }: { store: Store; roomId: number }) {
  const ft = filesStrings[store.state.lang];
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" class="composer-tool" aria-label={ft.attach} title={ft.attach} onClick={() => input.current?.click()}>
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <path d="M14.5 9.5l-5.3 5.3a3.2 3.2 0 01-4.5-4.5l6-6a2.1 2.1 0 013 3l-6 6a1 1 0 01-1.5-1.5l5.3-5.3" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
        <span class="composer-tool-label">{ft.attachShort}</span>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        class="file-input-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="file-input"
        onChange={(e) => {
          const el = e.currentTarget;
          filesOf(store).addFiles(roomId, Array.from(el.files ?? []));
          el.value = ''; // the same file can be chosen again
        }}
      />
    </>
  );
}

// Files pasted into the message box (a screenshot from the clipboard) go to the tray.
export function pasteFiles(store: Store, roomId: number, e: ClipboardEvent): void {
  const files = Array.from(e.clipboardData?.files ?? []);
  if (files.length === 0) return;
  e.preventDefault();
  filesOf(store).addFiles(roomId, files);
}

// The open room's area (timeline and composer): drop files on it to upload them.
export function FileDropZone({ store, room, children }: { store: Store; room: Room; children: ComponentChildren }) {
  const ft = filesStrings[store.state.lang];
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const readonly = room.role === 'readonly';

  // A file dropped beside the zone must not make the browser leave the app to show it.
  useEffect(() => {
    const guard = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  useEffect(() => {
    depth.current = 0;
    setOver(false);
  }, [room.room_id]);

  return (
    <div
      class={`room-main file-drop${over ? ' file-drop-over' : ''}`}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = readonly ? 'none' : 'copy';
      }}
      onDragLeave={(e) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        if (!readonly) filesOf(store).addFiles(room.room_id, Array.from(e.dataTransfer?.files ?? []));
      }}
    >
      {children}
      {over && (
        <div class={`drop-overlay${readonly ? ' drop-overlay-refused' : ''}`} role="status" data-testid="drop-zone">
          <div class="drop-overlay-box">
            <svg viewBox="0 0 24 24" width="36" height="36" aria-hidden="true">
              <path d="M12 16V4M7 9l5-5 5 5M5 15v4h14v-4" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
            <span>{readonly ? ft.dropReadonly : ft.dropHere}</span>
          </div>
        </div>
      )}
    </div>
  );
}

// A limit as people say it: "5 MB", "1.5 MB", "800 KB".
export function formatLimit(bytes: number): string {
  const [size, unit] = formatSize(bytes).split(' ');
  return `${size.includes('.') ? String(Number(size)) : size} ${unit}`;
}

function errorText(ft: FilesStrings, error: UploadError | undefined, limit: number): string {
  if (!error) return '';
  if (typeof error === 'object') return error.server;
  return {
    tooLarge: limit > 0 ? ft.errTooLarge(formatLimit(limit)) : ft.errTooLargeNoLimit,
    readonly: ft.errReadonly,
    noRoom: ft.errNoRoom,
    network: ft.errNetwork,
    signedOut: ft.errSignedOut,
    generic: ft.errGeneric,
  }[error];
}

// The files waiting for upload (or uploading, or failed) in this room, above the message box.
export function UploadTray({ store, roomId }: { store: Store; roomId: number }) {
  const model = filesOf(store);
  const ft = filesStrings[store.state.lang];
  const tray = model.tray(roomId);
  const message = useRef<HTMLInputElement>(null);

  // Newly added files: the focus moves here so Enter uploads them.
  useLayoutEffect(() => {
    if (tray && !tray.running) message.current?.focus();
  }, [tray?.added]);

  if (!tray) return null;
  const waiting = tray.items.some((i) => i.status === 'ready');
  return (
    <section class="upload-tray" aria-label={ft.trayTitle(tray.items.length)} data-testid="upload-tray">
      <h2 class="upload-tray-title">{ft.trayTitle(tray.items.length)}</h2>
      <ul class="upload-list">
        {tray.items.map((item) => (
          <UploadRow key={item.key} item={item} ft={ft} limit={store.api.maxUploadBytes} queued={tray.running && item.status === 'ready'} onRemove={() => model.remove(roomId, item.key)} onRetry={() => model.retry(roomId, item.key)} />
        ))}
      </ul>
      {!tray.running && waiting && (
        <div class="upload-actions">
          <input
            ref={message}
            class="upload-message"
            type="text"
            value={tray.message}
            placeholder={ft.trayMessage}
            aria-label={ft.trayMessage}
            onInput={(e) => model.setMessage(roomId, e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.isComposing && e.keyCode !== 229) {
                e.preventDefault();
                void model.start(roomId);
              } else if (e.key === 'Escape') {
                e.preventDefault();
                model.clear(roomId);
              }
            }}
          />
          <button type="button" class="button button-quiet" onClick={() => model.clear(roomId)}>
            {ft.clearAll}
          </button>
          <button type="button" class="button button-primary upload-start" onClick={() => void model.start(roomId)}>
            {ft.upload}
          </button>
        </div>
      )}
    </section>
  );
}

function UploadRow({ item, ft, limit, queued, onRemove, onRetry }: { item: UploadItem; ft: FilesStrings; limit: number; queued: boolean; onRemove: () => void; onRetry: () => void }) {
  const name = item.file.name;
  const percent = item.total > 0 ? Math.min(100, Math.floor((item.loaded / item.total) * 100)) : 0;
  return (
    <li class={`upload-row upload-${item.status}`} data-testid="upload-row">
      <FileIcon name={name} size="sm" />
      <div class="upload-text">
        <div class="upload-line">
          <span class="upload-name">{name}</span>
          <span class="upload-size">
            {item.status === 'uploading' ? `${formatSize(item.loaded)} / ${formatSize(item.total)}` : queued ? `${ft.waiting} · ${formatSize(item.file.size)}` : formatSize(item.file.size)}
          </span>
        </div>
        {item.status === 'uploading' && <progress class="upload-progress" max={100} value={percent} aria-label={ft.progress(name)} />}
        {item.status === 'error' && (
          <p class="upload-error" role="alert">
            {errorText(ft, item.error, limit)}
          </p>
        )}
      </div>
      {item.status === 'error' && item.error !== 'tooLarge' && item.error !== 'readonly' && (
        <button type="button" class="button upload-retry" onClick={onRetry}>
          {ft.retry}
        </button>
      )}
      <button type="button" class="icon-button upload-remove" aria-label={item.status === 'uploading' ? ft.cancelUpload(name) : ft.removeFile(name)} title={item.status === 'uploading' ? ft.cancelUpload(name) : ft.removeFile(name)} onClick={onRemove}>
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <path d="M5 5l10 10M15 5L5 15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
      </button>
    </li>
  );
}
