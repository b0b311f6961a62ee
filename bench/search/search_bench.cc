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
#include <cmath>
#include <cstdint>
#include <ctime>
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
  bool rebuild = true;
  bool reuse = false;        // query an index kept by an earlier --keep run; no indexing
  std::string queries_path;  // write every query (class, words, rooms) here
  std::string hits_path;     // write every answer (total, hit ids, snippets) here
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

// Opens the engine `key` (kaiwa or fts5) with its files in `data`.
Engine open_engine(const std::string& key, const fs::path& data) {
  fs::create_directories(data);
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

// Wall-clock and this thread's CPU time since construction. The box is shared (other builds
// may run beside the benchmark), so CPU time is reported next to wall time: it leaves out time
// spent preempted, though not the effect of a busy neighbour on caches.
class Stopwatch {
 public:
  Stopwatch() : wall_(Clock::now()), cpu_(thread_cpu_seconds()) {}

  [[nodiscard]] double wall_seconds() const { return seconds_since(wall_); }

  [[nodiscard]] double cpu_seconds() const { return thread_cpu_seconds() - cpu_; }

 private:
  static double thread_cpu_seconds() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
  }

  Clock::time_point wall_;
  double cpu_;
};

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

// Fills `changes` with the corpus's next messages, as the server's indexer builds them: text is
// core::searchable_text(body). Returns how many; 0 at the end.
std::size_t next_batch(Corpus& corpus, std::vector<kaiwa::ports::IndexChange>& changes,
                       IndexStats& text_stats) {
  CorpusMessage message;
  std::size_t n = 0;
  while (n < changes.size() && corpus.next(message)) {
    kaiwa::ports::IndexedMessage& m = changes[n++].message;
    m.id = kaiwa::core::MessageId(message.id);
    m.room = kaiwa::core::RoomId(message.room);
    m.sender = kaiwa::core::AccountId(message.sender);
    m.send_time = message.send_time;
    m.update_time = message.send_time;
    const Stopwatch text_time;
    m.text = kaiwa::core::searchable_text(message.body);
    text_stats.text_seconds += text_time.wall_seconds();
    text_stats.raw_body_bytes += message.body.size();
    text_stats.text_bytes += m.text.size();
  }
  return n;
}

// Feeds the whole corpus to every engine in lockstep, batch by batch (the same batch to each in
// turn), so that both see the same moments of a shared machine. through_pos is the number of
// messages so far. Only apply() is timed as indexing; text extraction is timed on its own.
// With `rebuild`, the load is a `kaiwa reindex`: between start_rebuild() and finish_rebuild(),
// both timed with it, so an engine may build its index in bulk at the end.
std::vector<IndexStats> index_corpus(std::vector<Engine>& engines, Corpus& corpus,
                                     std::size_t batch, bool rebuild) {
  std::vector<IndexStats> stats(engines.size());
  std::vector<std::vector<std::pair<std::size_t, double>>> batches(engines.size());
  for (std::size_t e = 0; e < engines.size(); ++e) {
    stats[e].engine = engines[e].name;
  }
  IndexStats text_stats;
  std::vector<kaiwa::ports::IndexChange> changes(batch);
  const auto check = [&](const kaiwa::core::Status& status, std::size_t e, const char* what) {
    if (!status) {
      throw std::runtime_error(engines[e].name + " " + what + ": " + status.error().message);
    }
  };
  for (std::size_t e = 0; rebuild && e < engines.size(); ++e) {
    const Stopwatch start_time;
    check(engines[e].index->start_rebuild(), e, "start_rebuild");
    stats[e].apply_seconds += start_time.wall_seconds();
    stats[e].apply_cpu_seconds += start_time.cpu_seconds();
  }
  corpus.rewind();
  std::int64_t messages = 0;
  std::int64_t next_progress = 1'000'000;
  while (const std::size_t n = next_batch(corpus, changes, text_stats)) {
    messages += static_cast<std::int64_t>(n);
    for (std::size_t e = 0; e < engines.size(); ++e) {
      const Stopwatch apply_time;
      const auto status = engines[e].index->apply(std::span(changes.data(), n), messages);
      const double seconds = apply_time.wall_seconds();
      stats[e].apply_cpu_seconds += apply_time.cpu_seconds();
      check(status, e, "apply");
      stats[e].messages = messages;
      stats[e].apply_seconds += seconds;
      batches[e].emplace_back(n, seconds);
    }
    if (messages >= next_progress) {
      std::cerr << "  " << messages << " messages indexed\n";
      next_progress += 1'000'000;
    }
  }
  for (std::size_t e = 0; rebuild && e < engines.size(); ++e) {
    const Stopwatch finish_time;
    check(engines[e].index->finish_rebuild(messages), e, "finish_rebuild");
    stats[e].finish_seconds = finish_time.wall_seconds();
    stats[e].apply_seconds += stats[e].finish_seconds;
    stats[e].apply_cpu_seconds += finish_time.cpu_seconds();
  }
  for (std::size_t e = 0; e < engines.size(); ++e) {
    stats[e].raw_body_bytes = text_stats.raw_body_bytes;
    stats[e].text_bytes = text_stats.text_bytes;
    stats[e].text_seconds = text_stats.text_seconds;
    stats[e].decile_rates = decile_rates(batches[e]);
  }
  return stats;
}

