// ITI-18/42/57/62 storage internals of SqliteRegistryStore: connections (common/
// sqlite_connection.h with the registry's error mapping), the schema, value encodings and
// the SQL of Find.
// Private to sqlite_registry_store.cc / sqlite_registry_query.cc.
//
// Schema (one row per object version; child tables for multi-valued predicates):
//
//   objects(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, lid, version, kind, status,
//           object_type, unique_id, patient_id, home, submitter, hash, size,
//           repository_unique_id, source_id, assoc_type, source, target,
//           attrs BLOB  -- codes/times/authors/referenceIds of the object, encoded, so a
//                          Find reads one row per object and never the child tables)
//   leaves(cluster, kind, seq, xml) PRIMARY KEY (cluster, kind, seq) WITHOUT ROWID
//                          -- the ebRIM element, compressed (registry/leaf_codec.h: ~700
//                          bytes for a DocumentEntry); apart so that objects rows stay ~300
//                          bytes and an index range scan over one patient touches a few
//                          pages; read only for LeafClass answers. Clustered by patient
//                          (cluster = LeafCluster(patient_id), 0 for objects without one) and
//                          kind, so one patient's DocumentEntries lie side by side (~5 pages
//                          for 20) however their registrations interleaved with other
//                          patients'; looked up by (renkei_cluster(o.patient_id), o.kind, o.seq)
//   counts(kind INTEGER PRIMARY KEY, n)        -- objects per kind (Count in O(1))
//   codes(seq, attr, code, scheme)  PRIMARY KEY (seq, attr, code, scheme) WITHOUT ROWID
//   times(seq, attr, value, raw)    PRIMARY KEY (seq, attr, value)        WITHOUT ROWID
//   authors(seq, person)            PRIMARY KEY (seq, person)             WITHOUT ROWID
//   refids(seq, value)              PRIMARY KEY (seq, value)              WITHOUT ROWID
//
// Empty text in an indexed column is stored as NULL, and the indexes are partial
// (`WHERE col IS NOT NULL`), so associations (no patient, no uniqueId) and documents (no
// source/target) cost nothing in indexes they never appear in. Known status / objectType /
// associationType URNs are stored as small integers (1..n), others as text.
//
// Access paths (indexes), one per way a stored query starts:
//   objects_patient  (patient_id, kind, status, object_type, id)
//                                                Find* by patient + status (FindDocuments,
//                                                FindSubmissionSets, FindFolders, GetAll);
//                                                covering for an ObjectRef FindDocuments
//                                                without residual filters (no row read)
//   objects_unique   (unique_id)                 Get* by uniqueId
//   objects_lid      (lid, version)              by logicalId, latest version; lid is
//                                                stored NULL when it equals id (every
//                                                first version), so only later versions
//                                                have an entry (one index write less per
//                                                registered object)
//   objects_source   (source)                    associations from an object
//   objects_target   (target)                    associations to an object
//   sqlite_autoindex (id)                        Get* by entryUUID
// Every other predicate (codes, times, authors, referenceIds, objectType, sourceId, home)
// is a residual filter evaluated on the rows of that range: a correlated EXISTS that is a
// primary-key lookup (seq, attr, ...) in the child table. With 10 million DocumentEntries
// FindDocuments for one patient reads that patient's ~20 index entries and their rows:
//   SEARCH o USING INDEX objects_patient (patient_id=? AND kind=? AND status=? AND object_type=?)
//   CORRELATED SCALAR SUBQUERY: SEARCH c USING PRIMARY KEY (seq=? AND attr=? AND ...)
// (checked by sqlite_registry_store_test.cc, QueryPlan*). Value-first indexes on the child
// tables (codes(attr, code, scheme, seq), times(attr, value, seq)) are deliberately absent:
// no ITI-18 query searches codes or times across patients, the planner would never pick them
// for these statements, and each would cost one more B-tree insert per code and time on the
// ITI-42 write path.
//
// Time values (ITI TF-2 3.18.4.1.2.3.6.3 / ITI TF-3 4.2.3.1.7 DTM): a DTM names the period
// of its precision, and values of different precision are compared on a common precision:
// both the stored value (times.value) and the query bounds are normalised to 14 digits by
// padding the missing trailing fields with their lowest value (month/day "01", hh/mm/ss
// "00"), which makes text comparison equal to time comparison. "from" is inclusive
// (value >= from), "to" exclusive (value < to). times.raw keeps the value as submitted.
//
// Thread-safety: a Connection is used by one thread at a time (the store's mutex/pool).
#ifndef RENKEI_REGISTRY_SQLITE_REGISTRY_INTERNAL_H_
#define RENKEI_REGISTRY_SQLITE_REGISTRY_INTERNAL_H_

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/sqlite_connection.h"
#include "common/status.h"
#include "registry/registry_store.h"

