// ITI-9 PIX Query as plain types (IHE ITI TF-2 3.9): QBP^Q23 decoded, RSP^K23 built.
//
//   QBP^Q23  QPD-1 IHE PIX Query (message query name), QPD-2 query tag, QPD-3 the person
//            identifier (CX), QPD-4 the domains wanted (CX with only the assigning
//            authority, repeating; empty = every domain but the queried one's)
//   RSP^K23  MSA (AA, or AE with ERR), QAK (QAK-1 the query tag, QAK-2 OK / NF / AE), QPD
//            echoed, and for OK one PID whose PID-3 lists the identifiers found (PID-5 a
//            single empty name of type S, as the IHE examples write it)
//
// The ITI-9 cases (3.9.4.2.2.6): the identifier is known and has ids in the wanted domains
// -> AA/OK with them; known but nothing in those domains -> AA/NF, no PID; unknown identifier
// -> AE/AE, ERR code 204 at QPD^1^3^1^1; unknown wanted domain -> AE/AE, ERR 204 at
// QPD^1^4^<repetition> for each. Deciding which case applies is the caller's (it knows the
// domains and the patients).
//
// Thread-safety: pure functions.
#ifndef RENKEI_PIX_PIX_QUERY_H_
#define RENKEI_PIX_PIX_QUERY_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "pix/hl7_ack.h"
#include "pix/hl7_message.h"
#include "pix/patient_feed.h"

namespace renkei::pix {

struct PixQuery {
  std::string query_tag;
  Cx person;
  std::vector<Cx> wanted_domains;  // id empty; namespace and/or oid
};

// InvalidArgument with HL7 code detail: "100" without QPD, "101" when QPD-3 has no id or
// no assigning authority (location QPD^1^3).
Result<PixQuery> DecodePixQuery(const hl7::Message& m);

enum class PixQueryStatus { kOk, kNotFound, kError };  // QAK-2 OK, NF, AE

struct PixAnswer {
  PixQueryStatus status = PixQueryStatus::kOk;
  std::vector<Cx> identifiers;  // for kOk
  std::vector<AckError> errors;  // for kError
};

// The RSP^K23 for `request` (whose QPD is echoed).
hl7::Message MakePixResponse(const hl7::Message& request, const PixQuery& query,
                             const PixAnswer& answer, const AckContext& ctx);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PIX_QUERY_H_
