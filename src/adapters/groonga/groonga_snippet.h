// Snippets of search hits, marked the way the index matched: the query's words are found in the
// message text under the lexicon's own normalizer (width, case, ー/-), which Groonga's snippet()
// cannot be given (it takes no normalizer options).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ports/search_index.h"

struct _grn_ctx;  // NOLINT(bugprone-reserved-identifier): Groonga's own name
struct _grn_obj;  // NOLINT(bugprone-reserved-identifier)

namespace kaiwa::groonga {

// A byte range [begin, end) of a text.
struct TextRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Not thread-safe: one per search, on that search's context.
class SnippetMarker {
 public:
  // lexicon: the table whose normalizer the index uses; words: what to mark.
  SnippetMarker(_grn_ctx* ctx, _grn_obj* lexicon, const std::vector<std::string>& words);

  // Where the words occur in text, in order, overlapping ones merged.
  std::vector<TextRange> find(std::string_view text) const;

 private:
  std::string normalize(std::string_view text) const;

  _grn_ctx* ctx_;
  _grn_obj* lexicon_;
  std::vector<std::string> normalized_words_;
};

// About max_chars code points of text around the first mark (chars_before of them before it),
// as fragments in order with the marks inside flagged. No marks: the start of the text.
std::vector<ports::SnippetFragment> snippet_around(std::string_view text,
                                                   const std::vector<TextRange>& marks,
                                                   std::size_t chars_before, std::size_t max_chars);

}  // namespace kaiwa::groonga
