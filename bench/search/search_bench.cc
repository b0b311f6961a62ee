// Search benchmark (issue 4): Kaiwa's Groonga index beside SQLite FTS5 with the trigram
// tokenizer, in the same run, on the same generated Japanese corpus and the same queries.
// Measures indexing throughput (messages/s inside SearchIndex::apply), index size over raw body
// size, and query latency p50/p90/p99 per query class for one user in 50 rooms; also what FTS5
// misses (2-character words) and what its LIKE fallback costs.
//
//   search_bench --data /tmp/sb --messages 1000000 --json result.json
//
// Prints Markdown tables on stdout; progress goes to stderr.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <groonga.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "adapters/groonga/groonga_search_index.h"
#include "core/search_text.h"
#include "ports/search_index.h"
#include "search/corpus.h"
#include "search/fts5_search_index.h"
#include "search/report.h"
#include "search/workload.h"

namespace search_bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using kaiwa::ports::SearchRequest;
using kaiwa::ports::SearchResults;

struct Options {
  CorpusOptions corpus;
  fs::path data;
  std::size_t batch = 2000;
  std::size_t queries = 300;
  std::size_t users = 20;
  std::size_t rooms_per_user = 50;
  std::size_t limit = 20;
  std::size_t like_queries = 20;
  std::vector<std::string> engines = {"kaiwa", "fts5"};
  std::string json_path;
  bool keep = false;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

template <typename T>
T value_or_throw(kaiwa::core::Result<T> result, const std::string& what) {
  if (!result) {
    throw std::runtime_error(what + ": " + result.error().message);
  }
  return std::move(result).value();
}

// One engine under test, reached only through the port (plus FTS5's LIKE fallback).
struct Engine {
  std::string name;
  fs::path path;  // its directory or database file: what du measures
  std::unique_ptr<kaiwa::ports::SearchIndex> index;
  Fts5SearchIndex* fts5 = nullptr;
};

Engine open_engine(const std::string& key, const fs::path& data) {
  if (key == "kaiwa") {
    const fs::path directory = data / "groonga";
    return {"Kaiwa (Groonga)", directory,
            value_or_throw(kaiwa::groonga::GroongaSearchIndex::open(directory), "open Groonga"),
            nullptr};
  }
  const fs::path file = data / "fts5.db";
  auto index = value_or_throw(Fts5SearchIndex::open(file), "open FTS5");
  Fts5SearchIndex* fts5 = index.get();
  return {"SQLite FTS5 trigram", file, std::move(index), fts5};
}

// What a pass over the corpus tells before any engine sees it.
struct Census {
  std::vector<std::int64_t> room_messages;  // by room id
  std::uint64_t raw_body_bytes = 0;
  double generate_seconds = 0;
};

Census take_census(Corpus& corpus, const CorpusOptions& options) {
  Census census;
  census.room_messages.assign(static_cast<std::size_t>(options.rooms) + 1, 0);
  corpus.rewind();
  CorpusMessage message;
  const auto start = Clock::now();
  while (corpus.next(message)) {
    ++census.room_messages[static_cast<std::size_t>(message.room)];
    census.raw_body_bytes += message.body.size();
  }
  census.generate_seconds = seconds_since(start);
  return census;
}

// Splits per-batch timings into ten consecutive parts and gives each part's messages/s, to show
// whether indexing slows down as the index grows.
std::vector<double> decile_rates(const std::vector<std::pair<std::size_t, double>>& batches) {
  std::vector<double> rates;
  const std::size_t per_part = std::max<std::size_t>(1, (batches.size() + 9) / 10);
  for (std::size_t start = 0; start < batches.size(); start += per_part) {
    std::size_t messages = 0;
    double seconds = 0;
    for (std::size_t i = start; i < std::min(batches.size(), start + per_part); ++i) {
      messages += batches[i].first;
      seconds += batches[i].second;
    }
    rates.push_back(static_cast<double>(messages) / seconds);
  }
  return rates;
}

// Feeds the whole corpus to the engine in batches, as the server's indexer does: text is
// core::searchable_text(body), through_pos the number of messages so far. Only apply() is timed
// as indexing; text extraction is timed on its own.
IndexStats index_corpus(Engine& engine, Corpus& corpus, std::size_t batch) {
  IndexStats stats;
  stats.engine = engine.name;
  std::vector<kaiwa::ports::IndexChange> changes(batch);
  std::vector<std::pair<std::size_t, double>> batches;
  CorpusMessage message;
  corpus.rewind();
  std::int64_t next_progress = 0;
  for (bool more = true; more;) {
    std::size_t n = 0;
    while (n < batch && (more = corpus.next(message))) {
      kaiwa::ports::IndexedMessage& m = changes[n++].message;
      m.id = kaiwa::core::MessageId(message.id);
      m.room = kaiwa::core::RoomId(message.room);
      m.sender = kaiwa::core::AccountId(message.sender);
      m.send_time = message.send_time;
      m.update_time = message.send_time;
      const auto text_start = Clock::now();
      m.text = kaiwa::core::searchable_text(message.body);
      stats.text_seconds += seconds_since(text_start);
      stats.raw_body_bytes += message.body.size();
      stats.text_bytes += m.text.size();
    }
    if (n == 0) {
      break;
    }
    const auto start = Clock::now();
    const auto status = engine.index->apply(std::span(changes.data(), n),
                                            stats.messages + static_cast<std::int64_t>(n));
    const double seconds = seconds_since(start);
    if (!status) {
      throw std::runtime_error(engine.name + " apply: " + status.error().message);
    }
    stats.messages += static_cast<std::int64_t>(n);
    stats.apply_seconds += seconds;
    batches.emplace_back(n, seconds);
    if (stats.messages >= next_progress) {
      std::cerr << engine.name << ": " << stats.messages << " messages indexed, "
                << static_cast<std::int64_t>(stats.rate()) << " msgs/s so far\n";
      next_progress += 1'000'000;
    }
  }
  stats.decile_rates = decile_rates(batches);
  return stats;
}

using SearchFunction = std::function<kaiwa::core::Result<SearchResults>(const SearchRequest&)>;

SearchRequest request_for(const BenchQuery& query, const std::vector<BenchUser>& users,
                          std::size_t limit) {
  SearchRequest request;
  request.query = query.to_search_query();
  request.rooms = users[query.user].rooms;
  request.order = kaiwa::ports::SearchOrder::kNewest;
  request.limit = limit;
  return request;
}

// Times each query of the class (after an untimed pass over the first few, so the first timed
// query does not pay for cold code paths).
LatencyStats run_queries(const std::string& engine, const SearchFunction& search,
                         const QueryClass& query_class, const std::vector<BenchUser>& users,
                         std::size_t max_queries, std::size_t limit) {
  const std::size_t count = std::min(max_queries, query_class.queries.size());
  for (std::size_t i = 0; i < std::min<std::size_t>(count, 5); ++i) {
    (void)value_or_throw(search(request_for(query_class.queries[i], users, limit)), "warm-up");
  }
  LatencyStats stats;
  stats.query_class = query_class.name;
  stats.engine = engine;
  std::vector<double> latencies;
  double total_sum = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const SearchRequest request = request_for(query_class.queries[i], users, limit);
    const auto start = Clock::now();
    const SearchResults results = value_or_throw(search(request), engine + " search");
    latencies.push_back(seconds_since(start) * 1e6);
    stats.totals.push_back(results.total);
    total_sum += static_cast<double>(results.total);
    stats.zero_totals += results.total == 0 ? 1 : 0;
  }
  std::sort(latencies.begin(), latencies.end());
  stats.queries = count;
  stats.p50_us = percentile(latencies, 0.50);
  stats.p90_us = percentile(latencies, 0.90);
  stats.p99_us = percentile(latencies, 0.99);
  stats.max_us = latencies.empty() ? 0 : latencies.back();
  stats.mean_us = std::accumulate(latencies.begin(), latencies.end(), 0.0) /
                  static_cast<double>(std::max<std::size_t>(1, count));
  stats.mean_total = total_sum / static_cast<double>(std::max<std::size_t>(1, count));
  return stats;
}

