// The composer's To button: a list of the room's members with a filter (arrows and Enter choose,
// Escape closes); choosing one inserts [To:ACCOUNT_ID]Name as Chatwork does, "To all" [toall].
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Member, Room } from '../../api/types';
import { Avatar } from '../Avatar';
import type { Store } from '../store';
import './files.css';
import { filesStrings } from './strings';

type Choice = { kind: 'all' } | { kind: 'member'; member: Member };

export function ToPicker({ store, room, onPick }: { store: Store; room: Room; onPick: (text: string) => void }) {
  const ft = filesStrings[store.state.lang];
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const meId = store.state.me?.account_id;
  const members = store.state.members.get(room.room_id);

  const choices = useMemo((): Choice[] => {
    const q = filter.trim().toLowerCase();
    const people = (members ?? []).filter((m) => m.account_id !== meId && (!q || m.name.toLowerCase().includes(q)));
    const all: Choice[] = room.type === 'group' && (!q || ft.toAll.toLowerCase().includes(q) || 'all'.includes(q) || 'toall'.includes(q)) ? [{ kind: 'all' }] : [];
    return [...all, ...people.map((member): Choice => ({ kind: 'member', member }))];
  }, [members, filter, meId, room.type, ft]);

  // Focused before the next keystroke can arrive (an effect would run only after paint).
  useLayoutEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as globalThis.Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  // The active option stays in view while moving with the arrows.
  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active, open]);

  // My Chat has nobody to address.
  if (room.type === 'my') return null;

  const close = (refocus: boolean) => {
    setOpen(false);
    setFilter('');
    if (refocus) button.current?.focus();
  };
  const pick = (c: Choice | undefined) => {
    if (!c) return;
    close(false);
    onPick(c.kind === 'all' ? '[toall]\n' : `[To:${c.member.account_id}]${c.member.name}\n`);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (choices.length ? (a + 1) % choices.length : 0));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (choices.length ? (a - 1 + choices.length) % choices.length : 0));
    } else if (e.key === 'Home') {
      e.preventDefault();
      setActive(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      setActive(Math.max(0, choices.length - 1));
    } else if (e.key === 'Enter' && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      pick(choices[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') {
      close(false);
    }
  };

  const optionId = (i: number) => `to-option-${room.room_id}-${i}`;
  return (
    <div class="to-picker" ref={root}>
      <button ref={button} type="button" class={`composer-tool to-button${open ? ' composer-tool-on' : ''}`} aria-haspopup="listbox" aria-expanded={open} title={ft.toPicker} onClick={() => {
          if (open) return close(false);
          setActive(0);
          setOpen(true);
        }}>
        <span class="to-button-tag">TO</span>
        <span class="visually-hidden-text">{ft.toPicker}</span>
      </button>
      {open && (
        <div class="to-popover" role="group" aria-label={ft.toPicker}>
          <input
            ref={input}
            class="to-filter"
            type="text"
            role="combobox"
            aria-expanded="true"
            aria-controls={`to-list-${room.room_id}`}
            aria-autocomplete="list"
            aria-activedescendant={choices.length ? optionId(active) : undefined}
            aria-label={ft.toFilter}
            placeholder={ft.toFilter}
            value={filter}
            onInput={(e) => {
              setFilter(e.currentTarget.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          <ul ref={list} class="to-list" id={`to-list-${room.room_id}`} role="listbox" aria-label={ft.toPicker}>
            {choices.map((c, i) => (
              <li
                key={c.kind === 'all' ? 'all' : c.member.account_id}
                id={optionId(i)}
                data-index={i}
                role="option"
                aria-selected={i === active}
                class={`to-option${i === active ? ' to-option-active' : ''}`}
                onMouseEnter={() => setActive(i)}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(c)}
              >
                {c.kind === 'all' ? (
                  <>
                    <span class="to-all-mark" aria-hidden="true">
                      ALL
                    </span>
                    <span class="to-option-text">
                      <span class="to-option-name">{ft.toAll}</span>
                      <span class="to-option-hint">{ft.toAllHint}</span>
                    </span>
                  </>
                ) : (
                  <>
                    <Avatar account={c.member} size="sm" />
                    <span class="to-option-text">
                      <span class="to-option-name">{c.member.name}</span>
                    </span>
                  </>
                )}
              </li>
            ))}
          </ul>
          {choices.length === 0 && <p class="to-none">{members ? ft.toNone : ft.membersLoading}</p>}
        </div>
      )}
    </div>
  );
}
