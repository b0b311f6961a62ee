// Writing JSON string literals by hand, for the few places outside the API codec that need it
// (event payloads, admin output) and must not pull a JSON library into core.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace kaiwa::core {

// Appends value as a quoted JSON string; control characters and non-ASCII-safe bytes escaped.
void append_json_string(std::string& out, std::string_view value);

// One JSON log line: {"msg": msg, key: value, ...} with every value escaped, so a quote or a
// newline inside an error message cannot break the line.
std::string json_log_line(
    std::string_view msg,
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields = {});

}  // namespace kaiwa::core
