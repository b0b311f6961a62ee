#include "adapters/sqlite/sqlite_connection.h"

#include <mutex>

namespace kaiwa::sqlite {

core::Error to_error(sqlite3* db, int rc) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return core::Error::conflict(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return core::Error::unavailable(message);
    default:
      return core::Error::internal(message);
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view value) {
  sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

core::Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  core::Error error = to_error(db_, rc);
  sqlite3_reset(stmt_);
  return error;
}

core::Status Statement::exec() {
  auto stepped = step();
  if (!stepped) {
    return stepped.error();
  }
  return core::ok();
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) {
    return {};
  }
  return {data, static_cast<std::size_t>(size)};
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

namespace {

// Process-wide settings, applied once before the first connection opens. Memory statistics take
// a global mutex on every allocation; Kaiwa never reads them.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

core::Result<std::unique_ptr<Connection>> Connection::open(const std::string& path,
                                                           bool read_only) {
  configure_sqlite_once();
  sqlite3* db = nullptr;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    core::Error error = to_error(db, rc);
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<Connection> connection(new Connection(db));
  sqlite3_busy_timeout(db, 5000);
  const char* pragmas = read_only ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                    " PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=4000;";
  KAIWA_TRY(connection->exec_script(pragmas));
  return connection;
}

Connection::~Connection() {
  statements_.clear();
  sqlite3_close(db_);
}

core::Result<Statement*> Connection::prepare(std::string_view sql) {
  auto found = statements_.find(sql.data());
  if (found != statements_.end() && found->second.sql == sql) {
    return &found->second.statement->reset();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return to_error(db_, rc);
  }
  auto statement = std::make_unique<Statement>(db_, stmt);
  Statement* raw = statement.get();
  statements_[sql.data()] = CachedStatement{std::string(sql), std::move(statement)};
  return raw;
}

core::Status Connection::exec(std::string_view sql) {
  KAIWA_ASSIGN_OR_RETURN(Statement * statement, prepare(sql));
  core::Status done = statement->exec();
  statement->reset();
  return done;
}

core::Status Connection::exec_script(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    core::Error error = to_error(db_, rc);
    error.message = text;
    return error;
  }
  return core::ok();
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Connection::changes() const { return sqlite3_changes(db_); }

}  // namespace kaiwa::sqlite
