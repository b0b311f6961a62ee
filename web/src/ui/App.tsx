// The whole page: sign-in, or header + room list + the main area (the open room, or a page:
// My Tasks, Contacts, Search, Settings).
import { useEffect, useState } from 'preact/hooks';
import { Avatar } from './Avatar';
import { Composer } from './Composer';
import { ContactsNavBadge, ContactsPage } from './contacts/ContactsPage';
import { FileDropZone } from './files/Uploads';
import { InvitationPage } from './invitations/InvitationPage';
import { invitationStrings } from './invitations/strings';
import { strings, type Strings } from './i18n';
import { LangSwitch } from './LangSwitch';
import { RoomIcon } from './RoomIcon';
import { RoomList, roomTitle } from './RoomList';
import { RoomPanel, RoomPanelTabs } from './RoomPanel';
import { SearchBox } from './search/SearchBox';
import { SearchPage } from './search/SearchPage';
import { SettingsPage } from './settings/SettingsPage';
import { SignIn } from './SignIn';
import { invitationFromPath, type Store, type View } from './store';
import { TasksNavBadge } from './tasks/NavBadge';
import { TasksPage } from './tasks/TasksPage';
import { Timeline } from './Timeline';

export function App({ store }: { store: Store }) {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const unsubscribe = store.subscribe(() => setVersion((v) => v + 1));
    // The store may have changed between the first render and this effect (a fast answer).
    setVersion((v) => v + 1);
    return unsubscribe;
  }, [store]);
  const { phase, lang, me, status, roomId, view } = store.state;
  const t = strings[lang];

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const room = store.room(roomId);
  const title = view === 'invitation' ? invitationStrings[lang].pageTitle : view !== 'chat' ? t.nav[view] : room ? roomTitle(room, t) : '';
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
  if (phase === 'signed-out') return <SignIn store={store} t={t} note={invitationFromPath() !== null ? invitationStrings[lang].signInNote : undefined} />;

  const members = roomId !== null ? store.state.members.get(roomId) : undefined;
  return (
    <div class={`app${room || view !== 'chat' ? ' app-room-open' : ''}`}>
      {view === 'chat' && room && (
        <a class="skip-link" href="#composer-area" onClick={skipToComposer}>
          {t.skipToComposer}
        </a>
      )}
      <header class="topbar">
        <div class="brand" aria-hidden="true">
          <span class="brand-mark">K</span>
          <span class="brand-name">Kaiwa</span>
        </div>
        <SearchBox store={store} t={t} />
        <div class="topbar-spacer" />
        <MainNav store={store} t={t} />
        <span class="topbar-lang">
          <LangSwitch store={store} t={t} />
        </span>
        {me && (
          <button type="button" class="me" aria-current={view === 'settings' ? 'page' : undefined} onClick={() => store.showView('settings')}>
            <Avatar account={me} size="sm" />
            <span class="me-name">{me.name}</span>
            <span class="visually-hidden">{t.nav.settings}</span>
          </button>
        )}
        <button type="button" class="button button-quiet sign-out" onClick={() => void store.signOut()}>
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
          {view === 'tasks' && <TasksPage store={store} t={t} />}
          {view === 'contacts' && <ContactsPage store={store} t={t} />}
          {view === 'search' && <SearchPage store={store} t={t} />}
          {view === 'settings' && <SettingsPage store={store} t={t} />}
          {view === 'invitation' && <InvitationPage store={store} t={t} code={invitationFromPath() ?? ''} />}
          {view !== 'chat' ? null : room && store.state.timeline ? (
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
                <div class="topbar-spacer" />
                <RoomPanelTabs store={store} t={t} />
              </div>
              <div class="room-body">
                <FileDropZone store={store} room={room}>
                  <Timeline store={store} t={t} room={room} title={title} />
                  <div id="composer-area" tabIndex={-1}>
                    {room.role === 'readonly' ? <p class="readonly-note">{t.readonly}</p> : <Composer store={store} t={t} roomTitle={title} />}
                  </div>
                </FileDropZone>
                <RoomPanel store={store} t={t} room={room} />
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

// The skip link puts the focus in the message box itself (a fragment link would only scroll), or
// on the read-only note where there is no box.
function skipToComposer(e: MouseEvent) {
  e.preventDefault();
  const area = document.getElementById('composer-area');
  (area?.querySelector<HTMLElement>('textarea') ?? area)?.focus();
}

// Search is the header's field on a wide screen; a phone has no room for it there, so it gets a link.
const kPages: readonly Exclude<View, 'invitation'>[] = ['chat', 'tasks', 'contacts', 'search'];

// The header's links between the main pages (Settings is behind the user's own name).
function MainNav({ store, t }: { store: Store; t: Strings }) {
  const { view } = store.state;
  return (
    <nav class="main-nav" aria-label={t.pagesNav}>
      {kPages.map((page) => (
        <button key={page} type="button" class={`nav-item nav-item-${page}${view === page ? ' nav-item-on' : ''}`} aria-current={view === page ? 'page' : undefined} onClick={() => store.showView(page)}>
          {t.nav[page]}
          {page === 'tasks' && <TasksNavBadge store={store} />}
          {page === 'contacts' && <ContactsNavBadge store={store} />}
        </button>
      ))}
    </nav>
  );
}
