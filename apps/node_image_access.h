// Who may read which imaging study at a node (issue 6, docs/dicomweb.md "Access"): the
// node's own facility reads every study; another facility presents an access ticket of the
// centre (repository/ticket_guard.h, the same check as ITI-43) and reads the studies whose
// XDS-I.b manifest the ticket names, for the patient the study is linked to now. The
// centre issues such a ticket for a manifest DocumentEntry the requester may see, like any
// document's; the consumer reads the study's UIDs in the manifest it retrieved.
//
// Thread-safety: the returned function may be called from any number of threads.
#ifndef RENKEI_APPS_NODE_IMAGE_ACCESS_H_
#define RENKEI_APPS_NODE_IMAGE_ACCESS_H_

#include <functional>
#include <memory>
#include <vector>
#include <string>

#include "audit/audit_sink.h"
#include "dicomweb/dicom_store.h"
#include "dicomweb/study_access.h"
#include "repository/ticket_guard.h"

namespace Poco::Net {
class HTTPServerRequest;
}  // namespace Poco::Net

namespace renkei::apps {

// The ATNA record of another facility's DICOMweb request (DicomwebOptions::on_other_facility):
// a refusal (401, or 403 for a study the ticket does not cover) is a Security Alert; what was
// served a Disclosure (110106 Export) of the ticket's patient to its requester, each study a
// DICOM Study object (110180), PurposeOfUse BTG under a break-glass ticket. `audit` must outlive the function.
std::function<void(Poco::Net::HTTPServerRequest&, const dicomweb::StudyAccess&,
                   const std::vector<std::string>&, int)>
MakeImageReadAudit(audit::AuditSink* audit, std::string audit_source_id, std::string audit_site);

// `guard` and `images` must outlive the function.
dicomweb::StudyAccessOf MakeImageAccess(std::shared_ptr<const repository::TicketGuard> guard,
                                        dicomweb::DicomStore& images,
                                        std::string repository_unique_id);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_NODE_IMAGE_ACCESS_H_
