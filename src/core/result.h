// Result<T>: a value or an Error. Mirrors the subset of std::expected we use, because GCC 12 in
// C++20 mode lacks it; it can become an alias later.
#pragma once

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/error.h"

namespace kaiwa::core {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose: `return value;` and `return Error::not_found(..);` both read naturally.
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}

  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  [[nodiscard]] bool has_value() const { return state_.index() == 0; }

  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(state_);
  }

  const T& value() const& {
    assert(has_value());
    return std::get<0>(state_);
  }

  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }

  T* operator->() { return &value(); }

  const T* operator->() const { return &value(); }

  T& operator*() & { return value(); }

  const T& operator*() const& { return value(); }

  [[nodiscard]] const Error& error() const {
    assert(!has_value());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

// Result of an operation that yields nothing but may fail.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;

  // Implicit for `return Error::not_found(..);`, as in Result<T>.
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Error error) : error_(std::move(error)) {}

  [[nodiscard]] bool has_value() const { return !error_.has_value(); }

  explicit operator bool() const { return has_value(); }

  [[nodiscard]] const Error& error() const {
    assert(error_.has_value());
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status ok() { return {}; }

}  // namespace kaiwa::core

// Propagates the error of an expression yielding Result<T> (LevelDB-style RETURN_IF_ERROR).
#define KAIWA_TRY(expr)                   \
  do {                                    \
    auto kaiwa_try_result_ = (expr);      \
    if (!kaiwa_try_result_.has_value()) { \
      return kaiwa_try_result_.error();   \
    }                                     \
  } while (false)

#define KAIWA_CONCAT_INNER(a, b) a##b
#define KAIWA_CONCAT(a, b) KAIWA_CONCAT_INNER(a, b)

// Declares or assigns lhs from an expression yielding Result<T>, returning its error on failure.
#define KAIWA_ASSIGN_OR_RETURN(lhs, expr) \
  KAIWA_ASSIGN_OR_RETURN_IMPL(KAIWA_CONCAT(kaiwa_result_, __LINE__), lhs, expr)
// lhs may be a declaration (`auto x`) and tmp is a declared name, so neither can be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define KAIWA_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.has_value()) {                           \
    return tmp.error();                             \
  }                                                 \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
