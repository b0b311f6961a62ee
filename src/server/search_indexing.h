// The indexing loop: one thread that keeps the search index in step with the event log
// (design.md §6), woken by commits, and answers `kaiwa reindex` requests made while it runs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/search_service.h"

namespace kaiwa::server {

// Thread-safe: notify() from any thread (the store's commit listener); start/stop from one.
class SearchIndexing {
 public:
  explicit SearchIndexing(app::SearchService& search) : search_(search) {}

  ~SearchIndexing() { stop(); }

  SearchIndexing(const SearchIndexing&) = delete;
  SearchIndexing& operator=(const SearchIndexing&) = delete;

  void start();
  void notify();
  void stop();

 private:
  // Batches each step's events (up to kStepEvents) rather than indexing after every commit:
  // a new message still shows within ~kMinStepGap, at a fraction of the per-step cost.
  static constexpr std::size_t kStepEvents = 2000;
  static constexpr std::chrono::milliseconds kMinStepGap{100};
  static constexpr std::chrono::milliseconds kIdleWake{1000};
  static constexpr std::chrono::seconds kLagReportEvery{10};
  static constexpr std::chrono::seconds kRetryAfterError{1};

  void run();
  // Indexes until caught up; false when it failed.
  bool catch_up();
  void check_rebuild_request();
  void report_lag();

  app::SearchService& search_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool notified_ = false;  // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::chrono::steady_clock::time_point next_lag_report_;
  std::chrono::steady_clock::time_point next_request_check_;
};

}  // namespace kaiwa::server
