// The Contacts page: requests waiting for an answer, a form to ask someone, and the user's
// contacts (a click opens the direct chat). A "New group chat" button in the header.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Account } from '../../api/types';
import { Avatar } from '../Avatar';
import type { Strings } from '../i18n';
import { Page } from '../Page';
import type { Store } from '../store';
import { errorText, type Contact } from './api';
import './contacts.css';
import { contactsModel, type SendResult } from './model';
import { NewGroupButton, openRoom } from './NewGroupDialog';
import { contactStrings, type ContactStrings } from './strings';

const normalize = (s: string) => s.normalize('NFKC').toLowerCase();

export function ContactsPage({ store, t }: { store: Store; t: Strings }) {
  const s = contactStrings[store.state.lang];
  const model = contactsModel(store);
  useEffect(() => model.ensureContacts(), [model]);
  return (
    <Page store={store} t={t} title={s.contactsTitle} actions={<NewGroupButton store={store} />}>
      <div class="contacts-page">
        <Requests store={store} s={s} />
        <AddContact store={store} s={s} />
        <ContactList store={store} s={s} />
      </div>
    </Page>
  );
}

// The count on the header's "Contacts" link: requests waiting for an answer.
export function useIncomingRequestCount(store: Store): number {
  return contactsModel(store).requests.length;
}

export function ContactsNavBadge({ store }: { store: Store }) {
  const n = useIncomingRequestCount(store);
  if (n === 0) return null;
  const s = contactStrings[store.state.lang];
  return (
    <>
      <span class="badge badge-mention contacts-nav-badge" aria-hidden="true" data-testid="contacts-badge">
        {n > 99 ? '99+' : n}
      </span>
      <span class="contacts-sr-only">{`(${s.requestsBadge(n)})`}</span>
    </>
  );
}

