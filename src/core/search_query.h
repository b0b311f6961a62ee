// What a user asks the message search for (design.md §6), parsed from the query box's text.
// Pure: the search adapters turn it into their engine's syntax, quoting every word.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kaiwa::core {

// Matches a message that contains any one of its alternatives (each a contiguous string).
struct SearchClause {
  std::vector<std::string> alternatives;
};

// A message matches when every required clause matches and no excluded string appears.
struct SearchQuery {
  static constexpr std::size_t kMaxCharacters = 1000;
  static constexpr std::size_t kMaxWords = 16;

  std::vector<SearchClause> required;
  std::vector<std::string> excluded;
};

// Parses the query syntax of GET /kaiwa/v1/search (docs/api/kaiwa-openapi.yaml): words split at
// ASCII and full-width spaces are ANDed; "phrases" keep their spaces (\" and \\ escape inside);
// OR between two terms joins them into one clause; -word and NOT word exclude. Everything else,
// brackets, colons and stars included, is plain text to look for.
// Errors: kInvalidArgument for invalid UTF-8, NUL, over kMaxCharacters or kMaxWords, an
// unterminated phrase, no word to look for, or an exclusion inside an OR.
Result<SearchQuery> parse_search_query(std::string_view text);

}  // namespace kaiwa::core
