// Dates and times in the user's language.
import type { Lang, Strings } from './i18n';

const locale = (lang: Lang) => (lang === 'ja' ? 'ja-JP' : 'en-US');

export function dayKey(unix: number): string {
  const d = new Date(unix * 1000);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function formatDay(unix: number, lang: Lang, t: Strings, now = new Date()): string {
  const d = new Date(unix * 1000);
  const today = dayKey(now.getTime() / 1000);
  const yesterday = dayKey(now.getTime() / 1000 - 86400);
  const key = dayKey(unix);
  if (key === today) return t.today;
  if (key === yesterday) return t.yesterday;
  return new Intl.DateTimeFormat(locale(lang), { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }).format(d);
}

export function formatClock(unix: number, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit' }).format(new Date(unix * 1000));
}

export function formatDateTime(unix: number, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(unix * 1000));
}

// The compact time beside a grouped message: 24-hour, so it fits the avatar's column.
export function formatShortClock(unix: number): string {
  const d = new Date(unix * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
