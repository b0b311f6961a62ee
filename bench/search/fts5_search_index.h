// The search benchmark's peer: ports::SearchIndex over one SQLite FTS5 table with the trigram
// tokenizer (SQLite 3.40, Debian 12), holding the text and the room, sender and times like the
// Groonga index does, so both engines answer the same requests with the same results shape.
// Trigram finds substrings of 3+ characters only; search_like() is the usual fallback for
// shorter words. Single connection: not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "core/result.h"
#include "ports/search_index.h"

struct sqlite3;
struct sqlite3_stmt;

namespace search_bench {

class Fts5SearchIndex final : public kaiwa::ports::SearchIndex {
 public:
  // Creates or opens the database file. Errors: kUnavailable.
  static kaiwa::core::Result<std::unique_ptr<Fts5SearchIndex>> open(
      const std::filesystem::path& file);

  ~Fts5SearchIndex() override;
  Fts5SearchIndex(const Fts5SearchIndex&) = delete;
  Fts5SearchIndex& operator=(const Fts5SearchIndex&) = delete;

  kaiwa::core::Result<std::int64_t> checkpoint() override;
  kaiwa::core::Status apply(std::span<const kaiwa::ports::IndexChange> changes,
                            std::int64_t through_pos) override;
  kaiwa::core::Result<kaiwa::ports::SearchResults> search(
      const kaiwa::ports::SearchRequest& request) override;
  // FTS5 has no bulk mode; the rebuild deletes every row and ends with an 'optimize' merge.
  kaiwa::core::Status start_rebuild() override;
  kaiwa::core::Status finish_rebuild(std::int64_t through_pos) override;

  // The same request answered with `text LIKE '%word%'` instead of MATCH: what an FTS5 deployment
  // falls back to for words under 3 characters. It reads every stored row.
  kaiwa::core::Result<kaiwa::ports::SearchResults> search_like(
      const kaiwa::ports::SearchRequest& request);

  // Bytes of the database file after checkpointing the WAL into it.
  kaiwa::core::Result<std::uint64_t> disk_bytes();

 private:
  Fts5SearchIndex(sqlite3* db, std::filesystem::path file);

  kaiwa::core::Status execute(const char* sql);
  kaiwa::core::Status put(const kaiwa::ports::IndexedMessage& message);
  kaiwa::core::Result<kaiwa::ports::SearchResults> run_search(
      const kaiwa::ports::SearchRequest& request, bool like);
  kaiwa::core::Status add_snippets(const std::string& match, kaiwa::ports::SearchResults& results);

  sqlite3* db_;
  std::filesystem::path file_;
  sqlite3_stmt* insert_ = nullptr;
};

}  // namespace search_bench
