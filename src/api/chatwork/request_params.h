// Typed access to a Chatwork request's parameters, with Chatwork's rules (api notes §1, §9):
// POST/PUT read the form body only, GET the query, DELETE both; booleans 0/1/true/false; id
// lists comma-separated, empty meaning none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "edge/form_params.h"
#include "edge/http_types.h"

namespace kaiwa::api::chatwork {

class RequestParams {
 public:
  // Errors: kInvalidArgument for a malformed body or query.
  static core::Result<RequestParams> from(const edge::HttpRequest& request);

  core::Result<std::string> required_text(std::string_view name) const;
  std::optional<std::string> optional_text(std::string_view name) const;
  core::Result<std::optional<bool>> optional_flag(std::string_view name) const;
  core::Result<bool> flag(std::string_view name, bool default_value) const;
  core::Result<std::optional<std::int64_t>> optional_int(std::string_view name) const;
  core::Result<std::optional<std::int64_t>> optional_id(std::string_view name) const;
  // At most kMaxIdsInList positive ids; absent or "" is an empty list.
  core::Result<std::vector<core::AccountId>> account_ids(std::string_view name) const;
  core::Result<std::vector<core::RoomId>> room_ids(std::string_view name) const;

  bool contains(std::string_view name) const { return params_.contains(name); }

 private:
  explicit RequestParams(edge::FormParams params) : params_(std::move(params)) {}

  core::Result<std::vector<std::int64_t>> id_list(std::string_view name,
                                                  std::string_view what) const;

  edge::FormParams params_;
};

// A positive decimal id from the path. Errors: kInvalidArgument otherwise (Chatwork answers 400
// for a malformed id; an unknown well-formed one is 404 further in).
core::Result<std::int64_t> path_id(const edge::HttpRequest& request, std::string_view name);

// A count such as offset or limit: default_value when absent, kInvalidArgument when negative.
// Counts above a use case's range reach it as values it rejects.
core::Result<std::size_t> count_param(const RequestParams& params, std::string_view name,
                                      std::size_t default_value);

// Parses a positive int64 decimal; nullopt for anything else.
std::optional<std::int64_t> parse_positive_id(std::string_view text);

}  // namespace kaiwa::api::chatwork
