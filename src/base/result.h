// Result<T> and Error: how every fallible Drover function reports failure.
//
// Result<T> has the shape of C++23's std::expected<T, Error> (has_value, value, error,
// and_then, transform), so it can be swapped for it when the compiler has it. Result<void>
// is the status type. Both are [[nodiscard]]: an ignored error is a bug.
//
// An Error is a code from error_code.h, a message that says what went wrong in the
// user's words, and an optional context ("slurm.conf:17", "job 42") that says where.
// Errors cross module boundaries by value; no exceptions do.
//
// Thread-safety: value types; const methods may be called concurrently.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/error_code.h"

namespace drover {

class Error {
 public:
  Error(ErrorCode code, std::string message, std::string context = {})
      : code_(code), message_(std::move(message)), context_(std::move(context)) {}
  // The table's text for the code as the message.
  explicit Error(ErrorCode code) : code_(code), message_(ErrorText(code)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& context() const { return context_; }

  // Returns a copy whose context is `where`, or "where: old context" when it has one.
  Error WithContext(std::string_view where) const;
  // "context: message", or the message alone without a context.
  std::string ToString() const;

  friend bool operator==(const Error& a, const Error& b) = default;

 private:
  ErrorCode code_;
  std::string message_;
  std::string context_;
};

// Aborts with `what` and the location; for programmer errors, never for bad input.
[[noreturn]] void Die(const char* what, const char* file, int line);

#define DROVER_CHECK(cond) \
  ((cond) ? (void)0 : ::drover::Die("CHECK failed: " #cond, __FILE__, __LINE__))

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(const T& value) : v_(std::in_place_index<0>, value) {}  // NOLINT: implicit by design
  Result(T&& value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  template <typename U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> &&
             !std::is_same_v<std::decay_t<U>, Result<T>>)
  Result(U&& value) : v_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return Checked(), std::get<0>(v_); }
  const T& value() const& { return Checked(), std::get<0>(v_); }
  T&& value() && { return Checked(), std::move(std::get<0>(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    if (has_value()) Die("Result::error() on a value", __FILE__, __LINE__);
    return std::get<1>(v_);
  }
  Error&& error() && {
    if (has_value()) Die("Result::error() on a value", __FILE__, __LINE__);
    return std::move(std::get<1>(v_));
  }

  T value_or(T fallback) const& { return has_value() ? std::get<0>(v_) : std::move(fallback); }

  // f: T -> Result<U>
  template <typename F>
  auto and_then(F&& f) && -> std::invoke_result_t<F, T&&> {
    if (!has_value()) return std::move(std::get<1>(v_));
    return std::forward<F>(f)(std::move(std::get<0>(v_)));
  }
  // f: T -> U
  template <typename F>
  auto transform(F&& f) && -> Result<std::invoke_result_t<F, T&&>> {
    if (!has_value()) return std::move(std::get<1>(v_));
    return std::forward<F>(f)(std::move(std::get<0>(v_)));
  }

 private:
  void Checked() const {
    if (!has_value()) Die(std::get<1>(v_).ToString().c_str(), __FILE__, __LINE__);
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  void value() const {
    if (error_) Die(error_->ToString().c_str(), __FILE__, __LINE__);
  }
  const Error& error() const& {
    if (!error_) Die("Result::error() on success", __FILE__, __LINE__);
    return *error_;
  }
  Error&& error() && {
    if (!error_) Die("Result::error() on success", __FILE__, __LINE__);
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;
inline Status Ok() { return {}; }

}  // namespace drover

#define DROVER_CONCAT_INNER(a, b) a##b
#define DROVER_CONCAT(a, b) DROVER_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result of any type) from the enclosing function.
#define RETURN_IF_ERROR(expr)                                      \
  do {                                                             \
    auto drover_status_ = (expr);                                  \
    if (!drover_status_.has_value()) {                             \
      return std::move(drover_status_).error();                    \
    }                                                              \
  } while (false)

// `lhs = value of expr`, or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(DROVER_CONCAT(drover_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)  \
  auto tmp = (expr);                           \
  if (!tmp.has_value()) {                      \
    return std::move(tmp).error();             \
  }                                            \
  lhs = std::move(tmp).value()
