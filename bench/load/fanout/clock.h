#pragma once

#include <cstdint>
#include <ctime>

namespace fanout {

// One clock for every timestamp the tool takes: the poster embeds it in each message and the
// subscribers (same process) subtract it on arrival, so no clock synchronisation is involved.
inline std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

inline constexpr std::int64_t kNsPerSecond = 1'000'000'000;
inline constexpr std::int64_t kNsPerMs = 1'000'000;

}  // namespace fanout
