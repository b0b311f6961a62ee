// The settings page's state: the full profile, loaded once per session and kept in step with
// every save (the header follows through store.setMe).
import { ApiError, isNetworkError } from '../../api/http';
import type { Store } from '../store';
import { SettingsApi, type Profile, type ProfileEdit } from './api';

export type Failure = 'network' | 'failed' | 'passwordWrong' | 'pictureTooBig' | 'pictureWrongType' | { server: string };

// A failure as the page words it: the server's own message for input it refused.
export function failureOf(e: unknown): Failure {
  if (isNetworkError(e)) return 'network';
  if (e instanceof ApiError && e.status === 413) return 'pictureTooBig';
  if (e instanceof ApiError && e.status === 400 && e.errors.length > 0) return { server: e.errors.join(' ') };
  return 'failed';
}

export class SettingsModel {
  readonly api: SettingsApi;
  profile: Profile | null = null;
  loading = false;
  loadFailure: Failure | null = null;

  constructor(private readonly store: Store) {
    this.api = new SettingsApi(store.api.http);
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.loadFailure = null;
    this.store.changed();
    try {
      this.profile = await this.api.profile();
    } catch (e) {
      this.loadFailure = failureOf(e);
    } finally {
      this.loading = false;
      this.store.changed();
    }
  }

  private apply(profile: Profile): void {
    this.profile = profile;
    this.store.setMe(profile);
  }

  async saveProfile(edit: ProfileEdit): Promise<void> {
    this.apply(await this.api.saveProfile(edit));
  }

  async uploadPicture(file: Blob, name: string): Promise<void> {
    this.apply(await this.api.uploadPicture(file, name));
  }

  async removePicture(): Promise<void> {
    this.apply(await this.api.removePicture());
  }

  async changePassword(current: string, next: string): Promise<void> {
    await this.api.changePassword(current, next);
  }
}

export const settingsModel = (store: Store) => store.feature('settings', (s) => new SettingsModel(s));