using SearchFunction = std::function<kaiwa::core::Result<SearchResults>(const SearchRequest&)>;

struct Searcher {
  std::string name;
  SearchFunction search;
};

SearchRequest request_for(const BenchQuery& query, const std::vector<BenchUser>& users,
                          std::size_t limit) {
  SearchRequest request;
  request.query = query.to_search_query();
  request.rooms = users[query.user].rooms;
  request.order = kaiwa::ports::SearchOrder::kNewest;
  request.limit = limit;
  return request;
}

void summarize(LatencyStats& stats, std::vector<double> wall_us, std::vector<double> cpu_us) {
  std::sort(wall_us.begin(), wall_us.end());
  std::sort(cpu_us.begin(), cpu_us.end());
  const double count = static_cast<double>(std::max<std::size_t>(1, wall_us.size()));
  stats.queries = wall_us.size();
  stats.p50_us = percentile(wall_us, 0.50);
  stats.p90_us = percentile(wall_us, 0.90);
  stats.p99_us = percentile(wall_us, 0.99);
  stats.max_us = wall_us.empty() ? 0 : wall_us.back();
  stats.mean_us = std::accumulate(wall_us.begin(), wall_us.end(), 0.0) / count;
  stats.cpu_p50_us = percentile(cpu_us, 0.50);
  stats.cpu_p99_us = percentile(cpu_us, 0.99);
  double total_sum = 0;
  for (const std::int64_t total : stats.totals) {
    total_sum += static_cast<double>(total);
    stats.zero_totals += total == 0 ? 1 : 0;
  }
  stats.mean_total = total_sum / count;
}

