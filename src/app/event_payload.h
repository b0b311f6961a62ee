// The JSON payload of an event-log entry (design.md §4), built without a JSON library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/result.h"
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

// Appends an event in the caller's transaction, so it commits or vanishes with the change.
core::Status record_event(ports::StoreTx& tx, std::string_view type, core::RoomId room,
                          const EventPayload& payload, std::int64_t now_ms);

}  // namespace kaiwa::app
