// The centre's patient identities (architecture §4): one regional ID per person, linked to
// each facility's local IDs, with the person's demographics and the history of every link.
//
// Linking rules (patient safety: links come only from explicit identifiers, never from a
// demographic guess):
//   - A feed's identifiers that are already linked decide the patient; the others are linked
//     to it. A feed carrying a regional ID links to that regional patient (which must exist:
//     the centre assigns regional IDs). A feed whose identifiers are all new creates a
//     patient with a new regional ID.
//   - A feed whose identifiers belong to two different patients changes nothing and is
//     refused (only a merge joins two patients).
//   - Merge: every identifier of the merged patient moves to the survivor. Its regional ID
//     and any local ID in a domain where the survivor already has one are kept *retired*:
//     they still resolve to the survivor but are not listed as its identifiers. The merged
//     patient stays in the history.
// Demographics are replaced part by part by what a feed carries (names, birth date, sex,
// addresses, phones); a part the feed leaves empty is kept.
//
// Every identifier the store sees carries its assigning authority's OID (the caller maps
// namespaces to OIDs); InvalidArgument detail "204" otherwise.
//
// Thread-safety: implementations are safe for concurrent calls.
#ifndef RENKEI_PIX_IDENTITY_STORE_H_
#define RENKEI_PIX_IDENTITY_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "pix/patient_feed.h"

namespace renkei::pix {

struct PatientRecord {
  std::string regional_id;
  std::vector<Cx> identifiers;  // the regional ID first, then local ones (not retired)
  std::vector<PersonName> names;
  std::string birth_date;
  std::string sex;
  std::vector<Address> addresses;
  std::vector<std::string> phones;
};

struct FeedResult {
  std::string regional_id;
  bool created = false;  // a new regional ID was assigned
};

// PDQ criteria; empty members do not constrain.
struct PatientSearch {
  std::vector<Cx> identifiers;  // the patient has one of these (exact; an empty oid matches
                                //   the value in any domain)
  std::string regional_id;      // exactly this regional ID (FHIR _id)
  std::string family;           // prefix of a family name (any representation; ASCII
  std::string given;            //   letters case-insensitive), likewise given name
  std::string name;             // prefix of a family or a given name
  std::string birth_date;       // prefix of the birth date (YYYY, YYYYMM, YYYYMMDD)
  std::string sex;
  std::string address;          // substring of any address part
  std::string telecom;          // substring of a phone number
  int64_t after = 0;            // paging: only patients after this cursor
  int limit = 100;
};

struct SearchPage {
  std::vector<PatientRecord> patients;
  int64_t next = 0;  // cursor for the next page; 0 when this is the last
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;
  // ITI-8 A01/A04/A05/A08, ITI-104 create/update. Errors: "204" unknown regional ID or
  // identifier without OID; "205" identifiers of two different patients (Conflict).
  virtual Result<FeedResult> Feed(const PatientFeed& feed) = 0;
  // ITI-8 A40: the patient of `feed.merged` into the patient of `feed.identifiers` (created
  // if new). "204" when no merged identifier is known.
  virtual Result<FeedResult> Merge(const PatientFeed& feed) = 0;
  // ITI-104 delete: `id` (a local identifier) no longer resolves to its patient; the
  // patient and its other identifiers stay. NotFound when unknown; InvalidArgument for a
  // regional ID (the centre's own, never deleted by a feed).
  virtual Status Unlink(const Cx& id) = 0;
  // The identifiers of the patient `id` belongs to, the regional ID first, retired ones left
  // out: what a PIX query or the registry's patient check needs, without the demographics
  // Find reads. NotFound otherwise.
  virtual Result<std::vector<Cx>> CrossReference(const Cx& id) = 0;
  // The patient `id` belongs to (retired ids resolve to their survivor). NotFound otherwise.
  virtual Result<PatientRecord> Find(const Cx& id) = 0;
  virtual Result<SearchPage> Search(const PatientSearch& query) = 0;
  // True when some patient has (or had) an identifier in domain `oid`, or it is the
  // regional domain: the domains a PIX query may name (ITI-9 QPD-4, PIXm targetSystem).
  virtual Result<bool> KnowsDomain(const std::string& oid) = 0;
  // The OID of the regional domain.
  virtual const std::string& regional_oid() const = 0;
};

}  // namespace renkei::pix

#endif  // RENKEI_PIX_IDENTITY_STORE_H_
