// ITI-42 Register Document Set-b rows without HTTP (ITI TF-2 §3.42.4.1.3).
#include "bench/registry/registration_rows.h"

#include "registry/internal/submission_writer.h"
#include "registry/stored_object_builder.h"
#include "xds/xds_constants.h"

namespace renkei::bench {

Result<std::vector<registry::StoredObject>> RegistrationRows(
    const xds::SubmitObjectsRequest& request, const std::string& submitter) {
  Result<registry::internal::PreparedSubmission> prepared =
      registry::internal::Prepare(request);
  if (!prepared.ok()) return prepared.status();
  xds::Submission& view = prepared->view;
  const registry::StoredObjectContext ctx{xds::kStatusApproved, submitter};
  std::vector<registry::StoredObject> rows;
  rows.reserve(view.submission_sets.size() + view.documents.size() + view.folders.size() +
               view.associations.size());
  // As register_document_set.cc PutNew: a first version is its own lid, version "1".
  auto put = [&](xds::RegistryObject& rim, bool is_submission_set) {
    rim.lid = rim.id;
    rim.version_name = "1";
    rim.status.clear();
    rows.push_back(registry::BuildStoredObject(rim, is_submission_set, ctx));
  };
  for (auto& ss : view.submission_sets) put(ss.rim, true);
  for (auto& d : view.documents) put(d.rim, false);
  if (!view.folders.empty()) {
    // Folders get a registry-assigned lastUpdateTime; the benchmark region has none.
    return Status::InvalidArgument("bench", "RegistrationRows: folders are not supported");
  }
  for (auto& a : view.associations) put(a.rim, false);
  return rows;
}

}  // namespace renkei::bench
