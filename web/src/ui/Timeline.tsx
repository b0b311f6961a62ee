// The open room's messages: day separators, the "new messages" marker, author grouping, scroll
// back through history (loads older pages near the top), and staying at the bottom for new ones.
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { Message, Room } from '../api/types';
import { Avatar } from './Avatar';
import { FileCard } from './files/FileCard';
import { dayKey, formatClock, formatDateTime, formatDay, formatShortClock } from './format';
import type { Strings } from './i18n';
import { parseNotation, plainText } from './notation/parse';
import { renderNodes, type RenderContext } from './notation/render';
import type { Store, Timeline as TimelineState } from './store';

const kNearTop = 400;
const kNearBottom = 120;
const kGroupSeconds = 5 * 60;

export function Timeline({ store, t, room, title }: { store: Store; t: Strings; room: Room; title: string }) {
  const timeline = store.state.timeline as TimelineState;
  const { lang, me } = store.state;
  const scroller = useRef<HTMLDivElement>(null);
  // Distance from the bottom, measured on every scroll: how to keep the view when content changes.
  const fromBottom = useRef(0);
  const shown = useRef<{ generation: number; first?: string; last?: string; loading: boolean }>({ generation: -1, loading: true });

  const ctx: RenderContext = useMemo(
    () => ({
      t,
      person: (id) => store.state.people.get(id),
      formatTime: (u) => formatDateTime(u, lang),
      meId: me?.account_id,
      file: (n, key) => <FileCard key={key} store={store} roomId={room.room_id} fileId={n.fileId} label={plainText(n.children, (id) => store.nameOf(id))} preview={!!n.preview} />,
    }),
    [t, lang, me, store.state.people, room.room_id],
  );

  const maybeLoadOlder = () => {
    const el = scroller.current;
    if (el && el.scrollTop < kNearTop && timeline.hasMoreBefore && !timeline.loadingOlder && !timeline.loading) void store.loadOlder();
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = timeline.messages[0]?.message_id;
    const last = timeline.messages[timeline.messages.length - 1]?.message_id;
    const prev = shown.current;
    if (prev.generation !== timeline.generation || (prev.loading && !timeline.loading)) {
      // A room just opened: show the first unread, or the end.
      const marker = el.querySelector('.new-marker');
      if (marker instanceof HTMLElement) el.scrollTop = Math.max(0, marker.offsetTop - 48);
      else el.scrollTop = el.scrollHeight;
    } else if (first !== prev.first && last === prev.last) {
      // Older messages came in above: keep what the reader sees where it was.
      el.scrollTop = el.scrollHeight - el.clientHeight - fromBottom.current;
    } else if (last !== prev.last && fromBottom.current < kNearBottom) {
      el.scrollTop = el.scrollHeight;
    }
    fromBottom.current = el.scrollHeight - el.clientHeight - el.scrollTop;
    shown.current = { generation: timeline.generation, first, last, loading: timeline.loading };
    maybeLoadOlder();
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
  };

  const items: preact.ComponentChildren[] = [];
  let prev: Message | undefined;
  for (const m of timeline.messages) {
    const newDay = !prev || dayKey(prev.send_time) !== dayKey(m.send_time);
    if (newDay) {
      items.push(
        <li key={`day-${m.message_id}`} class="day-separator" role="separator">
          <span>{formatDay(m.send_time, lang, t)}</span>
        </li>,
      );
    }
    const isMarker = m.message_id === timeline.markerId;
    if (isMarker) {
      items.push(
        <li key="marker" class="new-marker" role="separator" aria-label={t.newMessages}>
          <span>{t.newMessages}</span>
        </li>,
      );
    }
    const grouped = !!prev && !newDay && !isMarker && prev.account.account_id === m.account.account_id && m.send_time - prev.send_time < kGroupSeconds;
    items.push(<MessageItem key={m.message_id} store={store} t={t} m={m} ctx={ctx} grouped={grouped} room={room} />);
    prev = m;
  }

  return (
    <div class="timeline" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label={t.timeline(title)}>
      {timeline.loading && <p class="timeline-note">{t.loading}</p>}
      {!timeline.loading && !timeline.hasMoreBefore && <p class="timeline-note timeline-start">{t.startOfRoom}</p>}
      {timeline.loadingOlder && <p class="timeline-note">{t.loadingOlder}</p>}
      <ol class="messages" role="log" aria-live="polite" aria-relevant="additions">
        {items}
      </ol>
    </div>
  );
}

function MessageItem({ store, t, m, ctx, grouped, room }: { store: Store; t: Strings; m: Message; ctx: RenderContext; grouped: boolean; room: Room }) {
  const nodes = useMemo(() => parseNotation(m.body), [m.body]);
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
    <li class={`message${grouped ? ' message-grouped' : ''}${own ? ' message-own' : ''}${mentionsMe && !own ? ' message-mention' : ''}`} data-message-id={m.message_id}>
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
