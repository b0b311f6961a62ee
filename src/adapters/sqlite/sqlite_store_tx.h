// StoreTx over one SQLite connection: the SQL of every domain operation lives here.
#pragma once

#include "adapters/sqlite/sqlite_connection.h"
#include "core/snowflake.h"
#include "ports/store.h"

namespace kaiwa::sqlite {

// Used by one thread for one transaction at a time. The id generator is present only on the
// writer's connection: message ids are allocated in commit order.
class SqliteStoreTx final : public ports::StoreTx {
 public:
  SqliteStoreTx(Connection& connection, core::SnowflakeGenerator* message_ids)
      : connection_(connection), message_ids_(message_ids) {}

  core::Result<core::OrganizationId> insert_organization(std::string_view name,
                                                         std::int64_t now) override;
  core::Result<bool> organization_exists(core::OrganizationId id) override;
  core::Result<core::AccountId> insert_account(const ports::NewAccount& account) override;
  core::Status set_my_room(core::AccountId account, core::RoomId room) override;
  core::Result<std::optional<core::Account>> find_account(core::AccountId id) override;
  core::Result<std::optional<core::AccountId>> find_account_by_token(std::string_view token_digest,
                                                                     std::int64_t now) override;
  core::Status insert_token(core::AccountId account, std::string_view token_digest,
                            std::int64_t now) override;
  core::Result<bool> revoke_token(std::string_view token_digest, std::int64_t now) override;
  core::Status insert_session(core::AccountId account, std::string_view token_digest,
                              std::int64_t now, std::int64_t expires_at) override;
  core::Result<std::vector<std::string>> revoke_sessions(core::AccountId account,
                                                         std::string_view keep_digest,
                                                         std::int64_t now) override;
  core::Result<std::optional<ports::LoginRecord>> find_login(std::string_view login_mail) override;
  core::Result<std::optional<core::AccountId>> find_account_by_email(
      std::string_view email) override;
  core::Result<std::vector<core::Account>> list_organization_accounts(
      core::OrganizationId organization, core::AccountId except) override;
  core::Status set_password_hash(core::AccountId account, std::string_view password_hash) override;
  core::Status update_profile(core::AccountId account,
                              const ports::ProfileFields& profile) override;
  core::Status set_avatar(core::AccountId account, const ports::AvatarRecord& avatar,
                          std::string_view avatar_image_url) override;
  core::Result<std::optional<ports::AvatarRecord>> find_avatar(core::AccountId account) override;

  core::Result<bool> are_contacts(core::AccountId a, core::AccountId b) override;
  core::Status insert_contact(core::AccountId a, core::AccountId b, core::RoomId room) override;
  core::Result<std::vector<core::Contact>> list_contacts(core::AccountId account) override;
  core::Result<core::RequestId> insert_contact_request(core::AccountId from, core::AccountId to,
                                                       std::string_view message,
                                                       std::int64_t now) override;
  core::Result<std::optional<ports::PendingContactRequest>> find_contact_request(
      core::RequestId id) override;
  core::Status delete_contact_request(core::RequestId id) override;
  core::Result<std::vector<core::ContactRequest>> list_incoming_requests(
      core::AccountId to, std::size_t limit) override;

  core::Result<core::RoomId> insert_room(const core::Room& room, std::int64_t now) override;
  core::Result<std::optional<core::Room>> find_room(core::RoomId id) override;
  core::Status update_room(const core::Room& room) override;
  core::Status delete_room(core::RoomId id) override;
  core::Result<std::optional<core::Membership>> find_membership(core::RoomId room,
                                                                core::AccountId account) override;
  core::Status put_membership(const core::Membership& membership) override;
  core::Status delete_membership(core::RoomId room, core::AccountId account) override;
  core::Result<std::vector<core::Member>> list_members(core::RoomId room) override;
  core::Result<std::vector<core::RoomView>> list_room_views(core::AccountId account) override;
  core::Result<std::optional<core::RoomView>> find_room_view(core::RoomId room,
                                                             core::AccountId account) override;
  core::Status set_read_seq(core::RoomId room, core::AccountId account, std::int64_t seq) override;
  core::Status set_fetched_seq(core::RoomId room, core::AccountId account,
                               std::int64_t seq) override;
  core::Result<ports::UnreadCounts> unread_counts(core::RoomId room,
                                                  core::AccountId account) override;
  core::Result<ports::MyStatus> my_status(core::AccountId account) override;

  core::Result<core::MessageId> allocate_message_id(std::int64_t now_ms) override;
  core::Result<std::int64_t> insert_message(const core::Message& message,
                                            const std::vector<core::AccountId>& mentioned) override;
  core::Result<std::optional<core::Message>> find_message(core::RoomId room,
                                                          core::MessageId id) override;
  core::Result<std::vector<core::Message>> list_messages_after(core::RoomId room,
                                                               std::int64_t after_seq,
                                                               std::size_t limit) override;
  core::Result<std::vector<core::Message>> list_all_messages_after(core::MessageId after,
                                                                   std::size_t limit) override;
  core::Result<std::vector<core::Message>> list_latest_messages(core::RoomId room,
                                                                std::size_t limit) override;
  core::Result<ports::MessagePage> list_messages_page(
      core::RoomId room, const ports::MessagePageRequest& request) override;
  core::Status update_message(const core::Message& message,
                              const std::vector<core::AccountId>& mentioned) override;
  core::Status delete_message(core::RoomId room, core::MessageId id) override;

