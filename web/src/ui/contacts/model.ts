// The contacts feature's state: the user's contacts and the contact requests waiting for them,
// kept current by the stream (a request arriving or answered elsewhere, a new contact).
import { ApiError } from '../../api/http';
import type { Store } from '../store';
import { acceptRequest, getContacts, getIncomingRequests, rejectRequest, sendContactRequest, type Contact, type IncomingRequest } from './api';

export type SendResult =
  | { kind: 'sent'; accountId: number }
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

  async sendRequest(idText: string, message: string): Promise<SendResult> {
    const trimmed = idText.normalize('NFKC').trim().replace(/^#/, '');
    if (!/^\d{1,15}$/.test(trimmed) || Number(trimmed) <= 0) return { kind: 'invalid' };
    const accountId = Number(trimmed);
    if (accountId === this.store.state.me?.account_id) return { kind: 'self' };
    if (this.contact(accountId)) return { kind: 'already', accountId };
    try {
      await sendContactRequest(this.store.api.http, accountId, message.trim());
      return { kind: 'sent', accountId };
    } catch (e) {
      if (e instanceof ApiError) {
        const text = e.errors.join(' ');
        if (e.status === 404) return { kind: 'notFound', accountId };
        if (/already a contact/i.test(text)) return { kind: 'already', accountId };
        if (/already pending/i.test(text)) return { kind: 'pending' };
        if (/yourself/i.test(text)) return { kind: 'self' };
      }
      return { kind: 'error', error: e };
    }
  }
}

export const contactsModel = (store: Store) => store.feature('contacts', (s) => new ContactsModel(s));
