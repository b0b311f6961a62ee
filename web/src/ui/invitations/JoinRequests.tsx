// The Members tab's "Join requests" section for a group chat's admins: who asked to join through
// the invitation link, with Approve and Decline. Live: requests appear and go as they happen.
import { useEffect } from 'preact/hooks';
import type { Room } from '../../api/types';
import { Avatar } from '../Avatar';
import { formatDateTime } from '../format';
import type { Store } from '../store';
import './invitations.css';
import { invitationsModel } from './model';
import { invitationStrings } from './strings';

export function JoinRequests({ store, room }: { store: Store; room: Room }) {
  const s = invitationStrings[store.state.lang];
  const model = invitationsModel(store);
  useEffect(() => {
    void model.loadRequests(room.room_id);
    return () => model.forgetRequests(room.room_id);
  }, [room.room_id]);
  const state = model.requests.get(room.room_id);
  const notice = model.notices.get(room.room_id);
  const list = state?.list ?? [];
  // Nothing waiting and nothing to report: the section stays out of the way.
  if (list.length === 0 && !notice && state?.load !== 'failed') return null;

  return (
    <section class="members-section join-requests" aria-labelledby="join-requests-title" data-testid="join-requests">
      <h3 class="members-heading" id="join-requests-title">
        {s.requestsTitle}
        {list.length > 0 && <span class="join-requests-count">{list.length}</span>}
      </h3>
      {list.length > 0 && <p class="contacts-hint join-requests-lead">{s.requestsLead}</p>}
      {state?.load === 'failed' && <p class="contacts-error">{s.requestsFailed}</p>}
      <ul class="join-request-list">
        {list.map((r) => {
          const busy = model.answering.has(r.request_id);
          const org = [r.account.organization_name, r.account.department].filter(Boolean).join(' · ');
          return (
            <li key={r.request_id} class="join-request" data-request-id={r.request_id} data-account-id={r.account.account_id}>
              <Avatar account={r.account} size="sm" />
              <span class="join-request-text">
                <span class="join-request-name">{r.account.name}</span>
                {org && <span class="join-request-org">{org}</span>}
                <span class="join-request-time">{s.requestedAt(formatDateTime(r.requested_at, store.state.lang))}</span>
              </span>
              <span class="join-request-actions">
                <button type="button" class="button button-primary button-small" aria-label={s.approveWho(r.account.name)} disabled={busy} onClick={() => void model.answer(room.room_id, r, true)}>
                  {s.approve}
                </button>
                <button type="button" class="button button-small" aria-label={s.declineWho(r.account.name)} disabled={busy} onClick={() => void model.answer(room.room_id, r, false)}>
                  {s.decline}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      <p class="contacts-status" role="status">
        {notice?.kind === 'approved' ? s.approvedWho(notice.name) : notice?.kind === 'declined' ? s.declinedWho(notice.name) : ''}
      </p>
      <p class="contacts-error" role="alert">
        {notice?.kind === 'gone' ? s.answerGone : notice?.kind === 'failed' ? s.answerFailed : ''}
      </p>
    </section>
  );
}
