// The room list: sticky rooms first, then by latest activity; a filter box and an unread-only
// toggle; unread and mention badges.
import { useMemo, useState } from 'preact/hooks';
import type { Room } from '../api/types';
import { NewGroupButton } from './contacts/NewGroupDialog';
import type { Strings } from './i18n';
import { RoomIcon } from './RoomIcon';
import { sortRooms, type Store } from './store';

const normalize = (s: string) => s.normalize('NFKC').toLowerCase();

export function roomTitle(room: Room, t: Strings): string {
  return room.type === 'my' ? t.myChat : room.name;
}

export function RoomList({ store, t }: { store: Store; t: Strings }) {
  const { rooms, roomId } = store.state;
  const [filter, setFilter] = useState('');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const shown = useMemo(() => {
    const f = normalize(filter.trim());
    return sortRooms(rooms).filter((r) => (!unreadOnly || r.unread_num > 0 || r.room_id === roomId) && (!f || normalize(roomTitle(r, t)).includes(f)));
  }, [rooms, filter, unreadOnly, roomId, t]);

  return (
    <nav class="room-list" aria-label={t.mainNav}>
      <div class="room-tools">
        <h2 class="section-title">{t.rooms}</h2>
        <NewGroupButton store={store} compact />
        <input type="search" class="room-filter" placeholder={t.filterRooms} aria-label={t.filterRooms} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <button type="button" class={`toggle${unreadOnly ? ' toggle-on' : ''}`} aria-pressed={unreadOnly} onClick={() => setUnreadOnly(!unreadOnly)}>
          {t.unreadOnly}
        </button>
      </div>
      <ul class="rooms">
        {shown.map((r) => (
          <li key={r.room_id}>
            <button type="button" class={`room-item${r.room_id === roomId ? ' room-item-current' : ''}${r.unread_num > 0 ? ' room-item-unread' : ''}`} aria-current={r.room_id === roomId ? 'page' : undefined} data-room-id={r.room_id} onClick={() => void store.selectRoom(r.room_id)}>
              <RoomIcon room={r} />
              <span class="room-name">{roomTitle(r, t)}</span>
              {r.sticky && (
                <span class="pin" title={t.pinned} aria-label={t.pinned}>
                  <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                    <path d="M9.8 1.5l4.7 4.7-1.4 1.4-.7-.7-2.5 2.5.4 3.2-1.4 1.4-2.5-2.5-3.5 3.5-1-1 3.5-3.5L2.9 8l1.4-1.4 3.2.4L10 4.5l-.7-.7z" fill="currentColor" />
                  </svg>
                </span>
              )}
              {r.mention_num > 0 && (
                <span class="badge badge-mention" aria-label={t.mentionCount(r.mention_num)} data-testid="mention-badge">
                  {`@${r.mention_num}`}
                </span>
              )}
              {r.unread_num > 0 && (
                <span class="badge badge-unread" aria-label={t.unreadCount(r.unread_num)} data-testid="unread-badge">
                  {r.unread_num > 99 ? '99+' : r.unread_num}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p class="empty">{t.noRooms}</p>}
    </nav>
  );
}