// Times each query of the class on every searcher in turn (query 1 on each, then query 2…),
// after an untimed pass over the first few so that no timed query pays for cold code paths.
// With `hits`, also writes each answer of the first searcher there, one line per query, so that
// two builds of an adapter can be checked for identical results on the same index.
std::vector<LatencyStats> run_queries(const std::vector<Searcher>& searchers,
                                      const QueryClass& query_class,
                                      const std::vector<BenchUser>& users, std::size_t max_queries,
                                      std::size_t limit, std::ostream* hits = nullptr) {
  const std::size_t count = std::min(max_queries, query_class.queries.size());
  for (const Searcher& searcher : searchers) {
    for (std::size_t i = 0; i < std::min<std::size_t>(count, 5); ++i) {
      (void)value_or_throw(searcher.search(request_for(query_class.queries[i], users, limit)),
                           "warm-up");
    }
  }
  std::vector<LatencyStats> stats(searchers.size());
  std::vector<std::vector<double>> wall_us(searchers.size());
  std::vector<std::vector<double>> cpu_us(searchers.size());
  for (std::size_t i = 0; i < count; ++i) {
    const SearchRequest request = request_for(query_class.queries[i], users, limit);
    for (std::size_t s = 0; s < searchers.size(); ++s) {
      const Stopwatch query_time;
      const SearchResults results =
          value_or_throw(searchers[s].search(request), searchers[s].name + " search");
      wall_us[s].push_back(query_time.wall_seconds() * 1e6);
      cpu_us[s].push_back(query_time.cpu_seconds() * 1e6);
      stats[s].totals.push_back(results.total);
      if (hits != nullptr && s == 0) {
        *hits << query_class.name << '\t' << i << '\t' << results.total;
        for (const kaiwa::ports::SearchHit& hit : results.hits) {
          *hits << '\t' << hit.id.value << ' ' << hit.score << ' ';
          for (const kaiwa::ports::SnippetFragment& fragment : hit.snippet) {
            *hits << (fragment.match ? "[" : "") << fragment.text << (fragment.match ? "]" : "");
          }
        }
        *hits << '\n';
      }
    }
  }
  for (std::size_t s = 0; s < searchers.size(); ++s) {
    stats[s].query_class = query_class.name;
    stats[s].engine = searchers[s].name;
    summarize(stats[s], std::move(wall_us[s]), std::move(cpu_us[s]));
  }
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

// Closes every engine (closing flushes, so du sees the final files) and records its size.
void close_and_measure(std::vector<Engine>& engines, std::vector<IndexStats>& stats) {
  for (std::size_t i = 0; i < engines.size(); ++i) {
    engines[i].index.reset();
    std::tie(stats[i].disk_bytes, stats[i].apparent_bytes) = disk_usage(engines[i].path);
  }
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
         std::to_string(std::lround(memory_gib)) + " GiB, Linux " + name.release;
}

// The 1-, 5- and 15-minute load averages, e.g. "1.02 0.87 0.55".
std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string one;
  std::string five;
  std::string fifteen;
  file >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
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

void write_queries(const std::string& path, const std::vector<QueryClass>& classes,
                   const std::vector<BenchUser>& users) {
  std::ofstream out(path);
  for (const QueryClass& c : classes) {
    for (const BenchQuery& query : c.queries) {
      out << c.name << '\t' << query.text() << '\t';
      const char* separator = "";
      for (const auto room : users[query.user].rooms) {
        out << separator << room.value;
        separator = ",";
      }
      out << '\n';
    }
  }
}

int run(const Options& options) {
  if (options.reuse) {
    if (!fs::exists(options.data)) {
      throw std::runtime_error("--reuse: --data " + options.data.string() + " does not exist");
    }
  } else if (fs::exists(options.data) && !fs::is_empty(options.data)) {
    throw std::runtime_error("--data " + options.data.string() + " must be empty or absent");
  }
  fs::create_directories(options.data);
  Corpus corpus(options.corpus);
  std::cerr << "generating the corpus once to count it…\n";
  const Census census = take_census(corpus, options.corpus);
  std::cerr << "  " << options.corpus.messages << " messages in " << census.generate_seconds
            << " s\n";

  BenchReport report;
  RunSettings& settings = report.settings;
  settings.messages = options.corpus.messages;
  settings.rooms = options.corpus.rooms;
  settings.accounts = options.corpus.accounts;
  settings.seed = options.corpus.seed;
  settings.batch = options.batch;
  settings.users = options.users;
  settings.rooms_per_user = options.rooms_per_user;
  settings.limit = options.limit;
  settings.machine = machine_description();
  settings.sqlite_version = sqlite3_libversion();
  settings.groonga_version = grn_get_version();
  settings.load_before = load_average();
  const std::vector<BenchUser> users =
      make_users(corpus, options.users, options.rooms_per_user, options.corpus.seed);
  settings.user_message_share = user_message_share(users, census, options.corpus.messages);
  const std::vector<QueryClass> classes = make_query_classes(corpus, users, options.queries);
  report.classes = class_infos(classes);
  if (!options.queries_path.empty()) {
    write_queries(options.queries_path, classes, users);
  }

  std::vector<Engine> engines;
  for (const std::string& key : options.engines) {
    engines.push_back(open_engine(key, options.data));
  }
  if (options.reuse) {
    for (const Engine& engine : engines) {
      report.indexing.push_back(IndexStats{});
      report.indexing.back().engine = engine.name;
    }
  } else {
    std::cerr << "indexing into both engines, batch by batch…\n";
    report.indexing = index_corpus(engines, corpus, options.batch, false);
  }
  std::ofstream hits;
  if (!options.hits_path.empty()) {
    hits.open(options.hits_path);
  }

  std::vector<Searcher> searchers;
  const Engine* fts5 = nullptr;
  for (const Engine& engine : engines) {
    searchers.push_back({engine.name, [&engine](const SearchRequest& request) {
                           return engine.index->search(request);
                         }});
    fts5 = engine.fts5 != nullptr ? &engine : fts5;
  }
  for (const QueryClass& query_class : classes) {
    std::cerr << "querying " << query_class.name << "…\n";
    const std::vector<LatencyStats> per_engine =
        run_queries(searchers, query_class, users, options.queries, options.limit,
                    hits.is_open() ? &hits : nullptr);
    report.latencies.insert(report.latencies.end(), per_engine.begin(), per_engine.end());
    if (per_engine.size() == 2) {
      report.agreements.push_back(compare_totals(per_engine[0], per_engine[1]));
    }
    // The fallback an FTS5 deployment needs for words its trigrams cannot see.
    if (fts5 != nullptr && query_class.name == "two_char" && options.like_queries > 0) {
      const Searcher like{fts5->name + ", LIKE fallback", [fts5](const SearchRequest& request) {
                            return fts5->fts5->search_like(request);
                          }};
      report.latencies.push_back(
          run_queries({like}, query_class, users, options.like_queries, options.limit).front());
    }
  }

  close_and_measure(engines, report.indexing);
  if (options.rebuild && !options.reuse) {
    std::cerr << "rebuilding both from scratch, as kaiwa reindex does…\n";
    std::vector<Engine> rebuilt;
    for (const std::string& key : options.engines) {
      rebuilt.push_back(open_engine(key, options.data / "rebuild"));
    }
    report.rebuilding = index_corpus(rebuilt, corpus, options.batch, true);
    close_and_measure(rebuilt, report.rebuilding);
    fs::remove_all(options.data / "rebuild");
  }
  settings.load_after = load_average();
  print_markdown(std::cout, report);
  if (!options.json_path.empty()) {
    std::ofstream json(options.json_path);
    write_json(json, report);
  }
  if (!options.keep && !options.reuse) {
    for (const Engine& engine : engines) {
      fs::remove_all(engine.path);
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
  app.add_flag("!--no-rebuild", options.rebuild,
               "Skip the second load, a bulk rebuild (start_rebuild … finish_rebuild)");
  app.add_flag("--reuse", options.reuse,
               "Only query the indexes a --keep run left in --data (same corpus options)");
  app.add_option("--queries-out", options.queries_path,
                 "Write every query here: class, words, the user's rooms");
  app.add_option("--hits-out", options.hits_path,
                 "Write the first engine's answers here: total, hit ids, scores, snippets");
}

}  // namespace
}  // namespace search_bench

int main(int argc, char** argv) {
  try {
    CLI::App app{"Search benchmark: Kaiwa (Groonga) beside SQLite FTS5 trigram (issue 4)"};
    search_bench::Options options;
    search_bench::add_options(app, options);
    CLI11_PARSE(app, argc, argv);
    return search_bench::run(options);
  } catch (const std::exception& e) {
    std::cerr << "search_bench: " << e.what() << "\n";
    return 1;
  }
}
