// A file in the timeline (the card of an upload message: icon by type, name, size, download, and
// for images a preview that opens a larger view), and the pieces the Files tab shares with it.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Store } from '../store';
import './files.css';
import { iconLabel, isPreviewable, kindOf, splitNameAndSize } from './kinds';
import { filesOf } from './model';
import { filesStrings, type FilesStrings } from './strings';

export function FileIcon({ name, size = 'md' }: { name: string; size?: 'sm' | 'md' }) {
  return (
    <span class={`file-icon file-icon-${size} file-icon-${kindOf(name)}`} aria-hidden="true">
      {iconLabel(name)}
    </span>
  );
}

const DownloadGlyph = () => (
  <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
    <path d="M10 3v10M5.5 8.5L10 13l4.5-4.5M4 16.5h12" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
  </svg>
);

// Fetches a fresh signed link when pressed (a link lives 30 seconds) and starts the download.
export function DownloadButton({ store, roomId, fileId, name, compact = false }: { store: Store; roomId: number; fileId: number; name: string; compact?: boolean }) {
  const ft = filesStrings[store.state.lang];
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    const ok = await filesOf(store).download(roomId, fileId, name);
    setBusy(false);
    setFailed(!ok);
  };
  return (
    <>
      <button type="button" class={compact ? 'icon-button file-download-icon' : 'button file-download'} aria-label={ft.downloadFile(name)} title={ft.downloadFile(name)} disabled={busy} onClick={() => void go()}>
        <DownloadGlyph />
        {!compact && <span>{ft.download}</span>}
      </button>
      {failed && (
        <span class="file-error" role="alert">
          {ft.downloadFailed}
        </span>
      )}
    </>
  );
}

// An image's preview: fetched when it comes near the view, in a box of fixed height so the
// timeline does not jump when it arrives. Pressing it opens the larger view.
export function FileThumb({ store, roomId, fileId, name, size = 'md' }: { store: Store; roomId: number; fileId: number; name: string; size?: 'sm' | 'md' }) {
  const model = filesOf(store);
  const ft = filesStrings[store.state.lang];
  const state = model.image(roomId, fileId);
  const ref = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (state) return;
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') {
      void model.loadImage(roomId, fileId, name);
      return;
    }
    const io = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        io.disconnect();
        void model.loadImage(roomId, fileId, name);
      },
      { rootMargin: '400px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [roomId, fileId, state === undefined]);

  const ready = state?.status === 'ready' ? state : undefined;
  return (
    <>
      <button
        ref={ref}
        type="button"
        class={`file-thumb file-thumb-${size}${ready ? '' : ' file-thumb-empty'}`}
        aria-label={ft.preview(name)}
        aria-disabled={ready ? undefined : 'true'}
        data-state={state?.status ?? 'idle'}
        onClick={() => {
          if (ready) setOpen(true);
          else if (state?.status === 'error') model.forgetImage(roomId, fileId);
        }}
      >
        {ready ? (
          <img class="file-thumb-img" src={ready.url} alt="" />
        ) : (
          <span class="file-thumb-note">{state?.status === 'error' ? ft.previewFailed : size === 'md' ? ft.previewLoading : ''}</span>
        )}
      </button>
      {open && ready && <ImageViewer store={store} roomId={roomId} fileId={fileId} name={name} url={ready.url} ft={ft} onClose={() => setOpen(false)} />}
    </>
  );
}

// The larger view: a modal dialog (focus stays inside; Escape, the close button or a click
// outside the picture closes it and focus returns to the preview).
export function ImageViewer({ store, roomId, fileId, name, url, ft, onClose }: { store: Store; roomId: number; fileId: number; name: string; url: string; ft: FilesStrings; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('.image-viewer-close')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="image-viewer"
      aria-label={ft.viewer(name)}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      <div class="image-viewer-bar">
        <span class="image-viewer-name">{name}</span>
        <DownloadButton store={store} roomId={roomId} fileId={fileId} name={name} />
        <button type="button" class="icon-button image-viewer-close" aria-label={ft.close} title={ft.close} onClick={onClose}>
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path d="M5 5l10 10M15 5L5 15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
        </button>
      </div>
      <div class="image-viewer-stage">
        <img class="image-viewer-img" src={url} alt={name} />
      </div>
    </dialog>
  );
}

// The card a [download:ID]NAME (SIZE)[/download] tag becomes in a message. `preview`: the message
// carried [preview id=ID] (the server saw an image type).
export function FileCard({ store, roomId, fileId, label, preview }: { store: Store; roomId: number; fileId: number; label: string; preview: boolean }) {
  const { name, size } = splitNameAndSize(label);
  const showPreview = isPreviewable(name) || (preview && kindOf(name) === 'other');
  return (
    <span class="file-card" data-file-id={fileId}>
      {showPreview && <FileThumb store={store} roomId={roomId} fileId={fileId} name={name} />}
      <span class="file-card-row">
        <FileIcon name={name} />
        <span class="file-card-text">
          <span class="file-name">{name}</span>
          {size && <span class="file-size">{size}</span>}
        </span>
        <DownloadButton store={store} roomId={roomId} fileId={fileId} name={name} />
      </span>
    </span>
  );
}
