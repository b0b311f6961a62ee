// Tests for SqliteStore: migrations, group commit with per-write savepoints, durability of
// acknowledged writes, snapshot reads, and the ordering guarantees of message ids and events.
#include "adapters/sqlite/sqlite_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <latch>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/sqlite/sqlite_migrations.h"
#include "core/message.h"
#include "core/room.h"
#include "support/fake_clock.h"
#include "support/result_assertions.h"
#include "support/strings.h"
#include "support/temp_dir.h"

namespace kaiwa::sqlite {
namespace {

using test::fails_with;
using test::is_ok;
using test::must;

constexpr std::int64_t kNowMs = test::kDefaultTestUnixMs;

core::Event test_event(core::RoomId room) {
  core::Event event;
  event.type = "test";
  event.room = room;
  event.payload_json = "{}";
  event.created_at_ms = kNowMs;
  return event;
}

// An account and a group room it belongs to, inserted straight through StoreTx.
struct Seeded {
  core::AccountId author;
  core::AccountId reader;
  core::RoomId room;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.file("kaiwa.db").string(); }

  std::unique_ptr<SqliteStore> open_store(
      std::size_t max_readers = SqliteStoreOptions{}.max_readers) {
    SqliteStoreOptions options;
    options.path = path();
    options.max_readers = max_readers;
    return must(SqliteStore::open(options), "SqliteStore::open");
  }

  // Runs one query returning integers on a fresh read-only connection (outside the store).
  std::vector<std::int64_t> query_ints(const std::string& sql) const {
    auto connection = must(Connection::open(path(), true), "open");
    Statement* statement = must(connection->prepare(sql), "prepare");
    std::vector<std::int64_t> values;
    while (must(statement->step(), "step")) {
      values.push_back(statement->int64(0));
    }
    statement->reset();
    return values;
  }

  std::int64_t query_int(const std::string& sql) const {
    auto values = query_ints(sql);
    if (values.size() != 1) {
      throw std::runtime_error("expected one row from " + sql);
    }
    return values.front();
  }

  static std::optional<std::string> setting(ports::Store& store, const std::string& key) {
    return must(store.read([&](ports::StoreTx& tx) { return tx.find_setting(key); }),
                "find_setting");
  }

  static Seeded seed(ports::Store& store) {
    return must(store.write([](ports::StoreTx& tx) -> core::Result<Seeded> {
      KAIWA_ASSIGN_OR_RETURN(auto org, tx.insert_organization("Org", 0));
      KAIWA_ASSIGN_OR_RETURN(auto author, tx.insert_account(ports::NewAccount{
                                              org, "Author", "author@kaiwa.test", "", 0}));
      KAIWA_ASSIGN_OR_RETURN(auto reader, tx.insert_account(ports::NewAccount{
                                              org, "Reader", "reader@kaiwa.test", "", 0}));
      core::Room room;
      room.type = core::RoomType::kGroup;
      room.name = "Room";
      room.icon_preset = "group";
      KAIWA_ASSIGN_OR_RETURN(room.id, tx.insert_room(room, 0));
      KAIWA_TRY(
          tx.put_membership(core::Membership{room.id, author, core::Role::kAdmin, 0, 0, false}));
      KAIWA_TRY(
          tx.put_membership(core::Membership{room.id, reader, core::Role::kMember, 0, 0, false}));
      return Seeded{author, reader, room.id};
    }),
                "seed");
  }

  // Appends one message with a store-allocated id at now_ms; returns {id, seq}.
  static core::Result<std::pair<core::MessageId, std::int64_t>> insert_message(
      ports::Store& store, const Seeded& seeded, std::int64_t now_ms,
      std::vector<core::AccountId> mentioned = {}) {
    return store.write(
        [&](ports::StoreTx& tx) -> core::Result<std::pair<core::MessageId, std::int64_t>> {
          core::Message message;
          KAIWA_ASSIGN_OR_RETURN(message.id, tx.allocate_message_id(now_ms));
          message.room_id = seeded.room;
          message.account.id = seeded.author;
          message.body = "hello";
          message.send_time = now_ms / 1000;
          KAIWA_ASSIGN_OR_RETURN(std::int64_t seq, tx.insert_message(message, mentioned));
          return std::pair{message.id, seq};
        });
  }

