// Serves the web client's built files (web/dist) from a directory: hashed assets cached for a
// year, the page itself revalidated every time and guarded by a strict Content-Security-Policy.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "edge/http_types.h"

namespace kaiwa::edge {

// Thread-safe (reads files only); its answers block on disk, so it runs on the worker pool.
class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // The file for a GET path ("/", "/assets/index-3f2a.js", "/favicon.svg"), or nullopt when the
  // path names no file there (or could leave the directory).
  std::optional<HttpResponse> file(std::string_view path) const;
  // index.html, for "/" and for the client's own routes (history API paths).
  HttpResponse page() const;

 private:
  std::optional<HttpResponse> read(const std::filesystem::path& relative) const;

  std::filesystem::path root_;
};

}  // namespace kaiwa::edge
