#include "adapters/sqlite/sqlite_store_tx.h"

#include <algorithm>
#include <limits>

namespace kaiwa::sqlite {
namespace {

using core::AccountId;
using core::Result;
using core::RoomId;
using core::Status;

// Columns of a full account row joined with its organization, in read_account's order.
constexpr std::string_view kAccountColumns =
    "a.id, a.organization_id, o.name, a.my_room_id, a.name, a.chatwork_id, a.login_mail, "
    "a.department, a.title, a.url, a.introduction, a.tel_organization, a.tel_extension, "
    "a.tel_mobile, a.skype, a.facebook, a.twitter, a.avatar_image_url";
constexpr int kAccountColumnCount = 18;
constexpr std::string_view kAccountFrom =
    " FROM accounts a JOIN organizations o ON o.id = a.organization_id";

core::Account read_account(const Statement& row, int first) {
  core::Account account;
  int c = first;
  account.id = AccountId(row.int64(c++));
  account.organization_id = core::OrganizationId(row.int64(c++));
  account.organization_name = row.text(c++);
  account.my_room_id = RoomId(row.int64(c++));
  account.name = row.text(c++);
  account.chatwork_id = row.text(c++);
  account.login_mail = row.text(c++);
  account.department = row.text(c++);
  account.title = row.text(c++);
  account.url = row.text(c++);
  account.introduction = row.text(c++);
  account.tel_organization = row.text(c++);
  account.tel_extension = row.text(c++);
  account.tel_mobile = row.text(c++);
  account.skype = row.text(c++);
  account.facebook = row.text(c++);
  account.twitter = row.text(c++);
  account.avatar_image_url = row.text(c++);
  return account;
}

// The short form of an account that messages, tasks and files embed: id, name, avatar.
core::Account read_account_mini(const Statement& row, int first) {
  core::Account account;
  account.id = AccountId(row.int64(first));
  account.name = row.text(first + 1);
  account.avatar_image_url = row.text(first + 2);
  return account;
}

constexpr std::string_view kMessageSelect =
    "SELECT m.id, m.room_id, m.seq, m.account_id, a.name, a.avatar_image_url, m.body, "
    "m.send_time, m.update_time FROM messages m JOIN accounts a ON a.id = m.account_id ";

core::Message read_message(const Statement& row) {
  core::Message message;
  message.id = core::MessageId(row.int64(0));
  message.room_id = RoomId(row.int64(1));
  message.seq = row.int64(2);
  message.account = read_account_mini(row, 3);
  message.body = row.text(6);
  message.send_time = row.int64(7);
  message.update_time = row.int64(8);
  return message;
}

constexpr std::string_view kRoomColumns =
    "r.id, r.type, r.name, r.description, r.icon_preset, r.message_num, r.file_num, r.task_num, "
    "r.last_update_time, r.last_seq";
constexpr int kRoomColumnCount = 10;

core::Room read_room(const Statement& row, int first) {
  core::Room room;
  int c = first;
  room.id = RoomId(row.int64(c++));
  room.type = core::parse_room_type(row.text(c++)).value_or(core::RoomType::kGroup);
  room.name = row.text(c++);
  room.description = row.text(c++);
  room.icon_preset = row.text(c++);
  room.message_num = row.int64(c++);
  room.file_num = row.int64(c++);
  room.task_num = row.int64(c++);
  room.last_update_time = row.int64(c++);
  room.last_seq = row.int64(c++);
  return room;
}

constexpr std::string_view kTaskSelect =
    "SELECT t.id, t.room_id, r.name, r.icon_preset, a.id, a.name, a.avatar_image_url, b.id, "
    "b.name, b.avatar_image_url, t.message_id, t.body, t.limit_time, t.status, t.limit_type "
    "FROM tasks t JOIN rooms r ON r.id = t.room_id JOIN accounts a ON a.id = t.assignee_id "
    "JOIN accounts b ON b.id = t.assigned_by_id ";

core::Task read_task(const Statement& row) {
  core::Task task;
  task.id = core::TaskId(row.int64(0));
  task.room_id = RoomId(row.int64(1));
  task.room_name = row.text(2);
  task.room_icon_path = row.text(3);
  task.assignee = read_account_mini(row, 4);
  task.assigned_by = read_account_mini(row, 7);
  task.message_id = core::MessageId(row.int64(10));
  task.body = row.text(11);
  task.limit_time = row.int64(12);
  task.status = core::parse_task_status(row.text(13)).value_or(core::TaskStatus::kOpen);
  task.limit_type = core::parse_limit_type(row.text(14)).value_or(core::LimitType::kNone);
  return task;
}

constexpr std::string_view kFileSelect =
    "SELECT f.id, f.room_id, a.id, a.name, a.avatar_image_url, f.message_id, f.filename, "
    "f.filesize, f.content_type, f.blob_key, f.upload_time FROM files f "
    "JOIN accounts a ON a.id = f.account_id ";

core::File read_file(const Statement& row) {
  core::File file;
  file.id = core::FileId(row.int64(0));
  file.room_id = RoomId(row.int64(1));
  file.uploader = read_account_mini(row, 2);
  file.message_id = core::MessageId(row.int64(5));
  file.filename = row.text(6);
  file.filesize = row.int64(7);
  file.content_type = row.text(8);
  file.blob_key = row.text(9);
  file.upload_time = row.int64(10);
  return file;
}

core::Membership read_membership(const Statement& row) {
  core::Membership membership;
  membership.room_id = RoomId(row.int64(0));
  membership.account_id = AccountId(row.int64(1));
  membership.role = core::parse_role(row.text(2)).value_or(core::Role::kReadonly);
  membership.read_seq = row.int64(3);
  membership.fetched_seq = row.int64(4);
  membership.sticky = row.int64(5) != 0;
  return membership;
}

core::RoomLink read_link(const Statement& row) {
  core::RoomLink link;
  link.room_id = RoomId(row.int64(0));
  link.code = row.text(1);
  link.description = row.text(2);
  link.need_acceptance = row.int64(3) != 0;
  return link;
}

// Runs a single-row query and maps its row, or nullopt when there is none.
template <typename T, typename Read>
Result<std::optional<T>> fetch_one(Statement& statement, Read read) {
  KAIWA_ASSIGN_OR_RETURN(bool has_row, statement.step());
  if (!has_row) {
    return std::optional<T>();
  }
  std::optional<T> value(read(statement));
  statement.reset();
  return value;
}

template <typename T, typename Read>
Result<std::vector<T>> fetch_all(Statement& statement, Read read) {
  std::vector<T> rows;
  while (true) {
    KAIWA_ASSIGN_OR_RETURN(bool has_row, statement.step());
    if (!has_row) {
      return rows;
    }
    rows.push_back(read(statement));
  }
}

Result<std::int64_t> fetch_int(Statement& statement) {
  KAIWA_ASSIGN_OR_RETURN(bool has_row, statement.step());
  std::int64_t value = has_row ? statement.int64(0) : 0;
  statement.reset();
  return value;
}

std::string account_query(std::string_view where) {
  return "SELECT " + std::string(kAccountColumns) + std::string(kAccountFrom) + " " +
         std::string(where);
}

}  // namespace

// --- Organizations, accounts, tokens

Result<core::OrganizationId> SqliteStoreTx::insert_organization(std::string_view name,
                                                                std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("INSERT INTO organizations (name, created_at) VALUES (?, ?)"));
  KAIWA_TRY(s->bind(1, name).bind(2, now).exec());
  return core::OrganizationId(connection_.last_insert_rowid());
}

