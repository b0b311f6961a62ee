import { describe, expect, it } from 'vitest';
import { parseNotation } from '../src/ui/notation/parse';
import type { Task } from '../src/ui/tasks/api';
import { dueState, groupOpen, limitFromInput, sortTasks } from '../src/ui/tasks/due';

const person = { account_id: 1, name: 'A', avatar_image_url: '' };
function task(id: number, limit: number, type: Task['limit_type'] = limit ? 'time' : 'none', status: Task['status'] = 'open'): Task {
  return { task_id: id, room_id: 1, assignee: person, assigned_by: person, message_id: String(id), body: `t${id}`, limit_time: limit, limit_type: type, status };
}
const at = (y: number, m: number, d: number, h = 12, min = 0) => Math.floor(new Date(y, m - 1, d, h, min).getTime() / 1000);

describe('task deadlines', () => {
  const now = new Date(2026, 10, 25, 10, 0); // 25 Nov 2026 10:00 local

  it('turns the date and time fields into limit and limit_type', () => {
    expect(limitFromInput('', '')).toEqual({ limit: 0, limitType: 'none' });
    expect(limitFromInput('2026-11-30', '')).toEqual({ limit: at(2026, 11, 30, 23, 59) + 59, limitType: 'date' });
    expect(limitFromInput('2026-11-30', '09:30')).toEqual({ limit: at(2026, 11, 30, 9, 30), limitType: 'time' });
  });

  it('tells overdue, due today, upcoming and none apart', () => {
    expect(dueState(task(1, 0), now)).toBe('none');
    expect(dueState(task(1, at(2026, 11, 24, 23, 59), 'date'), now)).toBe('overdue');
    expect(dueState(task(1, at(2026, 11, 25, 23, 59), 'date'), now)).toBe('today');
    expect(dueState(task(1, at(2026, 11, 25, 9, 0)), now)).toBe('overdue'); // earlier today, with a time
    expect(dueState(task(1, at(2026, 11, 25, 17, 0)), now)).toBe('today');
    expect(dueState(task(1, at(2026, 12, 1)), now)).toBe('upcoming');
  });

  it('orders open tasks by deadline with those without one last, done ones newest first', () => {
    const list = [task(1, 0), task(2, at(2026, 12, 1)), task(3, at(2026, 11, 20)), task(4, 0), task(5, at(2026, 11, 25, 17))];
    expect(sortTasks(list, 'open').map((t) => t.task_id)).toEqual([3, 5, 2, 4, 1]);
    expect(sortTasks(list, 'done').map((t) => t.task_id)).toEqual([5, 4, 3, 2, 1]);
    expect(groupOpen(list, now).map((g) => [g.state, g.tasks.map((t) => t.task_id)])).toEqual([
      ['overdue', [3]],
      ['today', [5]],
      ['upcoming', [2]],
      ['none', [4, 1]],
    ]);
  });
});

describe('task notation', () => {
  it('reads the server task notice attributes', () => {
    const nodes = parseNotation('[info][title][dtext:task_added][/title][task aid=7 st=open lt=1705642989 ltype=date]Write <b>docs</b>[/task][/info]');
    expect(nodes).toEqual([
      {
        kind: 'info',
        title: [{ kind: 'dtext', key: 'task_added' }],
        children: [{ kind: 'task', assigneeId: 7, status: 'open', limitTime: 1705642989, limitType: 'date', children: [{ kind: 'text', text: 'Write <b>docs</b>' }] }],
      },
    ]);
  });

  it('keeps a bare [task] working', () => {
    expect(parseNotation('[task]x[/task]')).toEqual([{ kind: 'task', children: [{ kind: 'text', text: 'x' }] }]);
  });
});
