#include "common/status.h"

namespace renkei {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kConflict: return "Conflict";
    case StatusCode::kPermissionDenied: return "PermissionDenied";
    case StatusCode::kResourceExhausted: return "ResourceExhausted";
    case StatusCode::kUnavailable: return "Unavailable";
    case StatusCode::kInternal: return "Internal";
  }
  return "Unknown";
}

Status::Status(StatusCode code, std::string detail, std::string message, std::string location) {
  if (code == StatusCode::kOk) return;
  rep_ = std::make_shared<const Rep>(
      Rep{code, std::move(detail), std::move(message), std::move(location)});
}

namespace {
const std::string& Empty() {
  static const std::string kEmpty;
  return kEmpty;
}
}  // namespace

const std::string& Status::detail() const { return rep_ ? rep_->detail : Empty(); }
const std::string& Status::message() const { return rep_ ? rep_->message : Empty(); }
const std::string& Status::location() const { return rep_ ? rep_->location : Empty(); }

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s = StatusCodeName(rep_->code);
  if (!rep_->detail.empty()) s += " " + rep_->detail;
  s += ": " + rep_->message;
  if (!rep_->location.empty()) s += " (at " + rep_->location + ")";
  return s;
}

}  // namespace renkei
