#include "core/json_text.h"

namespace kaiwa::core {

void append_json_string(std::string& out, std::string_view value) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  out.push_back('"');
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0x0f]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string json_log_line(
    std::string_view msg,
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string line = "{\"msg\":";
  append_json_string(line, msg);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    append_json_string(line, key);
    line.push_back(':');
    append_json_string(line, value);
  }
  line.push_back('}');
  return line;
}

}  // namespace kaiwa::core
