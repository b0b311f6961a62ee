// Chatwork notation analysis: a single forward scan with a quote depth counter and a code flag,
// so hostile bodies (deep nesting, thousands of tags, unclosed tags) cost linear time.
#include "core/message_markup.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace kaiwa::core {
namespace {

constexpr std::string_view kCodeOpen = "[code]";
constexpr std::string_view kCodeClose = "[/code]";
constexpr std::string_view kQuoteOpen = "[qt]";
constexpr std::string_view kQuoteClose = "[/qt]";
constexpr std::string_view kToAll = "[toall]";
constexpr std::string_view kToPrefix = "[To:";
constexpr std::string_view kReplyPrefix = "[rp ";
constexpr std::string_view kAidKey = "aid=";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Accepts only a non-empty run of ASCII digits whose value fits a positive int64.
std::optional<std::int64_t> parse_positive_id(std::string_view digits) {
  if (digits.empty()) {
    return std::nullopt;
  }
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  for (const char c : digits) {
    if (!is_digit(c)) {
      return std::nullopt;
    }
    const std::int64_t digit = c - '0';
    if (value > (kMax - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  if (value == 0) {
    return std::nullopt;
  }
  return value;
}

// Parses "[To:123]" at the start of `text`.
std::optional<std::int64_t> parse_to_tag(std::string_view text) {
  std::size_t end = kToPrefix.size();
  while (end < text.size() && is_digit(text[end])) {
    ++end;
  }
  if (end >= text.size() || text[end] != ']') {
    return std::nullopt;
  }
  return parse_positive_id(text.substr(kToPrefix.size(), end - kToPrefix.size()));
}

// Parses "[rp attr=value ...]" at the start of `text` and returns its aid. The attribute scan
// stops at the next '[', so two scans never cover the same bytes and a body of unterminated
// "[rp " tags stays linear.
std::optional<std::int64_t> parse_reply_tag(std::string_view text) {
  std::optional<std::int64_t> aid;
  bool saw_aid = false;
  std::size_t pos = kReplyPrefix.size();
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == ']') {
      return aid;
    }
    if (c == '[') {
      return std::nullopt;
    }
    if (c == ' ') {
      ++pos;
      continue;
    }
    std::size_t token_end = pos;
    while (token_end < text.size() && text[token_end] != ' ' && text[token_end] != ']' &&
           text[token_end] != '[') {
      ++token_end;
    }
    const std::string_view token = text.substr(pos, token_end - pos);
    // The first aid decides; a later duplicate must not turn a bad aid into a good one.
    if (!saw_aid && token.starts_with(kAidKey)) {
      saw_aid = true;
      aid = parse_positive_id(token.substr(kAidKey.size()));
    }
    pos = token_end;
  }
  return std::nullopt;
}

class MentionCollector {
 public:
  void add(std::int64_t id) {
    if (seen_.insert(id).second) {
      mentions_.account_ids.emplace_back(id);
    }
  }

  void set_to_all() { mentions_.to_all = true; }

  Mentions take() { return std::move(mentions_); }

 private:
  Mentions mentions_;
  // Keeps de-duplication linear when a body repeats thousands of distinct [To:] tags.
  std::unordered_set<std::int64_t> seen_;
};

}  // namespace

Mentions find_mentions(std::string_view body) {
  MentionCollector collector;
  // A counter instead of recursion: nesting depth is bounded only by the body size.
  std::size_t quote_depth = 0;
  bool in_code = false;

  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t open = body.find('[', pos);
    if (open == std::string_view::npos) {
      break;
    }
    const std::string_view rest = body.substr(open);
    pos = open + 1;

    if (in_code) {
      if (rest.starts_with(kCodeClose)) {
        in_code = false;
        pos = open + kCodeClose.size();
      }
      continue;
    }
    if (rest.starts_with(kCodeOpen)) {
      in_code = true;
      pos = open + kCodeOpen.size();
      continue;
    }
    if (rest.starts_with(kQuoteOpen)) {
      ++quote_depth;
      pos = open + kQuoteOpen.size();
      continue;
    }
    if (rest.starts_with(kQuoteClose)) {
      // A stray [/qt] outside any quote is plain text.
      if (quote_depth > 0) {
        --quote_depth;
      }
      pos = open + kQuoteClose.size();
      continue;
    }
    if (quote_depth > 0) {
      continue;
    }
    if (rest.starts_with(kToAll)) {
      collector.set_to_all();
      pos = open + kToAll.size();
    } else if (rest.starts_with(kToPrefix)) {
      if (const auto id = parse_to_tag(rest)) {
        collector.add(*id);
      }
    } else if (rest.starts_with(kReplyPrefix)) {
      if (const auto id = parse_reply_tag(rest)) {
        collector.add(*id);
      }
    }
  }
  return collector.take();
}

}  // namespace kaiwa::core
