#include "search/report.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/json_text.h"

namespace search_bench {
namespace {

std::string format(const char* pattern, double value) {
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), pattern, value);
  return buffer.data();
}

// 1234567 -> "1,234,567".
std::string grouped(double value) {
  const std::string digits = format("%.0f", value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

std::string duration(double us) {
  if (us < 1000) {
    return format("%.0f µs", us);
  }
  if (us < 1'000'000) {
    return format(us < 10'000 ? "%.2f ms" : "%.1f ms", us / 1000);
  }
  return format("%.2f s", us / 1e6);
}

std::string mebibytes(std::uint64_t bytes) {
  return format("%.0f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

void json_key(std::string& out, std::string_view key) {
  kaiwa::core::append_json_string(out, key);
  out += ':';
}

void json_field(std::string& out, std::string_view key, std::string_view value) {
  json_key(out, key);
  kaiwa::core::append_json_string(out, value);
  out += ',';
}

void json_field(std::string& out, std::string_view key, double value) {
  json_key(out, key);
  out += std::isfinite(value) ? format("%.6g", value) : "null";
  out += ',';
}

// Replaces the trailing comma of an object or array body with its closing bracket.
void json_close(std::string& out, char bracket) {
  if (out.back() == ',') {
    out.back() = bracket;
  } else {
    out += bracket;
  }
  out += ',';
}

void append_index_stats(std::string& json, const std::vector<IndexStats>& all) {
  json += '[';
  for (const IndexStats& index : all) {
    json += '{';
    json_field(json, "engine", index.engine);
    json_field(json, "messages", static_cast<double>(index.messages));
    json_field(json, "raw_body_bytes", static_cast<double>(index.raw_body_bytes));
    json_field(json, "text_bytes", static_cast<double>(index.text_bytes));
    json_field(json, "apply_seconds", index.apply_seconds);
    json_field(json, "apply_cpu_seconds", index.apply_cpu_seconds);
    json_field(json, "finish_seconds", index.finish_seconds);
    json_field(json, "text_seconds", index.text_seconds);
    json_field(json, "messages_per_second", index.rate());
    json_key(json, "decile_rates");
    json += '[';
    for (const double rate : index.decile_rates) {
      json += format("%.0f", rate) + ",";
    }
    json_close(json, ']');
    json_field(json, "disk_bytes", static_cast<double>(index.disk_bytes));
    json_field(json, "apparent_bytes", static_cast<double>(index.apparent_bytes));
    json_field(json, "disk_over_raw",
               static_cast<double>(index.disk_bytes) / static_cast<double>(index.raw_body_bytes));
    json_close(json, '}');
  }
  json_close(json, ']');
}

}  // namespace

double percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) {
    return 0;
  }
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[rank == 0 ? 0 : rank - 1];
}

void print_markdown(std::ostream& out, const BenchReport& report) {
  const RunSettings& s = report.settings;
  out << "### Indexing " << grouped(static_cast<double>(s.messages)) << " messages (" << s.rooms
      << " rooms, batches of " << s.batch << ")\n\n";
  if (!report.indexing.empty()) {
    const IndexStats& first = report.indexing.front();
    out << "Raw bodies: " << mebibytes(first.raw_body_bytes) << " ("
        << format("%.0f",
                  static_cast<double>(first.raw_body_bytes) / static_cast<double>(first.messages))
        << " B/message); searchable text: " << mebibytes(first.text_bytes)
        << "; core::searchable_text: "
        << format("%.2f", first.text_seconds * 1e6 / static_cast<double>(first.messages))
        << " µs/message (not in the rates below).\n\n";
  }
  out << "| engine | messages/s | per CPU-second | first 10 % | last 10 % | index on disk (du) |"
         " ÷ raw bodies |\n";
  out << "|---|---|---|---|---|---|---|\n";
  for (const IndexStats& index : report.indexing) {
    out << "| " << index.engine << " | " << grouped(index.rate()) << " | "
        << grouped(index.cpu_rate()) << " | "
        << grouped(index.decile_rates.empty() ? 0 : index.decile_rates.front()) << " | "
        << grouped(index.decile_rates.empty() ? 0 : index.decile_rates.back()) << " | "
        << mebibytes(index.disk_bytes) << " | "
        << format("%.2f",
                  static_cast<double>(index.disk_bytes) / static_cast<double>(index.raw_body_bytes))
        << " |\n";
  }
  if (!report.rebuilding.empty()) {
    out << "\nBulk rebuild, as `kaiwa reindex` does it (start_rebuild, the same batches,"
           " finish_rebuild; timed together):\n\n";
    out << "| engine | messages/s | per CPU-second | of which finish_rebuild | index on disk (du) |"
           " ÷ raw bodies |\n";
    out << "|---|---|---|---|---|---|\n";
    for (const IndexStats& index : report.rebuilding) {
      out << "| " << index.engine << " | " << grouped(index.rate()) << " | "
          << grouped(index.cpu_rate()) << " | " << format("%.1f s", index.finish_seconds) << " | "
          << mebibytes(index.disk_bytes) << " | "
          << format("%.2f", static_cast<double>(index.disk_bytes) /
                                static_cast<double>(index.raw_body_bytes))
          << " |\n";
    }
  }
  out << "\n### Queries: one user in " << s.rooms_per_user << " rooms ("
      << format("%.1f", s.user_message_share * 100)
      << " % of all messages on average), newest first, " << s.limit
      << " per page with the total and snippets\n\n";
  out << "| class | engine | queries | p50 | p90 | p99 | max | CPU p50 | CPU p99 |"
         " mean total hits | found nothing |\n";
  out << "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const LatencyStats& l : report.latencies) {
    out << "| " << l.query_class << " | " << l.engine << " | " << l.queries << " | "
        << duration(l.p50_us) << " | " << duration(l.p90_us) << " | " << duration(l.p99_us) << " | "
        << duration(l.max_us) << " | " << duration(l.cpu_p50_us) << " | " << duration(l.cpu_p99_us)
        << " | " << format("%.1f", l.mean_total) << " | " << l.zero_totals << " |\n";
  }
  if (!report.agreements.empty()) {
    out << "\n| class | queries compared | same total | Kaiwa found more | FTS5 found more |\n";
    out << "|---|---|---|---|---|\n";
    for (const Agreement& a : report.agreements) {
      out << "| " << a.query_class << " | " << a.compared << " | " << a.equal << " | "
          << a.first_more << " | " << a.second_more << " |\n";
    }
  }
  out << "\nQuery classes:\n";
  for (const QueryClassInfo& c : report.classes) {
    out << "- " << c.name << ": " << c.description << "; e.g.";
    for (const std::string& q : c.sample_queries) {
      out << " `" << q << "`";
    }
    out << "\n";
  }
  out << "\n"
      << s.machine << "; SQLite " << s.sqlite_version << ", Groonga " << s.groonga_version
      << "; seed " << s.seed << ", " << s.users << " users; load average " << s.load_before
      << " before, " << s.load_after << " after.\n";
}

void write_json(std::ostream& out, const BenchReport& report) {
  const RunSettings& s = report.settings;
  std::string json = "{";
  json_key(json, "settings");
  json += '{';
  json_field(json, "messages", static_cast<double>(s.messages));
  json_field(json, "rooms", static_cast<double>(s.rooms));
  json_field(json, "accounts", static_cast<double>(s.accounts));
  json_field(json, "seed", static_cast<double>(s.seed));
  json_field(json, "batch", static_cast<double>(s.batch));
  json_field(json, "users", static_cast<double>(s.users));
  json_field(json, "rooms_per_user", static_cast<double>(s.rooms_per_user));
  json_field(json, "user_message_share", s.user_message_share);
  json_field(json, "limit", static_cast<double>(s.limit));
  json_field(json, "machine", s.machine);
  json_field(json, "sqlite_version", s.sqlite_version);
  json_field(json, "groonga_version", s.groonga_version);
  json_field(json, "load_before", s.load_before);
  json_field(json, "load_after", s.load_after);
  json_close(json, '}');
  json_key(json, "indexing");
  append_index_stats(json, report.indexing);
  json_key(json, "rebuilding");
  append_index_stats(json, report.rebuilding);
  json_key(json, "latencies");
  json += '[';
  for (const LatencyStats& l : report.latencies) {
    json += '{';
    json_field(json, "class", l.query_class);
    json_field(json, "engine", l.engine);
    json_field(json, "queries", static_cast<double>(l.queries));
    json_field(json, "p50_us", l.p50_us);
    json_field(json, "p90_us", l.p90_us);
    json_field(json, "p99_us", l.p99_us);
    json_field(json, "max_us", l.max_us);
    json_field(json, "mean_us", l.mean_us);
    json_field(json, "cpu_p50_us", l.cpu_p50_us);
    json_field(json, "cpu_p99_us", l.cpu_p99_us);
    json_field(json, "mean_total", l.mean_total);
    json_field(json, "zero_totals", static_cast<double>(l.zero_totals));
    json_close(json, '}');
  }
  json_close(json, ']');
  json_key(json, "agreements");
  json += '[';
  for (const Agreement& a : report.agreements) {
    json += '{';
    json_field(json, "class", a.query_class);
    json_field(json, "compared", static_cast<double>(a.compared));
    json_field(json, "equal", static_cast<double>(a.equal));
    json_field(json, "kaiwa_more", static_cast<double>(a.first_more));
    json_field(json, "fts5_more", static_cast<double>(a.second_more));
    json_close(json, '}');
  }
  json_close(json, ']');
  json_key(json, "classes");
  json += '[';
  for (const QueryClassInfo& c : report.classes) {
    json += '{';
    json_field(json, "name", c.name);
    json_field(json, "description", c.description);
    json_close(json, '}');
  }
  json_close(json, ']');
  json.back() = '}';  // in place of the comma after the last member
  out << json << '\n';
}

}  // namespace search_bench
