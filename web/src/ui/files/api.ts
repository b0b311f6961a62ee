// The file endpoints: the room's list, one file with a short-lived download link, and the upload
// (XMLHttpRequest, because fetch reports no upload progress; same-origin, so the session cookie
// goes along, and the CSRF header as api/http.ts sends it).
import { ApiError, errorCodeOf, type Http } from '../../api/http';
import type { Account } from '../../api/types';

export interface KaiwaFile {
  file_id: number;
  account: Account;
  message_id: string;
  filename: string;
  filesize: number;
  upload_time: number;
  download_url?: string;
}

export async function listFiles(http: Http, roomId: number, uploader?: number): Promise<KaiwaFile[]> {
  // An empty list is 204 (no body), as Chatwork answers.
  return (await http.get<KaiwaFile[] | undefined>(`/v2/rooms/${roomId}/files`, uploader === undefined ? undefined : { account_id: uploader })) ?? [];
}

// The link is valid for 30 seconds and needs no cookie (its signature authorizes it).
export function fileWithLink(http: Http, roomId: number, fileId: number): Promise<KaiwaFile> {
  return http.get<KaiwaFile>(`/v2/rooms/${roomId}/files/${fileId}`, { create_download_url: 1 });
}

export interface UploadHandle {
  done: Promise<number>; // the new file's id; rejects with ApiError (status 0: network, -1: cancelled)
  abort: () => void;
}

export const kCancelled = -1;

export function uploadFile(http: Http, roomId: number, file: File, message: string, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<number>((resolve, reject) => {
    xhr.open('POST', `/v2/rooms/${roomId}/files`);
    xhr.setRequestHeader('Accept', 'application/json');
    if (http.csrfToken) xhr.setRequestHeader('X-CSRF-Token', http.csrfToken);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let json: unknown;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        json = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const id = (json as { file_id?: unknown })?.file_id;
        resolve(typeof id === 'number' ? id : 0);
        return;
      }
      const errors = (json as { errors?: unknown })?.errors;
      if (xhr.status === 401) http.onUnauthorized();
      reject(new ApiError(xhr.status, Array.isArray(errors) ? errors.map(String) : [], errorCodeOf(json, xhr.getResponseHeader('X-Kaiwa-Error-Code'))));
    };
    xhr.onerror = () => reject(new ApiError(0, []));
    xhr.ontimeout = () => reject(new ApiError(0, []));
    xhr.onabort = () => reject(new ApiError(kCancelled, []));
    const form = new FormData();
    form.append('file', file, file.name);
    if (message.trim()) form.append('message', message);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
