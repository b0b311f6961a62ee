// What one search benchmark run measured, and how it is printed: Markdown tables for the
// terminal and docs/benchmarks.md, and a JSON document for tools.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace search_bench {

struct IndexStats {
  std::string engine;
  std::int64_t messages = 0;
  std::uint64_t raw_body_bytes = 0;  // bodies as posted, notation included
  std::uint64_t text_bytes = 0;      // searchable text handed to the engine
  double apply_seconds = 0;          // inside SearchIndex::apply only
  double apply_cpu_seconds = 0;      // the same, CPU time of the calling thread
  double finish_seconds = 0;         // finish_rebuild(), in apply_seconds too (rebuilds only)
  double text_seconds = 0;           // core::searchable_text over every body
  std::vector<double> decile_rates;  // messages/s over each tenth of the load
  std::uint64_t disk_bytes = 0;      // allocated blocks (du) after closing
  std::uint64_t apparent_bytes = 0;  // file sizes after closing

  [[nodiscard]] double rate() const { return static_cast<double>(messages) / apply_seconds; }

  [[nodiscard]] double cpu_rate() const {
    return static_cast<double>(messages) / apply_cpu_seconds;
  }
};

struct LatencyStats {
  std::string query_class;
  std::string engine;
  std::size_t queries = 0;
  double p50_us = 0;
  double p90_us = 0;
  double p99_us = 0;
  double max_us = 0;
  double mean_us = 0;
  double cpu_p50_us = 0;  // CPU time of the calling thread
  double cpu_p99_us = 0;
  double mean_total = 0;        // hits across all pages
  std::size_t zero_totals = 0;  // queries that found nothing
  std::vector<std::int64_t> totals;
};

// Per query class: how often the two engines found the same number of messages.
struct Agreement {
  std::string query_class;
  std::size_t compared = 0;
  std::size_t equal = 0;
  std::size_t first_more = 0;  // the first engine found more
  std::size_t second_more = 0;
};

struct RunSettings {
  std::int64_t messages = 0;
  std::int64_t rooms = 0;
  std::int64_t accounts = 0;
  std::uint64_t seed = 0;
  std::size_t batch = 0;
  std::size_t users = 0;
  std::size_t rooms_per_user = 0;
  double user_message_share = 0;  // mean share of all messages in a user's rooms
  std::size_t limit = 0;
  std::string machine;
  std::string sqlite_version;
  std::string groonga_version;
  std::string load_before;  // /proc/loadavg at the start and the end: the box may be shared
  std::string load_after;
};

struct QueryClassInfo {
  std::string name;
  std::string description;
  std::vector<std::string> sample_queries;
};

struct BenchReport {
  RunSettings settings;
  std::vector<IndexStats> indexing;
  std::vector<IndexStats> rebuilding;  // empty when not measured
  std::vector<QueryClassInfo> classes;
  std::vector<LatencyStats> latencies;
  std::vector<Agreement> agreements;
};

void print_markdown(std::ostream& out, const BenchReport& report);
void write_json(std::ostream& out, const BenchReport& report);

// Percentile of sorted samples by the nearest-rank method.
double percentile(const std::vector<double>& sorted, double fraction);

}  // namespace search_bench