namespace renkei::registry::sqlite_internal {

// 4: leaves clustered by patient (3: leaves keyed by seq alone). No migration: a version-3
// database is refused with a message naming both versions.
inline constexpr int kSchemaVersion = 4;
// Page size of a new database (sqlite_connection.cc).
inline constexpr int kPageSize = 4096;

using sqlite::Connection;
using sqlite::IsBusy;
using sqlite::Stmt;
using sqlite::Value;

// Status for a failed sqlite call: Unavailable/XDSRegistryBusy for BUSY/LOCKED, otherwise
// Internal/XDSRegistryError with the sqlite message (the registry's sqlite::ErrorFn).
Status SqliteError(sqlite3* db, int rc, const std::string& what);

// A registry connection: kPageSize pages, WAL, errors through SqliteError, and the
// xds_like() SQL function (stored-query LIKE rules, ITI TF-2 3.18.4.1.2.3.5). `mapped`:
// through the whole-file mapping (sqlite::OpenOptions::map_whole_file).
Result<std::unique_ptr<Connection>> OpenConnection(const std::string& path, bool read_only,
                                                   int busy_timeout_ms, int cache_kib,
                                                   bool synchronous_full, bool mapped = true);

// Reads the B-trees that queries and registrations of every patient go through (`leaves`,
// objects_unique, objects_patient) once through `c`, until `stop`; returns the seconds it
// took. See SqliteRegistryStore::Options::prewarm.
Result<double> Prewarm(Connection& c, const std::atomic<bool>& stop);

// The `leaves` cluster of an object of this patient (a hash of the patient_id, 0 for none);
// the SQL function renkei_cluster(patient_id) of every registry connection is the same.
int64_t LeafCluster(std::string_view patient_id);

// Creates the schema when absent (and any missing index); checks user_version otherwise.
Status EnsureSchema(Connection& c);
// Drops the secondary indexes of `objects` (bulk loading; EnsureSchema builds them again).
Status DropSecondaryIndexes(Connection& c);

// Encodings of enumerations and well-known URNs in columns.
Value EncodeStatus(const std::string& urn);
Value EncodeObjectType(const std::string& urn);
Value EncodeAssocType(const std::string& urn);
std::string DecodeStatus(const Stmt& s, int col);
std::string DecodeObjectType(const Stmt& s, int col);
std::string DecodeAssocType(const Stmt& s, int col);
// Empty text -> NULL.
Value TextOrNull(const std::string& s);

// DTM normalised to 14 digits (see header comment); non-digits after the 14th are dropped.
std::string NormalizeDtm(const std::string& dtm);

// attrs BLOB: codes, times (as submitted), author persons and referenceIds.
std::string EncodeAttrs(const StoredObject& o);
bool DecodeAttrs(const void* data, int size, StoredObject* o);

// The column list every object SELECT reads, and the decoder of such a row.
extern const char kObjectColumns[];
Result<StoredObject> ReadObjectRow(const Stmt& s);

// Queries (sqlite_registry_query.cc); `c` is any connection of the store.
Result<std::vector<StoredObject>> FindObjects(Connection& c, const ObjectFilter& f);
Result<std::vector<StoredObject>> FindAssocs(Connection& c, const AssociationFilter& f);
Result<StoredObject> GetObject(Connection& c, const std::string& id);
Result<std::vector<std::string>> Explain(Connection& c, const ObjectFilter* f,
                                         const AssociationFilter* af);

}  // namespace renkei::registry::sqlite_internal

#endif  // RENKEI_REGISTRY_SQLITE_REGISTRY_INTERNAL_H_
