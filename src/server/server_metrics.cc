#include "server/server_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace kaiwa::server {
namespace {

// From a cached GET (~0.1 ms) to a slow durable write or search.
const prometheus::Histogram::BucketBoundaries& latency_buckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  return kBuckets;
}

}  // namespace

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(&prometheus::BuildCounter()
                     .Name("kaiwa_http_requests_total")
                     .Help("HTTP requests answered, by route and status class")
                     .Register(*registry_)),
      seconds_(&prometheus::BuildHistogram()
                    .Name("kaiwa_http_request_duration_seconds")
                    .Help("Time from routing a request to handing its answer to the connection")
                    .Register(*registry_)),
      unmatched_(make_route("", "unmatched")) {}

ServerMetrics::~ServerMetrics() = default;

ServerMetrics::RouteMetrics ServerMetrics::make_route(std::string_view method,
                                                      std::string_view pattern) {
  RouteMetrics metrics;
  for (std::size_t i = 0; i < metrics.by_status_class.size(); ++i) {
    metrics.by_status_class[i] = &requests_->Add({{"method", std::string(method)},
                                                  {"route", std::string(pattern)},
                                                  {"status", std::to_string(i + 1) + "xx"}});
  }
  metrics.seconds = &seconds_->Add(
      {{"method", std::string(method)}, {"route", std::string(pattern)}}, latency_buckets());
  return metrics;
}

void ServerMetrics::add_routes(
    const std::vector<std::pair<std::string_view, std::string_view>>& routes) {
  for (const auto& [method, pattern] : routes) {
    routes_.push_back(make_route(method, pattern));
  }
}

void ServerMetrics::observe(RouteMetrics& route, int status,
                            std::chrono::steady_clock::duration took) {
  const int status_class = status / 100;
  if (status_class >= 1 && status_class <= 5) {
    route.by_status_class[static_cast<std::size_t>(status_class - 1)]->Increment();
  }
  route.seconds->Observe(std::chrono::duration<double>(took).count());
}

void ServerMetrics::add_gauge(const std::string& name, const std::string& help, Sampler sample) {
  auto& family = prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
  sampled_.push_back(Sampled{std::move(sample), &family.Add({}), nullptr, 0});
}

void ServerMetrics::add_counter(const std::string& name, const std::string& help, Sampler sample) {
  auto& family = prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
  sampled_.push_back(Sampled{std::move(sample), nullptr, &family.Add({}), 0});
}

std::string ServerMetrics::render() {
  std::lock_guard lock(render_mutex_);
  for (Sampled& sampled : sampled_) {
    const double value = sampled.sample();
    if (sampled.gauge != nullptr) {
      sampled.gauge->Set(value);
    } else if (value > sampled.last_total) {
      sampled.counter->Increment(value - sampled.last_total);
      sampled.last_total = value;
    }
  }
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace kaiwa::server
