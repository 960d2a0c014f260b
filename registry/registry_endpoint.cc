// ITI-18/42/57/62 SOAP transport for the Document Registry (ITI TF-2 Appendix V).
#include "registry/registry_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cctype>
#include <exception>
#include <string>

#include "audit/request_exchange.h"
#include "audit/transaction_events.h"
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

// --- ATNA (see registry_endpoint.h) ---

int Outcome(const xds::RegistryErrorList& errors, bool has_results) {
  for (const xds::RegistryError& e : errors) {
    if (e.severity == xds::Severity::kError) return has_results ? 4 : 8;
  }
  return 0;
}

std::string Describe(const xds::RegistryErrorList& errors) {
  for (const xds::RegistryError& e : errors) {
    if (e.severity == xds::Severity::kError) return e.error_code + ": " + e.code_context;
  }
  return "";
}

// The patient the submission is for and the submission set's uniqueId.
void SubmissionOf(const xds::SubmitObjectsRequest& req, std::string* patient, std::string* ss) {
  for (const xds::RegistryObject& o : req.objects) {
    if (o.kind != xds::ObjectKind::kRegistryPackage) continue;
    const std::string& uid = o.ExternalIdValue(xds::kSubmissionSetUniqueId);
    if (uid.empty()) continue;
    *ss = uid;
    *patient = o.ExternalIdValue(xds::kSubmissionSetPatientId);
    return;
  }
}

// A stored-query parameter value without its quotes and list parentheses.
std::string Unquoted(std::string v) {
  while (!v.empty() && (v.front() == '(' || v.front() == '\'' || v.front() == ' ')) v.erase(0, 1);
  while (!v.empty() && (v.back() == ')' || v.back() == '\'' || v.back() == ' ')) v.pop_back();
  return v;
}

std::string QueryPatient(const xds::AdhocQueryRequest& req) {
  for (const xds::Slot& slot : req.params) {
    if (slot.values.empty()) continue;
    if (slot.name == xds::kSqpDocPatientId || slot.name == xds::kSqpSsPatientId ||
        slot.name == xds::kSqpFolderPatientId || slot.name == xds::kSqpPatientId) {
      return Unquoted(slot.values.front());
    }
  }
  return "";
}

// The body element `local` exactly as the request carried it ("" when it cannot be cut out).
std::string RawBodyElement(const std::string& soap, const std::string& local) {
  size_t name = soap.find(local);
  while (name != std::string::npos) {
    size_t lt = name;
    while (lt > 0 && soap[lt - 1] != '<' && soap[lt - 1] != '/' &&
           (std::isalnum(static_cast<unsigned char>(soap[lt - 1])) || soap[lt - 1] == ':' ||
            soap[lt - 1] == '_' || soap[lt - 1] == '-' || soap[lt - 1] == '.')) {
      --lt;
    }
    if (lt > 0 && soap[lt - 1] == '<') {
      const std::string qname = soap.substr(lt, name + local.size() - lt);
      const size_t close = soap.rfind("</" + qname);
      if (close == std::string::npos || close < lt) return "";
      const size_t end = soap.find('>', close);
      if (end == std::string::npos) return "";
      return soap.substr(lt - 1, end + 1 - (lt - 1));
    }
    name = soap.find(local, name + local.size());
  }
  return "";
}

void Record(const RegistryEndpointOptions& options, const audit::AuditEvent& event) {
  if (options.audit != nullptr) options.audit->Record(event);
}

// The event for an action answered with a SOAP Fault (or whose request was not decoded).
void RecordFailure(const RegistryEndpointOptions& options, const audit::Exchange& failed,
                   const std::string& action) {
  if (options.audit == nullptr) return;
  if (action == xds::kActionRegister) {
    Record(options, audit::RegisterDocumentSet(failed, audit::Side::kReceiver, "", ""));
  } else if (action == xds::kActionUpdate) {
    Record(options, audit::UpdateDocumentSet(failed, audit::Side::kReceiver, "", ""));
  } else if (action == xds::kActionStoredQuery) {
    Record(options, audit::RegistryStoredQuery(failed, "", "", ""));
  } else if (action == xds::kActionRemove) {
    Record(options, audit::DeleteDocumentSet(failed, "", {}));
  }
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
  // A SOAP Fault for a known transaction is recorded as its failure.
  auto Fault = [&](const Status& status) {
    if (options.audit != nullptr) {
      audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
      x.outcome = 8;
      x.outcome_description = status.message();
      RecordFailure(options, x, action);
    }
    SendFault(response, status, relates);
  };
  if (action == xds::kActionRegister || action == xds::kActionUpdate) {
    if (!BodyIs(m, xds::kNsLcm, "SubmitObjectsRequest")) {
      return Fault(BodyMismatch(m));
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
    const std::string answer = xds::EncodeRegistryResponse(errors);
    if (options.audit != nullptr) {
      audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
      x.outcome = Outcome(errors, false);
      x.outcome_description = Describe(errors);
      std::string patient, submission_set;
      if (req.ok()) SubmissionOf(*req, &patient, &submission_set);
      Record(options, update ? audit::UpdateDocumentSet(x, audit::Side::kReceiver, patient,
                                                        submission_set)
                             : audit::RegisterDocumentSet(x, audit::Side::kReceiver, patient,
                                                          submission_set));
    }
    return SendSoap(request, response, reply, relates, answer);
  }
  if (action == xds::kActionStoredQuery) {
    if (!BodyIs(m, xds::kNsQuery, "AdhocQueryRequest")) {
      return Fault(BodyMismatch(m));
    }
    Result<xds::AdhocQueryRequest> req = xds::DecodeAdhocQueryRequest(m);
    QueryAnswer answer;
    if (!req.ok()) {
      answer.errors.push_back(xds::ToRegistryError(req.status()));
    } else {
      answer = registry.StoredQuery(*req, ctx);
    }
    const std::string body_xml = QueryResponse(answer);
    if (options.audit != nullptr) {
      audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
      x.outcome = Outcome(answer.errors, !answer.objects.empty() || !answer.object_refs.empty());
      x.outcome_description = Describe(answer.errors);
      std::string query = RawBodyElement(soap, "AdhocQueryRequest");
      if (query.empty() && req.ok()) query = xds::EncodeAdhocQueryRequest(*req);
      Record(options, audit::RegistryStoredQuery(x, req.ok() ? QueryPatient(*req) : "",
                                                 req.ok() ? req->query_id : "", query,
                                                 req.ok() ? req->home : ""));
    }
    return SendSoap(request, response, xds::kActionStoredQueryResponse, relates, body_xml);
  }
  if (action == xds::kActionRemove) {
    if (!BodyIs(m, xds::kNsLcm, "RemoveObjectsRequest")) {
      return Fault(BodyMismatch(m));
    }
    Result<xds::RemoveObjectsRequest> req = xds::DecodeRemoveObjectsRequest(m);
    xds::RegistryErrorList errors;
    std::vector<std::string> patients;
    if (!req.ok()) {
      errors.push_back(xds::ToRegistryError(req.status()));
    } else {
      errors = registry.RemoveMetadata(*req, ctx, &patients);
    }
    const std::string answer = xds::EncodeRegistryResponse(errors);
    if (options.audit != nullptr) {
      audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
      x.outcome = Outcome(errors, false);
      x.outcome_description = Describe(errors);
      Record(options, audit::DeleteDocumentSet(
                          x, patients, req.ok() ? req->object_refs : std::vector<std::string>{}));
    }
    return SendSoap(request, response, xds::kActionRemoveResponse, relates, answer);
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
