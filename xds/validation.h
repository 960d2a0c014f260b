// ITI TF-3 §4 metadata validation for ITI-42 Register Document Set-b and ITI-57 Update
// Document Set: every rule that can be decided from the submission itself (ITI TF-3 §4.1,
// §4.2.2, §4.2.3, Table 4.3.1-3, ITI TF-2 §3.42.4.1.3) plus the affinity domain's code sets
// and the patient-identity domain. Rules that need the registry's stored state (replaced
// document exists and is Approved, uniqueId already registered, ...) belong to the
// registry transactions, not here.
//
// Thread-safety: ValidateSubmission is a pure function; the CodeValidator and
// PatientIdSource it is given must be safe for concurrent calls.
#ifndef RENKEI_XDS_VALIDATION_H_
#define RENKEI_XDS_VALIDATION_H_

#include <string>

#include "common/patient_id_source.h"
#include "xds/metadata.h"
#include "xds/xds_errors.h"

namespace renkei::xds {

// The affinity domain's code sets (profiles/code_sets.h implements it).
class CodeValidator {
 public:
  virtual ~CodeValidator() = default;
  // True when (code, coding_scheme) is allowed for the coded attribute identified by its
  // classification scheme UUID (xds/xds_constants.h, e.g. kDocEntryClassCode). A scheme the
  // validator knows nothing about accepts every code.
  virtual bool IsKnownCode(const std::string& classification_scheme_uuid,
                           const std::string& code, const std::string& coding_scheme) const = 0;
};

struct ValidationOptions {
  enum class Transaction {
    kRegister,  // ITI-42 Register Document Set-b
    kUpdate,    // ITI-57 Update Document Set
  };
  Transaction transaction = Transaction::kRegister;
  // Not owned; null = codes are not checked against a code set.
  const CodeValidator* codes = nullptr;
  // Not owned; null = patient ids are checked for format and consistency only.
  const PatientIdSource* patients = nullptr;
};

// Checks `s` and returns EVERY problem found (empty == valid), in a stable order: submission
// structure, then each SubmissionSet, DocumentEntry, Folder and Association in submission
// order, then cross-object rules. Each RegistryError has
//   error_code   the XDS code ITI TF-3 Table 4.2.4.1-2 names: XDSRegistryMetadataError for
//                missing/extra/malformed metadata, XDSPatientIdDoesNotMatch,
//                XDSUnknownPatientId, XDSRegistryDuplicateUniqueIdInMessage;
//   code_context what is wrong and the TF section, for a human;
//   location     the offending object's id as written in the request (symbolic id or
//                urn:uuid); its uniqueId when it has no id.
// All errors have severity Error.
RegistryErrorList ValidateSubmission(const Submission& s, const ValidationOptions& o);

}  // namespace renkei::xds

#endif  // RENKEI_XDS_VALIDATION_H_