Result<bool> SqliteStoreTx::organization_exists(core::OrganizationId id) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare("SELECT 1 FROM organizations WHERE id = ?"));
  KAIWA_ASSIGN_OR_RETURN(std::int64_t found, fetch_int(s->bind(1, id.value)));
  return found == 1;
}

Result<AccountId> SqliteStoreTx::insert_account(const ports::NewAccount& account) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO accounts (organization_id, name, login_mail, password_hash, "
              "created_at) VALUES (?, ?, ?, ?, ?)"));
  auto inserted = s->bind(1, account.organization_id.value)
                      .bind(2, account.name)
                      .bind(3, account.login_mail)
                      .bind(4, account.password_hash)
                      .bind(5, account.created_at)
                      .exec();
  if (!inserted) {
    if (inserted.error().is(core::ErrorCode::kConflict)) {
      return core::Error::conflict("An account with this email already exists");
    }
    return inserted.error();
  }
  return AccountId(connection_.last_insert_rowid());
}

Status SqliteStoreTx::set_my_room(AccountId account, RoomId room) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare("UPDATE accounts SET my_room_id = ? WHERE id = ?"));
  return s->bind(1, room.value).bind(2, account.value).exec();
}

Result<std::optional<core::Account>> SqliteStoreTx::find_account(AccountId id) {
  static const std::string kSql = account_query("WHERE a.id = ?");
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_one<core::Account>(s->bind(1, id.value),
                                  [](const Statement& row) { return read_account(row, 0); });
}

Result<std::optional<AccountId>> SqliteStoreTx::find_account_by_token(std::string_view digest,
                                                                      std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT account_id FROM api_tokens WHERE digest = ? AND "
                                 "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"));
  return fetch_one<AccountId>(s->bind(1, digest).bind(2, now),
                              [](const Statement& row) { return AccountId(row.int64(0)); });
}

Status SqliteStoreTx::insert_token(AccountId account, std::string_view digest, std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO api_tokens (digest, account_id, created_at) VALUES (?, ?, ?)"));
  return s->bind(1, digest).bind(2, account.value).bind(3, now).exec();
}

Result<bool> SqliteStoreTx::revoke_token(std::string_view digest, std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("UPDATE api_tokens SET revoked_at = ? WHERE digest = ? AND revoked_at IS NULL"));
  KAIWA_TRY(s->bind(1, now).bind(2, digest).exec());
  return connection_.changes() > 0;
}

Status SqliteStoreTx::insert_session(AccountId account, std::string_view digest, std::int64_t now,
                                     std::int64_t expires_at) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("INSERT INTO api_tokens (digest, account_id, created_at, kind, "
                                 "expires_at) VALUES (?, ?, ?, 'session', ?)"));
  return s->bind(1, digest).bind(2, account.value).bind(3, now).bind(4, expires_at).exec();
}

Result<std::vector<std::string>> SqliteStoreTx::revoke_sessions(AccountId account,
                                                                std::string_view keep_digest,
                                                                std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(Statement * select,
                         prepare("SELECT digest FROM api_tokens WHERE account_id = ? AND "
                                 "kind = 'session' AND revoked_at IS NULL AND digest <> ?"));
  KAIWA_ASSIGN_OR_RETURN(std::vector<std::string> digests,
                         fetch_all<std::string>(select->bind(1, account.value).bind(2, keep_digest),
                                                [](const Statement& row) { return row.text(0); }));
  for (const std::string& digest : digests) {
    KAIWA_TRY(revoke_token(digest, now));
  }
  return digests;
}

Result<std::optional<ports::LoginRecord>> SqliteStoreTx::find_login(std::string_view login_mail) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT id, password_hash FROM accounts WHERE login_mail = ?"));
  return fetch_one<ports::LoginRecord>(s->bind(1, login_mail), [](const Statement& row) {
    return ports::LoginRecord{AccountId(row.int64(0)), row.text(1)};
  });
}

Result<std::optional<AccountId>> SqliteStoreTx::find_account_by_email(std::string_view email) {
  // NOCASE folds ASCII only, as the index accounts_login_mail_nocase does.
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT id FROM accounts WHERE login_mail = ?1 COLLATE NOCASE "
                                 "ORDER BY login_mail = ?1 DESC, id LIMIT 1"));
  return fetch_one<AccountId>(s->bind(1, email),
                              [](const Statement& row) { return AccountId(row.int64(0)); });
}

Result<std::vector<core::Account>> SqliteStoreTx::list_organization_accounts(
    core::OrganizationId organization, AccountId except) {
  static const std::string kSql =
      account_query("WHERE a.organization_id = ? AND a.id <> ? ORDER BY a.name, a.id");
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_all<core::Account>(s->bind(1, organization.value).bind(2, except.value),
                                  [](const Statement& row) { return read_account(row, 0); });
}

Status SqliteStoreTx::set_password_hash(AccountId account, std::string_view password_hash) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("UPDATE accounts SET password_hash = ? WHERE id = ?"));
  return s->bind(1, password_hash).bind(2, account.value).exec();
}

Status SqliteStoreTx::update_profile(AccountId account, const ports::ProfileFields& profile) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("UPDATE accounts SET name = ?, department = ?, title = ?, url = ?, introduction = ?, "
              "tel_organization = ?, tel_extension = ?, tel_mobile = ?, skype = ?, facebook = ?, "
              "twitter = ? WHERE id = ?"));
  return s->bind(1, profile.name)
      .bind(2, profile.department)
      .bind(3, profile.title)
      .bind(4, profile.url)
      .bind(5, profile.introduction)
      .bind(6, profile.tel_organization)
      .bind(7, profile.tel_extension)
      .bind(8, profile.tel_mobile)
      .bind(9, profile.skype)
      .bind(10, profile.facebook)
      .bind(11, profile.twitter)
      .bind(12, account.value)
      .exec();
}

Status SqliteStoreTx::set_avatar(AccountId account, const ports::AvatarRecord& avatar,
                                 std::string_view avatar_image_url) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s, prepare("UPDATE accounts SET avatar_blob_key = ?, avatar_content_type = ?, "
                             "avatar_image_url = ? WHERE id = ?"));
  return s->bind(1, avatar.blob_key)
      .bind(2, avatar.content_type)
      .bind(3, avatar_image_url)
      .bind(4, account.value)
      .exec();
}

