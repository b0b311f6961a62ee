// Tests for RateLimiter: Chatwork's fixed window, header numbers, eviction, concurrent use.
#include "edge/rate_limiter.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace kaiwa::edge {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;

TEST(RateLimiterTest, CountsDownRemainingWithinWindow) {
  RateLimiter limiter(3, std::chrono::seconds(300));
  const auto first = limiter.hit("token", kT0);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.limit, 3);
  EXPECT_EQ(first.remaining, 2);
  EXPECT_EQ(first.reset_unix, kT0 + 300);

  const auto second = limiter.hit("token", kT0 + 10);
  EXPECT_TRUE(second.allowed);
  EXPECT_EQ(second.remaining, 1);
  EXPECT_EQ(second.reset_unix, kT0 + 300);  // The window is anchored at the first request.

  const auto third = limiter.hit("token", kT0 + 20);
  EXPECT_TRUE(third.allowed);
  EXPECT_EQ(third.remaining, 0);
}

TEST(RateLimiterTest, DeniesOverLimitWithZeroRemaining) {
  RateLimiter limiter(2, std::chrono::seconds(300));
  limiter.hit("token", kT0);
  limiter.hit("token", kT0);
  for (int i = 0; i < 5; ++i) {
    const auto denied = limiter.hit("token", kT0 + 1);
    EXPECT_FALSE(denied.allowed);
    EXPECT_EQ(denied.limit, 2);
    EXPECT_EQ(denied.remaining, 0);
    EXPECT_EQ(denied.reset_unix, kT0 + 300);
  }
}

TEST(RateLimiterTest, DeniedRequestsDoNotExtendWindow) {
  RateLimiter limiter(1, std::chrono::seconds(300));
  limiter.hit("token", kT0);
  EXPECT_FALSE(limiter.hit("token", kT0 + 299).allowed);
  const auto after_reset = limiter.hit("token", kT0 + 300);
  EXPECT_TRUE(after_reset.allowed);
  EXPECT_EQ(after_reset.remaining, 0);
  EXPECT_EQ(after_reset.reset_unix, kT0 + 600);
}

TEST(RateLimiterTest, WindowResetsAtFirstRequestAfterExpiry) {
  RateLimiter limiter(300, std::chrono::seconds(300));
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(limiter.hit("token", kT0 + i / 2).allowed);
  }
  EXPECT_FALSE(limiter.hit("token", kT0 + 299).allowed);
  // An idle gap: the new window starts at this request, not at a multiple of the old one.
  const auto fresh = limiter.hit("token", kT0 + 1000);
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 299);
  EXPECT_EQ(fresh.reset_unix, kT0 + 1300);
}

TEST(RateLimiterTest, KeysAreIndependent) {
  RateLimiter limiter(1, std::chrono::seconds(60));
  EXPECT_TRUE(limiter.hit("alice", kT0).allowed);
  EXPECT_FALSE(limiter.hit("alice", kT0).allowed);
  EXPECT_TRUE(limiter.hit("bob", kT0).allowed);
}

TEST(RateLimiterTest, ZeroLimitDeniesEverything) {
  RateLimiter limiter(0, std::chrono::seconds(60));
  const auto decision = limiter.hit("token", kT0);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.remaining, 0);
}

TEST(RateLimiterTest, ExpiredKeysAreEvicted) {
  RateLimiter limiter(10, std::chrono::seconds(60));
  for (int i = 0; i < 1000; ++i) {
    limiter.hit("old-" + std::to_string(i), kT0);
  }
  EXPECT_EQ(limiter.tracked_key_count(), 1000u);
  // 1000 new keys touch every shard, and each shard's first hit after the window sweeps it.
  for (int i = 0; i < 1000; ++i) {
    limiter.hit("new-" + std::to_string(i), kT0 + 60);
  }
  EXPECT_EQ(limiter.tracked_key_count(), 1000u);
}

TEST(RateLimiterTest, ActiveKeysSurviveSweep) {
  RateLimiter limiter(5, std::chrono::seconds(60));
  limiter.hit("active", kT0 + 30);
  for (int i = 0; i < 200; ++i) {
    limiter.hit("other-" + std::to_string(i), kT0 + 60);
  }
  const auto decision = limiter.hit("active", kT0 + 61);
  EXPECT_EQ(decision.remaining, 3);
  EXPECT_EQ(decision.reset_unix, kT0 + 90);
}

TEST(RateLimiterTest, ConcurrentHitsFromEightThreadsSumExactly) {
  constexpr int kThreads = 8;
  constexpr int kHitsPerThread = 1000;
  constexpr int kLimit = 5000;
  RateLimiter limiter(kLimit, std::chrono::seconds(300));
  std::atomic<int> allowed{0};
  std::atomic<int> denied{0};
  std::vector<std::vector<int>> remaining_seen(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kHitsPerThread; ++i) {
        // A per-thread key as well, so that shards other than the shared key's are exercised.
        limiter.hit("private-" + std::to_string(t), kT0);
        const auto decision = limiter.hit("shared", kT0);
        if (decision.allowed) {
          allowed.fetch_add(1, std::memory_order_relaxed);
          remaining_seen[static_cast<std::size_t>(t)].push_back(decision.remaining);
        } else {
          denied.fetch_add(1, std::memory_order_relaxed);
          EXPECT_EQ(decision.remaining, 0);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(allowed.load(), kLimit);
  EXPECT_EQ(denied.load(), kThreads * kHitsPerThread - kLimit);

  // Every remaining value from kLimit-1 down to 0 was handed out exactly once.
  std::vector<int> all;
  for (const auto& seen : remaining_seen) {
    all.insert(all.end(), seen.begin(), seen.end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kLimit));
  for (int i = 0; i < kLimit; ++i) {
    ASSERT_EQ(all[static_cast<std::size_t>(i)], i);
  }
  EXPECT_EQ(limiter.hit("private-0", kT0).remaining, kLimit - kHitsPerThread - 1);
}

}  // namespace
}  // namespace kaiwa::edge
