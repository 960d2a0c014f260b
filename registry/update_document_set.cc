// ITI-57 Update Document Set, Document Registry side (ITI TF-2 §3.57.4.1.3; metadata
// versioning ITI TF-3 §4.1.x "Metadata Update"; ebRIM 3.0 §2.5 lid / VersionInfo; error
// codes ITI TF-3 Table 4.2.4.1-2). Operations supported in one submission, in this order:
//   1. new versions of DocumentEntries and Folders (SubmissionSet HasMember with
//      SubmissionSetStatus=Original and PreviousVersion; optional AssociationPropagation),
//      §3.57.4.1.3.3.1 / §3.57.4.1.3.3.3;
//   2. new associations between registered objects (APND, XFRM, signs, Folder HasMember),
//      §3.57.4.1.3.3.4;
//   3. UpdateAvailabilityStatus (OriginalStatus -> NewStatus, Approved <-> Deprecated),
//      §3.57.4.1.3.3.2 / §3.57.4.1.3.3.5.
// Everything runs in one store transaction; any error rolls the whole submission back.
#include <charconv>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "registry/document_registry.h"
#include "registry/internal/submission_ids.h"
#include "registry/internal/submission_writer.h"
#include "registry/stored_object_builder.h"
#include "xds/ebrim_codec.h"
#include "xds/metadata.h"
#include "xds/validation.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

using internal::AddError;
using internal::Endpoint;
using internal::PreparedSubmission;
using xds::AssociationType;
using xds::XdsError;

constexpr char kOriginal[] = "Original";
constexpr char kYes[] = "yes";
constexpr char kNo[] = "no";

bool HasErrors(const xds::RegistryErrorList& errors) {
  for (const xds::RegistryError& e : errors) {
    if (e.severity == xds::Severity::kError) return true;
  }
  return false;
}

bool ParsePositive(const std::string& text, int64_t* out) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v < 1) {
    return false;
  }
  *out = v;
  return true;
}

bool IsStatusValue(const std::string& s) {
  return s == xds::kStatusApproved || s == xds::kStatusDeprecated;
}

// One new version requested by the submission (ids as assigned by the registry).
struct VersionRequest {
  EntryKind kind;
  size_t index;  // into documents / folders
  std::string id;
  std::string lid;
  int64_t previous_version = 0;
  bool propagate = true;
};

