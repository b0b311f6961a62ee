// Message ids are decimal strings of 64-bit integers (beyond 2^53): compare them as decimals.
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Inserts or replaces `item` in a list sorted by id; returns a new list.
export function upsertSorted<T extends { message_id: string }>(list: readonly T[], item: T): T[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareIds(list[mid].message_id, item.message_id) < 0) lo = mid + 1;
    else hi = mid;
  }
  const out = list.slice();
  if (lo < list.length && list[lo].message_id === item.message_id) out[lo] = item;
  else out.splice(lo, 0, item);
  return out;
}
