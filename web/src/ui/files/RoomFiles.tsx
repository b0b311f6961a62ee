// The open room's Files tab: the files shared in the chat, newest first (name, size, who, when,
// download; images with a thumbnail), filtered by who shared them; it follows file events live.
import { useEffect } from 'preact/hooks';
import type { Room } from '../../api/types';
import { formatDateTime } from '../format';
import type { Strings } from '../i18n';
import type { Store } from '../store';
import { DownloadButton, FileIcon, FileThumb } from './FileCard';
import './files.css';
import { formatSize, isPreviewable } from './kinds';
import { filesOf } from './model';
import { filesStrings } from './strings';

const kListCap = 100; // the API lists at most this many

export function RoomFiles({ store, room }: { store: Store; t: Strings; room: Room }) {
  const model = filesOf(store);
  const { lang } = store.state;
  const ft = filesStrings[lang];
  const roomId = room.room_id;
  const state = model.list(roomId);
  const members = store.state.members.get(roomId) ?? [];

  useEffect(() => {
    void model.loadList(roomId);
  }, [roomId]);

  const files = state?.files ?? [];
  const uploader = state?.uploader ?? null;
  return (
    <div class="room-files" data-testid="room-files">
      {members.length > 1 && (
        <label class="files-filter">
          <span>{ft.uploader}</span>
          <select value={uploader === null ? '' : String(uploader)} onChange={(e) => void model.loadList(roomId, e.currentTarget.value ? Number(e.currentTarget.value) : null)}>
            <option value="">{ft.everyone}</option>
            {members.map((m) => (
              <option key={m.account_id} value={String(m.account_id)}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {state?.error && (
        <p class="empty files-error" role="alert">
          {ft.filesError}{' '}
          <button type="button" class="link-button" onClick={() => void model.loadList(roomId)}>
            {ft.reload}
          </button>
        </p>
      )}
      {(!state || (state.loading && files.length === 0)) && (
        <p class="empty" role="status">
          {ft.filesLoading}
        </p>
      )}
      {state && !state.loading && !state.error && files.length === 0 && <p class="empty">{uploader === null ? ft.filesEmpty : ft.filesEmptyFiltered}</p>}
      {files.length > 0 && (
        <ul class="file-list" aria-label={ft.fileList} aria-busy={state?.loading ? 'true' : undefined}>
          {files.map((f) => {
            const who = store.state.people.get(f.account.account_id)?.name ?? f.account.name;
            return (
              <li key={f.file_id} class="file-row" data-file-id={f.file_id}>
                {isPreviewable(f.filename) ? <FileThumb store={store} roomId={roomId} fileId={f.file_id} name={f.filename} size="sm" /> : <FileIcon name={f.filename} />}
                <div class="file-row-text">
                  <span class="file-name" title={f.filename}>
                    {f.filename}
                  </span>
                  <span class="file-row-meta">
                    {formatSize(f.filesize)} · {who} ·{' '}
                    <time dateTime={new Date(f.upload_time * 1000).toISOString()}>{formatDateTime(f.upload_time, lang)}</time>
                  </span>
                </div>
                <DownloadButton store={store} roomId={roomId} fileId={f.file_id} name={f.filename} compact />
              </li>
            );
          })}
        </ul>
      )}
      {files.length >= kListCap && <p class="empty">{ft.filesCap}</p>}
    </div>
  );
}
