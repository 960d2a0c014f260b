// RAD-69 Retrieve Imaging Document Set at the node (issue 6, RAD TF-3 4.69), served at
// /xds/repository next to ITI-41 / ITI-43 (architecture §9): the request decoded
// (xds/repository_codec.h), the instances chosen (dicomweb/imaging_retrieve.h), the answer an
// MTOM xdsb:RetrieveDocumentSetResponse with one application/dicom part per instance.
// Another facility needs an access ticket naming the study's manifest (node_image_access.h):
// none or an invalid one answers 401 with a SOAP Fault; a study it does not cover is an
// AuthorizationException for its instances. Each request is audited (RAD-69 Export) and
// each refusal (Security Alert), as ITI-43.
//
// Thread-safety: the handler may run on any number of threads at once.
#ifndef RENKEI_APPS_NODE_RAD69_H_
#define RENKEI_APPS_NODE_RAD69_H_

#include <string>

#include "audit/audit_sink.h"
#include "dicomweb/dicom_store.h"
#include "dicomweb/study_access.h"
#include "repository/repository_endpoint.h"

namespace renkei::apps {

struct Rad69Options {
  std::string repository_unique_id;
  dicomweb::StudyAccessOf access;  // null: every peer reads every study
  audit::AuditSink* audit = nullptr;  // not owned; null: nothing recorded
  std::string audit_source_id;
  std::string audit_site;
};

// `images` must outlive the handler.
repository::SoapActionHandler MakeRad69Handler(dicomweb::DicomStore& images, Rad69Options options);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_NODE_RAD69_H_
