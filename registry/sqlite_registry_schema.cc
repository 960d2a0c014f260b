// The registry store's schema and row encodings: tables and indexes, URN <-> small-integer
// columns, DTM normalisation and the compact attrs blob (see sqlite_registry_internal.h).
#include <string>
#include <vector>

#include "common/log.h"
#include "registry/sqlite_registry_internal.h"
#include "xds/xds_constants.h"
#include "xds/xds_errors.h"

namespace renkei::registry::sqlite_internal {

namespace {
constexpr char kSchemaSql[] = R"sql(
CREATE TABLE IF NOT EXISTS objects(
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  lid TEXT,
  version INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  status,
  object_type,
  unique_id TEXT,
  patient_id TEXT,
  home TEXT,
  submitter TEXT,
  hash TEXT,
  size TEXT,
  repository_unique_id TEXT,
  source_id TEXT,
  assoc_type,
  source TEXT,
  target TEXT,
  attrs BLOB);
CREATE TABLE IF NOT EXISTS leaves(
  cluster INTEGER NOT NULL, kind INTEGER NOT NULL, seq INTEGER NOT NULL, xml BLOB NOT NULL,
  PRIMARY KEY(cluster, kind, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS objects_patient
  ON objects(patient_id, kind, status, object_type, submitter, id) WHERE patient_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_unique ON objects(unique_id) WHERE unique_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_lid ON objects(lid, version) WHERE lid IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_source ON objects(source) WHERE source IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_target ON objects(target) WHERE target IS NOT NULL;
CREATE TABLE IF NOT EXISTS codes(
  seq INTEGER NOT NULL, attr INTEGER NOT NULL, code TEXT NOT NULL, scheme TEXT NOT NULL,
  PRIMARY KEY(seq, attr, code, scheme)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS times(
  seq INTEGER NOT NULL, attr INTEGER NOT NULL, value TEXT NOT NULL, raw TEXT NOT NULL,
  PRIMARY KEY(seq, attr, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS authors(
  seq INTEGER NOT NULL, person TEXT NOT NULL, PRIMARY KEY(seq, person)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counts(kind INTEGER PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS refids(
  seq INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY(seq, value)) WITHOUT ROWID;
)sql";
}  // namespace

namespace {
// Stores made before the authorization filter have objects_patient without the submitter
// column: answers are the same, but a query restricted to some submitters
// (docs/authorization.md) reads each object row instead of the index alone.
void WarnOnOldPatientIndex(Connection& c) {
  auto st = c.Prepare(
      "SELECT count(*), sum(name='submitter') FROM pragma_index_info('objects_patient')");
  if (!st.ok()) return;
  Stmt s = std::move(st.value());
  if (s.Step() != SQLITE_ROW || s.Int(0) == 0 || s.Int(1) > 0) return;
  LogWarning(
      "registry: index objects_patient has no submitter column (made before the authorization "
      "filter): filtered queries read every object row; rebuild it with DROP INDEX "
      "objects_patient and a restart (docs/authorization.md)");
}
}  // namespace

Status EnsureSchema(Connection& c) {
  auto st = c.Prepare("PRAGMA user_version");
  if (!st.ok()) return st.status();
  int64_t version = 0;
  {
    Stmt s = std::move(st.value());
    if (s.Step() == SQLITE_ROW) version = s.Int(0);
  }
  if (version != 0 && version != kSchemaVersion) {
    return xds::XdsStatus(xds::XdsError::kRegistryError,
                          "registry database has schema version " + std::to_string(version) +
                              ", this program expects " + std::to_string(kSchemaVersion));
  }
  int rc = c.Exec("BEGIN IMMEDIATE");
  if (rc != SQLITE_OK) return SqliteError(c.db(), rc, "begin schema");
  rc = c.Exec(kSchemaSql);
  if (rc == SQLITE_OK) {
    rc = c.Exec(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
  }
  if (rc != SQLITE_OK) {
    Status err = SqliteError(c.db(), rc, "create schema");
    c.Exec("ROLLBACK");
    return err;
  }
  rc = c.Exec("COMMIT");
  if (rc != SQLITE_OK) return SqliteError(c.db(), rc, "commit schema");
  WarnOnOldPatientIndex(c);
  return Status::Ok();
}

Status DropSecondaryIndexes(Connection& c) {
  int rc = c.Exec(
      "DROP INDEX IF EXISTS objects_patient; DROP INDEX IF EXISTS objects_unique; "
      "DROP INDEX IF EXISTS objects_lid; DROP INDEX IF EXISTS objects_source; "
      "DROP INDEX IF EXISTS objects_target;");
  if (rc != SQLITE_OK) return SqliteError(c.db(), rc, "drop indexes");
  return Status::Ok();
}

// --- encodings

namespace {
const char* const kStatuses[] = {xds::kStatusApproved, xds::kStatusDeprecated,
                                 xds::kStatusSubmitted};
const char* const kObjectTypes[] = {xds::kObjectTypeStableDocument,
                                    xds::kObjectTypeOnDemandDocument,
                                    xds::kObjectTypeRegistryPackage, xds::kObjectTypeAssociation};
const char* const kAssocTypes[] = {xds::kAssocHasMember,    xds::kAssocRplc,
                                   xds::kAssocApnd,         xds::kAssocXfrm,
                                   xds::kAssocXfrmRplc,     xds::kAssocSigns,
                                   xds::kAssocIsSnapshotOf, xds::kAssocUpdateAvailabilityStatus};

template <size_t N>
Value Encode(const char* const (&table)[N], const std::string& urn) {
  if (urn.empty()) return std::monostate{};
  for (size_t i = 0; i < N; ++i) {
    if (urn == table[i]) return static_cast<int64_t>(i + 1);
  }
  return urn;
}

template <size_t N>
std::string Decode(const char* const (&table)[N], const Stmt& s, int col) {
  int type = sqlite3_column_type(s.raw(), col);
  if (type == SQLITE_NULL) return std::string();
  if (type == SQLITE_INTEGER) {
    int64_t i = s.Int(col);
    if (i >= 1 && static_cast<size_t>(i) <= N) return table[i - 1];
  }
  return s.Text(col);
}
}  // namespace

Value EncodeStatus(const std::string& urn) { return Encode(kStatuses, urn); }
Value EncodeObjectType(const std::string& urn) { return Encode(kObjectTypes, urn); }
Value EncodeAssocType(const std::string& urn) { return Encode(kAssocTypes, urn); }
std::string DecodeStatus(const Stmt& s, int col) { return Decode(kStatuses, s, col); }
std::string DecodeObjectType(const Stmt& s, int col) { return Decode(kObjectTypes, s, col); }
std::string DecodeAssocType(const Stmt& s, int col) { return Decode(kAssocTypes, s, col); }

Value TextOrNull(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

std::string NormalizeDtm(const std::string& dtm) {
  // YYYY MM DD hh mm ss: missing month/day become 01, missing hh/mm/ss 00.
  static const char kFill[] = "00000101000000";
  std::string out;
  out.reserve(14);
  for (char ch : dtm) {
    if (out.size() == 14) break;
    if (ch < '0' || ch > '9') break;
    out.push_back(ch);
  }
  for (size_t i = out.size(); i < 14; ++i) out.push_back(kFill[i]);
  return out;
}

namespace {
void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void PutString(std::string& out, const std::string& s) {
  PutVarint(out, s.size());
  out.append(s);
}
struct Reader {
  const unsigned char* p;
  const unsigned char* end;
  bool GetVarint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= end) return false;
      unsigned char b = *p++;
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }
  bool GetString(std::string* s) {
    uint64_t n;
    if (!GetVarint(&n) || static_cast<uint64_t>(end - p) < n) return false;
    s->assign(reinterpret_cast<const char*>(p), n);
    p += n;
    return true;
  }
};
}  // namespace

std::string EncodeAttrs(const StoredObject& o) {
  std::string out;
  PutVarint(out, o.codes.size());
  for (const StoredCode& c : o.codes) {
    PutVarint(out, static_cast<uint64_t>(c.attr));
    PutString(out, c.code);
    PutString(out, c.scheme);
  }
  PutVarint(out, o.times.size());
  for (const StoredTime& t : o.times) {
    PutVarint(out, static_cast<uint64_t>(t.attr));
    PutString(out, t.value);
  }
  PutVarint(out, o.author_persons.size());
  for (const std::string& a : o.author_persons) PutString(out, a);
  PutVarint(out, o.reference_ids.size());
  for (const std::string& r : o.reference_ids) PutString(out, r);
  return out;
}

bool DecodeAttrs(const void* data, int size, StoredObject* o) {
  if (data == nullptr || size == 0) return true;
  Reader r{static_cast<const unsigned char*>(data), static_cast<const unsigned char*>(data) + size};
  uint64_t n, attr;
  if (!r.GetVarint(&n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    StoredCode c;
    if (!r.GetVarint(&attr) || !r.GetString(&c.code) || !r.GetString(&c.scheme)) return false;
    c.attr = static_cast<CodeAttr>(attr);
    o->codes.push_back(std::move(c));
  }
  if (!r.GetVarint(&n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    StoredTime t;
    if (!r.GetVarint(&attr) || !r.GetString(&t.value)) return false;
    t.attr = static_cast<TimeAttr>(attr);
    o->times.push_back(std::move(t));
  }
  if (!r.GetVarint(&n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string s;
    if (!r.GetString(&s)) return false;
    o->author_persons.push_back(std::move(s));
  }
  if (!r.GetVarint(&n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string s;
    if (!r.GetString(&s)) return false;
    o->reference_ids.push_back(std::move(s));
  }
  return true;
}

}  // namespace renkei::registry::sqlite_internal