Result<std::optional<ports::AvatarRecord>> SqliteStoreTx::find_avatar(AccountId account) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT avatar_blob_key, avatar_content_type FROM accounts "
                                 "WHERE id = ? AND avatar_blob_key <> ''"));
  return fetch_one<ports::AvatarRecord>(s->bind(1, account.value), [](const Statement& row) {
    return ports::AvatarRecord{row.text(0), row.text(1)};
  });
}

// --- Contacts and contact requests

Result<bool> SqliteStoreTx::are_contacts(AccountId a, AccountId b) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT 1 FROM contacts WHERE account_id = ? AND contact_id = ?"));
  KAIWA_ASSIGN_OR_RETURN(std::int64_t found, fetch_int(s->bind(1, a.value).bind(2, b.value)));
  return found == 1;
}

Status SqliteStoreTx::insert_contact(AccountId a, AccountId b, RoomId room) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT OR IGNORE INTO contacts (account_id, contact_id, room_id) VALUES (?, ?, ?)"));
  KAIWA_TRY(s->bind(1, a.value).bind(2, b.value).bind(3, room.value).exec());
  s->reset();
  return s->bind(1, b.value).bind(2, a.value).bind(3, room.value).exec();
}

Result<std::vector<core::Contact>> SqliteStoreTx::list_contacts(AccountId account) {
  static const std::string kSql =
      "SELECT " + std::string(kAccountColumns) + ", c.room_id FROM contacts c " +
      "JOIN accounts a ON a.id = c.contact_id JOIN organizations o ON o.id = a.organization_id " +
      "WHERE c.account_id = ? ORDER BY a.id";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_all<core::Contact>(s->bind(1, account.value), [](const Statement& row) {
    return core::Contact{read_account(row, 0), RoomId(row.int64(kAccountColumnCount))};
  });
}

Result<core::RequestId> SqliteStoreTx::insert_contact_request(AccountId from, AccountId to,
                                                              std::string_view message,
                                                              std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("INSERT INTO contact_requests (from_account_id, to_account_id, "
                                 "message, created_at) VALUES (?, ?, ?, ?)"));
  auto inserted = s->bind(1, from.value).bind(2, to.value).bind(3, message).bind(4, now).exec();
  if (!inserted) {
    if (inserted.error().is(core::ErrorCode::kConflict)) {
      return core::Error::conflict("A contact request to this account is already pending");
    }
    return inserted.error();
  }
  return core::RequestId(connection_.last_insert_rowid());
}

Result<std::optional<ports::PendingContactRequest>> SqliteStoreTx::find_contact_request(
    core::RequestId id) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("SELECT id, from_account_id, to_account_id FROM contact_requests WHERE id = ?"));
  return fetch_one<ports::PendingContactRequest>(s->bind(1, id.value), [](const Statement& row) {
    return ports::PendingContactRequest{core::RequestId(row.int64(0)), AccountId(row.int64(1)),
                                        AccountId(row.int64(2))};
  });
}

Status SqliteStoreTx::delete_contact_request(core::RequestId id) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare("DELETE FROM contact_requests WHERE id = ?"));
  return s->bind(1, id.value).exec();
}

Result<std::vector<core::ContactRequest>> SqliteStoreTx::list_incoming_requests(AccountId to,
                                                                                std::size_t limit) {
  static const std::string kSql = "SELECT " + std::string(kAccountColumns) +
                                  ", r.id, r.message FROM contact_requests r " +
                                  "JOIN accounts a ON a.id = r.from_account_id " +
                                  "JOIN organizations o ON o.id = a.organization_id " +
                                  "WHERE r.to_account_id = ? ORDER BY r.id LIMIT ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  s->bind(1, to.value).bind(2, static_cast<std::int64_t>(limit));
  return fetch_all<core::ContactRequest>(*s, [](const Statement& row) {
    return core::ContactRequest{core::RequestId(row.int64(kAccountColumnCount)),
                                read_account(row, 0), row.text(kAccountColumnCount + 1)};
  });
}

// --- Rooms and memberships

Result<RoomId> SqliteStoreTx::insert_room(const core::Room& room, std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO rooms (type, name, description, icon_preset, last_update_time, "
              "created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  KAIWA_TRY(s->bind(1, core::to_string(room.type))
                .bind(2, room.name)
                .bind(3, room.description)
                .bind(4, room.icon_preset)
                .bind(5, now)
                .bind(6, now)
                .exec());
  return RoomId(connection_.last_insert_rowid());
}

Result<std::optional<core::Room>> SqliteStoreTx::find_room(RoomId id) {
  static const std::string kSql =
      "SELECT " + std::string(kRoomColumns) + " FROM rooms r WHERE r.id = ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_one<core::Room>(s->bind(1, id.value),
                               [](const Statement& row) { return read_room(row, 0); });
}

Status SqliteStoreTx::update_room(const core::Room& room) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("UPDATE rooms SET name = ?, description = ?, icon_preset = ?, "
                                 "last_update_time = ? WHERE id = ?"));
  return s->bind(1, room.name)
      .bind(2, room.description)
      .bind(3, room.icon_preset)
      .bind(4, room.last_update_time)
      .bind(5, room.id.value)
      .exec();
}

Status SqliteStoreTx::delete_room(RoomId id) {
  static constexpr std::array<std::string_view, 8> kDeletes = {
      "DELETE FROM join_requests WHERE room_id = ?", "DELETE FROM mentions WHERE room_id = ?",
      "DELETE FROM messages WHERE room_id = ?",      "DELETE FROM tasks WHERE room_id = ?",
      "DELETE FROM files WHERE room_id = ?",         "DELETE FROM room_links WHERE room_id = ?",
      "DELETE FROM memberships WHERE room_id = ?",   "DELETE FROM rooms WHERE id = ?"};
  for (std::string_view sql : kDeletes) {
    KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(sql));
    KAIWA_TRY(s->bind(1, id.value).exec());
  }
  return core::ok();
}

Result<std::optional<core::Membership>> SqliteStoreTx::find_membership(RoomId room,
                                                                       AccountId account) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT room_id, account_id, role, read_seq, fetched_seq, sticky "
                                 "FROM memberships WHERE room_id = ? AND account_id = ?"));
  return fetch_one<core::Membership>(s->bind(1, room.value).bind(2, account.value),
                                     read_membership);
}

Status SqliteStoreTx::put_membership(const core::Membership& membership) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO memberships (room_id, account_id, role, read_seq, fetched_seq, sticky) "
              "VALUES (?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (room_id, account_id) DO UPDATE SET role = excluded.role"));
  return s->bind(1, membership.room_id.value)
      .bind(2, membership.account_id.value)
      .bind(3, core::to_string(membership.role))
      .bind(4, membership.read_seq)
      .bind(5, membership.fetched_seq)
      .bind(6, std::int64_t{membership.sticky ? 1 : 0})
      .exec();
}

Status SqliteStoreTx::delete_membership(RoomId room, AccountId account) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("DELETE FROM memberships WHERE room_id = ? AND account_id = ?"));
  return s->bind(1, room.value).bind(2, account.value).exec();
}

