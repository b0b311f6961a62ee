// The contacts feature's state: the user's contacts and the contact requests waiting for them,
// kept current by the stream (a request arriving or answered elsewhere, a new contact).
import { ApiError } from '../../api/http';
import type { Store } from '../store';
import { acceptRequest, getContacts, getIncomingRequests, rejectRequest, sendContactRequest, type Contact, type IncomingRequest } from './api';

export type SendResult =
  | { kind: 'sent'; accountId: number }
  | { kind: 'sentEmail'; email: string }
  | { kind: 'alreadyEmail'; email: string }
  | { kind: 'invalidEmail' }
  | { kind: 'already'; accountId: number }
  | { kind: 'self' }
  | { kind: 'notFound'; accountId: number }
  | { kind: 'pending' }
  | { kind: 'invalid' }
  | { kind: 'error'; error: unknown };

type Load = 'idle' | 'loading' | 'ready' | 'failed';

export class ContactsModel {
  contacts: Contact[] = [];
  requests: IncomingRequest[] = [];
  contactsLoad: Load = 'idle';
  requestsLoad: Load = 'idle';
  // Requests being answered (their buttons are disabled meanwhile).
  answering = new Set<number>();
  // The last answer's outcome, for the page's status line.
  notice: { text: 'accepted' | 'rejected'; name: string } | { error: unknown } | null = null;

  constructor(private readonly store: Store) {
    store.onStreamEvent((ev) => {
      switch (ev.type) {
        case 'contact_request_received':
        case 'contact_request_answered':
          void this.loadRequests();
          break;
        case 'contact_added':
          if (this.contactsLoad !== 'idle') void this.loadContacts();
          break;
        default:
          break;
      }
    });
    // The header's badge counts the waiting requests from the start.
    void this.loadRequests();
  }

  // Contacts are loaded when a view first needs them.
  ensureContacts(): void {
    if (this.contactsLoad === 'idle') void this.loadContacts();
  }

  contact(accountId: number): Contact | undefined {
    return this.contacts.find((c) => c.account_id === accountId);
  }

  private loadingContacts: Promise<void> | null = null;
  private contactsAgain = false;

  async loadContacts(): Promise<void> {
    // One load at a time; an event during a load asks for one more after it.
    if (this.loadingContacts) {
      this.contactsAgain = true;
      return this.loadingContacts;
    }
    if (this.contactsLoad !== 'ready') this.contactsLoad = 'loading';
    this.store.changed();
    this.loadingContacts = (async () => {
      try {
        const list = await getContacts(this.store.api.http);
        this.contacts = list.slice().sort((a, b) => a.name.localeCompare(b.name, this.store.state.lang));
        this.contactsLoad = 'ready';
      } catch {
        if (this.contactsLoad !== 'ready') this.contactsLoad = 'failed';
      }
      this.store.changed();
    })();
    await this.loadingContacts;
    this.loadingContacts = null;
    if (this.contactsAgain) {
      this.contactsAgain = false;
      await this.loadContacts();
    }
  }

  private loadingRequests: Promise<void> | null = null;
  private requestsAgain = false;

  async loadRequests(): Promise<void> {
    if (this.loadingRequests) {
      this.requestsAgain = true;
      return this.loadingRequests;
    }
    if (this.requestsLoad !== 'ready') this.requestsLoad = 'loading';
    this.loadingRequests = (async () => {
      try {
        this.requests = await getIncomingRequests(this.store.api.http);
        this.requestsLoad = 'ready';
      } catch {
        if (this.requestsLoad !== 'ready') this.requestsLoad = 'failed';
      }
      this.store.changed();
    })();
    await this.loadingRequests;
    this.loadingRequests = null;
    if (this.requestsAgain) {
      this.requestsAgain = false;
      await this.loadRequests();
    }
  }

  async answer(request: IncomingRequest, accept: boolean): Promise<void> {
    if (this.answering.has(request.request_id)) return;
    this.answering.add(request.request_id);
    this.notice = null;
    this.store.changed();
    try {
      if (accept) {
        const contact = await acceptRequest(this.store.api.http, request.request_id);
        if (!this.contact(contact.account_id)) this.contacts = [...this.contacts, contact].sort((a, b) => a.name.localeCompare(b.name, this.store.state.lang));
      } else {
        await rejectRequest(this.store.api.http, request.request_id);
      }
      this.requests = this.requests.filter((r) => r.request_id !== request.request_id);
      this.notice = { text: accept ? 'accepted' : 'rejected', name: request.name };
    } catch (e) {
      // Answered in another tab meanwhile: the list is simply out of date.
      if (e instanceof ApiError && e.status === 404) void this.loadRequests();
      else this.notice = { error: e };
    } finally {
      this.answering.delete(request.request_id);
      this.store.changed();
    }
  }

  // `to`: an account ID, or the email the person signs in with.
  async sendRequest(to: string, message: string): Promise<SendResult> {
    const trimmed = to.normalize('NFKC').trim();
    if (trimmed.includes('@')) return this.sendByEmail(trimmed, message);
    const id = trimmed.replace(/^#/, '');
    if (!/^\d{1,15}$/.test(id) || Number(id) <= 0) return { kind: 'invalid' };
    const accountId = Number(id);
    if (accountId === this.store.state.me?.account_id) return { kind: 'self' };
    if (this.contact(accountId)) return { kind: 'already', accountId };
    try {
      await sendContactRequest(this.store.api.http, { accountId }, message.trim());
      return { kind: 'sent', accountId };
    } catch (e) {
      if (e instanceof ApiError) {
        const text = e.errors.join(' ');
        if (e.code === 'account_not_found' || e.status === 404) return { kind: 'notFound', accountId };
        if (e.code === 'contact_exists' || /already a contact/i.test(text)) return { kind: 'already', accountId };
        if (e.code === 'contact_request_pending' || /already pending/i.test(text)) return { kind: 'pending' };
        if (e.code === 'contact_self' || /yourself/i.test(text)) return { kind: 'self' };
      }
      return { kind: 'error', error: e };
    }
  }

  // The server answers "sent" whether or not the address has an account, so this says only that.
  private async sendByEmail(email: string, message: string): Promise<SendResult> {
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) return { kind: 'invalidEmail' };
    try {
      await sendContactRequest(this.store.api.http, { email }, message.trim());
      return { kind: 'sentEmail', email };
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.code === 'contact_self') return { kind: 'self' };
        if (e.code === 'contact_exists') return { kind: 'alreadyEmail', email };
        if (e.code === 'invalid_email') return { kind: 'invalidEmail' };
      }
      return { kind: 'error', error: e };
    }
  }
}

export const contactsModel = (store: Store) => store.feature('contacts', (s) => new ContactsModel(s));
