// Explicit errors as values: every fallible call returns Result<T> or Status.
// No exceptions cross our interfaces; third-party exceptions (toml++) are
// caught where the library is called and turned into an Error.
//
// Forwarding an error needs no boilerplate: a failed Status converts to any
// Result<T>, `r.status()` turns a Result into a Status, and
//   RETURN_IF_ERROR(expr);          // expr: a Status or a Result<U>
//   ASSIGN_OR_RETURN(auto x, expr); // x = the value of a Result<U>
// return the error from a function returning Status or any Result<T>.
// Misuse — value() of an error, error() of a success — aborts with a
// message instead of being undefined.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rsagent {

struct Error {
  std::string message;
};

namespace result_internal {
[[noreturn]] inline void Die(const char* what, const std::string& detail) {
  std::fprintf(stderr, "rsagent: fatal: %s%s\n", what, detail.c_str());
  std::abort();
}
}  // namespace result_internal

// The result of an operation that produces nothing but may fail.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT

  static Status Ok() { return {}; }
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const {
    if (!error_) result_internal::Die("Status::error() called on a success", "");
    return error_->message;
  }
  const Status& status() const { return *this; }  // for RETURN_IF_ERROR

 private:
  std::optional<Error> error_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  // Forwards a failed Status; a successful one has no value to give.
  Result(const Status& status) : v_(Error{status.error()}) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return Checked(); }
  T& value() & { return const_cast<T&>(Checked()); }
  T&& value() && { return std::move(const_cast<T&>(Checked())); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const std::string& error() const {
    if (ok()) result_internal::Die("Result::error() called on a success", "");
    return std::get<Error>(v_).message;
  }
  // The error, or OK: for passing it on to a caller of another type.
  Status status() const { return ok() ? Status::Ok() : Status(std::get<Error>(v_)); }

 private:
  const T& Checked() const {
    if (!ok()) result_internal::Die("Result::value() called on an error: ", error());
    return std::get<T>(v_);
  }

  std::variant<T, Error> v_;
};

}  // namespace rsagent

#define RSAGENT_RESULT_CONCAT_INNER(a, b) a##b
#define RSAGENT_RESULT_CONCAT(a, b) RSAGENT_RESULT_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Status or a Result<U>) from the enclosing
// function, which returns Status or any Result<T>.
#define RETURN_IF_ERROR(expr)                                            \
  do {                                                                   \
    if (::rsagent::Status rsagent_status_ = (expr).status();             \
        !rsagent_status_.ok()) {                                         \
      return rsagent_status_;                                            \
    }                                                                    \
  } while (false)

// `lhs` = the value of `expr` (a Result<U>), or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  RSAGENT_ASSIGN_OR_RETURN_IMPL(RSAGENT_RESULT_CONCAT(rsagent_result_, __LINE__), lhs, expr)
#define RSAGENT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
