#include "adapters/groonga/groonga_query.h"

namespace kaiwa::groonga {
namespace {

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

void append_percent_encoded(std::string& out, std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  for (const char c : text) {
    if (is_unreserved(c)) {
      out += c;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4U];
    out += kHex[byte & 0x0FU];
  }
}

std::string clause_syntax(const core::SearchClause& clause) {
  if (clause.alternatives.size() == 1) {
    return quote_phrase(clause.alternatives.front());
  }
  std::string syntax = "(";
  for (std::size_t i = 0; i < clause.alternatives.size(); ++i) {
    if (i > 0) {
      syntax += " OR ";
    }
    syntax += quote_phrase(clause.alternatives[i]);
  }
  return syntax + ")";
}

}  // namespace

std::string quote_phrase(std::string_view text) {
  std::string phrase = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      phrase += '\\';
    }
    phrase += c;
  }
  return phrase + "\"";
}

std::string to_query_syntax(const core::SearchQuery& query) {
  std::string syntax = "(";
  for (std::size_t i = 0; i < query.required.size(); ++i) {
    if (i > 0) {
      syntax += ' ';
    }
    syntax += clause_syntax(query.required[i]);
  }
  syntax += ')';
  for (const std::string& excluded : query.excluded) {
    syntax += " - " + quote_phrase(excluded);
  }
  return syntax;
}

std::string to_filter_syntax(const core::SearchQuery& query, std::string_view column) {
  const auto match = [column](const std::string& phrase) {
    return std::string(column) + " @ " + quote_phrase(phrase);
  };
  std::string syntax;
  for (const core::SearchClause& clause : query.required) {
    if (!syntax.empty()) {
      syntax += " && ";
    }
    if (clause.alternatives.size() == 1) {
      syntax += match(clause.alternatives.front());
      continue;
    }
    syntax += '(';
    for (std::size_t i = 0; i < clause.alternatives.size(); ++i) {
      if (i > 0) {
        syntax += " || ";
      }
      syntax += match(clause.alternatives[i]);
    }
    syntax += ')';
  }
  for (const std::string& excluded : query.excluded) {
    syntax += " &! " + match(excluded);
  }
  return syntax;
}

std::string in_keys(std::string_view column, const std::vector<std::int64_t>& values) {
  std::string call = "in_values(";
  call += column;
  for (const std::int64_t value : values) {
    call += ", \"" + std::to_string(value) + "\"";
  }
  return call + ")";
}

std::string command_uri(std::string_view name, const CommandParams& params) {
  std::string uri = "/d/";
  append_percent_encoded(uri, name);
  char separator = '?';
  for (const auto& [key, value] : params) {
    uri += separator;
    append_percent_encoded(uri, key);
    uri += '=';
    append_percent_encoded(uri, value);
    separator = '&';
  }
  return uri;
}

}  // namespace kaiwa::groonga
