// ITI-42 Register Document Set-b, Document Registry side (ITI TF-2 §3.42.4.1.3; metadata
// rules ITI TF-3 §4.1 and §4.2.2; error codes ITI TF-3 Table 4.2.4.1-2).
//
// Order: stateless validation (xds/validation.h) on the request as written, refusal of
// metadata-update semantics (those belong to ITI-57), then ONE store transaction that
// assigns ids, checks everything that needs the registry's state, and writes. Any error
// rolls the whole submission back.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "registry/document_registry.h"
#include "registry/leaf_codec.h"
#include "registry/internal/submission_ids.h"
#include "registry/internal/submission_writer.h"
#include "registry/stored_object_builder.h"
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

bool HasErrors(const xds::RegistryErrorList& errors) {
  for (const xds::RegistryError& e : errors) {
    if (e.severity == xds::Severity::kError) return true;
  }
  return false;
}

// ITI-42 registers first versions only: lid != id, PreviousVersion, UpdateAvailabilityStatus
// and the other ITI-57 slots are metadata-update semantics (ITI TF-2 §3.57.4.1.3.1,
// ITI TF-3 §4.1.4 "initial versions"), refused with XDSRegistryMetadataError (NIST 21000).
void RefuseUpdateSemantics(const xds::Submission& s, xds::RegistryErrorList& errors) {
  auto check_lid = [&](const xds::RegistryObject& o) {
    if (!o.lid.empty() && o.lid != o.id) {
      AddError(errors, XdsError::kRegistryMetadataError,
               "lid '" + o.lid + "' differs from id: a new version of an existing object "
               "can only be submitted with ITI-57 Update Document Set (ITI TF-3 §4.1.4)",
               o.id);
    }
  };
  for (const auto& d : s.documents) check_lid(d.rim);
  for (const auto& f : s.folders) check_lid(f.rim);
  for (const auto& ss : s.submission_sets) check_lid(ss.rim);
  for (const xds::Association& a : s.associations) {
    check_lid(a.rim);
    if (a.type == AssociationType::kUpdateAvailabilityStatus) {
      AddError(errors, XdsError::kRegistryMetadataError,
               "UpdateAvailabilityStatus is an ITI-57 operation, not allowed in ITI-42 "
               "(ITI TF-2 §3.57.4.1.3.3.2)",
               a.rim.id);
    }
    for (const char* slot : {xds::kSlotPreviousVersion, xds::kSlotOriginalStatus,
                             xds::kSlotNewStatus, xds::kSlotAssociationPropagation}) {
      if (a.rim.FindSlot(slot) != nullptr) {
        AddError(errors, XdsError::kRegistryMetadataError,
                 std::string("association slot ") + slot +
                     " belongs to ITI-57 Update Document Set, not ITI-42",
                 a.rim.id);
      }
    }
    if (!a.source.empty() && a.source == a.target) {
      AddError(errors, XdsError::kRegistryMetadataError,
               "association source and target are the same object (ITI TF-3 §4.2.2)", a.rim.id);
    }
  }
}

bool IsDocumentRelationship(AssociationType t) {
  return t == AssociationType::kRplc || t == AssociationType::kXfrmRplc ||
         t == AssociationType::kApnd || t == AssociationType::kXfrm ||
         t == AssociationType::kSigns || t == AssociationType::kIsSnapshotOf;
}

bool IsReplacement(AssociationType t) {
  return t == AssociationType::kRplc || t == AssociationType::kXfrmRplc;
}

// Sets what the registry assigns to new objects (lid, version 1, Folder lastUpdateTime)
// and builds their rows, in the order they are written: SubmissionSets, DocumentEntries,
// Folders, Associations. Runs before the transaction: building rows encodes the ebRIM
// fragments, work that need not wait for the writer (group commit serialises what runs
// inside Apply).
StoredObject NewRow(xds::RegistryObject& rim, bool is_submission_set, const std::string& submitter) {
  rim.lid = rim.id;
  rim.version_name = "1";
  rim.status.clear();
  StoredObject row = BuildStoredObject(rim, is_submission_set,
                                       StoredObjectContext{xds::kStatusApproved, submitter});
  // Compressed here, before the transaction: not under the store's write lock.
  row.leaf_blob = EncodeLeaf(row.leaf_xml);
  return row;
}

