// ITI-18 Registry Stored Query: the Get* stored queries and GetAll
// (ITI TF-2 3.18.4.1.2.3.7.4 - 3.18.4.1.2.3.7.13, 3.18.4.1.2.3.7.15 GetAll).
#include <set>

#include "registry/stored_query_internal.h"
#include "xds/xds_constants.h"
#include "xds/xds_errors.h"

namespace renkei::registry::sq {
namespace {

std::vector<std::string> Ids(const std::vector<StoredObject>& objects) {
  std::vector<std::string> ids;
  ids.reserve(objects.size());
  for (const StoredObject& o : objects) ids.push_back(o.id);
  return ids;
}

// The associations among `ids`: those whose source and target are both in `ids`, then
// those from an object in `ids` to one of the former (a SubmissionSet's HasMember of a
// Folder membership association).
Result<std::vector<StoredObject>> AssociationsAmong(QueryRun& q, const std::set<std::string>& ids) {
  if (ids.empty()) return std::vector<StoredObject>();
  AssociationFilter af;
  af.sources.assign(ids.begin(), ids.end());
  af.targets = af.sources;
  af.source_or_target = true;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> assocs, q.FindAssociations(af));
  std::set<std::string> kept;
  std::vector<StoredObject> out;
  for (StoredObject& a : assocs) {
    if (ids.count(a.source) && ids.count(a.target)) kept.insert(a.id);
  }
  for (StoredObject& a : assocs) {
    bool inner = kept.count(a.id) != 0;
    bool to_assoc = ids.count(a.source) && kept.count(a.target);
    if (inner || to_assoc) out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<StoredObject>> HasMembersFrom(QueryRun& q,
                                                 const std::vector<std::string>& sources) {
  AssociationFilter af;
  af.sources = sources;
  af.types = {xds::kAssocHasMember};
  return q.FindAssociations(af);
}

// Applies the DocumentEntry filters of the *AndContents queries and GetAll
// ($XDSDocumentEntryFormatCode, $XDSDocumentEntryConfidentialityCode (AND/OR),
// $XDSDocumentEntryType) to `f`.
Status AddContentFilters(const StoredQueryParams& p, ObjectFilter* f) {
  RENKEI_RETURN_IF_ERROR(AddCodes(p, xds::kSqpDocFormatCode, CodeAttr::kFormat, f));
  RENKEI_RETURN_IF_ERROR(
      AddCodesAndOr(p, xds::kSqpDocConfidentialityCode, CodeAttr::kConfidentiality, f));
  RENKEI_ASSIGN_OR_RETURN(f->object_types, DocumentEntryTypes(p));
  return Status::Ok();
}

Status AcceptHome(const StoredQueryParams& p) {
  // $homeCommunityId: single-valued, optional; addressing only.
  auto home = p.String(xds::kSqpHomeCommunityId);
  return home.ok() ? Status::Ok() : home.status();
}

}  // namespace

// GetAll (3.18.4.1.2.3.7.15): every SubmissionSet, DocumentEntry and Folder of the patient
// with the given statuses, and the Associations among them.
Status GetAll(QueryRun& q) {
  const StoredQueryParams& p = q.params;
  RENKEI_ASSIGN_OR_RETURN(std::string patient, p.RequiredString(xds::kSqpPatientId));
  ObjectFilter docs;
  docs.kind = EntryKind::kDocumentEntry;
  docs.patient_id = patient;
  docs.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(docs.statuses, p.RequiredStringList(xds::kSqpDocStatus));
  ObjectFilter sets;
  sets.kind = EntryKind::kSubmissionSet;
  sets.patient_id = patient;
  sets.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(sets.statuses, p.RequiredStringList(xds::kSqpSsStatus));
  ObjectFilter folders;
  folders.kind = EntryKind::kFolder;
  folders.patient_id = patient;
  folders.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(folders.statuses, p.RequiredStringList(xds::kSqpFolderStatus));
  RENKEI_RETURN_IF_ERROR(AddContentFilters(p, &docs));
  RENKEI_RETURN_IF_ERROR(AcceptHome(p));

  std::set<std::string> ids;
  for (const ObjectFilter* f : {&sets, &docs, &folders}) {
    RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> found, q.Find(*f));
    for (const StoredObject& o : found) ids.insert(o.id);
    q.AddAll(std::move(found));
  }
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> assocs, AssociationsAmong(q, ids));
  q.AddAll(std::move(assocs));
  return Status::Ok();
}

