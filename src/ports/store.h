// Store: the durable state of Kaiwa, reached through transactions of domain operations.
// A use case runs a function against a StoreTx; the adapter decides how (SQLite: one writer thread
// with group commit and WAL readers; PostgreSQL: a pooled connection).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/account.h"
#include "core/event.h"
#include "core/ids.h"
#include "core/message.h"
#include "core/result.h"
#include "core/room.h"

namespace kaiwa::ports {

struct NewAccount {
  core::OrganizationId organization_id;
  std::string name;
  std::string login_mail;
  std::string password_hash;
  std::int64_t created_at = 0;
};

// The editable part of an account's profile (PUT /kaiwa/v1/me): every field is written.
struct ProfileFields {
  std::string name;
  std::string department;
  std::string title;
  std::string url;
  std::string introduction;
  std::string tel_organization;
  std::string tel_extension;
  std::string tel_mobile;
  std::string skype;
  std::string facebook;
  std::string twitter;
};

// An account's uploaded picture: the blob holding it and the image type it was sniffed as.
struct AvatarRecord {
  std::string blob_key;
  std::string content_type;
};

struct LoginRecord {
  core::AccountId account;
  std::string password_hash;
};

struct UnreadCounts {
  std::int64_t unread_num = 0;
  std::int64_t mention_num = 0;
};

struct MyStatus {
  std::int64_t unread_room_num = 0;
  std::int64_t mention_room_num = 0;
  std::int64_t mytask_room_num = 0;
  std::int64_t unread_num = 0;
  std::int64_t mention_num = 0;
  std::int64_t mytask_num = 0;
};

struct TaskFilter {
  std::optional<core::AccountId> assignee;
  std::optional<core::AccountId> assigned_by;
  core::TaskStatus status = core::TaskStatus::kOpen;
  std::size_t limit = 100;
};

// The retained part of the event log: positions (pruned_through, head] are still readable.
struct EventLogBounds {
  std::int64_t pruned_through = 0;
  std::int64_t head = 0;
};

struct PendingContactRequest {
  core::RequestId id;
  core::AccountId from;
  core::AccountId to;
};

// Which page of a room's history to read (issue 3, item 6). The anchors are positions, not
// necessarily messages; at most one of them is set, and neither means the latest page.
struct MessagePageRequest {
  std::optional<core::MessageId> before;  // the newest messages older than this id
  std::optional<core::MessageId> after;   // the oldest messages newer than this id
  std::size_t limit = 50;
};

// A page of a room's live messages, oldest first, and whether live messages lie beyond it.
struct MessagePage {
  std::vector<core::Message> messages;
  bool has_more_before = false;
  bool has_more_after = false;
};

// Operations of one transaction. Every method may also fail with kUnavailable/kInternal when the
// backend does; methods that write fail with kInternal inside a read transaction.
class StoreTx {
 public:
  virtual ~StoreTx() = default;

  // --- Organizations, accounts, tokens
  virtual core::Result<core::OrganizationId> insert_organization(std::string_view name,
                                                                 std::int64_t now) = 0;
  virtual core::Result<bool> organization_exists(core::OrganizationId id) = 0;
  // Errors: kConflict when login_mail is taken.
  virtual core::Result<core::AccountId> insert_account(const NewAccount& account) = 0;
  virtual core::Status set_my_room(core::AccountId account, core::RoomId room) = 0;
  virtual core::Result<std::optional<core::Account>> find_account(core::AccountId id) = 0;
  // The owner of a live token: not revoked, and not expired at now (unix seconds).
  virtual core::Result<std::optional<core::AccountId>> find_account_by_token(
      std::string_view token_digest, std::int64_t now) = 0;
  virtual core::Status insert_token(core::AccountId account, std::string_view token_digest,
                                    std::int64_t now) = 0;
  // Returns false when no live token has this digest.
  virtual core::Result<bool> revoke_token(std::string_view token_digest, std::int64_t now) = 0;
  // A browser session: a token that expires at expires_at (unix seconds).
  virtual core::Status insert_session(core::AccountId account, std::string_view token_digest,
                                      std::int64_t now, std::int64_t expires_at) = 0;
  // Revokes the account's live sessions except keep_digest's; returns the revoked digests.
  virtual core::Result<std::vector<std::string>> revoke_sessions(core::AccountId account,
                                                                 std::string_view keep_digest,
                                                                 std::int64_t now) = 0;
  // The account that signs in with this email, and its password hash ("" when none is set).
  virtual core::Result<std::optional<LoginRecord>> find_login(std::string_view login_mail) = 0;
  // The account whose login email is email, compared ignoring ASCII case; an exact match wins
  // over one that differs only in case, then the oldest account.
  virtual core::Result<std::optional<core::AccountId>> find_account_by_email(
      std::string_view email) = 0;
  // The accounts of an organization except `except`, by name then id (an organization's
  // directory: small enough to read whole, a few thousand at most).
  virtual core::Result<std::vector<core::Account>> list_organization_accounts(
      core::OrganizationId organization, core::AccountId except) = 0;
  virtual core::Status set_password_hash(core::AccountId account,
                                         std::string_view password_hash) = 0;
  // Writes the account's profile fields (not its email, chatwork_id or organization).
  virtual core::Status update_profile(core::AccountId account, const ProfileFields& profile) = 0;
  // Sets the account's picture and the URL accounts carry for it; an empty record and url
  // return the account to the default (no picture).
  virtual core::Status set_avatar(core::AccountId account, const AvatarRecord& avatar,
                                  std::string_view avatar_image_url) = 0;
  // The account's picture, or nullopt when the account is unknown or has none.
  virtual core::Result<std::optional<AvatarRecord>> find_avatar(core::AccountId account) = 0;

