// The search page's model: runs GET /kaiwa/v1/search for the query in the address, keeps the
// answer (or why there is none), and the people one can filter by (contacts, and whoever the
// client has met in rooms).
import { ApiError } from '../../api/http';
import type { Account } from '../../api/types';
import type { Store } from '../store';
import { apiParams, datesInOrder, queryString, type SearchQuery } from './query';

export interface SnippetFragment {
  text: string;
  match: boolean;
}

export interface SearchHit {
  room_id: number;
  message_id: string;
  account: Account;
  send_time: number;
  update_time: number;
  score: number;
  snippet: SnippetFragment[];
}

export interface SearchResults {
  total: number;
  has_more: boolean;
  hits: SearchHit[];
}

export type SearchError =
  | { kind: 'bad'; message: string; code: string } // 400: the server says why (and its code)
  | { kind: 'dates' | 'rebuilding' | 'network' | 'tooMany' | 'failed' };

export class SearchModel {
  // The query the shown state belongs to (its address form), and the answer for it.
  key = '';
  loading = false;
  results: SearchResults | null = null;
  error: SearchError | null = null;
  contacts: Account[] | null = null;
  private seq = 0;
  private contactsAsked = false;

  constructor(private readonly store: Store) {}

  // Runs the query unless its answer is already here (or on the way); `again` asks anyway.
  run(query: SearchQuery, again = false): void {
    const key = queryString(query);
    if (!query.q || (!again && key === this.key)) return;
    this.key = key;
    const seq = ++this.seq;
    if (!datesInOrder(query)) {
      this.loading = false;
      this.results = null;
      this.error = { kind: 'dates' };
      this.store.changed();
      return;
    }
    this.loading = true;
    this.error = null;
    this.store.changed();
    this.store.api.http.get<SearchResults>('/kaiwa/v1/search', apiParams(query)).then(
      (results) => {
        if (seq !== this.seq) return;
        this.loading = false;
        this.results = { total: results?.total ?? 0, has_more: !!results?.has_more, hits: results?.hits ?? [] };
        this.store.changed();
      },
      (e: unknown) => {
        if (seq !== this.seq) return;
        this.loading = false;
        this.results = null;
        this.error = errorOf(e);
        this.store.changed();
      },
    );
  }

  // GET /v2/contacts once per session, for the sender filter (204 when there are none).
  loadContacts(): void {
    if (this.contactsAsked) return;
    this.contactsAsked = true;
    this.store.api.http.get<Account[] | undefined>('/v2/contacts').then(
      (list) => {
        this.contacts = (list ?? []).map((c) => ({ account_id: c.account_id, name: c.name, avatar_image_url: c.avatar_image_url }));
        this.store.changed();
      },
      () => {
        this.contactsAsked = false; // the people met in rooms are offered meanwhile
      },
    );
  }

  // Everyone the sender filter offers: the user first, then by name.
  people(): Account[] {
    const me = this.store.state.me;
    const byId = new Map<number, Account>();
    for (const p of this.store.state.people.values()) byId.set(p.account_id, p);
    for (const p of this.contacts ?? []) byId.set(p.account_id, p);
    if (me) byId.delete(me.account_id);
    const others = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, this.store.state.lang));
    return me ? [me, ...others] : others;
  }
}

export function errorOf(e: unknown): SearchError {
  if (!(e instanceof ApiError)) return { kind: 'failed' };
  if (e.status === 0) return { kind: 'network' };
  if (e.status === 400) return { kind: 'bad', message: e.errors.join(' '), code: e.code };
  if (e.status === 503) return { kind: 'rebuilding' };
  if (e.status === 429) return { kind: 'tooMany' };
  return { kind: 'failed' };
}

export const searchModel = (store: Store) => store.feature('search', (s) => new SearchModel(s));
