// Maps a method and a path to a handler, with {name} segments captured as path parameters.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edge/http_types.h"

namespace kaiwa::edge {

// A handler that answers before returning.
using Handler = std::function<HttpResponse(HttpRequest&)>;
// A handler that may answer later, e.g. once a write is durable; request stays valid until then.
// One that runs on the connection's strand hands any blocking work to the BlockingRunner.
using AsyncHandler = std::function<void(HttpRequest&, Responder, const BlockingRunner&)>;

// Built once at start, then only read: safe to use from many threads after that.
class Router {
 public:
  // A handler that may block (the store): runs on the worker pool.
  void add(std::string method, std::string_view pattern, Handler handler);
  // blocking: whether the handler may block, and so must run on the worker pool; a handler
  // that never blocks runs on the connection's strand, saving a thread hop.
  void add_async(std::string method, std::string_view pattern, AsyncHandler handler,
                 bool blocking = true);

  enum class MatchKind { kFound, kNoPath, kNoMethod };

  struct Match {
    MatchKind kind = MatchKind::kNoPath;
    const AsyncHandler* handler = nullptr;
    bool blocking = true;
    // Which route, in the order routes() lists them (for per-route metrics).
    std::size_t index = 0;
  };

  // On kFound, request.path_params holds the captured segments.
  Match match(HttpRequest& request) const;

  // (method, pattern) of every route, in the order added.
  std::vector<std::pair<std::string_view, std::string_view>> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    AsyncHandler handler;
    bool blocking = true;
  };

  std::vector<Route> routes_;
};

// Splits a path on '/', dropping empty segments.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace kaiwa::edge
