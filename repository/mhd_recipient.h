// The node's MHD 4.2 Document Recipient (ITI-65 Provide Document Bundle, ITI TF-2 §3.65):
// a transaction Bundle is mapped to an XDS submission (profiles/mhd_mapping.h) and handed
// to the Document Repository as an ITI-41 with inline documents, so it takes the same
// path as a SOAP submission: same store, same ITI-42 to the registry, same durability, and
// nothing stays when it is refused.
//
// Patient references of the Bundle name the centre's Patient ("Patient/{id}" or
// "<centre>/fhir/Patient/{id}"); they are resolved through a PatientReader (the centre's
// read interaction) to the Patient's identifier in the regional domain. docs/mhd.md
// ("Node: ITI-65 / ITI-68") has the URL scheme and the answers.
//
// Thread-safety: thread-safe (the repository is; the reader must be).
#ifndef RENKEI_REPOSITORY_MHD_RECIPIENT_H_
#define RENKEI_REPOSITORY_MHD_RECIPIENT_H_

#include <functional>
#include <string>

#include "common/status.h"
#include "profiles/mhd_mapping.h"
#include "repository/document_repository.h"

namespace renkei::repository {

// The Patient resource (JSON) with that id at the centre; NotFound when the centre does not
// know it, Unavailable when the centre cannot say.
using PatientReader = std::function<Result<std::string>(const std::string& patient_id)>;

// The codes a Minimal Metadata bundle gets when it omits them: the region's progress note
// (class ProgressNote, LOINC 11506-3, format urn:ihe:iti:xds-sd:text:2008), general
// medicine (SNOMED CT 394802001), a hospital (22232009), confidentiality N, language "ja";
// the SubmissionSet contentTypeCode is the progress note's LOINC code.
profiles::MhdMinimalDefaults RegionMinimalDefaults();

struct MhdRecipientOptions {
  std::string centre_fhir_base;     // e.g. "http://centre:8080/fhir" (no trailing '/')
  std::string regional_domain_oid;  // pix.regional_domain.oid
  profiles::MhdMinimalDefaults minimal_defaults = RegionMinimalDefaults();
  bool require_bundle_profile = true;  // MhdContext::require_bundle_profile
};

class MhdRecipient {
 public:
  MhdRecipient(DocumentRepository& repository, PatientReader patients, MhdRecipientOptions options);

  // ITI-65. The transaction-response Bundle (JSON), one entry per Bundle entry in order,
  // each "201 Created" with its location: List/{id}, DocumentReference/{id} (id = the
  // entryUUID without urn:uuid:), Binary/{uniqueId} (percent-encoded; the ITI-68 URL
  // relative to the node's /fhir), Patient/{id}.
  // Errors, detail = the FHIR issue type for the OperationOutcome:
  //   InvalidArgument  the mapping refused the Bundle (invalid, required, not-found,
  //                    code-invalid, not-supported; message names resource and element)
  //   Conflict         the repository or the registry refused it ("processing"; message
  //                    starts with the XDS error codes, e.g. "XDSUnknownPatientId: ...")
  //   Unavailable      the registry or the centre could not be reached ("transient")
  //   ResourceExhausted  the store is full ("transient")
  Result<std::string> Provide(const std::string& bundle_json);

 private:
  DocumentRepository& repository_;
  PatientReader patients_;
  const MhdRecipientOptions options_;
};

// "Binary/" + the percent-encoded uniqueId (RFC 3986 unreserved characters kept).
std::string BinaryPathOf(const std::string& document_unique_id);

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_MHD_RECIPIENT_H_
