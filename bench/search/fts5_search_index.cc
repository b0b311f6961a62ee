// FTS5 settings follow what a deployment would pick for a rebuildable index: WAL with
// synchronous=NORMAL (no fsync per commit, like Groonga, which never fsyncs on apply), a 64 MiB
// page cache and memory-mapped reads, default automerge. Room, sender and times are UNINDEXED
// columns of the FTS5 table itself, so a search reads them from the content row of each match.
#include "search/fts5_search_index.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sqlite3.h>

namespace search_bench {
namespace {

using kaiwa::core::Error;
using kaiwa::core::Result;
using kaiwa::core::Status;
using kaiwa::ports::IndexChange;
using kaiwa::ports::SearchHit;
using kaiwa::ports::SearchRequest;
using kaiwa::ports::SearchResults;

// Snippet markers: control characters that cannot occur in message text.
constexpr char kMatchOpen = '\x01';
constexpr char kMatchClose = '\x02';

Error sqlite_error(sqlite3* db, std::string_view what) {
  return Error::unavailable(std::string(what) + ": " + sqlite3_errmsg(db));
}

// One prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }

  ~Statement() { sqlite3_finalize(stmt_); }

  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  [[nodiscard]] bool ok() const { return rc_ == SQLITE_OK; }

  [[nodiscard]] sqlite3_stmt* get() const { return stmt_; }

  void bind(int index, std::int64_t value) const { sqlite3_bind_int64(stmt_, index, value); }