// Structural rules that need no registry state (ITI TF-2 §3.57.4.1.3.2, §3.57.4.1.3.3).
// `s` is the submission with final ids. Fills `versions` for the transactional part.
void CheckStructure(const PreparedSubmission& s, xds::RegistryErrorList& errors,
                    std::vector<VersionRequest>& versions) {
  const std::string ss_id =
      s.view.submission_sets.empty() ? std::string() : s.view.submission_sets.front().rim.id;
  // SubmissionSet HasMember associations by target.
  std::map<std::string, const xds::Association*> ss_member;
  for (const xds::Association& a : s.view.associations) {
    if (a.type == AssociationType::kHasMember && a.rim.source_object == ss_id) {
      ss_member[a.rim.target_object] = &a;
    }
  }
  std::set<std::string> lids;
  auto check_version = [&](const xds::RegistryObject& rim, EntryKind kind, size_t index) {
    if (rim.lid.empty() || rim.lid == rim.id) {
      AddError(errors, XdsError::kMetadataUpdateError,
               "ITI-57 carries new versions of registered objects only: this object has no "
               "lid of an existing object (an initial version belongs to ITI-42; "
               "ITI TF-2 §3.57.4.1.3.3.1)",
               rim.id);
      return;
    }
    if (!internal::IsUuidUrn(rim.lid)) {
      AddError(errors, XdsError::kMetadataUpdateError,
               "lid '" + rim.lid + "' must be the urn:uuid of the existing logical object", rim.id);
      return;
    }
    if (!lids.insert(rim.lid).second) {
      AddError(errors, XdsError::kMetadataUpdateOperationError,
               "logical id " + rim.lid + " is updated twice in one submission", rim.id);
      return;
    }
    auto it = ss_member.find(rim.id);
    if (it == ss_member.end()) {
      AddError(errors, XdsError::kMetadataUpdateOperationError,
               "a new version must be the target of a SubmissionSet HasMember association "
               "carrying PreviousVersion (ITI TF-2 §3.57.4.1.3.3.1)",
               rim.id);
      return;
    }
    const xds::Association& hm = *it->second;
    VersionRequest v{kind, index, rim.id, rim.lid};
    bool ok = true;
    // SubmissionSetStatus: Original (required towards a DocumentEntry, ITI TF-3
    // §4.2.2.1.1; NIST's Folder updates 20000/21003 send none).
    const std::string& ss_status = hm.rim.SlotValue(xds::kSlotSubmissionSetStatus);
    if (ss_status != kOriginal && (kind == EntryKind::kDocumentEntry || !ss_status.empty())) {
      AddError(errors, XdsError::kMetadataUpdateOperationError,
               "HasMember to a new version needs SubmissionSetStatus 'Original'", hm.rim.id);
      ok = false;
    }
    const xds::Slot* prev = hm.rim.FindSlot(xds::kSlotPreviousVersion);
    if (prev == nullptr || prev->values.size() != 1 ||
        !ParsePositive(prev->values.front(), &v.previous_version)) {
      AddError(errors, XdsError::kMetadataUpdateOperationError,
               "HasMember to a new version needs one PreviousVersion slot with a version "
               "number (ITI TF-2 §3.57.4.1.3.3.1)",
               hm.rim.id);
      ok = false;
    }
    if (const xds::Slot* ap = hm.rim.FindSlot(xds::kSlotAssociationPropagation)) {
      const std::string value = ap->values.size() == 1 ? ap->values.front() : std::string();
      if (value == kNo) {
        v.propagate = false;
      } else if (value != kYes) {
        AddError(errors, XdsError::kMetadataUpdateOperationError,
                 "AssociationPropagation must be 'yes' or 'no'", hm.rim.id);
        ok = false;
      }
    }
    for (const char* slot : {xds::kSlotOriginalStatus, xds::kSlotNewStatus}) {
      if (hm.rim.FindSlot(slot) != nullptr) {
        AddError(errors, XdsError::kMetadataUpdateOperationError,
                 std::string("slot ") + slot + " is not used by a metadata update HasMember",
                 hm.rim.id);
        ok = false;
      }
    }
    if (ok) versions.push_back(v);
  };
  for (size_t i = 0; i < s.view.documents.size(); ++i) {
    check_version(s.view.documents[i].rim, EntryKind::kDocumentEntry, i);
  }
  for (size_t i = 0; i < s.view.folders.size(); ++i) {
    check_version(s.view.folders[i].rim, EntryKind::kFolder, i);
  }

  for (const xds::Association& a : s.view.associations) {
    if (!a.rim.lid.empty() && a.rim.lid != a.rim.id) {
      AddError(errors, XdsError::kMetadataUpdateError,
               "associations are not versioned: lid must equal id", a.rim.id);
    }
    if (a.type == AssociationType::kUpdateAvailabilityStatus) {
      if (a.rim.source_object != ss_id) {
        AddError(errors, XdsError::kMetadataUpdateOperationError,
                 "UpdateAvailabilityStatus must come from the SubmissionSet", a.rim.id);
      }
      const std::string& from = a.rim.SlotValue(xds::kSlotOriginalStatus);
      const std::string& to = a.rim.SlotValue(xds::kSlotNewStatus);
      if (!IsStatusValue(from) || !IsStatusValue(to) || from == to) {
        AddError(errors, XdsError::kMetadataUpdateOperationError,
                 "UpdateAvailabilityStatus needs OriginalStatus and NewStatus, each Approved or "
                 "Deprecated, and different (ITI TF-2 §3.57.4.1.3.3.2)",
                 a.rim.id);
      }
      if (a.rim.FindSlot(xds::kSlotPreviousVersion) != nullptr) {
        AddError(errors, XdsError::kMetadataUpdateOperationError,
                 "slot PreviousVersion is not used by UpdateAvailabilityStatus", a.rim.id);
      }
      continue;
    }
    bool targets_new_object = s.by_id.count(a.rim.target_object) > 0 &&
                              s.by_id.at(a.rim.target_object).first != EntryKind::kAssociation;
    if (a.type == AssociationType::kHasMember && a.rim.source_object == ss_id &&
        !targets_new_object && a.rim.FindSlot(xds::kSlotPreviousVersion) != nullptr) {
      AddError(errors, XdsError::kMetadataUpdateOperationError,
               "PreviousVersion names a version of an object that is not in the submission "
               "(only DocumentEntries and Folders are versioned, ITI TF-2 §3.57.4.1.3.3)",
               a.rim.id);
    }
    if (a.type == AssociationType::kRplc || a.type == AssociationType::kXfrmRplc) {
      AddError(errors, XdsError::kMetadataUpdateOperationError,
               "replacement (" + a.type_urn + ") needs a new document: use ITI-42/ITI-41",
               a.rim.id);
    }
  }
  // With AssociationPropagation the registry itself moves the previous version's
  // associations; the submission may not add its own to that new version (NIST 20006).
  for (const VersionRequest& v : versions) {
    if (!v.propagate) continue;
    for (const xds::Association& a : s.view.associations) {
      if (a.rim.source_object == ss_id) continue;
      if (a.rim.source_object == v.id || a.rim.target_object == v.id) {
        AddError(errors, XdsError::kMetadataUpdateOperationError,
                 "association " + a.rim.id + " references new version " + v.id +
                     " while AssociationPropagation is on; send AssociationPropagation=no",
                 a.rim.id);
      }
    }
  }
}

