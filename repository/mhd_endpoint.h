// The node's FHIR endpoints (architecture §9: `/fhir/` on a node serves ITI-65, ITI-68 and
// `metadata`), IHE MHD 4.2:
//
//   POST /fhir, POST /fhir/      ITI-65 Provide Document Bundle (repository/mhd_recipient.h),
//                                JSON or XML (fhir/fhir_xml.h); answers the
//                                transaction-response Bundle, or an OperationOutcome: 400
//                                (the mapping refused the Bundle), 422 (the repository or
//                                registry refused it; the XDS codes in the text), 503
//                                (registry or centre unreachable, store full)
//   GET /fhir/Binary/{uniqueId}  ITI-68 Retrieve Document: the bytes, streamed from the file,
//                                Content-Type = the stored MIME type; with Accept (or
//                                _format) naming a FHIR syntax and not the document's own
//                                type, a Binary resource (base64 data). 404 OperationOutcome
//                                for an unknown document. With a TicketGuard (issue 5,
//                                docs/access-tickets.md) another facility needs a Bearer
//                                access ticket: 401 + WWW-Authenticate (OperationOutcome
//                                login) for a missing or invalid one, 403 (forbidden) for a
//                                document it does not cover or this node does not hold
//   GET /fhir/metadata           CapabilityStatement (Document Recipient, ITI-68 Binary read)
//   anything else under /fhir/   404 / 405 OperationOutcome
//
// ATNA (issue 5): with an AuditSink, ITI-65 records an Import (110107, receiver) with the
// patient (the List's subject reference as sent; JSON Bundles) and the submission set (the
// List's usual identifier, else its id), ITI-68 an Export (110106, sender) with the
// document and its patient, outcome 0 or 8 (refused, unknown document); each ticket refusal
// a Security Alert (110113, 110126) with the refusal as EventOutcomeDescription.
//
// Thread-safety: the handlers are called concurrently; what they hold is thread-safe.
#ifndef RENKEI_REPOSITORY_MHD_ENDPOINT_H_
#define RENKEI_REPOSITORY_MHD_ENDPOINT_H_

#include <string>

#include "audit/audit_sink.h"
#include "common/http_server.h"
#include "repository/document_store.h"
#include "repository/mhd_recipient.h"
#include "repository/ticket_guard.h"

namespace renkei::repository {

inline constexpr char kBinaryPrefix[] = "/fhir/Binary/";

struct MhdEndpointOptions {
  size_t max_bundle_bytes = size_t{64} << 20;  // larger Bundles: 413 OperationOutcome
  std::string software_version;                // CapabilityStatement.software.version
  // Access tickets for ITI-68 (repository/ticket_guard.h); null: no check (every peer is
  // served, as before issue 5). `repository_unique_id` is this node's repository (a ticket
  // may name repositories instead of documents).
  std::shared_ptr<const TicketGuard> tickets;
  std::string repository_unique_id;
  // ATNA audit (audit/audit_sink.h); null: nothing recorded. Not owned: must outlive the
  // routes; Record is called from the server's threads.
  audit::AuditSink* audit = nullptr;
  std::string audit_source_id;  // AuditSourceID of the node
  std::string audit_site;       // AuditEnterpriseSiteID (may be empty)
  // pix.regional_domain.oid: the ITI-65 record names the Bundle's Patient/{id} as the
  // regional CX (audit::PatientCxOfReference), which ITI-81 `patient` finds.
  std::string regional_domain_oid;
};

// Adds the routes above to `router`. `recipient` and `store` must outlive the server.
void AddMhdRoutes(HttpRouter& router, MhdRecipient& recipient, DocumentStore& store,
                  MhdEndpointOptions options);

// Reads Patients from the centre: GET <centre_url>/fhir/Patient/{id} (JSON). An id that is
// no FHIR id, 404 and 410 → NotFound; no answer or another status → Unavailable.
// `tls`: the client certificate for an https:// centre (null: the process's).
PatientReader CentrePatientReader(std::string centre_url, int timeout_seconds,
                                  std::shared_ptr<TlsContext> tls = nullptr);

// The node's CapabilityStatement (JSON).
std::string NodeCapabilityStatementJson(const std::string& software_version);

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_MHD_ENDPOINT_H_