// GetDocuments (3.18.4.1.2.3.7.5): by entryUUIDs, uniqueIds or logicalIDs (all versions).
Status GetDocuments(QueryRun& q) {
  RENKEI_ASSIGN_OR_RETURN(Selector sel,
                          SelectOne(q.params, xds::kSqpDocEntryUuid, xds::kSqpDocUniqueId,
                                    xds::kSqpDocLogicalId, true));
  RENKEI_RETURN_IF_ERROR(AcceptHome(q.params));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> docs,
                          FindSelected(q, EntryKind::kDocumentEntry, sel));
  q.AddAll(std::move(docs));
  return Status::Ok();
}

// GetFolders (3.18.4.1.2.3.7.6).
Status GetFolders(QueryRun& q) {
  RENKEI_ASSIGN_OR_RETURN(Selector sel,
                          SelectOne(q.params, xds::kSqpFolderEntryUuid, xds::kSqpFolderUniqueId,
                                    xds::kSqpFolderLogicalId, true));
  RENKEI_RETURN_IF_ERROR(AcceptHome(q.params));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> folders,
                          FindSelected(q, EntryKind::kFolder, sel));
  q.AddAll(std::move(folders));
  return Status::Ok();
}

// GetAssociations (3.18.4.1.2.3.7.7): associations whose source or target is in $uuid.
Status GetAssociations(QueryRun& q) {
  AssociationFilter af;
  RENKEI_ASSIGN_OR_RETURN(af.sources, q.params.RequiredStringList(xds::kSqpUuid));
  RENKEI_RETURN_IF_ERROR(AcceptHome(q.params));
  af.targets = af.sources;
  af.source_or_target = true;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> assocs, q.FindAssociations(af));
  q.AddAll(std::move(assocs));
  return Status::Ok();
}

// GetDocumentsAndAssociations (3.18.4.1.2.3.7.8): the documents and every association
// whose source or target is one of them.
Status GetDocumentsAndAssociations(QueryRun& q) {
  RENKEI_ASSIGN_OR_RETURN(Selector sel, SelectOne(q.params, xds::kSqpDocEntryUuid,
                                                  xds::kSqpDocUniqueId, nullptr, true));
  RENKEI_RETURN_IF_ERROR(AcceptHome(q.params));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> docs,
                          FindSelected(q, EntryKind::kDocumentEntry, sel));
  if (docs.empty()) return Status::Ok();
  AssociationFilter af;
  af.sources = Ids(docs);
  af.targets = af.sources;
  af.source_or_target = true;
  q.AddAll(std::move(docs));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> assocs, q.FindAssociations(af));
  q.AddAll(std::move(assocs));
  return Status::Ok();
}

// GetSubmissionSets (3.18.4.1.2.3.7.9): the SubmissionSets holding any of $uuid
// (DocumentEntries / Folders / Associations) and those HasMember associations.
Status GetSubmissionSets(QueryRun& q) {
  AssociationFilter af;
  RENKEI_ASSIGN_OR_RETURN(af.targets, q.params.RequiredStringList(xds::kSqpUuid));
  RENKEI_RETURN_IF_ERROR(AcceptHome(q.params));
  af.types = {xds::kAssocHasMember};
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> members, q.FindAssociations(af));
  if (members.empty()) return Status::Ok();
  ObjectFilter f;
  f.kind = EntryKind::kSubmissionSet;
  for (const StoredObject& m : members) f.ids.push_back(m.source);
  f.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> sets, q.Find(f));
  std::set<std::string> set_ids;
  for (const StoredObject& s : sets) set_ids.insert(s.id);
  q.AddAll(std::move(sets));
  for (StoredObject& m : members) {
    if (set_ids.count(m.source)) q.Add(std::move(m));
  }
  return Status::Ok();
}

