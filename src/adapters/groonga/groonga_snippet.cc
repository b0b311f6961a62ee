#include "adapters/groonga/groonga_snippet.h"

#include <algorithm>

#include <groonga.h>

namespace kaiwa::groonga {
namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

// The byte offset n code points before (negative n) or after pos, clamped to the text.
std::size_t step_code_points(std::string_view text, std::size_t pos, long n) {
  while (n < 0 && pos > 0) {
    --pos;
    while (pos > 0 && is_continuation_byte(text[pos])) {
      --pos;
    }
    ++n;
  }
  while (n > 0 && pos < text.size()) {
    ++pos;
    while (pos < text.size() && is_continuation_byte(text[pos])) {
      ++pos;
    }
    --n;
  }
  return pos;
}

// Leading blanks count toward the next character in Groonga's checks; a mark starts after them.
std::size_t skip_blanks(std::string_view text, std::size_t pos, std::size_t end) {
  constexpr std::string_view kIdeographicSpace = "\u3000";
  while (pos < end) {
    if (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r') {
      ++pos;
    } else if (text.substr(pos).starts_with(kIdeographicSpace)) {
      pos += kIdeographicSpace.size();
    } else {
      break;
    }
  }
  return pos;
}

void add(std::vector<ports::SnippetFragment>& fragments, std::string_view text, bool match) {
  if (text.empty()) {
    return;
  }
  if (!fragments.empty() && fragments.back().match == match) {
    fragments.back().text += text;
    return;
  }
  fragments.push_back({std::string(text), match});
}

}  // namespace

SnippetMarker::SnippetMarker(grn_ctx* ctx, grn_obj* lexicon, const std::vector<std::string>& words)
    : ctx_(ctx), lexicon_(lexicon) {
  for (const std::string& word : words) {
    std::string normalized = normalize(word);
    if (!normalized.empty()) {
      normalized_words_.push_back(std::move(normalized));
    }
  }
}

std::string SnippetMarker::normalize(std::string_view text) const {
  grn_obj* string = grn_string_open(ctx_, text.data(), static_cast<unsigned int>(text.size()),
                                    lexicon_, GRN_STRING_REMOVE_BLANK);
  if (string == nullptr) {
    return {};
  }
  const char* normalized = nullptr;
  unsigned int length = 0;
  grn_string_get_normalized(ctx_, string, &normalized, &length, nullptr);
  std::string copy(normalized == nullptr ? "" : normalized, length);
  grn_obj_close(ctx_, string);
  return copy;
}

std::vector<TextRange> SnippetMarker::find(std::string_view text) const {
  std::vector<TextRange> marks;
  if (normalized_words_.empty() || lexicon_ == nullptr) {
    return marks;
  }
  grn_obj* string = grn_string_open(ctx_, text.data(), static_cast<unsigned int>(text.size()),
                                    lexicon_, GRN_STRING_REMOVE_BLANK | GRN_STRING_WITH_CHECKS);
  if (string == nullptr) {
    return marks;
  }
  const char* normalized_data = nullptr;
  unsigned int length = 0;
  grn_string_get_normalized(ctx_, string, &normalized_data, &length, nullptr);
  const int16_t* checks = grn_string_get_checks(ctx_, string);
  const std::string_view normalized(normalized_data == nullptr ? "" : normalized_data, length);
  if (checks != nullptr) {
    // For every normalized byte, where its character starts and ends in the original text.
    std::vector<std::size_t> starts(normalized.size() + 1, 0);
    std::vector<std::size_t> ends(normalized.size() + 1, 0);
    std::size_t original = 0;
    std::size_t char_start = 0;
    std::size_t char_end = 0;
    for (std::size_t i = 0; i < normalized.size(); ++i) {
      if (checks[i] > 0) {
        char_start = original;
        original += static_cast<std::size_t>(checks[i]);
        char_end = original;
      }
      starts[i] = char_start;
      ends[i] = char_end;
    }
    for (const std::string& word : normalized_words_) {
      for (std::size_t at = normalized.find(word); at != std::string_view::npos;
           at = normalized.find(word, at + word.size())) {
        const std::size_t end = std::min(ends[at + word.size() - 1], text.size());
        marks.push_back({skip_blanks(text, starts[at], end), end});
      }
    }
  }
  grn_obj_close(ctx_, string);
  std::sort(marks.begin(), marks.end(),
            [](const TextRange& a, const TextRange& b) { return a.begin < b.begin; });
  std::vector<TextRange> merged;
  for (const TextRange& mark : marks) {
    if (mark.begin >= mark.end) {
      continue;
    }
    if (!merged.empty() && mark.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, mark.end);
    } else {
      merged.push_back(mark);
    }
  }
  return merged;
}

std::vector<ports::SnippetFragment> snippet_around(std::string_view text,
                                                   const std::vector<TextRange>& marks,
                                                   std::size_t chars_before,
                                                   std::size_t max_chars) {
  const std::size_t anchor = marks.empty() ? 0 : marks.front().begin;
  const std::size_t begin = step_code_points(text, anchor, -static_cast<long>(chars_before));
  const std::size_t end = step_code_points(text, begin, static_cast<long>(max_chars));
  std::vector<ports::SnippetFragment> fragments;
  std::size_t pos = begin;
  for (const TextRange& mark : marks) {
    const std::size_t mark_begin = std::clamp(mark.begin, pos, end);
    const std::size_t mark_end = std::clamp(mark.end, mark_begin, end);
    add(fragments, text.substr(pos, mark_begin - pos), false);
    add(fragments, text.substr(mark_begin, mark_end - mark_begin), true);
    pos = mark_end;
  }
  add(fragments, text.substr(pos, end - pos), false);
  return fragments;
}

}  // namespace kaiwa::groonga
