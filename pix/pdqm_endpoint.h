// HTTP side of PDQm (ITI-78, pdqm.h): GET [base]/fhir/Patient?... (searchset Bundle) and
// GET [base]/fhir/Patient/{id} (one Patient, 404 OperationOutcome when unknown or merged
// away). The base URL of links is http://<Host header>/fhir.
//
// IHE ATNA (issue 5): with options.audit set, each search and read is recorded after its
// answer is built as ITI-78 PdqmQuery (audit/transaction_events.h): every patient of the
// answer (its regional ID as CX), the parameters as query (a read: "_id=<id>"), the
// requester from RequestPeer. Outcome 0 for a 200 answer, 8 otherwise.
//
// Thread-safety: the handlers may run concurrently.
#ifndef RENKEI_PIX_PDQM_ENDPOINT_H_
#define RENKEI_PIX_PDQM_ENDPOINT_H_

#include <string>

#include "audit/audit_sink.h"
#include "common/http_server.h"
#include "pix/identity_store.h"

namespace renkei::pix {

inline constexpr char kPatientSearchPath[] = "/fhir/Patient";
inline constexpr char kPatientReadPrefix[] = "/fhir/Patient/";

struct PdqmEndpointOptions {
  // ATNA: where audit events go (null: none; not owned, must outlive the handlers), and the
  // AuditSourceID / AuditEnterpriseSiteID written into them.
  audit::AuditSink* audit = nullptr;
  std::string audit_source_id;
  std::string audit_site;
};

HttpHandler MakePatientSearchHandler(IdentityStore& store, PdqmEndpointOptions options);
HttpHandler MakePatientReadHandler(IdentityStore& store, PdqmEndpointOptions options);
// The same without auditing.
HttpHandler MakePatientSearchHandler(IdentityStore& store);
HttpHandler MakePatientReadHandler(IdentityStore& store);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PDQM_ENDPOINT_H_