  void bind(int index, std::string_view text) const {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() const { return sqlite3_step(stmt_); }

  void reset() const {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  [[nodiscard]] std::int64_t column_int(int column) const {
    return sqlite3_column_int64(stmt_, column);
  }

  [[nodiscard]] std::string_view column_text(int column) const {
    const auto* text = sqlite3_column_text(stmt_, column);
    const int bytes = sqlite3_column_bytes(stmt_, column);
    return text == nullptr ? std::string_view{}
                           : std::string_view(reinterpret_cast<const char*>(text),
                                              static_cast<std::size_t>(bytes));
  }

  [[nodiscard]] Error error(std::string_view what) const { return sqlite_error(db_, what); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

// An FTS5 string literal: the text in double quotes, inner quotes doubled. A quoted string
// is a phrase, which the trigram tokenizer matches as a substring.
std::string fts5_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
  return out;
}

// core::SearchQuery as an FTS5 MATCH expression: clauses ANDed, alternatives ORed, exclusions
// with NOT (FTS5's NOT is binary and binds tightest, so "a AND b NOT c" is (a AND b) minus c).
std::string match_expression(const kaiwa::core::SearchQuery& query) {
  std::string out;
  for (const auto& clause : query.required) {
    if (!out.empty()) {
      out += " AND ";
    }
    out += '(';
    for (std::size_t i = 0; i < clause.alternatives.size(); ++i) {
      out += i == 0 ? "" : " OR ";
      out += fts5_quoted(clause.alternatives[i]);
    }
    out += ')';
  }
  for (const auto& word : query.excluded) {
    out += " NOT " + fts5_quoted(word);
  }
  return out;
}

// A LIKE pattern that finds `text` anywhere, with the ESCAPE '\' convention.
std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  out += '%';
  return out;
}

template <typename Id>
std::string id_list(const std::vector<Id>& ids) {
  std::string out;
  for (const Id id : ids) {
    out += out.empty() ? "" : ",";
    out += std::to_string(id.value);
  }
  return out;
}

// The WHERE clause without the text condition; numbers are written inline (they are ids),
// strings are bound from parameter 3 on by the caller.
std::string filter_clause(const SearchRequest& request) {
  std::string out = " AND room IN (" + id_list(request.rooms) + ")";
  if (!request.senders.empty()) {
    out += " AND sender IN (" + id_list(request.senders) + ")";
  }
  if (request.time_from) {
    out += " AND send_time >= " + std::to_string(*request.time_from);
  }
  if (request.time_to) {
    out += " AND send_time <= " + std::to_string(*request.time_to);
  }
  return out;
}

// SQLite's LIKE is ASCII-case-insensitive, so the fallback needs one LIKE per alternative and a
// NOT LIKE per exclusion. The ESCAPE clause is load-bearing: without it FTS5 takes the LIKE
// constraint into its trigram index, and a pattern under 3 characters then matches no row at
// all (SQLite 3.40.1) instead of falling back to a scan.
std::string like_condition(const kaiwa::core::SearchQuery& query,
                           std::vector<std::string>& patterns) {
  std::string out;
  for (const auto& clause : query.required) {
    out += out.empty() ? "(" : " AND (";
    for (std::size_t i = 0; i < clause.alternatives.size(); ++i) {
      patterns.push_back(like_pattern(clause.alternatives[i]));
      out += i == 0 ? "" : " OR ";
      out += "text LIKE ?" + std::to_string(patterns.size() + 2) + " ESCAPE '\\'";
    }
    out += ')';
  }
  for (const auto& word : query.excluded) {
    patterns.push_back(like_pattern(word));
    out += " AND text NOT LIKE ?" + std::to_string(patterns.size() + 2) + " ESCAPE '\\'";
  }
  return out;
}

// Splits snippet() output at the markers into fragments.
std::vector<kaiwa::ports::SnippetFragment> fragments(std::string_view snippet) {
  std::vector<kaiwa::ports::SnippetFragment> out;
  bool match = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= snippet.size(); ++i) {
    if (i == snippet.size() || snippet[i] == kMatchOpen || snippet[i] == kMatchClose) {
      if (i > start) {
        out.push_back({std::string(snippet.substr(start, i - start)), match});
      }
      if (i < snippet.size()) {
        match = snippet[i] == kMatchOpen;
      }
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Fts5SearchIndex>> Fts5SearchIndex::open(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Error error = sqlite_error(db, "open " + file.string());
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<Fts5SearchIndex> index(new Fts5SearchIndex(db, file));
  KAIWA_TRY(index->execute(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
      " PRAGMA mmap_size=68719476736;"
      " CREATE VIRTUAL TABLE IF NOT EXISTS messages USING fts5(text, room UNINDEXED,"
      "   sender UNINDEXED, send_time UNINDEXED, update_time UNINDEXED, tokenize='trigram');"
      " CREATE TABLE IF NOT EXISTS checkpoint(id INTEGER PRIMARY KEY CHECK (id = 1), pos INTEGER);"
      " INSERT OR IGNORE INTO checkpoint VALUES (1, 0);"));
  // Prepared once: a prepare per row would cost about as much as the insert.
  if (sqlite3_prepare_v2(db,
                         "INSERT OR REPLACE INTO messages(rowid, text, room, sender, send_time,"
                         " update_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                         -1, &index->insert_, nullptr) != SQLITE_OK) {
    return sqlite_error(db, "prepare insert");
  }
  return index;
}

Fts5SearchIndex::Fts5SearchIndex(sqlite3* db, std::filesystem::path file)
    : db_(db), file_(std::move(file)) {}

Fts5SearchIndex::~Fts5SearchIndex() {
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

Status Fts5SearchIndex::execute(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return sqlite_error(db_, sql);
  }
  return {};
}

Result<std::int64_t> Fts5SearchIndex::checkpoint() {
  const Statement select(db_, "SELECT pos FROM checkpoint");
  if (!select.ok() || select.step() != SQLITE_ROW) {
    return select.error("read checkpoint");
  }
  return select.column_int(0);
}

Status Fts5SearchIndex::put(const kaiwa::ports::IndexedMessage& message) {
  sqlite3_bind_int64(insert_, 1, message.id.value);
  sqlite3_bind_text(insert_, 2, message.text.data(), static_cast<int>(message.text.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int64(insert_, 3, message.room.value);
  sqlite3_bind_int64(insert_, 4, message.sender.value);
  sqlite3_bind_int64(insert_, 5, message.send_time);
  sqlite3_bind_int64(insert_, 6, message.update_time);
  const int rc = sqlite3_step(insert_);
  sqlite3_reset(insert_);
  if (rc != SQLITE_DONE) {
    return sqlite_error(db_, "insert");
  }
  return {};
}

Status Fts5SearchIndex::apply(std::span<const IndexChange> changes, std::int64_t through_pos) {
  KAIWA_TRY(execute("BEGIN"));
  Status status;
  for (const IndexChange& change : changes) {
    if (change.kind == IndexChange::Kind::kPut) {
      status = put(change.message);
    } else {
      const bool room = change.kind == IndexChange::Kind::kRemoveRoom;
      const Statement remove(db_, room ? "DELETE FROM messages WHERE room = ?1"
                                       : "DELETE FROM messages WHERE rowid = ?1");
      remove.bind(1, room ? change.message.room.value : change.message.id.value);
      if (remove.step() != SQLITE_DONE) {
        status = remove.error("delete");
      }
    }
    if (!status) {
      break;
    }
  }
  if (status) {
    const Statement update(db_, "UPDATE checkpoint SET pos = ?1");
    update.bind(1, through_pos);
    if (update.step() != SQLITE_DONE) {
      status = update.error("write checkpoint");
    }
  }
  if (!status) {
    (void)execute("ROLLBACK");
    return status;
  }
  return execute("COMMIT");
}

Result<SearchResults> Fts5SearchIndex::search(const SearchRequest& request) {
  return run_search(request, false);
}

Result<SearchResults> Fts5SearchIndex::search_like(const SearchRequest& request) {
  return run_search(request, true);
}

// One statement finds the page and, through a window count, the total; ORDER BY send_time
// must see every match in the rooms before the first row, as the Groonga side's sort does.
Result<SearchResults> Fts5SearchIndex::run_search(const SearchRequest& request, bool like) {
  const std::string match = match_expression(request.query);
  std::vector<std::string> patterns;
  const std::string text_condition =
      like ? like_condition(request.query, patterns) : "messages MATCH ?3";
  const char* order =
      request.order == kaiwa::ports::SearchOrder::kNewest ? "send_time DESC" : "rank";
  const std::string sql =
      "SELECT rowid, room, sender, send_time, update_time, count(*) OVER () FROM messages WHERE " +
      text_condition + filter_clause(request) + " ORDER BY " + order + " LIMIT ?1 OFFSET ?2";
  const Statement select(db_, sql);
  if (!select.ok()) {
    return select.error("prepare search");
  }
  select.bind(1, static_cast<std::int64_t>(request.limit));
  select.bind(2, static_cast<std::int64_t>(request.offset));
  if (like) {
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      select.bind(static_cast<int>(i) + 3, patterns[i]);
    }
  } else {
    select.bind(3, match);
  }
  SearchResults results;
  int rc = 0;
  while ((rc = select.step()) == SQLITE_ROW) {
    SearchHit hit;
    hit.id = kaiwa::core::MessageId(select.column_int(0));
    hit.room = kaiwa::core::RoomId(select.column_int(1));
    hit.sender = kaiwa::core::AccountId(select.column_int(2));
    hit.send_time = select.column_int(3);
    hit.update_time = select.column_int(4);
    results.total = select.column_int(5);
    results.hits.push_back(std::move(hit));
  }
  if (rc != SQLITE_DONE) {
    return select.error("search");
  }
  // LIKE has no match positions for snippet(); the fallback returns hits without them.
  if (!like) {
    KAIWA_TRY(add_snippets(match, results));
  }
  return results;
}

// snippet() in the page query would run for every match before the sort keeps 20, so the page's
// snippets are asked for afterwards, one rowid-bounded MATCH each.
Status Fts5SearchIndex::add_snippets(const std::string& match, SearchResults& results) {
  if (results.hits.empty()) {
    return {};
  }
  const Statement select(db_,
                         "SELECT snippet(messages, 0, char(1), char(2), '…', 16) FROM messages"
                         " WHERE messages MATCH ?1 AND rowid = ?2");
  if (!select.ok()) {
    return select.error("prepare snippet");
  }
  for (SearchHit& hit : results.hits) {
    select.bind(1, std::string_view(match));
    select.bind(2, hit.id.value);
    if (select.step() == SQLITE_ROW) {
      hit.snippet = fragments(select.column_text(0));
    }
    select.reset();
  }
  return {};
}

Status Fts5SearchIndex::start_rebuild() {
  return execute("DELETE FROM messages; UPDATE checkpoint SET pos = 0;");
}

Status Fts5SearchIndex::finish_rebuild(std::int64_t through_pos) {
  KAIWA_TRY(execute("INSERT INTO messages(messages) VALUES ('optimize')"));
  const Statement update(db_, "UPDATE checkpoint SET pos = ?1");
  update.bind(1, through_pos);
  if (update.step() != SQLITE_DONE) {
    return update.error("write checkpoint");
  }
  return {};
}

Result<std::uint64_t> Fts5SearchIndex::disk_bytes() {
  KAIWA_TRY(execute("PRAGMA wal_checkpoint(TRUNCATE)"));
  std::error_code error;
  std::uint64_t bytes = std::filesystem::file_size(file_, error);
  if (error) {
    return Error::unavailable("stat " + file_.string() + ": " + error.message());
  }
  const auto wal = std::filesystem::path(file_.string() + "-wal");
  if (std::filesystem::exists(wal, error)) {
    bytes += std::filesystem::file_size(wal, error);
  }
  return bytes;
}

}  // namespace search_bench
