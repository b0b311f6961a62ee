// Placeholder of the open room's Files tab; its feature fills it in.
import type { Room } from '../../api/types';
import type { Strings } from '../i18n';
import type { Store } from '../store';

export function RoomFiles({ t }: { store: Store; t: Strings; room: Room }) {
  return <p class="empty">{t.loading}</p>;
}
