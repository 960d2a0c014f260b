// The FHIR HTTP plumbing moved to fhir/fhir_http.h (the node's MHD endpoints use it too);
// these names keep the pix/ endpoints and their callers unchanged.
#ifndef RENKEI_PIX_FHIR_HTTP_H_
#define RENKEI_PIX_FHIR_HTTP_H_

#include "fhir/fhir_http.h"

namespace renkei::pix {

using fhir::AnswerSyntax;
using fhir::FhirBase;
using fhir::FhirSyntax;
using fhir::IsJsonMediaType;
using fhir::QueryParams;
using fhir::QueryParamsOf;
using fhir::ReadFhirBody;
using fhir::SendBodyError;
using fhir::SendFhir;
using fhir::SendOutcome;
using fhir::SendUnrouted;

}  // namespace renkei::pix

#endif  // RENKEI_PIX_FHIR_HTTP_H_