Agreement compare_totals(const LatencyStats& kaiwa, const LatencyStats& fts5) {
  Agreement agreement;
  agreement.query_class = kaiwa.query_class;
  agreement.compared = std::min(kaiwa.totals.size(), fts5.totals.size());
  for (std::size_t i = 0; i < agreement.compared; ++i) {
    if (kaiwa.totals[i] == fts5.totals[i]) {
      ++agreement.equal;
    } else if (kaiwa.totals[i] > fts5.totals[i]) {
      ++agreement.first_more;
    } else {
      ++agreement.second_more;
    }
  }
  return agreement;
}

// du: allocated blocks of the file or directory, and of a database file's -wal/-shm siblings.
std::pair<std::uint64_t, std::uint64_t> disk_usage(const fs::path& path) {
  std::uint64_t allocated = 0;
  std::uint64_t apparent = 0;
  const auto add = [&](const fs::path& file) {
    struct stat info {};
    if (::lstat(file.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
      allocated += static_cast<std::uint64_t>(info.st_blocks) * 512;
      apparent += static_cast<std::uint64_t>(info.st_size);
    }
  };
  if (fs::is_directory(path)) {
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      add(entry.path());
    }
  } else {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      add(path.string() + suffix);
    }
  }
  return {allocated, apparent};
}