// GetSubmissionSetAndContents (3.18.4.1.2.3.7.10): the SubmissionSet, its DocumentEntries
// (filtered by $XDSDocumentEntryFormatCode / ConfidentialityCode / Type), its Folders, and
// its HasMember associations plus the associations it holds, leaving out every association
// that references a DocumentEntry the filters removed.
Status GetSubmissionSetAndContents(QueryRun& q) {
  const StoredQueryParams& p = q.params;
  RENKEI_ASSIGN_OR_RETURN(Selector sel,
                          SelectOne(p, xds::kSqpSsEntryUuid, xds::kSqpSsUniqueId, nullptr, false));
  ObjectFilter docs;
  docs.kind = EntryKind::kDocumentEntry;
  docs.limit = q.limit;
  RENKEI_RETURN_IF_ERROR(AddContentFilters(p, &docs));
  RENKEI_RETURN_IF_ERROR(AcceptHome(p));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> sets,
                          FindSelected(q, EntryKind::kSubmissionSet, sel));
  if (sets.empty()) return Status::Ok();
  std::vector<std::string> set_ids = Ids(sets);
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> members, HasMembersFrom(q, set_ids));
  std::vector<std::string> targets;
  for (const StoredObject& m : members) targets.push_back(m.target);
  q.AddAll(std::move(sets));
  if (targets.empty()) return Status::Ok();

  docs.ids = targets;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> kept_docs, q.Find(docs));
  ObjectFilter all_docs;
  all_docs.kind = EntryKind::kDocumentEntry;
  all_docs.ids = targets;
  all_docs.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> member_docs, q.Find(all_docs));
  std::set<std::string> kept_ids;
  for (const StoredObject& d : kept_docs) kept_ids.insert(d.id);
  std::set<std::string> removed;
  for (const StoredObject& d : member_docs) {
    if (!kept_ids.count(d.id)) removed.insert(d.id);
  }
  ObjectFilter folders;
  folders.kind = EntryKind::kFolder;
  folders.ids = targets;
  folders.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> member_folders, q.Find(folders));
  ObjectFilter assocs;
  assocs.kind = EntryKind::kAssociation;
  assocs.ids = targets;
  assocs.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> member_assocs, q.Find(assocs));

  q.AddAll(std::move(kept_docs));
  q.AddAll(std::move(member_folders));
  std::set<std::string> dropped;  // member associations referencing a removed document
  for (StoredObject& a : member_assocs) {
    if (removed.count(a.source) || removed.count(a.target)) {
      dropped.insert(a.id);
      continue;
    }
    q.Add(std::move(a));
  }
  for (StoredObject& m : members) {
    if (removed.count(m.target) || dropped.count(m.target)) continue;
    q.Add(std::move(m));
  }
  return Status::Ok();
}

