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
  // Where the search index lives: "" (groonga://<data>/search), groonga://PATH, or off.
  std::string search;
};

}  // namespace kaiwa::server
