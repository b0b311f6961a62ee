// Files' state and actions: each room's file list (the Files tab), the upload tray (files chosen
// or dropped, then uploaded one after another with progress), image previews and download links.
//
// A download link lives 30 seconds, so it is cached per file for a little less and fetched again
// after. An image preview is fetched once through such a link and kept as a blob: URL for the
// session (img-src allows blob:), so scrolling back or reopening a room shows it at once; the
// cache is bounded by bytes and drops the least recently used.
import { ApiError } from '../../api/http';
import type { Store } from '../store';
import { fileWithLink, kCancelled, listFiles, uploadFile, type KaiwaFile, type UploadHandle } from './api';
import { imageMime } from './kinds';

export type ImageState = { status: 'loading' } | { status: 'ready'; url: string; bytes: number } | { status: 'error' };

export interface RoomFilesState {
  files: KaiwaFile[];
  uploader: number | null; // the Files tab's filter
  loading: boolean;
  error: boolean;
}

export type UploadError = 'tooLarge' | 'readonly' | 'noRoom' | 'network' | 'signedOut' | 'generic' | { server: string };

export interface UploadItem {
  key: number;
  file: File;
  status: 'ready' | 'uploading' | 'error';
  loaded: number;
  total: number;
  error?: UploadError;
}

export interface Tray {
  roomId: number;
  items: UploadItem[];
  message: string;
  running: boolean;
  // Bumped when files are added, so the tray can take the focus.
  added: number;
}

const kLinkMs = 20_000; // of the link's 30 seconds: room for the request that uses it
const kImageCacheBytes = 64 * 1024 * 1024;
const kListDelayMs = 200;

export function filesOf(store: Store): FilesModel {
  return store.feature('files', (s) => new FilesModel(s));
}

export class FilesModel {
  private lists = new Map<number, RoomFilesState>();
  private listSeq = new Map<number, number>();
  private listTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private trays = new Map<number, Tray>();
  private handles = new Map<number, UploadHandle>();
  private images = new Map<string, ImageState>();
  private imageBytes = 0;
  private links = new Map<string, { url: string; at: number }>();
  private nextKey = 1;
  // The running upload loop of each room (a cleared tray ends its loop).
  private runs = new Map<number, number>();

  constructor(private readonly store: Store) {
    store.onStreamEvent((ev) => {
      const roomId = typeof ev.data.room_id === 'number' ? ev.data.room_id : null;
      if (roomId === null) return;
      const list = this.lists.get(roomId);
      if (!list) return;
      if (ev.type === 'file_uploaded') this.scheduleList(roomId);
      else if (ev.type === 'message_deleted' && list.files.some((f) => f.message_id === ev.data.message_id)) this.scheduleList(roomId);
      else if (ev.type === 'room_deleted') this.lists.delete(roomId);
    });
  }

  // ---- The Files tab

  list(roomId: number): RoomFilesState | undefined {
    return this.lists.get(roomId);
  }

  async loadList(roomId: number, uploader: number | null = this.lists.get(roomId)?.uploader ?? null): Promise<void> {
    const seq = (this.listSeq.get(roomId) ?? 0) + 1;
    this.listSeq.set(roomId, seq);
    const before = this.lists.get(roomId);
    const sameFilter = before?.uploader === uploader;
    this.lists.set(roomId, { files: sameFilter ? before.files : [], uploader, loading: true, error: false });
    this.store.changed();
    try {
      const files = await listFiles(this.store.api.http, roomId, uploader ?? undefined);
      if (this.listSeq.get(roomId) !== seq) return;
      files.sort((a, b) => b.upload_time - a.upload_time || b.file_id - a.file_id);
      this.lists.set(roomId, { files, uploader, loading: false, error: false });
    } catch {
      if (this.listSeq.get(roomId) !== seq) return;
      this.lists.set(roomId, { files: sameFilter && before ? before.files : [], uploader, loading: false, error: true });
    }
    this.store.changed();
  }

