// ITI-18/42/57/62 storage: SqliteRegistryStore connections, schema, writes and Apply.
// Schema and query plans: registry/sqlite_registry_internal.h.
#include "registry/sqlite_registry_store.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "registry/sqlite_registry_internal.h"
#include "xds/xds_constants.h"
#include "xds/xds_errors.h"

namespace renkei::registry {
namespace sqlite_internal {

bool IsBusy(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Status SqliteError(sqlite3* db, int rc, const std::string& what) {
  std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (IsBusy(rc)) return xds::XdsStatus(xds::XdsError::kRegistryBusy, msg);
  return xds::XdsStatus(xds::XdsError::kRegistryError, msg);
}

// --- Stmt

Stmt::~Stmt() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    --*outstanding_;
  }
}

void Stmt::Bind(int index, const Value& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    sqlite3_bind_null(stmt_, index);
  } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
    sqlite3_bind_int64(stmt_, index, *i);
  } else {
    const std::string& s = std::get<std::string>(value);
    sqlite3_bind_text(stmt_, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
}

void Stmt::BindAll(const std::vector<Value>& values) {
  for (size_t i = 0; i < values.size(); ++i) Bind(static_cast<int>(i + 1), values[i]);
}

int Stmt::Step() { return sqlite3_step(stmt_); }

Status Stmt::Run(const char* what) {
  int rc;
  while ((rc = Step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return SqliteError(db_, rc, what);
  return Status::Ok();
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

// --- xds_like(value, pattern): the LIKE of stored-query wildcard parameters
// (ITI TF-2 3.18.4.1.2.3.5: '%' matches any string, '_' any single character; '\' makes
// the next character literal). Case-sensitive, as SQL LIKE in ebRS 3.0 stored queries;
// '_' matches one UTF-8 character, not one byte.
namespace {

size_t Utf8Len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xe) return 3;
  if ((c >> 3) == 0x1e) return 4;
  return 1;
}

bool LikeMatch(const char* v, size_t vn, const char* p, size_t pn) {
  size_t vi = 0, pi = 0;
  size_t star_p = std::string::npos, star_v = 0;
  while (vi < vn) {
    if (pi < pn && p[pi] == '%') {
      star_p = ++pi;
      star_v = vi;
      continue;
    }
    if (pi < pn && p[pi] == '_') {
      vi += Utf8Len(static_cast<unsigned char>(v[vi]));
      ++pi;
      continue;
    }
    if (pi < pn) {
      size_t lit = pi;
      if (p[pi] == '\\' && pi + 1 < pn) lit = pi + 1;
      if (p[lit] == v[vi]) {
        pi = lit + 1;
        ++vi;
        continue;
      }
    }
    if (star_p == std::string::npos) return false;
    star_v += Utf8Len(static_cast<unsigned char>(v[star_v]));
    vi = star_v;
    pi = star_p;
  }
  while (pi < pn && p[pi] == '%') ++pi;
  return pi == pn;
}

void XdsLikeFunc(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  const char* v = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const char* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  if (v == nullptr || p == nullptr) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  sqlite3_result_int(ctx, LikeMatch(v, static_cast<size_t>(sqlite3_value_bytes(argv[0])), p,
                                    static_cast<size_t>(sqlite3_value_bytes(argv[1])))
                              ? 1
                              : 0);
}

}  // namespace

// --- Connection

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only,
                                                     int busy_timeout_ms, int cache_kib,
                                                     bool synchronous_full) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
              (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqliteError(db, rc, "open " + path);
    sqlite3_close(db);
    return st;
  }
  std::unique_ptr<Connection> c(new Connection(db));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_create_function(db, "xds_like", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                          &XdsLikeFunc, nullptr, nullptr);
  // mmap: readers map the file instead of copying every page through pread (the bench saw
  // 13 % of a FindDocuments in pread). 8 KiB pages: a DocumentEntry's fragment (~6 KB) fits in
  // one leaf page instead of spilling into an overflow page; page_size only takes effect on a
  // new, empty database, so it comes before journal_mode=WAL.
  std::string pragmas = "PRAGMA cache_size=-" + std::to_string(cache_kib) +
                        "; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;";
  if (!read_only) {
    pragmas = "PRAGMA page_size=8192; " + pragmas;
    pragmas += std::string(" PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
               (synchronous_full ? "FULL;" : "NORMAL;");
  }
  rc = c->Exec(pragmas.c_str());
  if (rc != SQLITE_OK) return SqliteError(db, rc, "configure " + path);
  return c;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Stmt> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(db_, it->second, &outstanding_);
  // Dynamic statements differ by the number of IN-list items and filters; keep the cache
  // bounded.
  if (cache_.size() >= 512 && outstanding_ == 0) {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
  cache_.emplace(sql, stmt);
  return Stmt(db_, stmt, &outstanding_);
}

int Connection::Exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

// --- schema

namespace {
constexpr char kSchemaSql[] = R"sql(
CREATE TABLE IF NOT EXISTS objects(
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  lid TEXT NOT NULL,
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
CREATE TABLE IF NOT EXISTS leaves(seq INTEGER PRIMARY KEY, xml BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS objects_patient ON objects(patient_id, kind, status)
  WHERE patient_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_unique ON objects(unique_id) WHERE unique_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_lid ON objects(lid, version);
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

}  // namespace sqlite_internal

using namespace sqlite_internal;  // NOLINT: this file implements them

namespace {

// The write side over the writer connection; valid inside one Apply.
class SqliteTransaction : public RegistryTransaction {
 public:
  explicit SqliteTransaction(Connection& c) : c_(c) {}

  // True when a statement failed with SQLITE_BUSY: Apply rolls back and retries.
  bool busy() const { return busy_; }

  Status Put(const StoredObject& o) override {
    auto st = c_.Prepare(
        "INSERT INTO objects(id, lid, version, kind, status, object_type, unique_id, "
        "patient_id, home, submitter, hash, size, repository_unique_id, source_id, "
        "assoc_type, source, target, attrs) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    BindObject(s, o);
    int rc = s.Step();
    if (rc != SQLITE_DONE) {
      if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        return Status::Conflict(xds::XdsErrorCode(xds::XdsError::kRegistryMetadataError),
                                "an object with this entryUUID is already registered", o.id);
      }
      return Check(SqliteError(c_.db(), rc, "insert object"));
    }
    int64_t seq = sqlite3_last_insert_rowid(c_.db());
    RENKEI_RETURN_IF_ERROR(AddCount(static_cast<int64_t>(o.kind), 1));
    RENKEI_RETURN_IF_ERROR(PutLeaf(seq, o.leaf_xml));
    return InsertChildren(seq, o);
  }

  Status Replace(const StoredObject& o) override {
    auto found = Seq(o.id);
    if (!found.ok()) return found.status();
    const int64_t* seq = &found->first;
    if (found->second != static_cast<int64_t>(o.kind)) {
      RENKEI_RETURN_IF_ERROR(AddCount(found->second, -1));
      RENKEI_RETURN_IF_ERROR(AddCount(static_cast<int64_t>(o.kind), 1));
    }
    RENKEI_RETURN_IF_ERROR(DeleteChildren(*seq));
    auto st = c_.Prepare(
        "UPDATE objects SET id=?, lid=?, version=?, kind=?, status=?, object_type=?, "
        "unique_id=?, patient_id=?, home=?, submitter=?, hash=?, size=?, "
        "repository_unique_id=?, source_id=?, assoc_type=?, source=?, target=?, attrs=? "
        "WHERE seq=?");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    BindObject(s, o);
    s.Bind(19, *seq);
    RENKEI_RETURN_IF_ERROR(Check(s.Run("replace object")));
    RENKEI_RETURN_IF_ERROR(PutLeaf(*seq, o.leaf_xml));
    return InsertChildren(*seq, o);
  }

  Status SetStatus(const std::string& id, const std::string& status) override {
    auto st = c_.Prepare("UPDATE objects SET status=? WHERE id=?");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.Bind(1, EncodeStatus(status));
    s.Bind(2, id);
    RENKEI_RETURN_IF_ERROR(Check(s.Run("set status")));
    if (sqlite3_changes(c_.db()) == 0) return NotFound(id);
    return Status::Ok();
  }

  Status Remove(const std::string& id) override {
    auto found = Seq(id);
    if (!found.ok()) return found.status();
    const int64_t* seq = &found->first;
    RENKEI_RETURN_IF_ERROR(AddCount(found->second, -1));
    RENKEI_RETURN_IF_ERROR(DeleteChildren(*seq));
    auto st = c_.Prepare("DELETE FROM objects WHERE seq=?");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.Bind(1, *seq);
    return Check(s.Run("delete object"));
  }

  Result<std::vector<StoredObject>> Find(const ObjectFilter& filter) override {
    auto r = FindObjects(c_, filter);
    if (!r.ok()) (void)Check(r.status());
    return r;
  }
  Result<std::vector<StoredObject>> FindAssociations(const AssociationFilter& filter) override {
    auto r = FindAssocs(c_, filter);
    if (!r.ok()) (void)Check(r.status());
    return r;
  }
  Result<StoredObject> Get(const std::string& id) override {
    auto r = GetObject(c_, id);
    if (!r.ok()) (void)Check(r.status());
    return r;
  }

 private:
  Status Check(Status st) {
    if (st.IsUnavailable()) busy_ = true;
    return st;
  }

  static Status NotFound(const std::string& id) {
    return xds::XdsStatus(xds::XdsError::kObjectNotFound, "no registry object with this id", id);
  }

  // (seq, kind) of the object with this id.
  Result<std::pair<int64_t, int64_t>> Seq(const std::string& id) {
    auto st = c_.Prepare("SELECT seq, kind FROM objects WHERE id=?");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.Bind(1, id);
    int rc = s.Step();
    if (rc == SQLITE_ROW) return std::make_pair(s.Int(0), s.Int(1));
    if (rc == SQLITE_DONE) return NotFound(id);
    return Check(SqliteError(c_.db(), rc, "find object"));
  }

  // Keeps counts(kind, n) in step, so Count is one row read at any registry size.
  Status AddCount(int64_t kind, int64_t delta) {
    auto st = c_.Prepare(
        "INSERT INTO counts(kind, n) VALUES(?1, ?2) ON CONFLICT(kind) DO UPDATE SET n=n+?2");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.Bind(1, kind);
    s.Bind(2, delta);
    return Check(s.Run("count"));
  }

  void BindObject(Stmt& s, const StoredObject& o) {
    s.Bind(1, o.id);
    s.Bind(2, o.lid.empty() ? o.id : o.lid);
    s.Bind(3, o.version);
    s.Bind(4, static_cast<int64_t>(o.kind));
    s.Bind(5, EncodeStatus(o.status));
    s.Bind(6, EncodeObjectType(o.object_type));
    s.Bind(7, TextOrNull(o.unique_id));
    s.Bind(8, TextOrNull(o.patient_id));
    s.Bind(9, TextOrNull(o.home));
    s.Bind(10, TextOrNull(o.submitter));
    s.Bind(11, TextOrNull(o.hash));
    s.Bind(12, TextOrNull(o.size));
    s.Bind(13, TextOrNull(o.repository_unique_id));
    s.Bind(14, TextOrNull(o.source_id));
    s.Bind(15, EncodeAssocType(o.assoc_type));
    s.Bind(16, TextOrNull(o.source));
    s.Bind(17, TextOrNull(o.target));
    std::string attrs = EncodeAttrs(o);
    sqlite3_bind_blob(s.raw(), 18, attrs.data(), static_cast<int>(attrs.size()), SQLITE_TRANSIENT);
  }

  // The encoded element lives in its own table: objects rows stay small and dense, so
  // index range scans and ObjectRef answers read few pages.
  Status PutLeaf(int64_t seq, const std::string& xml) {
    auto st = c_.Prepare("INSERT OR REPLACE INTO leaves(seq, xml) VALUES(?,?)");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.Bind(1, seq);
    sqlite3_bind_blob(s.raw(), 2, xml.data(), static_cast<int>(xml.size()), SQLITE_TRANSIENT);
    return Check(s.Run("put leaf"));
  }

  Status InsertChildren(int64_t seq, const StoredObject& o) {
    // OR IGNORE: a repeated identical value (same code twice) is one fact.
    if (!o.codes.empty()) {
      auto st = c_.Prepare("INSERT OR IGNORE INTO codes(seq, attr, code, scheme) VALUES(?,?,?,?)");
      if (!st.ok()) return Check(st.status());
      Stmt s = std::move(st.value());
      for (const StoredCode& c : o.codes) {
        s.Bind(1, seq);
        s.Bind(2, static_cast<int64_t>(c.attr));
        s.Bind(3, c.code);
        s.Bind(4, c.scheme);
        RENKEI_RETURN_IF_ERROR(Check(s.Run("insert code")));
        sqlite3_reset(s.raw());
      }
    }
    if (!o.times.empty()) {
      auto st = c_.Prepare("INSERT OR IGNORE INTO times(seq, attr, value, raw) VALUES(?,?,?,?)");
      if (!st.ok()) return Check(st.status());
      Stmt s = std::move(st.value());
      for (const StoredTime& t : o.times) {
        s.Bind(1, seq);
        s.Bind(2, static_cast<int64_t>(t.attr));
        s.Bind(3, NormalizeDtm(t.value));
        s.Bind(4, t.value);
        RENKEI_RETURN_IF_ERROR(Check(s.Run("insert time")));
        sqlite3_reset(s.raw());
      }
    }
    if (!o.author_persons.empty()) {
      auto st = c_.Prepare("INSERT OR IGNORE INTO authors(seq, person) VALUES(?,?)");
      if (!st.ok()) return Check(st.status());
      Stmt s = std::move(st.value());
      for (const std::string& a : o.author_persons) {
        s.Bind(1, seq);
        s.Bind(2, a);
        RENKEI_RETURN_IF_ERROR(Check(s.Run("insert author")));
        sqlite3_reset(s.raw());
      }
    }
    if (!o.reference_ids.empty()) {
      auto st = c_.Prepare("INSERT OR IGNORE INTO refids(seq, value) VALUES(?,?)");
      if (!st.ok()) return Check(st.status());
      Stmt s = std::move(st.value());
      for (const std::string& r : o.reference_ids) {
        s.Bind(1, seq);
        s.Bind(2, r);
        RENKEI_RETURN_IF_ERROR(Check(s.Run("insert referenceId")));
        sqlite3_reset(s.raw());
      }
    }
    return Status::Ok();
  }

  Status DeleteChildren(int64_t seq) {
    for (const char* sql : {"DELETE FROM codes WHERE seq=?", "DELETE FROM times WHERE seq=?",
                            "DELETE FROM authors WHERE seq=?", "DELETE FROM refids WHERE seq=?",
                            "DELETE FROM leaves WHERE seq=?"}) {
      auto st = c_.Prepare(sql);
      if (!st.ok()) return Check(st.status());
      Stmt s = std::move(st.value());
      s.Bind(1, seq);
      RENKEI_RETURN_IF_ERROR(Check(s.Run("delete children")));
    }
    return Status::Ok();
  }

  Connection& c_;
  bool busy_ = false;
};

thread_local const void* t_in_apply = nullptr;

}  // namespace

class SqliteRegistryStore::Impl {
 public:
  Options options;
  bool memory = false;
  std::recursive_mutex writer_mu;  // recursive: a read on the Apply thread uses the writer
  std::unique_ptr<Connection> writer;
  std::mutex pool_mu;
  std::condition_variable pool_cv;
  std::vector<std::unique_ptr<Connection>> idle;
  // Background WAL checkpointer (Options::checkpoint_interval_ms).
  std::unique_ptr<Connection> checkpoint_conn;
  std::thread checkpointer;
  std::mutex checkpoint_mu;
  std::condition_variable checkpoint_cv;
  bool stopping = false;

  ~Impl() {
    if (checkpointer.joinable()) {
      {
        std::lock_guard<std::mutex> lock(checkpoint_mu);
        stopping = true;
      }
      checkpoint_cv.notify_all();
      checkpointer.join();
    }
  }

  void CheckpointLoop() {
    const auto interval = std::chrono::milliseconds(options.checkpoint_interval_ms);
    std::unique_lock<std::mutex> lock(checkpoint_mu);
    while (!checkpoint_cv.wait_for(lock, interval, [this] { return stopping; })) {
      lock.unlock();
      // PASSIVE: copies what no reader still needs, never waits for or blocks writers.
      checkpoint_conn->Exec("PRAGMA wal_checkpoint(PASSIVE)");
      lock.lock();
    }
    checkpoint_conn->Exec("PRAGMA wal_checkpoint(PASSIVE)");
  }

  // Runs `fn(Connection&)` on a reader (or, for memory databases, the writer).
  template <typename Fn>
  auto WithReader(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    if (memory || t_in_apply == this) {
      std::lock_guard<std::recursive_mutex> lock(writer_mu);
      return fn(*writer);
    }
    std::unique_ptr<Connection> c;
    {
      std::unique_lock<std::mutex> lock(pool_mu);
      pool_cv.wait(lock, [&] { return !idle.empty(); });
      c = std::move(idle.back());
      idle.pop_back();
    }
    // A read is one statement: sqlite gives it one consistent snapshot (WAL).
    auto result = fn(*c);
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      idle.push_back(std::move(c));
    }
    pool_cv.notify_one();
    return result;
  }
};

SqliteRegistryStore::SqliteRegistryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteRegistryStore::~SqliteRegistryStore() = default;

Result<std::unique_ptr<SqliteRegistryStore>> SqliteRegistryStore::Open(const std::string& path,
                                                                       Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->memory = path == ":memory:" || path.empty();
  auto writer = Connection::Open(impl->memory ? ":memory:" : path, false, options.busy_timeout_ms,
                                 options.cache_kib, options.synchronous_full);
  if (!writer.ok()) return writer.status();
  impl->writer = std::move(writer.value());
  RENKEI_RETURN_IF_ERROR(EnsureSchema(*impl->writer));
  if (!impl->memory && options.checkpoint_interval_ms > 0) {
    if (impl->writer->Exec("PRAGMA wal_autocheckpoint=0") != SQLITE_OK) {
      return SqliteError(impl->writer->db(), SQLITE_ERROR, "configure checkpoints");
    }
    auto cp = Connection::Open(path, false, options.busy_timeout_ms, 1024, false);
    if (!cp.ok()) return cp.status();
    impl->checkpoint_conn = std::move(cp.value());
    impl->checkpointer = std::thread([p = impl.get()] { p->CheckpointLoop(); });
  }
  if (!impl->memory) {
    int n = options.reader_connections < 1 ? 1 : options.reader_connections;
    for (int i = 0; i < n; ++i) {
      auto r = Connection::Open(path, true, options.busy_timeout_ms, options.cache_kib, false);
      if (!r.ok()) return r.status();
      impl->idle.push_back(std::move(r.value()));
    }
  }
  return std::unique_ptr<SqliteRegistryStore>(new SqliteRegistryStore(std::move(impl)));
}

Status SqliteRegistryStore::Apply(const std::function<Status(RegistryTransaction&)>& fn) {
  if (t_in_apply == impl_.get()) {
    return xds::XdsStatus(xds::XdsError::kRegistryError, "nested RegistryStore::Apply");
  }
  std::lock_guard<std::recursive_mutex> lock(impl_->writer_mu);
  Connection& c = *impl_->writer;
  struct InApply {
    const void* self;
    explicit InApply(const void* s) : self(s) { t_in_apply = s; }
    ~InApply() { t_in_apply = nullptr; }
  };
  Status last;
  for (int attempt = 0; attempt <= impl_->options.max_busy_retries; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100, 1 << attempt)));
    }
    int rc = c.Exec("BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
      last = SqliteError(c.db(), rc, "begin");
      if (IsBusy(rc)) continue;
      return last;
    }
    SqliteTransaction tx(c);
    Status st;
    {
      InApply guard(impl_.get());
      try {
        st = fn(tx);
      } catch (...) {
        c.Exec("ROLLBACK");
        throw;
      }
    }
    if (!st.ok() || tx.busy()) {
      c.Exec("ROLLBACK");
      if (tx.busy()) {
        last = st.ok() ? xds::XdsStatus(xds::XdsError::kRegistryBusy, "database busy") : st;
        continue;
      }
      return st;
    }
    rc = c.Exec("COMMIT");
    if (rc == SQLITE_OK) return Status::Ok();
    last = SqliteError(c.db(), rc, "commit");
    c.Exec("ROLLBACK");
    if (!IsBusy(rc)) return last;
  }
  return last;
}

