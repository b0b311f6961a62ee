// UTF-8 validation and counting, written against Unicode Table 3-7 (well-formed byte sequences).
#include "core/utf8.h"

namespace kaiwa::core {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const std::size_t size = text.size();
  std::size_t pos = 0;
  while (pos < size) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80U) {
      ++pos;
      continue;
    }
    // The allowed range of the second byte depends on the lead byte: narrowing it rejects
    // overlongs (E0, F0), surrogates (ED) and code points above U+10FFFF (F4) in one place.
    std::size_t length = 0;
    unsigned char second_min = 0x80U;
    unsigned char second_max = 0xBFU;
    if (lead >= 0xC2U && lead <= 0xDFU) {
      length = 2;
    } else if (lead == 0xE0U) {
      length = 3;
      second_min = 0xA0U;
    } else if (lead == 0xEDU) {
      length = 3;
      second_max = 0x9FU;
    } else if (lead >= 0xE1U && lead <= 0xEFU) {
      length = 3;
    } else if (lead == 0xF0U) {
      length = 4;
      second_min = 0x90U;
    } else if (lead >= 0xF1U && lead <= 0xF3U) {
      length = 4;
    } else if (lead == 0xF4U) {
      length = 4;
      second_max = 0x8FU;
    } else {
      // 80..C1 (continuation or overlong 2-byte lead) and F5..FF never start a sequence.
      return false;
    }
    if (size - pos < length) {
      return false;
    }
    const auto second = static_cast<unsigned char>(text[pos + 1]);
    if (second < second_min || second > second_max) {
      return false;
    }
    for (std::size_t i = 2; i < length; ++i) {
      if (!is_continuation(static_cast<unsigned char>(text[pos + i]))) {
        return false;
      }
    }
    pos += length;
  }
  return true;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if (!is_continuation(static_cast<unsigned char>(c))) {
      ++count;
    }
  }
  return count;
}

bool has_forbidden_controls(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

}  // namespace kaiwa::core