std::string machine_description() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.starts_with("model name")) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  double memory_gib = 0;
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);) {
    if (line.starts_with("MemTotal:")) {
      memory_gib = std::stod(line.substr(9)) / (1024.0 * 1024.0);
      break;
    }
  }
  utsname name{};
  ::uname(&name);
  return std::to_string(std::thread::hardware_concurrency()) + " × " + model + ", " +
         std::to_string(static_cast<int>(memory_gib + 0.5)) + " GiB, Linux " + name.release;
}

double user_message_share(const std::vector<BenchUser>& users, const Census& census,
                          std::int64_t messages) {
  double share = 0;
  for (const BenchUser& user : users) {
    std::int64_t in_rooms = 0;
    for (const auto room : user.rooms) {
      in_rooms += census.room_messages[static_cast<std::size_t>(room.value)];
    }
    share += static_cast<double>(in_rooms) / static_cast<double>(messages);
  }
  return share / static_cast<double>(users.size());
}

std::vector<QueryClassInfo> class_infos(const std::vector<QueryClass>& classes) {
  std::vector<QueryClassInfo> out;
  for (const QueryClass& c : classes) {
    QueryClassInfo info{c.name, c.description, {}};
    for (std::size_t i = 0; i < std::min<std::size_t>(3, c.queries.size()); ++i) {
      info.sample_queries.push_back(c.queries[i].text());
    }
    out.push_back(std::move(info));
  }
  return out;
}

