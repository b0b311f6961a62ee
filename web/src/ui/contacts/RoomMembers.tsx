// The open room's Members tab: who is in it and their roles. An admin of a group chat changes
// roles, adds and removes members (PUT /v2/rooms/{id}/members, the whole list each time), edits
// the room, manages its invitation link and may delete it; everyone in a group chat can leave.
// Direct chats show the two people. Follows the stream (members, room, link).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Member, Room } from '../../api/types';
import { Avatar } from '../Avatar';
import type { Strings } from '../i18n';
import { RoomIcon } from '../RoomIcon';
import type { Store } from '../store';
import { createLink, deleteLink, errorText, getLink, getRoomDetail, leaveOrDeleteRoom, listsOf, putMembers, updateLink, updateRoom, type Role, type RoomDetail, type RoomLink } from './api';
import './contacts.css';
import { useColleagues } from './colleagues';
import { contactsModel } from './model';
import { JoinRequests } from '../invitations/JoinRequests';
import { PresetPicker } from './NewGroupDialog';
import { presetOf } from '../RoomIcon';
import { contactStrings, type ContactStrings } from './strings';

const kRoles: readonly Role[] = ['admin', 'member', 'readonly'];

export function RoomMembers({ store, room }: { store: Store; t: Strings; room: Room }) {
  const s = contactStrings[store.state.lang];
  const isGroup = room.type === 'group';
  const isAdmin = isGroup && room.role === 'admin';
  const [detail, setDetail] = useState<RoomDetail | null>(null);
  const [link, setLink] = useState<RoomLink | null>(null);
  const [linkFailed, setLinkFailed] = useState(false);

  // The description (not in the room list's copy) and the link, again when they change.
  useEffect(() => {
    setDetail(null);
    setLink(null);
    if (!isGroup) return;
    let live = true;
    const loadDetail = () => getRoomDetail(store.api.http, room.room_id).then((d) => live && setDetail(d), () => undefined);
    const loadLink = () =>
      getLink(store.api.http, room.room_id).then(
        (l) => {
          if (!live) return;
          setLink(l);
          setLinkFailed(false);
        },
        () => live && setLinkFailed(true),
      );
    void loadDetail();
    void loadLink();
    const off = store.onStreamEvent((ev) => {
      if (ev.data.room_id !== room.room_id) return;
      if (ev.type === 'room_updated') void loadDetail();
      if (ev.type === 'link_changed') void loadLink();
    });
    return () => {
      live = false;
      off();
    };
  }, [room.room_id, isGroup]);

  return (
    <div class="members-panel" data-testid="members-panel">
      {isGroup && <RoomSummary key={room.room_id} store={store} s={s} room={room} detail={detail} isAdmin={isAdmin} onSaved={setDetail} />}
      {room.type === 'direct' && <p class="contacts-hint members-note">{s.directNote}</p>}
      {room.type === 'my' && <p class="contacts-hint members-note">{s.myChatNote}</p>}
      {isAdmin && <JoinRequests key={room.room_id} store={store} room={room} />}
      <MemberList key={room.room_id} store={store} s={s} room={room} isAdmin={isAdmin} />
      {isGroup && <LinkSection key={room.room_id} store={store} s={s} room={room} isAdmin={isAdmin} link={link} failed={linkFailed} onChange={setLink} />}
      {isGroup && <LeaveOrDelete key={room.room_id} store={store} s={s} room={room} isAdmin={isAdmin} />}
    </div>
  );
}

