// ATNA PurposeOfUse of a ticketed retrieve (repository/retrieve_purpose.h; DICOM PS3.15
// A.5.1, HL7 v3 ActReason).
#include "repository/retrieve_purpose.h"

#include "audit/transaction_events.h"
#include "trust/access_ticket.h"

namespace renkei::repository {

std::vector<audit::Code> RetrievePurposeOfUse(const Admission* admission) {
  if (admission == nullptr) return {};
  const trust::AccessTicket* ticket = admission->ticket();
  if (ticket == nullptr || ticket->purpose_of_use != trust::kPurposeBreakGlass) return {};
  return {audit::BreakGlassPurposeOfUse()};
}

}  // namespace renkei::repository
