// The JSON payload of an event-log entry (design.md §4), built without a JSON library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/result.h"
#include "core/room.h"
#include "ports/store.h"

namespace kaiwa::app {

// Not thread-safe; a short-lived builder.
class EventPayload {
 public:
  EventPayload& add(std::string_view key, std::int64_t value);
  EventPayload& add(std::string_view key, std::string_view value);
  // Message ids travel as strings, as in the Chatwork API (they exceed 2^53).
  EventPayload& add_message_id(core::MessageId id);

  std::string json() const { return json_ + "}"; }

 private:
  void add_key(std::string_view key);

  std::string json_ = "{";
};

// Each appends an event in the caller's transaction, so it commits or vanishes with the change,
// and says who may see it (the stream delivers it to them; design.md §4).

// Seen by the room's members.
core::Status record_event(ports::StoreTx& tx, std::string_view type, core::RoomId room,
                          const EventPayload& payload, std::int64_t now_ms);
// Seen by recipient alone (its read state, a contact request); about room, which may be 0.
core::Status record_personal_event(ports::StoreTx& tx, std::string_view type, core::RoomId room,
                                   core::AccountId recipient, const EventPayload& payload,
                                   std::int64_t now_ms);
// member_added: the member sees the room from this event on, and none of its older events.
core::Status record_member_added(ports::StoreTx& tx, core::RoomId room, core::AccountId member,
                                 core::Role role, std::int64_t now_ms);
// member_removed or member_left, seen by the remaining members and by the member who goes.
// Call before deleting the membership: its span is archived for resumes from before it ended.
core::Status record_member_gone(ports::StoreTx& tx, std::string_view type, core::RoomId room,
                                core::AccountId member, std::int64_t now_ms);
// room_deleted, seen by one former member. Call before deleting the room, for each member.
core::Status record_room_deleted(ports::StoreTx& tx, core::RoomId room, core::AccountId member,
                                 core::AccountId deleted_by, std::int64_t now_ms);

}  // namespace kaiwa::app
