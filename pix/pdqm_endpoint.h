// HTTP side of PDQm (ITI-78, pdqm.h): GET [base]/fhir/Patient?... (searchset Bundle) and
// GET [base]/fhir/Patient/{id} (one Patient, 404 OperationOutcome when unknown or merged
// away). The base URL of links is http://<Host header>/fhir.
//
// Thread-safety: the handlers may run concurrently.
#ifndef RENKEI_PIX_PDQM_ENDPOINT_H_
#define RENKEI_PIX_PDQM_ENDPOINT_H_

#include "common/http_server.h"
#include "pix/identity_store.h"

namespace renkei::pix {

inline constexpr char kPatientSearchPath[] = "/fhir/Patient";
inline constexpr char kPatientReadPrefix[] = "/fhir/Patient/";

HttpHandler MakePatientSearchHandler(IdentityStore& store);
HttpHandler MakePatientReadHandler(IdentityStore& store);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PDQM_ENDPOINT_H_
