// RegistryStore: the Document Registry's metadata index (ITI-42/18/57/62).
//
// Every registry object version (DocumentEntry, SubmissionSet, Folder, Association) is one
// StoredObject: typed, indexed columns for every stored-query predicate, plus the object's
// ebRIM element encoded once at registration (xds/ebrim_codec.h) *without* its status
// attribute, so a LeafClass answer is a concatenation and a status change rewrites nothing.
//
// Writes run inside a transaction (Apply): all of a submission or none of it.
// Implementations: SqliteRegistryStore (registry/sqlite_registry_store.h).
//
// Thread-safety: a RegistryStore may be called from many threads at once; each Apply runs
// its function with exclusive write access; Find/Get may run concurrently with it and see
// either the state before or after a transaction, never half of one.
#ifndef RENKEI_REGISTRY_REGISTRY_STORE_H_
#define RENKEI_REGISTRY_REGISTRY_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "xds/metadata.h"

namespace renkei::registry {

enum class EntryKind { kDocumentEntry = 1, kSubmissionSet = 2, kFolder = 3, kAssociation = 4 };

// Coded-value attributes a query can filter on.
enum class CodeAttr {
  kClass, kType, kFormat, kHealthcareFacilityType, kPracticeSetting, kConfidentiality,
  kEvent, kContentType /* SubmissionSet */, kFolderCode /* Folder codeList */
};

// Time attributes a query can filter on (DTM text as submitted).
enum class TimeAttr {
  kCreation, kServiceStart, kServiceStop, kSubmission /* SS */, kLastUpdate /* Folder */
};

struct StoredCode {
  CodeAttr attr;
  std::string code;
  std::string scheme;
};

struct StoredTime {
  TimeAttr attr;
  std::string value;  // DTM as submitted (YYYY[MM[DD[hh[mm[ss]]]]])
};

// One object version as stored. Column fields are filled from the typed XDS view by
// the registry before Put; `leaf_xml` is the encoded ebRIM element without status.
struct StoredObject {
  EntryKind kind = EntryKind::kDocumentEntry;
  std::string id;  // entryUUID, urn:uuid:...
  std::string lid;
  int64_t version = 1;
  std::string status;  // full StatusType URN
  std::string object_type;
  std::string unique_id;   // empty for associations
  std::string patient_id;  // empty for associations
  std::string home;
  std::string submitter;  // facility that registered it (authorization filter)
  // DocumentEntry
  std::string hash;
  std::string size;
  std::string repository_unique_id;
  std::vector<std::string> author_persons;  // DocumentEntry / SubmissionSet
  std::vector<std::string> reference_ids;
  std::string source_id;  // SubmissionSet
  // Association
  std::string assoc_type;  // full URN
  std::string source;
  std::string target;
  std::vector<StoredCode> codes;
  std::vector<StoredTime> times;
  std::string leaf_xml;
  // EncodeLeaf(leaf_xml) (registry/leaf_codec.h) made ahead of the transaction, or empty.
  // Only written, never read back: a store that keeps fragments compressed takes it instead
  // of compressing under its write lock (ITI-42 builds it with the rows).
  std::string leaf_blob;
};

// A conjunction of predicates; empty members do not constrain. Values inside one vector
// are OR-ed. For codes, each CodeFilter is one query parameter slot: its `any_of` codes
// are OR-ed, and several CodeFilters for the same attribute are AND-ed (ITI TF-2
// §3.18.4.1.2.3.5, eventCodeList / confidentialityCode).
struct CodeFilter {
  CodeAttr attr;
  std::vector<std::pair<std::string, std::string>> any_of;  // (code, scheme); scheme may be ""
};
struct TimeFilter {
  TimeAttr attr;
  std::string from;  // inclusive, empty = open   (ITI TF-2 §3.18.4.1.2.3.6.3)
  std::string to;    // exclusive, empty = open
};
struct ObjectFilter {
  EntryKind kind = EntryKind::kDocumentEntry;
  std::string patient_id;
  std::vector<std::string> statuses;
  std::vector<std::string> object_types;
  std::vector<std::string> ids;         // entryUUIDs
  std::vector<std::string> unique_ids;  // uniqueIds
  std::vector<std::string> lids;        // logical ids
  std::vector<std::string> source_ids;  // SubmissionSet sourceId
  std::vector<std::string> reference_ids;
  std::vector<std::string> author_person_patterns;  // SQL LIKE patterns (% and _)
  std::vector<CodeFilter> codes;
  std::vector<TimeFilter> times;
  std::vector<std::string> homes;
  // Authorization (docs/authorization.md): only objects registered by one of these
  // facilities (OR-ed; empty = any submitter).
  std::vector<std::string> submitters;
  bool latest_version_only = false;  // only the highest version of each lid
  // At most this many objects (0 = no limit); which ones is unspecified when more match.
  int64_t limit = 0;
  // false: leave StoredObject::leaf_xml empty (ObjectRef answers need only ids).
  bool with_leaf_xml = true;
  // true: fill only `id` and `kind` (the ObjectRef answer of a Find* query reads nothing else).
  bool ids_only = false;
  // true: fill only `id`, `kind`, `status`, `patient_id` and `leaf_xml` (the LeafClass
  // answer of a Find* query reads nothing else).
  bool answer_only = false;
};

struct AssociationFilter {
  std::vector<std::string> sources;  // OR-ed; with targets: source IN .. OR target IN ..
  std::vector<std::string> targets;
  std::vector<std::string> types;     // full URNs, OR-ed; empty = any
  std::vector<std::string> statuses;  // empty = any
  bool source_or_target = false;      // true: (source IN sources OR target IN targets)
  bool with_leaf_xml = true;          // as ObjectFilter::with_leaf_xml
};

class RegistryStore;

// The write side, valid only inside RegistryStore::Apply.
class RegistryTransaction {
 public:
  virtual ~RegistryTransaction() = default;
  // Inserts a new object version. Conflict if `id` exists.
  virtual Status Put(const StoredObject& object) = 0;
  // Replaces the stored object with the same id (e.g. Folder lastUpdateTime). NotFound if absent.
  virtual Status Replace(const StoredObject& object) = 0;
  virtual Status SetStatus(const std::string& id, const std::string& status) = 0;
  // Deletes objects by id (ITI-62). NotFound for an unknown id.
  virtual Status Remove(const std::string& id) = 0;
  // Reads see the transaction's own writes.
  virtual Result<std::vector<StoredObject>> Find(const ObjectFilter& filter) = 0;
  virtual Result<std::vector<StoredObject>> FindAssociations(const AssociationFilter& filter) = 0;
  // Any object (of any kind) by entryUUID; NotFound when absent.
  virtual Result<StoredObject> Get(const std::string& id) = 0;
};

class RegistryStore {
 public:
  virtual ~RegistryStore() = default;
  // Runs `fn` in one transaction; commits when it returns OK, rolls back otherwise.
  // Retries `fn` on a busy/serialization failure; returns fn's Status or the store's.
  virtual Status Apply(const std::function<Status(RegistryTransaction&)>& fn) = 0;
  // Reads outside a transaction (a consistent snapshot each call).
  virtual Result<std::vector<StoredObject>> Find(const ObjectFilter& filter) = 0;
  virtual Result<std::vector<StoredObject>> FindAssociations(const AssociationFilter& filter) = 0;
  virtual Result<StoredObject> Get(const std::string& id) = 0;
  // Number of stored objects of a kind (status lines, benchmarks).
  virtual Result<int64_t> Count(EntryKind kind) = 0;
};

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_REGISTRY_STORE_H_
