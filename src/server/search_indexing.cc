#include "server/search_indexing.h"

#include <spdlog/spdlog.h>

#include "core/json_text.h"

namespace kaiwa::server {

void SearchIndexing::start() {
  thread_ = std::thread([this] { run(); });
}

void SearchIndexing::notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_one();
}

void SearchIndexing::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void SearchIndexing::run() {
  while (true) {
    const bool healthy = catch_up();
    check_rebuild_request();
    report_lag();
    std::unique_lock lock(mutex_);
    if (stopping_) {
      return;
    }
    if (!healthy) {
      wake_.wait_for(lock, kRetryAfterError, [this] { return stopping_; });
    } else {
      wake_.wait_for(lock, kMinStepGap, [this] { return stopping_; });
      wake_.wait_for(lock, kIdleWake, [this] { return stopping_ || notified_; });
    }
    notified_ = false;
    if (stopping_) {
      return;
    }
  }
}

bool SearchIndexing::catch_up() {
  while (true) {
    auto consumed = search_.index_step(kStepEvents);
    if (!consumed) {
      spdlog::error("{}", core::json_log_line("search indexing failed",
                                              {{"error", consumed.error().message}}));
      return false;
    }
    if (*consumed < kStepEvents) {
      return true;
    }
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return true;
    }
  }
}

void SearchIndexing::check_rebuild_request() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_request_check_) {
    return;
  }
  next_request_check_ = now + kIdleWake;
  auto rebuilt = search_.rebuild_if_requested();
  if (!rebuilt) {
    spdlog::error("{}", core::json_log_line("search index rebuild failed",
                                            {{"error", rebuilt.error().message}}));
  } else if (*rebuilt) {
    spdlog::info("{}", core::json_log_line("search index rebuilt on request", {}));
  }
}

// The lag is a log line until /metrics exists (issue 4, item 1).
void SearchIndexing::report_lag() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_lag_report_) {
    return;
  }
  next_lag_report_ = now + kLagReportEvery;
  auto lag = search_.lag();
  if (!lag || lag->head <= lag->indexed_through) {
    return;
  }
  spdlog::warn(
      "{}", core::json_log_line("search index lag",
                                {{"indexed_through", std::to_string(lag->indexed_through)},
                                 {"head", std::to_string(lag->head)},
                                 {"oldest_waiting_ms", std::to_string(lag->oldest_waiting_ms)}}));
}

}  // namespace kaiwa::server
