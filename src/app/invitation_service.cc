#include "app/invitation_service.h"

#include <algorithm>

#include "app/event_payload.h"
#include "app/message_service.h"
#include "app/room_service.h"
#include "app/system_messages.h"
#include "core/room_policy.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

// Every request a room can hold is answered within one transaction when its link goes.
constexpr std::size_t kAllRequests = 100000;

core::Error no_such_link() { return core::Error::not_found("Invitation link not found"); }

core::Error no_such_request() { return core::Error::not_found("Join request not found"); }

EventPayload request_payload(const core::JoinRequest& request, std::string_view room_name) {
  return EventPayload()
      .add("room_id", request.room_id.value)
      .add("request_id", request.id.value)
      .add("account_id", request.account.id.value)
      .add("room_name", room_name);
}

// One personal event per admin of the room: the members tab of each shows the request list.
core::Status tell_admins(ports::StoreTx& tx, core::RoomId room, std::string_view type,
                         const EventPayload& payload, std::int64_t now_ms) {
  KAIWA_ASSIGN_OR_RETURN(auto members, tx.list_members(room));
  for (const core::Member& member : members) {
    if (member.role == core::Role::kAdmin) {
      KAIWA_TRY(record_personal_event(tx, type, room, member.account.id, payload, now_ms));
    }
  }
  return core::ok();
}

// The requester and the room's admins learn that a request ended (approved, rejected, ...).
core::Status tell_request_ended(ports::StoreTx& tx, const core::JoinRequest& request,
                                std::string_view type, const EventPayload& payload,
                                std::int64_t now_ms) {
  KAIWA_TRY(record_personal_event(tx, type, request.room_id, request.account.id, payload, now_ms));
  return tell_admins(tx, request.room_id, type, payload, now_ms);
}

// Makes account a member of room (role member) as the link's joiners are, and posts Chatwork's
// join notice as notice_author. Newcomers start with the history read.
core::Status add_joiner(ports::StoreTx& tx, const core::Room& room, core::AccountId account,
                        core::AccountId notice_author, std::int64_t now_ms) {
  KAIWA_TRY(tx.put_membership(core::Membership{room.id, account, core::Role::kMember, room.last_seq,
                                               room.last_seq, false}));
  KAIWA_TRY(record_member_added(tx, room.id, account, core::Role::kMember, now_ms));
  auto notice = append_notice(tx, room.id, notice_author, member_joined_body(account), now_ms);
  if (!notice) {
    return notice.error();
  }
  return core::ok();
}

// The link and group chat a code names, or nullopt; reads the same rows whether it hits or not.
struct LinkedRoom {
  core::RoomLink link;
  core::Room room;
};

core::Result<std::optional<LinkedRoom>> find_linked_room(ports::StoreTx& tx,
                                                         std::string_view code) {
  KAIWA_ASSIGN_OR_RETURN(auto link, tx.find_link_by_code(code));
  KAIWA_ASSIGN_OR_RETURN(auto room, tx.find_room(link ? link->room_id : core::RoomId(0)));
  if (!link || !room || room->type != core::RoomType::kGroup) {
    return std::optional<LinkedRoom>();
  }
  return std::optional<LinkedRoom>(LinkedRoom{std::move(*link), std::move(*room)});
}

// A pending request of a room whose link still exists; a request that outlived its link (left
// by an older binary) is treated as gone.
core::Result<core::JoinRequest> find_live_request(ports::StoreTx& tx, core::RoomId room,
                                                  core::JoinRequestId id) {
  KAIWA_ASSIGN_OR_RETURN(auto request, tx.find_join_request(room, id));
  if (!request) {
    return no_such_request();
  }
  KAIWA_ASSIGN_OR_RETURN(auto link, tx.find_link(room));
  if (!link) {
    KAIWA_TRY(tx.delete_join_request(id));
    return no_such_request();
  }
  return std::move(*request);
}

constexpr std::string_view kAnswerAction = "answer join requests";

}  // namespace

core::Result<InvitationPreview> InvitationService::preview(core::AccountId caller,
                                                           std::string_view code) {
  if (!core::validate_link_code(code)) {
    return no_such_link();
  }
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<InvitationPreview> {
    KAIWA_ASSIGN_OR_RETURN(auto linked, find_linked_room(tx, code));
    // The same reads on a miss (room 0 has no rows), so a hit takes no longer than a miss.
    const core::RoomId room_id = linked ? linked->room.id : core::RoomId(0);
    KAIWA_ASSIGN_OR_RETURN(std::int64_t member_count, tx.count_members(room_id));
    KAIWA_ASSIGN_OR_RETURN(auto membership, tx.find_membership(room_id, caller));
    KAIWA_ASSIGN_OR_RETURN(auto request, tx.find_join_request_of(room_id, caller));
    if (!linked) {
      return no_such_link();
    }
    InvitationPreview preview;
    preview.code = linked->link.code;
    preview.room_name = linked->room.name;
    preview.icon_preset = linked->room.icon_preset;
    preview.description = linked->link.description;
    preview.member_count = member_count;
    preview.need_acceptance = linked->link.need_acceptance;
    if (membership) {
      preview.member_of = room_id;
    } else if (request) {
      preview.pending_request = request->id;
    }
    return preview;
  });
}