Result<std::vector<StoredObject>> SqliteRegistryStore::Find(const ObjectFilter& filter) {
  return impl_->WithReader([&](Connection& c) { return FindObjects(c, filter); });
}

Result<std::vector<StoredObject>> SqliteRegistryStore::FindAssociations(
    const AssociationFilter& filter) {
  return impl_->WithReader([&](Connection& c) { return FindAssocs(c, filter); });
}

Result<StoredObject> SqliteRegistryStore::Get(const std::string& id) {
  return impl_->WithReader([&](Connection& c) { return GetObject(c, id); });
}

Result<int64_t> SqliteRegistryStore::Count(EntryKind kind) {
  return impl_->WithReader([&](Connection& c) -> Result<int64_t> {
    auto st = c.Prepare("SELECT n FROM counts WHERE kind=?");
    if (!st.ok()) return st.status();
    Stmt s = std::move(st.value());
    s.Bind(1, static_cast<int64_t>(kind));
    int rc = s.Step();
    if (rc == SQLITE_DONE) return static_cast<int64_t>(0);
    if (rc != SQLITE_ROW) return SqliteError(c.db(), rc, "count");
    return s.Int(0);
  });
}

Result<std::vector<std::string>> SqliteRegistryStore::ExplainFind(const ObjectFilter& filter) {
  return impl_->WithReader([&](Connection& c) { return Explain(c, &filter, nullptr); });
}

Result<std::vector<std::string>> SqliteRegistryStore::ExplainFindAssociations(
    const AssociationFilter& filter) {
  return impl_->WithReader([&](Connection& c) { return Explain(c, nullptr, &filter); });
}

}  // namespace renkei::registry
