// The search page's state as it lives in the address (/search?q=会議&room=12&sender=5&since=
// 2026-04-01&until=2026-04-30&sort=relevance&page=2), and its translation into the API's
// parameters (dates are whole days in the user's time zone). Pure: no DOM, no store.
import type { Form } from '../../api/http';

export type SearchSort = 'newest' | 'relevance';

export interface SearchQuery {
  q: string;
  room: number | null;
  sender: number | null;
  since: string; // YYYY-MM-DD or ''
  until: string;
  sort: SearchSort;
  page: number; // from 1
}

export const kPageSize = 20;
const kMaxOffset = 10000; // the API's limit

const idOf = (v: string | null) => (v && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : null);
const dateOf = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && dayStart(v) !== null ? v : '');

export function parseQuery(search: string): SearchQuery {
  const p = new URLSearchParams(search);
  const page = Number(p.get('page'));
  return {
    q: (p.get('q') ?? '').trim(),
    room: idOf(p.get('room')),
    sender: idOf(p.get('sender')),
    since: dateOf(p.get('since')),
    until: dateOf(p.get('until')),
    sort: p.get('sort') === 'relevance' ? 'relevance' : 'newest',
    page: Number.isInteger(page) && page > 1 ? Math.min(page, Math.floor(kMaxOffset / kPageSize) + 1) : 1,
  };
}

// The address's query part ('?q=…'), with defaults left out so links stay short.
export function queryString(query: SearchQuery): string {
  const p = new URLSearchParams();
  p.set('q', query.q);
  if (query.room !== null) p.set('room', String(query.room));
  if (query.sender !== null) p.set('sender', String(query.sender));
  if (query.since) p.set('since', query.since);
  if (query.until) p.set('until', query.until);
  if (query.sort !== 'newest') p.set('sort', query.sort);
  if (query.page > 1) p.set('page', String(query.page));
  return `?${p.toString()}`;
}

export function hasFilters(query: SearchQuery): boolean {
  return query.room !== null || query.sender !== null || !!query.since || !!query.until;
}

// Midnight at the start of a local day, in unix seconds; null for a date that does not exist.
export function dayStart(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (d.getFullYear() !== Number(m[1]) || d.getMonth() !== Number(m[2]) - 1 || d.getDate() !== Number(m[3])) return null;
  return Math.floor(d.getTime() / 1000);
}

// The last second of a local day (the next midnight less one: days of 23 or 25 hours included).
export function dayEnd(date: string): number | null {
  const start = dayStart(date);
  if (start === null) return null;
  const d = new Date(start * 1000);
  return Math.floor(new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() / 1000) - 1;
}

export function datesInOrder(query: SearchQuery): boolean {
  return !query.since || !query.until || query.since <= query.until;
}

// GET /kaiwa/v1/search's parameters.
export function apiParams(query: SearchQuery): Form {
  return {
    q: query.q,
    room_id: query.room ?? undefined,
    account_id: query.sender ?? undefined,
    time_from: query.since ? Math.max(0, dayStart(query.since) ?? 0) : undefined,
    time_to: query.until ? Math.max(0, dayEnd(query.until) ?? 0) : undefined,
    sort: query.sort,
    offset: (query.page - 1) * kPageSize,
    limit: kPageSize,
  };
}