  // --- Contacts and contact requests
  virtual core::Result<bool> are_contacts(core::AccountId a, core::AccountId b) = 0;
  // Records the contact in both directions, sharing the direct chat room.
  virtual core::Status insert_contact(core::AccountId a, core::AccountId b, core::RoomId room) = 0;
  virtual core::Result<std::vector<core::Contact>> list_contacts(core::AccountId account) = 0;
  // Errors: kConflict when from already has a pending request to `to`.
  virtual core::Result<core::RequestId> insert_contact_request(core::AccountId from,
                                                               core::AccountId to,
                                                               std::string_view message,
                                                               std::int64_t now) = 0;
  virtual core::Result<std::optional<PendingContactRequest>> find_contact_request(
      core::RequestId id) = 0;
  virtual core::Status delete_contact_request(core::RequestId id) = 0;
  virtual core::Result<std::vector<core::ContactRequest>> list_incoming_requests(
      core::AccountId to, std::size_t limit) = 0;

  // --- Rooms and memberships
  virtual core::Result<core::RoomId> insert_room(const core::Room& room, std::int64_t now) = 0;
  virtual core::Result<std::optional<core::Room>> find_room(core::RoomId id) = 0;
  // Writes name, description, icon_preset and last_update_time.
  virtual core::Status update_room(const core::Room& room) = 0;
  // Deletes the room with its memberships, messages, mentions, tasks, files, link and join
  // requests.
  virtual core::Status delete_room(core::RoomId id) = 0;
  virtual core::Result<std::optional<core::Membership>> find_membership(
      core::RoomId room, core::AccountId account) = 0;
  // Inserts a membership, or changes the role of an existing one (read state is kept).
  virtual core::Status put_membership(const core::Membership& membership) = 0;
  virtual core::Status delete_membership(core::RoomId room, core::AccountId account) = 0;
  virtual core::Result<std::vector<core::Member>> list_members(core::RoomId room) = 0;
  virtual core::Result<std::vector<core::RoomView>> list_room_views(core::AccountId account) = 0;
  virtual core::Result<std::optional<core::RoomView>> find_room_view(core::RoomId room,
                                                                     core::AccountId account) = 0;
  virtual core::Status set_read_seq(core::RoomId room, core::AccountId account,
                                    std::int64_t seq) = 0;
  virtual core::Status set_fetched_seq(core::RoomId room, core::AccountId account,
                                       std::int64_t seq) = 0;
  virtual core::Result<UnreadCounts> unread_counts(core::RoomId room, core::AccountId account) = 0;
  virtual core::Result<MyStatus> my_status(core::AccountId account) = 0;

