#include "core/validation.h"

#include <array>
#include <string>

#include "core/limits.h"
#include "core/utf8.h"

namespace kaiwa::core {

Status validate_text(std::string_view field, std::string_view value, std::size_t min_chars,
                     std::size_t max_chars) {
  const std::string name = "Parameter '" + std::string(field) + "'";
  if (!is_valid_utf8(value) || has_forbidden_controls(value)) {
    return Error::invalid_argument(name + " is not valid UTF-8 text");
  }
  std::size_t chars = count_code_points(value);
  if (chars < min_chars) {
    return Error::invalid_argument(min_chars == 1 ? name + " is required" : name + " is too short");
  }
  if (chars > max_chars) {
    return Error::invalid_argument(name + " must be at most " + std::to_string(max_chars) +
                                   " characters");
  }
  return ok();
}

bool is_icon_preset(std::string_view preset) {
  static constexpr std::array<std::string_view, 17> kPresets = {
      "group", "check", "document", "meeting", "event", "project", "business", "study", "security",
      "star",  "idea",  "heart",    "magcup",  "beer",  "music",   "sports",   "travel"};
  for (std::string_view known : kPresets) {
    if (known == preset) {
      return true;
    }
  }
  return false;
}

Status validate_link_code(std::string_view code) {
  if (code.empty() || code.size() > kMaxLinkCodeChars) {
    return Error::invalid_argument("Parameter 'code' must be 1 to 50 characters");
  }
  for (char c : code) {
    bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '-';
    if (!allowed) {
      return Error::invalid_argument("Parameter 'code' may contain only A-Z, a-z, 0-9, _ and -");
    }
  }
  return ok();
}

Status validate_email(std::string_view email) {
  constexpr std::size_t kMaxEmailChars = 254;
  auto text = validate_text("email", email, 3, kMaxEmailChars);
  if (!text) {
    Error error = text.error();
    return std::move(error).because(reason::kInvalidEmail);
  }
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size() ||
      email.find_first_of(" \t\r\n") != std::string_view::npos) {
    return Error::invalid_argument("Parameter 'email' is not an email address")
        .because(reason::kInvalidEmail);
  }
  return ok();
}

}  // namespace kaiwa::core
