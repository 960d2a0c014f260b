// The Document Registry's SOAP 1.2 endpoint (`/xds/registry`, architecture §9): ITI-42,
// ITI-18, ITI-57 and ITI-62 over HTTP (ITI TF-2 Appendix V web-services binding). Decodes
// the request (plain SOAP or MTOM/XOP), dispatches on wsa:Action, encodes the answer.
// SOAP-level problems (malformed XML, wrong envelope, missing or unknown action, over the
// size/depth limits) answer a SOAP Fault; metadata problems answer a RegistryResponse or
// AdhocQueryResponse with status Failure and the XDS error codes. Every transaction runs for
// the requesting facility RequestPeer(request).facility_oid (common/peer.h): what it may see
// and change is docs/authorization.md.
//
// IHE ATNA (issue 5): with options.audit set, every request whose wsa:Action names one of
// these transactions is recorded once, after its answer is built and before it is sent:
//   ITI-42 RegisterDocumentSet(kReceiver)  patient + submission set uniqueId
//   ITI-57 UpdateDocumentSet(kReceiver)    patient + submission set uniqueId
//   ITI-18 RegistryStoredQuery             patient named by the query, the AdhocQueryRequest
//                                          element as sent (query id = stored query UUID)
//   ITI-62 DeleteDocumentSet               one object per ObjectRef
// The requester: RequestPeer's facility (requesting_facility), address (without the port)
// and certificate commonName. Outcome 0 for Success, 4 for PartialSuccess, 8 for Failure
// or a SOAP Fault (description: the first error or the fault). Requests whose action cannot
// be read (malformed SOAP) are not recorded.
#ifndef RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_
#define RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_

#include <string>

#include "audit/audit_sink.h"
#include "common/http_server.h"
#include "registry/document_registry.h"
#include "xds/soap.h"

namespace renkei::registry {

struct RegistryEndpointOptions {
  xds::SoapLimits limits;
  // Deprecated, ignored: the requesting facility is RequestPeer(request).facility_oid
  // (common/peer.h; the listener's HttpServerOptions::default_facility in insecure-loopback
  // mode). Kept only until apps/ stops setting them; then removed.
  std::string facility_header = "X-Renkei-Facility";
  std::string default_facility;
  // ATNA: where audit events go (null: none are recorded; not owned, must outlive the
  // handler, Record is called from request threads), and the AuditSourceID /
  // AuditEnterpriseSiteID written into them.
  audit::AuditSink* audit = nullptr;
  std::string audit_source_id;
  std::string audit_site;
};

// The handler for POST /xds/registry. `registry` must outlive the returned handler.
HttpHandler MakeRegistryHandler(DocumentRegistry& registry, RegistryEndpointOptions options);

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_
