// The Document Registry's SOAP 1.2 endpoint (`/xds/registry`, architecture §9): ITI-42,
// ITI-18, ITI-57 and ITI-62 over HTTP (ITI TF-2 Appendix V web-services binding). Decodes
// the request (plain SOAP or MTOM/XOP), dispatches on wsa:Action, encodes the answer.
// SOAP-level problems (malformed XML, wrong envelope, missing or unknown action, over the
// size/depth limits) answer a SOAP Fault; metadata problems answer a RegistryResponse or
// AdhocQueryResponse with status Failure and the XDS error codes.
#ifndef RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_
#define RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_

#include "common/http_server.h"
#include "registry/document_registry.h"
#include "xds/soap.h"

namespace renkei::registry {

struct RegistryEndpointOptions {
  xds::SoapLimits limits;
  // Insecure loopback mode: the requesting facility comes from this header (documented
  // test header); absent, `default_facility`.
  std::string facility_header = "X-Renkei-Facility";
  std::string default_facility;
};

// The handler for POST /xds/registry. `registry` must outlive the returned handler.
HttpHandler MakeRegistryHandler(DocumentRegistry& registry, RegistryEndpointOptions options);

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_REGISTRY_ENDPOINT_H_
