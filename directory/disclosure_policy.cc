// Architecture §5 "Authorization at the centre": the per-entry test of a requester's access
// (directory/disclosure_policy.h).
#include "directory/disclosure_policy.h"

#include <algorithm>

namespace renkei::directory {

bool PatientAccess::Allows(const std::string& submitter, const std::string& class_code) const {
  if (!requester.empty() && submitter == requester) return true;  // its own records
  if (break_glass) return true;
  for (const GrantInForce& g : grants) {
    if (g.disclosing_facility != submitter) continue;
    if (g.class_codes.empty()) return true;
    if (std::find(g.class_codes.begin(), g.class_codes.end(), class_code) != g.class_codes.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace renkei::directory
