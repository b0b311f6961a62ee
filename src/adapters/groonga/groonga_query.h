// Groonga's query and command syntax, built only from values Kaiwa controls: every user string
// is a quoted, escaped phrase and every command parameter is percent-encoded, so nothing a user
// types can become a Groonga operator, column reference, script or command (issue 4, item 2).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/search_query.h"

namespace kaiwa::groonga {

// "text" with \ and " escaped: a phrase of Groonga's query syntax.
std::string quote_phrase(std::string_view text);

// The query syntax for `select --query`: (clause clause ...) - "excluded" ..., where a clause of
// several alternatives is ("a" OR "b").
std::string to_query_syntax(const core::SearchQuery& query);

// The same query in the script syntax of `select --filter`, for `column`: column @ "a" for a
// phrase, (column @ "a" || column @ "b") for a clause of alternatives, clauses joined by &&, and
// &! column @ "excluded" after them. It matches what to_query_syntax matches (both are phrase
// searches through the same index), so either can carry a query.
std::string to_filter_syntax(const core::SearchQuery& query, std::string_view column);

// in_values(column, "a", "b", ...) over integers written as text keys: for a column that refers to
// a table keyed by ShortText (see GroongaSearchIndex's schema for why text).
std::string in_keys(std::string_view column, const std::vector<std::int64_t>& values);

using CommandParams = std::vector<std::pair<std::string_view, std::string>>;

// "/d/<name>?key=value&..." with every key and value percent-encoded: the URI form of a command,
// which Groonga parses the same way embedded (grn_ctx_send) and over HTTP.
std::string command_uri(std::string_view name, const CommandParams& params);

}  // namespace kaiwa::groonga
