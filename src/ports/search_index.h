// The message search index (design.md §6): fed from the event log by the indexer, queried by the
// search use case, which has already narrowed the rooms to those the caller may read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "core/search_query.h"

namespace kaiwa::ports {

// A message as the index holds it; text is its searchable text (notation tags removed).
struct IndexedMessage {
  core::MessageId id;
  core::RoomId room;
  core::AccountId sender;
  std::int64_t send_time = 0;
  std::int64_t update_time = 0;
  std::string text;
};

// One change to apply, in log order.
struct IndexChange {
  enum class Kind {
    kPut,            // add or replace `message`
    kRemoveMessage,  // drop message.id
    kRemoveRoom,     // drop every message of message.room
  };
  Kind kind = Kind::kPut;
  IndexedMessage message;
};

enum class SearchOrder { kNewest, kRelevance };

struct SearchRequest {
  core::SearchQuery query;
  // Never empty: the rooms to search, all readable by the caller.
  std::vector<core::RoomId> rooms;
  // Empty: any sender.
  std::vector<core::AccountId> senders;
  // Inclusive bounds on send_time (unix seconds).
  std::optional<std::int64_t> time_from;
  std::optional<std::int64_t> time_to;
  SearchOrder order = SearchOrder::kNewest;
  std::size_t offset = 0;
  std::size_t limit = 20;
};

// A piece of a snippet; the pieces in order give a stretch of the message's searchable text.
struct SnippetFragment {
  std::string text;
  bool match = false;
};

struct SearchHit {
  core::MessageId id;
  core::RoomId room;
  core::AccountId sender;
  std::int64_t send_time = 0;
  std::int64_t update_time = 0;
  std::int64_t score = 0;
  std::vector<SnippetFragment> snippet;
};

struct SearchResults {
  // Hits across all pages.
  std::int64_t total = 0;
  std::vector<SearchHit> hits;
};

// Implementations say their thread-safety; the embedded Groonga one is fully thread-safe.
class SearchIndex {
 public:
  virtual ~SearchIndex() = default;

  // The event position through which changes are applied; 0 for an empty index.
  virtual core::Result<std::int64_t> checkpoint() = 0;
  // Applies the changes in order, then records through_pos as the checkpoint. Every change is
  // idempotent, so re-applying what followed an older checkpoint (after a crash) converges to
  // the same index: no hit lost, none doubled. Errors: kUnavailable.
  virtual core::Status apply(std::span<const IndexChange> changes, std::int64_t through_pos) = 0;
  // Errors: kInvalidArgument (a query the engine rejects), kUnavailable.
  virtual core::Result<SearchResults> search(const SearchRequest& request) = 0;
  // Drops every message and resets the checkpoint to 0, to rebuild from the store: what is
  // applied until finish_rebuild() need not be searchable before it (so an engine may index it
  // in bulk at the end). Errors: kUnavailable.
  virtual core::Status start_rebuild() = 0;
  // Makes everything applied since start_rebuild() searchable and records through_pos as the
  // checkpoint. Errors: kUnavailable.
  virtual core::Status finish_rebuild(std::int64_t through_pos) = 0;
};

}  // namespace kaiwa::ports
