// The embedded search index: a Groonga database (libgroonga) in a directory of its own inside
// the data directory, with a bigram lexicon under NFKC normalization (design.md §6).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/groonga/groonga_query.h"
#include "ports/search_index.h"

struct _grn_ctx;  // NOLINT(bugprone-reserved-identifier): Groonga's own name
struct _grn_obj;  // NOLINT(bugprone-reserved-identifier)

namespace kaiwa::groonga {

struct GroongaOpenReport {
  // The database was not closed cleanly (kill -9, power loss): locks were cleared and the
  // lexicons rebuilt from the stored messages before the indexer replays from the checkpoint.
  bool recovered = false;
  // The database was unusable or of another schema, and was created anew (empty, checkpoint 0).
  bool recreated = false;
};

// Thread-safe: every call borrows a Groonga context of its own from a pool (contexts are not
// thread-safe; the database they share is), and writes are serialized. One process at a time
// may open a directory (an flock), so `kaiwa reindex` can tell whether a server holds it.
class GroongaSearchIndex final : public ports::SearchIndex {
 public:
  // Errors: kConflict when another process (or index object) holds the directory; kUnavailable
  // when Groonga cannot open or create the database.
  static core::Result<std::unique_ptr<GroongaSearchIndex>> open(
      const std::filesystem::path& directory);
  ~GroongaSearchIndex() override;
  GroongaSearchIndex(const GroongaSearchIndex&) = delete;
  GroongaSearchIndex& operator=(const GroongaSearchIndex&) = delete;

  const GroongaOpenReport& open_report() const { return report_; }

  core::Result<std::int64_t> checkpoint() override;
  core::Status apply(std::span<const ports::IndexChange> changes,
                     std::int64_t through_pos) override;
  core::Result<ports::SearchResults> search(const ports::SearchRequest& request) override;
  core::Status start_rebuild() override;
  core::Status finish_rebuild(std::int64_t through_pos) override;

 private:
  class ContextLease;

  GroongaSearchIndex(std::filesystem::path directory, int lock_fd);

  core::Status open_database();
  core::Status create_schema();
  core::Status recover();
  // Lexicons (the inverted indexes) are derived from the Messages columns: created over stored
  // rows, Groonga builds them statically, far faster than row by row.
  core::Status drop_lexicons(_grn_ctx* ctx);
  core::Status create_lexicons(_grn_ctx* ctx);
  // Runs one command on a context; returns its output (JSON). Errors: kInvalidArgument when
  // Groonga rejects a query or filter, kUnavailable otherwise.
  core::Result<std::string> run(_grn_ctx* ctx, std::string_view name, const CommandParams& params);
  core::Result<std::string> run(std::string_view name, const CommandParams& params);
  core::Status load_messages(_grn_ctx* ctx, std::span<const ports::IndexChange> puts);
  core::Status put_checkpoint(_grn_ctx* ctx, std::int64_t pos);
  core::Result<std::int64_t> read_checkpoint_row(_grn_ctx* ctx, std::string_view key);

  _grn_ctx* acquire_context();
  void release_context(_grn_ctx* ctx);

  std::filesystem::path directory_;
  int lock_fd_ = -1;
  _grn_ctx* owner_ = nullptr;  // the context that opened db_ and closes it
  _grn_obj* db_ = nullptr;
  GroongaOpenReport report_;

  std::mutex write_mutex_;  // one writer at a time: apply and the rebuild steps

  std::mutex contexts_mutex_;
  std::vector<_grn_ctx*> idle_contexts_;  // guarded by contexts_mutex_
};

}  // namespace kaiwa::groonga
