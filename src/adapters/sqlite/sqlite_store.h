// The embedded store: one SQLite database in WAL mode inside the data directory.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sqlite/sqlite_connection.h"
#include "core/snowflake.h"
#include "ports/store.h"

namespace kaiwa::sqlite {

struct SqliteStoreOptions {
  std::string path;
  // Message id node (design.md §4); the embedded store is always a single node.
  int node_id = 0;
  // Upper bound on the writes one commit carries, so a burst cannot make one fsync wait forever.
  std::size_t max_batch = 512;
  // Writes that may wait for the writer; past it, writes fail at once with kUnavailable.
  std::size_t max_queued_writes = 100000;
  // Read connections kept open. Each holds its own parsed schema and page cache (hundreds of
  // KiB), and reads are short and CPU-bound, so more readers than a few per core only cost
  // memory: a burst of 64 handlers once left 36 readers open for good. A read that finds them
  // all busy waits up to reader_wait for one; past that it opens an extra reader (never a
  // deadlock, even for a read started inside another) that is closed when it is released.
  std::size_t max_readers = 8;
  std::chrono::milliseconds reader_wait{50};
};

// Thread-safe. Writes are queued to one writer thread, which runs every write queued so far inside
// one transaction, each under its own savepoint, and commits them with one fsync (group commit):
// a failing write rolls back alone, and every caller is answered only after the commit is durable.
// Reads run concurrently on a pool of read-only connections (WAL readers never block the writer).
class SqliteStore final : public ports::Store {
 public:
  // Opens the database, applies migrations and starts the writer thread.
  static core::Result<std::unique_ptr<SqliteStore>> open(const SqliteStoreOptions& options);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  core::Status run_read(const std::function<core::Status(ports::StoreTx&)>& fn) override;
  core::Status run_write(const std::function<core::Status(ports::StoreTx&)>& fn) override;
  void submit_write(ports::WriteFn fn, ports::WriteDone done) override;
  void set_commit_listener(std::function<void()> listener) override;

  // Sizes of the commits made so far (for metrics and the benchmark).
  std::uint64_t commits() const;
  std::uint64_t committed_writes() const;
  // Read connections open now, idle or in use.
  std::size_t open_readers() const;

 private:
  struct WriteJob {
    ports::WriteFn fn;
    ports::WriteDone done;
  };

  static void answer(WriteJob& job, core::Status outcome);

  SqliteStore(SqliteStoreOptions options, std::unique_ptr<Connection> writer,
              core::MessageId last_issued);
  void writer_loop();
  void commit_batch(std::vector<WriteJob>& batch);
  core::Result<std::unique_ptr<Connection>> acquire_reader();
  void release_reader(std::unique_ptr<Connection> reader);

  // Constant after construction.
  const SqliteStoreOptions options_;

  // Touched only by the writer thread.
  std::unique_ptr<Connection> writer_;
  core::SnowflakeGenerator message_ids_;

  // State below is protected by queue_mutex_.
  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<WriteJob> queue_;
  bool stopping_ = false;
  std::uint64_t commits_ = 0;
  std::uint64_t committed_writes_ = 0;
  std::function<void()> commit_listener_;

  // State below is protected by readers_mutex_.
  mutable std::mutex readers_mutex_;
  std::condition_variable reader_released_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  std::size_t open_readers_ = 0;  // idle or in use, extras included

  std::thread writer_thread_;
};

}  // namespace kaiwa::sqlite
