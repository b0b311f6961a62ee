// Decoded application/x-www-form-urlencoded parameters: Chatwork POST/PUT bodies and GET/DELETE
// query strings.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace kaiwa::edge {

// An ordered list of decoded key/value pairs. Lookups are linear because Chatwork requests carry a
// handful of parameters; a repeated key keeps its first value for get(). Values are raw bytes:
// the caller validates UTF-8. A plain value type with no internal synchronisation.
// Pairs a body or query may carry before it is refused as abuse.
inline constexpr std::size_t kMaxFormPairs = 1000;

class FormParams {
 public:
  using Entry = std::pair<std::string, std::string>;

  FormParams() = default;

  // Parses a form body or the part of a URL after '?'. '+' decodes to a space and %XX to a byte.
  // An empty input yields no parameters, `a` alone yields a="", and empty keys are skipped.
  // Returns kInvalidArgument for a malformed % escape, and for a PHP-style array key such as
  // `to_ids[]` or `members_admin_ids[0]`, which Chatwork rejects: lists are comma-separated.
  static core::Result<FormParams> parse_urlencoded(std::string_view encoded);

  [[nodiscard]] std::optional<std::string_view> get(std::string_view key) const;
  [[nodiscard]] bool contains(std::string_view key) const;

  // Adds each key of `other` that is absent here, keeping this object's values on conflict. Used
  // where Chatwork accepts both a query and a body (DELETE) and the body wins.
  void merge_missing_from(const FormParams& other);

  // Replaces the value of the first entry named `key`, or appends a new entry.
  void set(std::string key, std::string value);

  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

  [[nodiscard]] std::size_t size() const { return entries_.size(); }

  [[nodiscard]] bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace kaiwa::edge