core::Result<JoinOutcome> InvitationService::join(core::AccountId caller, std::string_view code) {
  if (!core::validate_link_code(code)) {
    return no_such_link();
  }
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<JoinOutcome> {
    KAIWA_ASSIGN_OR_RETURN(auto linked, find_linked_room(tx, code));
    if (!linked) {
      return no_such_link();
    }
    const core::Room& room = linked->room;
    JoinOutcome outcome;
    outcome.room_id = room.id;
    KAIWA_ASSIGN_OR_RETURN(auto membership, tx.find_membership(room.id, caller));
    if (membership) {
      outcome.status = JoinStatus::kAlreadyMember;
      return outcome;
    }
    KAIWA_ASSIGN_OR_RETURN(auto pending, tx.find_join_request_of(room.id, caller));
    if (!linked->link.need_acceptance) {
      if (pending) {
        // Asked while the link needed acceptance; it no longer does, so the request is moot.
        KAIWA_TRY(tx.delete_join_request(pending->id));
        KAIWA_TRY(tell_request_ended(tx, *pending, "join_request_cancelled",
                                     request_payload(*pending, room.name).add("reason", "joined"),
                                     now_ms));
      }
      KAIWA_TRY(add_joiner(tx, room, caller, caller, now_ms));
      outcome.status = JoinStatus::kJoined;
      return outcome;
    }
    outcome.status = JoinStatus::kRequested;
    if (pending) {
      outcome.request = std::move(*pending);
      return outcome;
    }
    KAIWA_ASSIGN_OR_RETURN(core::JoinRequestId id,
                           tx.insert_join_request(room.id, caller, now_ms / 1000));
    KAIWA_ASSIGN_OR_RETURN(auto request, tx.find_join_request(room.id, id));
    if (!request) {
      return core::Error::internal("join request vanished in its own transaction");
    }
    const EventPayload payload = request_payload(*request, room.name);
    KAIWA_TRY(record_personal_event(tx, "join_request_created", room.id, caller, payload, now_ms));
    KAIWA_TRY(tell_admins(tx, room.id, "join_request_created", payload, now_ms));
    outcome.request = std::move(*request);
    return outcome;
  });
}

core::Result<std::vector<core::JoinRequest>> InvitationService::list_requests(
    core::AccountId caller, core::RoomId room) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::vector<core::JoinRequest>> {
    KAIWA_TRY(enter_group_as_admin(tx, room, caller, kAnswerAction));
    KAIWA_ASSIGN_OR_RETURN(auto link, tx.find_link(room));
    if (!link) {
      // Requests outlive their link only when an older binary removed it: none are pending.
      return std::vector<core::JoinRequest>();
    }
    return tx.list_join_requests(room, core::kMaxListedItems);
  });
}

core::Result<core::JoinRequest> InvitationService::approve(core::AccountId caller,
                                                           core::RoomId room_id,
                                                           core::JoinRequestId id) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::JoinRequest> {
    KAIWA_ASSIGN_OR_RETURN(core::Room room,
                           enter_group_as_admin(tx, room_id, caller, kAnswerAction));
    KAIWA_ASSIGN_OR_RETURN(core::JoinRequest request, find_live_request(tx, room_id, id));
    KAIWA_TRY(tx.delete_join_request(id));
    // The answer first, then the membership it brings: a client sees "approved", then the room.
    KAIWA_TRY(tell_request_ended(tx, request, "join_request_approved",
                                 request_payload(request, room.name).add("by", caller.value),
                                 now_ms));
    KAIWA_ASSIGN_OR_RETURN(auto membership, tx.find_membership(room_id, request.account.id));
    if (!membership) {
      // Unless added another way meanwhile (the member list).
      KAIWA_TRY(add_joiner(tx, room, request.account.id, caller, now_ms));
    }
    return request;
  });
}

core::Result<core::JoinRequest> InvitationService::reject(core::AccountId caller,
                                                          core::RoomId room_id,
                                                          core::JoinRequestId id) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::JoinRequest> {
    KAIWA_ASSIGN_OR_RETURN(core::Room room,
                           enter_group_as_admin(tx, room_id, caller, kAnswerAction));
    KAIWA_ASSIGN_OR_RETURN(core::JoinRequest request, find_live_request(tx, room_id, id));
    KAIWA_TRY(tx.delete_join_request(id));
    KAIWA_TRY(tell_request_ended(tx, request, "join_request_rejected",
                                 request_payload(request, room.name).add("by", caller.value),
                                 now_ms));
    return request;
  });
}

core::Status cancel_join_requests(ports::StoreTx& tx, core::RoomId room_id, std::string_view reason,
                                  std::int64_t now_ms) {
  KAIWA_ASSIGN_OR_RETURN(auto requests, tx.list_join_requests(room_id, kAllRequests));
  if (requests.empty()) {
    return core::ok();
  }
  KAIWA_ASSIGN_OR_RETURN(auto room, tx.find_room(room_id));
  const std::string room_name = room ? room->name : std::string();
  const bool room_stays = reason != "room_deleted";
  for (const core::JoinRequest& request : requests) {
    KAIWA_TRY(tx.delete_join_request(request.id));
    const EventPayload payload = request_payload(request, room_name).add("reason", reason);
    if (room_stays) {
      KAIWA_TRY(tell_request_ended(tx, request, "join_request_cancelled", payload, now_ms));
    } else {
      KAIWA_TRY(record_personal_event(tx, "join_request_cancelled", room_id, request.account.id,
                                      payload, now_ms));
    }
  }
  return core::ok();
}

}  // namespace kaiwa::app
