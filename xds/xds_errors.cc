#include "xds/xds_errors.h"

namespace renkei::xds {
namespace {
struct Row {
  XdsError error;
  const char* wire;
  StatusCode code;
};
constexpr Row kRows[] = {
#define X(name, wire, code) {XdsError::k##name, wire, StatusCode::code},
#include "xds/xds_errors.def"
#undef X
};
}  // namespace

const char* XdsErrorCode(XdsError e) { return kRows[static_cast<int>(e)].wire; }

StatusCode XdsErrorStatusCode(XdsError e) { return kRows[static_cast<int>(e)].code; }

bool ParseXdsErrorCode(const std::string& wire, XdsError* out) {
  for (const Row& r : kRows) {
    if (wire == r.wire) {
      *out = r.error;
      return true;
    }
  }
  return false;
}

Status XdsStatus(XdsError e, std::string code_context, std::string location) {
  StatusCode code = XdsErrorStatusCode(e);
  if (code == StatusCode::kOk) code = StatusCode::kInvalidArgument;
  return Status(code, XdsErrorCode(e), std::move(code_context), std::move(location));
}

RegistryError ToRegistryError(const Status& status) {
  RegistryError e;
  e.error_code = status.detail().empty() ? XdsErrorCode(XdsError::kRegistryError) : status.detail();
  e.code_context = status.message();
  e.location = status.location();
  return e;
}

}  // namespace renkei::xds
