// Architecture §5 / issue 5: the registry's per-query authorization filter (ITI-18, and MHD
// ITI-66/67 through it). Rules: registry/query_access.h and docs/authorization.md.
#include "registry/query_access.h"

#include <set>
#include <utility>

#include "xds/xds_constants.h"
#include "xds/xds_errors.h"

namespace renkei::registry {
namespace {

// Association chains are at most SubmissionSet -> association -> object; deeper is
// malformed data, never visible.
constexpr int kMaxDepth = 4;

}  // namespace

const std::string& ClassCodeOf(const StoredObject& o) {
  static const std::string kNone;
  for (const StoredCode& c : o.codes) {
    if (c.attr == CodeAttr::kClass) return c.code;
  }
  return kNone;
}

QueryAccess::QueryAccess(RegistryStore& store, const directory::DisclosurePolicy* policy,
                         std::string requester, std::string now)
    : store_(store), policy_(policy), requester_(std::move(requester)), now_(std::move(now)) {}

Result<const directory::PatientAccess*> QueryAccess::Access(const std::string& patient_id) {
  auto it = access_.find(patient_id);
  if (it != access_.end()) return &it->second;
  directory::PatientAccess access;
  access.requester = requester_;
  if (policy_ != nullptr && !patient_id.empty()) {
    Result<directory::PatientAccess> asked = policy_->AccessOf(requester_, patient_id, now_);
    if (!asked.ok()) {
      // Nothing is answered rather than everything; the message names no patient data.
      return xds::XdsStatus(xds::XdsError::kRegistryError,
                            "the disclosure policy cannot be read (" + asked.status().message() +
                                "); no query is answered until it can");
    }
    access = std::move(asked.value());
    access.requester = requester_;
  }
  return &access_.emplace(patient_id, std::move(access)).first->second;
}

std::vector<std::string> QueryAccess::SubmittersFor(const directory::PatientAccess& access,
                                                    bool* exact) {
  *exact = true;
  if (access.break_glass) return {};
  std::vector<std::string> out = {access.requester};
  std::set<std::string> seen = {access.requester};
  std::set<std::string> unlimited;  // submitters with a grant of every class
  for (const directory::GrantInForce& g : access.grants) {
    if (g.class_codes.empty()) unlimited.insert(g.disclosing_facility);
    if (seen.insert(g.disclosing_facility).second) out.push_back(g.disclosing_facility);
  }
  for (const std::string& s : out) {
    if (s != access.requester && unlimited.count(s) == 0) *exact = false;
  }
  return out;
}

Result<bool> QueryAccess::Visible(const StoredObject& o) {
  auto it = decided_.find(o.id);
  if (it != decided_.end()) return it->second;
  RENKEI_ASSIGN_OR_RETURN(bool visible, Decide(o, 0));
  decided_[o.id] = visible;
  return visible;
}

Result<bool> QueryAccess::VisibleId(const std::string& id) { return DecideId(id, 0); }

Result<std::vector<StoredObject>> QueryAccess::Filter(std::vector<StoredObject> objects) {
  std::vector<StoredObject> out;
  out.reserve(objects.size());
  for (StoredObject& o : objects) {
    RENKEI_ASSIGN_OR_RETURN(bool visible, Visible(o));
    if (visible) out.push_back(std::move(o));
  }
  return out;
}

Result<bool> QueryAccess::DecideId(const std::string& id, int depth) {
  auto it = decided_.find(id);
  if (it != decided_.end()) return it->second;
  Result<StoredObject> o = store_.Get(id);
  bool visible = false;
  if (o.ok()) {
    RENKEI_ASSIGN_OR_RETURN(visible, Decide(*o, depth));
  } else if (!o.status().IsNotFound()) {
    return o.status();
  }
  decided_[id] = visible;
  return visible;
}

Result<bool> QueryAccess::Decide(const StoredObject& o, int depth) {
  switch (o.kind) {
    case EntryKind::kDocumentEntry: {
      if (o.submitter == requester_) return true;
      RENKEI_ASSIGN_OR_RETURN(const directory::PatientAccess* access, Access(o.patient_id));
      return access->Allows(o.submitter, ClassCodeOf(o));
    }
    case EntryKind::kSubmissionSet:
    case EntryKind::kFolder:
      if (o.submitter == requester_) return true;
      return PackageVisible(o);
    case EntryKind::kAssociation: {
      if (depth >= kMaxDepth) return false;
      RENKEI_ASSIGN_OR_RETURN(bool source, DecideId(o.source, depth + 1));
      if (!source) return false;
      return DecideId(o.target, depth + 1);
    }
  }
  return false;
}

// A SubmissionSet or Folder of another facility: break-glass, or a grant of its submitter
// in force for its patient; a grant limited to some classes shows it only when one of its
// member DocumentEntries is visible.
Result<bool> QueryAccess::PackageVisible(const StoredObject& o) {
  RENKEI_ASSIGN_OR_RETURN(const directory::PatientAccess* access, Access(o.patient_id));
  if (access->break_glass) return true;
  bool granted = false;
  for (const directory::GrantInForce& g : access->grants) {
    if (g.disclosing_facility != o.submitter) continue;
    if (g.class_codes.empty()) return true;
    granted = true;
  }
  if (!granted) return false;
  AssociationFilter members;
  members.sources = {o.id};
  members.types = {xds::kAssocHasMember};
  members.with_leaf_xml = false;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> assocs, store_.FindAssociations(members));
  ObjectFilter docs;
  docs.kind = EntryKind::kDocumentEntry;
  docs.with_leaf_xml = false;
  for (const StoredObject& a : assocs) docs.ids.push_back(a.target);
  if (docs.ids.empty()) return false;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> found, store_.Find(docs));
  for (const StoredObject& d : found) {
    RENKEI_ASSIGN_OR_RETURN(bool visible, Visible(d));
    if (visible) return true;
  }
  return false;
}

}  // namespace renkei::registry
