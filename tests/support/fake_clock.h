// FakeClock: a ports::Clock whose time only moves when a test moves it.
#pragma once

#include <atomic>
#include <cstdint>

#include "ports/clock.h"

namespace kaiwa::test {

// 2025-01-15T12:34:56.789Z, a fixed "now" for tests that do not care about the date.
inline constexpr std::int64_t kDefaultTestUnixMs = 1'736'944'496'789;

// Thread-safe: the time is one atomic.
class FakeClock final : public ports::Clock {
 public:
  explicit FakeClock(std::int64_t unix_ms = kDefaultTestUnixMs) : unix_ms_(unix_ms) {}

  std::int64_t now_unix_ms() const override { return unix_ms_.load(); }

  void set_unix_ms(std::int64_t unix_ms) { unix_ms_.store(unix_ms); }

  void advance_ms(std::int64_t delta_ms) { unix_ms_.fetch_add(delta_ms); }

 private:
  std::atomic<std::int64_t> unix_ms_;
};

}  // namespace kaiwa::test
