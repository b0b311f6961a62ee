#include "app/event_payload.h"

#include "core/json_text.h"

namespace kaiwa::app {

void EventPayload::add_key(std::string_view key) {
  if (json_.size() > 1) {
    json_.push_back(',');
  }
  core::append_json_string(json_, key);
  json_.push_back(':');
}

EventPayload& EventPayload::add(std::string_view key, std::int64_t value) {
  add_key(key);
  json_ += std::to_string(value);
  return *this;
}

EventPayload& EventPayload::add(std::string_view key, std::string_view value) {
  add_key(key);
  core::append_json_string(json_, value);
  return *this;
}

EventPayload& EventPayload::add_message_id(core::MessageId id) {
  return add("message_id", std::string_view(std::to_string(id.value)));
}

core::Status record_event(ports::StoreTx& tx, std::string_view type, core::RoomId room,
                          const EventPayload& payload, std::int64_t now_ms) {
  auto pos = tx.append_event(type, room, payload.json(), now_ms);
  if (!pos) {
    return pos.error();
  }
  return core::ok();
}

}  // namespace kaiwa::app
