#include "app/message_service.h"

#include <algorithm>
#include <memory>

#include "app/account_service.h"
#include "app/event_payload.h"
#include "app/room_service.h"
#include "core/limits.h"
#include "core/message_markup.h"
#include "core/room_policy.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

// Whom body mentions among the room's members: never the author.
core::Result<std::vector<core::AccountId>> mentioned_members(ports::StoreTx& tx, core::RoomId room,
                                                             core::AccountId author,
                                                             std::string_view body) {
  core::Mentions mentions = core::find_mentions(body);
  std::vector<core::AccountId> out;
  if (mentions.to_all) {
    KAIWA_ASSIGN_OR_RETURN(auto members, tx.list_members(room));
    for (const core::Member& member : members) {
      if (member.account.id != author) {
        out.push_back(member.account.id);
      }
    }
    return out;
  }
  for (core::AccountId id : mentions.account_ids) {
    if (id == author) {
      continue;
    }
    KAIWA_ASSIGN_OR_RETURN(auto membership, tx.find_membership(room, id));
    if (membership) {
      out.push_back(id);
    }
  }
  return out;
}

core::Status validate_body(std::string_view body) {
  return core::validate_text("body", body, 1, core::kMaxMessageChars);
}

core::Result<core::Message> load_message(ports::StoreTx& tx, core::RoomId room,
                                         core::MessageId id) {
  KAIWA_ASSIGN_OR_RETURN(auto message, tx.find_message(room, id));
  if (!message) {
    return core::Error::not_found("Message not found");
  }
  return std::move(*message);
}

// Carries the message itself, as Chatwork's webhook does, so a stream client renders it without
// asking for it (and the search indexer reads the text from the log).
EventPayload message_payload(const core::Message& message) {
  EventPayload payload;
  payload.add("room_id", message.room_id.value)
      .add_message_id(message.id)
      .add("account_id", message.account.id.value)
      .add("body", message.body)
      .add("send_time", message.send_time)
      .add("update_time", message.update_time);
  return payload;
}

// Moves a member's read position to read_seq (recording the change, if any) and returns the
// member's counts after it: the common end of marking read and marking unread.
core::Result<ports::UnreadCounts> move_read_position(ports::StoreTx& tx,
                                                     const core::Membership& membership,
                                                     std::int64_t read_seq,
                                                     std::string_view event_type,
                                                     std::int64_t now_ms) {
  if (read_seq != membership.read_seq) {
    KAIWA_TRY(tx.set_read_seq(membership.room_id, membership.account_id, read_seq));
    // Read state is the reader's own: only its other sessions hear of it.
    KAIWA_TRY(record_personal_event(tx, event_type, membership.room_id, membership.account_id,
                                    EventPayload()
                                        .add("room_id", membership.room_id.value)
                                        .add("account_id", membership.account_id.value)
                                        .add("read_seq", read_seq),
                                    now_ms));
  }
  return tx.unread_counts(membership.room_id, membership.account_id);
}

core::Result<core::Message> insert_with_id(ports::StoreTx& tx, core::MessageId id,
                                           core::RoomId room, core::AccountId author,
                                           std::string body, bool self_unread, std::int64_t now_ms,
                                           bool counts_mentions = true) {
  core::Message message;
  message.id = id;
  message.room_id = room;
  message.account.id = author;
  message.body = std::move(body);
  message.send_time = now_ms / 1000;
  std::vector<core::AccountId> mentioned;
  if (counts_mentions) {
    KAIWA_ASSIGN_OR_RETURN(mentioned, mentioned_members(tx, room, author, message.body));
  }
  KAIWA_ASSIGN_OR_RETURN(message.seq, tx.insert_message(message, mentioned));
  if (!self_unread) {
    KAIWA_TRY(tx.set_read_seq(room, author, message.seq));
  }
  KAIWA_TRY(record_event(tx, "message_created", room, message_payload(message), now_ms));
  return message;
}

}  // namespace

