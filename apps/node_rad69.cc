// RAD-69 over the repository's SOAP endpoint.
#include "apps/node_rad69.h"

#include <Poco/Net/HTTPServerRequest.h>

#include "audit/request_exchange.h"
#include "audit/transaction_events.h"
#include "common/peer.h"
#include "dicomweb/imaging_retrieve.h"
#include "repository/soap_reply.h"
#include "trust/access_ticket.h"
#include "xds/ebrim_codec.h"
#include "xds/repository_codec.h"
#include "xds/xds_constants.h"

namespace renkei::apps {
namespace {

// `access` names the ticket's patient and purpose (empty for the node's own facility).
void Record(const Rad69Options& o, Poco::Net::HTTPServerRequest& request, int outcome,
            const std::string& description, const std::vector<audit::DocumentRef>& refs,
            bool refusal, const dicomweb::StudyAccess& access = {}) {
  if (o.audit == nullptr) return;
  audit::Exchange x = audit::RequestExchange(request, o.audit_source_id, o.audit_site);
  x.outcome = outcome;
  x.outcome_description = description;
  if (refusal) {
    o.audit->Record(audit::AuthenticationFailure(x, description));
    return;
  }
  audit::AuditEvent e =
      audit::RetrieveImagingDocumentSet(x, audit::Side::kSender, access.patient, refs);
  if (access.purpose_of_use == trust::kPurposeBreakGlass) {
    e.purpose_of_use = {audit::BreakGlassPurposeOfUse()};
  }
  o.audit->Record(e);
}

std::string FirstError(const xds::RegistryErrorList& errors) {
  return errors.empty() ? "" : errors.front().error_code + ": " + errors.front().code_context;
}

}  // namespace

repository::SoapActionHandler MakeRad69Handler(dicomweb::DicomStore& images, Rad69Options options) {
  return [&images, options](const xds::SoapMessage& m, Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
    const std::string& relates = m.message_id();
    if (m.body_namespace() != xds::kNsXdsiB ||
        m.body_local_name() != "RetrieveImagingDocumentSetRequest") {
      return repository::SendSoapFault(
          response,
          Status::InvalidArgument(xds::kFaultSubcodeActionNotSupported,
                                  "body element {" + m.body_namespace() + "}" +
                                      m.body_local_name() + " does not match wsa:Action " +
                                      m.action()),
          relates);
    }
    const dicomweb::StudyAccess access =
        options.access ? options.access(RequestPeer(request), request.get("Authorization", ""))
                       : dicomweb::StudyAccess::Everything();
    if (access.refused_status >= 500) {  // the node failed, not the requester
      return repository::SendSoapFault(response, Status::Internal("", access.reason), relates);
    }
    if (access.refused_status != 0) {
      Record(options, request, 8, "RAD-69 " + access.reason, {}, /*refusal=*/true);
      return repository::SendTicketFault(response, access.refused_status, access.challenge,
                                         access.reason, relates);
    }
    Result<xds::RetrieveImagingDocumentSetRequest> req =
        xds::DecodeRetrieveImagingDocumentSetRequest(m);
    dicomweb::ImagingRetrieveAnswer answer;
    if (!req.ok()) {
      answer.errors.push_back(xds::ToRegistryError(req.status()));
    } else {
      answer = dicomweb::RetrieveImagingDocumentSet(images, *req, access,
                                                    options.repository_unique_id);
    }
    std::vector<xds::RetrievedDocument> documents;
    std::vector<repository::SoapAttachment> attachments;
    std::vector<audit::DocumentRef> refs;
    for (size_t i = 0; i < answer.instances.size(); ++i) {
      dicomweb::RetrievedInstance& r = answer.instances[i];
      const std::string cid = "instance" + std::to_string(i + 1) + "@renkei";
      documents.push_back({r.home_community_id, options.repository_unique_id,
                           r.file.sop_instance_uid, "application/dicom", cid, ""});
      attachments.push_back({cid, "application/dicom", r.transcoded.empty() ? r.file.path : "",
                             r.file.size, std::move(r.transcoded)});
      refs.push_back({r.file.sop_instance_uid, options.repository_unique_id, r.home_community_id});
    }
    if (refs.empty() && req.ok()) {  // nothing served: the instances asked for
      for (const xds::ImagingDocumentRequest& r : req->documents) {
        refs.push_back({r.document.document_unique_id, r.document.repository_unique_id,
                        r.document.home_community_id});
      }
    }
    const bool failed = !answer.errors.empty();
    Record(options, request, !failed ? 0 : answer.instances.empty() ? 8 : 4,
           FirstError(answer.errors), refs, /*refusal=*/false, access);
    for (const xds::RegistryError& e : answer.errors) {
      if (e.error_code == "AuthorizationException") {
        Record(options, request, 8, "RAD-69 access ticket refused: not_covered (instance " +
                                        e.location + ")", {}, /*refusal=*/true);
      }
    }
    repository::SendSoapReply(request, response, xds::kActionRetrieveResponse, relates,
                              xds::EncodeRetrieveDocumentSetResponse(documents, answer.errors),
                              /*mtom=*/true, attachments);
  };
}

}  // namespace renkei::apps
