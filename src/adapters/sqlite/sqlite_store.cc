#include "adapters/sqlite/sqlite_store.h"

#include "adapters/sqlite/sqlite_migrations.h"
#include "adapters/sqlite/sqlite_store_tx.h"

namespace kaiwa::sqlite {
namespace {

// A generator that continues after the newest id in the store, whatever the clock says now.
core::SnowflakeGenerator resumed_generator(int node_id, core::MessageId last_issued) {
  core::SnowflakeGenerator generator(node_id);
  generator.resume_after(last_issued);
  return generator;
}

core::Status rollback_job(Connection& connection) {
  KAIWA_TRY(connection.exec("ROLLBACK TO job"));
  return connection.exec("RELEASE job");
}

}  // namespace

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const SqliteStoreOptions& options) {
  KAIWA_ASSIGN_OR_RETURN(auto writer, Connection::open(options.path, false));
  KAIWA_TRY(migrate(*writer));
  KAIWA_ASSIGN_OR_RETURN(Statement * newest, writer->prepare("SELECT MAX(id) FROM messages"));
  KAIWA_ASSIGN_OR_RETURN(bool has_row, newest->step());
  const core::MessageId last_issued(has_row ? newest->int64(0) : 0);
  newest->reset();
  return std::unique_ptr<SqliteStore>(new SqliteStore(options, std::move(writer), last_issued));
}

SqliteStore::SqliteStore(SqliteStoreOptions options, std::unique_ptr<Connection> writer,
                         core::MessageId last_issued)
    : options_(std::move(options)),
      writer_(std::move(writer)),
      message_ids_(resumed_generator(options_.node_id, last_issued)),
      writer_thread_([this] { writer_loop(); }) {}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_all();
  writer_thread_.join();
}

core::Status SqliteStore::run_write(const std::function<core::Status(ports::StoreTx&)>& fn) {
  std::promise<core::Status> outcome;
  std::future<core::Status> done = outcome.get_future();
  submit_write([&fn](ports::StoreTx& tx) { return fn(tx); },
               [&outcome](core::Status status) { outcome.set_value(std::move(status)); });
  return done.get();
}

void SqliteStore::submit_write(ports::WriteFn fn, ports::WriteDone done) {
  {
    std::lock_guard lock(queue_mutex_);
    if (!stopping_ && queue_.size() < options_.max_queued_writes) {
      queue_.push_back(WriteJob{std::move(fn), std::move(done)});
      queue_ready_.notify_one();
      return;
    }
  }
  // Shutting down, or so far behind that waiting would only grow memory: the caller answers 503.
  done(core::Error::unavailable("The store is not accepting writes"));
}

// Hands a write its outcome. A completion that throws (out of memory) must not take the writer
// thread, and with it every later write, down.
void SqliteStore::answer(WriteJob& job, core::Status outcome) {
  try {
    job.done(std::move(outcome));
  } catch (const std::exception&) {
    // The caller is already beyond reach; the write's own outcome stands in the store.
  }
}

void SqliteStore::writer_loop() {
  std::vector<WriteJob> batch;
  while (true) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and every queued write was answered
      }
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

void SqliteStore::commit_batch(std::vector<WriteJob>& batch) {
  auto fail_all = [&batch](const core::Error& error) {
    for (WriteJob& job : batch) {
      answer(job, error);
    }
  };
  core::Status begun = writer_->exec("BEGIN IMMEDIATE");
  if (!begun) {
    fail_all(begun.error());
    return;
  }
  SqliteStoreTx tx(*writer_, &message_ids_);
  std::vector<core::Status> outcomes;
  outcomes.reserve(batch.size());
  for (WriteJob& job : batch) {
    if (sqlite3_get_autocommit(writer_->handle()) != 0) {
      // SQLite rolled the whole transaction back by itself (disk full, I/O error, out of
      // memory): nothing of this batch will commit, so no later job may run outside it.
      outcomes.emplace_back(core::Error::unavailable("The write transaction was aborted"));
      continue;
    }
    core::Status outcome = writer_->exec("SAVEPOINT job");
    if (outcome) {
      try {
        outcome = job.fn(tx);
      } catch (const std::exception& e) {
        outcome = core::Error::internal(std::string("write failed: ") + e.what());
      }
      // A failed write leaves nothing behind; the others in the batch are unaffected.
      core::Status closed = outcome ? writer_->exec("RELEASE job") : rollback_job(*writer_);
      if (!closed && outcome) {
        outcome = closed;
      }
    }
    outcomes.push_back(std::move(outcome));
  }
  core::Status committed = writer_->exec("COMMIT");
  if (!committed) {
    static_cast<void>(writer_->exec_script("ROLLBACK"));
    fail_all(committed.error());
    return;
  }
  std::function<void()> listener;
  {
    std::lock_guard lock(queue_mutex_);
    commits_ += 1;
    committed_writes_ += batch.size();
    listener = commit_listener_;
  }
  if (listener) {
    listener();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    answer(batch[i], std::move(outcomes[i]));
  }
}

core::Status SqliteStore::run_read(const std::function<core::Status(ports::StoreTx&)>& fn) {
  KAIWA_ASSIGN_OR_RETURN(auto reader, acquire_reader());
  // One read transaction, so every query of fn sees the same committed snapshot.
  core::Status result = reader->exec("BEGIN");
  if (result) {
    SqliteStoreTx tx(*reader, nullptr);
    result = fn(tx);
    static_cast<void>(reader->exec("COMMIT"));
  }
  release_reader(std::move(reader));
  return result;
}

core::Result<std::unique_ptr<Connection>> SqliteStore::acquire_reader() {
  {
    std::unique_lock lock(readers_mutex_);
    const bool available = reader_released_.wait_for(lock, options_.reader_wait, [this] {
      return !idle_readers_.empty() || open_readers_ < options_.max_readers;
    });
    if (available && !idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
    open_readers_ += 1;  // a new one below the bound, or an extra after waiting
  }
  auto reader = Connection::open(options_.path, true);
  if (!reader) {
    std::lock_guard lock(readers_mutex_);
    open_readers_ -= 1;
    reader_released_.notify_one();
  }
  return reader;
}

void SqliteStore::release_reader(std::unique_ptr<Connection> reader) {
  std::unique_ptr<Connection> extra;  // closed outside the lock
  {
    std::lock_guard lock(readers_mutex_);
    if (open_readers_ > options_.max_readers) {
      open_readers_ -= 1;
      extra = std::move(reader);
    } else {
      idle_readers_.push_back(std::move(reader));
    }
  }
  reader_released_.notify_one();
}

void SqliteStore::set_commit_listener(std::function<void()> listener) {
  std::lock_guard lock(queue_mutex_);
  commit_listener_ = std::move(listener);
}

std::uint64_t SqliteStore::commits() const {
  std::lock_guard lock(queue_mutex_);
  return commits_;
}

std::size_t SqliteStore::open_readers() const {
  std::lock_guard lock(readers_mutex_);
  return open_readers_;
}

std::uint64_t SqliteStore::committed_writes() const {
  std::lock_guard lock(queue_mutex_);
  return committed_writes_;
}

}  // namespace kaiwa::sqlite
