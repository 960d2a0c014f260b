// GET [base]/fhir/metadata: the centre's FHIR R4 CapabilityStatement (what PIXm, PDQm and
// ITI-104 serve: Patient read, search-type with the PDQm parameters, conditional update and
// delete, and the $ihe-pix operation), application/fhir+json.
#ifndef RENKEI_PIX_CAPABILITY_STATEMENT_H_
#define RENKEI_PIX_CAPABILITY_STATEMENT_H_

#include <string>

#include "common/http_server.h"

namespace renkei::pix {

inline constexpr char kMetadataPath[] = "/fhir/metadata";

// The statement; `software_version` goes into software.version.
std::string CapabilityStatementJson(const std::string& software_version);

HttpHandler MakeMetadataHandler(const std::string& software_version);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_CAPABILITY_STATEMENT_H_
