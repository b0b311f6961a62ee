// Use cases of messages: listing (with Chatwork's "not yet fetched" cursor), paging history,
// posting, read and unread state, editing and deleting.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "app/dependencies.h"
#include "core/message.h"
#include "ports/store.h"

namespace kaiwa::app {

// Thread-safe (stateless beyond its dependencies).
class MessageService {
 public:
  explicit MessageService(Dependencies deps) : deps_(std::move(deps)) {}

  // force: the latest 100; otherwise the messages this caller has not fetched yet (oldest first,
  // at most 100), advancing the caller's cursor past them.
  core::Result<std::vector<core::Message>> list_messages(core::AccountId caller, core::RoomId room,
                                                         bool force);
  // A page of the room's history around a message id (or the latest page), oldest first, for any
  // member, readonly included. Unlike list_messages it moves no cursor: it only reads. Errors:
  // kInvalidArgument both anchors, or limit outside 1..100; kNotFound unknown room or not a
  // member.
  core::Result<ports::MessagePage> page_messages(core::AccountId caller, core::RoomId room,
                                                 const ports::MessagePageRequest& request);
  // Errors: kInvalidArgument bad body; kNotFound; kPermissionDenied readonly member.
  core::Result<core::MessageId> post_message(core::AccountId caller, core::RoomId room,
                                             std::string_view body, bool self_unread);
  // Posts as the holder of the token with this digest, authenticating inside the write
  // transaction itself, and answers through done once durable (see Store::submit_write): the
  // API's hot path, which costs no read of its own and parks no thread while the commit is under
  // way. Errors as post_message, and kUnauthenticated before all others.
  void post_message_as(std::string token_digest, core::RoomId room, std::string body,
                       bool self_unread, std::function<void(core::Result<core::MessageId>)> done);
  // Marks read up to and including message (all when absent). Errors: kInvalidArgument when
  // that message is already read; kNotFound unknown message.
  core::Result<ports::UnreadCounts> mark_read(core::AccountId caller, core::RoomId room,
                                              std::optional<core::MessageId> message);
  // Marks message and everything after it unread.
  core::Result<ports::UnreadCounts> mark_unread(core::AccountId caller, core::RoomId room,
                                                core::MessageId message);
  core::Result<core::Message> get_message(core::AccountId caller, core::RoomId room,
                                          core::MessageId message);
  // Errors: kPermissionDenied when the caller is not the author.
  core::Status edit_message(core::AccountId caller, core::RoomId room, core::MessageId message,
                            std::string_view body);
  core::Status delete_message(core::AccountId caller, core::RoomId room, core::MessageId message);

 private:
  Dependencies deps_;
};

// Appends a message from author inside tx: assigns id and seq, records the mentions it makes
// (never of the author, only of members, none inside quotes), the event, and — unless
// self_unread — moves the author's read position past it. Shared by every use case that posts.
core::Result<core::Message> append_message(ports::StoreTx& tx, core::RoomId room,
                                           core::AccountId author, std::string body,
                                           bool self_unread, std::int64_t now_ms);

// A notice Kaiwa posts for the author (room created): it counts as unread like any message but
// mentions nobody, whatever names it quotes.
core::Result<core::Message> append_notice(ports::StoreTx& tx, core::RoomId room,
                                          core::AccountId author, std::string body,
                                          std::int64_t now_ms);

// The message id to use when a use case must know it before the message body exists.
core::Result<core::Message> append_message_with_id(ports::StoreTx& tx, core::MessageId id,
                                                   core::RoomId room, core::AccountId author,
                                                   std::string body, std::int64_t now_ms);

}  // namespace kaiwa::app
