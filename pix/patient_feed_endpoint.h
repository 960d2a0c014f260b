// HTTP side of ITI-104 Patient Identity Feed FHIR (fhir_patient.h):
//   PUT    [base]/fhir/Patient?identifier=urn:oid:<oid>|<value>   conditional update: the
//          Patient is created (201, Location) or updated (200); a Patient with active=false
//          and a replaced-by link merges it into the linked patient (200, the survivor)
//   DELETE [base]/fhir/Patient?identifier=...   the identifier is unlinked (204)
// The URL's identifier must be one of the resource's. Errors are OperationOutcomes: 400
// invalid resource or request, 404 unknown identifier (merge, delete), 409 identifiers of
// two patients, 415 not JSON.
//
// Thread-safety: the handlers may run concurrently.
#ifndef RENKEI_PIX_PATIENT_FEED_ENDPOINT_H_
#define RENKEI_PIX_PATIENT_FEED_ENDPOINT_H_

#include "common/http_server.h"
#include "pix/identity_store.h"

namespace renkei::pix {

HttpHandler MakePatientUpdateHandler(IdentityStore& store);
HttpHandler MakePatientDeleteHandler(IdentityStore& store);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PATIENT_FEED_ENDPOINT_H_
