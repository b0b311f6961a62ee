// Writing JSON string literals by hand, for the few places outside the API codec that need it
// (event payloads, admin output) and must not pull a JSON library into core.
#pragma once

#include <string>
#include <string_view>

namespace kaiwa::core {

// Appends value as a quoted JSON string; control characters and non-ASCII-safe bytes escaped.
void append_json_string(std::string& out, std::string_view value);

}  // namespace kaiwa::core
