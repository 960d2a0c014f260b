// ATNA PurposeOfUse of a ticketed retrieve (repository/retrieve_purpose.h; DICOM PS3.15
// A.5.1, HL7 v3 ActReason).
#include "repository/retrieve_purpose.h"

#include "trust/access_ticket.h"

namespace renkei::repository {

audit::Code BreakGlassPurposeOfUse() {
  return audit::Code{trust::kPurposeBreakGlass,
                     "http://terminology.hl7.org/CodeSystem/v3-ActReason", "break the glass"};
}

std::vector<audit::Code> RetrievePurposeOfUse(const Admission* admission) {
  if (admission == nullptr) return {};
  const trust::AccessTicket* ticket = admission->ticket();
  if (ticket == nullptr || ticket->purpose_of_use != trust::kPurposeBreakGlass) return {};
  return {BreakGlassPurposeOfUse()};
}

}  // namespace renkei::repository
