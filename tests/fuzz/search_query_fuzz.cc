// The search box's text is parsed, then rebuilt in Groonga's query syntax and in its script
// syntax for --filter (issue 4: user input must never reach Groonga as an operator, a column or
// a command). The check re-reads both and requires that every user string is inside a quoted
// phrase and comes back unchanged, and that the command URI carrying it holds no unencoded byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/groonga/groonga_query.h"
#include "core/search_query.h"

namespace {

// The phrases of `syntax`, unescaped, in order; aborts if anything outside a phrase is not one of
// `operators`, a parenthesis or a blank: what Kaiwa itself writes.
std::vector<std::string> phrases_of(std::string_view syntax,
                                    std::initializer_list<std::string_view> operators) {
  std::vector<std::string> phrases;
  std::size_t i = 0;
  while (i < syntax.size()) {
    const char c = syntax[i];
    if (c == '"') {
      std::string phrase;
      ++i;
      while (i < syntax.size() && syntax[i] != '"') {
        if (syntax[i] == '\\') {
          ++i;
          if (i == syntax.size()) {
            std::abort();  // an escape with nothing after it would eat the closing quote
          }
        }
        phrase += syntax[i++];
      }
      if (i == syntax.size()) {
        std::abort();  // unterminated phrase
      }
      ++i;
      phrases.push_back(std::move(phrase));
      continue;
    }
    bool known = false;
    for (const std::string_view op : operators) {
      if (syntax.substr(i, op.size()) == op) {
        i += op.size();
        known = true;
        break;
      }
    }
    if (known) {
      continue;
    }
    if (c == '(' || c == ')' || c == ' ') {
      ++i;
    } else {
      std::abort();  // a user byte outside a phrase
    }
  }
  return phrases;
}

bool is_uri_safe(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("-_.~%/?=&").find(c) != std::string_view::npos;
}

}  // namespace

// libFuzzer calls this name.
extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto query = kaiwa::core::parse_search_query(text);
  if (!query) {
    return 0;
  }
  std::vector<std::string> expected;
  for (const kaiwa::core::SearchClause& clause : query->required) {
    if (clause.alternatives.empty()) {
      std::abort();
    }
    for (const std::string& alternative : clause.alternatives) {
      expected.push_back(alternative);
    }
  }
  if (expected.empty()) {
    std::abort();  // a query with nothing to look for is an error, not a match-all
  }
  expected.insert(expected.end(), query->excluded.begin(), query->excluded.end());

  const std::string syntax = kaiwa::groonga::to_query_syntax(*query);
  if (phrases_of(syntax, {" OR ", " - "}) != expected) {
    std::abort();
  }
  const std::string filter = kaiwa::groonga::to_filter_syntax(*query, "body");
  if (phrases_of(filter, {"body @ ", " && ", " || ", " &! "}) != expected) {
    std::abort();
  }
  const std::string uri =
      kaiwa::groonga::command_uri("select", {{"query", syntax}, {"filter", filter}});
  for (const char c : uri) {
    if (!is_uri_safe(c)) {
      std::abort();
    }
  }
  return 0;
}
