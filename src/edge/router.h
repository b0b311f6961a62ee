// Maps a method and a path to a handler, with {name} segments captured as path parameters.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "edge/http_types.h"

namespace kaiwa::edge {

// Answers a request exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;
// A handler that answers before returning.
using Handler = std::function<HttpResponse(HttpRequest&)>;
// A handler that may answer later, e.g. once a write is durable; request stays valid until then.
using AsyncHandler = std::function<void(HttpRequest&, Responder)>;

// Built once at start, then only read: safe to use from many threads after that.
class Router {
 public:
  void add(std::string method, std::string_view pattern, Handler handler);
  void add_async(std::string method, std::string_view pattern, AsyncHandler handler);

  enum class MatchKind { kFound, kNoPath, kNoMethod };

  struct Match {
    MatchKind kind = MatchKind::kNoPath;
    const AsyncHandler* handler = nullptr;
  };

  // On kFound, request.path_params holds the captured segments.
  Match match(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    AsyncHandler handler;
  };

  std::vector<Route> routes_;
};

// Splits a path on '/', dropping empty segments.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace kaiwa::edge
