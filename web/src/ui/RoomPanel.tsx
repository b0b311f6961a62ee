// The open room's side panel: its tasks, files and members, one tab at a time. Beside the
// timeline on a wide screen; over it on a phone.
import type { Room } from '../api/types';
import { RoomMembers } from './contacts/RoomMembers';
import { RoomFiles } from './files/RoomFiles';
import type { Strings } from './i18n';
import type { RoomPanel as Panel, Store } from './store';
import { RoomTasks } from './tasks/RoomTasks';

const kTabs: readonly Panel[] = ['tasks', 'files', 'members'];

export function RoomPanelTabs({ store, t }: { store: Store; t: Strings }) {
  const open = store.state.roomPanel;
  return (
    <div class="panel-tabs" role="group" aria-label={t.roomInfo}>
      {kTabs.map((tab) => (
        <button key={tab} type="button" class={`panel-tab${open === tab ? ' panel-tab-on' : ''}`} aria-pressed={open === tab} aria-controls={open ? 'room-panel' : undefined} onClick={() => store.setRoomPanel(open === tab ? null : tab)}>
          {t.panel[tab]}
        </button>
      ))}
    </div>
  );
}

export function RoomPanel({ store, t, room }: { store: Store; t: Strings; room: Room }) {
  const open = store.state.roomPanel;
  if (!open) return null;
  return (
    <aside class="room-panel" id="room-panel" aria-label={t.panel[open]}>
      <div class="room-panel-header">
        <h2 class="room-panel-title">{t.panel[open]}</h2>
        <button type="button" class="icon-button" aria-label={t.closePanel} onClick={() => store.setRoomPanel(null)}>
          <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
            <path d="M5 5l10 10M15 5L5 15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
        </button>
      </div>
      <div class="room-panel-body">
        {open === 'tasks' && <RoomTasks store={store} t={t} room={room} />}
        {open === 'files' && <RoomFiles store={store} t={t} room={room} />}
        {open === 'members' && <RoomMembers store={store} t={t} room={room} />}
      </div>
    </aside>
  );
}
