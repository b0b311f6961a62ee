#include "core/room_policy.h"

#include <string>

namespace kaiwa::core {

Status require_member(const std::optional<Membership>& membership) {
  if (!membership) {
    return Error::not_found("Room not found");
  }
  return ok();
}

Status require_can_write(const Membership& membership) {
  if (membership.role == Role::kReadonly) {
    return Error::permission_denied("You don't have permission to write in this room");
  }
  return ok();
}

Status require_admin(const Membership& membership) {
  if (membership.role != Role::kAdmin) {
    return Error::permission_denied("You don't have permission to change this room");
  }
  return ok();
}

Status require_group(const Room& room, std::string_view action) {
  if (room.type != RoomType::kGroup) {
    return Error::invalid_argument("Cannot " + std::string(action) + " in a " +
                                   std::string(to_string(room.type)) + " chat");
  }
  return ok();
}

Status require_author(AccountId author, AccountId caller) {
  if (author != caller) {
    return Error::permission_denied("You can only change your own messages");
  }
  return ok();
}

}  // namespace kaiwa::core