Result<std::vector<core::Member>> SqliteStoreTx::list_members(RoomId room) {
  static const std::string kSql =
      "SELECT " + std::string(kAccountColumns) + ", m.role FROM memberships m " +
      "JOIN accounts a ON a.id = m.account_id JOIN organizations o ON o.id = a.organization_id " +
      "WHERE m.room_id = ? ORDER BY a.id";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_all<core::Member>(s->bind(1, room.value), [](const Statement& row) {
    return core::Member{
        read_account(row, 0),
        core::parse_role(row.text(kAccountColumnCount)).value_or(core::Role::kReadonly)};
  });
}

Result<std::vector<core::RoomView>> SqliteStoreTx::list_room_views(AccountId account) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("SELECT room_id FROM memberships WHERE account_id = ? ORDER BY room_id"));
  KAIWA_ASSIGN_OR_RETURN(
      auto room_ids, fetch_all<RoomId>(s->bind(1, account.value),
                                       [](const Statement& row) { return RoomId(row.int64(0)); }));
  std::vector<core::RoomView> views;
  views.reserve(room_ids.size());
  for (RoomId room : room_ids) {
    KAIWA_ASSIGN_OR_RETURN(auto view, find_room_view(room, account));
    if (view) {
      views.push_back(std::move(*view));
    }
  }
  return views;
}

Result<std::optional<core::RoomView>> SqliteStoreTx::find_room_view(RoomId room,
                                                                    AccountId account) {
  static const std::string kSql = "SELECT " + std::string(kRoomColumns) +
                                  ", m.role, m.sticky FROM rooms r JOIN memberships m ON "
                                  "m.room_id = r.id WHERE r.id = ? AND m.account_id = ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  KAIWA_ASSIGN_OR_RETURN(
      auto view,
      fetch_one<core::RoomView>(
          s->bind(1, room.value).bind(2, account.value), [](const Statement& row) {
            core::RoomView v;
            v.room = read_room(row, 0);
            v.role = core::parse_role(row.text(kRoomColumnCount)).value_or(core::Role::kReadonly);
            v.sticky = row.int64(kRoomColumnCount + 1) != 0;
            return v;
          }));
  if (!view) {
    return view;
  }
  KAIWA_ASSIGN_OR_RETURN(ports::UnreadCounts counts, unread_counts(room, account));
  view->unread_num = counts.unread_num;
  view->mention_num = counts.mention_num;
  KAIWA_ASSIGN_OR_RETURN(
      Statement * tasks,
      prepare("SELECT COUNT(*) FROM tasks WHERE assignee_id = ? AND status = 'open' AND "
              "room_id = ?"));
  KAIWA_ASSIGN_OR_RETURN(view->mytask_num,
                         fetch_int(tasks->bind(1, account.value).bind(2, room.value)));
  return view;
}

Status SqliteStoreTx::update_membership(std::string_view update_sql, RoomId room, AccountId account,
                                        std::int64_t value) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(update_sql));
  return s->bind(1, value).bind(2, room.value).bind(3, account.value).exec();
}

Status SqliteStoreTx::set_read_seq(RoomId room, AccountId account, std::int64_t seq) {
  return update_membership(
      "UPDATE memberships SET read_seq = ? WHERE room_id = ? AND account_id = ?", room, account,
      seq);
}

Status SqliteStoreTx::set_fetched_seq(RoomId room, AccountId account, std::int64_t seq) {
  return update_membership(
      "UPDATE memberships SET fetched_seq = ? WHERE room_id = ? AND account_id = ?", room, account,
      seq);
}

// Counted from the message and mention indexes rather than kept as counters, so they are exact
// by construction whatever order posts, reads and deletes commit in.
Result<ports::UnreadCounts> SqliteStoreTx::unread_counts(RoomId room, AccountId account) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * unread,
      prepare("SELECT COUNT(*) FROM messages WHERE room_id = ?1 AND deleted = 0 AND seq > "
              "(SELECT read_seq FROM memberships WHERE room_id = ?1 AND account_id = ?2)"));
  ports::UnreadCounts counts;
  KAIWA_ASSIGN_OR_RETURN(counts.unread_num,
                         fetch_int(unread->bind(1, room.value).bind(2, account.value)));
  KAIWA_ASSIGN_OR_RETURN(
      Statement * mentions,
      prepare("SELECT COUNT(*) FROM mentions WHERE account_id = ?2 AND room_id = ?1 AND seq > "
              "(SELECT read_seq FROM memberships WHERE room_id = ?1 AND account_id = ?2)"));
  KAIWA_ASSIGN_OR_RETURN(counts.mention_num,
                         fetch_int(mentions->bind(1, room.value).bind(2, account.value)));
  return counts;
}

Result<ports::MyStatus> SqliteStoreTx::my_status(AccountId account) {
  KAIWA_ASSIGN_OR_RETURN(auto views, list_room_views(account));
  ports::MyStatus status;
  for (const core::RoomView& view : views) {
    status.unread_num += view.unread_num;
    status.mention_num += view.mention_num;
    status.mytask_num += view.mytask_num;
    status.unread_room_num += view.unread_num > 0 ? 1 : 0;
    status.mention_room_num += view.mention_num > 0 ? 1 : 0;
    status.mytask_room_num += view.mytask_num > 0 ? 1 : 0;
  }
  return status;
}

// --- Messages

Result<core::MessageId> SqliteStoreTx::allocate_message_id(std::int64_t now_ms) {
  if (message_ids_ == nullptr) {
    return core::Error::internal("message ids are allocated only in write transactions");
  }
  return message_ids_->next(now_ms);
}

Result<std::int64_t> SqliteStoreTx::insert_message(const core::Message& message,
                                                   const std::vector<AccountId>& mentioned) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * bump,
      prepare("UPDATE rooms SET last_seq = last_seq + 1, message_num = message_num + 1, "
              "last_update_time = ? WHERE id = ? RETURNING last_seq"));
  KAIWA_ASSIGN_OR_RETURN(bool has_row,
                         bump->bind(1, message.send_time).bind(2, message.room_id.value).step());
  if (!has_row) {
    return core::Error::not_found("Room not found");
  }
  std::int64_t seq = bump->int64(0);
  bump->reset();
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("INSERT INTO messages (id, room_id, seq, account_id, body, "
                                 "send_time) VALUES (?, ?, ?, ?, ?, ?)"));
  KAIWA_TRY(s->bind(1, message.id.value)
                .bind(2, message.room_id.value)
                .bind(3, seq)
                .bind(4, message.account.id.value)
                .bind(5, message.body)
                .bind(6, message.send_time)
                .exec());
  KAIWA_TRY(insert_mentions(message, seq, mentioned));
  return seq;
}

