#include "fanout/report.h"

#include <cstdio>

#include <fmt/format.h>

namespace fanout {

Report& Report::add(std::string column, std::string value) {
  columns_.emplace_back(std::move(column), std::move(value));
  return *this;
}

Report& Report::add(std::string column, double value, int decimals) {
  return add(std::move(column), fmt::format("{:.{}f}", value, decimals));
}

void Report::print_markdown(bool with_header) const {
  if (with_header) {
    for (const auto& [column, value] : columns_) {
      std::printf("| %s ", column.c_str());
    }
    std::printf("|\n");
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      std::printf("|---");
    }
    std::printf("|\n");
  }
  for (const auto& [column, value] : columns_) {
    std::printf("| %s ", value.c_str());
  }
  std::printf("|\n");
  std::fflush(stdout);
}

void Report::print_json() const {
  std::printf("{");
  const char* separator = "";
  for (const auto& [column, value] : columns_) {
    // Names and values are this tool's own text: letters, digits, units; nothing to escape.
    std::printf(R"(%s"%s":"%s")", separator, column.c_str(), value.c_str());
    separator = ",";
  }
  std::printf("}\n");
  std::fflush(stdout);
}

}  // namespace fanout