class Update {
 public:
  Update(RegistryTransaction& tx, PreparedSubmission& s, std::vector<VersionRequest> versions,
         const std::string& submitter, const std::string& now, xds::RegistryErrorList& errors)
      : tx_(tx),
        s_(s),
        versions_(std::move(versions)),
        submitter_(submitter),
        now_(now),
        errors_(errors) {}

  Status Run() {
    RENKEI_RETURN_IF_ERROR(internal::CheckNewEntryUuids(tx_, s_, errors_));
    if (!errors_.empty()) return internal::Rollback();
    for (auto& ss : s_.view.submission_sets) RENKEI_RETURN_IF_ERROR(PutNew(ss.rim, true));
    for (const VersionRequest& v : versions_) RENKEI_RETURN_IF_ERROR(NewVersion(v));
    if (!errors_.empty()) return internal::Rollback();
    for (const xds::Association& a : s_.view.associations) {
      if (a.type == AssociationType::kUpdateAvailabilityStatus) continue;
      RENKEI_RETURN_IF_ERROR(NewAssociation(a));
    }
    if (!errors_.empty()) return internal::Rollback();
    for (const auto& [old_id, new_id] : propagations_) {
      RENKEI_RETURN_IF_ERROR(Propagate(old_id, new_id));
    }
    for (const xds::Association& a : s_.view.associations) {
      if (a.type != AssociationType::kUpdateAvailabilityStatus) continue;
      RENKEI_RETURN_IF_ERROR(UpdateStatus(a));
    }
    if (!errors_.empty()) return internal::Rollback();
    for (const std::string& folder : touched_folders_) {
      if (new_ids_.count(folder) > 0) continue;  // written with lastUpdateTime already
      RENKEI_RETURN_IF_ERROR(internal::TouchFolder(tx_, folder, now_));
    }
    return Status::Ok();
  }

 private:
  Status PutNew(xds::RegistryObject& rim, bool is_submission_set) {
    rim.lid = rim.id;
    rim.version_name = "1";
    rim.status.clear();
    return tx_.Put(BuildStoredObject(
        rim, is_submission_set, StoredObjectContext{xds::kStatusApproved, submitter_}));
  }