Status SqliteStoreTx::insert_mentions(const core::Message& message, std::int64_t seq,
                                      const std::vector<AccountId>& mentioned) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT OR IGNORE INTO mentions (account_id, room_id, seq) VALUES (?, ?, ?)"));
  for (AccountId account : mentioned) {
    KAIWA_TRY(s->reset().bind(1, account.value).bind(2, message.room_id.value).bind(3, seq).exec());
  }
  return core::ok();
}

Result<std::optional<core::Message>> SqliteStoreTx::find_message(RoomId room, core::MessageId id) {
  static const std::string kSql =
      std::string(kMessageSelect) + "WHERE m.id = ? AND m.room_id = ? AND m.deleted = 0";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_one<core::Message>(s->bind(1, id.value).bind(2, room.value), read_message);
}

Result<std::vector<core::Message>> SqliteStoreTx::list_messages_after(RoomId room,
                                                                      std::int64_t after_seq,
                                                                      std::size_t limit) {
  static const std::string kSql = std::string(kMessageSelect) +
                                  "WHERE m.room_id = ? AND m.seq > ? AND m.deleted = 0 "
                                  "ORDER BY m.seq LIMIT ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  s->bind(1, room.value).bind(2, after_seq).bind(3, static_cast<std::int64_t>(limit));
  return fetch_all<core::Message>(*s, read_message);
}

Result<std::vector<core::Message>> SqliteStoreTx::list_latest_messages(RoomId room,
                                                                       std::size_t limit) {
  static const std::string kSql = std::string(kMessageSelect) +
                                  "WHERE m.room_id = ? AND m.deleted = 0 "
                                  "ORDER BY m.seq DESC LIMIT ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  s->bind(1, room.value).bind(2, static_cast<std::int64_t>(limit));
  KAIWA_ASSIGN_OR_RETURN(auto messages, fetch_all<core::Message>(*s, read_message));
  std::reverse(messages.begin(), messages.end());
  return messages;
}

// The messages table's rowid is the message id, so this is a range scan of the table itself.
Result<std::vector<core::Message>> SqliteStoreTx::list_all_messages_after(core::MessageId after,
                                                                          std::size_t limit) {
  static const std::string kSql =
      std::string(kMessageSelect) + "WHERE m.id > ? AND m.deleted = 0 ORDER BY m.id LIMIT ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  s->bind(1, after.value).bind(2, static_cast<std::int64_t>(limit));
  return fetch_all<core::Message>(*s, read_message);
}

// A history page reads only the room's slice of messages_room_seq (room_id, seq, deleted, with
// the rowid id beside them): the anchor id becomes a seq by one rowid lookup, then the page is an
// index range on seq, so it costs O(log n + limit) however long the room or busy the store.
// Filtering on id instead would not: no index leads with (room_id, id), so SQLite would scan the
// room's whole slice and sort it, or walk every room's messages in rowid order.
Result<ports::MessagePage> SqliteStoreTx::list_messages_page(
    RoomId room, const ports::MessagePageRequest& request) {
  if (request.before && request.after) {
    return core::Error::invalid_argument("Only one of before and after may be given");
  }
  constexpr std::int64_t kFirst = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kLast = std::numeric_limits<std::int64_t>::max();
  // One more than the page, to learn whether the room goes on past its far end.
  const std::size_t fetch = request.limit + 1;
  ports::MessagePage page;
  if (request.after) {
    KAIWA_ASSIGN_OR_RETURN(SeqSplit split, split_at(room, *request.after));
    KAIWA_ASSIGN_OR_RETURN(page.messages, list_messages_after(room, split.above - 1, fetch));
    page.has_more_after = page.messages.size() > request.limit;
    if (page.has_more_after) {
      page.messages.pop_back();
    }
    KAIWA_ASSIGN_OR_RETURN(page.has_more_before, has_live_messages(room, kFirst, split.above - 1));
    return page;
  }
  std::int64_t through = kLast;
  if (request.before) {
    KAIWA_ASSIGN_OR_RETURN(SeqSplit split, split_at(room, *request.before));
    through = split.below;
    KAIWA_ASSIGN_OR_RETURN(page.has_more_after, has_live_messages(room, split.below + 1, kLast));
  }
  static const std::string kSql = std::string(kMessageSelect) +
                                  "WHERE m.room_id = ? AND m.seq <= ? AND m.deleted = 0 "
                                  "ORDER BY m.seq DESC LIMIT ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  s->bind(1, room.value).bind(2, through).bind(3, static_cast<std::int64_t>(fetch));
  KAIWA_ASSIGN_OR_RETURN(page.messages, fetch_all<core::Message>(*s, read_message));
  page.has_more_before = page.messages.size() > request.limit;
  if (page.has_more_before) {
    page.messages.pop_back();
  }
  std::reverse(page.messages.begin(), page.messages.end());
  return page;
}

Result<SqliteStoreTx::SeqSplit> SqliteStoreTx::split_at(RoomId room, core::MessageId anchor) {
  // A message of this room stands at its own seq, deleted or not (a deleted row keeps its seq).
  KAIWA_ASSIGN_OR_RETURN(Statement * own,
                         prepare("SELECT seq FROM messages WHERE id = ? AND room_id = ?"));
  KAIWA_ASSIGN_OR_RETURN(bool is_own, own->bind(1, anchor.value).bind(2, room.value).step());
  if (is_own) {
    const std::int64_t seq = own->int64(0);
    own->reset();
    return SeqSplit{seq - 1, seq + 1};
  }
  // Any other id (unknown, or another room's) stands just after the room's last message with a
  // smaller id. Ids grow with seq within a room (the one writer assigns both in commit order), so
  // bisecting on seq finds that message with O(log n) seeks in the index, never a scan. Invariant:
  // the answer, or 0 when every message has a larger id, lies in [low, high].
  KAIWA_ASSIGN_OR_RETURN(Statement * last,
                         prepare("SELECT MAX(seq) FROM messages WHERE room_id = ?"));
  KAIWA_ASSIGN_OR_RETURN(std::int64_t high, fetch_int(last->bind(1, room.value)));
  std::int64_t low = 0;
  KAIWA_ASSIGN_OR_RETURN(Statement * probe,
                         prepare("SELECT seq, id FROM messages WHERE room_id = ? AND "
                                 "seq BETWEEN ? AND ? ORDER BY seq LIMIT 1"));
  while (low < high) {
    const std::int64_t mid = low + (high - low + 1) / 2;
    KAIWA_ASSIGN_OR_RETURN(bool has_row,
                           probe->reset().bind(1, room.value).bind(2, mid).bind(3, high).step());
    // The first message at or after mid: below the anchor, the answer is it or later; otherwise
    // (or with none up to high) every message from mid on has a larger id.
    if (has_row && probe->int64(1) < anchor.value) {
      low = probe->int64(0);
    } else {
      high = mid - 1;
    }
  }
  probe->reset();
  return SeqSplit{low, low + 1};
}