core::Result<core::Message> append_message(ports::StoreTx& tx, core::RoomId room,
                                           core::AccountId author, std::string body,
                                           bool self_unread, std::int64_t now_ms) {
  KAIWA_ASSIGN_OR_RETURN(core::MessageId id, tx.allocate_message_id(now_ms));
  return insert_with_id(tx, id, room, author, std::move(body), self_unread, now_ms);
}

core::Result<core::Message> append_notice(ports::StoreTx& tx, core::RoomId room,
                                          core::AccountId author, std::string body,
                                          std::int64_t now_ms) {
  KAIWA_ASSIGN_OR_RETURN(core::MessageId id, tx.allocate_message_id(now_ms));
  return insert_with_id(tx, id, room, author, std::move(body), false, now_ms,
                        /*counts_mentions=*/false);
}

core::Result<core::Message> append_message_with_id(ports::StoreTx& tx, core::MessageId id,
                                                   core::RoomId room, core::AccountId author,
                                                   std::string body, std::int64_t now_ms) {
  return insert_with_id(tx, id, room, author, std::move(body), false, now_ms);
}

core::Result<std::vector<core::Message>> MessageService::list_messages(core::AccountId caller,
                                                                       core::RoomId room,
                                                                       bool force) {
  KAIWA_ASSIGN_OR_RETURN(
      auto unfetched,
      deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::vector<core::Message>> {
        KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
        if (force) {
          return tx.list_latest_messages(room, core::kMaxListedItems);
        }
        return tx.list_messages_after(room, membership.fetched_seq, core::kMaxListedItems);
      }));
  if (force || unfetched.empty()) {
    // Nothing to advance: polling an idle room never waits for a commit.
    return unfetched;
  }
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<std::vector<core::Message>> {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
    KAIWA_ASSIGN_OR_RETURN(
        auto messages, tx.list_messages_after(room, membership.fetched_seq, core::kMaxListedItems));
    if (!messages.empty()) {
      KAIWA_TRY(tx.set_fetched_seq(room, caller, messages.back().seq));
    }
    return messages;
  });
}

core::Result<ports::MessagePage> MessageService::page_messages(
    core::AccountId caller, core::RoomId room, const ports::MessagePageRequest& request) {
  if (request.before && request.after) {
    return core::Error::invalid_argument("Parameters 'before' and 'after' exclude each other");
  }
  if (request.limit < 1 || request.limit > core::kMaxListedItems) {
    return core::Error::invalid_argument("Parameter 'limit' must be between 1 and 100");
  }
  // One snapshot: the membership checked is the one in force for the page read.
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<ports::MessagePage> {
    KAIWA_TRY(enter_room(tx, room, caller));
    return tx.list_messages_page(room, request);
  });
}

namespace {

core::Result<core::MessageId> post_in(ports::StoreTx& tx, core::AccountId caller, core::RoomId room,
                                      std::string body, bool self_unread, std::int64_t now_ms) {
  KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
  KAIWA_TRY(core::require_can_write(membership));
  KAIWA_ASSIGN_OR_RETURN(core::Message message,
                         append_message(tx, room, caller, std::move(body), self_unread, now_ms));
  return message.id;
}

}  // namespace

core::Result<core::MessageId> MessageService::post_message(core::AccountId caller,
                                                           core::RoomId room, std::string_view body,
                                                           bool self_unread) {
  KAIWA_TRY(validate_body(body));
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) {
    return post_in(tx, caller, room, std::string(body), self_unread, now_ms);
  });
}