function RoomSummary({ store, s, room, detail, isAdmin, onSaved }: { store: Store; s: ContactStrings; room: Room; detail: RoomDetail | null; isAdmin: boolean; onSaved: (d: RoomDetail) => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [preset, setPreset] = useState('group');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);

  function start() {
    setName(room.name);
    setDescription(detail?.description ?? '');
    setPreset(presetOf(room.icon_path));
    setError('');
    setSaved(false);
    setEditing(true);
  }

  async function save(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setError(s.nameRequired);
    setBusy(true);
    setError('');
    try {
      await updateRoom(store.api.http, room.room_id, { name: name.trim(), description, icon_preset: preset });
      if (detail) onSaved({ ...detail, name: name.trim(), description, icon_path: `/icons/${preset}.png` });
      store.scheduleRefresh(room.room_id, 0);
      setEditing(false);
      setSaved(true);
      setTimeout(() => editButton.current?.focus(), 0);
    } catch (err) {
      setError(errorText(err, s));
    } finally {
      setBusy(false);
    }
  }

  if (editing) {
    return (
      <form class="members-section room-edit" aria-labelledby="room-edit-title" onSubmit={(e) => void save(e)} noValidate>
        <h3 class="members-heading" id="room-edit-title">
          {s.editRoom}
        </h3>
        <label class="contacts-field">
          <span>{s.groupName}</span>
          <input name="name" maxLength={255} value={name} aria-invalid={error && !name.trim() ? 'true' : undefined} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="contacts-field">
          <span>{s.description}</span>
          <textarea name="description" rows={3} maxLength={10000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <PresetPicker s={s} name={name} value={preset} onChange={setPreset} />
        <p class="contacts-error" role="alert">
          {error}
        </p>
        <div class="members-actions">
          <button type="button" class="button" onClick={() => setEditing(false)}>
            {s.cancel}
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? s.saving : s.save}
          </button>
        </div>
      </form>
    );
  }
  return (
    <div class="members-section room-summary">
      <div class="room-summary-head">
        <RoomIcon room={room} />
        <div class="room-summary-text">
          <span class="room-summary-name">{room.name}</span>
          {isAdmin && <span class="contacts-hint">{s.groupAdmin}</span>}
        </div>
        {isAdmin && (
          <button type="button" ref={editButton} class="button button-small" onClick={start}>
            {s.edit}
          </button>
        )}
      </div>
      {detail?.description && <p class="room-summary-description">{detail.description}</p>}
      <p class="contacts-status" role="status">
        {saved ? s.saved : ''}
      </p>
    </div>
  );
}

