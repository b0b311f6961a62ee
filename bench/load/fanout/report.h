#pragma once

#include <string>
#include <utility>
#include <vector>

namespace fanout {

// One result row: named columns in order, printed as a Markdown table row (with the header
// when asked, so a driver script can stack runs into one table) or as a JSON object.
class Report {
 public:
  Report& add(std::string column, std::string value);
  Report& add(std::string column, double value, int decimals);

  void print_markdown(bool with_header) const;
  void print_json() const;

 private:
  std::vector<std::pair<std::string, std::string>> columns_;
};

}  // namespace fanout