void MessageService::post_message_as(std::string token_digest, core::RoomId room, std::string body,
                                     bool self_unread,
                                     std::function<void(core::Result<core::MessageId>)> done) {
  // Validated before queueing, reported after authenticating: a stranger learns only "401".
  core::Status valid = validate_body(body);
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  auto posted = std::make_shared<core::MessageId>();
  deps_.store.submit_write(
      [=, body = std::move(body),
       token_digest = std::move(token_digest)](ports::StoreTx& tx) -> core::Status {
        KAIWA_ASSIGN_OR_RETURN(core::AccountId caller,
                               authenticate_in(tx, token_digest, now_ms / 1000));
        if (!valid) {
          return valid.error();
        }
        KAIWA_ASSIGN_OR_RETURN(*posted, post_in(tx, caller, room, body, self_unread, now_ms));
        return core::ok();
      },
      [posted, done = std::move(done)](const core::Status& status) {
        if (!status) {
          done(status.error());
        } else {
          done(*posted);
        }
      });
}

core::Result<ports::UnreadCounts> MessageService::mark_read(
    core::AccountId caller, core::RoomId room, std::optional<core::MessageId> message) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<ports::UnreadCounts> {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
    std::int64_t target = 0;
    if (message) {
      KAIWA_ASSIGN_OR_RETURN(core::Message read_up_to, load_message(tx, room, *message));
      if (read_up_to.seq <= membership.read_seq) {
        return core::Error::invalid_argument("The message is already read");
      }
      target = read_up_to.seq;
    } else {
      KAIWA_ASSIGN_OR_RETURN(auto found, tx.find_room(room));
      target = found ? found->last_seq : membership.read_seq;
    }
    return move_read_position(tx, membership, target, "messages_read", now_ms);
  });
}

core::Result<ports::UnreadCounts> MessageService::mark_unread(core::AccountId caller,
                                                              core::RoomId room,
                                                              core::MessageId message) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<ports::UnreadCounts> {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
    KAIWA_ASSIGN_OR_RETURN(core::Message first_unread, load_message(tx, room, message));
    // Only ever moves the read position back: marking a message that is already unread must
    // not mark the unread ones before it as read.
    const std::int64_t read_seq = std::min(membership.read_seq, first_unread.seq - 1);
    return move_read_position(tx, membership, read_seq, "messages_unread", now_ms);
  });
}

core::Result<core::Message> MessageService::get_message(core::AccountId caller, core::RoomId room,
                                                        core::MessageId message) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<core::Message> {
    KAIWA_TRY(enter_room(tx, room, caller));
    return load_message(tx, room, message);
  });
}

core::Status MessageService::edit_message(core::AccountId caller, core::RoomId room,
                                          core::MessageId message, std::string_view body) {
  KAIWA_TRY(validate_body(body));
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.run_write([&](ports::StoreTx& tx) -> core::Status {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
    KAIWA_ASSIGN_OR_RETURN(core::Message edited, load_message(tx, room, message));
    KAIWA_TRY(core::require_author(edited.account.id, caller));
    KAIWA_TRY(core::require_can_write(membership));
    edited.body = std::string(body);
    edited.update_time = now_ms / 1000;
    KAIWA_ASSIGN_OR_RETURN(auto mentioned, mentioned_members(tx, room, caller, edited.body));
    KAIWA_TRY(tx.update_message(edited, mentioned));
    return record_event(tx, "message_updated", room, message_payload(edited), now_ms);
  });
}

core::Status MessageService::delete_message(core::AccountId caller, core::RoomId room,
                                            core::MessageId message) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.run_write([&](ports::StoreTx& tx) -> core::Status {
    KAIWA_TRY(enter_room(tx, room, caller));
    KAIWA_ASSIGN_OR_RETURN(core::Message deleted, load_message(tx, room, message));
    KAIWA_TRY(core::require_author(deleted.account.id, caller));
    KAIWA_TRY(tx.delete_message(room, message));
    return record_event(tx, "message_deleted", room,
                        EventPayload()
                            .add("room_id", room.value)
                            .add_message_id(message)
                            .add("account_id", caller.value),
                        now_ms);
  });
}

}  // namespace kaiwa::app