function Requests({ store, s }: { store: Store; s: ContactStrings }) {
  const model = contactsModel(store);
  const { requests, requestsLoad, notice } = model;
  return (
    <section class="contacts-section" aria-labelledby="contact-requests-title">
      <h2 class="contacts-heading" id="contact-requests-title">
        {s.requestsTitle}
        {requests.length > 0 && <span class="contacts-count">{requests.length}</span>}
      </h2>
      {requestsLoad === 'failed' && (
        <p class="contacts-error" role="alert">
          {s.loadFailed}{' '}
          <button type="button" class="link-button" onClick={() => void model.loadRequests()}>
            {s.retry}
          </button>
        </p>
      )}
      {requestsLoad === 'ready' && requests.length === 0 && <p class="contacts-empty">{s.noRequests}</p>}
      {requests.length > 0 && (
        <ul class="contact-requests">
          {requests.map((r) => (
            <li key={r.request_id} class="contact-request" data-request-id={r.request_id}>
              <Avatar account={r} />
              <div class="contact-text">
                <span class="contact-name">{r.name}</span>
                <Affiliation person={r} />
                {r.message && <p class="contact-request-message">{r.message}</p>}
              </div>
              <div class="contact-request-actions">
                <button type="button" class="button button-primary" aria-label={s.acceptFrom(r.name)} disabled={model.answering.has(r.request_id)} onClick={() => void model.answer(r, true)}>
                  {s.accept}
                </button>
                <button type="button" class="button" aria-label={s.rejectFrom(r.name)} disabled={model.answering.has(r.request_id)} onClick={() => void model.answer(r, false)}>
                  {s.reject}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p class="contacts-status" role="status">
        {notice && 'text' in notice ? (notice.text === 'accepted' ? s.accepted(notice.name) : s.rejected(notice.name)) : ''}
      </p>
      {notice && 'error' in notice && (
        <p class="contacts-error" role="alert">
          {errorText(notice.error, s)}
        </p>
      )}
    </section>
  );
}

function Affiliation({ person }: { person: { organization_name: string; department: string } }) {
  const text = [person.organization_name, person.department].filter(Boolean).join(' · ');
  return text ? <span class="contact-org">{text}</span> : null;
}

function resultText(r: SendResult, s: ContactStrings, who: (id: number) => string): { text: string; ok: boolean } {
  switch (r.kind) {
    case 'sent':
      return { text: s.sent(who(r.accountId)), ok: true };
    case 'sentEmail':
      return { text: s.sentEmail(r.email), ok: true };
    case 'alreadyEmail':
      return { text: s.alreadyEmail(r.email), ok: false };
    case 'invalidEmail':
      return { text: s.invalidEmail, ok: false };
    case 'already':
      return { text: s.alreadyContact(who(r.accountId)), ok: false };
    case 'self':
      return { text: s.yourself, ok: false };
    case 'notFound':
      return { text: s.notFound(String(r.accountId)), ok: false };
    case 'pending':
      return { text: s.pending, ok: false };
    case 'invalid':
      return { text: s.invalidTo, ok: false };
    case 'error':
      return { text: errorText(r.error, s), ok: false };
  }
}

function AddContact({ store, s }: { store: Store; s: ContactStrings }) {
  const model = contactsModel(store);
  const me = store.state.me;
  const [id, setId] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SendResult | null>(null);
  const [answers, setAnswers] = useState(0);
  const [copied, setCopied] = useState<boolean | null>(null);
  const who = (accountId: number) => model.contact(accountId)?.name ?? `ID ${accountId}`;
  const shown = result ? resultText(result, s, who) : null;

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setResult(null);
    const r = await model.sendRequest(id, message);
    setBusy(false);
    setResult(r);
    setAnswers((n) => n + 1);
    if (r.kind === 'sent' || r.kind === 'sentEmail') {
      setId('');
      setMessage('');
    }
  }

  async function copyId() {
    if (!me) return;
    try {
      await navigator.clipboard.writeText(String(me.account_id));
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <section class="contacts-section" aria-labelledby="add-contact-title">
      <h2 class="contacts-heading" id="add-contact-title">
        {s.addTitle}
      </h2>
      <p class="contacts-lead">{s.addLead}</p>
      {me && (
        <p class="my-id">
          <span>{s.yourId}</span>
          <strong class="my-id-value" data-testid="my-account-id">
            {me.account_id}
          </strong>
          <button type="button" class="button button-quiet button-small" onClick={() => void copyId()}>
            {copied ? s.copied : s.copyId}
          </button>
          {copied === false && <span class="contacts-hint">{s.copyFailed}</span>}
        </p>
      )}
      <form class="add-contact-form" onSubmit={(e) => void submit(e)} noValidate>
        <label class="contacts-field contacts-field-id">
          <span>{s.contactTo}</span>
          <input name="contact_to" type="text" inputMode="email" autoComplete="off" autoCapitalize="off" spellcheck={false} placeholder={s.contactToHint} value={id} aria-invalid={result?.kind === 'invalid' || result?.kind === 'invalidEmail' ? 'true' : undefined} aria-describedby="add-contact-result" onInput={(e) => setId(e.currentTarget.value)} />
        </label>
        <label class="contacts-field contacts-field-message">
          <span>{s.requestMessage}</span>
          <input name="message" placeholder={s.requestMessagePlaceholder} value={message} maxLength={2000} onInput={(e) => setMessage(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button button-primary add-contact-send" disabled={busy || !id.trim()}>
          {busy ? s.sending : s.sendRequest}
        </button>
      </form>
      <p id="add-contact-result" class={`contacts-result${shown ? (shown.ok ? ' contacts-result-ok' : ' contacts-result-bad') : ''}`} role="status" data-testid="request-result" data-result={result?.kind} data-seq={answers}>
        {shown?.text ?? ''}
      </p>
    </section>
  );
}

function ContactList({ store, s }: { store: Store; s: ContactStrings }) {
  const model = contactsModel(store);
  const { contacts, contactsLoad } = model;
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = normalize(filter.trim());
    if (!f) return contacts;
    return contacts.filter((c) => [c.name, c.organization_name, c.department, c.chatwork_id, String(c.account_id)].some((x) => normalize(x ?? '').includes(f)));
  }, [contacts, filter]);

  return (
    <section class="contacts-section" aria-labelledby="contact-list-title">
      <div class="contacts-list-head">
        <h2 class="contacts-heading" id="contact-list-title">
          {s.contactsTitle}
          {contactsLoad === 'ready' && <span class="contacts-count">{contacts.length}</span>}
        </h2>
        <input type="search" class="room-filter contacts-filter" placeholder={s.filterContacts} aria-label={s.filterContacts} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </div>
      {contactsLoad === 'loading' && <p class="contacts-empty">…</p>}
      {contactsLoad === 'failed' && (
        <p class="contacts-error" role="alert">
          {s.loadFailed}{' '}
          <button type="button" class="link-button" onClick={() => void model.loadContacts()}>
            {s.retry}
          </button>
        </p>
      )}
      {contactsLoad === 'ready' && contacts.length === 0 && <p class="contacts-empty">{s.noContacts}</p>}
      {contactsLoad === 'ready' && contacts.length > 0 && shown.length === 0 && <p class="contacts-empty">{s.noMatch}</p>}
      {shown.length > 0 && (
        <ul class="contact-list">
          {shown.map((c) => (
            <li key={c.account_id}>
              <ContactRow store={store} s={s} contact={c} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ContactRow({ store, s, contact }: { store: Store; s: ContactStrings; contact: Contact }) {
  const account: Account = contact;
  return (
    <button type="button" class="contact-item" data-account-id={contact.account_id} title={s.openChat(contact.name)} onClick={() => void openRoom(store, contact.room_id)}>
      <Avatar account={account} />
      <span class="contact-text">
        <span class="contact-name">{contact.name}</span>
        <Affiliation person={contact} />
      </span>
      <svg class="contact-go" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
        <path d="M4 5.5A2.5 2.5 0 016.5 3h7A2.5 2.5 0 0116 5.5v5a2.5 2.5 0 01-2.5 2.5H9l-3.5 3v-3A2.5 2.5 0 014 10.5z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
      </svg>
    </button>
  );
}
