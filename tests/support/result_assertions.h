// gtest predicates for core::Result, so a failure prints the error's code and message:
//   EXPECT_TRUE(is_ok(result));
//   EXPECT_TRUE(fails_with(result, core::ErrorCode::kNotFound));
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/result.h"

namespace kaiwa::test {

inline std::string_view error_code_name(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidArgument:
      return "kInvalidArgument";
    case core::ErrorCode::kUnauthenticated:
      return "kUnauthenticated";
    case core::ErrorCode::kPermissionDenied:
      return "kPermissionDenied";
    case core::ErrorCode::kNotFound:
      return "kNotFound";
    case core::ErrorCode::kConflict:
      return "kConflict";
    case core::ErrorCode::kRateLimited:
      return "kRateLimited";
    case core::ErrorCode::kPayloadTooLarge:
      return "kPayloadTooLarge";
    case core::ErrorCode::kUnavailable:
      return "kUnavailable";
    case core::ErrorCode::kInternal:
      return "kInternal";
  }
  return "unknown";
}

inline std::string describe(const core::Error& error) {
  return std::string(error_code_name(error.code)) + " \"" + error.message + "\"";
}

template <typename T>
::testing::AssertionResult is_ok(const core::Result<T>& result) {
  if (result.has_value()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "expected success, got " << describe(result.error());
}

template <typename T>
::testing::AssertionResult fails_with(const core::Result<T>& result, core::ErrorCode code) {
  if (result.has_value()) {
    return ::testing::AssertionFailure() << "expected " << error_code_name(code) << ", got success";
  }
  if (result.error().code != code) {
    return ::testing::AssertionFailure()
           << "expected " << error_code_name(code) << ", got " << describe(result.error());
  }
  return ::testing::AssertionSuccess();
}

// The value of a result a test cannot go on without; throws (failing the test with the error's
// description) when there is none.
template <typename T>
T must(core::Result<T> result, std::string_view what = "operation") {
  if (!result.has_value()) {
    throw std::runtime_error(std::string(what) + " failed: " + describe(result.error()));
  }
  return std::move(result).value();
}

inline void must(const core::Status& status, std::string_view what = "operation") {
  if (!status.has_value()) {
    throw std::runtime_error(std::string(what) + " failed: " + describe(status.error()));
  }
}

}  // namespace kaiwa::test
