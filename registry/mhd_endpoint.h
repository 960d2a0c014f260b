// HTTP transport of the centre's MHD Document Responder (registry/mhd_responder.h):
//   GET  /fhir/DocumentReference[?params]   POST /fhir/DocumentReference/_search   ITI-67
//   GET  /fhir/DocumentReference/{id}                                           ITI-67 read
//   GET  /fhir/List[?params]                POST /fhir/List/_search              ITI-66
//   GET  /fhir/List/{id}                                                        ITI-66 read
// Answers a searchset Bundle (self / next links, total) or the resource, in JSON or XML
// (_format / Accept, fhir/fhir_http.h); errors as OperationOutcome: 400 invalid (a bad
// parameter value), 404 not-found (unknown id), 413 too-costly, 500 exception.
// _search takes application/x-www-form-urlencoded parameters in the body, added to those of
// the URL. The requesting facility is RequestPeer(request).facility_oid (common/peer.h),
// passed to the registry's stored queries, which answer only what it may see
// (docs/authorization.md): an invisible resource is absent from searches and a read of it
// answers 404 not-found.
//
// IHE ATNA (issue 5): with options.audit set, each search and read is recorded after its
// answer is built: DocumentReference as ITI-67 FindDocumentReferences, List as ITI-66
// FindDocumentLists (audit/transaction_events.h), the patient named by `patient` /
// `patient.identifier` (as given), the parameters as query (a read: "_id=<id>"), the
// requester from RequestPeer. Outcome 0 for a 200 answer, 8 for an OperationOutcome (the
// description is its text).
#ifndef RENKEI_REGISTRY_MHD_ENDPOINT_H_
#define RENKEI_REGISTRY_MHD_ENDPOINT_H_

#include <cstddef>
#include <string>

#include "audit/audit_sink.h"
#include "common/http_server.h"
#include "profiles/mhd_mapping.h"
#include "registry/mhd_responder.h"

namespace renkei::registry {

inline constexpr char kDocumentReferencePath[] = "/fhir/DocumentReference";
inline constexpr char kDocumentReferenceSearchPath[] = "/fhir/DocumentReference/_search";
inline constexpr char kDocumentReferenceReadPrefix[] = "/fhir/DocumentReference/";
inline constexpr char kListPath[] = "/fhir/List";
inline constexpr char kListSearchPath[] = "/fhir/List/_search";
inline constexpr char kListReadPrefix[] = "/fhir/List/";

enum class MhdResource { kDocumentReference, kList };

struct MhdEndpointOptions {
  // Deprecated, ignored (as RegistryEndpointOptions): the requesting facility is
  // RequestPeer(request).facility_oid. Removed once apps/ stops setting them.
  std::string facility_header = "X-Renkei-Facility";
  std::string default_facility;
  // The mapping context; fhir_base is set per request from the Host header.
  profiles::MhdContext context;
  size_t max_search_body_bytes = 65536;  // a _search form body
  // ATNA: where audit events go (null: none; not owned, must outlive the handlers), and the
  // AuditSourceID / AuditEnterpriseSiteID written into them.
  audit::AuditSink* audit = nullptr;
  std::string audit_source_id;
  std::string audit_site;
};

// Search (GET and POST _search) and read handlers. `responder` must outlive them.
HttpHandler MakeMhdSearchHandler(MhdResponder& responder, MhdResource resource,
                                 MhdEndpointOptions options);
HttpHandler MakeMhdReadHandler(MhdResponder& responder, MhdResource resource,
                               MhdEndpointOptions options);

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_MHD_ENDPOINT_H_
