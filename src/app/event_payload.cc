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

namespace {

core::Status append(ports::StoreTx& tx, const core::Event& event) {
  auto pos = tx.append_event(event);
  if (!pos) {
    return pos.error();
  }
  return core::ok();
}

core::Event make_event(std::string_view type, core::RoomId room, const EventPayload& payload,
                       std::int64_t now_ms) {
  core::Event event;
  event.type = std::string(type);
  event.room = room;
  event.payload_json = payload.json();
  event.created_at_ms = now_ms;
  return event;
}

// Appends the event that ends event.recipient's membership of event.room, and keeps the span
// of that membership (it must not be deleted yet) for resumes from before its end.
core::Status append_membership_end(ports::StoreTx& tx, const core::Event& event) {
  KAIWA_ASSIGN_OR_RETURN(std::int64_t pos, tx.append_event(event));
  return tx.archive_membership(event.room, event.recipient, pos);
}

}  // namespace

core::Status record_event(ports::StoreTx& tx, std::string_view type, core::RoomId room,
                          const EventPayload& payload, std::int64_t now_ms) {
  return append(tx, make_event(type, room, payload, now_ms));
}

core::Status record_personal_event(ports::StoreTx& tx, std::string_view type, core::RoomId room,
                                   core::AccountId recipient, const EventPayload& payload,
                                   std::int64_t now_ms) {
  core::Event event = make_event(type, room, payload, now_ms);
  event.to_room_members = false;
  event.recipient = recipient;
  return append(tx, event);
}

core::Status record_member_added(ports::StoreTx& tx, core::RoomId room, core::AccountId member,
                                 core::Role role, std::int64_t now_ms) {
  core::Event event = make_event("member_added", room,
                                 EventPayload()
                                     .add("room_id", room.value)
                                     .add("account_id", member.value)
                                     .add("role", core::to_string(role)),
                                 now_ms);
  event.recipient = member;
  KAIWA_ASSIGN_OR_RETURN(std::int64_t pos, tx.append_event(event));
  return tx.set_membership_joined_pos(room, member, pos);
}

core::Status record_member_gone(ports::StoreTx& tx, std::string_view type, core::RoomId room,
                                core::AccountId member, std::int64_t now_ms) {
  core::Event event =
      make_event(type, room,
                 EventPayload().add("room_id", room.value).add("account_id", member.value), now_ms);
  event.recipient = member;
  return append_membership_end(tx, event);
}

core::Status record_room_deleted(ports::StoreTx& tx, core::RoomId room, core::AccountId member,
                                 core::AccountId deleted_by, std::int64_t now_ms) {
  core::Event event = make_event(
      "room_deleted", room,
      EventPayload().add("room_id", room.value).add("account_id", deleted_by.value), now_ms);
  event.to_room_members = false;
  event.recipient = member;
  return append_membership_end(tx, event);
}

}  // namespace kaiwa::app