  // --- Messages
  // A time-ordered id, unique across the store; write transactions only.
  virtual core::Result<core::MessageId> allocate_message_id(std::int64_t now_ms) = 0;
  // Appends message (id, room_id, account.id, body, send_time set) as the room's next seq,
  // records its mentions, and bumps the room's message_num and last_update_time. Returns the seq.
  virtual core::Result<std::int64_t> insert_message(
      const core::Message& message, const std::vector<core::AccountId>& mentioned) = 0;
  // Live (not deleted) message of that room, or nullopt.
  virtual core::Result<std::optional<core::Message>> find_message(core::RoomId room,
                                                                  core::MessageId id) = 0;
  // Live messages with seq > after_seq, oldest first, at most limit.
  virtual core::Result<std::vector<core::Message>> list_messages_after(core::RoomId room,
                                                                       std::int64_t after_seq,
                                                                       std::size_t limit) = 0;
  // The newest live messages, returned oldest first.
  virtual core::Result<std::vector<core::Message>> list_latest_messages(core::RoomId room,
                                                                        std::size_t limit) = 0;
  // Live messages of every room with id > after, in id order, at most limit: a full scan in
  // pages, for rebuilding derived data such as the search index.
  virtual core::Result<std::vector<core::Message>> list_all_messages_after(core::MessageId after,
                                                                           std::size_t limit) = 0;
  // A page of the room's live messages in the room's order (seq), oldest first: before, the
  // `limit` newest older than the anchor; after, the `limit` oldest newer than it; neither, the
  // latest `limit`. A message of this room, deleted or not, stands at its own seq; any other id
  // stands where it would fall among the room's message ids (they grow with seq). has_more_*
  // say whether live messages lie beyond the page's ends; on the anchor's side that counts the
  // anchor itself, so an empty page answers them too. Errors: kInvalidArgument both anchors set.
  virtual core::Result<MessagePage> list_messages_page(core::RoomId room,
                                                       const MessagePageRequest& request) = 0;
  virtual core::Status update_message(const core::Message& message,
                                      const std::vector<core::AccountId>& mentioned) = 0;
  virtual core::Status delete_message(core::RoomId room, core::MessageId id) = 0;

  // --- Tasks
  virtual core::Result<core::TaskId> insert_task(const core::Task& task, std::int64_t now) = 0;
  virtual core::Result<std::optional<core::Task>> find_task(core::RoomId room, core::TaskId id) = 0;
  virtual core::Result<std::vector<core::Task>> list_room_tasks(core::RoomId room,
                                                                const TaskFilter& filter) = 0;
  // Tasks across all rooms the assignee is still a member of.
  virtual core::Result<std::vector<core::Task>> list_account_tasks(const TaskFilter& filter) = 0;
  virtual core::Status set_task_status(core::TaskId id, core::TaskStatus status) = 0;
  virtual core::Status delete_tasks_of_assignee(core::RoomId room, core::AccountId assignee) = 0;

  // --- Files
  virtual core::Result<core::FileId> insert_file(const core::File& file) = 0;
  virtual core::Result<std::optional<core::File>> find_file(core::RoomId room, core::FileId id) = 0;
  virtual core::Result<std::optional<core::File>> find_file_by_id(core::FileId id) = 0;
  virtual core::Result<std::vector<core::File>> list_files(core::RoomId room,
                                                           std::optional<core::AccountId> uploader,
                                                           std::size_t limit) = 0;
  virtual core::Status delete_files_of_uploader(core::RoomId room, core::AccountId uploader) = 0;

  // --- Invitation links
  virtual core::Result<std::optional<core::RoomLink>> find_link(core::RoomId room) = 0;
  virtual core::Result<std::optional<core::RoomLink>> find_link_by_code(std::string_view code) = 0;
  virtual core::Status put_link(const core::RoomLink& link) = 0;
  virtual core::Status delete_link(core::RoomId room) = 0;

  // --- Join requests (links with need_acceptance): at most one pending per room and account.
  // Errors: kConflict when the account already has a pending request for the room.
  virtual core::Result<core::JoinRequestId> insert_join_request(core::RoomId room,
                                                                core::AccountId account,
                                                                std::int64_t now) = 0;
  virtual core::Result<std::optional<core::JoinRequest>> find_join_request(
      core::RoomId room, core::JoinRequestId id) = 0;
  virtual core::Result<std::optional<core::JoinRequest>> find_join_request_of(
      core::RoomId room, core::AccountId account) = 0;
  // The room's pending requests, oldest first, at most limit.
  virtual core::Result<std::vector<core::JoinRequest>> list_join_requests(core::RoomId room,
                                                                          std::size_t limit) = 0;
  virtual core::Status delete_join_request(core::JoinRequestId id) = 0;
  virtual core::Result<std::int64_t> count_members(core::RoomId room) = 0;

