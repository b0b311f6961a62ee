#include "core/search_text.h"

#include <array>
#include <cstddef>

namespace kaiwa::core {
namespace {

constexpr std::string_view kCodeOpen = "[code]";
constexpr std::string_view kCodeClose = "[/code]";

// Chatwork's tags (api notes §7) and the ones Kaiwa's own system messages use.
constexpr std::array<std::string_view, 15> kTagNames = {
    "To", "rp",    "toall",     "qt",    "qtmeta", "info",    "title",   "code",
    "hr", "picon", "piconname", "dtext", "task",   "preview", "download"};

bool is_known_name(std::string_view name) {
  for (const std::string_view known : kTagNames) {
    if (name == known) {
      return true;
    }
  }
  return false;
}

// The length of the tag that starts `text` ("[name]", "[/name]", "[name:value]", "[name attrs]"),
// or 0 when it is not one. The scan stops at the next '[', so no byte is scanned twice.
std::size_t tag_length(std::string_view text) {
  std::size_t pos = 1;
  if (pos < text.size() && text[pos] == '/') {
    ++pos;
  }
  const std::size_t name_start = pos;
  while (pos < text.size() &&
         ((text[pos] >= 'a' && text[pos] <= 'z') || (text[pos] >= 'A' && text[pos] <= 'Z'))) {
    ++pos;
  }
  if (pos >= text.size() || !is_known_name(text.substr(name_start, pos - name_start))) {
    return 0;
  }
  if (text[pos] == ']') {
    return pos + 1;
  }
  if (text[pos] != ':' && text[pos] != ' ') {
    return 0;
  }
  for (; pos < text.size(); ++pos) {
    if (text[pos] == ']') {
      return pos + 1;
    }
    if (text[pos] == '[' || text[pos] == '\n') {
      return 0;
    }
  }
  return 0;
}

void append_separator(std::string& out) {
  if (!out.empty() && out.back() != ' ' && out.back() != '\n') {
    out += ' ';
  }
}

void trim(std::string& text) {
  const std::size_t last = text.find_last_not_of(" \n");
  text.erase(last == std::string::npos ? 0 : last + 1);
  const std::size_t first = text.find_first_not_of(" \n");
  text.erase(0, first == std::string::npos ? text.size() : first);
}

}  // namespace

std::string searchable_text(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t open = body.find('[', pos);
    if (open == std::string_view::npos) {
      out.append(body.substr(pos));
      break;
    }
    out.append(body.substr(pos, open - pos));
    const std::string_view rest = body.substr(open);
    if (rest.starts_with(kCodeOpen)) {
      // Code is literal up to the first [/code]; an unclosed block runs to the end.
      const std::size_t close = rest.find(kCodeClose);
      const std::size_t content_end = close == std::string_view::npos ? rest.size() : close;
      append_separator(out);
      out.append(rest.substr(kCodeOpen.size(), content_end - kCodeOpen.size()));
      append_separator(out);
      pos = open + (close == std::string_view::npos ? rest.size() : close + kCodeClose.size());
      continue;
    }
    const std::size_t length = tag_length(rest);
    if (length == 0) {
      out += '[';
      pos = open + 1;
      continue;
    }
    append_separator(out);
    pos = open + length;
  }
  trim(out);
  return out;
}

}  // namespace kaiwa::core
