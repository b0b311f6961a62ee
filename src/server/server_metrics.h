// The process's Prometheus metrics (design.md §7), rendered as text by GET /metrics: requests
// and latency by route, plus values sampled from the parts at each scrape (WebSocket streams,
// group commits, search index lag).
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace kaiwa::server {

// Thread-safe: routes are registered before serving; after that, observe() only touches
// prometheus-cpp's atomic metrics, and render() serializes scrapes with a mutex.
class ServerMetrics {
 public:
  // The request metrics of one route: a counter per status class and a latency histogram.
  struct RouteMetrics {
    std::array<prometheus::Counter*, 5> by_status_class{};  // 1xx .. 5xx
    prometheus::Histogram* seconds = nullptr;
  };

  // A value read at each scrape, e.g. the number of open streams.
  using Sampler = std::function<double()>;

  ServerMetrics();
  ~ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Before serving: one set of request metrics per route (the router's routes(), in order).
  void add_routes(const std::vector<std::pair<std::string_view, std::string_view>>& routes);

  // The metrics of the route at that index of the router, or of the requests no route took.
  RouteMetrics& route(std::size_t index) {
    return index < routes_.size() ? routes_[index] : unmatched_;
  }

  RouteMetrics& unmatched() { return unmatched_; }

  static void observe(RouteMetrics& route, int status, std::chrono::steady_clock::duration took);

  // Before serving: a gauge, or a counter that must only grow (sampled from a running total).
  void add_gauge(const std::string& name, const std::string& help, Sampler sample);
  void add_counter(const std::string& name, const std::string& help, Sampler sample);

  // The Prometheus text exposition of everything.
  std::string render();

 private:
  struct Sampled {
    Sampler sample;
    prometheus::Gauge* gauge = nullptr;
    prometheus::Counter* counter = nullptr;
    double last_total = 0;
  };

  RouteMetrics make_route(std::string_view method, std::string_view pattern);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_ = nullptr;
  prometheus::Family<prometheus::Histogram>* seconds_ = nullptr;
  std::vector<RouteMetrics> routes_;  // read-only once serving
  RouteMetrics unmatched_;
  std::mutex render_mutex_;
  std::vector<Sampled> sampled_;  // guarded by render_mutex_ once serving
};

}  // namespace kaiwa::server
