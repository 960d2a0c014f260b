// HTTP side of PIXm: GET and POST [base]/fhir/Patient/$ihe-pix (ITI-83, pixm.h). Answers
// application/fhir+json; a POST body that is not JSON is 415, one over 1 MiB is 413, both
// with an OperationOutcome.
//
// IHE ATNA (issue 5): with options.audit set, each request is recorded after its answer is
// built as ITI-83 PixmQuery (audit/transaction_events.h): the sourceIdentifier as patient
// (CX id^^^&oid&ISO; as given when it does not parse), the request's parameters (GET) or
// body (POST) as query, the requester from RequestPeer. Outcome 0 for a 200 answer, 8
// otherwise.
//
// Thread-safety: the handler may run concurrently (the store is thread-safe).
#ifndef RENKEI_PIX_PIXM_ENDPOINT_H_
#define RENKEI_PIX_PIXM_ENDPOINT_H_

#include <string>

#include "audit/audit_sink.h"
#include "common/http_server.h"
#include "pix/identity_store.h"

namespace renkei::pix {

// Paths the handler is registered at ('$' also percent-encoded, as some clients send it).
inline constexpr char kPixmPath[] = "/fhir/Patient/$ihe-pix";
inline constexpr char kPixmPathEncoded[] = "/fhir/Patient/%24ihe-pix";

struct PixmEndpointOptions {
  // ATNA: where audit events go (null: none; not owned, must outlive the handler), and the
  // AuditSourceID / AuditEnterpriseSiteID written into them.
  audit::AuditSink* audit = nullptr;
  std::string audit_source_id;
  std::string audit_site;
};

HttpHandler MakePixmHandler(IdentityStore& store, PixmEndpointOptions options);
// The same without auditing.
HttpHandler MakePixmHandler(IdentityStore& store);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PIXM_ENDPOINT_H_
