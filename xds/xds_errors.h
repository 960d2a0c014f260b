// XDS error codes and the RegistryError list of an ebRS RegistryResponse
// (ITI TF-3 §4.2.4). The table is xds/xds_errors.def.
#ifndef RENKEI_XDS_XDS_ERRORS_H_
#define RENKEI_XDS_XDS_ERRORS_H_

#include <string>
#include <vector>

#include "common/status.h"

namespace renkei::xds {

enum class XdsError {
#define X(name, wire, code) k##name,
#include "xds/xds_errors.def"
#undef X
};

// "XDSRegistryMetadataError", ...
const char* XdsErrorCode(XdsError e);
// The generic StatusCode of this error (kOk for warnings such as XDSExtraMetadataNotSaved).
StatusCode XdsErrorStatusCode(XdsError e);
// Parses a wire code; false when unknown.
bool ParseXdsErrorCode(const std::string& wire, XdsError* out);

// A Status carrying this XDS error as its detail code.
Status XdsStatus(XdsError e, std::string code_context, std::string location = {});

enum class Severity { kError, kWarning };

// One rs:RegistryError.
struct RegistryError {
  std::string error_code;    // wire code, e.g. "XDSRegistryMetadataError"
  std::string code_context;  // what is wrong, for a human
  std::string location;      // the offending object (id / uniqueId / slot)
  Severity severity = Severity::kError;
};

// Builds a RegistryError from a non-OK Status (its detail is the wire code; a Status without
// one becomes XDSRegistryError).
RegistryError ToRegistryError(const Status& status);

// Everything validation or a transaction found wrong, in order. Empty == success.
using RegistryErrorList = std::vector<RegistryError>;

}  // namespace renkei::xds

#endif  // RENKEI_XDS_XDS_ERRORS_H_