Result<bool> SqliteStoreTx::has_live_messages(RoomId room, std::int64_t from_seq,
                                              std::int64_t to_seq) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT EXISTS (SELECT 1 FROM messages WHERE room_id = ? AND "
                                 "seq BETWEEN ? AND ? AND deleted = 0)"));
  KAIWA_ASSIGN_OR_RETURN(std::int64_t found,
                         fetch_int(s->bind(1, room.value).bind(2, from_seq).bind(3, to_seq)));
  return found != 0;
}

Status SqliteStoreTx::update_message(const core::Message& message,
                                     const std::vector<AccountId>& mentioned) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("UPDATE messages SET body = ?, update_time = ? WHERE id = ? AND room_id = ?"));
  KAIWA_TRY(s->bind(1, message.body)
                .bind(2, message.update_time)
                .bind(3, message.id.value)
                .bind(4, message.room_id.value)
                .exec());
  KAIWA_ASSIGN_OR_RETURN(Statement * clear,
                         prepare("DELETE FROM mentions WHERE room_id = ? AND seq = ?"));
  KAIWA_TRY(clear->bind(1, message.room_id.value).bind(2, message.seq).exec());
  return insert_mentions(message, message.seq, mentioned);
}

Status SqliteStoreTx::delete_message(RoomId room, core::MessageId id) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("UPDATE messages SET deleted = 1, body = '' WHERE id = ? AND room_id = ? AND "
              "deleted = 0 RETURNING seq"));
  KAIWA_ASSIGN_OR_RETURN(bool has_row, s->bind(1, id.value).bind(2, room.value).step());
  if (!has_row) {
    return core::Error::not_found("Message not found");
  }
  std::int64_t seq = s->int64(0);
  s->reset();
  KAIWA_ASSIGN_OR_RETURN(Statement * clear,
                         prepare("DELETE FROM mentions WHERE room_id = ? AND seq = ?"));
  KAIWA_TRY(clear->bind(1, room.value).bind(2, seq).exec());
  KAIWA_ASSIGN_OR_RETURN(Statement * count,
                         prepare("UPDATE rooms SET message_num = message_num - 1 WHERE id = ?"));
  return count->bind(1, room.value).exec();
}

// --- Tasks

Result<core::TaskId> SqliteStoreTx::insert_task(const core::Task& task, std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO tasks (room_id, message_id, assignee_id, assigned_by_id, body, "
              "limit_time, limit_type, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  KAIWA_TRY(s->bind(1, task.room_id.value)
                .bind(2, task.message_id.value)
                .bind(3, task.assignee.id.value)
                .bind(4, task.assigned_by.id.value)
                .bind(5, task.body)
                .bind(6, task.limit_time)
                .bind(7, core::to_string(task.limit_type))
                .bind(8, core::to_string(task.status))
                .bind(9, now)
                .exec());
  core::TaskId id(connection_.last_insert_rowid());
  KAIWA_ASSIGN_OR_RETURN(Statement * count,
                         prepare("UPDATE rooms SET task_num = task_num + 1 WHERE id = ?"));
  KAIWA_TRY(count->bind(1, task.room_id.value).exec());
  return id;
}

Result<std::optional<core::Task>> SqliteStoreTx::find_task(RoomId room, core::TaskId id) {
  static const std::string kSql = std::string(kTaskSelect) + "WHERE t.id = ? AND t.room_id = ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_one<core::Task>(s->bind(1, id.value).bind(2, room.value), read_task);
}

Result<std::vector<core::Task>> SqliteStoreTx::query_tasks(std::string_view sql, std::int64_t key,
                                                           const ports::TaskFilter& filter) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(sql));
  s->bind(1, key).bind(2, core::to_string(filter.status));
  if (filter.assignee) {
    s->bind(3, filter.assignee->value);
  }
  if (filter.assigned_by) {
    s->bind(4, filter.assigned_by->value);
  }
  s->bind(5, static_cast<std::int64_t>(filter.limit));
  return fetch_all<core::Task>(*s, read_task);
}

Result<std::vector<core::Task>> SqliteStoreTx::list_room_tasks(RoomId room,
                                                               const ports::TaskFilter& filter) {
  static const std::string kSql = std::string(kTaskSelect) +
                                  "WHERE t.room_id = ?1 AND t.status = ?2 AND (?3 IS NULL OR "
                                  "t.assignee_id = ?3) AND (?4 IS NULL OR t.assigned_by_id = ?4) "
                                  "ORDER BY t.id LIMIT ?5";
  return query_tasks(kSql, room.value, filter);
}

Result<std::vector<core::Task>> SqliteStoreTx::list_account_tasks(const ports::TaskFilter& filter) {
  static const std::string kSql =
      std::string(kTaskSelect) +
      "WHERE t.assignee_id = ?1 AND t.status = ?2 AND (?3 IS NULL OR t.assignee_id = ?3) AND "
      "(?4 IS NULL OR t.assigned_by_id = ?4) AND EXISTS (SELECT 1 FROM memberships m WHERE "
      "m.room_id = t.room_id AND m.account_id = t.assignee_id) ORDER BY t.id LIMIT ?5";
  if (!filter.assignee) {
    return core::Error::internal("list_account_tasks needs an assignee");
  }
  return query_tasks(kSql, filter.assignee->value, filter);
}

Status SqliteStoreTx::set_task_status(core::TaskId id, core::TaskStatus status) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare("UPDATE tasks SET status = ? WHERE id = ?"));
  return s->bind(1, core::to_string(status)).bind(2, id.value).exec();
}

Status SqliteStoreTx::delete_tasks_of_assignee(RoomId room, AccountId assignee) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("DELETE FROM tasks WHERE room_id = ? AND assignee_id = ?"));
  KAIWA_TRY(s->bind(1, room.value).bind(2, assignee.value).exec());
  KAIWA_ASSIGN_OR_RETURN(
      Statement * count,
      prepare("UPDATE rooms SET task_num = (SELECT COUNT(*) FROM tasks WHERE room_id = ?1) "
              "WHERE id = ?1"));
  return count->bind(1, room.value).exec();
}

// --- Files

Result<core::FileId> SqliteStoreTx::insert_file(const core::File& file) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO files (room_id, message_id, account_id, filename, filesize, "
              "content_type, blob_key, upload_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  KAIWA_TRY(s->bind(1, file.room_id.value)
                .bind(2, file.message_id.value)
                .bind(3, file.uploader.id.value)
                .bind(4, file.filename)
                .bind(5, file.filesize)
                .bind(6, file.content_type)
                .bind(7, file.blob_key)
                .bind(8, file.upload_time)
                .exec());
  core::FileId id(connection_.last_insert_rowid());
  KAIWA_ASSIGN_OR_RETURN(Statement * count,
                         prepare("UPDATE rooms SET file_num = file_num + 1 WHERE id = ?"));
  KAIWA_TRY(count->bind(1, file.room_id.value).exec());
  return id;
}

Result<std::optional<core::File>> SqliteStoreTx::find_file(RoomId room, core::FileId id) {
  static const std::string kSql = std::string(kFileSelect) + "WHERE f.id = ? AND f.room_id = ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_one<core::File>(s->bind(1, id.value).bind(2, room.value), read_file);
}

