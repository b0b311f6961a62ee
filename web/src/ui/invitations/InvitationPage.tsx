// The page of an invitation link (/g/<code>): the room's preview and a button to join it, or to
// ask to (links that need an admin's approval). Already a member: a way into the chat; a request
// waiting: says so, and follows the answer live.
import { useEffect } from 'preact/hooks';
import type { Room } from '../../api/types';
import type { Strings } from '../i18n';
import { Page } from '../Page';
import { RoomIcon } from '../RoomIcon';
import type { Store } from '../store';
import type { InvitationPreview } from './api';
import './invitations.css';
import { invitationsModel } from './model';
import { invitationStrings, type InvitationStrings } from './strings';

export function InvitationPage({ store, t, code }: { store: Store; t: Strings; code: string }) {
  const s = invitationStrings[store.state.lang];
  const model = invitationsModel(store);
  useEffect(() => model.open(code), [code]);
  const state = model.code === code ? model.preview : { kind: 'loading' as const };

  return (
    <Page store={store} t={t} title={s.pageTitle}>
      <div class="invitation" data-testid="invitation">
        {state.kind === 'loading' && (
          <p class="invitation-loading" role="status">
            {s.loading}
          </p>
        )}
        {state.kind === 'notFound' && (
          <div class="invitation-card invitation-card-problem" role="alert">
            <h2 class="invitation-title">{s.notFoundTitle}</h2>
            <p class="invitation-text">{s.notFound}</p>
            <button type="button" class="button" onClick={() => store.showView('chat')}>
              {s.backToChats}
            </button>
          </div>
        )}
        {state.kind === 'failed' && (
          <div class="invitation-card invitation-card-problem" role="alert">
            <p class="invitation-text">{state.tooMany ? s.tooMany : s.failed}</p>
            <button type="button" class="button" onClick={() => void model.load()}>
              {s.retry}
            </button>
          </div>
        )}
        {state.kind === 'ready' && <PreviewCard store={store} s={s} preview={state.preview} />}
      </div>
    </Page>
  );
}

function PreviewCard({ store, s, preview }: { store: Store; s: InvitationStrings; preview: InvitationPreview }) {
  const model = invitationsModel(store);
  // RoomIcon draws a group chat from its name and icon_path; the rest is not shown.
  const room: Room = { room_id: preview.room_id ?? 0, name: preview.name, type: 'group', role: 'member', sticky: false, unread_num: 0, mention_num: 0, mytask_num: 0, message_num: 0, icon_path: preview.icon_path, last_update_time: 0 };
  const outcome = model.outcome;
  return (
    <article class="invitation-card" aria-labelledby="invitation-room-name">
      <p class="invitation-kicker">{s.invitedTo}</p>
      <div class="invitation-room">
        <span class="invitation-icon">
          <RoomIcon room={room} />
        </span>
        <div class="invitation-room-text">
          <h2 class="invitation-title" id="invitation-room-name" data-testid="invitation-name">
            {preview.name}
          </h2>
          <p class="invitation-meta">
            <span data-testid="invitation-members">{s.members(preview.member_count)}</span>
            <span aria-hidden="true"> · </span>
            <span>{preview.need_acceptance ? s.approvalNeeded : s.openToAll}</span>
          </p>
        </div>
      </div>
      {preview.description && (
        <p class="invitation-description" data-testid="invitation-description">
          {preview.description}
        </p>
      )}
      <div class="invitation-status" role="status">
        {outcome === 'approved' && <p class="invitation-ok">{s.approved}</p>}
        {outcome === 'rejected' && <p class="invitation-bad">{s.rejected}</p>}
        {outcome === 'cancelled' && <p class="invitation-bad">{s.cancelled}</p>}
        {preview.is_member && outcome !== 'approved' && <p class="invitation-ok">{s.alreadyMember}</p>}
        {!preview.is_member && preview.request_pending && (
          <p class="invitation-pending" data-testid="invitation-pending">
            <strong>{s.pending}</strong> {s.pendingHint}
          </p>
        )}
      </div>
      <p class="invitation-error" role="alert">
        {model.joinError === 'tooMany' ? s.tooMany : model.joinError ? s.joinFailed : ''}
      </p>
      <div class="invitation-actions">
        {preview.is_member && preview.room_id !== undefined ? (
          <button type="button" class="button button-primary invitation-button" onClick={() => void store.selectRoom(preview.room_id!)}>
            {s.openChat}
          </button>
        ) : preview.request_pending ? null : (
          <button type="button" class="button button-primary invitation-button" disabled={model.joining} onClick={() => void model.join()}>
            {model.joining ? (preview.need_acceptance ? s.requesting : s.joining) : outcome === 'rejected' ? s.requestAgain : preview.need_acceptance ? s.requestToJoin : s.join}
          </button>
        )}
        <button type="button" class="button button-quiet" onClick={() => store.showView('chat')}>
          {s.backToChats}
        </button>
      </div>
    </article>
  );
}