std::vector<StoredObject> NewRows(PreparedSubmission& s, const std::string& submitter,
                                  const std::string& now) {
  std::vector<StoredObject> rows;
  for (auto& ss : s.view.submission_sets) rows.push_back(NewRow(ss.rim, true, submitter));
  for (auto& d : s.view.documents) rows.push_back(NewRow(d.rim, false, submitter));
  for (auto& f : s.view.folders) {
    // Folder.lastUpdateTime is set by the registry (ITI TF-3 §4.2.3.4.4).
    internal::SetSlot(f.rim, xds::kSlotLastUpdateTime, now);
    rows.push_back(NewRow(f.rim, false, submitter));
  }
  for (auto& a : s.view.associations) rows.push_back(NewRow(a.rim, false, submitter));
  return rows;
}

// The transactional part of one ITI-42 submission.
class Registration {
 public:
  Registration(RegistryTransaction& tx, const PreparedSubmission& s,
               const std::vector<StoredObject>& rows, const std::string& submitter,
               const std::string& now, xds::RegistryErrorList& errors)
      : tx_(tx), s_(s), rows_(rows), submitter_(submitter), now_(now), errors_(errors) {}

  Status Run() {
    RENKEI_RETURN_IF_ERROR(internal::CheckNewEntryUuids(tx_, s_, errors_));
    RENKEI_RETURN_IF_ERROR(CheckUniqueIds());
    RENKEI_RETURN_IF_ERROR(CheckAssociations());
    if (!errors_.empty()) return internal::Rollback();
    RENKEI_RETURN_IF_ERROR(Write());
    return Status::Ok();
  }

 private:
  // uniqueIds must be new to the registry (ITI TF-3 Table 4.2.4.1-2:
  // XDSDuplicateUniqueIdInRegistry; for a DocumentEntry whose uniqueId is known with a
  // different hash / size: XDSNonIdenticalHash / XDSNonIdenticalSize).
  Status CheckUniqueIds() {
    ObjectFilter docs;
    docs.kind = EntryKind::kDocumentEntry;
    docs.with_leaf_xml = false;
    for (const auto& d : s_.view.documents) {
      if (!d.unique_id.empty()) docs.unique_ids.push_back(d.unique_id);
    }
    if (!docs.unique_ids.empty()) {
      Result<std::vector<StoredObject>> found = tx_.Find(docs);
      if (!found.ok()) return found.status();
      for (const auto& d : s_.view.documents) {
        for (const StoredObject& old : *found) {
          if (old.unique_id != d.unique_id) continue;
          if (!old.hash.empty() && !d.hash.empty() && old.hash != d.hash) {
            AddError(errors_, XdsError::kNonIdenticalHash,
                     "DocumentEntry uniqueId " + d.unique_id +
                         " is already registered with a different hash",
                     d.unique_id);
          } else if (!old.size.empty() && !d.size.empty() && old.size != d.size) {
            AddError(errors_, XdsError::kNonIdenticalSize,
                     "DocumentEntry uniqueId " + d.unique_id +
                         " is already registered with a different size",
                     d.unique_id);
          } else {
            AddError(errors_, XdsError::kDuplicateUniqueIdInRegistry,
                     "DocumentEntry uniqueId " + d.unique_id + " is already registered",
                     d.unique_id);
          }
          break;
        }
      }
    }
    auto check_packages = [&](EntryKind kind, const std::vector<std::string>& uids,
                              const char* what) -> Status {
      if (uids.empty()) return Status::Ok();
      ObjectFilter f;
      f.kind = kind;
      f.unique_ids = uids;
      f.with_leaf_xml = false;
      Result<std::vector<StoredObject>> found = tx_.Find(f);
      if (!found.ok()) return found.status();
      std::set<std::string> reported;
      for (const StoredObject& old : *found) {
        if (!reported.insert(old.unique_id).second) continue;
        AddError(errors_, XdsError::kDuplicateUniqueIdInRegistry,
                 std::string(what) + " uniqueId " + old.unique_id + " is already registered",
                 old.unique_id);
      }
      return Status::Ok();
    };
    std::vector<std::string> ss_uids, folder_uids;
    for (const auto& ss : s_.view.submission_sets) {
      if (!ss.unique_id.empty()) ss_uids.push_back(ss.unique_id);
    }
    for (const auto& f : s_.view.folders) {
      if (!f.unique_id.empty()) folder_uids.push_back(f.unique_id);
    }
    RENKEI_RETURN_IF_ERROR(check_packages(EntryKind::kSubmissionSet, ss_uids, "SubmissionSet"));
    RENKEI_RETURN_IF_ERROR(check_packages(EntryKind::kFolder, folder_uids, "Folder"));
    return Status::Ok();
  }

