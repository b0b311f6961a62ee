// Small string builders for tests. They append instead of using `"literal" + std::to_string(n)`,
// which GCC 12 at -O3 flags with a false -Wrestrict (GCC bug 105329).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kaiwa::test {

// prefix + n + suffix, e.g. numbered("key-", 3) == "key-3".
inline std::string numbered(std::string_view prefix, std::int64_t n, std::string_view suffix = "") {
  std::string out(prefix);
  out += std::to_string(n);
  out += suffix;
  return out;
}

}  // namespace kaiwa::test
