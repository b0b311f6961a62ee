// The closed set of expected failures every layer returns as a value (see conventions.md).
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace kaiwa::core {

// Machine-readable reasons for failures a client shows its user and may want to translate. The
// one list of them: /kaiwa/v1 answers them as "code" beside "errors", /v2 only in the
// X-Kaiwa-Error-Code header (docs/api/kaiwa-openapi.yaml, ErrorCode). Add, never rename.
namespace reason {
// A room needs an admin: the change would leave it without one.
inline constexpr std::string_view kLastAdmin = "last_admin";
// Contact requests.
inline constexpr std::string_view kContactSelf = "contact_self";
inline constexpr std::string_view kContactExists = "contact_exists";
inline constexpr std::string_view kContactRequestPending = "contact_request_pending";
inline constexpr std::string_view kAccountNotFound = "account_not_found";
inline constexpr std::string_view kInvalidEmail = "invalid_email";
// Search (GET /kaiwa/v1/search).
inline constexpr std::string_view kSearchNoWord = "search_no_word";
inline constexpr std::string_view kSearchUnclosedQuote = "search_unclosed_quote";
inline constexpr std::string_view kSearchTooLong = "search_too_long";
inline constexpr std::string_view kSearchTooManyWords = "search_too_many_words";
inline constexpr std::string_view kSearchExcludedOr = "search_excluded_or";
inline constexpr std::string_view kSearchBadText = "search_bad_text";
inline constexpr std::string_view kSearchTimeRange = "search_time_range";
inline constexpr std::string_view kSearchRebuilding = "search_rebuilding";
// Uploads over the size limit.
inline constexpr std::string_view kFileTooLarge = "file_too_large";
}  // namespace reason

enum class ErrorCode {
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kConflict,
  kRateLimited,
  kPayloadTooLarge,
  kUnavailable,
  kInternal,
};

// An expected failure: a code that decides the HTTP status at the edge, an English sentence
// that reaches the client verbatim inside Chatwork's {"errors":[...]} body, and optionally one
// of the reasons above for clients that translate it.
struct Error {
  ErrorCode code;
  std::string message;
  std::string_view reason = {};  // one of core::reason's constants, or empty

  static Error invalid_argument(std::string m) {
    return {ErrorCode::kInvalidArgument, std::move(m)};
  }

  static Error unauthenticated(std::string m) {
    return {ErrorCode::kUnauthenticated, std::move(m)};
  }

  static Error permission_denied(std::string m) {
    return {ErrorCode::kPermissionDenied, std::move(m)};
  }

  static Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }

  static Error conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }

  static Error payload_too_large(std::string m) {
    return {ErrorCode::kPayloadTooLarge, std::move(m)};
  }

  static Error unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }

  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  // The same error tagged with a reason (a core::reason constant: static storage).
  [[nodiscard]] Error because(std::string_view r) && {
    reason = r;
    return std::move(*this);
  }

  [[nodiscard]] bool is(ErrorCode c) const { return code == c; }
};

}  // namespace kaiwa::core