  // Several events in a burst cost one request.
  private scheduleList(roomId: number): void {
    if (this.listTimers.has(roomId)) return;
    this.listTimers.set(roomId, setTimeout(() => {
      this.listTimers.delete(roomId);
      void this.loadList(roomId);
    }, kListDelayMs));
  }

  // ---- Download links and previews

  private async link(roomId: number, fileId: number): Promise<string> {
    const key = `${roomId}:${fileId}`;
    const cached = this.links.get(key);
    if (cached && Date.now() - cached.at < kLinkMs) return cached.url;
    const at = Date.now();
    const file = await fileWithLink(this.store.api.http, roomId, fileId);
    if (!file.download_url) throw new ApiError(500, []);
    this.links.set(key, { url: file.download_url, at });
    return file.download_url;
  }

  image(roomId: number, fileId: number): ImageState | undefined {
    return this.images.get(`${roomId}:${fileId}`);
  }

  async loadImage(roomId: number, fileId: number, name: string): Promise<void> {
    const key = `${roomId}:${fileId}`;
    const known = this.images.get(key);
    if (known) {
      // Most recently used goes last.
      this.images.delete(key);
      this.images.set(key, known);
      return;
    }
    this.images.set(key, { status: 'loading' });
    this.store.changed();
    try {
      const link = await this.link(roomId, fileId);
      // The link names the server's public address; the client is served by that same server,
      // so its path on this origin is the same file (and a same-origin fetch needs no CORS).
      const url = new URL(link, location.href);
      const res = await fetch(url.origin === location.origin ? url.href : url.pathname + url.search, { cache: 'no-store' });
      if (!res.ok) throw new ApiError(res.status, []);
      const blob = await res.blob();
      // Served as octet-stream; typed by name so the browser need not sniff.
      const typed = new Blob([blob], { type: imageMime(name) ?? 'application/octet-stream' });
      if (this.images.get(key)?.status !== 'loading') return;
      this.images.set(key, { status: 'ready', url: URL.createObjectURL(typed), bytes: typed.size });
      this.imageBytes += typed.size;
      this.evictImages(key);
    } catch {
      if (this.images.get(key)?.status === 'loading') this.images.set(key, { status: 'error' });
    }
    this.store.changed();
  }

  // Lets a failed preview try again (the next time it comes into view).
  forgetImage(roomId: number, fileId: number): void {
    const key = `${roomId}:${fileId}`;
    if (this.images.get(key)?.status === 'error') {
      this.images.delete(key);
      this.store.changed();
    }
  }

  private evictImages(keep: string): void {
    for (const [key, state] of this.images) {
      if (this.imageBytes <= kImageCacheBytes) break;
      if (key === keep || state.status !== 'ready') continue;
      URL.revokeObjectURL(state.url);
      this.imageBytes -= state.bytes;
      this.images.delete(key);
    }
  }

  // Starts the browser's download (the server answers with Content-Disposition: attachment).
  async download(roomId: number, fileId: number, name: string): Promise<boolean> {
    try {
      const url = await this.link(roomId, fileId);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
      return true;
    } catch {
      return false;
    }
  }

  // ---- Uploads

  tray(roomId: number): Tray | undefined {
    return this.trays.get(roomId);
  }

  addFiles(roomId: number, files: readonly File[]): void {
    if (files.length === 0) return;
    const tray = this.trays.get(roomId) ?? { roomId, items: [], message: '', running: false, added: 0 };
    // A file over the server's limit is refused here, before a byte of it is sent.
    const limit = this.store.api.maxUploadBytes;
    const item = (file: File): UploadItem =>
      limit > 0 && file.size > limit
        ? { key: this.nextKey++, file, status: 'error', loaded: 0, total: file.size, error: 'tooLarge' }
        : { key: this.nextKey++, file, status: 'ready', loaded: 0, total: file.size };
    const items = [...tray.items, ...files.map(item)];
    this.trays.set(roomId, { ...tray, items, added: tray.added + 1 });
    this.store.changed();
  }

