// Status and Result<T>: the one error type used across Renkei.
//
// A Status is either OK (cheap: no allocation) or carries a generic StatusCode, a protocol
// detail code (for example "XDSRegistryMetadataError" or "XDSStoredQueryMissingParam"),
// a message a human can act on, and an optional location (the offending object or field).
// Transport code maps the generic code to HTTP/SOAP/FHIR/HL7; domain code never does.
//
// Thread-safety: Status and Result are values; distinct objects may be used from
// different threads freely.
#ifndef RENKEI_COMMON_STATUS_H_
#define RENKEI_COMMON_STATUS_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace renkei {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // the request is malformed or breaks a rule of the standard
  kNotFound,           // a referenced thing does not exist
  kConflict,           // duplicates, version mismatches
  kPermissionDenied,   // the requester may not do or see this
  kResourceExhausted,  // a configured limit was exceeded (size, depth, count)
  kUnavailable,        // a peer or store is unreachable / busy; may be retried
  kInternal,           // a broken invariant or an unexpected failure
};

// Returns "InvalidArgument", "NotFound", ... for logs.
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string detail, std::string message, std::string location = {});

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string detail, std::string message,
                                std::string location = {}) {
    return Status(StatusCode::kInvalidArgument, std::move(detail), std::move(message),
                  std::move(location));
  }
  static Status NotFound(std::string detail, std::string message, std::string location = {}) {
    return Status(StatusCode::kNotFound, std::move(detail), std::move(message),
                  std::move(location));
  }
  static Status Conflict(std::string detail, std::string message, std::string location = {}) {
    return Status(StatusCode::kConflict, std::move(detail), std::move(message),
                  std::move(location));
  }
  static Status PermissionDenied(std::string detail, std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(detail), std::move(message));
  }
  static Status ResourceExhausted(std::string detail, std::string message) {
    return Status(StatusCode::kResourceExhausted, std::move(detail), std::move(message));
  }
  static Status Unavailable(std::string detail, std::string message) {
    return Status(StatusCode::kUnavailable, std::move(detail), std::move(message));
  }
  static Status Internal(std::string detail, std::string message) {
    return Status(StatusCode::kInternal, std::move(detail), std::move(message));
  }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Protocol-specific code, e.g. "XDSRegistryMetadataError"; empty when OK.
  const std::string& detail() const;
  const std::string& message() const;
  const std::string& location() const;

  bool IsInvalidArgument() const { return code() == StatusCode::kInvalidArgument; }
  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsConflict() const { return code() == StatusCode::kConflict; }
  bool IsUnavailable() const { return code() == StatusCode::kUnavailable; }

  // "InvalidArgument XDSRegistryMetadataError: message (at location)"; "OK" when OK.
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string detail;
    std::string message;
    std::string location;
  };
  std::shared_ptr<const Rep> rep_;  // null == OK; shared so copies are cheap
};

// A value or an error Status. REQUIRES: ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: REQUIRES !status.ok()

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace renkei

// Returns early from the calling function when `expr` (a Status) is not OK.
#define RENKEI_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::renkei::Status _renkei_st = (expr);     \
    if (!_renkei_st.ok()) return _renkei_st;  \
  } while (0)

// Assigns the value of a Result expression to `lhs` (a declaration or an lvalue), or
// returns its Status from the enclosing function.
#define RENKEI_STATUS_CONCAT_(a, b) a##b
#define RENKEI_STATUS_CONCAT(a, b) RENKEI_STATUS_CONCAT_(a, b)
#define RENKEI_ASSIGN_OR_RETURN(lhs, expr)                     \
  auto RENKEI_STATUS_CONCAT(_renkei_r, __LINE__) = (expr);     \
  if (!RENKEI_STATUS_CONCAT(_renkei_r, __LINE__).ok())         \
    return RENKEI_STATUS_CONCAT(_renkei_r, __LINE__).status(); \
  lhs = std::move(RENKEI_STATUS_CONCAT(_renkei_r, __LINE__).value())

#endif  // RENKEI_COMMON_STATUS_H_
