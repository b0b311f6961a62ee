// The whole page: sign-in, or header + room list + open room.
import { useEffect, useState } from 'preact/hooks';
import { Avatar } from './Avatar';
import { Composer } from './Composer';
import { strings } from './i18n';
import { LangSwitch } from './LangSwitch';
import { RoomIcon } from './RoomIcon';
import { RoomList, roomTitle } from './RoomList';
import { SignIn } from './SignIn';
import type { Store } from './store';
import { Timeline } from './Timeline';

export function App({ store }: { store: Store }) {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const unsubscribe = store.subscribe(() => setVersion((v) => v + 1));
    // The store may have changed between the first render and this effect (a fast answer).
    setVersion((v) => v + 1);
    return unsubscribe;
  }, [store]);
  const { phase, lang, me, status, roomId } = store.state;
  const t = strings[lang];

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const room = store.room(roomId);
  const title = room ? roomTitle(room, t) : '';
  useEffect(() => {
    const unread = store.state.rooms.reduce((n, r) => n + r.unread_num, 0);
    document.title = `${unread > 0 ? `(${unread}) ` : ''}${title ? `${title} - ` : ''}Kaiwa`;
  });

  if (phase === 'booting') {
    return (
      <div class="boot" role="status">
        {t.loading}
      </div>
    );
  }
  if (phase === 'signed-out') return <SignIn store={store} t={t} />;

  const members = roomId !== null ? store.state.members.get(roomId) : undefined;
  return (
    <div class={`app${room ? ' app-room-open' : ''}`}>
      <a class="skip-link" href="#composer-area">
        {t.skipToComposer}
      </a>
      <header class="topbar">
        <div class="brand" aria-hidden="true">
          <span class="brand-mark">K</span>
          <span class="brand-name">Kaiwa</span>
        </div>
        <div class="topbar-spacer" />
        <LangSwitch store={store} t={t} />
        {me && (
          <span class="me">
            <Avatar account={me} size="sm" />
            <span class="me-name">{me.name}</span>
          </span>
        )}
        <button type="button" class="button button-quiet" onClick={() => void store.signOut()}>
          {t.signOut}
        </button>
      </header>
      {status === 'offline' && (
        <div class="offline-banner" role="status" data-testid="offline-banner">
          {t.offline}
        </div>
      )}
      <div class="layout">
        <aside class="sidebar">
          <RoomList store={store} t={t} />
        </aside>
        <main class="room-view" aria-label={title || t.rooms}>
          {room && store.state.timeline ? (
            <>
              <div class="room-header">
                <button type="button" class="back-button" aria-label={t.back} onClick={() => void store.selectRoom(null)}>
                  <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
                    <path d="M12.5 4l-6 6 6 6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
                  </svg>
                </button>
                <RoomIcon room={room} />
                <div class="room-header-text">
                  <h1 class="room-title">{title}</h1>
                  {members && room.type === 'group' && <span class="room-sub">{t.members(members.length)}</span>}
                </div>
              </div>
              <Timeline store={store} t={t} room={room} title={title} />
              <div id="composer-area">
                {room.role === 'readonly' ? <p class="readonly-note">{t.readonly}</p> : <Composer store={store} t={t} roomTitle={title} />}
              </div>
            </>
          ) : (
            <div class="no-room">
              <p>{t.selectRoom}</p>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
