// The query box's syntax, read left to right into terms, then grouped into clauses. Every term is
// a literal string in the result: nothing a user types can become engine syntax.
#include "core/search_query.h"

#include <optional>

#include "core/utf8.h"

namespace kaiwa::core {
namespace {

constexpr std::string_view kIdeographicSpace = "\u3000";

struct Term {
  std::string text;
  bool excluded = false;
  bool is_or = false;  // the bare word OR, which joins its neighbours
};

bool is_space_at(std::string_view text, std::size_t pos) {
  const char c = text[pos];
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
         text.substr(pos).starts_with(kIdeographicSpace);
}

std::size_t space_length(std::string_view text, std::size_t pos) {
  return text[pos] == kIdeographicSpace[0] ? kIdeographicSpace.size() : 1;
}

// Reads the phrase whose opening quote is at `pos`; leaves pos after the closing quote.
Result<std::string> read_phrase(std::string_view text, std::size_t& pos) {
  std::string phrase;
  for (++pos; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '"') {
      ++pos;
      return phrase;
    }
    if (c == '\\' && pos + 1 < text.size() && (text[pos + 1] == '"' || text[pos + 1] == '\\')) {
      ++pos;
    }
    phrase += text[pos];
  }
  return Error::invalid_argument("the query has a \" without its closing \"")
      .because(reason::kSearchUnclosedQuote);
}

std::string read_word(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < text.size() && !is_space_at(text, pos)) {
    ++pos;
  }
  return std::string(text.substr(start, pos - start));
}

Result<std::vector<Term>> read_terms(std::string_view text) {
  std::vector<Term> terms;
  bool negate_next = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (is_space_at(text, pos)) {
      pos += space_length(text, pos);
      continue;
    }
    Term term;
    term.excluded = negate_next;
    negate_next = false;
    const bool dash = text[pos] == '-' && pos + 1 < text.size() && !is_space_at(text, pos + 1);
    if (dash) {
      term.excluded = true;
      ++pos;
    }
    if (text[pos] == '"') {
      KAIWA_ASSIGN_OR_RETURN(term.text, read_phrase(text, pos));
      if (term.text.empty()) {
        continue;  // "" looks for nothing
      }
    } else {
      term.text = read_word(text, pos);
      if (!dash && !term.excluded && term.text == "NOT") {
        negate_next = true;
        continue;
      }
      term.is_or = !dash && !term.excluded && term.text == "OR";
    }
    terms.push_back(std::move(term));
  }
  if (negate_next) {
    terms.push_back(Term{"NOT", false, false});  // a trailing NOT is just the word
  }
  return terms;
}

bool joins(const std::vector<Term>& terms, std::size_t i) {
  return terms[i].is_or && i > 0 && i + 1 < terms.size() && !terms[i - 1].is_or &&
         !terms[i + 1].is_or;
}

}  // namespace

Result<SearchQuery> parse_search_query(std::string_view text) {
  if (!is_valid_utf8(text) || has_forbidden_controls(text)) {
    return Error::invalid_argument("the query must be UTF-8 text without NUL characters")
        .because(reason::kSearchBadText);
  }
  if (count_code_points(text) > SearchQuery::kMaxCharacters) {
    return Error::invalid_argument("the query is longer than 1000 characters")
        .because(reason::kSearchTooLong);
  }
  KAIWA_ASSIGN_OR_RETURN(std::vector<Term> terms, read_terms(text));

  SearchQuery query;
  std::size_t words = 0;
  bool join_next = false;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (joins(terms, i)) {
      if (terms[i - 1].excluded || terms[i + 1].excluded) {
        return Error::invalid_argument("an excluded word cannot be part of an OR")
            .because(reason::kSearchExcludedOr);
      }
      join_next = true;
      continue;
    }
    Term& term = terms[i];
    if (++words > SearchQuery::kMaxWords) {
      return Error::invalid_argument("the query has more than 16 words")
          .because(reason::kSearchTooManyWords);
    }
    if (term.excluded) {
      query.excluded.push_back(std::move(term.text));
    } else if (join_next) {
      query.required.back().alternatives.push_back(std::move(term.text));
    } else {
      query.required.push_back(SearchClause{{std::move(term.text)}});
    }
    join_next = false;
  }
  if (query.required.empty()) {
    return Error::invalid_argument("the query needs a word to look for")
        .because(reason::kSearchNoWord);
  }
  return query;
}

}  // namespace kaiwa::core
