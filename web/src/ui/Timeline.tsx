// The open room's messages: day separators, the "new messages" marker, author grouping, scroll
// back through history (loads older pages near the top), and staying at the bottom for new ones.
// Opened at a message (search, a reply's link): centred and highlighted, newer pages load near
// the bottom until the latest.
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { Message, Room } from '../api/types';
import { Avatar } from './Avatar';
import { FileCard } from './files/FileCard';
import { dayKey, formatClock, formatDateTime, formatDay, formatShortClock } from './format';
import type { Strings } from './i18n';
import { compareIds } from './ids';
import { parseNotation, plainText } from './notation/parse';
import { renderNodes, type RenderContext } from './notation/render';
import './search/jump.css';
import { strings as searchStrings } from './search/strings';
import type { Store, Timeline as TimelineState } from './store';
import { tasksOf } from './tasks/model';
import { taskStrings } from './tasks/strings';
import { TaskDialog } from './tasks/TaskDialog';

const kNearTop = 400;
const kNearBottom = 120;
const kGroupSeconds = 5 * 60;

export function Timeline({ store, t, room, title }: { store: Store; t: Strings; room: Room; title: string }) {
  const timeline = store.state.timeline as TimelineState;
  const { lang, me } = store.state;
  const scroller = useRef<HTMLDivElement>(null);
  // Distance from the bottom, measured on every scroll: how to keep the view when content changes.
  const fromBottom = useRef(0);
  const shown = useRef<{ generation: number; first?: string; last?: string; loading: boolean; hasMoreAfter: boolean }>({ generation: -1, loading: true, hasMoreAfter: false });
  const st = searchStrings[lang];

  const ctx: RenderContext = useMemo(
    () => ({
      t,
      person: (id) => store.state.people.get(id),
      formatTime: (u) => formatDateTime(u, lang),
      meId: me?.account_id,
      openMessage: { can: (roomId) => !!store.room(roomId), open: (roomId, messageId) => void store.openMessage(roomId, messageId), label: st.openReplied },
      lang,
      taskStatus: (id) => tasksOf(store).statusOf(room.room_id, id),
      file: (n, key) => <FileCard key={key} store={store} roomId={room.room_id} fileId={n.fileId} label={plainText(n.children, (id) => store.nameOf(id))} preview={!!n.preview} />,
    }),
    [t, lang, me, store.state.people, store.state.rooms, room.room_id],
  );

  const maybeLoadOlder = () => {
    const el = scroller.current;
    if (el && el.scrollTop < kNearTop && timeline.hasMoreBefore && !timeline.loadingOlder && !timeline.loading) void store.loadOlder();
  };
  const maybeLoadNewer = () => {
    const el = scroller.current;
    if (el && el.scrollHeight - el.clientHeight - el.scrollTop < kNearTop && timeline.hasMoreAfter && !timeline.loadingNewer && !timeline.loading) void store.loadNewer();
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = timeline.messages[0]?.message_id;
    const last = timeline.messages[timeline.messages.length - 1]?.message_id;
    const prev = shown.current;
    // The message opened at, or (deleted since) the one after where it was.
    const focusId = timeline.focusId;
    const anchor = focusId ? (timeline.messages.find((m) => m.message_id === focusId) ?? timeline.messages.find((m) => compareIds(m.message_id, focusId) > 0)) : undefined;
    const focus = anchor ? el.querySelector(`[data-message-id="${anchor.message_id}"]`) : null;
    if ((prev.generation !== timeline.generation || (prev.loading && !timeline.loading)) && focus instanceof HTMLElement) {
      // Opened at a message: centre it, and take the focus there for a screen reader.
      const box = el.getBoundingClientRect();
      const item = focus.getBoundingClientRect();
      el.scrollTop = Math.max(0, el.scrollTop + item.top - box.top - Math.max(0, (el.clientHeight - item.height) / 2));
      if (anchor?.message_id === focusId) focus.focus({ preventScroll: true });
    } else if (prev.generation !== timeline.generation || (prev.loading && !timeline.loading)) {
      // A room just opened: show the first unread, or the end.
      const marker = el.querySelector('.new-marker');
      if (marker instanceof HTMLElement) el.scrollTop = Math.max(0, marker.offsetTop - 48);
      else el.scrollTop = el.scrollHeight;
    } else if (first !== prev.first && last === prev.last) {
      // Older messages came in above: keep what the reader sees where it was.
      el.scrollTop = el.scrollHeight - el.clientHeight - fromBottom.current;
    } else if (last !== prev.last && fromBottom.current < kNearBottom && !prev.hasMoreAfter) {
      // A new message at the end (newer pages of an older part stay below: the view stays put).
      el.scrollTop = el.scrollHeight;
    }
    fromBottom.current = el.scrollHeight - el.clientHeight - el.scrollTop;
    shown.current = { generation: timeline.generation, first, last, loading: timeline.loading, hasMoreAfter: timeline.hasMoreAfter };
    maybeLoadOlder();
    maybeLoadNewer();
  });

  // The view got shorter (the composer grew: an upload tray, more lines): a reader at the end
  // stays at the end.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (fromBottom.current < kNearBottom) el.scrollTop = el.scrollHeight;
      fromBottom.current = el.scrollHeight - el.clientHeight - el.scrollTop;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    fromBottom.current = el.scrollHeight - el.clientHeight - el.scrollTop;
    maybeLoadOlder();
    maybeLoadNewer();
  };

  // The keyboard's way through the messages: Up and Down move between them (from the timeline
  // itself, Up starts at the latest), Home and End go to the first and last loaded; a message
  // with the focus shows its actions, the next Tab stops.
  const onKeyDown = (e: KeyboardEvent) => {
    const el = scroller.current;
    const target = e.target as HTMLElement | null;
    if (!el || !target || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (target !== el && !target.matches('li.message')) return;
    const items = Array.from(el.querySelectorAll<HTMLElement>('li.message'));
    if (items.length === 0) return;
    const at = items.indexOf(target);
    let next: number;
    if (e.key === 'ArrowUp') next = at < 0 ? items.length - 1 : Math.max(0, at - 1);
    else if (e.key === 'ArrowDown') next = at < 0 ? items.length - 1 : Math.min(items.length - 1, at + 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else return;
    e.preventDefault();
    items[next].focus();
    items[next].scrollIntoView({ block: 'nearest' });
  };

  const items: preact.ComponentChildren[] = [];
  let prev: Message | undefined;
  for (const m of timeline.messages) {
    const newDay = !prev || dayKey(prev.send_time) !== dayKey(m.send_time);
    if (newDay) {
      items.push(
        <li key={`day-${m.message_id}`} class="day-separator">
          <span>{formatDay(m.send_time, lang, t)}</span>
        </li>,
      );
    }
    const isMarker = m.message_id === timeline.markerId;
    if (isMarker) {
      items.push(
        <li key="marker" class="new-marker">
          <span>{t.newMessages}</span>
        </li>,
      );
    }
    const grouped = !!prev && !newDay && !isMarker && prev.account.account_id === m.account.account_id && m.send_time - prev.send_time < kGroupSeconds;
    const focused = m.message_id === timeline.focusId;
    items.push(<MessageItem key={m.message_id} store={store} t={t} m={m} ctx={ctx} grouped={grouped && !focused} room={room} focus={focused ? timeline.generation % 2 : undefined} />);
    prev = m;
  }

  return (
    <div class="timeline" ref={scroller} onScroll={onScroll} onKeyDown={onKeyDown} tabIndex={0} aria-label={t.timeline(title)} aria-keyshortcuts="ArrowUp ArrowDown Home End">
      {timeline.loading && <p class="timeline-note">{t.loading}</p>}
      {!timeline.loading && !timeline.hasMoreBefore && <p class="timeline-note timeline-start">{t.startOfRoom}</p>}
      {timeline.loadingOlder && <p class="timeline-note">{t.loadingOlder}</p>}
      {!timeline.loading && timeline.focusMissing && (
        <p class="timeline-note timeline-missing" role="status">
          {st.messageMissing}
        </p>
      )}
      {/* The live region wraps the list: a list's items must have the list as their parent. */}
      <div role="log" aria-live="polite" aria-relevant="additions">
        <ol class="messages">{items}</ol>
      </div>
      {timeline.loadingNewer && <p class="timeline-note">{st.loadingNewer}</p>}
      {!timeline.loading && timeline.hasMoreAfter && (
        <div class="jump-latest-bar">
          <button type="button" class="button jump-latest" onClick={() => void store.selectRoom(room.room_id)}>
            <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
              <path d="M10 4v11M5 10.5l5 5 5-5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
            {st.jumpLatest}
          </button>
        </div>
      )}
      <TaskDialog store={store} t={t} />
    </div>
  );
}

// `focus`: the message the timeline was opened at (0 or 1 alternates, so opening it again replays the highlight).
function MessageItem({ store, t, m, ctx: roomCtx, grouped, room, focus }: { store: Store; t: Strings; m: Message; ctx: RenderContext; grouped: boolean; room: Room; focus?: number }) {
  const nodes = useMemo(() => parseNotation(m.body), [m.body]);
  const ctx = useMemo(() => ({ ...roomCtx, messageId: m.message_id }), [roomCtx, m.message_id]);
  const { lang, me } = store.state;
  const own = m.account.account_id === me?.account_id;
  const canPost = room.role !== 'readonly';
  const author = store.state.people.get(m.account.account_id) ?? m.account;
  const mentionsMe = nodes.some((n) => (n.kind === 'to' || n.kind === 'reply') && n.accountId === me?.account_id) || nodes.some((n) => n.kind === 'toall');
  const reply = () => store.insertDraft(`[rp aid=${m.account.account_id} to=${room.room_id}-${m.message_id}]${author.name}\n`);
  const quote = () => store.insertDraft(`[qt][qtmeta aid=${m.account.account_id} time=${m.send_time}]${m.body}[/qt]\n`);
  const remove = () => {
    if (window.confirm(t.confirmDelete)) void store.remove(m);
  };
  return (
    <li class={`message${grouped ? ' message-grouped' : ''}${own ? ' message-own' : ''}${mentionsMe && !own ? ' message-mention' : ''}${focus !== undefined ? ` message-focus message-focus-${focus}` : ''}${tasksOf(store).dialog?.message.message_id === m.message_id ? ' message-tasking' : ''}`} data-message-id={m.message_id} tabIndex={-1}>
      <article aria-label={`${author.name} ${formatDateTime(m.send_time, lang)}`}>
        <div class="message-gutter">{grouped ? <span class="message-time-inline">{formatShortClock(m.send_time)}</span> : <Avatar account={author} />}</div>
        <div class="message-main">
          {!grouped && (
            <header class="message-head">
              <span class="message-author">{author.name}</span>
              <time class="message-time" dateTime={new Date(m.send_time * 1000).toISOString()} title={formatDateTime(m.send_time, lang)}>
                {formatClock(m.send_time, lang)}
              </time>
            </header>
          )}
          <div class="message-body">{renderNodes(nodes, ctx)}</div>
          {m.update_time > 0 && <span class="message-edited">({t.edited})</span>}
        </div>
        {canPost && (
          <div class="message-actions" role="group" aria-label={t.messageActions}>
            <button type="button" class="action" onClick={reply}>
              {t.reply}
            </button>
            <button type="button" class="action" onClick={quote}>
              {t.quote}
            </button>
            <button type="button" class="action" onClick={() => tasksOf(store).openDialog(room.room_id, m)}>
              {taskStrings[lang].taskAction}
            </button>
            {own && (
              <button type="button" class="action" onClick={() => store.startEdit(m)}>
                {t.edit}
              </button>
            )}
            {own && (
              <button type="button" class="action action-danger" onClick={remove}>
                {t.delete}
              </button>
            )}
          </div>
        )}
      </article>
    </li>
  );
}
