// ITI-42 Register Document Set-b without HTTP (ITI TF-2 §3.42.4.1.3): the RegistryStore
// rows the Document Registry writes for a valid first-version submission, built by the
// registry's own code (registry/internal/submission_writer.h Prepare for id assignment,
// registry/stored_object_builder.h for the columns and the ebRIM fragment).
//
// Only for loading benchmark data: it skips validation and the registry-state checks
// (uniqueness, association endpoints), which a synthetic region satisfies by construction.
// registration_rows_test.cc checks that the rows equal what ITI-42 over the wire stores.
//
// Thread-safety: pure functions.
#ifndef RENKEI_BENCH_REGISTRY_REGISTRATION_ROWS_H_
#define RENKEI_BENCH_REGISTRY_REGISTRATION_ROWS_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "registry/registry_store.h"
#include "xds/rim.h"

namespace renkei::bench {

// The rows of `request` (symbolic or urn:uuid ids) in the order ITI-42 writes them:
// SubmissionSets, DocumentEntries, Folders, Associations; all Approved, version 1,
// submitted by `submitter`. XDSRegistryMetadataError when ids cannot be resolved.
Result<std::vector<registry::StoredObject>> RegistrationRows(
    const xds::SubmitObjectsRequest& request, const std::string& submitter);

}  // namespace renkei::bench

#endif  // RENKEI_BENCH_REGISTRY_REGISTRATION_ROWS_H_
