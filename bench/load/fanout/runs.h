#pragma once

#include <cstddef>
#include <string>

#include <sys/types.h>

#include "fanout/report.h"
#include "fanout/setup.h"

namespace fanout {

struct RunOptions {
  std::string label;  // first column: which system ran
  Protocol protocol = Protocol::kKaiwa;
  std::string url;  // Kaiwa base URL or NATS HOST:PORT
  double rate = 1000;
  double duration_s = 10;
  double hold_s = 5;       // idle: how long the connections stay open once all are ready
  double storm_at_s = -1;  // storm: when to drop everyone (default: a third of the duration)
  double drain_s = 5;      // waiting for late deliveries: the longest pause in progress allowed
  double connect_timeout_s = 120;
  std::size_t body_bytes = 120;
  // Kaiwa answers a connection's requests one at a time, each after its commit (~1-3 ms with
  // group commit), so the open-loop rate needs many connections: W1 peaked at 64.
  std::size_t post_connections = 64;
  std::size_t threads = 1;
  std::size_t connect_window = 1000;
  int source_ips = 8;
  pid_t server_pid = 0;  // for CPU and RSS columns; 0 leaves them out
  // idle, Kaiwa: before the first sample, GET /v2/me and /v2/rooms per account over this many
  // connections (0: none), so the RSS column counts connections, not caches a cold start fills.
  std::size_t warm_up_connections = 0;
};

// Each run connects every subscriber of the layout, does its thing and returns one row.
Report run_idle(const RunOptions& options, Layout& layout);
Report run_fanout(const RunOptions& options, Layout& layout);
Report run_storm(const RunOptions& options, Layout& layout);

}  // namespace fanout
