// "New group chat": a modal dialog (name, description, icon, members with a role each, an
// invitation link) that creates the room with POST /v2/rooms and opens it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Account, Room } from '../../api/types';
import { Avatar } from '../Avatar';
import { presets, RoomIcon } from '../RoomIcon';
import type { Store } from '../store';
import { createRoom, errorText, type Role } from './api';
import { useColleagues } from './colleagues';
import './contacts.css';
import { contactsModel } from './model';
import { contactStrings, type ContactStrings } from './strings';

const normalize = (s: string) => s.normalize('NFKC').toLowerCase();

// Opens a room the room list may not hold yet (just created, just became a contact): the
// refresh adds it as soon as the server answers.
export async function openRoom(store: Store, roomId: number): Promise<void> {
  if (!store.room(roomId)) store.scheduleRefresh(roomId, 0);
  await store.selectRoom(roomId);
}

// A room object for drawing a preset as the room list draws it.
export function previewRoom(preset: string, name: string): Room {
  return { room_id: 0, name: name || '#', type: 'group', role: 'admin', sticky: false, unread_num: 0, mention_num: 0, mytask_num: 0, message_num: 0, icon_path: `/icons/${preset}.png`, last_update_time: 0 };
}

export function NewGroupButton({ store, compact = false }: { store: Store; compact?: boolean }) {
  const s = contactStrings[store.state.lang];
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class={compact ? 'icon-button new-group-button' : 'button new-group-button'} aria-haspopup="dialog" aria-label={compact ? s.newGroup : undefined} title={compact ? s.newGroup : undefined} data-testid={compact ? 'new-group-compact' : 'new-group'} onClick={() => setOpen(true)}>
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <path d="M10 4v12M4 10h12" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
        {!compact && <span>{s.newGroupShort}</span>}
      </button>
      {open && <NewGroupDialog store={store} s={s} onClose={() => setOpen(false)} />}
    </>
  );
}

interface Candidate {
  account: Account;
  detail: string;
  source: 'contact' | 'colleague' | 'chat' | 'id';
}

