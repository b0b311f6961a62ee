// Chatwork-style fixed-window request budget (300 per 5 minutes), keyed by a token digest.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kaiwa::edge {

// Counts requests per key in fixed windows that start at a key's first request after the
// previous window ended, and answers with the numbers behind the X-RateLimit-* headers. Denied
// requests are not counted and never extend a window. Memory is bounded by the keys active in
// the last two windows: expired entries are swept opportunistically. Thread-safe; state is
// split over kShardCount independently locked shards so I/O threads rarely contend.
class RateLimiter {
 public:
  struct Decision {
    bool allowed;
    int limit;
    int remaining;            // Never negative; 0 on every denied request.
    std::int64_t reset_unix;  // When the current window ends (X-RateLimit-Reset).
  };

  // `limit` requests per `window`; a limit below 0 counts as 0 and a window below 1 s as 1 s.
  RateLimiter(int limit, std::chrono::seconds window);

  // Records one request for `key` at `now_unix` (taken as a parameter so tests need no clock).
  Decision hit(std::string_view key, std::int64_t now_unix);

  // Keys currently held, expired or not; for metrics and tests. Locks every shard in turn.
  [[nodiscard]] std::size_t tracked_key_count() const;

 private:
  static constexpr std::size_t kShardCount = 16;

  struct Window {
    std::int64_t start_unix;
    int count;
  };

  // Transparent hashing lets hit() look up a string_view without allocating a std::string.
  struct KeyHash {
    using is_transparent = void;  // NOLINT(readability-identifier-naming): name fixed by std.

    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };

  // Aligned to a cache line so that shards locked by different threads do not false-share.
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    // State below is protected by mutex.
    std::unordered_map<std::string, Window, KeyHash, std::equal_to<>> windows;
    std::int64_t next_sweep_unix = 0;
  };

  Shard& shard_for(std::string_view key);

  // Constant after construction.
  const int limit_;
  const std::int64_t window_seconds_;

  std::array<Shard, kShardCount> shards_;
};

}  // namespace kaiwa::edge
