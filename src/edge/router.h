// Maps a method and a path to a handler, with {name} segments captured as path parameters.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "edge/http_types.h"

namespace kaiwa::edge {

using Handler = std::function<HttpResponse(HttpRequest&)>;

// Built once at start, then only read: safe to use from many threads after that.
class Router {
 public:
  void add(std::string method, std::string_view pattern, Handler handler);

  enum class MatchKind { kFound, kNoPath, kNoMethod };

  struct Match {
    MatchKind kind = MatchKind::kNoPath;
    const Handler* handler = nullptr;
  };

  // On kFound, request.path_params holds the captured segments.
  Match match(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };

  std::vector<Route> routes_;
};

// Splits a path on '/', dropping empty segments.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace kaiwa::edge
