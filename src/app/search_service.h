// Use cases of message search (issue 4, design.md §6): keeping the index in step with the event
// log, rebuilding it from the store, and answering a member's query over its own rooms only.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "app/dependencies.h"
#include "core/account.h"
#include "ports/search_index.h"

namespace kaiwa::app {

struct SearchParams {
  static constexpr std::size_t kMaxLimit = 100;
  static constexpr std::size_t kMaxOffset = 10000;

  std::string query;
  // Empty: every room of the caller.
  std::vector<core::RoomId> rooms;
  // Empty: any sender.
  std::vector<core::AccountId> senders;
  std::optional<std::int64_t> time_from;
  std::optional<std::int64_t> time_to;
  ports::SearchOrder order = ports::SearchOrder::kNewest;
  std::size_t offset = 0;
  std::size_t limit = 20;
};

struct FoundMessage {
  ports::SearchHit hit;
  core::Account sender;
};

struct SearchAnswer {
  std::int64_t total = 0;
  bool has_more = false;
  std::vector<FoundMessage> hits;
};

// How far the index trails the event log.
struct IndexLag {
  std::int64_t indexed_through = 0;
  std::int64_t head = 0;
  // When the oldest event not yet indexed was recorded, 0 when none waits.
  std::int64_t oldest_waiting_ms = 0;
};

// Thread-safe for search() from any thread; index_step() and rebuild() are called by one thread
// at a time (the indexing loop, or `kaiwa reindex`).
class SearchService {
 public:
  static constexpr std::size_t kRebuildPage = 2000;
  static constexpr std::string_view kRebuildRequestedSetting = "search_rebuild_requested";
  static constexpr std::string_view kRebuildAnsweredSetting = "search_rebuild_answered";

  SearchService(Dependencies deps, ports::SearchIndex& index)
      : deps_(std::move(deps)), index_(index) {}

  // Indexes the events after the index's checkpoint, at most max_events of them, and returns how
  // many it consumed (0: caught up). An index that was never built, or whose checkpoint the
  // log's retention has passed, is rebuilt from the store first.
  core::Result<std::size_t> index_step(std::size_t max_events);
  // Empties the index and indexes every live message of the store, then resumes the log from
  // the head it read first (so changes made meanwhile are replayed, idempotently). Searches
  // answer kUnavailable until it is done. Returns the number of messages indexed.
  core::Result<std::int64_t> rebuild();
  core::Result<IndexLag> lag();

  // Rebuilds completed since start (metrics; lets `kaiwa reindex` callers see it happened).
  std::uint64_t rebuilds() const { return rebuilds_.load(std::memory_order_relaxed); }

  // Asks the process that holds the index (a running server) to rebuild it: `kaiwa reindex`
  // while a server runs. The request lives in the store, so it also survives a restart.
  static core::Status request_rebuild(ports::Store& store, std::int64_t now_ms);
  // Rebuilds if a request is pending that no rebuild has answered yet. Returns whether it did.
  core::Result<bool> rebuild_if_requested();

  // Errors: kInvalidArgument (the query's syntax, limits), kUnavailable (index rebuilding).
  // Rooms in params.rooms the caller is not a member of match nothing.
  core::Result<SearchAnswer> search(core::AccountId caller, const SearchParams& params);

 private:
  // Waits for the searches in flight (they hold rebuild_mutex_ shared).
  void set_rebuilding(bool rebuilding);
  core::Result<std::vector<core::RoomId>> readable_rooms(core::AccountId caller,
                                                         const std::vector<core::RoomId>& wanted);
  core::Result<std::vector<ports::IndexChange>> changes_of(const std::vector<core::Event>& events);

  Dependencies deps_;
  ports::SearchIndex& index_;
  // Searches hold it shared; a rebuild takes it to flip rebuilding_, so no search is still
  // reading when the rebuild empties the index, and none starts until it is whole again.
  std::shared_mutex rebuild_mutex_;
  bool rebuilding_ = false;     // guarded by rebuild_mutex_
  bool checked_built_ = false;  // touched only by the indexing thread
  std::atomic<std::uint64_t> rebuilds_{0};
};

}  // namespace kaiwa::app
