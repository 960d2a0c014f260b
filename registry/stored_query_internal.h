// ITI-18 Registry Stored Query: helpers shared by stored_query.cc (dispatch, Find*
// queries) and stored_query_get.cc (Get* queries). Private to the registry.
#ifndef RENKEI_REGISTRY_STORED_QUERY_INTERNAL_H_
#define RENKEI_REGISTRY_STORED_QUERY_INTERNAL_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "registry/query_access.h"
#include "registry/registry_store.h"
#include "xds/xds_constants.h"
#include "registry/stored_query_params.h"

namespace renkei::registry::sq {

// One stored query being answered: its parameters, the store, the requester's access
// (registry/query_access.h) and the objects found so far (each id once, in answer order).
// Every read goes through Find / FindAnswer / FindAssociations, which return visible
// objects only, so each query below composes its answer from what the requester may see.
struct QueryRun {
  RegistryStore& store;
  const StoredQueryParams& params;
  QueryAccess& access;
  int64_t limit = 0;          // passed to Find: max_query_results + 1 (0 = unlimited)
  bool with_leaf_xml = true;  // false for ObjectRef answers
  std::vector<StoredObject> out;
  std::set<std::string> seen;
  // $MetadataLevel (ITI TF-2 3.18.4.1.2.3.5, Metadata Update): at level 1 (the default)
  // Deprecated associations are neither returned nor followed; level 2 sees them.
  int metadata_level = 1;
  bool seen_indexed = true;  // `seen` holds the ids of `out` (AddAll defers it)

  // The visible objects matching `f`, as full rows.
  Result<std::vector<StoredObject>> Find(ObjectFilter f) { return FindVisible(std::move(f), false); }
  // A Find* query's answer: the ids alone for ObjectRef, for LeafClass only what the answer
  // carries (id, status, patient, fragment) when the patient's access needs no per-object
  // check; full rows otherwise.
  Result<std::vector<StoredObject>> FindAnswer(ObjectFilter f) {
    return FindVisible(std::move(f), true);
  }
  // The visible associations matching `f` (both ends visible).
  Result<std::vector<StoredObject>> FindAssociations(AssociationFilter f) {
    f.with_leaf_xml = with_leaf_xml;
    if (metadata_level < 2 && f.statuses.empty()) f.statuses = {xds::kStatusApproved};
    RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> assocs, store.FindAssociations(f));
    return access.Filter(std::move(assocs));
  }

  // The store's rows for `f` with this query's read options, unfiltered.
  Result<std::vector<StoredObject>> Read(ObjectFilter f) {
    f.with_leaf_xml = with_leaf_xml;
    // Versions share a uniqueId; at level 1 a selection by uniqueId sees only the latest
    // version (NIST 20000e: GetFolderAndContents by uniqueId, level 1 vs level 2).
    if (metadata_level < 2 && !f.unique_ids.empty()) f.latest_version_only = true;
    return store.Find(f);
  }
  Result<std::vector<StoredObject>> FindVisible(ObjectFilter f, bool answer);

  void Add(StoredObject o) {
    IndexSeen();
    if (seen.insert(o.id).second) out.push_back(std::move(o));
  }
  void AddAll(std::vector<StoredObject> objects) {
    if (out.empty()) {
      // The rows of one Find have distinct ids: take them whole, index them only if more
      // objects follow (the common Find* query adds one vector and nothing else).
      out = std::move(objects);
      seen_indexed = out.empty();
      return;
    }
    for (StoredObject& o : objects) Add(std::move(o));
  }
  void IndexSeen() {
    if (seen_indexed) return;
    for (const StoredObject& o : out) seen.insert(o.id);
    seen_indexed = true;
  }
};

// $XDSDocumentEntryType values; default: stable DocumentEntries only (ITI TF-2
// 3.18.4.1.2.3.6.2, On-Demand Documents option).
Result<std::vector<std::string>> DocumentEntryTypes(const StoredQueryParams& p);

// Adds the OR-ed codes of a parameter as one CodeFilter (none when absent).
Status AddCodes(const StoredQueryParams& p, const char* name, CodeAttr attr, ObjectFilter* f);
// Adds one CodeFilter per Slot of an AND/OR parameter.
Status AddCodesAndOr(const StoredQueryParams& p, const char* name, CodeAttr attr, ObjectFilter* f);
// Adds a TimeFilter from a From/To parameter pair (none when both are absent).
Status AddTime(const StoredQueryParams& p, const char* from, const char* to, TimeAttr attr,
               ObjectFilter* f);

// Which objects a Get* query names: exactly one of its identifying parameters
// (entryUUID / uniqueId / logicalID). Both or several: XDSStoredQueryParamNumber;
// none: XDSStoredQueryMissingParam. `multi`: the parameters take lists.
struct Selector {
  std::vector<std::string> ids;
  std::vector<std::string> unique_ids;
  std::vector<std::string> lids;
};
Result<Selector> SelectOne(const StoredQueryParams& p, const char* uuid_name,
                           const char* unique_id_name, const char* lid_name, bool multi);
// The objects of `kind` a Selector names (all versions).
Result<std::vector<StoredObject>> FindSelected(QueryRun& q, EntryKind kind, const Selector& sel);

// Get* queries (stored_query_get.cc).
Status GetAll(QueryRun& q);
Status GetDocuments(QueryRun& q);
Status GetFolders(QueryRun& q);
Status GetAssociations(QueryRun& q);
Status GetDocumentsAndAssociations(QueryRun& q);
Status GetSubmissionSets(QueryRun& q);
Status GetSubmissionSetAndContents(QueryRun& q);
Status GetFolderAndContents(QueryRun& q);
Status GetFoldersForDocument(QueryRun& q);
Status GetRelatedDocuments(QueryRun& q);

}  // namespace renkei::registry::sq

#endif  // RENKEI_REGISTRY_STORED_QUERY_INTERNAL_H_