  void PatientMustMatch(const Endpoint& a, const Endpoint& b, const xds::Association& assoc,
                        const char* rule) {
    if (a.patient_id != b.patient_id) {
      AddError(errors_, XdsError::kPatientIdDoesNotMatch,
               "association " + assoc.type_urn + " links objects of different patients (" +
                   a.patient_id + " / " + b.patient_id + "), " + rule,
               assoc.rim.id);
    }
  }

  Status CheckHasMember(const xds::Association& a, const Endpoint& src, const Endpoint& tgt) {
    if (src.kind == EntryKind::kSubmissionSet) {
      if (!src.in_message) {
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "HasMember from a SubmissionSet that is not part of this submission: a "
                 "registered SubmissionSet cannot gain members (ITI TF-3 §4.2.2.1.1)",
                 a.rim.id);
        return Status::Ok();
      }
      if (!tgt.in_message) {
        // A reference to an already registered object (SubmissionSetStatus Reference,
        // ITI TF-3 §4.2.2.1.1).
        if (tgt.kind == EntryKind::kDocumentEntry || tgt.kind == EntryKind::kFolder) {
          PatientMustMatch(src, tgt, a, "ITI TF-3 §4.2.2.1.1");
        }
      }
      return Status::Ok();
    }
    if (src.kind == EntryKind::kFolder) {
      if (tgt.kind != EntryKind::kDocumentEntry) {
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "a Folder HasMember must target a DocumentEntry (ITI TF-3 §4.2.2.1.2)",
                 a.rim.id);
        return Status::Ok();
      }
      if (!src.in_message && src.status != xds::kStatusApproved) {
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "Folder " + src.id + " is not Approved and cannot gain members", a.rim.id);
      }
      if (!tgt.in_message && tgt.status != xds::kStatusApproved) {
        AddError(errors_, XdsError::kRegistryDeprecatedDocumentError,
                 "DocumentEntry " + tgt.id + " is Deprecated and cannot be added to a Folder",
                 a.rim.id);
      }
      PatientMustMatch(src, tgt, a, "a Folder holds documents of its own patient only "
                                    "(ITI TF-3 §4.2.2.1.2)");
      if (!src.in_message && !tgt.in_message) {
        Result<bool> dup = internal::ApprovedAssociationExists(tx_, src.id, tgt.id,
                                                               xds::kAssocHasMember);
        if (!dup.ok()) return dup.status();
        if (*dup) {
          AddError(errors_, XdsError::kRegistryMetadataError,
                   "DocumentEntry " + tgt.id + " is already a member of Folder " + src.id,
                   a.rim.id);
        }
      }
      if (!src.in_message && src.submitter != submitter_) {
        internal::AddNotOwner(errors_, "Folder", src.id, a.rim.id);
      }
      if (!src.in_message) touched_folders_.insert(src.id);
      return Status::Ok();
    }
    AddError(errors_, XdsError::kRegistryMetadataError,
             "HasMember source must be the SubmissionSet or a Folder (ITI TF-3 §4.2.2.1)",
             a.rim.id);
    return Status::Ok();
  }

  // RPLC, XFRM, APND, XFRM_RPLC, signs, IsSnapshotOf (ITI TF-3 §4.2.2.2): the source is a
  // DocumentEntry of this submission, the target an Approved DocumentEntry of the same
  // patient that is the latest version of its logical document.
  Status CheckRelationship(const xds::Association& a, const Endpoint& src, const Endpoint& tgt) {
    if (!src.in_message || src.kind != EntryKind::kDocumentEntry) {
      AddError(errors_, XdsError::kRegistryMetadataError,
               "the source of " + a.type_urn +
                   " must be a DocumentEntry of this submission (ITI TF-3 §4.2.2.2)",
               a.rim.id);
      return Status::Ok();
    }
    if (tgt.kind != EntryKind::kDocumentEntry) {
      AddError(errors_, XdsError::kRegistryMetadataError,
               "the target of " + a.type_urn + " must be a DocumentEntry (ITI TF-3 §4.2.2.2)",
               a.rim.id);
      return Status::Ok();
    }
    if (tgt.in_message && a.type != AssociationType::kSigns) {
      AddError(errors_, XdsError::kRegistryMetadataError,
               "the target of " + a.type_urn +
                   " must be a registered DocumentEntry (ITI TF-3 §4.2.2.2)",
               a.rim.id);
      return Status::Ok();
    }
    if (!tgt.in_message) {
      if (tgt.status != xds::kStatusApproved) {
        AddError(errors_, XdsError::kRegistryDeprecatedDocumentError,
                 "DocumentEntry " + tgt.id + " targeted by " + a.type_urn +
                     " is not Approved (ITI TF-3 §4.2.2.2)",
                 a.rim.id);
        return Status::Ok();
      }
      ObjectFilter latest;
      latest.kind = EntryKind::kDocumentEntry;
      latest.lids = {tgt.lid};
      latest.latest_version_only = true;
      latest.with_leaf_xml = false;
      Result<std::vector<StoredObject>> found = tx_.Find(latest);
      if (!found.ok()) return found.status();
      for (const StoredObject& o : *found) {
        if (o.id != tgt.id && o.version > tgt.version) {
          AddError(errors_, XdsError::kRegistryMetadataError,
                   "DocumentEntry " + tgt.id + " is not the latest version of " + tgt.lid,
                   a.rim.id);
          return Status::Ok();
        }
      }
    }
    PatientMustMatch(src, tgt, a, "ITI TF-3 §4.2.2.2");
    if (IsReplacement(a.type) && !tgt.in_message && tgt.submitter != submitter_) {
      // A replacement deprecates the original: only its own facility may do that.
      internal::AddNotOwner(errors_, "DocumentEntry", tgt.id, a.rim.id);
      return Status::Ok();
    }
    if (IsReplacement(a.type)) {
      if (!replaced_.insert(tgt.id).second) {
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "DocumentEntry " + tgt.id + " is replaced twice in one submission", a.rim.id);
      }
      replacements_.emplace_back(tgt.id, src.id);
    }
    return Status::Ok();
  }

  Status CheckAssociations() {
    for (const xds::Association& a : s_.view.associations) {
      if (a.type == AssociationType::kOther) {
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "association type '" + a.rim.association_type +
                     "' is not an XDS association type (ITI TF-3 §4.2.2)",
                 a.rim.id);
        continue;
      }
      Result<std::optional<Endpoint>> src = internal::FindEndpoint(tx_, s_, a.rim.source_object);
      if (!src.ok()) return src.status();
      Result<std::optional<Endpoint>> tgt = internal::FindEndpoint(tx_, s_, a.rim.target_object);
      if (!tgt.ok()) return tgt.status();
      if (!src->has_value() || !tgt->has_value()) {
        const std::string& which =
            src->has_value() ? a.rim.target_object : a.rim.source_object;
        AddError(errors_, XdsError::kRegistryMetadataError,
                 "association " + a.rim.id + " references " + which +
                     ", which is neither in the submission nor in the registry",
                 a.rim.id);
        continue;
      }
      if (a.type == AssociationType::kHasMember) {
        RENKEI_RETURN_IF_ERROR(CheckHasMember(a, **src, **tgt));
      } else if (IsDocumentRelationship(a.type)) {
        RENKEI_RETURN_IF_ERROR(CheckRelationship(a, **src, **tgt));
      }
    }
    return Status::Ok();
  }


  // A replacement joins every Folder its original was in (ITI TF-3 §4.2.2.2.1: the
  // registry adds the replacement DocumentEntry to the Folders of the replaced one).
  Status JoinFoldersOfReplaced(const std::string& original, const std::string& replacement) {
    AssociationFilter f;
    f.targets = {original};
    f.types = {xds::kAssocHasMember};
    f.statuses = {xds::kStatusApproved};
    f.with_leaf_xml = false;
    Result<std::vector<StoredObject>> members = tx_.FindAssociations(f);
    if (!members.ok()) return members.status();
    for (const StoredObject& m : *members) {
      if (m.target != original) continue;
      Result<StoredObject> folder = tx_.Get(m.source);
      if (!folder.ok()) {
        if (folder.status().IsNotFound()) continue;
        return folder.status();
      }
      if (folder->kind != EntryKind::kFolder || folder->status != xds::kStatusApproved) continue;
      Result<bool> already =
          internal::ApprovedAssociationExists(tx_, folder->id, replacement, xds::kAssocHasMember);
      if (!already.ok()) return already.status();
      if (*already) continue;
      xds::RegistryObject assoc;
      assoc.kind = xds::ObjectKind::kAssociation;
      assoc.id = internal::NewUuidUrn();
      assoc.association_type = xds::kAssocHasMember;
      assoc.source_object = folder->id;
      assoc.target_object = replacement;
      RENKEI_RETURN_IF_ERROR(tx_.Put(NewRow(assoc, false, submitter_)));
      touched_folders_.insert(folder->id);
    }
    return Status::Ok();
  }

  Status Write() {
    for (const StoredObject& row : rows_) RENKEI_RETURN_IF_ERROR(tx_.Put(row));
    for (const auto& [original, replacement] : replacements_) {
      RENKEI_RETURN_IF_ERROR(tx_.SetStatus(original, xds::kStatusDeprecated));
      RENKEI_RETURN_IF_ERROR(JoinFoldersOfReplaced(original, replacement));
    }
    for (const std::string& folder : touched_folders_) {
      RENKEI_RETURN_IF_ERROR(internal::TouchFolder(tx_, folder, now_));
    }
    return Status::Ok();
  }

  RegistryTransaction& tx_;
  const PreparedSubmission& s_;
  const std::vector<StoredObject>& rows_;  // NewRows
  const std::string& submitter_;
  const std::string& now_;
  xds::RegistryErrorList& errors_;
  std::set<std::string> replaced_;
  std::vector<std::pair<std::string, std::string>> replacements_;  // (original, replacement)
  std::set<std::string> touched_folders_;  // registered Folders that gain members
};

}  // namespace