Result<std::optional<core::File>> SqliteStoreTx::find_file_by_id(core::FileId id) {
  static const std::string kSql = std::string(kFileSelect) + "WHERE f.id = ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_one<core::File>(s->bind(1, id.value), read_file);
}

Result<std::vector<core::File>> SqliteStoreTx::list_files(RoomId room,
                                                          std::optional<AccountId> uploader,
                                                          std::size_t limit) {
  static const std::string kSql = std::string(kFileSelect) +
                                  "WHERE f.room_id = ?1 AND (?2 IS NULL OR f.account_id = ?2) "
                                  "ORDER BY f.id LIMIT ?3";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  s->bind(1, room.value);
  if (uploader) {
    s->bind(2, uploader->value);
  }
  s->bind(3, static_cast<std::int64_t>(limit));
  return fetch_all<core::File>(*s, read_file);
}

Status SqliteStoreTx::delete_files_of_uploader(RoomId room, AccountId uploader) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("DELETE FROM files WHERE room_id = ? AND account_id = ?"));
  KAIWA_TRY(s->bind(1, room.value).bind(2, uploader.value).exec());
  KAIWA_ASSIGN_OR_RETURN(
      Statement * count,
      prepare("UPDATE rooms SET file_num = (SELECT COUNT(*) FROM files WHERE room_id = ?1) "
              "WHERE id = ?1"));
  return count->bind(1, room.value).exec();
}

// --- Invitation links

Result<std::optional<core::RoomLink>> SqliteStoreTx::find_link(RoomId room) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s, prepare("SELECT room_id, code, description, need_acceptance FROM room_links "
                             "WHERE room_id = ?"));
  return fetch_one<core::RoomLink>(s->bind(1, room.value), read_link);
}

Result<std::optional<core::RoomLink>> SqliteStoreTx::find_link_by_code(std::string_view code) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("SELECT room_id, code, description, need_acceptance FROM room_links WHERE code = ?"));
  return fetch_one<core::RoomLink>(s->bind(1, code), read_link);
}

Status SqliteStoreTx::put_link(const core::RoomLink& link) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO room_links (room_id, code, description, need_acceptance) "
              "VALUES (?, ?, ?, ?) ON CONFLICT (room_id) DO UPDATE SET code = excluded.code, "
              "description = excluded.description, need_acceptance = excluded.need_acceptance"));
  auto put = s->bind(1, link.room_id.value)
                 .bind(2, link.code)
                 .bind(3, link.description)
                 .bind(4, std::int64_t{link.need_acceptance ? 1 : 0})
                 .exec();
  if (!put && put.error().is(core::ErrorCode::kConflict)) {
    return core::Error::conflict("This link code is already in use");
  }
  return put;
}

Status SqliteStoreTx::delete_link(RoomId room) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare("DELETE FROM room_links WHERE room_id = ?"));
  return s->bind(1, room.value).exec();
}

// --- Join requests

namespace {

// A request with its account's short form and organization, in read_join_request's order.
constexpr std::string_view kJoinRequestSelect =
    "SELECT j.id, j.room_id, j.created_at, a.id, a.name, a.avatar_image_url, a.chatwork_id, "
    "a.organization_id, o.name, a.department FROM join_requests j "
    "JOIN accounts a ON a.id = j.account_id JOIN organizations o ON o.id = a.organization_id ";

core::JoinRequest read_join_request(const Statement& row) {
  core::JoinRequest request;
  request.id = core::JoinRequestId(row.int64(0));
  request.room_id = RoomId(row.int64(1));
  request.requested_at = row.int64(2);
  request.account = read_account_mini(row, 3);
  request.account.chatwork_id = row.text(6);
  request.account.organization_id = core::OrganizationId(row.int64(7));
  request.account.organization_name = row.text(8);
  request.account.department = row.text(9);
  return request;
}

}  // namespace

Result<core::JoinRequestId> SqliteStoreTx::insert_join_request(RoomId room, AccountId account,
                                                               std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO join_requests (room_id, account_id, created_at) VALUES (?, ?, ?)"));
  auto inserted = s->bind(1, room.value).bind(2, account.value).bind(3, now).exec();
  if (!inserted) {
    if (inserted.error().is(core::ErrorCode::kConflict)) {
      return core::Error::conflict("A request to join this room is already pending");
    }
    return inserted.error();
  }
  return core::JoinRequestId(connection_.last_insert_rowid());
}

Result<std::optional<core::JoinRequest>> SqliteStoreTx::find_join_request(RoomId room,
                                                                          core::JoinRequestId id) {
  static const std::string kSql =
      std::string(kJoinRequestSelect) + "WHERE j.id = ? AND j.room_id = ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_one<core::JoinRequest>(s->bind(1, id.value).bind(2, room.value), read_join_request);
}

Result<std::optional<core::JoinRequest>> SqliteStoreTx::find_join_request_of(RoomId room,
                                                                             AccountId account) {
  static const std::string kSql =
      std::string(kJoinRequestSelect) + "WHERE j.room_id = ? AND j.account_id = ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_one<core::JoinRequest>(s->bind(1, room.value).bind(2, account.value),
                                      read_join_request);
}

Result<std::vector<core::JoinRequest>> SqliteStoreTx::list_join_requests(RoomId room,
                                                                         std::size_t limit) {
  static const std::string kSql =
      std::string(kJoinRequestSelect) + "WHERE j.room_id = ? ORDER BY j.id LIMIT ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  s->bind(1, room.value).bind(2, static_cast<std::int64_t>(limit));
  return fetch_all<core::JoinRequest>(*s, read_join_request);
}

Status SqliteStoreTx::delete_join_request(core::JoinRequestId id) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare("DELETE FROM join_requests WHERE id = ?"));
  return s->bind(1, id.value).exec();
}

Result<std::int64_t> SqliteStoreTx::count_members(RoomId room) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT COUNT(*) FROM memberships WHERE room_id = ?"));
  return fetch_int(s->bind(1, room.value));
}

// --- Settings

Result<std::optional<std::string>> SqliteStoreTx::find_setting(std::string_view key) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare("SELECT value FROM settings WHERE key = ?"));
  return fetch_one<std::string>(s->bind(1, key), [](const Statement& row) { return row.text(0); });
}