  // §3.57.4.1.3.3.1 (DocumentEntry) / §3.57.4.1.3.3.3 (Folder): the lid must name a
  // registered object of the same kind (else XDSMetadataVersionError, NIST 15800b), the
  // PreviousVersion must be its latest version (XDSMetadataVersionError, NIST 20000c), the
  // uniqueId must not change (XDSMetadataUpdateError). The new version gets version+1 and
  // the status of the version it supersedes; that version becomes Deprecated.
  Status NewVersion(const VersionRequest& v) {
    ObjectFilter f;
    f.kind = v.kind;
    f.lids = {v.lid};
    f.with_leaf_xml = false;
    Result<std::vector<StoredObject>> found = tx_.Find(f);
    if (!found.ok()) return found.status();
    const StoredObject* latest = nullptr;
    for (const StoredObject& o : *found) {
      if ((o.lid.empty() ? o.id : o.lid) != v.lid) continue;
      if (latest == nullptr || o.version > latest->version) latest = &o;
    }
    if (latest == nullptr) {
      Result<StoredObject> other = tx_.Get(v.lid);
      if (other.ok()) {
        AddError(errors_, XdsError::kMetadataUpdateError,
                 "lid " + v.lid + " names a registered object of another kind", v.id);
      } else {
        AddError(errors_, XdsError::kMetadataVersionError,
                 "no registered object has logical id " + v.lid +
                     ": there is no version to update (ITI TF-2 §3.57.4.1.3.3.1)",
                 v.id);
      }
      return Status::Ok();
    }
    if (latest->submitter != submitter_) {
      internal::AddNotOwner(errors_,
                            v.kind == EntryKind::kFolder ? "Folder" : "DocumentEntry", v.lid,
                            v.id);
      return Status::Ok();
    }
    if (latest->version != v.previous_version) {
      AddError(errors_, XdsError::kMetadataVersionError,
               "PreviousVersion " + std::to_string(v.previous_version) +
                   " is not the latest version (" + std::to_string(latest->version) + ") of " +
                   v.lid,
               v.id);
      return Status::Ok();
    }
    xds::RegistryObject* rim = nullptr;
    std::string unique_id;
    if (v.kind == EntryKind::kDocumentEntry) {
      rim = &s_.view.documents[v.index].rim;
      unique_id = s_.view.documents[v.index].unique_id;
    } else {
      rim = &s_.view.folders[v.index].rim;
      unique_id = s_.view.folders[v.index].unique_id;
      internal::SetSlot(*rim, xds::kSlotLastUpdateTime, now_);
    }
    if (unique_id != latest->unique_id) {
      AddError(errors_, XdsError::kMetadataUpdateError,
               "uniqueId may not change between versions (was " + latest->unique_id + ", now " +
                   unique_id + ")",
               v.id);
      return Status::Ok();
    }
    const int64_t version = latest->version + 1;
    const std::string previous_id = latest->id;
    const std::string previous_status = latest->status;
    rim->lid = v.lid;
    rim->version_name = std::to_string(version);
    rim->status.clear();
    StoredObject row = BuildStoredObject(*rim, false,
                                         StoredObjectContext{previous_status, submitter_});
    row.lid = v.lid;
    row.version = version;
    patient_of_[v.id] = row.patient_id;
    RENKEI_RETURN_IF_ERROR(tx_.Put(row));
    if (previous_status == xds::kStatusApproved) {
      RENKEI_RETURN_IF_ERROR(tx_.SetStatus(previous_id, xds::kStatusDeprecated));
    }
    new_ids_.insert(v.id);
    if (v.propagate) propagations_.emplace_back(previous_id, v.id);
    return Status::Ok();
  }