xds::RegistryErrorList DocumentRegistry::RegisterDocumentSet(
    const xds::SubmitObjectsRequest& request, const RequestContext& ctx) {
  xds::ValidationOptions options;
  options.transaction = xds::ValidationOptions::Transaction::kRegister;
  options.codes = codes_;
  options.patients = &patients_;
  const xds::Submission as_written = xds::ReadSubmission(request);
  xds::RegistryErrorList errors = xds::ValidateSubmission(as_written, options);
  RefuseUpdateSemantics(as_written, errors);
  if (HasErrors(errors)) return errors;

  Result<PreparedSubmission> prepared = internal::Prepare(request);
  if (!prepared.ok()) {
    AddError(errors, prepared.status());
    return errors;
  }
  if (!ClaimRepositories(prepared->view, ctx, errors)) return errors;
  const std::string now = internal::NowDtm();
  const std::vector<StoredObject> rows = NewRows(*prepared, ctx.facility, now);
  internal::ApplyCollectingErrors(
      store_,
      [&](RegistryTransaction& tx, xds::RegistryErrorList& tx_errors) {
        // Reads `prepared` and `rows` only, so a retried Apply starts from the same state.
        Registration registration(tx, *prepared, rows, ctx.facility, now, tx_errors);
        return registration.Run();
      },
      errors);
  return errors;
}

}  // namespace renkei::registry
