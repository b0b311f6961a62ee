#include "core/event.h"

namespace kaiwa::core {

MembershipEffect membership_effect(std::string_view event_type) {
  if (event_type == "member_added") {
    return MembershipEffect::kJoins;
  }
  if (event_type == "member_removed" || event_type == "member_left" ||
      event_type == "room_deleted") {
    return MembershipEffect::kLeaves;
  }
  return MembershipEffect::kNone;
}

bool is_internal_event(std::string_view event_type) { return event_type == "token_revoked"; }

}  // namespace kaiwa::core