function MemberList({ store, s, room, isAdmin }: { store: Store; s: ContactStrings; room: Room; isAdmin: boolean }) {
  const me = store.state.me!;
  const fromStore = store.state.members.get(room.room_id);
  // The store drops a room's list on a membership event and reloads it: keep showing the last one.
  const last = useRef<{ roomId: number; list: Member[] } | null>(null);
  if (fromStore) last.current = { roomId: room.room_id, list: fromStore };
  const members = fromStore ?? (last.current?.roomId === room.room_id ? last.current.list : undefined);
  // Roles just changed here, shown until the store's list says the same.
  const [overrides, setOverrides] = useState<Map<number, Role>>(new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');

  const shown = useMemo(() => {
    const list = (members ?? []).map((m) => (overrides.has(m.account_id) ? { ...m, role: overrides.get(m.account_id)! } : m));
    // You first, then by name: a row does not move when its role changes (the focus stays on it).
    return list.sort((a, b) => Number(b.account_id === me.account_id) - Number(a.account_id === me.account_id) || a.name.localeCompare(b.name));
  }, [members, overrides, me.account_id]);

  useEffect(() => {
    if (overrides.size === 0 || !fromStore) return;
    const settled = [...overrides].every(([id, role]) => fromStore.find((m) => m.account_id === id)?.role === role);
    if (settled) setOverrides(new Map());
  }, [fromStore]);

  async function apply(next: { account_id: number; role: Role }[], done: string, pending?: Map<number, Role>) {
    setBusy(true);
    setError('');
    setStatus('');
    if (pending) setOverrides(pending);
    try {
      await putMembers(store.api.http, room.room_id, listsOf(next));
      setStatus(done);
      return true;
    } catch (e) {
      setOverrides(new Map());
      setError(errorText(e, s, store.nameOf.bind(store)));
      return false;
    } finally {
      setBusy(false);
    }
  }

  function changeRole(m: Member, role: Role) {
    const next = shown.map((x) => (x.account_id === m.account_id ? { ...x, role } : x));
    void apply(next, s.roleChanged(m.name, s.roles[role]), new Map(overrides).set(m.account_id, role));
  }

  function remove(m: Member) {
    if (!window.confirm(s.confirmRemove(m.name))) return;
    void apply(shown.filter((x) => x.account_id !== m.account_id), s.removed(m.name));
  }

  async function add(accountId: number, name: string) {
    return apply([...shown, { account_id: accountId, role: 'member' }], s.added(name));
  }

  return (
    <section class="members-section" aria-labelledby="member-list-title">
      <h3 class="members-heading" id="member-list-title">
        {s.membersTitle}
        {members && <span class="contacts-count">{members.length}</span>}
      </h3>
      {!members && <p class="contacts-empty">…</p>}
      <ul class="member-list">
        {shown.map((m) => (
          <li key={m.account_id} class="member" data-account-id={m.account_id} data-role={m.role}>
            <Avatar account={m} size="sm" />
            <span class="contact-text">
              <span class="contact-name">
                {m.name}
                {m.account_id === me.account_id && <span class="member-you">{` (${s.you})`}</span>}
              </span>
            </span>
            {isAdmin ? (
              <>
                <select class="role-select" aria-label={s.roleOf(m.name)} value={m.role} disabled={busy} onChange={(e) => changeRole(m, e.currentTarget.value as Role)}>
                  {kRoles.map((r) => (
                    <option key={r} value={r}>
                      {s.roles[r]}
                    </option>
                  ))}
                </select>
                {m.account_id !== me.account_id && (
                  <button type="button" class="icon-button member-remove" aria-label={s.removePerson(m.name)} title={s.removePerson(m.name)} disabled={busy} onClick={() => remove(m)}>
                    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
                      <path d="M5 5l10 10M15 5L5 15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                    </svg>
                  </button>
                )}
              </>
            ) : (
              room.type === 'group' && <span class={`role-badge role-badge-${m.role}`}>{s.roles[m.role]}</span>
            )}
          </li>
        ))}
      </ul>
      <p class="contacts-error" role="alert">
        {error}
      </p>
      <p class="contacts-status" role="status">
        {status}
      </p>
      {isAdmin && members && <AddMembers store={store} s={s} inRoom={members} busy={busy} onAdd={add} />}
    </section>
  );
}

const normalize = (text: string) => text.normalize('NFKC').toLowerCase();

interface AddCandidate {
  account_id: number;
  name: string;
  avatar_image_url: string;
  detail: string;
}

function AddMembers({ store, s, inRoom, busy, onAdd }: { store: Store; s: ContactStrings; inRoom: Member[]; busy: boolean; onAdd: (id: number, name: string) => Promise<boolean> }) {
  const model = contactsModel(store);
  const [open, setOpen] = useState(false);
  const [idText, setIdText] = useState('');
  const [idError, setIdError] = useState('');
  const [filter, setFilter] = useState('');
  const colleagues = useColleagues(store, filter, open);
  useEffect(() => {
    if (open) model.ensureContacts();
  }, [open]);
  // Contacts (filtered here) and colleagues (filtered by the server, emails too), not yet in.
  const f = normalize(filter.trim());
  const inIt = (id: number) => inRoom.some((m) => m.account_id === id);
  const contacts: AddCandidate[] = model.contacts
    .filter((c) => !inIt(c.account_id) && (!f || normalize(`${c.name} ${c.organization_name} ${c.department}`).includes(f)))
    .map((c) => ({ ...c, detail: [c.organization_name, c.department].filter(Boolean).join(' · ') }));
  const fromColleagues: AddCandidate[] = colleagues.list
    .filter((c) => !inIt(c.account_id) && !model.contact(c.account_id))
    .map((c) => ({ ...c, detail: c.department }));
  const groups: [string, AddCandidate[]][] = [
    [s.fromContacts, contacts],
    [s.fromColleagues, fromColleagues],
  ];
  const settled = model.contactsLoad === 'ready' && !colleagues.loading;

  async function addById() {
    const text = idText.normalize('NFKC').trim().replace(/^#/, '');
    if (!/^\d{1,15}$/.test(text) || Number(text) <= 0) return setIdError(s.invalidId);
    const id = Number(text);
    if (inRoom.some((m) => m.account_id === id)) return setIdError('');
    setIdError('');
    if (await onAdd(id, store.state.people.get(id)?.name ?? `ID ${id}`)) setIdText('');
  }

  if (!open) {
    return (
      <button type="button" class="button add-members-open" aria-expanded="false" onClick={() => setOpen(true)}>
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <path d="M10 4v12M4 10h12" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
        {s.addMembers}
      </button>
    );
  }
  return (
    <div class="add-members" role="group" aria-labelledby="add-members-title">
      <div class="add-members-head">
        <h4 class="people-group-title" id="add-members-title">
          {s.addMembers}
        </h4>
        <button type="button" class="button button-quiet button-small" aria-expanded="true" onClick={() => setOpen(false)}>
          {s.close}
        </button>
      </div>
      <input type="search" class="room-filter people-filter" placeholder={s.searchPeople} aria-label={s.filterPeople} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      {settled && contacts.length === 0 && fromColleagues.length === 0 && !colleagues.hasMore && <p class="contacts-hint">{f ? s.noCandidateMatch : s.noCandidates}</p>}
      {groups.map(([title, list]) =>
        list.length === 0 ? null : (
          <div key={title} class="people-group">
            <h5 class="people-group-title">{title}</h5>
            <ul class="people-list">
              {list.map((c) => (
                <li key={c.account_id} class="person-choice" data-account-id={c.account_id}>
                  <span class="person-choice-label">
                    <Avatar account={c} size="sm" />
                    <span class="contact-text">
                      <span class="contact-name">{c.name}</span>
                      {c.detail && <span class="contact-org">{c.detail}</span>}
                    </span>
                  </span>
                  <button type="button" class="button button-small" aria-label={s.addPerson(c.name)} disabled={busy} onClick={() => void onAdd(c.account_id, c.name)}>
                    {s.add}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ),
      )}
      {colleagues.hasMore && (
        <button type="button" class="button button-quiet button-small people-more" disabled={colleagues.loading} onClick={colleagues.more}>
          {s.moreColleagues}
        </button>
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
          <input name="add_account_id" inputMode="numeric" autoComplete="off" placeholder={s.accountIdHint} value={idText} aria-invalid={idError ? 'true' : undefined} onInput={(e) => setIdText(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void addById(); } }} />
        </label>
        <button type="button" class="button" disabled={busy} onClick={() => void addById()}>
          {s.add}
        </button>
      </div>
      <p class="contacts-field-error" role="status">
        {idError}
      </p>
    </div>
  );
}

function LinkSection({ store, s, room, isAdmin, link, failed, onChange }: { store: Store; s: ContactStrings; room: Room; isAdmin: boolean; link: RoomLink | null; failed: boolean; onChange: (l: RoomLink) => void }) {
  const [code, setCode] = useState('');
  const [description, setDescription] = useState('');
  const [needAcceptance, setNeedAcceptance] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [copied, setCopied] = useState<boolean | null>(null);
  const urlInput = useRef<HTMLInputElement>(null);

  // The form follows the link as the server has it (also after another admin changed it).
  useEffect(() => {
    setDescription(link?.description ?? '');
    setNeedAcceptance(link?.need_acceptance ?? true);
  }, [link?.description, link?.need_acceptance, link?.public]);

  async function run(action: () => Promise<RoomLink>) {
    setBusy(true);
    setError('');
    setCopied(null);
    try {
      onChange(await action());
      setCode('');
    } catch (e) {
      setError(errorText(e, s));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!link?.url) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      urlInput.current?.select();
      setCopied(false);
    }
  }

  if (!link && !failed) return null;
  return (
    <section class="members-section" aria-labelledby="link-title">
      <h3 class="members-heading" id="link-title">
        {s.linkTitle}
      </h3>
      {failed && !link && <p class="contacts-error">{s.loadFailed}</p>}
      {link && !link.public && !isAdmin && <p class="contacts-hint">{s.noLink}</p>}
      {link?.public && (
        <>
          <div class="link-url-row">
            <input ref={urlInput} class="link-url" readOnly value={link.url} aria-label={s.linkUrl} data-testid="link-url" onFocus={(e) => e.currentTarget.select()} />
            <button type="button" class="button" onClick={() => void copy()}>
              {copied ? s.copied : s.copy}
            </button>
          </div>
          <p class="contacts-status" role="status">
            {copied === false ? s.copyFailed : copied ? s.copied : ''}
          </p>
          {!isAdmin && link.description && <p class="room-summary-description">{link.description}</p>}
        </>
      )}
      {isAdmin && link && (
        <form class="link-form" onSubmit={(e) => { e.preventDefault(); void run(() => (link.public ? updateLink(store.api.http, room.room_id, { description, need_acceptance: needAcceptance }) : createLink(store.api.http, room.room_id, { code: code.trim(), description, need_acceptance: needAcceptance }))); }} noValidate>
          {!link.public && <p class="contacts-hint">{s.linkLead}</p>}
          {!link.public && (
            <label class="contacts-field">
              <span>{s.linkCode}</span>
              <input name="code" maxLength={50} autoComplete="off" value={code} aria-describedby="link-code-hint" onInput={(e) => setCode(e.currentTarget.value)} />
              <small id="link-code-hint" class="contacts-hint">
                {s.linkCodeHint}
              </small>
            </label>
          )}
          <label class="contacts-field">
            <span>{s.linkDescription}</span>
            <input name="link_description" maxLength={10000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </label>
          <label class="contacts-check">
            <input type="checkbox" checked={needAcceptance} onChange={(e) => setNeedAcceptance(e.currentTarget.checked)} />
            <span>{s.needAcceptance}</span>
          </label>
          <p class="contacts-error" role="alert">
            {error}
          </p>
          <div class="members-actions">
            {link.public && (
              <button type="button" class="button button-danger-quiet" disabled={busy} onClick={() => { if (window.confirm(s.confirmDeleteLink)) void run(() => deleteLink(store.api.http, room.room_id)); }}>
                {s.deleteLink}
              </button>
            )}
            <button type="submit" class="button button-primary" disabled={busy}>
              {link.public ? s.updateLink : s.createLink}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function LeaveOrDelete({ store, s, room, isAdmin }: { store: Store; s: ContactStrings; room: Room; isAdmin: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function act(action: 'leave' | 'delete') {
    if (!window.confirm(action === 'leave' ? s.confirmLeave(room.name) : s.confirmDeleteRoom(room.name))) return;
    setBusy(true);
    setError('');
    try {
      await leaveOrDeleteRoom(store.api.http, room.room_id, action);
      store.setRoomPanel(null);
      void store.selectRoom(null);
    } catch (e) {
      setError(errorText(e, s, undefined, action === 'leave'));
      setBusy(false);
    }
  }

  return (
    <section class="members-section" aria-labelledby="danger-title">
      <h3 class="members-heading" id="danger-title">
        {s.dangerTitle}
      </h3>
      <div class="members-actions members-actions-start">
        <button type="button" class="button" disabled={busy} onClick={() => void act('leave')}>
          {s.leave}
        </button>
        {isAdmin && (
          <button type="button" class="button button-danger" disabled={busy} onClick={() => void act('delete')}>
            {s.deleteRoom}
          </button>
        )}
      </div>
      <p class="contacts-error" role="alert">
        {error}
      </p>
    </section>
  );
}
