import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/http';
import type { StreamEvent } from '../src/realtime/stream';
import { errorText, listsOf } from '../src/ui/contacts/api';
import { ContactsModel } from '../src/ui/contacts/model';
import { contactStrings } from '../src/ui/contacts/strings';
import type { Store } from '../src/ui/store';

const en = contactStrings.en;

// A store with just what the model uses; `answers` decides what each call returns.
function fakeStore(answers: Record<string, (form?: Record<string, unknown>) => unknown>) {
  const calls: string[] = [];
  const listeners: Array<(ev: StreamEvent) => void> = [];
  let changes = 0;
  const call = async (method: string, path: string, form?: Record<string, unknown>) => {
    calls.push(`${method} ${path}`);
    const answer = answers[`${method} ${path}`];
    if (!answer) throw new ApiError(500, ['unexpected call']);
    return answer(form);
  };
  const store = {
    state: { lang: 'en', me: { account_id: 7, name: 'Me', avatar_image_url: '' } },
    api: {
      http: {
        get: (p: string) => call('GET', p),
        post: (p: string, f: Record<string, unknown>) => call('POST', p, f),
        put: (p: string, f: Record<string, unknown>) => call('PUT', p, f),
        del: (p: string) => call('DELETE', p),
      },
    },
    onStreamEvent: (fn: (ev: StreamEvent) => void) => {
      listeners.push(fn);
      return () => undefined;
    },
    changed: () => {
      changes++;
    },
  } as unknown as Store;
  const emit = (type: string, data: Record<string, unknown> = {}) => listeners.forEach((fn) => fn({ pos: 1, type, created_at_ms: 0, data } as StreamEvent));
  return { store, calls, emit, changes: () => changes };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

const person = (id: number, name: string) => ({ account_id: id, name, chatwork_id: '', organization_name: 'Org', department: '', avatar_image_url: '' });

describe('contacts model', () => {
  it('loads the waiting requests at once and again on contact-request events', async () => {
    let requests = [{ ...person(3, 'Bob'), request_id: 11, message: 'hi' }];
    const { store, calls, emit } = fakeStore({ 'GET /v2/incoming_requests': () => requests, 'GET /v2/contacts': () => undefined });
    const model = new ContactsModel(store);
    await flush();
    expect(model.requests.map((r) => r.request_id)).toEqual([11]);
    requests = [];
    emit('contact_request_answered', { request_id: 11 });
    await flush();
    expect(model.requests).toEqual([]);
    // Contacts are not loaded until a view asks, then follow contact_added (204 is an empty list).
    emit('contact_added');
    await flush();
    expect(calls.filter((c) => c === 'GET /v2/contacts')).toHaveLength(0);
    model.ensureContacts();
    await flush();
    expect(model.contactsLoad).toBe('ready');
    emit('contact_added');
    await flush();
    expect(calls.filter((c) => c === 'GET /v2/contacts')).toHaveLength(2);
  });

  it('classifies the answers to a contact request', async () => {
    const byId: Record<string, () => unknown> = {
      '404': () => { throw new ApiError(404, ['Account not found']); },
      '5': () => { throw new ApiError(400, ['A contact request to this account is already pending']); },
      '6': () => { throw new ApiError(400, ['This account is already a contact']); },
      '8': () => ({ request_id: 1 }),
      '9': () => { throw new ApiError(0, []); },
    };
    const sent: unknown[] = [];
    const { store } = fakeStore({
      'GET /v2/incoming_requests': () => [],
      'GET /v2/contacts': () => [{ ...person(4, 'Known'), room_id: 40 }],
      'POST /kaiwa/v1/contact_requests': (form) => {
        sent.push(form);
        return byId[String(form!.account_id)]();
      },
    });
    const model = new ContactsModel(store);
    await model.loadContacts();
    expect(await model.sendRequest('abc', '')).toEqual({ kind: 'invalid' });
    expect(await model.sendRequest('0', '')).toEqual({ kind: 'invalid' });
    expect(await model.sendRequest('７', '')).toEqual({ kind: 'self' }); // full-width digits are digits
    expect(await model.sendRequest('4', '')).toEqual({ kind: 'already', accountId: 4 });
    expect(await model.sendRequest('404', '')).toEqual({ kind: 'notFound', accountId: 404 });
    expect(await model.sendRequest('5', '')).toEqual({ kind: 'pending' });
    expect(await model.sendRequest('6', '')).toEqual({ kind: 'already', accountId: 6 });
    expect(await model.sendRequest(' #8 ', ' hello ')).toEqual({ kind: 'sent', accountId: 8 });
    const failed = await model.sendRequest('9', '');
    expect(failed.kind).toBe('error');
    expect(sent).toContainEqual({ account_id: 8, message: 'hello' });
  });

  it('accepting adds the contact and drops the request', async () => {
    const { store } = fakeStore({
      'GET /v2/incoming_requests': () => [{ ...person(3, 'Bob'), request_id: 11, message: '' }],
      'PUT /v2/incoming_requests/11': () => ({ ...person(3, 'Bob'), room_id: 30 }),
    });
    const model = new ContactsModel(store);
    await flush();
    await model.answer(model.requests[0], true);
    expect(model.requests).toEqual([]);
    expect(model.contact(3)?.room_id).toBe(30);
    expect(model.notice).toEqual({ text: 'accepted', name: 'Bob' });
  });
});

describe('member lists and errors', () => {
  it('splits members by role', () => {
    expect(listsOf([{ account_id: 1, role: 'admin' }, { account_id: 2, role: 'readonly' }, { account_id: 3, role: 'member' }, { account_id: 4, role: 'admin' }])).toEqual({ admin: [1, 4], member: [3], readonly: [2] });
  });

  it('says the server refusals the user can act on in their words', () => {
    expect(errorText(new ApiError(400, ["Parameter 'members_admin_ids' is required"]), en)).toBe(en.lastAdmin);
    expect(errorText(new ApiError(400, ['The last admin cannot leave; make another member an admin first']), en)).toBe(en.lastAdminLeave);
    expect(errorText(new ApiError(400, ['Account 9 is not a contact or colleague of yours']), en, () => 'Zoe')).toBe(en.notReachable('Zoe'));
    expect(errorText(new ApiError(0, []), en)).toBe(en.errNetwork);
    expect(errorText(new ApiError(400, ['Parameter \'code\' must be 1 to 50 characters']), en)).toBe("Parameter 'code' must be 1 to 50 characters");
    expect(errorText(new Error('x'), en)).toBe(en.errGeneric);
  });
});