  // §3.57.4.1.3.3.4: associations submitted through ITI-57 link objects that exist (in the
  // registry or as new versions in this submission) and belong to one patient.
  Status NewAssociation(const xds::Association& a) {
    xds::RegistryObject& rim = AssociationRim(a.rim.id);
    Result<std::optional<Endpoint>> src = internal::FindEndpoint(tx_, s_, rim.source_object);
    if (!src.ok()) return src.status();
    Result<std::optional<Endpoint>> tgt = internal::FindEndpoint(tx_, s_, rim.target_object);
    if (!tgt.ok()) return tgt.status();
    if (!src->has_value() || !tgt->has_value()) {
      AddError(errors_, XdsError::kRegistryMetadataError,
               "association references " +
                   (src->has_value() ? rim.target_object : rim.source_object) +
                   ", which is neither in the submission nor in the registry",
               rim.id);
      return Status::Ok();
    }
    const Endpoint& from = **src;
    const Endpoint& to = **tgt;
    if (from.kind == EntryKind::kSubmissionSet) {
      if (!from.in_message) {
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "a registered SubmissionSet cannot gain members", rim.id);
        return Status::Ok();
      }
      return PutNew(rim, false);
    }
    if (a.type == AssociationType::kOther) {
      AddError(errors_, XdsError::kRegistryMetadataError,
               "association type '" + rim.association_type +
                   "' is not an XDS association type (ITI TF-3 §4.2.2)",
               rim.id);
      return Status::Ok();
    }
    if (a.type == AssociationType::kHasMember) {
      if (from.kind != EntryKind::kFolder || to.kind != EntryKind::kDocumentEntry) {
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "HasMember must link the SubmissionSet to an object or a Folder to a "
                 "DocumentEntry (ITI TF-3 §4.2.2.1)",
                 rim.id);
        return Status::Ok();
      }
      if (!from.in_message && from.submitter != submitter_) {
        internal::AddNotOwner(errors_, "Folder", from.id, rim.id);
        return Status::Ok();
      }
      if (!from.in_message) touched_folders_.insert(from.id);
    } else if (from.kind != EntryKind::kDocumentEntry || to.kind != EntryKind::kDocumentEntry) {
      AddError(errors_, XdsError::kRegistryMetadataError,
               a.type_urn + " must link two DocumentEntries (ITI TF-3 §4.2.2.2)", rim.id);
      return Status::Ok();
    }
    for (const Endpoint* e : {&from, &to}) {
      const std::string status = CurrentStatus(*e);
      if (status != xds::kStatusApproved) {
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "object " + e->id + " is not Approved and cannot be associated", rim.id);
        return Status::Ok();
      }
    }
    if (Patient(from) != Patient(to)) {
      AddError(errors_, XdsError::kPatientIdDoesNotMatch,
               "association links objects of different patients", rim.id);
      return Status::Ok();
    }
    Result<bool> dup = internal::ApprovedAssociationExists(tx_, from.id, to.id, a.type_urn);
    if (!dup.ok()) return dup.status();
    if (*dup) {
      AddError(errors_, XdsError::kMetadataUpdateError,
               "an Approved " + a.type_urn + " association between these objects already "
               "exists; associations are not versioned",
               rim.id);
      return Status::Ok();
    }
    return PutNew(rim, false);
  }

  // AssociationPropagation (§3.57.4.1.3.3.1.x): every Approved association of the previous
  // version except SubmissionSet membership is copied onto the new version, unless the
  // other end now belongs to another patient.
  Status Propagate(const std::string& old_id, const std::string& new_id) {
    AssociationFilter f;
    f.sources = {old_id};
    f.targets = {old_id};
    f.source_or_target = true;
    f.statuses = {xds::kStatusApproved};
    Result<std::vector<StoredObject>> found = tx_.FindAssociations(f);
    if (!found.ok()) return found.status();
    for (const StoredObject& assoc : *found) {
      if (assoc.assoc_type == xds::kAssocUpdateAvailabilityStatus) continue;
      const std::string& other = assoc.source == old_id ? assoc.target : assoc.source;
      Result<StoredObject> other_obj = tx_.Get(other);
      if (!other_obj.ok()) {
        if (other_obj.status().IsNotFound()) continue;
        return other_obj.status();
      }
      if (other_obj->kind == EntryKind::kSubmissionSet) continue;
      if (other_obj->kind != EntryKind::kAssociation &&
          other_obj->patient_id != patient_of_[new_id]) {
        continue;
      }
      Result<xds::RegistryObject> rim = xds::DecodeRegistryObjectFragment(assoc.leaf_xml);
      if (!rim.ok()) return rim.status();
      rim->id = internal::NewUuidUrn();
      if (rim->source_object == old_id) rim->source_object = new_id;
      if (rim->target_object == old_id) rim->target_object = new_id;
      for (xds::Classification& c : rim->classifications) {
        c.id = internal::NewUuidUrn();
        c.classified_object = rim->id;
      }
      for (xds::ExternalIdentifier& e : rim->external_identifiers) {
        e.id = internal::NewUuidUrn();
        e.registry_object = rim->id;
      }
      RENKEI_RETURN_IF_ERROR(PutNew(*rim, false));
      if (other_obj->kind == EntryKind::kFolder) touched_folders_.insert(other_obj->id);
    }
    return Status::Ok();
  }

  // §3.57.4.1.3.3.2: the target's current status must equal OriginalStatus (else
  // XDSMetadataUpdateError, NIST 20003/20004); SubmissionSets have no status update
  // (XDSMetadataUpdateOperationError, NIST 21001).
  Status UpdateStatus(const xds::Association& a) {
    xds::RegistryObject& rim = AssociationRim(a.rim.id);
    Result<StoredObject> target = tx_.Get(rim.target_object);
    if (!target.ok()) {
      if (!target.status().IsNotFound()) return target.status();
      AddError(errors_, XdsError::kMetadataUpdateError,
               "UpdateAvailabilityStatus target " + rim.target_object + " is not registered",
               rim.id);
      return Status::Ok();
    }
    if (target->kind == EntryKind::kSubmissionSet) {
      AddError(errors_, XdsError::kMetadataUpdateOperationError,
               "the availabilityStatus of a SubmissionSet cannot be updated", rim.id);
      return Status::Ok();
    }
    if (target->submitter != submitter_) {
      internal::AddNotOwner(errors_,
                            target->kind == EntryKind::kFolder ? "Folder" : "DocumentEntry",
                            target->id, rim.id);
      return Status::Ok();
    }
    const std::string& from = rim.SlotValue(xds::kSlotOriginalStatus);
    const std::string& to = rim.SlotValue(xds::kSlotNewStatus);
    if (target->status != from) {
      AddError(errors_, XdsError::kMetadataUpdateError,
               "OriginalStatus " + from + " does not match the current status " +
                   target->status + " of " + target->id,
               rim.id);
      return Status::Ok();
    }
    RENKEI_RETURN_IF_ERROR(tx_.SetStatus(target->id, to));
    return PutNew(rim, false);
  }

  xds::RegistryObject& AssociationRim(const std::string& id) {
    return s_.view.associations[s_.by_id.at(id).second].rim;
  }

  std::string CurrentStatus(const Endpoint& e) {
    if (!e.in_message) return e.status;
    Result<StoredObject> stored = tx_.Get(e.id);  // a new version: its stored status
    return stored.ok() ? stored->status : std::string(xds::kStatusApproved);
  }

  std::string Patient(const Endpoint& e) {
    auto it = patient_of_.find(e.id);
    return it == patient_of_.end() ? e.patient_id : it->second;
  }

  RegistryTransaction& tx_;
  PreparedSubmission& s_;
  std::vector<VersionRequest> versions_;
  const std::string& submitter_;
  const std::string& now_;
  xds::RegistryErrorList& errors_;
  std::set<std::string> new_ids_;
  std::map<std::string, std::string> patient_of_;
  std::vector<std::pair<std::string, std::string>> propagations_;  // (previous, new)
  std::set<std::string> touched_folders_;
};

}  // namespace

