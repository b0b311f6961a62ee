// Text folded for matching what people type against names and emails (the colleague filter):
// Unicode NFKC plus case folding, so ｋａｉｗａ, KAIWA and kaiwa, or ｶｲﾜ and カイワ, are one.
#pragma once

#include <string>
#include <string_view>

namespace kaiwa::ports {

// Implementations are thread-safe.
class TextNormalizer {
 public:
  virtual ~TextNormalizer() = default;

  // The folded form of UTF-8 text; "" for text it cannot read (invalid UTF-8).
  virtual std::string normalize(std::string_view text) const = 0;
};

}  // namespace kaiwa::ports
