// The search page (/search?q=…): filters (chat, sender, dates, order) kept in the address, the
// hits of GET /kaiwa/v1/search with their matches marked, pages, and every failure explained.
// A hit opens its room at that message.
import { useEffect, useState } from 'preact/hooks';
import type { Room } from '../../api/types';
import { Avatar } from '../Avatar';
import { formatDateTime } from '../format';
import type { Strings } from '../i18n';
import { Page } from '../Page';
import { RoomIcon } from '../RoomIcon';
import { roomTitle } from '../RoomList';
import type { Store } from '../store';
import { searchModel, type SearchError, type SearchHit, type SnippetFragment } from './model';
import { hasFilters, kPageSize, parseQuery, queryString, type SearchQuery, type SearchSort } from './query';
import { submitQuery } from './SearchBox';
import './search.css';
import { strings, type SearchStrings } from './strings';

export function SearchPage({ store, t }: { store: Store; t: Strings }) {
  const model = searchModel(store);
  const { lang, rooms } = store.state;
  const s = strings[lang];
  const query = parseQuery(location.search);
  const key = queryString(query);

  useEffect(() => model.run(parseQuery(location.search)), [key]);
  useEffect(() => model.loadContacts(), []);

  const go = (patch: Partial<SearchQuery>) => {
    store.showView('search', queryString({ ...query, page: 1, ...patch }));
    if (patch.page !== undefined) document.querySelector('.page-body')?.scrollTo(0, 0);
  };

  const roomOptions = rooms.slice().sort((a, b) => roomTitle(a, t).localeCompare(roomTitle(b, t), lang));
  const people = model.people();
  const current = model.key === key;
  const results = model.results;
  const showResults = !!query.q && !!results && !(current && model.error);

  return (
    <Page store={store} t={t} title={t.nav.search}>
      <div class="search-page">
        <PhoneQuery store={store} s={s} q={query.q} />
        <div class="search-filters" role="group" aria-label={s.filters}>
          <label class="search-filter">
            <span>{s.room}</span>
            <select class="search-room" value={query.room === null ? '' : String(query.room)} onChange={(e) => go({ room: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
              <option value="">{s.anyRoom}</option>
              {query.room !== null && !rooms.some((r) => r.room_id === query.room) && <option value={String(query.room)}>{s.unknownRoom(query.room)}</option>}
              {roomOptions.map((r) => (
                <option key={r.room_id} value={String(r.room_id)}>
                  {roomTitle(r, t)}
                </option>
              ))}
            </select>
          </label>
          <label class="search-filter">
            <span>{s.sender}</span>
            <select class="search-sender" value={query.sender === null ? '' : String(query.sender)} onChange={(e) => go({ sender: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
              <option value="">{s.anyone}</option>
              {query.sender !== null && !people.some((p) => p.account_id === query.sender) && <option value={String(query.sender)}>{store.nameOf(query.sender)}</option>}
              {people.map((p) => (
                <option key={p.account_id} value={String(p.account_id)}>
                  {p.account_id === store.state.me?.account_id ? s.me(p.name) : p.name}
                </option>
              ))}
            </select>
          </label>
          <label class="search-filter search-filter-date">
            <span>{s.from}</span>
            <input type="date" class="search-since" value={query.since} max={query.until || undefined} onChange={(e) => go({ since: e.currentTarget.value })} />
          </label>
          <label class="search-filter search-filter-date">
            <span>{s.to}</span>
            <input type="date" class="search-until" value={query.until} min={query.since || undefined} onChange={(e) => go({ until: e.currentTarget.value })} />
          </label>
          <label class="search-filter">
            <span>{s.sort}</span>
            <select class="search-sort" value={query.sort} onChange={(e) => go({ sort: e.currentTarget.value as SearchSort })}>
              <option value="newest">{s.newest}</option>
              <option value="relevance">{s.relevance}</option>
            </select>
          </label>
          {hasFilters(query) && (
            <button type="button" class="button button-quiet search-clear" onClick={() => go({ room: null, sender: null, since: '', until: '' })}>
              {s.clear}
            </button>
          )}
        </div>
        <Help s={s} />
        {!query.q ? (
          <p class="empty search-intro">
            <span class="search-intro-wide">{s.intro}</span>
            <span class="search-intro-phone">{s.introPhone}</span>
          </p>
        ) : current && model.error ? (
          <ErrorBox s={s} error={model.error} retry={() => model.run(query, true)} />
        ) : (
          <p class="search-summary" role="status" aria-live="polite">
            {!current || model.loading || !results ? s.searching : results.total > 0 ? s.total(results.total, query.q) : ''}
          </p>
        )}
        {showResults && results && current && !model.loading && results.hits.length === 0 && (
          <div class="search-none">
            <p class="search-none-title">{s.none(query.q)}</p>
            <p>{s.noneHint}</p>
            {hasFilters(query) && (
              <button type="button" class="button" onClick={() => go({ room: null, sender: null, since: '', until: '' })}>
                {s.clear}
              </button>
            )}
          </div>
        )}
        {showResults && results && results.hits.length > 0 && (
          <>
            <ol class={`search-hits${current && !model.loading ? '' : ' search-hits-stale'}`} aria-label={s.results} aria-busy={!current || model.loading} onKeyDown={moveFocus}>
              {results.hits.map((hit) => (
                <Hit key={`${hit.room_id}-${hit.message_id}`} store={store} t={t} s={s} hit={hit} />
              ))}
            </ol>
            <Pager s={s} query={query} total={results.total} hasMore={results.has_more} shown={results.hits.length} go={go} />
          </>
        )}
      </div>
    </Page>
  );
}

// The search page's own query field, for a phone (its header has no search field).
function PhoneQuery({ store, s, q }: { store: Store; s: SearchStrings; q: string }) {
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  return (
    <form
      class="search-page-form"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        submitQuery(store, text);
      }}
    >
      <input type="search" class="search-page-input" value={text} aria-label={s.query} placeholder={s.query} enterKeyHint="search" maxLength={1000} onInput={(e) => setText(e.currentTarget.value)} />
      <button type="submit" class="button button-primary">
        {s.submit}
      </button>
    </form>
  );
}

function Help({ s }: { s: SearchStrings }) {
  const [and, or, not, phrase] = s.helpExamples;
  const items: [string, string][] = [
    [and, s.helpAnd],
    [or, s.helpOr],
    [not, s.helpNot],
    [phrase, s.helpPhrase],
  ];
  return (
    <p class="search-help">
      <span class="search-help-title">{s.helpTitle}</span>
      {items.map(([example, meaning]) => (
        <span key={example} class="search-help-item">
          <code>{example}</code> {meaning}
        </span>
      ))}
    </p>
  );
}

function ErrorBox({ s, error, retry }: { s: SearchStrings; error: SearchError; retry: () => void }) {
  if (error.kind === 'bad') {
    return (
      <div class="search-error" role="alert">
        <p>
          {s.badQuery} <span class="search-error-detail" data-code={error.code || undefined}>{s.codes[error.code] ?? error.message}</span>
        </p>
      </div>
    );
  }
  const text = { dates: s.badDates, rebuilding: s.rebuilding, network: s.network, tooMany: s.tooMany, failed: s.failed }[error.kind];
  return (
    <div class={`search-error search-error-${error.kind}`} role="alert">
      <p>{text}</p>
      {error.kind !== 'dates' && (
        <button type="button" class="button" onClick={retry}>
          {s.retry}
        </button>
      )}
    </div>
  );
}

function Hit({ store, t, s, hit }: { store: Store; t: Strings; s: SearchStrings; hit: SearchHit }) {
  const { lang } = store.state;
  const room: Room | undefined = store.room(hit.room_id);
  const roomName = room ? roomTitle(room, t) : s.unknownRoom(hit.room_id);
  const author = store.state.people.get(hit.account.account_id) ?? hit.account;
  const when = formatDateTime(hit.send_time, lang);
  return (
    <li class="search-hit-item">
      <a
        class="search-hit"
        href={`/rooms/${hit.room_id}?message=${hit.message_id}`}
        data-message-id={hit.message_id}
        onClick={(e) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // a new tab or window
          e.preventDefault();
          void store.openMessage(hit.room_id, hit.message_id);
        }}
      >
        <span class="search-hit-room">
          {room ? <RoomIcon room={room} /> : <span class="room-icon room-icon-group preset-c7" aria-hidden="true">#</span>}
          <span class="search-hit-room-name">{roomName}</span>
        </span>
        <span class="search-hit-main">
          <Avatar account={author} size="sm" />
          <span class="search-hit-text">
            <span class="search-hit-head">
              <span class="search-hit-author">{author.name}</span>
              <time class="search-hit-time" dateTime={new Date(hit.send_time * 1000).toISOString()}>
                {when}
              </time>
              {hit.update_time > 0 && <span class="search-hit-edited">({s.edited})</span>}
            </span>
            <span class="search-hit-snippet">
              <Snippet fragments={hit.snippet} />
            </span>
          </span>
        </span>
      </a>
    </li>
  );
}

// The server's fragments as text, the matched words in <mark> (never parsed as HTML).
function Snippet({ fragments }: { fragments: SnippetFragment[] }) {
  return <>{fragments.map((f, i) => (f.match ? <mark key={i}>{f.text}</mark> : f.text))}</>;
}

function Pager({ s, query, total, hasMore, shown, go }: { s: SearchStrings; query: SearchQuery; total: number; hasMore: boolean; shown: number; go: (patch: Partial<SearchQuery>) => void }) {
  if (query.page === 1 && !hasMore) return null;
  const first = (query.page - 1) * kPageSize + 1;
  return (
    <nav class="search-pager" aria-label={s.pages}>
      <button type="button" class="button" disabled={query.page <= 1} onClick={() => go({ page: query.page - 1 })}>
        {s.previous}
      </button>
      <span class="search-pager-range">{s.range(first, first + shown - 1, total)}</span>
      <button type="button" class="button" disabled={!hasMore} onClick={() => go({ page: query.page + 1 })}>
        {s.next}
      </button>
    </nav>
  );
}

// Up and down arrows move between hits (Tab does too; Enter opens).
function moveFocus(e: KeyboardEvent) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const links = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLAnchorElement>('a.search-hit')];
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (at < 0) return;
  const next = links[at + (e.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}
