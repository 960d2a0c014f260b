// ITI-41 / ITI-43 SOAP transport of the node's Document Repository (ITI TF-2 Appendix V).
#include "repository/repository_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <exception>

#include "audit/request_exchange.h"
#include "audit/transaction_events.h"
#include "common/log.h"
#include "common/mime.h"
#include "common/mtom.h"
#include "common/peer.h"
#include "repository/retrieve_purpose.h"
#include "repository/soap_reply.h"
#include "xds/ebrim_codec.h"
#include "xds/soap_http.h"
#include "xds/xds_constants.h"

namespace renkei::repository {
namespace {

// The ITI-43 error of a document the access ticket does not cover.
constexpr char kAccessDenied[] = "AuthorizationException";

void SendFault(Poco::Net::HTTPServerResponse& response, const Status& status,
               const std::string& relates_to) {
  SendSoapFault(response, status, relates_to);
}

// A missing or invalid access ticket: 401 with the Bearer challenge and a SOAP Fault.
void SendTicketRefusal(Poco::Net::HTTPServerResponse& response, const Status& refusal,
                       const std::string& relates_to) {
  SendTicketFault(response, TicketRefusalHttpStatus(refusal), TicketChallenge(refusal),
                  refusal.detail(), relates_to);
}

// Splits `requests` into those `admission` lets through (to Retrieve) and the refused ones
// (AuthorizationException). Requests for another repository pass: Retrieve answers
// XDSUnknownRepositoryId, which reveals nothing.
std::vector<xds::DocumentRequest> Admitted(const TicketGuard& guard, const Peer& peer,
                                           const Admission& admission, DocumentStore& store,
                                           const std::string& own_repository,
                                           const std::vector<xds::DocumentRequest>& requests,
                                           xds::RegistryErrorList* refused) {
  std::vector<xds::DocumentRequest> out;
  for (const xds::DocumentRequest& r : requests) {
    bool ok = true;
    if (r.repository_unique_id == own_repository) {
      Result<StoredDocument> d = store.Find(r.document_unique_id);
      // A document not held: "unknown" (Retrieve) only when the ticket names it.
      ok = (!d.ok() && admission.Names(own_repository, r.document_unique_id)) ||
           guard
               .Allows(peer, admission, d.ok() ? d->patient_id : "", own_repository,
                       r.document_unique_id)
               .ok();
    }
    if (ok) {
      out.push_back(r);
    } else {
      refused->push_back({kAccessDenied,
                          "access denied: the access ticket does not cover document " +
                              r.document_unique_id,
                          r.document_unique_id, xds::Severity::kError});
    }
  }
  return out;
}

// ---- ATNA (ITI TF-2 Audit Record Considerations of ITI-41 / ITI-43) ----

void Record(const RepositoryEndpointOptions& options, const audit::AuditEvent& event) {
  if (options.audit != nullptr) options.audit->Record(event);
}

// The first error as "code: context" (EventOutcomeDescription).
std::string Describe(const xds::RegistryErrorList& errors) {
  for (const xds::RegistryError& e : errors) {
    if (e.severity == xds::Severity::kError) return e.error_code + ": " + e.code_context;
  }
  return "";
}

bool HasError(const xds::RegistryErrorList& errors) {
  for (const xds::RegistryError& e : errors) {
    if (e.severity == xds::Severity::kError) return true;
  }
  return false;
}

// A refusal by the TicketGuard: Security Alert, Node Authentication, serious failure.
void RecordRefusal(const RepositoryEndpointOptions& options,
                   Poco::Net::HTTPServerRequest& request, const Status& refusal,
                   const std::string& document_unique_id) {
  if (options.audit == nullptr) return;
  audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
  x.outcome = 8;
  x.outcome_description = "ITI-43 access ticket refused: " + refusal.detail();
  if (!document_unique_id.empty()) {
    x.outcome_description += " (document " + document_unique_id + ")";
  }
  Record(options, audit::AuthenticationFailure(x, x.outcome_description));
}

// The patient and submission set uniqueId of an ITI-41 request.
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

bool BodyIs(const xds::SoapMessage& m, const char* ns, const char* local) {
  return m.body_namespace() == ns && m.body_local_name() == local;
}

Status BodyMismatch(const xds::SoapMessage& m) {
  return Status::InvalidArgument(xds::kFaultSubcodeActionNotSupported,
                                 "body element {" + m.body_namespace() + "}" +
                                     m.body_local_name() + " does not match wsa:Action " +
                                     m.action());
}

// Reads an MTOM request: the envelope in memory, each other part into an upload.
Result<std::string> ReadMtomRequest(Poco::Net::HTTPServerRequest& request, DocumentStore& store,
                                    const RepositoryEndpointOptions& options,
                                    ReceivedParts* parts) {
  MtomLimits limits;
  limits.max_root_bytes = options.limits.max_bytes;
  limits.max_parts = options.max_parts;
  auto sink = [&](const MimePartInfo& info, std::istream& data) -> Status {
    const std::string& cte = info.content_transfer_encoding;
    if (!cte.empty() && cte != "binary" && cte != "8bit" && cte != "7bit") {
      return Status::InvalidArgument("", "MIME part <" + info.content_id +
                                             "> has Content-Transfer-Encoding " + cte +
                                             "; MTOM parts are binary");
    }
    Result<std::unique_ptr<Upload>> upload = store.BeginUpload();
    if (!upload.ok()) return upload.status();
    RENKEI_RETURN_IF_ERROR((*upload)->WriteFrom(data));
    (*parts)[info.content_id] = std::move(upload.value());
    return Status::Ok();
  };
  Result<MtomRoot> root = ReadMtom(request.stream(), request.getContentType(), limits, sink);
  if (!root.ok()) return root.status();
  return std::move(root->body);
}

void Handle(DocumentRepository& repository, DocumentStore& store,
            const RepositoryEndpointOptions& options, Poco::Net::HTTPServerRequest& request,
            Poco::Net::HTTPServerResponse& response) {
  const bool mtom = MediaType(request.getContentType()) == "multipart/related";
  ReceivedParts parts;
  Result<std::string> soap = mtom ? ReadMtomRequest(request, store, options, &parts)
                                  : ReadRequestBody(request, options.limits.max_bytes);
  if (!soap.ok()) return SendFault(response, soap.status(), "");
  Result<xds::SoapMessage> message = xds::SoapMessage::Parse(*soap, options.limits);
  if (!message.ok()) return SendFault(response, message.status(), "");
  const xds::SoapMessage& m = *message;
  const std::string& relates = m.message_id();
  const std::string& action = m.action();

  if (action == xds::kActionProvideAndRegister) {
    if (!BodyIs(m, xds::kNsXdsb, "ProvideAndRegisterDocumentSetRequest")) {
      return SendFault(response, BodyMismatch(m), relates);
    }
    Result<xds::ProvideAndRegisterRequest> req = xds::DecodeProvideAndRegisterRequest(m);
    xds::RegistryErrorList errors;
    std::string patient, submission_set;
    if (!req.ok()) {
      errors.push_back(xds::ToRegistryError(req.status()));
    } else {
      SubmissionOf(req->submission, &patient, &submission_set);
      errors = repository.ProvideAndRegister(std::move(req.value()), std::move(parts));
    }
    if (options.audit != nullptr) {
      audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
      x.outcome = HasError(errors) ? 8 : 0;
      x.outcome_description = Describe(errors);
      Record(options, audit::ProvideAndRegister(x, audit::Side::kReceiver, patient,
                                                submission_set));
    }
    return SendSoapReply(request, response, xds::kActionProvideAndRegisterResponse, relates,
                         xds::EncodeRegistryResponse(errors), mtom);
  }
  if (action == xds::kActionRetrieve) {
    if (!BodyIs(m, xds::kNsXdsb, "RetrieveDocumentSetRequest")) {
      return SendFault(response, BodyMismatch(m), relates);
    }
    Result<std::vector<xds::DocumentRequest>> req = xds::DecodeRetrieveDocumentSetRequest(m);
    RetrieveAnswer answer;
    std::vector<audit::Code> purpose_of_use;  // BTG when served under a break-glass ticket
    if (!req.ok()) {
      answer.errors.push_back(xds::ToRegistryError(req.status()));
    } else if (options.tickets) {
      const Peer& peer = RequestPeer(request);
      Result<Admission> admission = options.tickets->Admit(peer, request.get("Authorization", ""));
      if (!admission.ok()) {
        RecordRefusal(options, request, admission.status(), "");
        return SendTicketRefusal(response, admission.status(), relates);
      }
      purpose_of_use = RetrievePurposeOfUse(&*admission);
      xds::RegistryErrorList refused;
      answer = repository.Retrieve(
          admission->own() ? *req
                           : Admitted(*options.tickets, peer, *admission, store,
                                      repository.options().repository_unique_id, *req, &refused));
      for (const xds::RegistryError& e : refused) {
        RecordRefusal(options, request, Status::PermissionDenied(kTicketNotCovered, e.code_context),
                      e.location);
      }
      answer.errors.insert(answer.errors.end(), refused.begin(), refused.end());
    } else {
      answer = repository.Retrieve(*req);
    }
    std::vector<xds::RetrievedDocument> documents;
    std::vector<SoapAttachment> attachments;
    for (size_t i = 0; i < answer.documents.size(); ++i) {
      const StoredDocument& d = answer.documents[i];
      const std::string cid = "document" + std::to_string(i + 1) + "@renkei";
      documents.push_back({repository.options().home_community_id,
                           repository.options().repository_unique_id, d.unique_id, d.mime_type,
                           cid, ""});
      attachments.push_back({cid, d.mime_type, d.path, d.size, ""});
    }
    if (options.audit != nullptr) {
      audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
      const bool failed = HasError(answer.errors);
      x.outcome = !failed ? 0 : answer.documents.empty() ? 8 : 4;
      x.outcome_description = Describe(answer.errors);
      std::vector<audit::DocumentRef> refs;
      std::string patient;
      for (const StoredDocument& d : answer.documents) {
        refs.push_back({d.unique_id, repository.options().repository_unique_id,
                        repository.options().home_community_id});
        if (patient.empty()) patient = d.patient_id;
      }
      if (refs.empty() && req.ok()) {  // nothing served: the documents asked for
        for (const xds::DocumentRequest& r : *req) {
          refs.push_back({r.document_unique_id, r.repository_unique_id, r.home_community_id});
        }
      }
      audit::AuditEvent event = audit::RetrieveDocumentSet(x, audit::Side::kSender, patient, refs);
      event.purpose_of_use = purpose_of_use;
      Record(options, event);
    }
    return SendSoapReply(request, response, xds::kActionRetrieveResponse, relates,
                         xds::EncodeRetrieveDocumentSetResponse(documents, answer.errors),
                         /*mtom=*/true, attachments);
  }
  if (auto more = options.more_actions.find(action); more != options.more_actions.end()) {
    return more->second(m, request, response);
  }
  SendFault(response,
            Status::InvalidArgument(xds::kFaultSubcodeActionNotSupported,
                                    "the repository does not support wsa:Action '" + action + "'"),
            relates);
}

}  // namespace

HttpHandler MakeRepositoryHandler(DocumentRepository& repository, DocumentStore& store,
                                  RepositoryEndpointOptions options) {
  return [&repository, &store, options](Poco::Net::HTTPServerRequest& request,
                                        Poco::Net::HTTPServerResponse& response) {
    try {
      Handle(repository, store, options, request, response);
    } catch (const std::exception& e) {
      LogError(std::string("repository: request failed: ") + e.what());
      if (!response.sent()) {
        SendFault(response, Status::Internal("", "the repository failed to process the request"),
                  "");
      }
    }
  };
}

}  // namespace renkei::repository
