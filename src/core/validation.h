// Input rules shared by every use case: text lengths in characters, enums, link codes.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace kaiwa::core {

// Valid UTF-8 without NUL, between min_chars and max_chars code points. `field` names the
// parameter in the error, as Chatwork does ("Parameter 'body' ...").
Status validate_text(std::string_view field, std::string_view value, std::size_t min_chars,
                     std::size_t max_chars);

// Text shaped like an email address (something@something, no spaces, at most 254 characters).
// Errors carry reason::kInvalidEmail.
Status validate_email(std::string_view email);

bool is_icon_preset(std::string_view preset);

// 1..50 characters of [A-Za-z0-9_-] (api notes §2).
Status validate_link_code(std::string_view code);

}  // namespace kaiwa::core
