// Architecture §5 "Authorization at the centre": which records of a patient a requesting
// facility may see. Default deny; a facility always sees what it registered itself; a
// disclosing facility's grants (after the patient's consent) open its records of that
// patient to a viewing facility (or to every participating facility), for some document
// classes (empty scope = every class) and a period; break-glass opens all of a patient's
// records to one facility for a short time.
//
// The registry asks once per (requester, patient) and query, then filters every entry of
// the answer with PatientAccess::Allows; entries it may not see are absent from answers.
//
// Thread-safety: implementations must allow concurrent AccessOf calls.
#ifndef RENKEI_DIRECTORY_DISCLOSURE_POLICY_H_
#define RENKEI_DIRECTORY_DISCLOSURE_POLICY_H_

#include <string>
#include <vector>

#include "common/status.h"

namespace renkei::directory {

// One grant in force for a requester and patient, as the policy evaluated it.
struct GrantInForce {
  std::string disclosing_facility;       // whose records (the submitter of the entries)
  std::vector<std::string> class_codes;  // classCode codes; empty = every class
};

// What one requesting facility may see of one patient's records at one moment.
struct PatientAccess {
  std::string requester;               // requesting facility OID
  bool break_glass = false;            // emergency access in force: everything visible
  std::vector<GrantInForce> grants;

  // True when an entry registered by `submitter` with classCode `class_code` is visible:
  // own records, break-glass, or a grant of `submitter` whose scope holds `class_code`.
  bool Allows(const std::string& submitter, const std::string& class_code) const;
};

class DisclosurePolicy {
 public:
  virtual ~DisclosurePolicy() = default;
  // The access of `requester` to the records of `patient_id` (regional CX,
  // "id^^^&oid&ISO") at `now` (UTC, "YYYYMMDDhhmmss"). Unavailable when the policy store
  // cannot be read (the caller then answers nothing, never everything).
  virtual Result<PatientAccess> AccessOf(const std::string& requester,
                                         const std::string& patient_id,
                                         const std::string& now) const = 0;
};

// Architecture §5 / issue 5: the registry accepts a repositoryUniqueId only from the
// facility the directory lists it for (in insecure-loopback mode an unknown one is recorded
// for the facility on first use, and logged).
class RepositoryDirectory {
 public:
  virtual ~RepositoryDirectory() = default;
  // OK when `repository_unique_id` belongs to `facility` (or was just recorded for it);
  // PermissionDenied when it belongs to another facility, or is unknown and unknown ones are
  // not recorded; Unavailable when the directory cannot be read.
  virtual Status ClaimRepository(const std::string& repository_unique_id,
                                 const std::string& facility) = 0;
};

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_DISCLOSURE_POLICY_H_
