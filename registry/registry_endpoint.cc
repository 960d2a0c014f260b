// ITI-18/42/57/62 SOAP transport for the Document Registry (ITI TF-2 Appendix V).
#include "registry/registry_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <exception>
#include <string>

#include "common/log.h"
#include "common/mime.h"
#include "common/peer.h"
#include "xds/ebrim_codec.h"
#include "xds/soap_http.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

void SendFault(Poco::Net::HTTPServerResponse& response, const Status& status,
               const std::string& relates_to) {
  SendResponse(response, xds::SoapFaultHttpStatus(status),
               xds::SoapContentType(xds::kActionSoapFault),
               xds::EncodeSoapFault(xds::ToSoapFault(status), relates_to));
}

// Writes the HTTP head, envelope start, body and envelope end to the connection in one
// piece (common/http_server.h SendWhole).
void SendSoap(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              const char* action, const std::string& relates_to, const std::string& body_xml) {
  const std::string start = xds::EncodeSoapResponseStart(action, relates_to);
  const std::string_view end = xds::kSoapResponseEnd;
  response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType(xds::SoapContentType(action));
  SendWhole(request, response, {start, body_xml, end});
}

bool BodyIs(const xds::SoapMessage& m, const char* ns, const char* local) {
  return m.body_namespace() == ns && m.body_local_name() == local;
}

Status BodyMismatch(const xds::SoapMessage& m) {
  return Status::InvalidArgument(xds::kFaultSubcodeActionNotSupported,
                                 "body element {" + m.body_namespace() + "}" +
                                     m.body_local_name() + " does not match wsa:Action " +
                                     m.action());
}

std::string QueryResponse(const QueryAnswer& answer) {
  if (answer.object_ref) {
    return xds::EncodeAdhocQueryResponseObjectRef(answer.object_refs, answer.errors);
  }
  std::vector<xds::LeafObject> leaves;
  leaves.reserve(answer.objects.size());
  for (const StoredObject& o : answer.objects) leaves.push_back({o.leaf_xml, o.status});
  return xds::EncodeAdhocQueryResponseLeafClass(leaves, answer.errors);
}

void Handle(DocumentRegistry& registry, const RegistryEndpointOptions& options,
            Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  Result<std::string> body = ReadRequestBody(request, options.limits.max_bytes);
  if (!body.ok()) return SendFault(response, body.status(), "");
  std::string soap = std::move(body.value());
  const std::string content_type = request.getContentType();
  if (MediaType(content_type) == "multipart/related") {
    Result<std::string> root = MultipartRootPart(content_type, soap);
    if (!root.ok()) return SendFault(response, root.status(), "");
    soap = std::move(root.value());
  }
  Result<xds::SoapMessage> message = xds::SoapMessage::Parse(soap, options.limits);
  if (!message.ok()) return SendFault(response, message.status(), "");
  const xds::SoapMessage& m = *message;
  const std::string& relates = m.message_id();

  // ITI-19: the requesting facility of the connection (client certificate), never a
  // message field; in insecure-loopback mode the test header or the listener's default.
  RequestContext ctx;
  ctx.facility = RequestPeer(request).facility_oid;

  const std::string& action = m.action();
  if (action == xds::kActionRegister || action == xds::kActionUpdate) {
    if (!BodyIs(m, xds::kNsLcm, "SubmitObjectsRequest")) {
      return SendFault(response, BodyMismatch(m), relates);
    }
    const bool update = action == xds::kActionUpdate;
    const char* reply = update ? xds::kActionUpdateResponse : xds::kActionRegisterResponse;
    Result<xds::SubmitObjectsRequest> req = xds::DecodeSubmitObjectsRequest(m);
    xds::RegistryErrorList errors;
    if (!req.ok()) {
      errors.push_back(xds::ToRegistryError(req.status()));
    } else {
      errors = update ? registry.UpdateDocumentSet(*req, ctx)
                      : registry.RegisterDocumentSet(*req, ctx);
    }
    return SendSoap(request, response, reply, relates, xds::EncodeRegistryResponse(errors));
  }
  if (action == xds::kActionStoredQuery) {
    if (!BodyIs(m, xds::kNsQuery, "AdhocQueryRequest")) {
      return SendFault(response, BodyMismatch(m), relates);
    }
    Result<xds::AdhocQueryRequest> req = xds::DecodeAdhocQueryRequest(m);
    QueryAnswer answer;
    if (!req.ok()) {
      answer.errors.push_back(xds::ToRegistryError(req.status()));
    } else {
      answer = registry.StoredQuery(*req, ctx);
    }
    return SendSoap(request, response, xds::kActionStoredQueryResponse, relates, QueryResponse(answer));
  }
  if (action == xds::kActionRemove) {
    if (!BodyIs(m, xds::kNsLcm, "RemoveObjectsRequest")) {
      return SendFault(response, BodyMismatch(m), relates);
    }
    Result<xds::RemoveObjectsRequest> req = xds::DecodeRemoveObjectsRequest(m);
    xds::RegistryErrorList errors;
    if (!req.ok()) {
      errors.push_back(xds::ToRegistryError(req.status()));
    } else {
      errors = registry.RemoveMetadata(*req, ctx);
    }
    return SendSoap(request, response, xds::kActionRemoveResponse, relates,
                    xds::EncodeRegistryResponse(errors));
  }
  SendFault(response,
            Status::InvalidArgument(xds::kFaultSubcodeActionNotSupported,
                                    "the registry does not support wsa:Action '" + action + "'"),
            relates);
}

}  // namespace

HttpHandler MakeRegistryHandler(DocumentRegistry& registry, RegistryEndpointOptions options) {
  return [&registry, options](Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response) {
    try {
      Handle(registry, options, request, response);
    } catch (const std::exception& e) {
      LogError(std::string("registry: request failed: ") + e.what());
      if (!response.sent()) {
        SendFault(response, Status::Internal("", "the registry failed to process the request"),
                  "");
      }
    }
  };
}

}  // namespace renkei::registry
