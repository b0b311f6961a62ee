#pragma once

#include <cstdint>
#include <optional>

#include <sys/types.h>

// What the report needs from /proc: the server's CPU time and resident memory (it shares the
// box with this tool, so throughput alone would flatter whichever side got more CPU).
namespace fanout::proc {

// utime + stime of `pid` in seconds.
std::optional<double> cpu_seconds(pid_t pid);

// VmRSS of `pid` in bytes.
std::optional<std::int64_t> rss_bytes(pid_t pid);

// This process's CPU time (all threads) in seconds.
double own_cpu_seconds();

}  // namespace fanout::proc
