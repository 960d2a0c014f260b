// ITI-42 / ITI-57 shared registry-side steps (ITI TF-2 §3.42.4.1.3, §3.57.4.1.3, ITI TF-3
// §4.1): preparing a decoded submission (ids assigned, views read), looking up association
// endpoints in the message or the registry, and writing new object rows.
//
// Thread-safety: values; the functions taking a RegistryTransaction run inside Apply.
#ifndef RENKEI_REGISTRY_INTERNAL_SUBMISSION_WRITER_H_
#define RENKEI_REGISTRY_INTERNAL_SUBMISSION_WRITER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "common/status.h"
#include "registry/internal/submission_ids.h"
#include "registry/registry_store.h"
#include "xds/metadata.h"
#include "xds/rim.h"
#include "xds/xds_errors.h"

namespace renkei::registry::internal {

// A submission with final ids (AssignIds) and its XDS views re-read from them.
struct PreparedSubmission {
  xds::SubmitObjectsRequest request;
  AssignedIds ids;
  xds::Submission view;
  // final id -> (kind, index into the matching view vector)
  std::map<std::string, std::pair<EntryKind, size_t>> by_id;
};

// Copies `request`, assigns ids and reads the views. XDSRegistryMetadataError when ids
// cannot be resolved (see AssignIds).
Result<PreparedSubmission> Prepare(const xds::SubmitObjectsRequest& request);

// What the registry knows about one association endpoint.
struct Endpoint {
  bool in_message = false;
  EntryKind kind = EntryKind::kDocumentEntry;
  std::string id;
  std::string lid;
  int64_t version = 1;
  std::string patient_id;
  std::string status;  // registry status; Approved for objects of the message
  std::string submitter;  // registered objects: the facility that registered it
};

// The endpoint `id` in the message, else in the registry; nullopt when in neither.
// Store errors other than NotFound are returned as Status.
Result<std::optional<Endpoint>> FindEndpoint(RegistryTransaction& tx,
                                             const PreparedSubmission& s, const std::string& id);

// entryUUIDs chosen by the submitter (urn:uuid ids in the request) must be new to the
// registry (ITI TF-3 §4.2.3.1.5; NIST 15806): adds XDSRegistryMetadataError for each known one.
Status CheckNewEntryUuids(RegistryTransaction& tx, const PreparedSubmission& s,
                          xds::RegistryErrorList& errors);

// True when the registry holds an association of `type_urn` from `source` to `target`
// with status Approved.
Result<bool> ApprovedAssociationExists(RegistryTransaction& tx, const std::string& source,
                                       const std::string& target, const std::string& type_urn);

// Sets a single-valued slot on `object` (replacing any slot of that name).
void SetSlot(xds::RegistryObject& object, const std::string& name, const std::string& value);

// Re-encodes a stored Folder with a new lastUpdateTime (ITI TF-3 §4.2.3.4.4) and Replaces
// it, keeping its status, submitter, lid and version.
Status TouchFolder(RegistryTransaction& tx, const std::string& folder_id,
                   const std::string& now_dtm);

// Appends a RegistryError for `status` (its detail code and message) to `errors`.
void AddError(xds::RegistryErrorList& errors, const Status& status);
void AddError(xds::RegistryErrorList& errors, xds::XdsError code, const std::string& context,
              const std::string& location);

// ebRS 3.0 error code for a request the requester is not authorized to make (ITI-57 / ITI-62
// by a facility that did not register the object; no IHE-specific code exists).
inline constexpr char kAuthorizationException[] = "AuthorizationException";
// Appends an AuthorizationException: `what` (e.g. "DocumentEntry") `id` belongs to another
// facility. Names neither that facility nor anything of the object.
void AddNotOwner(xds::RegistryErrorList& errors, const std::string& what, const std::string& id,
                 const std::string& location);

// A Status that makes Apply roll back once errors were collected.
Status Rollback();

// Runs `run(tx, tx_errors)` in one store transaction (retried by Apply on busy, so `run`
// must start from its own clean state each time) and appends to `errors` what it collected,
// or the store's own failure when it collected nothing.
void ApplyCollectingErrors(
    RegistryStore& store,
    const std::function<Status(RegistryTransaction&, xds::RegistryErrorList&)>& run,
    xds::RegistryErrorList& errors);

}  // namespace renkei::registry::internal

#endif  // RENKEI_REGISTRY_INTERNAL_SUBMISSION_WRITER_H_
