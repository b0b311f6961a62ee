// Settings of `kaiwa serve` and `kaiwa admin`, from flags or KAIWA_* environment variables.
#pragma once

#include <cstdint>
#include <string>

#include "core/limits.h"

namespace kaiwa::server {

struct Config {
  std::string data_dir = "./data";
  std::string listen = "127.0.0.1:8080";
  // Base of URLs handed to clients; derived from listen when empty.
  std::string public_url;
  int rate_limit = 300;
  int rate_window_seconds = 300;
  // 0: one per CPU this process may run on (design.md §5), so a pinned server does not run
  // more I/O threads than it has cores.
  int io_threads = 0;
  int worker_threads = 64;
  std::int64_t max_upload_bytes = core::kDefaultMaxUploadBytes;
  bool empty_list_no_content = true;
  // WebSocket silence after which the server pings (and hangs up after as long again). Below a
  // proxy's or load balancer's idle timeout; 60 s AWS ALB, 60 s nginx by default.
  int websocket_ping_seconds = 15;
  // The built web client (web/dist of the repository, after npm run build).
  std::string web_dir = "web/dist";
  // Where the search index lives: "" (groonga://<data>/search), groonga://PATH, or off.
  std::string search;
};

}  // namespace kaiwa::server
