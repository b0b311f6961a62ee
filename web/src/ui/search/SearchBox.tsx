// The header's search field: opens the search page with the query in the address (/search?q=…).
import { useState } from 'preact/hooks';
import type { Strings } from '../i18n';
import type { Store } from '../store';

export function SearchBox({ store, t }: { store: Store; t: Strings }) {
  const [text, setText] = useState('');
  return (
    <form
      class="search-box"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const q = text.trim();
        if (q) store.showView('search', `?q=${encodeURIComponent(q)}`);
      }}
    >
      <input type="search" class="search-input" value={text} placeholder={t.searchPlaceholder} aria-label={t.nav.search} onInput={(e) => setText(e.currentTarget.value)} />
    </form>
  );
}
