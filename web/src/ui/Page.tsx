// A page of the main area other than a room (My Tasks, Contacts, Search, Settings): a header with
// its title (and a way back to the room list on a phone) over its own content.
import type { ComponentChildren } from 'preact';
import type { Strings } from './i18n';
import type { Store } from './store';

export function Page({ store, t, title, actions, children }: { store: Store; t: Strings; title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <div class="page-header">
        <button type="button" class="back-button" aria-label={t.back} onClick={() => store.showView('chat')}>
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path d="M12.5 4l-6 6 6 6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
        </button>
        <h1 class="page-title" id="page-title">
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      <div class="page-body">{children}</div>
    </section>
  );
}
