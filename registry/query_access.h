// Architecture §5 "Authorization at the centre" / issue 5: which registry objects one
// ITI-18 stored query (and through it MHD ITI-66/67) may return to the requesting facility.
// The rules and their reasons: docs/authorization.md.
//   DocumentEntry   PatientAccess::Allows(submitter, classCode)
//   SubmissionSet,  own, break-glass, or a grant of its submitter in force for the patient;
//   Folder          with a grant limited to some classes only when one of its member
//                   DocumentEntries is visible (else it would only reveal hidden documents)
//   Association     both ends visible
// A QueryAccess lives for one query: it asks the DisclosurePolicy once per patient and
// remembers every decision by entryUUID.
//
// Thread-safety: none; one query, one thread.
#ifndef RENKEI_REGISTRY_QUERY_ACCESS_H_
#define RENKEI_REGISTRY_QUERY_ACCESS_H_

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "directory/disclosure_policy.h"
#include "registry/registry_store.h"

namespace renkei::registry {

class QueryAccess {
 public:
  // `policy` null: the requester sees only what it registered itself. `now` is the UTC
  // instant "YYYYMMDDhhmmss" passed to DisclosurePolicy::AccessOf. `store` and `policy`
  // must outlive this object.
  QueryAccess(RegistryStore& store, const directory::DisclosurePolicy* policy,
              std::string requester, std::string now);

  const std::string& requester() const { return requester_; }

  // The requester's access to `patient_id`, asked of the policy at most once per query.
  // Unavailable (XDSRegistryError) when the policy cannot answer: the query then answers
  // nothing. The pointer stays valid for the life of this object.
  Result<const directory::PatientAccess*> Access(const std::string& patient_id);

  // Whether `o` may be returned. `o` must carry its submitter, patient_id, codes (class),
  // source and target (a full row, not an ObjectFilter::ids_only / answer_only one).
  Result<bool> Visible(const StoredObject& o);
  // The same for the object with this entryUUID (read from the store when not decided yet);
  // an unknown id is not visible.
  Result<bool> VisibleId(const std::string& id);
  // The visible objects of `objects` (full rows), in order.
  Result<std::vector<StoredObject>> Filter(std::vector<StoredObject> objects);
  // Records `id` as visible (an object a query selected under the submitter restriction
  // that the patient's access makes exact).
  void MarkVisible(const std::string& id) { decided_[id] = true; }

  // The submitters whose objects a query for this patient may return at all; empty = any
  // (break-glass). Always holds the requester otherwise. `exact` is set when every object
  // of those submitters is visible (no grant limited to some classes), so no further
  // check is needed.
  static std::vector<std::string> SubmittersFor(const directory::PatientAccess& access,
                                                bool* exact);

 private:
  Result<bool> Decide(const StoredObject& o, int depth);
  Result<bool> DecideId(const std::string& id, int depth);
  Result<bool> PackageVisible(const StoredObject& o);

  RegistryStore& store_;
  const directory::DisclosurePolicy* policy_;
  std::string requester_;
  std::string now_;
  std::map<std::string, directory::PatientAccess> access_;  // by patient id
  std::map<std::string, bool> decided_;                     // by entryUUID
};

// The classCode code of a DocumentEntry row ("" when it has none).
const std::string& ClassCodeOf(const StoredObject& o);

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_QUERY_ACCESS_H_
