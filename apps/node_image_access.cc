// Access tickets applied to imaging studies.
#include "apps/node_image_access.h"

#include <algorithm>
#include <utility>

#include "audit/request_exchange.h"
#include "audit/transaction_events.h"
#include "common/log.h"

namespace renkei::apps {

dicomweb::StudyAccessOf MakeImageAccess(std::shared_ptr<const repository::TicketGuard> guard,
                                        dicomweb::DicomStore& images,
                                        std::string repository_unique_id) {
  return [guard = std::move(guard), &images, repository = std::move(repository_unique_id)](
             const Peer& peer, const std::string& authorization) {
    dicomweb::StudyAccess access;
    Result<repository::Admission> admission = guard->Admit(peer, authorization);
    if (!admission.ok()) {
      access.refused_status = repository::TicketRefusalHttpStatus(admission.status());
      if (access.refused_status == 401) {
        access.challenge = repository::TicketChallenge(admission.status());
      }
      access.reason = "access ticket refused: " + admission.status().detail();
      return access;
    }
    if (admission->own()) return dicomweb::StudyAccess::Everything();
    const trust::AccessTicket& ticket = *admission->ticket();
    access.all = false;
    access.requester = ticket.requester;
    access.patient = ticket.patient;
    access.purpose_of_use = ticket.purpose_of_use;
    Result<std::vector<dicomweb::ManifestStudy>> studies =
        images.StudiesOfManifests(ticket.documents);
    if (!studies.ok()) {
      LogError("dicomweb: access: " + studies.status().ToString());
      access.refused_status = 500;
      access.reason = "the DICOM index failed";
      return access;
    }
    // The manifest must be the ticket patient's: its study linked to that patient now.
    for (const dicomweb::ManifestStudy& m : *studies) {
      if (std::find(access.studies.begin(), access.studies.end(), m.study_uid) ==
              access.studies.end() &&
          guard->Allows(peer, *admission, m.regional_id, repository, m.manifest_unique_id).ok()) {
        access.studies.push_back(m.study_uid);
      }
    }
    return access;
  };
}

std::function<void(Poco::Net::HTTPServerRequest&, const dicomweb::StudyAccess&,
                   const std::vector<std::string>&, int)>
MakeImageReadAudit(audit::AuditSink* audit, std::string audit_source_id, std::string audit_site) {
  return [audit, source = std::move(audit_source_id), site = std::move(audit_site)](
             Poco::Net::HTTPServerRequest& request, const dicomweb::StudyAccess& access,
             const std::vector<std::string>& studies, int status) {
    if (audit == nullptr || access.refused_status >= 500 || status >= 500) return;
    if (access.refused_status == 0 && status != 200 && status != 401 && status != 403) {
      return;  // nothing disclosed (204 no match, 4xx a bad request) and nothing refused
    }
    audit::Exchange x = audit::RequestExchange(request, source, site);
    if (access.refused_status != 0 || status == 401 || status == 403) {
      x.outcome = 8;
      x.outcome_description =
          "DICOMweb " + (access.refused_status != 0 ? access.reason
                         : studies.empty()
                             ? std::string("STOW-RS refused: only the node's own facility stores")
                             : "access ticket refused: not_covered (study " + studies.front() + ")");
      audit->Record(audit::AuthenticationFailure(x, x.outcome_description));
      return;
    }
    audit::AuditEvent e = audit::StudiesDisclosure(x, access.patient, access.requester, studies);
    if (access.purpose_of_use == trust::kPurposeBreakGlass) {
      e.purpose_of_use = {audit::BreakGlassPurposeOfUse()};
    }
    audit->Record(e);
  };
}

}  // namespace renkei::apps
