#include "api/chatwork/request_params.h"

#include <charconv>

#include "core/limits.h"

namespace kaiwa::api::chatwork {
namespace {

std::string param_name(std::string_view name) { return "Parameter '" + std::string(name) + "'"; }

}  // namespace

std::optional<std::int64_t> parse_positive_id(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.size() > 19) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

core::Result<RequestParams> RequestParams::from(const edge::HttpRequest& request) {
  const bool has_body =
      request.method == "POST" || request.method == "PUT" || request.method == "DELETE";
  if (!has_body) {
    KAIWA_ASSIGN_OR_RETURN(auto query, edge::FormParams::parse_urlencoded(request.query));
    return RequestParams(std::move(query));
  }
  // Since 2025-07 Chatwork ignores query parameters on POST and PUT; DELETE takes both, because
  // half of the clients send its parameters in the query (api notes §9.1).
  KAIWA_ASSIGN_OR_RETURN(auto body, edge::FormParams::parse_urlencoded(request.body));
  if (request.method == "DELETE") {
    KAIWA_ASSIGN_OR_RETURN(auto query, edge::FormParams::parse_urlencoded(request.query));
    body.merge_missing_from(query);
  }
  return RequestParams(std::move(body));
}

core::Result<std::string> RequestParams::required_text(std::string_view name) const {
  auto value = params_.get(name);
  if (!value || value->empty()) {
    return core::Error::invalid_argument(param_name(name) + " is required");
  }
  return std::string(*value);
}

std::optional<std::string> RequestParams::optional_text(std::string_view name) const {
  auto value = params_.get(name);
  if (!value) {
    return std::nullopt;
  }
  return std::string(*value);
}

core::Result<std::optional<bool>> RequestParams::optional_flag(std::string_view name) const {
  auto value = params_.get(name);
  if (!value) {
    return std::optional<bool>();
  }
  if (*value == "1" || *value == "true") {
    return std::optional<bool>(true);
  }
  if (*value == "0" || *value == "false") {
    return std::optional<bool>(false);
  }
  return core::Error::invalid_argument(param_name(name) + " must be 0 or 1");
}

core::Result<bool> RequestParams::flag(std::string_view name, bool default_value) const {
  KAIWA_ASSIGN_OR_RETURN(auto value, optional_flag(name));
  return value.value_or(default_value);
}

core::Result<std::optional<std::int64_t>> RequestParams::optional_int(std::string_view name) const {
  auto value = params_.get(name);
  if (!value || value->empty()) {
    return std::optional<std::int64_t>();
  }
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (ec != std::errc() || end != value->data() + value->size()) {
    return core::Error::invalid_argument(param_name(name) + " must be an integer");
  }
  return std::optional<std::int64_t>(number);
}

core::Result<std::optional<std::int64_t>> RequestParams::optional_id(std::string_view name) const {
  auto value = params_.get(name);
  if (!value || value->empty()) {
    return std::optional<std::int64_t>();
  }
  auto id = parse_positive_id(*value);
  if (!id) {
    return core::Error::invalid_argument(param_name(name) + " must be a positive integer id");
  }
  return std::optional<std::int64_t>(*id);
}

core::Result<std::vector<std::int64_t>> RequestParams::id_list(std::string_view name,
                                                               std::string_view what) const {
  std::vector<std::int64_t> ids;
  auto value = params_.get(name);
  if (!value || value->empty()) {
    return ids;
  }
  std::string_view rest = *value;
  while (true) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    auto id = parse_positive_id(item);
    if (!id) {
      return core::Error::invalid_argument(
          param_name(name) + " must be a comma-separated list of " + std::string(what));
    }
    ids.push_back(*id);
    if (ids.size() > core::kMaxIdsInList) {
      return core::Error::invalid_argument(param_name(name) + " lists more than 100 ids");
    }
    if (comma == std::string_view::npos) {
      return ids;
    }
    rest.remove_prefix(comma + 1);
  }
}

core::Result<std::vector<core::AccountId>> RequestParams::account_ids(std::string_view name) const {
  KAIWA_ASSIGN_OR_RETURN(std::vector<std::int64_t> values, id_list(name, "account ids"));
  return std::vector<core::AccountId>(values.begin(), values.end());
}

core::Result<std::vector<core::RoomId>> RequestParams::room_ids(std::string_view name) const {
  KAIWA_ASSIGN_OR_RETURN(std::vector<std::int64_t> values, id_list(name, "room ids"));
  return std::vector<core::RoomId>(values.begin(), values.end());
}

core::Result<std::size_t> count_param(const RequestParams& params, std::string_view name,
                                      std::size_t default_value) {
  KAIWA_ASSIGN_OR_RETURN(std::optional<std::int64_t> count, params.optional_int(name));
  if (!count) {
    return default_value;
  }
  if (*count < 0) {
    return core::Error::invalid_argument("Parameter '" + std::string(name) +
                                         "' must not be negative");
  }
  return static_cast<std::size_t>(*count);
}

core::Result<std::int64_t> path_id(const edge::HttpRequest& request, std::string_view name) {
  auto id = parse_positive_id(request.path_param(name));
  if (!id) {
    return core::Error::invalid_argument("Invalid " + std::string(name));
  }
  return *id;
}

}  // namespace kaiwa::api::chatwork
