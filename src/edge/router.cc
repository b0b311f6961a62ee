#include "edge/router.h"

namespace kaiwa::edge {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    if (end > start) {
      segments.push_back(path.substr(start, end - start));
    }
    start = end + 1;
  }
  return segments;
}

void Router::add(std::string method, std::string_view pattern, Handler handler) {
  add_async(std::move(method), pattern,
            [handler = std::move(handler)](HttpRequest& request, const Responder& respond,
                                           const BlockingRunner&) { respond(handler(request)); });
}

void Router::add_async(std::string method, std::string_view pattern, AsyncHandler handler,
                       bool blocking) {
  std::vector<std::string> segments;
  for (std::string_view segment : split_path(pattern)) {
    segments.emplace_back(segment);
  }
  routes_.push_back(Route{std::move(method), std::string(pattern), std::move(segments),
                          std::move(handler), blocking});
}

std::vector<std::pair<std::string_view, std::string_view>> Router::routes() const {
  std::vector<std::pair<std::string_view, std::string_view>> keys;
  keys.reserve(routes_.size());
  for (const Route& route : routes_) {
    keys.emplace_back(route.method, route.pattern);
  }
  return keys;
}

Router::Match Router::match(HttpRequest& request) const {
  const auto segments = split_path(request.path);
  Match result;
  for (std::size_t index = 0; index < routes_.size(); ++index) {
    const Route& route = routes_[index];
    if (route.segments.size() != segments.size()) {
      continue;
    }
    std::vector<std::pair<std::string, std::string>> params;
    bool matched = true;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      const std::string& expected = route.segments[i];
      if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
        params.emplace_back(expected.substr(1, expected.size() - 2), std::string(segments[i]));
      } else {
        matched = expected == segments[i];
      }
    }
    if (!matched) {
      continue;
    }
    if (route.method != request.method) {
      result.kind = MatchKind::kNoMethod;
      continue;
    }
    request.path_params = std::move(params);
    return Match{MatchKind::kFound, &route.handler, route.blocking, index};
  }
  return result;
}

}  // namespace kaiwa::edge
