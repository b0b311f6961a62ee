import { describe, expect, it } from 'vitest';
import { apiParams, datesInOrder, dayEnd, dayStart, hasFilters, parseQuery, queryString } from '../src/ui/search/query';

describe('search query in the address', () => {
  it('reads every filter and leaves defaults out when writing', () => {
    const q = parseQuery('?q=%E4%BC%9A%E8%AD%B0+%E8%B3%87%E6%96%99&room=12&sender=5&since=2026-04-01&until=2026-04-30&sort=relevance&page=3');
    expect(q).toEqual({ q: '会議 資料', room: 12, sender: 5, since: '2026-04-01', until: '2026-04-30', sort: 'relevance', page: 3 });
    expect(parseQuery(queryString(q))).toEqual(q);
    expect(queryString({ ...q, room: null, sender: null, since: '', until: '', sort: 'newest', page: 1 })).toBe('?q=%E4%BC%9A%E8%AD%B0+%E8%B3%87%E6%96%99');
  });

  it('drops malformed values instead of sending them', () => {
    expect(parseQuery('?q=x&room=abc&sender=-1&since=2026-02-30&until=yesterday&sort=oldest&page=0')).toEqual({
      q: 'x', room: null, sender: null, since: '', until: '', sort: 'newest', page: 1,
    });
    expect(parseQuery('').q).toBe('');
    expect(parseQuery('?q=x&page=999999').page).toBe(501);
  });

  it('knows when filters are set and when dates are in order', () => {
    expect(hasFilters(parseQuery('?q=x&sort=relevance'))).toBe(false);
    expect(hasFilters(parseQuery('?q=x&since=2026-01-01'))).toBe(true);
    expect(datesInOrder(parseQuery('?q=x&since=2026-02-01&until=2026-01-31'))).toBe(false);
    expect(datesInOrder(parseQuery('?q=x&since=2026-01-31&until=2026-01-31'))).toBe(true);
  });
});

describe('search dates', () => {
  it('spans whole local days', () => {
    const start = dayStart('2026-03-10')!;
    const end = dayEnd('2026-03-10')!;
    expect(new Date(start * 1000).getHours()).toBe(0);
    expect(new Date(start * 1000).getDate()).toBe(10);
    expect(new Date(end * 1000).getDate()).toBe(10);
    expect(new Date((end + 1) * 1000).getDate()).toBe(11);
    expect(new Date((end + 1) * 1000).getHours()).toBe(0);
    expect(dayStart('2026-13-01')).toBeNull();
  });

  it('becomes the API parameters, with the page as an offset', () => {
    const p = apiParams(parseQuery('?q=kube&room=3&sender=9&since=2026-03-10&until=2026-03-10&page=2'));
    expect(p).toEqual({ q: 'kube', room_id: 3, account_id: 9, time_from: dayStart('2026-03-10'), time_to: dayEnd('2026-03-10'), sort: 'newest', offset: 20, limit: 20 });
    expect(apiParams(parseQuery('?q=kube'))).toMatchObject({ room_id: undefined, account_id: undefined, time_from: undefined, time_to: undefined, offset: 0 });
  });
});