// GetFolderAndContents (3.18.4.1.2.3.7.11): the Folder, its DocumentEntries (filtered as
// above) and the HasMember associations to those.
Status GetFolderAndContents(QueryRun& q) {
  const StoredQueryParams& p = q.params;
  RENKEI_ASSIGN_OR_RETURN(Selector sel, SelectOne(p, xds::kSqpFolderEntryUuid,
                                                  xds::kSqpFolderUniqueId, nullptr, false));
  ObjectFilter docs;
  docs.kind = EntryKind::kDocumentEntry;
  docs.limit = q.limit;
  RENKEI_RETURN_IF_ERROR(AddContentFilters(p, &docs));
  RENKEI_RETURN_IF_ERROR(AcceptHome(p));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> folders,
                          FindSelected(q, EntryKind::kFolder, sel));
  if (folders.empty()) return Status::Ok();
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> members, HasMembersFrom(q, Ids(folders)));
  q.AddAll(std::move(folders));
  if (members.empty()) return Status::Ok();
  for (const StoredObject& m : members) docs.ids.push_back(m.target);
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> found, q.Find(docs));
  std::set<std::string> kept;
  for (const StoredObject& d : found) kept.insert(d.id);
  q.AddAll(std::move(found));
  for (StoredObject& m : members) {
    if (kept.count(m.target)) q.Add(std::move(m));
  }
  return Status::Ok();
}

// GetFoldersForDocument (3.18.4.1.2.3.7.12): the Folders holding the document (Folders
// only, no associations).
Status GetFoldersForDocument(QueryRun& q) {
  RENKEI_ASSIGN_OR_RETURN(Selector sel, SelectOne(q.params, xds::kSqpDocEntryUuid,
                                                  xds::kSqpDocUniqueId, nullptr, false));
  RENKEI_RETURN_IF_ERROR(AcceptHome(q.params));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> docs,
                          FindSelected(q, EntryKind::kDocumentEntry, sel));
  if (docs.empty()) return Status::Ok();
  AssociationFilter af;
  af.targets = Ids(docs);
  af.types = {xds::kAssocHasMember};
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> members, q.FindAssociations(af));
  if (members.empty()) return Status::Ok();
  ObjectFilter f;
  f.kind = EntryKind::kFolder;
  for (const StoredObject& m : members) f.ids.push_back(m.source);
  f.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> folders, q.Find(f));
  q.AddAll(std::move(folders));
  return Status::Ok();
}

// GetRelatedDocuments (3.18.4.1.2.3.7.13): the document, the DocumentEntries linked to it
// by an association of one of $AssociationTypes (either direction), and those
// associations. Nothing at all when no such document is related.
Status GetRelatedDocuments(QueryRun& q) {
  const StoredQueryParams& p = q.params;
  RENKEI_ASSIGN_OR_RETURN(
      Selector sel, SelectOne(p, xds::kSqpDocEntryUuid, xds::kSqpDocUniqueId, nullptr, false));
  AssociationFilter af;
  RENKEI_ASSIGN_OR_RETURN(af.types, p.RequiredStringList(xds::kSqpAssociationTypes));
  RENKEI_ASSIGN_OR_RETURN(std::vector<std::string> types, DocumentEntryTypes(p));
  RENKEI_RETURN_IF_ERROR(AcceptHome(p));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> docs,
                          FindSelected(q, EntryKind::kDocumentEntry, sel));
  if (docs.empty()) return Status::Ok();
  std::set<std::string> origin;
  for (const StoredObject& d : docs) origin.insert(d.id);
  af.sources = Ids(docs);
  af.targets = af.sources;
  af.source_or_target = true;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> assocs, q.FindAssociations(af));
  ObjectFilter related;
  related.kind = EntryKind::kDocumentEntry;
  related.object_types = types;
  related.limit = q.limit;
  for (const StoredObject& a : assocs) {
    related.ids.push_back(origin.count(a.source) ? a.target : a.source);
  }
  if (related.ids.empty()) return Status::Ok();
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> found, q.Find(related));
  std::set<std::string> found_ids;
  for (const StoredObject& d : found) {
    if (!origin.count(d.id)) found_ids.insert(d.id);
  }
  if (found_ids.empty()) return Status::Ok();
  q.AddAll(std::move(docs));
  q.AddAll(std::move(found));
  for (StoredObject& a : assocs) {
    const std::string& other = origin.count(a.source) ? a.target : a.source;
    if (found_ids.count(other)) q.Add(std::move(a));
  }
  return Status::Ok();
}

}  // namespace renkei::registry::sq
