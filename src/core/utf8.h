// UTF-8 checks for client text: validity, length in code points (Chatwork limits count
// characters, not bytes) and characters Kaiwa refuses to store.
#pragma once

#include <cstddef>
#include <string_view>

namespace kaiwa::core {

// True if `text` is well-formed UTF-8 (Unicode Table 3-7): no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF, no truncated or stray continuation bytes.
bool is_valid_utf8(std::string_view text);

// Number of code points in `text`. Requires is_valid_utf8(text); on invalid input the result
// is some count no larger than text.size(), never undefined behaviour.
std::size_t count_code_points(std::string_view text);

// True if `text` holds a character Kaiwa refuses to store. Today that is only NUL (U+0000):
// it truncates C strings in the storage and search engines, while tabs, newlines and other
// controls are valid Chatwork text.
bool has_forbidden_controls(std::string_view text);

}  // namespace kaiwa::core
