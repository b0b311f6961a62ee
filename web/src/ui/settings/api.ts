// The settings page's calls: the full profile (/v2/me), its edit, the picture, the password.
import type { Http } from '../../api/http';
import type { Me } from '../../api/types';

// /v2/me with the fields the settings page shows and edits.
export interface Profile extends Me {
  department: string;
  title: string;
  url: string;
  introduction: string;
  mail: string;
  login_mail: string;
  tel_organization: string;
  tel_extension: string;
  tel_mobile: string;
}

export type ProfileEdit = Pick<Profile, 'name' | 'title' | 'department' | 'url' | 'introduction' | 'tel_organization' | 'tel_extension' | 'tel_mobile'>;

export const editableFields: readonly (keyof ProfileEdit)[] = ['name', 'title', 'department', 'url', 'introduction', 'tel_organization', 'tel_extension', 'tel_mobile'];

// The server's limits (docs/api/kaiwa-openapi.yaml), checked here too for a message in place.
export const kMaxPictureBytes = 1024 * 1024;
export const kPictureTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const kMinPassword = 8;
export const kMaxPassword = 1024;

export class SettingsApi {
  constructor(private readonly http: Http) {}

  profile() {
    return this.http.get<Profile>('/v2/me');
  }

  saveProfile(edit: ProfileEdit) {
    return this.http.put<Profile>('/kaiwa/v1/me', { ...edit });
  }

  uploadPicture(file: Blob, name: string) {
    const body = new FormData();
    body.append('file', file, name);
    return this.http.request<Profile>('PUT', '/kaiwa/v1/me/avatar', { upload: body });
  }

  removePicture() {
    return this.http.del<Profile>('/kaiwa/v1/me/avatar');
  }

  changePassword(current: string, next: string) {
    return this.http.put<void>('/kaiwa/v1/me/password', { current_password: current, new_password: next });
  }
}