function NewGroupDialog({ store, s, onClose }: { store: Store; s: ContactStrings; onClose: () => void }) {
  const model = contactsModel(store);
  const me = store.state.me!;
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [preset, setPreset] = useState('group');
  const [chosen, setChosen] = useState<Map<number, Role>>(new Map());
  const [extra, setExtra] = useState<Candidate[]>([]);
  const [filter, setFilter] = useState('');
  const [idText, setIdText] = useState('');
  const [idError, setIdError] = useState('');
  const [withLink, setWithLink] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [nameMissing, setNameMissing] = useState(false);
  // Everyone chosen, as they were listed: a chosen colleague stays listed when the filter changes.
  const [picked, setPicked] = useState<Map<number, Candidate>>(new Map());
  const colleagues = useColleagues(store, filter);

  useEffect(() => {
    model.ensureContacts();
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    document.getElementById('new-group-name')?.focus();
    const closed = () => onClose();
    dialog.addEventListener('close', closed);
    return () => dialog.removeEventListener('close', closed);
  }, []);

  // Contacts first, then colleagues (the server's page for the filter), then people met in the
  // user's chats, then IDs typed in; whoever is chosen stays.
  const candidates = useMemo(() => {
    const list: Candidate[] = [];
    const seen = new Set<number>([me.account_id]);
    const add = (c: Candidate) => {
      if (seen.has(c.account.account_id)) return;
      seen.add(c.account.account_id);
      list.push(c);
    };
    for (const c of model.contacts) add({ account: c, detail: [c.organization_name, c.department].filter(Boolean).join(' · '), source: 'contact' });
    for (const c of colleagues.list) add({ account: c, detail: c.department, source: 'colleague' });
    for (const p of store.state.people.values()) add({ account: p, detail: '', source: 'chat' });
    for (const c of extra) add(c);
    for (const [id, c] of picked) if (chosen.has(id)) add(c);
    return list;
  }, [model.contacts, colleagues.list, store.state.people, extra, picked, chosen, me.account_id]);

  const nameOf = (id: number) => candidates.find((c) => c.account.account_id === id)?.account.name ?? `ID ${id}`;
  const f = normalize(filter.trim());
  // Colleagues come filtered by the server (which also matches their emails).
  const shown = f ? candidates.filter((c) => c.source === 'colleague' || normalize(`${c.account.name} ${c.detail} ${c.account.account_id}`).includes(f) || chosen.has(c.account.account_id)) : candidates;

  function toggle(id: number, on: boolean) {
    const next = new Map(chosen);
    if (on) {
      next.set(id, next.get(id) ?? 'member');
      const candidate = candidates.find((c) => c.account.account_id === id);
      if (candidate && !picked.has(id)) setPicked(new Map(picked).set(id, candidate));
    } else next.delete(id);
    setChosen(next);
  }

  function setRole(id: number, role: Role) {
    const next = new Map(chosen);
    next.set(id, role);
    setChosen(next);
  }

  function addById() {
    const text = idText.normalize('NFKC').trim().replace(/^#/, '');
    if (!/^\d{1,15}$/.test(text) || Number(text) <= 0) return setIdError(s.invalidId);
    const id = Number(text);
    if (id === me.account_id) return setIdError(s.yourself);
    setIdError('');
    setIdText('');
    if (!candidates.some((c) => c.account.account_id === id)) {
      const known = store.state.people.get(id);
      setExtra([...extra, { account: known ?? { account_id: id, name: `ID ${id}`, avatar_image_url: '' }, detail: '', source: 'id' }]);
    }
    const next = new Map(chosen);
    next.set(id, next.get(id) ?? 'member');
    setChosen(next);
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setNameMissing(true);
      setError(s.nameRequired);
      document.getElementById('new-group-name')?.focus();
      return;
    }
    setBusy(true);
    setError('');
    const members = { admin: [me.account_id], member: [] as number[], readonly: [] as number[] };
    for (const [id, role] of chosen) members[role].push(id);
    try {
      const { room_id } = await createRoom(store.api.http, { name: name.trim(), description, icon_preset: preset, members, link: withLink });
      ref.current?.close();
      void openRoom(store, room_id);
    } catch (err) {
      setBusy(false);
      setError(errorText(err, s, nameOf));
    }
  }

  const groups: [string, Candidate[]][] = [
    [s.fromContacts, shown.filter((c) => c.source === 'contact')],
    [s.fromColleagues, shown.filter((c) => c.source === 'colleague')],
    [s.fromChats, shown.filter((c) => c.source === 'chat')],
    [s.byId, shown.filter((c) => c.source === 'id')],
  ];

  return (
    <dialog ref={ref} class="contacts-dialog" aria-labelledby="new-group-title" data-testid="new-group-dialog">
      <form class="dialog-form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="dialog-header">
          <h2 id="new-group-title">{s.newGroup}</h2>
          <button type="button" class="icon-button" aria-label={s.close} onClick={() => ref.current?.close()}>
            <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
              <path d="M5 5l10 10M15 5L5 15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            </svg>
          </button>
        </div>
        <div class="dialog-body">
          <div class="new-group-top">
            <RoomIcon room={previewRoom(preset, name)} />
            <label class="contacts-field new-group-name">
              <span>{s.groupName}</span>
              <input id="new-group-name" name="name" required maxLength={255} placeholder={s.groupNamePlaceholder} value={name} aria-invalid={nameMissing && !name.trim() ? 'true' : undefined} onInput={(e) => { setName(e.currentTarget.value); setNameMissing(false); }} />
            </label>
          </div>
          <label class="contacts-field">
            <span>{s.description}</span>
            <textarea name="description" rows={2} maxLength={10000} placeholder={s.descriptionPlaceholder} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </label>
          <PresetPicker s={s} name={name} value={preset} onChange={setPreset} />
          <fieldset class="contacts-fieldset">
            <legend>{s.chooseMembers}</legend>
            <p class="contacts-hint">{s.selectedCount(chosen.size)}</p>
            {(candidates.length > 0 || filter) && <input type="search" class="room-filter people-filter" placeholder={s.searchPeople} aria-label={s.filterPeople} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />}
            {candidates.length === 0 && !filter && model.contactsLoad !== 'loading' && !colleagues.loading && <p class="contacts-empty">{s.noPeople}</p>}
            {filter && shown.length === 0 && !colleagues.loading && <p class="contacts-empty">{s.noCandidateMatch}</p>}
            {groups.map(([title, list]) =>
              list.length === 0 ? null : (
                <div key={title} class="people-group">
                  <h3 class="people-group-title">{title}</h3>
                  <ul class="people-list">
                    {list.map((c) => (
                      <PersonChoice key={c.account.account_id} s={s} candidate={c} role={chosen.get(c.account.account_id)} onToggle={toggle} onRole={setRole} />
                    ))}
                  </ul>
                  {title === s.fromColleagues && colleagues.hasMore && (
                    <button type="button" class="button button-quiet button-small people-more" disabled={colleagues.loading} onClick={colleagues.more}>
                      {s.moreColleagues}
                    </button>
                  )}
                </div>
              ),
            )}
            {colleagues.failed && (
              <p class="contacts-error" role="alert">
                {s.colleaguesFailed}{' '}
                <button type="button" class="link-button" onClick={colleagues.retry}>
                  {s.retry}
                </button>
              </p>
            )}
            <div class="add-by-id">
              <label class="contacts-field">
                <span>{s.addById}</span>
                <input name="add_account_id" inputMode="numeric" autoComplete="off" placeholder={s.accountIdHint} value={idText} aria-invalid={idError ? 'true' : undefined} aria-describedby="add-by-id-error" onInput={(e) => setIdText(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); addById(); } }} />
              </label>
              <button type="button" class="button" onClick={addById}>
                {s.add}
              </button>
            </div>
            <p id="add-by-id-error" class="contacts-field-error" role="status">
              {idError}
            </p>
          </fieldset>
          <label class="contacts-check">
            <input type="checkbox" name="link" checked={withLink} onChange={(e) => setWithLink(e.currentTarget.checked)} />
            <span>{s.withLink}</span>
          </label>
          <p class="contacts-error" role="alert">
            {error}
          </p>
        </div>
        <div class="dialog-footer">
          <button type="button" class="button" onClick={() => ref.current?.close()}>
            {s.cancel}
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? s.creating : s.create}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function PresetPicker({ s, name, value, onChange }: { s: ContactStrings; name: string; value: string; onChange: (preset: string) => void }) {
  return (
    <fieldset class="contacts-fieldset preset-picker">
      <legend>
        {s.icon}
        <span class="preset-current">{s.presets[value] ?? value}</span>
      </legend>
      <div class="preset-options">
        {presets.map((p) => (
          <label key={p} class="preset-option" title={s.presets[p] ?? p}>
            <input type="radio" name="icon_preset" value={p} checked={value === p} onChange={() => onChange(p)} />
            <RoomIcon room={previewRoom(p, name)} />
            <span class="contacts-sr-only">{s.presets[p] ?? p}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function PersonChoice({ s, candidate, role, onToggle, onRole }: { s: ContactStrings; candidate: Candidate; role: Role | undefined; onToggle: (id: number, on: boolean) => void; onRole: (id: number, role: Role) => void }) {
  const { account, detail } = candidate;
  const id = account.account_id;
  return (
    <li class={`person-choice${role ? ' person-choice-on' : ''}`} data-account-id={id}>
      <label class="person-choice-label">
        <input type="checkbox" checked={role !== undefined} onChange={(e) => onToggle(id, e.currentTarget.checked)} />
        <Avatar account={account} size="sm" />
        <span class="contact-text">
          <span class="contact-name">{account.name}</span>
          {detail && <span class="contact-org">{detail}</span>}
        </span>
      </label>
      {role && (
        <select class="role-select" aria-label={s.roleOf(account.name)} value={role} onChange={(e) => onRole(id, e.currentTarget.value as Role)}>
          {(['admin', 'member', 'readonly'] as const).map((r) => (
            <option key={r} value={r}>
              {s.roles[r]}
            </option>
          ))}
        </select>
      )}
    </li>
  );
}