int run(const Options& options) {
  if (fs::exists(options.data) && !fs::is_empty(options.data)) {
    throw std::runtime_error("--data " + options.data.string() + " must be empty or absent");
  }
  fs::create_directories(options.data);
  Corpus corpus(options.corpus);
  std::cerr << "generating the corpus once to count it…\n";
  const Census census = take_census(corpus, options.corpus);
  std::cerr << "  " << options.corpus.messages << " messages in " << census.generate_seconds
            << " s\n";

  BenchReport report;
  report.settings = {
      options.corpus.messages, options.corpus.rooms,  options.corpus.accounts, options.corpus.seed,
      options.batch,           options.users,         options.rooms_per_user,  0,
      options.limit,           machine_description(), sqlite3_libversion(),    grn_get_version()};
  const std::vector<BenchUser> users =
      make_users(corpus, options.users, options.rooms_per_user, options.corpus.seed);
  report.settings.user_message_share = user_message_share(users, census, options.corpus.messages);
  const std::vector<QueryClass> classes =
      make_query_classes(corpus, options.users, options.queries);
  report.classes = class_infos(classes);

  std::vector<Engine> engines;
  for (const std::string& key : options.engines) {
    engines.push_back(open_engine(key, options.data));
    std::cerr << "indexing into " << engines.back().name << "…\n";
    report.indexing.push_back(index_corpus(engines.back(), corpus, options.batch));
  }

  for (const QueryClass& query_class : classes) {
    std::vector<LatencyStats> per_engine;
    for (Engine& engine : engines) {
      std::cerr << "querying " << query_class.name << " on " << engine.name << "…\n";
      const SearchFunction search = [&engine](const SearchRequest& request) {
        return engine.index->search(request);
      };
      per_engine.push_back(
          run_queries(engine.name, search, query_class, users, options.queries, options.limit));
      report.latencies.push_back(per_engine.back());
      // The fallback an FTS5 deployment needs for words its trigrams cannot see.
      if (engine.fts5 != nullptr && query_class.name == "two_char" && options.like_queries > 0) {
        const SearchFunction like = [&engine](const SearchRequest& request) {
          return engine.fts5->search_like(request);
        };
        report.latencies.push_back(run_queries(engine.name + ", LIKE fallback", like, query_class,
                                               users, options.like_queries, options.limit));
      }
    }
    if (per_engine.size() == 2) {
      report.agreements.push_back(compare_totals(per_engine[0], per_engine[1]));
    }
  }

  for (std::size_t i = 0; i < engines.size(); ++i) {
    engines[i].index.reset();  // closing flushes, so du sees the final files
    std::tie(report.indexing[i].disk_bytes, report.indexing[i].apparent_bytes) =
        disk_usage(engines[i].path);
  }
  print_markdown(std::cout, report);
  if (!options.json_path.empty()) {
    std::ofstream json(options.json_path);
    write_json(json, report);
  }
  if (!options.keep) {
    for (const Engine& engine : engines) {
      fs::remove_all(engine.path);
      fs::remove(engine.path.string() + "-wal");
      fs::remove(engine.path.string() + "-shm");
    }
  }
  return 0;
}

void add_options(CLI::App& app, Options& options) {
  app.add_option("--data", options.data, "Directory for both indexes (empty or absent)")
      ->required();
  app.add_option("--messages", options.corpus.messages, "Messages to generate and index")
      ->check(CLI::PositiveNumber);
  app.add_option("--rooms", options.corpus.rooms, "Rooms (Zipf-sized)")
      ->check(CLI::Range(50, 1'000'000));
  app.add_option("--accounts", options.corpus.accounts, "Accounts")
      ->check(CLI::Range(2, 100'000'000));
  app.add_option("--seed", options.corpus.seed, "Corpus and user seed");
  app.add_option("--batch", options.batch, "Changes per apply() call / per FTS5 transaction")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--queries", options.queries, "Timed queries per class and engine")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--users", options.users, "Users the queries take turns as")
      ->check(CLI::Range(1, 100'000));
  app.add_option("--user-rooms", options.rooms_per_user, "Rooms each user reads")
      ->check(CLI::Range(1, 10'000));
  app.add_option("--limit", options.limit, "Hits per page")->check(CLI::Range(1, 1000));
  app.add_option("--like-queries", options.like_queries,
                 "Timed FTS5 LIKE fallback queries for 2-character words (each reads every row)");
  app.add_option("--engines", options.engines, "kaiwa and/or fts5")
      ->delimiter(',')
      ->check(CLI::IsMember({"kaiwa", "fts5"}));
  app.add_option("--json", options.json_path, "Also write the results as JSON here");
  app.add_flag("--keep", options.keep, "Keep the indexes in --data afterwards");
}

}  // namespace
}  // namespace search_bench

int main(int argc, char** argv) {
  CLI::App app{"Search benchmark: Kaiwa (Groonga) beside SQLite FTS5 trigram (issue 4)"};
  search_bench::Options options;
  search_bench::add_options(app, options);
  CLI11_PARSE(app, argc, argv);
  try {
    return search_bench::run(options);
  } catch (const std::exception& e) {
    std::cerr << "search_bench: " << e.what() << "\n";
    return 1;
  }
}
