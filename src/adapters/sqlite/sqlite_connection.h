// A thin RAII layer over one sqlite3 connection and its cached prepared statements.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

#include "core/result.h"

namespace kaiwa::sqlite {

// One prepared statement, reset on every use. Owned by its Connection.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Resets the statement and clears bindings, ready for a new execution.
  Statement& reset();
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_blob(int index, std::string_view value);
  Statement& bind_null(int index);

  // Advances to the next row: true when a row is available, false when done.
  core::Result<bool> step();
  // Runs a statement that returns no rows.
  core::Status exec();

  std::int64_t int64(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// Not thread-safe: one thread uses a connection at a time.
class Connection {
 public:
  // Opens (creating if needed) the database at path with Kaiwa's pragmas: WAL, synchronous=FULL
  // (a commit is on disk when it returns), foreign keys, a busy timeout.
  static core::Result<std::unique_ptr<Connection>> open(const std::string& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached statement for sql; the pointer stays valid for the connection's lifetime.
  core::Result<Statement*> prepare(std::string_view sql);
  // Runs one statement through the cache (transaction control on hot paths).
  core::Status exec(std::string_view sql);
  core::Status exec_script(const char* sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;

  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct CachedStatement {
    std::string sql;
    std::unique_ptr<Statement> statement;
  };

  sqlite3* db_;
  // Keyed by the address of the SQL text: callers pass literals or static strings, so a lookup
  // costs no allocation or hashing of the text; the stored copy guards against a reused address.
  std::unordered_map<const char*, CachedStatement> statements_;
};

// Maps an SQLite result code to Kaiwa's error codes (conventions.md: translate at the boundary).
core::Error to_error(sqlite3* db, int rc);

}  // namespace kaiwa::sqlite
