// Deadlines: what the date and time fields send (a date-only deadline is the end of that day in
// the user's time zone, as Chatwork stores it), how a deadline reads, and the order of a list.
import type { Lang } from '../i18n';
import type { LimitType, Task } from './api';

export type DueState = 'overdue' | 'today' | 'upcoming' | 'none';

const locale = (lang: Lang) => (lang === 'ja' ? 'ja-JP' : 'en-US');

function dayNumber(d: Date): number {
  return Math.floor(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86400000);
}

export function dueState(task: Pick<Task, 'limit_time' | 'limit_type' | 'status'>, now = new Date()): DueState {
  if (task.limit_type === 'none' || task.limit_time <= 0) return 'none';
  const due = new Date(task.limit_time * 1000);
  const days = dayNumber(due) - dayNumber(now);
  if (task.status === 'open') {
    if (task.limit_type === 'time' ? due.getTime() < now.getTime() : days < 0) return 'overdue';
  }
  return days === 0 ? 'today' : days < 0 ? 'overdue' : 'upcoming';
}

// The deadline as the fields give it: "2026-11-25" and "" (date only) or "17:30".
export function limitFromInput(date: string, time: string): { limit: number; limitType: LimitType } {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!d) return { limit: 0, limitType: 'none' };
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  const when = t
    ? new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), 0)
    : new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), 23, 59, 59);
  return { limit: Math.floor(when.getTime() / 1000), limitType: t ? 'time' : 'date' };
}

// The value of an <input type=date> for a day (local time).
export function dateInputValue(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function formatDue(task: Pick<Task, 'limit_time' | 'limit_type'>, lang: Lang, now = new Date()): string {
  if (task.limit_type === 'none' || task.limit_time <= 0) return '';
  const due = new Date(task.limit_time * 1000);
  const sameYear = due.getFullYear() === now.getFullYear();
  const opts: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', weekday: 'short' };
  if (!sameYear) opts.year = 'numeric';
  if (task.limit_type === 'time') {
    opts.hour = '2-digit';
    opts.minute = '2-digit';
  }
  return new Intl.DateTimeFormat(locale(lang), opts).format(due);
}

// Open tasks: the most pressing first (overdue, then by deadline), those without one last, newest
// first among them. Done tasks: the most recent first.
export function sortTasks(tasks: readonly Task[], status: 'open' | 'done'): Task[] {
  const copy = tasks.slice();
  if (status === 'done') return copy.sort((a, b) => b.task_id - a.task_id);
  return copy.sort((a, b) => {
    const ha = a.limit_type !== 'none' && a.limit_time > 0;
    const hb = b.limit_type !== 'none' && b.limit_time > 0;
    if (ha !== hb) return ha ? -1 : 1;
    if (ha && a.limit_time !== b.limit_time) return a.limit_time - b.limit_time;
    return b.task_id - a.task_id;
  });
}

// Open tasks in sections, in this order; empty sections are left out.
export function groupOpen(tasks: readonly Task[], now = new Date()): { state: DueState; tasks: Task[] }[] {
  const order: DueState[] = ['overdue', 'today', 'upcoming', 'none'];
  const sorted = sortTasks(tasks, 'open');
  return order.map((state) => ({ state, tasks: sorted.filter((t) => dueState(t, now) === state) })).filter((g) => g.tasks.length > 0);
}
