// An entry of the event log (design.md §4): what changed, and who may see it.
#pragma once

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.h"

namespace kaiwa::core {

struct Event {
  // Store-wide, strictly increasing; assigned by the store on append.
  std::int64_t pos = 0;
  std::string type;
  // The room the event is about, or 0.
  RoomId room;
  // Whether the room's members (as of this event) see it.
  bool to_room_members = true;
  // An account that sees it as well (the reader of a read event, a removed member), or 0.
  AccountId recipient;
  // A JSON object.
  std::string payload_json;
  std::int64_t created_at_ms = 0;
};

// A stretch of an account's membership of a room, in event positions: it sees the room's events
// with joined_pos <= pos < left_pos (left_pos is kOpenEnded while it is still a member).
struct MembershipSpan {
  static constexpr std::int64_t kOpenEnded = INT64_MAX;

  RoomId room;
  std::int64_t joined_pos = 0;
  std::int64_t left_pos = kOpenEnded;

  bool covers(std::int64_t pos) const { return joined_pos <= pos && pos < left_pos; }
};

enum class MembershipEffect {
  kNone,
  // The recipient is a member of the room from this event on (it sees this event).
  kJoins,
  // The recipient stops being a member of the room after this event (it still sees this one).
  kLeaves,
};

MembershipEffect membership_effect(std::string_view event_type);

// Events that only servers act on; clients never receive them.
bool is_internal_event(std::string_view event_type);

}  // namespace kaiwa::core
