// Use cases of joining a group chat through its invitation link (/g/<code>): the room's public
// preview, joining at once or by a request that the room's admins answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "app/dependencies.h"
#include "core/room.h"
#include "ports/store.h"

namespace kaiwa::app {

// What a link shows to anyone signed in: enough to decide whether to join, nothing more.
struct InvitationPreview {
  std::string code;
  std::string room_name;
  // The room's icon (icon_preset of a group chat).
  std::string icon_preset;
  // The link's description, not the room's.
  std::string description;
  std::int64_t member_count = 0;
  bool need_acceptance = true;
  // Set when the caller is a member already: the room it may open.
  std::optional<core::RoomId> member_of;
  // Set when the caller's request to join waits for an admin.
  std::optional<core::JoinRequestId> pending_request;
};

enum class JoinStatus { kJoined, kAlreadyMember, kRequested };

struct JoinOutcome {
  JoinStatus status = JoinStatus::kJoined;
  core::RoomId room_id;
  // The pending request (kRequested only).
  std::optional<core::JoinRequest> request;
};

// Thread-safe (stateless beyond its dependencies).
//
// A link code is a bearer secret: every miss (unknown, malformed, removed, or its room gone)
// answers the same kNotFound after the same reads, so a lookup tells nothing about other codes.
class InvitationService {
 public:
  explicit InvitationService(Dependencies deps) : deps_(std::move(deps)) {}

  // Errors: kNotFound for any code that names no live link.
  core::Result<InvitationPreview> preview(core::AccountId caller, std::string_view code);
  // Without need_acceptance the caller becomes a member at once (member_added, a join notice);
  // with it, a pending request is created (or the pending one returned) and the room's admins
  // are told. Errors: kNotFound as preview.
  core::Result<JoinOutcome> join(core::AccountId caller, std::string_view code);

  // The room's pending requests, oldest first. Errors: kNotFound not a member;
  // kInvalidArgument not a group chat; kPermissionDenied not an admin.
  core::Result<std::vector<core::JoinRequest>> list_requests(core::AccountId caller,
                                                             core::RoomId room);
  // Makes the requester a member. Errors: as list_requests; kNotFound no such pending request
  // (answered already, or the link was removed).
  core::Result<core::JoinRequest> approve(core::AccountId caller, core::RoomId room,
                                          core::JoinRequestId id);
  // Errors: as approve.
  core::Result<core::JoinRequest> reject(core::AccountId caller, core::RoomId room,
                                         core::JoinRequestId id);

 private:
  Dependencies deps_;
};

// Ends every pending join request of room, telling each requester (and, unless the room is
// being deleted, its admins) with join_request_cancelled and reason. Call inside the
// transaction that removes the link or deletes the room, while the memberships still exist.
core::Status cancel_join_requests(ports::StoreTx& tx, core::RoomId room, std::string_view reason,
                                  std::int64_t now_ms);

}  // namespace kaiwa::app
