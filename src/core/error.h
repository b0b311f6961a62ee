// The closed set of expected failures every layer returns as a value (see conventions.md).
#pragma once

#include <string>
#include <utility>

namespace kaiwa::core {

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

// An expected failure: a code that decides the HTTP status at the edge, and an English sentence
// that reaches the client verbatim inside Chatwork's {"errors":[...]} body.
struct Error {
  ErrorCode code;
  std::string message;

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

  [[nodiscard]] bool is(ErrorCode c) const { return code == c; }
};

}  // namespace kaiwa::core
