// TestApp: the real application stack of src/server/wiring.cc (SQLite store, OpenSSL crypto,
// local blob store, every use case) in a temp directory, with a FakeClock and helpers that set
// up organizations, accounts, contacts and group chats for use-case tests.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/crypto/openssl_crypto.h"
#include "adapters/files/local_blob_store.h"
#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/account_service.h"
#include "app/contact_service.h"
#include "app/dependencies.h"
#include "app/file_service.h"
#include "app/message_service.h"
#include "app/room_service.h"
#include "app/stream_service.h"
#include "app/task_service.h"
#include "core/room.h"
#include "ports/store.h"
#include "support/fake_clock.h"
#include "support/result_assertions.h"
#include "support/strings.h"
#include "support/temp_dir.h"

namespace kaiwa::test {

inline constexpr std::string_view kTestPublicUrl = "http://kaiwa.test";

struct TestAppOptions {
  std::int64_t max_upload_bytes = core::kDefaultMaxUploadBytes;
};

// Owns a temp data directory and everything built on it; members are declared in build order and
// destroyed in reverse, so the directory outlives the store. Thread-safe as its parts are (the
// helpers only call use cases and the store).
class TestApp {
 public:
  explicit TestApp(TestAppOptions options = {})
      : store_(open_store(dir_)),
        crypto_("test-signing-secret"),
        blobs_(dir_.path() / "files"),
        deps_{*store_,
              clock_,
              crypto_,
              blobs_,
              std::string(kTestPublicUrl),
              options.max_upload_bytes},
        accounts(deps_),
        contacts(deps_),
        rooms(deps_),
        messages(deps_),
        tasks(deps_),
        files(deps_),
        stream(deps_) {}

  TestApp(const TestApp&) = delete;
  TestApp& operator=(const TestApp&) = delete;

  sqlite::SqliteStore& store() { return *store_; }

  FakeClock& clock() { return clock_; }

  crypto::OpensslCrypto& crypto() { return crypto_; }

  const TempDir& dir() const { return dir_; }

  const app::Dependencies& deps() const { return deps_; }

  std::filesystem::path db_path() const { return dir_.file("kaiwa.db"); }

  std::filesystem::path blob_dir() const { return dir_.path() / "files"; }

  // --- Setting the scene

  core::OrganizationId create_org(std::string_view name = "Kaiwa Inc.") {
    return must(accounts.create_organization(name), "create_organization");
  }

  // An account without a password (hashing one is slow and no use case here needs it).
  core::AccountId create_account(core::OrganizationId org, std::string_view name) {
    std::string email(name);
    email += numbered("-", ++next_email_, "@kaiwa.test");
    return must(accounts.create_account(org, name, email, std::nullopt), "create_account")
        .account_id;
  }

  void make_contacts(core::AccountId a, core::AccountId b) {
    must(contacts.add_contact(a, b), "add_contact");
  }

  // A group chat created by `admin`, who is its admin with `admins`; `members` and `readonly`
  // join with those roles. Everyone but the creator starts with the creation notice unread.
  core::RoomId create_group(core::AccountId admin, std::vector<core::AccountId> members = {},
                            std::vector<core::AccountId> readonly = {},
                            std::vector<core::AccountId> admins = {},
                            std::string_view name = "Project room") {
    app::NewRoom request;
    request.name = std::string(name);
    request.members.admin_ids.push_back(admin);
    request.members.admin_ids.insert(request.members.admin_ids.end(), admins.begin(), admins.end());
    request.members.member_ids = std::move(members);
    request.members.readonly_ids = std::move(readonly);
    return must(rooms.create_room(admin, request), "create_room");
  }

  core::MessageId post(core::AccountId author, core::RoomId room, std::string_view body,
                       bool self_unread = false) {
    return must(messages.post_message(author, room, body, self_unread), "post_message");
  }

  // Appends n messages ("<prefix> 1".."<prefix> n") from author in one transaction: fast setup
  // for tests about long rooms.
  void append_many(core::AccountId author, core::RoomId room, int n,
                   std::string_view prefix = "message") {
    const std::int64_t now_ms = clock_.now_unix_ms();
    must(store_->run_write([&](ports::StoreTx& tx) -> core::Status {
      for (int i = 1; i <= n; ++i) {
        KAIWA_TRY(app::append_message(tx, room, author, numbered(std::string(prefix) + " ", i),
                                      false, now_ms));
      }
      return core::ok();
    }),
         "append_many");
  }

  // --- Looking at the stored state directly (not through the use case under test)

  core::Room room(core::RoomId id) {
    auto found =
        must(store_->read([&](ports::StoreTx& tx) { return tx.find_room(id); }), "find_room");
    if (!found) {
      throw std::runtime_error(numbered("room ", id.value, " does not exist"));
    }
    return *found;
  }

  bool room_exists(core::RoomId id) {
    return must(store_->read([&](ports::StoreTx& tx) { return tx.find_room(id); }), "find_room")
        .has_value();
  }

  std::optional<core::Membership> membership(core::RoomId room, core::AccountId account) {
    return must(store_->read([&](ports::StoreTx& tx) { return tx.find_membership(room, account); }),
                "find_membership");
  }

  ports::UnreadCounts counts(core::RoomId room, core::AccountId account) {
    return must(store_->read([&](ports::StoreTx& tx) { return tx.unread_counts(room, account); }),
                "unread_counts");
  }

  // Every live message of the room, oldest first.
  std::vector<core::Message> all_messages(core::RoomId room) {
    return must(store_->read(
                    [&](ports::StoreTx& tx) { return tx.list_messages_after(room, 0, 1'000'000); }),
                "list_messages_after");
  }

  // Rows of a table, optionally with a WHERE clause ("events", "messages WHERE room_id = 3"),
  // counted on a separate read-only connection.
  std::int64_t count_rows(std::string_view table) const { return count_rows_at(db_path(), table); }

  static std::int64_t count_rows_at(const std::filesystem::path& db, std::string_view table) {
    auto connection = must(sqlite::Connection::open(db.string(), true), "open connection");
    sqlite::Statement* statement =
        must(connection->prepare("SELECT COUNT(*) FROM " + std::string(table)), "prepare");
    if (!must(statement->step(), "step")) {
      return 0;
    }
    std::int64_t count = statement->int64(0);
    statement->reset();
    return count;
  }

  // Files in the blob directory (uploads that reached the disk).
  std::size_t blob_count() const {
    std::error_code ec;
    if (!std::filesystem::exists(blob_dir(), ec)) {
      return 0;
    }
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(blob_dir(), ec)) {
      if (entry.is_regular_file()) {
        ++n;
      }
    }
    return n;
  }

 private:
  static std::unique_ptr<sqlite::SqliteStore> open_store(const TempDir& dir) {
    sqlite::SqliteStoreOptions options;
    options.path = dir.file("kaiwa.db").string();
    return must(sqlite::SqliteStore::open(options), "SqliteStore::open");
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  crypto::OpensslCrypto crypto_;
  files::LocalBlobStore blobs_;
  app::Dependencies deps_;
  std::atomic<int> next_email_{0};

 public:
  // The use cases, wired to the parts above (public: tests call them directly).
  app::AccountService accounts;
  app::ContactService contacts;
  app::RoomService rooms;
  app::MessageService messages;
  app::TaskService tasks;
  app::FileService files;
  app::StreamService stream;
};

}  // namespace kaiwa::test