xds::RegistryErrorList DocumentRegistry::UpdateDocumentSet(
    const xds::SubmitObjectsRequest& request, const RequestContext& ctx) {
  xds::ValidationOptions options;
  options.transaction = xds::ValidationOptions::Transaction::kUpdate;
  options.codes = codes_;
  options.patients = &patients_;
  xds::RegistryErrorList errors = xds::ValidateSubmission(xds::ReadSubmission(request), options);
  if (HasErrors(errors)) return errors;

  Result<PreparedSubmission> prepared = internal::Prepare(request);
  if (!prepared.ok()) {
    AddError(errors, prepared.status());
    return errors;
  }
  std::vector<VersionRequest> versions;
  CheckStructure(*prepared, errors, versions);
  if (HasErrors(errors)) return errors;
  if (!ClaimRepositories(prepared->view, ctx, errors)) return errors;

  const std::string now = internal::NowDtm();
  internal::ApplyCollectingErrors(
      store_,
      [&](RegistryTransaction& tx, xds::RegistryErrorList& tx_errors) {
        PreparedSubmission attempt = *prepared;  // Apply may retry: start from a clean copy
        Update update(tx, attempt, versions, ctx.facility, now, tx_errors);
        return update.Run();
      },
      errors);
  return errors;
}

}  // namespace renkei::registry
