// A room's icon drawn here: the server's icon_path names a preset (…/icons/<preset>.png) that it
// does not serve, so the preset picks a colour and the room's initial is the glyph.
import type { Room } from '../api/types';
import { initials } from './Avatar';

// One character for a room: "Project Kaiwa 開発" is P, not a mix of two scripts.
const roomInitial = (name: string) => ([...name.trim()][0] ?? '#').toUpperCase();

export const presets: readonly string[] = ['group', 'check', 'document', 'meeting', 'event', 'project', 'business', 'study', 'security', 'star', 'idea', 'heart', 'magcup', 'beer', 'music', 'sports', 'travel'];

export function presetOf(iconPath: string): string {
  const m = /\/([a-z]+)\.png$/.exec(iconPath);
  return m ? m[1] : 'group';
}

export function RoomIcon({ room }: { room: Room }) {
  if (room.type === 'my') {
    return (
      <span class="room-icon room-icon-my" aria-hidden="true">
        <svg viewBox="0 0 20 20" width="18" height="18">
          <circle cx="10" cy="7" r="3.5" fill="currentColor" />
          <path d="M3 17c.8-3.5 3.6-5.5 7-5.5s6.2 2 7 5.5z" fill="currentColor" />
        </svg>
      </span>
    );
  }
  if (room.type === 'direct') {
    return (
      <span class={`room-icon room-icon-direct avatar-c${room.room_id % 8}`} aria-hidden="true">
        {initials(room.name)}
      </span>
    );
  }
  const index = Math.max(0, presets.indexOf(presetOf(room.icon_path)));
  return (
    <span class={`room-icon room-icon-group preset-c${index % 8}`} aria-hidden="true">
      {roomInitial(room.name)}
    </span>
  );
}
