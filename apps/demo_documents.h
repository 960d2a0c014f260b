// The bytes of the demo's synthetic documents, one per document kind of the region
// (profiles/region_document_kinds.h): a CDA R2 discharge summary and laboratory report
// (text/xml), a one-page PDF surgery record (application/pdf), and UTF-8 text for progress
// notes, prescriptions and injections. Made up, marked as such in their text.
#ifndef RENKEI_APPS_DEMO_DOCUMENTS_H_
#define RENKEI_APPS_DEMO_DOCUMENTS_H_

#include <string>

#include "apps/demo_data.h"
#include "profiles/region_document_kinds.h"

namespace renkei::apps {

// The content of a document of `kind` about `patient` written at `hospital`; `unique_id`
// (the document's uniqueId) is written into it, so every document's bytes differ.
std::string DemoDocumentContent(const profiles::DocumentKind& kind, const DemoPatient& patient,
                                const DemoHospital& hospital, const std::string& unique_id);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_DOCUMENTS_H_