Status SqliteStoreTx::put_setting(std::string_view key, std::string_view value) {
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("INSERT INTO settings (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  return s->bind(1, key).bind(2, value).exec();
}

// --- Event log

namespace {

// The setting that remembers how far the log was pruned, so a resume token older than that is
// told to resync rather than silently missing what was pruned.
constexpr std::string_view kPrunedThroughKey = "event_log_pruned_through";

constexpr std::string_view kEventColumns =
    "e.pos, e.type, e.room_id, e.to_room_members, e.recipient_id, e.payload, e.created_at_ms";

core::Event read_event(const Statement& row) {
  core::Event event;
  event.pos = row.int64(0);
  event.type = row.text(1);
  event.room = RoomId(row.int64(2));
  event.to_room_members = row.int64(3) != 0;
  event.recipient = AccountId(row.int64(4));
  event.payload_json = row.text(5);
  event.created_at_ms = row.int64(6);
  return event;
}

}  // namespace

Result<std::int64_t> SqliteStoreTx::append_event(const core::Event& event) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("INSERT INTO events (type, room_id, to_room_members, recipient_id, payload, "
              "created_at_ms) VALUES (?, ?, ?, ?, ?, ?)"));
  KAIWA_TRY(s->bind(1, event.type)
                .bind(2, event.room.value)
                .bind(3, std::int64_t{event.to_room_members ? 1 : 0})
                .bind(4, event.recipient.value)
                .bind(5, event.payload_json)
                .bind(6, event.created_at_ms)
                .exec());
  return connection_.last_insert_rowid();
}

Result<std::vector<core::Event>> SqliteStoreTx::read_events(std::int64_t after, std::size_t limit) {
  static const std::string kSql = "SELECT " + std::string(kEventColumns) +
                                  " FROM events e WHERE e.pos > ? ORDER BY e.pos LIMIT ?";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_all<core::Event>(s->bind(1, after).bind(2, static_cast<std::int64_t>(limit)),
                                read_event);
}

// Walks the log by its primary key and keeps what the account may see; the membership test is
// a primary-key probe. Cost grows with the whole log since `after`, which stays small for the
// reconnects it serves; a resume from far back is bounded by retention (pruning).
Result<std::vector<core::Event>> SqliteStoreTx::read_account_events(AccountId account,
                                                                    std::int64_t after,
                                                                    std::int64_t through,
                                                                    std::size_t limit) {
  static const std::string kSql =
      "SELECT " + std::string(kEventColumns) +
      " FROM events e WHERE e.pos > ?1 AND e.pos <= ?2 AND (e.recipient_id = ?3 OR "
      "(e.to_room_members = 1 AND (EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = "
      "e.room_id AND m.account_id = ?3 AND m.joined_pos <= e.pos) OR EXISTS (SELECT 1 FROM "
      "membership_history h WHERE h.room_id = e.room_id AND h.account_id = ?3 AND "
      "h.joined_pos <= e.pos AND h.left_pos > e.pos)))) ORDER BY e.pos LIMIT ?4";
  KAIWA_ASSIGN_OR_RETURN(Statement * s, prepare(kSql));
  return fetch_all<core::Event>(s->bind(1, after)
                                    .bind(2, through)
                                    .bind(3, account.value)
                                    .bind(4, static_cast<std::int64_t>(limit)),
                                read_event);
}

Result<ports::EventLogBounds> SqliteStoreTx::event_log_bounds() {
  // AUTOINCREMENT keeps the highest position ever issued in sqlite_sequence, even once the
  // newest events are pruned.
  KAIWA_ASSIGN_OR_RETURN(Statement * s,
                         prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'"));
  ports::EventLogBounds bounds;
  KAIWA_ASSIGN_OR_RETURN(bounds.head, fetch_int(*s));  // 0 before the first event
  KAIWA_ASSIGN_OR_RETURN(auto pruned, find_setting(kPrunedThroughKey));
  bounds.pruned_through = pruned ? std::stoll(*pruned) : 0;
  return bounds;
}

Result<std::int64_t> SqliteStoreTx::prune_events(std::int64_t created_before_ms,
                                                 std::size_t max_events) {
  // Looks only at the oldest max_events rows, so a log with nothing old enough costs one short
  // index walk rather than a scan.
  KAIWA_ASSIGN_OR_RETURN(
      Statement * last,
      prepare("SELECT COALESCE(MAX(pos), 0), COUNT(*) FROM (SELECT pos, created_at_ms FROM "
              "events ORDER BY pos LIMIT ?) WHERE created_at_ms < ?"));
  using Span = std::pair<std::int64_t, std::int64_t>;  // (last position, count) to delete
  auto read_span = [](const Statement& row) { return Span(row.int64(0), row.int64(1)); };
  KAIWA_ASSIGN_OR_RETURN(
      auto found,
      fetch_one<Span>(
          last->bind(1, static_cast<std::int64_t>(max_events)).bind(2, created_before_ms),
          read_span));
  const auto [through, count] = found.value_or(Span(0, 0));
  if (count == 0) {
    return std::int64_t{0};
  }
  KAIWA_ASSIGN_OR_RETURN(Statement * erase, prepare("DELETE FROM events WHERE pos <= ?"));
  KAIWA_TRY(erase->bind(1, through).exec());
  const std::int64_t deleted = connection_.changes();
  // Memberships that ended inside the pruned part can no longer matter to a resume.
  KAIWA_ASSIGN_OR_RETURN(Statement * history,
                         prepare("DELETE FROM membership_history WHERE left_pos <= ?"));
  KAIWA_TRY(history->bind(1, through).exec());
  KAIWA_TRY(put_setting(kPrunedThroughKey, std::to_string(through)));
  return deleted;
}

Status SqliteStoreTx::set_membership_joined_pos(RoomId room, AccountId account, std::int64_t pos) {
  return update_membership(
      "UPDATE memberships SET joined_pos = ? WHERE room_id = ? AND account_id = ?", room, account,
      pos);
}

Status SqliteStoreTx::archive_membership(RoomId room, AccountId account, std::int64_t left_pos) {
  return update_membership(
      "INSERT OR REPLACE INTO membership_history (room_id, account_id, joined_pos, left_pos) "
      "SELECT room_id, account_id, joined_pos, ? FROM memberships WHERE room_id = ? AND "
      "account_id = ?",
      room, account, left_pos);
}

Result<std::vector<core::MembershipSpan>> SqliteStoreTx::list_membership_spans(
    AccountId account, std::int64_t ended_after) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("SELECT room_id, joined_pos, 9223372036854775807 FROM memberships WHERE "
              "account_id = ?1 UNION ALL SELECT room_id, joined_pos, left_pos FROM "
              "membership_history WHERE account_id = ?1 AND left_pos > ?2"));
  return fetch_all<core::MembershipSpan>(
      s->bind(1, account.value).bind(2, ended_after), [](const Statement& row) {
        return core::MembershipSpan{RoomId(row.int64(0)), row.int64(1), row.int64(2)};
      });
}

Result<std::vector<RoomId>> SqliteStoreTx::list_rooms_joined_by(AccountId account,
                                                                std::int64_t pos) {
  KAIWA_ASSIGN_OR_RETURN(
      Statement * s,
      prepare("SELECT room_id FROM memberships WHERE account_id = ?1 AND joined_pos <= ?2 "
              "UNION SELECT room_id FROM membership_history WHERE account_id = ?1 AND "
              "left_pos > ?2 AND joined_pos <= ?2"));
  return fetch_all<RoomId>(s->bind(1, account.value).bind(2, pos),
                           [](const Statement& row) { return RoomId(row.int64(0)); });
}

}  // namespace kaiwa::sqlite