  setMessage(roomId: number, message: string): void {
    const tray = this.trays.get(roomId);
    if (!tray) return;
    this.trays.set(roomId, { ...tray, message });
    this.store.changed();
  }

  // Removes a file from the tray; one being uploaded is cancelled.
  remove(roomId: number, key: number): void {
    this.handles.get(key)?.abort();
    this.patchTray(roomId, (tray) => ({ ...tray, items: tray.items.filter((i) => i.key !== key) }));
  }

  // Cancels everything of the room's tray.
  clear(roomId: number): void {
    const tray = this.trays.get(roomId);
    if (!tray) return;
    this.runs.delete(roomId);
    for (const item of tray.items) this.handles.get(item.key)?.abort();
    this.trays.delete(roomId);
    this.store.changed();
  }

  retry(roomId: number, key: number): void {
    this.patchItem(roomId, key, { status: 'ready', loaded: 0, error: undefined });
    void this.start(roomId);
  }

  // Uploads the tray's files one after another, so they reach the timeline in the chosen order.
  // The message goes with the first file that arrives.
  async start(roomId: number): Promise<void> {
    const first = this.trays.get(roomId);
    if (!first || first.running) return;
    const run = this.nextKey++;
    this.runs.set(roomId, run);
    this.trays.set(roomId, { ...first, running: true });
    this.store.changed();
    for (;;) {
      if (this.runs.get(roomId) !== run) return;
      const tray = this.trays.get(roomId);
      const item = tray?.items.find((i) => i.status === 'ready');
      if (!tray || !item) break;
      this.patchItem(roomId, item.key, { status: 'uploading', loaded: 0 });
      const handle = uploadFile(this.store.api.http, roomId, item.file, tray.message, (loaded, total) => this.patchItem(roomId, item.key, { loaded, total }));
      this.handles.set(item.key, handle);
      try {
        await handle.done;
        this.patchTray(roomId, (t) => ({ ...t, message: '', items: t.items.filter((i) => i.key !== item.key) }));
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        if (status === kCancelled) this.patchTray(roomId, (t) => ({ ...t, items: t.items.filter((i) => i.key !== item.key) }));
        else this.patchItem(roomId, item.key, { status: 'error', error: uploadError(e) });
      } finally {
        this.handles.delete(item.key);
      }
    }
    this.runs.delete(roomId);
    const tray = this.trays.get(roomId);
    if (tray) this.trays.set(roomId, { ...tray, running: false });
    this.dropEmptyTray(roomId);
    this.store.changed();
  }

  private patchItem(roomId: number, key: number, patch: Partial<UploadItem>): void {
    this.patchTray(roomId, (tray) => ({ ...tray, items: tray.items.map((i) => (i.key === key ? { ...i, ...patch } : i)) }));
  }

  private patchTray(roomId: number, fn: (tray: Tray) => Tray): void {
    const tray = this.trays.get(roomId);
    if (!tray) return;
    this.trays.set(roomId, fn(tray));
    this.dropEmptyTray(roomId);
    this.store.changed();
  }

  private dropEmptyTray(roomId: number): void {
    const tray = this.trays.get(roomId);
    if (tray && tray.items.length === 0 && !tray.running) this.trays.delete(roomId);
  }
}

function uploadError(e: unknown): UploadError {
  if (!(e instanceof ApiError)) return 'generic';
  switch (e.status) {
    case 0: return 'network';
    case 401: return 'signedOut';
    case 403: return e.errors.some((m) => /csrf/i.test(m)) ? 'signedOut' : 'readonly';
    case 404: return 'noRoom';
    case 413: return 'tooLarge';
    default: return e.errors.length ? { server: e.errors.join(' ') } : 'generic';
  }
}
