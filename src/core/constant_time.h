// Comparing secrets without leaking, through timing, how much of a guess was right.
#pragma once

#include <cstddef>
#include <string_view>

namespace kaiwa::core {

inline bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace kaiwa::core
