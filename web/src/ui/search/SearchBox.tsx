// The header's search field: opens the search page with the query in the address (/search?q=…),
// shows the query of the page on screen, and takes the focus on "/" (when not typing elsewhere).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Strings } from '../i18n';
import type { Store } from '../store';
import { searchModel } from './model';
import { parseQuery, queryString } from './query';

// Whether a key press belongs to a field being typed in (then "/" is just a slash).
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

// A new query from a field: on the search page the filters stay and the pages start again.
export function submitQuery(store: Store, text: string): void {
  const q = text.trim();
  if (!q) return;
  const current = store.state.view === 'search' ? parseQuery(location.search) : parseQuery('');
  store.showView('search', queryString({ ...current, q, page: 1 }));
  searchModel(store).run(parseQuery(location.search), true); // the same query again: fresh results
}

export function SearchBox({ store, t }: { store: Store; t: Strings }) {
  const onPage = store.state.view === 'search';
  const urlQ = onPage ? parseQuery(location.search).q : null;
  const [text, setText] = useState(urlQ ?? '');
  const input = useRef<HTMLInputElement>(null);

  // Back, forward and reload on the search page show that page's query.
  useEffect(() => {
    if (urlQ !== null) setText(urlQ);
  }, [urlQ]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typingIn(e.target)) return;
      const field = input.current;
      e.preventDefault();
      if (field && field.offsetParent !== null) {
        field.focus();
        field.select();
        return;
      }
      // A phone's header has no field: the search page has its own.
      if (store.state.view !== 'search') store.showView('search', '');
      requestAnimationFrame(() => document.querySelector<HTMLInputElement>('.search-page-input')?.focus());
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store]);

  return (
    <form
      class="search-box"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        submitQuery(store, text);
      }}
    >
      <input ref={input} type="search" class="search-input" value={text} placeholder={t.searchPlaceholder} aria-label={t.nav.search} aria-keyshortcuts="/" enterKeyHint="search" maxLength={1000} onInput={(e) => setText(e.currentTarget.value)} />
    </form>
  );
}
