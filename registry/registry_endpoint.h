// The Document Registry's SOAP 1.2 endpoint (`/xds/registry`, architecture §9): ITI-42,
// ITI-18, ITI-57 and ITI-62 over HTTP (ITI TF-2 Appendix V web-services binding). Decodes
// the request (plain SOAP or MTOM/XOP), dispatches on wsa:Action, encodes the answer.
// SOAP-level problems (malformed XML, wrong envelope, missing or unknown action, over the
// size/depth limits) answer a SOAP Fault; metadata problems answer a RegistryResponse or
// AdhocQueryResponse with status Failure and the XDS error codes. Every transaction runs for
// the requesting facility RequestPeer(request).facility_oid (common/peer.h): what it may see
// and change is docs/authorization.md.
#ifndef RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_
#define RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_

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
};

// The handler for POST /xds/registry. `registry` must outlive the returned handler.
HttpHandler MakeRegistryHandler(DocumentRegistry& registry, RegistryEndpointOptions options);

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_
