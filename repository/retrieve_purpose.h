// IHE ATNA at the data holder (ITI TF-2 ITI-43 / ITI-68 "Audit Record Considerations";
// DICOM PS3.15 A.5.1 EventIdentification/PurposeOfUse; issue 5 "Break-glass ... audited as
// emergency access"): the purpose of use a node writes into its retrieve record when the
// document was served under an access ticket.
//
// Only break-glass is recorded. The centre sets purpose_of_use "BTG" on every ticket whose
// documents the requester sees only through a break-glass window (and refuses BTG without
// one; registry/ticket_endpoint.h), so BTG is the centre's word; other purposes are the
// client's own claim, copied unchecked, and are left out of the record. The EventID and
// EventTypeCode of the retrieve stay as ITI-43 / ITI-68 define them.
//
// Thread-safety: pure functions.
#ifndef RENKEI_REPOSITORY_RETRIEVE_PURPOSE_H_
#define RENKEI_REPOSITORY_RETRIEVE_PURPOSE_H_

#include <vector>

#include "audit/audit_event.h"
#include "repository/ticket_guard.h"

namespace renkei::repository {

// The PurposeOfUse codes of a retrieve served under `admission` (null: no ticket guard):
// {audit::BreakGlassPurposeOfUse()} when its ticket's purpose_of_use is trust::kPurposeBreakGlass,
// else none (the own facility, no guard, or another purpose).
std::vector<audit::Code> RetrievePurposeOfUse(const Admission* admission);

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_RETRIEVE_PURPOSE_H_
