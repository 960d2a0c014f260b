// ITI-42 / ITI-57 shared registry-side steps (ITI TF-2 §3.42.4.1.3, §3.57.4.1.3).
#include "registry/internal/submission_writer.h"

#include "registry/stored_object_builder.h"
#include "xds/ebrim_codec.h"
#include "xds/xds_constants.h"

namespace renkei::registry::internal {

Result<PreparedSubmission> Prepare(const xds::SubmitObjectsRequest& request) {
  PreparedSubmission s;
  s.request = request;
  Status st = AssignIds(s.request, &s.ids);
  if (!st.ok()) return st;
  s.view = xds::ReadSubmission(s.request);
  for (size_t i = 0; i < s.view.submission_sets.size(); ++i) {
    s.by_id[s.view.submission_sets[i].rim.id] = {EntryKind::kSubmissionSet, i};
  }
  for (size_t i = 0; i < s.view.documents.size(); ++i) {
    s.by_id[s.view.documents[i].rim.id] = {EntryKind::kDocumentEntry, i};
  }
  for (size_t i = 0; i < s.view.folders.size(); ++i) {
    s.by_id[s.view.folders[i].rim.id] = {EntryKind::kFolder, i};
  }
  for (size_t i = 0; i < s.view.associations.size(); ++i) {
    s.by_id[s.view.associations[i].rim.id] = {EntryKind::kAssociation, i};
  }
  return s;
}

Result<std::optional<Endpoint>> FindEndpoint(RegistryTransaction& tx,
                                             const PreparedSubmission& s, const std::string& id) {
  auto it = s.by_id.find(id);
  if (it != s.by_id.end()) {
    Endpoint e;
    e.in_message = true;
    e.kind = it->second.first;
    e.id = id;
    e.lid = id;
    e.status = xds::kStatusApproved;
    size_t i = it->second.second;
    switch (e.kind) {
      case EntryKind::kDocumentEntry: {
        const auto& d = s.view.documents[i];
        e.patient_id = d.patient_id;
        if (!d.rim.lid.empty()) e.lid = d.rim.lid;
        break;
      }
      case EntryKind::kFolder: {
        const auto& f = s.view.folders[i];
        e.patient_id = f.patient_id;
        if (!f.rim.lid.empty()) e.lid = f.rim.lid;
        break;
      }
      case EntryKind::kSubmissionSet:
        e.patient_id = s.view.submission_sets[i].patient_id;
        break;
      case EntryKind::kAssociation:
        break;
    }
    return std::optional<Endpoint>(e);
  }
  Result<StoredObject> stored = tx.Get(id);
  if (!stored.ok()) {
    if (stored.status().IsNotFound()) return std::optional<Endpoint>();
    return stored.status();
  }
  Endpoint e;
  e.kind = stored->kind;
  e.id = stored->id;
  e.lid = stored->lid.empty() ? stored->id : stored->lid;
  e.version = stored->version;
  e.patient_id = stored->patient_id;
  e.status = stored->status;
  e.submitter = stored->submitter;
  return std::optional<Endpoint>(e);
}

Status CheckNewEntryUuids(RegistryTransaction& tx, const PreparedSubmission& s,
                          xds::RegistryErrorList& errors) {
  for (const auto& [written, final_id] : s.ids.final_id) {
    if (written != final_id) continue;  // freshly assigned by the registry
    Result<StoredObject> existing = tx.Get(final_id);
    if (existing.ok()) {
      AddError(errors, xds::XdsError::kRegistryMetadataError,
               "entryUUID " + final_id +
                   " is already registered; a resubmission must use new ids "
                   "(ITI TF-3 §4.2.3.1.5)",
               final_id);
    } else if (!existing.status().IsNotFound()) {
      return existing.status();
    }
  }
  return Status::Ok();
}

Result<bool> ApprovedAssociationExists(RegistryTransaction& tx, const std::string& source,
                                       const std::string& target, const std::string& type_urn) {
  AssociationFilter f;
  f.sources = {source};
  f.targets = {target};
  f.types = {type_urn};
  f.statuses = {xds::kStatusApproved};
  f.with_leaf_xml = false;
  Result<std::vector<StoredObject>> found = tx.FindAssociations(f);
  if (!found.ok()) return found.status();
  for (const StoredObject& a : *found) {
    if (a.source == source && a.target == target) return true;
  }
  return false;
}

void SetSlot(xds::RegistryObject& object, const std::string& name, const std::string& value) {
  for (xds::Slot& slot : object.slots) {
    if (slot.name == name) {
      slot.values = {value};
      return;
    }
  }
  object.slots.push_back(xds::Slot{name, "", {value}});
}

Status TouchFolder(RegistryTransaction& tx, const std::string& folder_id,
                   const std::string& now_dtm) {
  Result<StoredObject> stored = tx.Get(folder_id);
  if (!stored.ok()) return stored.status();
  Result<xds::RegistryObject> rim = xds::DecodeRegistryObjectFragment(stored->leaf_xml);
  if (!rim.ok()) return rim.status();
  SetSlot(*rim, xds::kSlotLastUpdateTime, now_dtm);
  StoredObject row = BuildStoredObject(*rim, /*is_submission_set=*/false,
                                       StoredObjectContext{stored->status, stored->submitter});
  row.lid = stored->lid;
  row.version = stored->version;
  return tx.Replace(row);
}

void AddError(xds::RegistryErrorList& errors, const Status& status) {
  errors.push_back(xds::ToRegistryError(status));
}

void AddError(xds::RegistryErrorList& errors, xds::XdsError code, const std::string& context,
              const std::string& location) {
  AddError(errors, xds::XdsStatus(code, context, location));
}

void AddNotOwner(xds::RegistryErrorList& errors, const std::string& what, const std::string& id,
                 const std::string& location) {
  xds::RegistryError e;
  e.error_code = kAuthorizationException;
  e.code_context = what + " " + id +
                   " was registered by another facility; only the facility that registered "
                   "an object may change or remove it (docs/authorization.md)";
  e.location = location;
  errors.push_back(std::move(e));
}

Status Rollback() {
  return Status(StatusCode::kInvalidArgument, "", "submission rejected; nothing written");
}

void ApplyCollectingErrors(
    RegistryStore& store,
    const std::function<Status(RegistryTransaction&, xds::RegistryErrorList&)>& run,
    xds::RegistryErrorList& errors) {
  xds::RegistryErrorList tx_errors;
  Status st = store.Apply([&](RegistryTransaction& tx) {
    tx_errors.clear();
    return run(tx, tx_errors);
  });
  if (!tx_errors.empty()) {
    errors.insert(errors.end(), tx_errors.begin(), tx_errors.end());
  } else if (!st.ok()) {
    AddError(errors, st);
  }
}

}  // namespace renkei::registry::internal