  // --- Settings that belong to the deployment (e.g. the URL-signing secret)
  virtual core::Result<std::optional<std::string>> find_setting(std::string_view key) = 0;
  virtual core::Status put_setting(std::string_view key, std::string_view value) = 0;

  // --- Event log (design.md §4): appended in the same transaction as the change it records.
  // Returns the event's store-wide, strictly increasing position (event.pos is ignored).
  virtual core::Result<std::int64_t> append_event(const core::Event& event) = 0;
  // Every event with pos > after, oldest first, at most limit.
  virtual core::Result<std::vector<core::Event>> read_events(std::int64_t after,
                                                             std::size_t limit) = 0;
  // The events with after < pos <= through that account may see, oldest first, at most limit:
  // those addressed to it, and those of rooms it was a member of at the event.
  virtual core::Result<std::vector<core::Event>> read_account_events(core::AccountId account,
                                                                     std::int64_t after,
                                                                     std::int64_t through,
                                                                     std::size_t limit) = 0;
  virtual core::Result<EventLogBounds> event_log_bounds() = 0;
  // Deletes up to max_events of the oldest events created before created_before_ms and moves
  // pruned_through past them. Returns how many it deleted.
  virtual core::Result<std::int64_t> prune_events(std::int64_t created_before_ms,
                                                  std::size_t max_events) = 0;
  // Records the event at which a membership began (the stream shows the member nothing older).
  virtual core::Status set_membership_joined_pos(core::RoomId room, core::AccountId account,
                                                 std::int64_t pos) = 0;
  // Keeps the span of a membership that ends at left_pos (call before deleting it), so a resume
  // from before left_pos still shows the room's events up to there.
  virtual core::Status archive_membership(core::RoomId room, core::AccountId account,
                                          std::int64_t left_pos) = 0;
  // The account's memberships now, and those that ended after pos.
  virtual core::Result<std::vector<core::MembershipSpan>> list_membership_spans(
      core::AccountId account, std::int64_t ended_after) = 0;
  // The rooms the account was a member of at pos (joined at or before it, not yet left).
  virtual core::Result<std::vector<core::RoomId>> list_rooms_joined_by(core::AccountId account,
                                                                       std::int64_t pos) = 0;
};

using WriteFn = std::function<core::Status(StoreTx&)>;
using WriteDone = std::function<void(core::Status)>;

// Thread-safe: any thread may run transactions concurrently.
class Store {
 public:
  virtual ~Store() = default;

  // Queues fn as a write transaction and returns at once. done receives fn's outcome once the
  // change is durable (or has failed), on a thread of the store's choosing: it must not block,
  // only hand the outcome on (post to a connection's strand). Lets the edge answer a write
  // without parking a thread per request, so one commit can carry every queued write.
  virtual void submit_write(WriteFn fn, WriteDone done) = 0;

  // Runs fn against a consistent snapshot of committed state.
  virtual core::Status run_read(const std::function<core::Status(StoreTx&)>& fn) = 0;

  // Runs fn inside a write transaction and returns once the change is durable (committed and
  // fsync'd). If fn fails, nothing it wrote persists. Concurrent callers may share one commit.
  virtual core::Status run_write(const std::function<core::Status(StoreTx&)>& fn) = 0;

  // listener runs after each commit that may have appended events, on the committing thread; it
  // must not block (it wakes the event tailer). Set once, before the first write.
  virtual void set_commit_listener(std::function<void()> listener) = 0;

  // Typed helpers: fn returns Result<T>; so does the call.
  template <typename F>
  auto read(F&& fn) {
    return run_typed(std::forward<F>(fn), false);
  }

  template <typename F>
  auto write(F&& fn) {
    return run_typed(std::forward<F>(fn), true);
  }

 private:
  template <typename F>
  auto run_typed(F&& fn, bool is_write) -> std::invoke_result_t<F, StoreTx&> {
    using R = std::invoke_result_t<F, StoreTx&>;
    std::optional<R> out;
    auto body = [&](StoreTx& tx) -> core::Status {
      out.emplace(fn(tx));
      if (!out->has_value()) {
        return out->error();
      }
      return core::ok();
    };
    core::Status status = is_write ? run_write(body) : run_read(body);
    if (!status) {
      return R(status.error());
    }
    return std::move(*out);
  }
};

}  // namespace kaiwa::ports
