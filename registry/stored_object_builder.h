// ITI-42 / ITI-57 storage mapping: builds the RegistryStore row (registry/registry_store.h)
// of a DocumentEntry, SubmissionSet, Folder or Association (ITI TF-3 §4.2.3) — every index
// column a stored query filters on (ITI TF-2 §3.18.4.1.2.3.7) plus the ebRIM fragment
// (xds::EncodeRegistryObject) that a LeafClass answer returns.
//
// The view's `rim` must already carry its final id, lid and VersionInfo (the registry sets
// them before building); the fragment is encoded from it without a status attribute, and
// the row's `status` comes from the argument, not from the request.
//
// Thread-safety: pure functions.
#ifndef RENKEI_REGISTRY_STORED_OBJECT_BUILDER_H_
#define RENKEI_REGISTRY_STORED_OBJECT_BUILDER_H_

#include <string>

#include "registry/registry_store.h"
#include "xds/metadata.h"

namespace renkei::registry {

// What the registry decides about a row rather than reads from the metadata.
struct StoredObjectContext {
  std::string status;     // StatusType URN to store
  std::string submitter;  // requesting facility (RequestContext::facility)
};

StoredObject BuildStoredObject(const xds::DocumentEntry& entry, const StoredObjectContext& ctx);
StoredObject BuildStoredObject(const xds::SubmissionSet& set, const StoredObjectContext& ctx);
StoredObject BuildStoredObject(const xds::Folder& folder, const StoredObjectContext& ctx);
StoredObject BuildStoredObject(const xds::Association& association,
                               const StoredObjectContext& ctx);

// Re-reads a RegistryObject of any XDS kind through its view and builds its row.
// `is_submission_set` distinguishes the two RegistryPackage kinds.
StoredObject BuildStoredObject(const xds::RegistryObject& object, bool is_submission_set,
                               const StoredObjectContext& ctx);

// The version number of a rim:VersionInfo versionName ("1" when empty or not a number).
int64_t ParseVersionName(const std::string& version_name);

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_STORED_OBJECT_BUILDER_H_
