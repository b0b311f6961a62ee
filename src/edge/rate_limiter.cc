// Fixed-window rate limiting with sharded locks and opportunistic eviction.
#include "edge/rate_limiter.h"

#include <algorithm>

namespace kaiwa::edge {

RateLimiter::RateLimiter(int limit, std::chrono::seconds window)
    : limit_(std::max(limit, 0)), window_seconds_(std::max<std::int64_t>(window.count(), 1)) {}

RateLimiter::Shard& RateLimiter::shard_for(std::string_view key) {
  return shards_[KeyHash{}(key) % kShardCount];
}

RateLimiter::Decision RateLimiter::hit(std::string_view key, std::int64_t now_unix) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);

  // At most one sweep per window per shard keeps the amortised cost O(1) per hit while
  // dropping every key that has been idle for a full window.
  if (now_unix >= shard.next_sweep_unix) {
    std::erase_if(shard.windows, [&](const auto& entry) {
      return now_unix >= entry.second.start_unix + window_seconds_;
    });
    shard.next_sweep_unix = now_unix + window_seconds_;
  }

  auto it = shard.windows.find(key);
  if (it == shard.windows.end()) {
    it = shard.windows.emplace(std::string(key), Window{now_unix, 0}).first;
  } else if (now_unix >= it->second.start_unix + window_seconds_) {
    it->second = Window{now_unix, 0};
  }
  Window& window = it->second;
  const std::int64_t reset_unix = window.start_unix + window_seconds_;
  if (window.count >= limit_) {
    return Decision{false, limit_, 0, reset_unix};
  }
  ++window.count;
  return Decision{true, limit_, limit_ - window.count, reset_unix};
}

std::size_t RateLimiter::tracked_key_count() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.windows.size();
  }
  return total;
}

}  // namespace kaiwa::edge