  test::TempDir dir_;
};

// --- Migrations

TEST_F(SqliteStoreTest, MigrationsApplyOnAFreshDatabase) {
  auto store = open_store();
  EXPECT_EQ(query_ints("SELECT version FROM schema_migrations ORDER BY version"),
            (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  for (const char* table : {"organizations", "accounts", "api_tokens", "contacts",
                            "contact_requests", "rooms", "memberships", "messages", "mentions",
                            "tasks", "files", "room_links", "settings", "events"}) {
    EXPECT_EQ(query_int(std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
  }
}

TEST_F(SqliteStoreTest, ReadersStayWithinTheBoundAfterABurst) {
  auto store = open_store(2);
  // Six reads at once, each waiting until all six have started: more than the bound, so some
  // run on extra readers opened after the wait, and none deadlocks.
  constexpr int kReads = 6;
  std::latch all_started(kReads);
  std::vector<std::thread> threads;
  threads.reserve(kReads);
  std::atomic<int> succeeded{0};
  for (int i = 0; i < kReads; ++i) {
    threads.emplace_back([&] {
      const core::Status status = store->run_read([&](ports::StoreTx&) {
        all_started.arrive_and_wait();
        return core::ok();
      });
      succeeded += status ? 1 : 0;
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(succeeded.load(), kReads);
  EXPECT_EQ(store->open_readers(), 2u) << "the extras are closed when released";
}

TEST_F(SqliteStoreTest, AReadInsideAReadCompletesWithASingleReader) {
  auto store = open_store(1);
  bool inner_ran = false;
  const core::Status outer = store->run_read([&](ports::StoreTx&) {
    return store->run_read([&](ports::StoreTx&) {
      inner_ran = true;
      return core::ok();
    });
  });
  EXPECT_TRUE(outer);
  EXPECT_TRUE(inner_ran);
  EXPECT_EQ(store->open_readers(), 1u);
}

TEST_F(SqliteStoreTest, DatabaseIsInWalMode) {
  auto store = open_store();
  auto connection = must(Connection::open(path(), true), "open");
  Statement* statement = must(connection->prepare("PRAGMA journal_mode"), "prepare");
  ASSERT_TRUE(must(statement->step(), "step"));
  EXPECT_EQ(statement->text(0), "wal");
  statement->reset();
}

TEST_F(SqliteStoreTest, ReopeningIsIdempotentAndKeepsData) {
  {
    auto store = open_store();
    ASSERT_TRUE(is_ok(store->run_write(
        [](ports::StoreTx& tx) { return tx.put_setting("greeting", "こんにちは"); })));
  }
  for (int i = 0; i < 3; ++i) {
    auto store = open_store();
    EXPECT_EQ(setting(*store, "greeting"), std::optional<std::string>("こんにちは"));
  }
  EXPECT_EQ(query_ints("SELECT version FROM schema_migrations ORDER BY version"),
            (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
}

TEST_F(SqliteStoreTest, DatabaseFromANewerBinaryIsRefused) {
  { auto store = open_store(); }
  {
    auto connection = must(Connection::open(path(), false), "open");
    const std::string newer = std::to_string(latest_schema_version() + 1);
    const std::string insert = "INSERT INTO schema_migrations VALUES (" + newer + ", 0)";
    ASSERT_TRUE(is_ok(connection->exec_script(insert.c_str())));
  }
  SqliteStoreOptions options;
  options.path = path();
  EXPECT_TRUE(fails_with(SqliteStore::open(options), core::ErrorCode::kConflict));
}

// --- Store::write / Store::read result propagation

TEST_F(SqliteStoreTest, WriteReturnsTheValueOfItsFunction) {
  auto store = open_store();
  auto result = store->write([](ports::StoreTx& tx) -> core::Result<std::string> {
    KAIWA_TRY(tx.put_setting("k", "v"));
    return std::string("done");
  });
  ASSERT_TRUE(is_ok(result));
  EXPECT_EQ(*result, "done");
  EXPECT_EQ(setting(*store, "k"), std::optional<std::string>("v"));
}

TEST_F(SqliteStoreTest, WriteReturnsTheErrorOfItsFunctionAndKeepsNothing) {
  auto store = open_store();
  auto result = store->write([](ports::StoreTx& tx) -> core::Result<int> {
    KAIWA_TRY(tx.put_setting("k", "v"));
    KAIWA_TRY(tx.insert_organization("Doomed", 0));
    return core::Error::permission_denied("not allowed");
  });
  ASSERT_TRUE(fails_with(result, core::ErrorCode::kPermissionDenied));
  EXPECT_EQ(result.error().message, "not allowed");
  EXPECT_EQ(setting(*store, "k"), std::nullopt);
  EXPECT_EQ(query_int("SELECT COUNT(*) FROM organizations"), 0);
}

TEST_F(SqliteStoreTest, RunWriteReturnsTheStatusOfItsFunction) {
  auto store = open_store();
  EXPECT_TRUE(is_ok(store->run_write([](ports::StoreTx&) { return core::ok(); })));
  core::Status failed = store->run_write(
      [](ports::StoreTx&) -> core::Status { return core::Error::not_found("nothing here"); });
  ASSERT_TRUE(fails_with(failed, core::ErrorCode::kNotFound));
  EXPECT_EQ(failed.error().message, "nothing here");
}

TEST_F(SqliteStoreTest, ReadReturnsTheValueOrErrorOfItsFunction) {
  auto store = open_store();
  ASSERT_TRUE(is_ok(store->run_write([](ports::StoreTx& tx) { return tx.put_setting("k", "v"); })));
  auto value = store->read([](ports::StoreTx& tx) { return tx.find_setting("k"); });
  ASSERT_TRUE(is_ok(value));
  EXPECT_EQ(*value, std::optional<std::string>("v"));
  auto failed = store->read(
      [](ports::StoreTx&) -> core::Result<int> { return core::Error::unavailable("down"); });
  ASSERT_TRUE(fails_with(failed, core::ErrorCode::kUnavailable));
  EXPECT_EQ(failed.error().message, "down");
}

TEST_F(SqliteStoreTest, ReadTransactionsCannotWrite) {
  auto store = open_store();
  EXPECT_TRUE(
      fails_with(store->run_read([](ports::StoreTx& tx) { return tx.put_setting("k", "v"); }),
                 core::ErrorCode::kInternal));
  EXPECT_TRUE(
      fails_with(store->read([](ports::StoreTx& tx) { return tx.allocate_message_id(kNowMs); }),
                 core::ErrorCode::kInternal));
  EXPECT_EQ(setting(*store, "k"), std::nullopt);
}

TEST_F(SqliteStoreTest, ThrowingWriteFailsWithInternalAndKeepsNothing) {
  auto store = open_store();
  core::Status thrown = store->run_write([](ports::StoreTx& tx) -> core::Status {
    KAIWA_TRY(tx.put_setting("k", "v"));
    throw std::runtime_error("boom");
  });
  ASSERT_TRUE(fails_with(thrown, core::ErrorCode::kInternal));
  EXPECT_NE(thrown.error().message.find("boom"), std::string::npos);
  EXPECT_EQ(setting(*store, "k"), std::nullopt);
  // The writer thread survives and keeps committing.
  EXPECT_TRUE(
      is_ok(store->run_write([](ports::StoreTx& tx) { return tx.put_setting("k2", "v"); })));
  EXPECT_EQ(setting(*store, "k2"), std::optional<std::string>("v"));
}

TEST_F(SqliteStoreTest, ConstraintViolationBecomesConflict) {
  auto store = open_store();
  const Seeded seeded = seed(*store);
  static_cast<void>(seeded);
  auto duplicate = store->write([](ports::StoreTx& tx) {
    return tx.insert_account(
        ports::NewAccount{core::OrganizationId(1), "Again", "author@kaiwa.test", "", 0});
  });
  EXPECT_TRUE(fails_with(duplicate, core::ErrorCode::kConflict));
}

TEST_F(SqliteStoreTest, AccountByEmailIgnoresAsciiCaseAndPrefersAnExactMatch) {
  auto store = open_store();
  const Seeded seeded = seed(*store);
  static_cast<void>(seeded);
  auto find = [&](std::string_view email) {
    return must(store->read([&](ports::StoreTx& tx) { return tx.find_account_by_email(email); }),
                "find_account_by_email");
  };
  const auto author = find("author@kaiwa.test");
  ASSERT_TRUE(author.has_value());
  EXPECT_EQ(find("AUTHOR@Kaiwa.Test"), author);
  EXPECT_FALSE(find("nobody@kaiwa.test").has_value());
  // The unique constraint is case-sensitive, so two accounts may differ only in case.
  const auto shouting = must(store->write([](ports::StoreTx& tx) {
    return tx.insert_account(
        ports::NewAccount{core::OrganizationId(1), "Shouting", "AUTHOR@kaiwa.test", "", 0});
  }));
  EXPECT_EQ(find("AUTHOR@kaiwa.test"), shouting);
  EXPECT_EQ(find("author@kaiwa.test"), author);
  EXPECT_EQ(find("Author@kaiwa.test"), author);  // no exact match: the oldest
}

// --- Group commit

TEST_F(SqliteStoreTest, FailingWritesInABatchRollBackAloneWhileOthersCommit) {
  auto store = open_store();
  constexpr int kWriters = 32;

  // Hold the writer thread inside one write so the 32 below queue up behind it and are committed
  // together (the savepoint-per-write path). The test is correct whatever the batching turns
  // out to be; the hold only makes the interesting case the likely one.
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  core::Status blocker_status;
  std::thread blocker([&] {
    blocker_status = store->run_write([&](ports::StoreTx& tx) {
      entered.set_value();
      released.wait();
      return tx.put_setting("blocker", "1");
    });
  });
  entered.get_future().wait();

  std::vector<core::Result<std::int64_t>> results(kWriters, core::Error::internal("not run"));
  std::latch ready(kWriters);
  std::vector<std::thread> writers;
  writers.reserve(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      ready.count_down();
      results[static_cast<std::size_t>(i)] =
          store->write([i](ports::StoreTx& tx) -> core::Result<std::int64_t> {
            KAIWA_TRY(tx.put_setting(test::numbered("key-", i), test::numbered("value-", i)));
            KAIWA_TRY(tx.insert_organization(test::numbered("org-", i), 0));
            KAIWA_ASSIGN_OR_RETURN(std::int64_t pos, tx.append_event(test_event(core::RoomId(i))));
            if (i % 3 == 0) {
              return core::Error::invalid_argument(test::numbered("refused ", i));
            }
            return pos;
          });
    });
  }
  ready.wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release.set_value();
  for (std::thread& writer : writers) {
    writer.join();
  }
  blocker.join();
  ASSERT_TRUE(is_ok(blocker_status));

  int committed = 0;
  for (int i = 0; i < kWriters; ++i) {
    const std::string key = test::numbered("key-", i);
    const auto& result = results[static_cast<std::size_t>(i)];
    if (i % 3 == 0) {
      ASSERT_TRUE(fails_with(result, core::ErrorCode::kInvalidArgument)) << "writer " << i;
      EXPECT_EQ(result.error().message, test::numbered("refused ", i));
      EXPECT_EQ(setting(*store, key), std::nullopt) << "writer " << i;
    } else {
      ASSERT_TRUE(is_ok(result)) << "writer " << i;
      EXPECT_EQ(setting(*store, key), std::optional<std::string>(test::numbered("value-", i)));
      ++committed;
    }
  }
  EXPECT_EQ(committed, 21);
  EXPECT_EQ(query_int("SELECT COUNT(*) FROM organizations"), 21);
  EXPECT_EQ(query_int("SELECT COUNT(*) FROM organizations WHERE CAST(substr(name, 5) AS INTEGER) "
                      "% 3 = 0"),
            0);
  EXPECT_EQ(query_int("SELECT COUNT(*) FROM events"), 21);
  EXPECT_EQ(query_int("SELECT COUNT(*) FROM events WHERE room_id % 3 = 0"), 0);
  EXPECT_EQ(query_int("SELECT COUNT(*) FROM settings WHERE key LIKE 'key-%'"), 21);
}

TEST_F(SqliteStoreTest, OneCommitCarriesAtMostMaxBatchWrites) {
  SqliteStoreOptions options;
  options.path = path();
  options.max_batch = 4;
  auto store = must(SqliteStore::open(options), "SqliteStore::open");
  constexpr int kWriters = 32;
  std::vector<std::thread> writers;
  writers.reserve(kWriters);
  std::atomic<int> failures{0};
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      if (!store->run_write(
              [i](ports::StoreTx& tx) { return tx.put_setting(test::numbered("k", i), "v"); })) {
        ++failures;
      }
    });
  }
  for (std::thread& writer : writers) {
    writer.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store->committed_writes(), std::uint64_t{kWriters});
  EXPECT_GE(store->commits(), std::uint64_t{kWriters / 4});
  EXPECT_LE(store->commits(), std::uint64_t{kWriters});
  EXPECT_EQ(query_int("SELECT COUNT(*) FROM settings"), kWriters);
}

TEST_F(SqliteStoreTest, AcknowledgedWritesAreVisibleToTheNextRead) {
  auto store = open_store();
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 30;
  std::atomic<int> failed_writes{0};
  std::atomic<int> invisible_writes{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kWritesPerThread; ++n) {
        const std::string key = test::numbered(test::numbered("t", t, "-"), n);
        if (!store->run_write([&](ports::StoreTx& tx) { return tx.put_setting(key, key); })) {
          ++failed_writes;
          continue;
        }
        auto read = store->read([&](ports::StoreTx& tx) { return tx.find_setting(key); });
        if (!read || *read != std::optional<std::string>(key)) {
          ++invisible_writes;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failed_writes.load(), 0);
  EXPECT_EQ(invisible_writes.load(), 0);
  EXPECT_EQ(query_int("SELECT COUNT(*) FROM settings"), kThreads * kWritesPerThread);
}

TEST_F(SqliteStoreTest, AcknowledgedWritesSurviveReopen) {
  {
    auto store = open_store();
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(is_ok(store->run_write([i](ports::StoreTx& tx) {
        return tx.put_setting(test::numbered("k", i), std::to_string(i));
      })));
    }
  }
  auto store = open_store();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(setting(*store, test::numbered("k", i)),
              std::optional<std::string>(std::to_string(i)));
  }
}

TEST_F(SqliteStoreTest, ReadSeesOneSnapshotWhileAWriteCommits) {
  auto store = open_store();
  std::optional<std::string> before;
  std::optional<std::string> after;
  core::Status concurrent_write;
  ASSERT_TRUE(is_ok(store->run_read([&](ports::StoreTx& tx) -> core::Status {
    KAIWA_ASSIGN_OR_RETURN(before, tx.find_setting("k"));
    // A write commits (and is acknowledged) while this read transaction is open.
    std::thread writer([&] {
      concurrent_write =
          store->run_write([](ports::StoreTx& w) { return w.put_setting("k", "v"); });
    });
    writer.join();
    KAIWA_ASSIGN_OR_RETURN(after, tx.find_setting("k"));
    return core::ok();
  })));
  ASSERT_TRUE(is_ok(concurrent_write));
  EXPECT_EQ(before, std::nullopt);
  EXPECT_EQ(after, std::nullopt);
  EXPECT_EQ(setting(*store, "k"), std::optional<std::string>("v"));
}

// --- Ordering: event positions and message ids

TEST_F(SqliteStoreTest, EventPositionsStrictlyIncreaseInCommitOrder) {
  auto store = open_store();
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 20;
  constexpr int kEventsPerWrite = 3;
  std::vector<std::vector<std::int64_t>> positions(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kWritesPerThread; ++n) {
        auto written =
            store->write([&](ports::StoreTx& tx) -> core::Result<std::vector<std::int64_t>> {
              std::vector<std::int64_t> mine;
              for (int e = 0; e < kEventsPerWrite; ++e) {
                KAIWA_ASSIGN_OR_RETURN(std::int64_t pos,
                                       tx.append_event(test_event(core::RoomId(t))));
                mine.push_back(pos);
              }
              return mine;
            });
        if (!written) {
          ++failures;
          continue;
        }
        auto& out = positions[static_cast<std::size_t>(t)];
        out.insert(out.end(), written->begin(), written->end());
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  ASSERT_EQ(failures.load(), 0);

  std::set<std::int64_t> all;
  for (const auto& mine : positions) {
    ASSERT_EQ(mine.size(), std::size_t{kWritesPerThread} * kEventsPerWrite);
    // One thread's writes commit one after another, so its positions only grow; the events of
    // one write are adjacent.
    for (std::size_t i = 1; i < mine.size(); ++i) {
      EXPECT_LT(mine[i - 1], mine[i]);
      if (i % kEventsPerWrite != 0) {
        EXPECT_EQ(mine[i - 1] + 1, mine[i]);
      }
    }
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(all.size(), std::size_t{kThreads} * kWritesPerThread * kEventsPerWrite);
  const auto stored = query_ints("SELECT pos FROM events ORDER BY pos");
  EXPECT_EQ(std::vector<std::int64_t>(all.begin(), all.end()), stored);
  EXPECT_EQ(stored.front(), 1);
}

TEST_F(SqliteStoreTest, EventPositionsKeepIncreasingAcrossReopen) {
  std::int64_t first = 0;
  {
    auto store = open_store();
    for (int i = 0; i < 3; ++i) {
      first = must(store->write(
          [](ports::StoreTx& tx) { return tx.append_event(test_event(core::RoomId(1))); }));
    }
  }
  auto store = open_store();
  const std::int64_t second = must(store->write(
      [](ports::StoreTx& tx) { return tx.append_event(test_event(core::RoomId(1))); }));
  EXPECT_EQ(first, 3);
  EXPECT_EQ(second, 4);
}

TEST_F(SqliteStoreTest, MessageIdsIncreaseWithSeqUnderConcurrentWriters) {
  auto store = open_store();
  const Seeded seeded = seed(*store);
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kWritesPerThread; ++n) {
        // Callers read their clocks before queueing, so a write that commits later may carry an
        // earlier time; ids must still follow commit order.
        const std::int64_t now_ms = kNowMs + ((t * 37 + n * 11) % 50) - 25;
        if (!insert_message(*store, seeded, now_ms)) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  ASSERT_EQ(failures.load(), 0);
  const auto messages = must(store->read(
      [&](ports::StoreTx& tx) { return tx.list_messages_after(seeded.room, 0, 10'000); }));
  ASSERT_EQ(messages.size(), std::size_t{kThreads} * kWritesPerThread);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    EXPECT_EQ(messages[i].seq, static_cast<std::int64_t>(i) + 1);
    if (i > 0) {
      EXPECT_LT(messages[i - 1].id.value, messages[i].id.value) << "seq " << messages[i].seq;
    }
  }
  EXPECT_EQ(query_int("SELECT COUNT(DISTINCT id) FROM messages"), kThreads * kWritesPerThread);
  const core::Room room =
      *must(store->read([&](ports::StoreTx& tx) { return tx.find_room(seeded.room); }));
  EXPECT_EQ(room.last_seq, kThreads * kWritesPerThread);
  EXPECT_EQ(room.message_num, kThreads * kWritesPerThread);
}

TEST_F(SqliteStoreTest, MessageIdsKeepIncreasingWhenTheClockStepsBack) {
  auto store = open_store();
  const Seeded seeded = seed(*store);
  const auto later = must(insert_message(*store, seeded, kNowMs + 60'000));
  const auto earlier = must(insert_message(*store, seeded, kNowMs));
  EXPECT_EQ(later.second, 1);
  EXPECT_EQ(earlier.second, 2);
  EXPECT_LT(later.first.value, earlier.first.value);
}

// After a restart ids must not depend on the clock alone: a clock that reads earlier than before
// would yield lower ids (breaking "ids increase with seq"), and one reading the same millisecond
// would re-issue an existing id. The store resumes its generator after MAX(messages.id).
TEST_F(SqliteStoreTest, MessageIdsKeepIncreasingAcrossReopenWhenTheClockStepsBack) {
  std::pair<core::MessageId, std::int64_t> before;
  Seeded seeded;
  {
    auto store = open_store();
    seeded = seed(*store);
    before = must(insert_message(*store, seeded, kNowMs + 60'000));
  }
  auto store = open_store();
  auto after = insert_message(*store, seeded, kNowMs);
  ASSERT_TRUE(is_ok(after));
  EXPECT_EQ(after->second, before.second + 1);
  EXPECT_LT(before.first.value, after->first.value);
}

// Same cause: after a reopen, the first id of a millisecond that already holds a message must not
// collide with it.
TEST_F(SqliteStoreTest, MessageIdsStayUniqueAcrossReopenInTheSameMillisecond) {
  Seeded seeded;
  {
    auto store = open_store();
    seeded = seed(*store);
    ASSERT_TRUE(is_ok(insert_message(*store, seeded, kNowMs)));
  }
  auto store = open_store();
  EXPECT_TRUE(is_ok(insert_message(*store, seeded, kNowMs)));
}

// --- Counters as index ranges

TEST_F(SqliteStoreTest, UnreadCountsAreRangesOverLiveMessagesAndMentions) {
  auto store = open_store();
  const Seeded seeded = seed(*store);
  std::vector<core::MessageId> ids;
  for (int i = 1; i <= 5; ++i) {
    std::vector<core::AccountId> mentioned;
    if (i == 2 || i == 4) {
      mentioned.push_back(seeded.reader);
    }
    ids.push_back(must(insert_message(*store, seeded, kNowMs, mentioned)).first);
  }
  auto counts = [&] {
    return must(store->read(
        [&](ports::StoreTx& tx) { return tx.unread_counts(seeded.room, seeded.reader); }));
  };
  EXPECT_EQ(counts().unread_num, 5);
  EXPECT_EQ(counts().mention_num, 2);

  ASSERT_TRUE(is_ok(store->run_write(
      [&](ports::StoreTx& tx) { return tx.set_read_seq(seeded.room, seeded.reader, 2); })));
  EXPECT_EQ(counts().unread_num, 3);
  EXPECT_EQ(counts().mention_num, 1);

  ASSERT_TRUE(is_ok(store->run_write(
      [&](ports::StoreTx& tx) { return tx.delete_message(seeded.room, ids[3]); })));
  EXPECT_EQ(counts().unread_num, 2);
  EXPECT_EQ(counts().mention_num, 0);
  const core::Room room =
      *must(store->read([&](ports::StoreTx& tx) { return tx.find_room(seeded.room); }));
  EXPECT_EQ(room.message_num, 4);
  EXPECT_EQ(room.last_seq, 5);

  // Deleting twice is a not-found, and changes nothing.
  EXPECT_TRUE(fails_with(
      store->run_write([&](ports::StoreTx& tx) { return tx.delete_message(seeded.room, ids[3]); }),
      core::ErrorCode::kNotFound));
  EXPECT_EQ(counts().unread_num, 2);
}

}  // namespace
}  // namespace kaiwa::sqlite
