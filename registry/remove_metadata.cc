// ITI-62 Remove Metadata, Document Registry side (ITI TF-2 §3.62.4.1.3; ebRS 3.0 §5.3
// RemoveObjectsRequest). The listed objects are deleted all together or not at all:
//  - every id must name a registered object (else UnresolvedReferenceException);
//  - no association that stays may reference a removed object (else
//    ReferencesExistException): associations must be removed with their ends;
//  - a DocumentEntry or Folder that stays must remain a member of some SubmissionSet (else
//    UnreferencedObjectException, §3.62.4.1.3);
//  - only the facility that registered an object may remove it (AuthorizationException,
//    docs/authorization.md).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "registry/document_registry.h"
#include "registry/internal/submission_writer.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

using internal::AddError;
using xds::XdsError;

class Removal {
 public:
  Removal(RegistryTransaction& tx, const std::vector<std::string>& ids,
          const std::string& requester, xds::RegistryErrorList& errors)
      : tx_(tx), requester_(requester), errors_(errors) {
    for (const std::string& id : ids) {
      if (seen_.insert(id).second) ids_.push_back(id);
    }
  }

  Status Run() {
    for (const std::string& id : ids_) {
      Result<StoredObject> o = tx_.Get(id);
      if (!o.ok()) {
        if (!o.status().IsNotFound()) return o.status();
        AddError(errors_, XdsError::kUnresolvedReferenceException,
                 "object " + id + " is not in the registry (ITI TF-2 §3.62.4.1.3)", id);
        continue;
      }
      if (o->submitter != requester_) {
        internal::AddNotOwner(errors_, KindName(o->kind), id, id);
        continue;
      }
      objects_.push_back(std::move(*o));
    }
    if (!errors_.empty()) return internal::Rollback();
    for (const StoredObject& o : objects_) RENKEI_RETURN_IF_ERROR(CheckReferences(o));
    for (const StoredObject& o : objects_) {
      if (o.kind == EntryKind::kAssociation) RENKEI_RETURN_IF_ERROR(CheckMembership(o));
    }
    if (!errors_.empty()) return internal::Rollback();
    // Associations first, so that no store-level reference check can trip on an order.
    for (const StoredObject& o : objects_) {
      if (o.kind == EntryKind::kAssociation) RENKEI_RETURN_IF_ERROR(tx_.Remove(o.id));
    }
    for (const StoredObject& o : objects_) {
      if (o.kind != EntryKind::kAssociation) RENKEI_RETURN_IF_ERROR(tx_.Remove(o.id));
    }
    return Status::Ok();
  }

 private:
  // Associations that stay must not point at removed objects.
  Status CheckReferences(const StoredObject& o) {
    AssociationFilter f;
    f.sources = {o.id};
    f.targets = {o.id};
    f.source_or_target = true;
    f.with_leaf_xml = false;
    Result<std::vector<StoredObject>> refs = tx_.FindAssociations(f);
    if (!refs.ok()) return refs.status();
    for (const StoredObject& a : *refs) {
      if (a.id == o.id || seen_.count(a.id) > 0) continue;
      if (a.source != o.id && a.target != o.id) continue;
      AddError(errors_, XdsError::kReferencesExistException,
               "association " + a.id + " still references " + o.id +
                   "; remove it in the same request (ITI TF-2 §3.62.4.1.3)",
               o.id);
    }
    return Status::Ok();
  }

  // Removing a SubmissionSet HasMember must not leave its (staying) member without any
  // SubmissionSet.
  Status CheckMembership(const StoredObject& assoc) {
    if (assoc.assoc_type != xds::kAssocHasMember || seen_.count(assoc.target) > 0) {
      return Status::Ok();
    }
    Result<StoredObject> source = tx_.Get(assoc.source);
    if (!source.ok()) {
      return source.status().IsNotFound() ? Status::Ok() : source.status();
    }
    if (source->kind != EntryKind::kSubmissionSet) return Status::Ok();
    AssociationFilter f;
    f.targets = {assoc.target};
    f.types = {xds::kAssocHasMember};
    f.with_leaf_xml = false;
    Result<std::vector<StoredObject>> members = tx_.FindAssociations(f);
    if (!members.ok()) return members.status();
    for (const StoredObject& m : *members) {
      if (m.target != assoc.target || seen_.count(m.id) > 0) continue;
      Result<StoredObject> s = tx_.Get(m.source);
      if (s.ok() && s->kind == EntryKind::kSubmissionSet) return Status::Ok();
    }
    AddError(errors_, XdsError::kUnreferencedObjectException,
             "removing " + assoc.id + " would leave " + assoc.target +
                 " outside every SubmissionSet (ITI TF-2 §3.62.4.1.3)",
             assoc.id);
    return Status::Ok();
  }

  static const char* KindName(EntryKind kind) {
    switch (kind) {
      case EntryKind::kDocumentEntry:
        return "DocumentEntry";
      case EntryKind::kSubmissionSet:
        return "SubmissionSet";
      case EntryKind::kFolder:
        return "Folder";
      case EntryKind::kAssociation:
        return "Association";
    }
    return "object";
  }

 public:
  // The distinct patients of the objects found (associations carry none), in order.
  std::vector<std::string> Patients() const {
    std::vector<std::string> out;
    for (const StoredObject& o : objects_) {
      if (!o.patient_id.empty() &&
          std::find(out.begin(), out.end(), o.patient_id) == out.end()) {
        out.push_back(o.patient_id);
      }
    }
    return out;
  }

 private:
  RegistryTransaction& tx_;
  const std::string& requester_;
  xds::RegistryErrorList& errors_;
  std::set<std::string> seen_;
  std::vector<std::string> ids_;
  std::vector<StoredObject> objects_;
};

}  // namespace

xds::RegistryErrorList DocumentRegistry::RemoveMetadata(const xds::RemoveObjectsRequest& request,
                                                        const RequestContext& ctx,
                                                        std::vector<std::string>* patients) {
  xds::RegistryErrorList errors;
  if (request.object_refs.empty()) {
    AddError(errors, XdsError::kInvalidRequestException,
             "RemoveObjectsRequest lists no ObjectRef (ITI TF-2 §3.62.4.1.2)", "");
    return errors;
  }
  Status st = store_.Apply([&](RegistryTransaction& tx) {
    errors.clear();
    Removal removal(tx, request.object_refs, ctx.facility, errors);
    Status run = removal.Run();
    if (patients != nullptr) *patients = removal.Patients();
    return run;
  });
  if (errors.empty() && !st.ok()) AddError(errors, st);
  return errors;
}

}  // namespace renkei::registry
