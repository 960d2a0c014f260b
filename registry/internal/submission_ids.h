// ITI-42 / ITI-57 registry-side identifier handling (ITI TF-3 §4.2.3.1.5 entryUUID,
// ebRIM 3.0 §2.5.1 lid / §2.5.10 VersionInfo): symbolic ids become fresh urn:uuid ids
// everywhere they are referenced, nested Classifications and ExternalIdentifiers get ids,
// and standalone Classifications move into the object they classify.
//
// Thread-safety: pure functions except NewUuidUrn (thread-safe, per-thread generator).
#ifndef RENKEI_REGISTRY_INTERNAL_SUBMISSION_IDS_H_
#define RENKEI_REGISTRY_INTERNAL_SUBMISSION_IDS_H_

#include <map>
#include <set>
#include <string>

#include "common/status.h"
#include "xds/rim.h"

namespace renkei::registry::internal {

// True when `id` has the "urn:uuid:" prefix followed by a syntactically valid UUID.
bool IsUuidUrn(const std::string& id);

// A fresh time-ordered UUID (RFC 9562 version 7: 48 bits of Unix milliseconds, then 74
// random bits) as "urn:uuid:xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx". Time-ordered so that the
// ids the registry assigns (entryUUIDs of symbolic ids, associations it creates) land at
// one end of the entryUUID, source and target indexes instead of at random pages: at 10
// million entries each random insert costs a page read and a 4 KB WAL frame (bench/README.md,
// session 5). XDS asks only for a UUID (ITI TF-3 4.2.3.1.5); the id reveals the
// registration's millisecond, which its SubmissionSet's submissionTime already tells.
std::string NewUuidUrn();

// The current UTC time as a 14-digit DTM (YYYYMMDDhhmmss), ITI TF-3 §4.2.3.1.7.
std::string NowDtm();

struct AssignedIds {
  // Every top-level object id of the request as written -> its final id.
  std::map<std::string, std::string> final_id;
  // The final ids of all top-level objects of the request.
  std::set<std::string> in_message;
};

// Rewrites `request` in place:
//  - each top-level object whose id is not a urn:uuid gets a fresh one; references to it
//    (sourceObject/targetObject, classifiedObject, registryObject) are rewritten;
//  - nested Classifications / ExternalIdentifiers without a urn:uuid id get a fresh one and
//    point at their parent's final id;
//  - standalone Classifications move into the RegistryObject they classify (kept once).
// Returns XDSRegistryMetadataError when an id is defined twice, when a reference names a
// symbolic id that is not defined in the request, or a standalone classification classifies
// nothing in the request. urn:uuid references to objects outside the request are kept as is
// (the caller checks that they exist in the registry).
Status AssignIds(xds::SubmitObjectsRequest& request, AssignedIds* out);

}  // namespace renkei::registry::internal

#endif  // RENKEI_REGISTRY_INTERNAL_SUBMISSION_IDS_H_