  core::Result<core::TaskId> insert_task(const core::Task& task, std::int64_t now) override;
  core::Result<std::optional<core::Task>> find_task(core::RoomId room, core::TaskId id) override;
  core::Result<std::vector<core::Task>> list_room_tasks(core::RoomId room,
                                                        const ports::TaskFilter& filter) override;
  core::Result<std::vector<core::Task>> list_account_tasks(
      const ports::TaskFilter& filter) override;
  core::Status set_task_status(core::TaskId id, core::TaskStatus status) override;
  core::Status delete_tasks_of_assignee(core::RoomId room, core::AccountId assignee) override;

  core::Result<core::FileId> insert_file(const core::File& file) override;
  core::Result<std::optional<core::File>> find_file(core::RoomId room, core::FileId id) override;
  core::Result<std::optional<core::File>> find_file_by_id(core::FileId id) override;
  core::Result<std::vector<core::File>> list_files(core::RoomId room,
                                                   std::optional<core::AccountId> uploader,
                                                   std::size_t limit) override;
  core::Status delete_files_of_uploader(core::RoomId room, core::AccountId uploader) override;

  core::Result<std::optional<core::RoomLink>> find_link(core::RoomId room) override;
  core::Result<std::optional<core::RoomLink>> find_link_by_code(std::string_view code) override;
  core::Status put_link(const core::RoomLink& link) override;
  core::Status delete_link(core::RoomId room) override;

  core::Result<core::JoinRequestId> insert_join_request(core::RoomId room, core::AccountId account,
                                                        std::int64_t now) override;
  core::Result<std::optional<core::JoinRequest>> find_join_request(core::RoomId room,
                                                                   core::JoinRequestId id) override;
  core::Result<std::optional<core::JoinRequest>> find_join_request_of(
      core::RoomId room, core::AccountId account) override;
  core::Result<std::vector<core::JoinRequest>> list_join_requests(core::RoomId room,
                                                                  std::size_t limit) override;
  core::Status delete_join_request(core::JoinRequestId id) override;
  core::Result<std::int64_t> count_members(core::RoomId room) override;

  core::Result<std::optional<std::string>> find_setting(std::string_view key) override;
  core::Status put_setting(std::string_view key, std::string_view value) override;

  core::Result<std::int64_t> append_event(const core::Event& event) override;
  core::Result<std::vector<core::Event>> read_events(std::int64_t after,
                                                     std::size_t limit) override;
  core::Result<std::vector<core::Event>> read_account_events(core::AccountId account,
                                                             std::int64_t after,
                                                             std::int64_t through,
                                                             std::size_t limit) override;
  core::Result<ports::EventLogBounds> event_log_bounds() override;
  core::Result<std::int64_t> prune_events(std::int64_t created_before_ms,
                                          std::size_t max_events) override;
  core::Status set_membership_joined_pos(core::RoomId room, core::AccountId account,
                                         std::int64_t pos) override;
  core::Status archive_membership(core::RoomId room, core::AccountId account,
                                  std::int64_t left_pos) override;
  core::Result<std::vector<core::MembershipSpan>> list_membership_spans(
      core::AccountId account, std::int64_t ended_after) override;
  core::Result<std::vector<core::RoomId>> list_rooms_joined_by(core::AccountId account,
                                                               std::int64_t pos) override;

 private:
  core::Result<Statement*> prepare(std::string_view sql) { return connection_.prepare(sql); }

  // Runs update_sql, whose parameters are (value, room_id, account_id), on one membership.
  core::Status update_membership(std::string_view update_sql, core::RoomId room,
                                 core::AccountId account, std::int64_t value);

  core::Result<std::vector<core::Task>> query_tasks(std::string_view sql, std::int64_t key,
                                                    const ports::TaskFilter& filter);
  core::Status insert_mentions(const core::Message& message, std::int64_t seq,
                               const std::vector<core::AccountId>& mentioned);

  // Where a history anchor falls in a room: messages with seq <= below come before it, those
  // with seq >= above after it.
  struct SeqSplit {
    std::int64_t below = 0;
    std::int64_t above = 1;
  };

  core::Result<SeqSplit> split_at(core::RoomId room, core::MessageId anchor);
  core::Result<bool> has_live_messages(core::RoomId room, std::int64_t from_seq,
                                       std::int64_t to_seq);

  Connection& connection_;
  core::SnowflakeGenerator* message_ids_;
};

}  // namespace kaiwa::sqlite
