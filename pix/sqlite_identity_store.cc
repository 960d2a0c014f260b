// SqliteIdentityStore (see sqlite_identity_store.h and identity_store.h for the rules).
#include "pix/sqlite_identity_store.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <algorithm>
#include <mutex>
#include <set>

#include "common/sqlite_connection.h"
#include "common/utc_time.h"

namespace renkei::pix {

namespace {

using sqlite::Connection;
using sqlite::Stmt;
using sqlite::Value;

constexpr int kSchemaVersion = 1;

constexpr char kSchemaSql[] = R"sql(
CREATE TABLE IF NOT EXISTS patients(
  pid INTEGER PRIMARY KEY, regional_id TEXT NOT NULL UNIQUE, merged_into INTEGER,
  birth_date TEXT, sex TEXT, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS identifiers(
  oid TEXT NOT NULL, value TEXT NOT NULL, pid INTEGER NOT NULL, retired INTEGER NOT NULL,
  PRIMARY KEY(oid, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS identifiers_pid ON identifiers(pid);
CREATE TABLE IF NOT EXISTS names(
  pid INTEGER NOT NULL, ord INTEGER NOT NULL, family TEXT, given TEXT, middle TEXT, type TEXT,
  representation TEXT, family_key TEXT, given_key TEXT, PRIMARY KEY(pid, ord)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_family ON names(family_key);
CREATE INDEX IF NOT EXISTS names_given ON names(given_key);
CREATE TABLE IF NOT EXISTS addresses(
  pid INTEGER NOT NULL, ord INTEGER NOT NULL, street TEXT, other TEXT, city TEXT, state TEXT,
  postal_code TEXT, country TEXT, type TEXT, PRIMARY KEY(pid, ord)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS phones(
  pid INTEGER NOT NULL, ord INTEGER NOT NULL, value TEXT, PRIMARY KEY(pid, ord)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history(
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, pid INTEGER,
  other_pid INTEGER, detail TEXT);
)sql";

Status StoreError(sqlite3* db, int rc, const std::string& what) {
  std::string msg = "identity store: " + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (sqlite::IsBusy(rc)) return Status::Unavailable("207", msg);
  return Status::Internal("207", msg);
}

// Search key of a name: ASCII letters lower-cased, everything else (kanji, kana) as is.
std::string NameKey(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Now() { return UtcNow(kIso8601Utc); }

// LIKE pattern for a prefix or substring, with the wildcards of the value escaped.
std::string LikeEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

class SqliteIdentityStore::Impl {
 public:
  Options options;
  std::mutex mu;                  // the writer; and every read of a memory database
  std::unique_ptr<Connection> c;
  // Read-only connections (WAL: each read sees the last commit and never waits for a
  // writer); none for ":memory:".
  sqlite::ReaderPool readers;
  bool pooled = false;

  // Runs `fn(Connection&)` on a reader, or on the writer under its mutex.
  template <typename Fn>
  auto WithReader(Fn fn) -> decltype(fn(*c)) {
    if (!pooled) {
      std::lock_guard<std::mutex> lock(mu);
      return fn(*c);
    }
    return readers.With(fn);
  }

  Result<Stmt> Prepare(const std::string& sql) { return c->Prepare(sql); }

  Status Exec(const char* sql, const char* what) {
    int rc = c->Exec(sql);
    return rc == SQLITE_OK ? Status::Ok() : c->Error(rc, what);
  }

  // Runs `fn` in one write transaction; rolls back on any error.
  template <typename Fn>
  auto InTransaction(Fn fn) -> decltype(fn()) {
    RENKEI_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "begin"));
    auto r = fn();
    if (!r.ok()) {
      c->Exec("ROLLBACK");
      return r;
    }
    Status st = Exec("COMMIT", "commit");
    if (!st.ok()) {
      c->Exec("ROLLBACK");
      return st;
    }
    return r;
  }

  // The pid `id` resolves to, and whether it is retired; 0 when unknown.
  // Reads take the connection to read on: a reader of the pool, or the writer inside a
  // write transaction (the default).
  Result<std::pair<int64_t, bool>> Resolve(const Cx& id, Connection* on = nullptr) {
    Connection& k = on ? *on : *c;
    RENKEI_ASSIGN_OR_RETURN(Stmt s, k.Prepare("SELECT pid, retired FROM identifiers WHERE oid=? AND value=?"));
    s.Bind(1, id.oid);
    s.Bind(2, id.id);
    int rc = s.Step();
    if (rc == SQLITE_ROW) return std::make_pair(s.Int(0), s.Int(1) != 0);
    if (rc != SQLITE_DONE) return k.Error(rc, "resolve");
    return std::make_pair(int64_t{0}, false);
  }

  Status History(const std::string& action, int64_t pid, int64_t other, const std::string& detail) {
    RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare("INSERT INTO history(at, action, pid, other_pid, detail) VALUES(?,?,?,?,?)"));
    s.Bind(1, Now());
    s.Bind(2, action);
    s.Bind(3, pid);
    s.Bind(4, other ? Value(other) : Value());
    s.Bind(5, detail);
    return s.Run("history");
  }

  Result<int64_t> CreatePatient() {
    // Inside the caller's write transaction (BEGIN IMMEDIATE): nobody else inserts.
    int64_t pid = 1;
    {
      RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare("SELECT COALESCE(MAX(pid), 0) + 1 FROM patients"));
      if (s.Step() == SQLITE_ROW) pid = s.Int(0);
    }
    char digits[32];
    std::snprintf(digits, sizeof digits, "%010lld", static_cast<long long>(pid));
    const std::string regional = options.id_prefix + digits;
    RENKEI_ASSIGN_OR_RETURN(Stmt ins, Prepare("INSERT INTO patients(pid, regional_id, updated) VALUES(?,?,?)"));
    ins.BindAll({pid, regional, Now()});
    RENKEI_RETURN_IF_ERROR(ins.Run("create patient"));
    RENKEI_RETURN_IF_ERROR(Link(Cx{regional, "", options.regional_oid, ""}, pid, false));
    RENKEI_RETURN_IF_ERROR(History("create", pid, 0, regional));
    return pid;
  }

  Status Link(const Cx& id, int64_t pid, bool retired) {
    RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare("INSERT INTO identifiers(oid, value, pid, retired) VALUES(?,?,?,?)"));
    s.Bind(1, id.oid);
    s.Bind(2, id.id);
    s.Bind(3, pid);
    s.Bind(4, int64_t{retired ? 1 : 0});
    return s.Run("link");
  }

  Status CheckOids(const std::vector<Cx>& ids, const char* where) {
    for (const Cx& id : ids) {
      if (id.oid.empty()) {
        return Status::InvalidArgument(
            "204", "identifier " + id.id + " has no assigning authority OID" +
                       (id.namespace_id.empty() ? "" : " (namespace " + id.namespace_id + " is not configured)"),
            where);
      }
    }
    return Status::Ok();
  }

  // The one patient the identifiers name (0: none), following the rules of the header.
  Result<int64_t> PatientOf(const std::vector<Cx>& ids, const char* where) {
    std::set<int64_t> pids;
    for (const Cx& id : ids) {
      RENKEI_ASSIGN_OR_RETURN(auto found, Resolve(id));
      if (found.first != 0) {
        pids.insert(found.first);
      } else if (id.oid == options.regional_oid) {
        return Status::InvalidArgument("204", "unknown regional patient ID " + id.id, where);
      }
    }
    if (pids.size() > 1) {
      return Status::Conflict("205",
                              "the identifiers belong to " + std::to_string(pids.size()) +
                                  " different regional patients; only a merge (A40) joins them",
                              where);
    }
    return pids.empty() ? int64_t{0} : *pids.begin();
  }

  Status LinkNew(const std::vector<Cx>& ids, int64_t pid) {
    for (const Cx& id : ids) {
      RENKEI_ASSIGN_OR_RETURN(auto found, Resolve(id));
      if (found.first != 0) continue;
      RENKEI_RETURN_IF_ERROR(Link(id, pid, false));
      RENKEI_RETURN_IF_ERROR(History("link", pid, 0, FormatCx(id)));
    }
    return Status::Ok();
  }

  Status ReplaceRows(const char* table, int64_t pid) {
    RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare(std::string("DELETE FROM ") + table + " WHERE pid=?"));
    s.Bind(1, pid);
    return s.Run("replace demographics");
  }

  Status UpdateDemographics(const PatientFeed& f, int64_t pid) {
    if (!f.names.empty()) {
      RENKEI_RETURN_IF_ERROR(ReplaceRows("names", pid));
      int ord = 0;
      for (const PersonName& n : f.names) {
        RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare(
            "INSERT INTO names(pid, ord, family, given, middle, type, representation, family_key, "
            "given_key) VALUES(?,?,?,?,?,?,?,?,?)"));
        s.BindAll({pid, int64_t{ord++}, n.family, n.given, n.middle, n.type, n.representation,
                   NameKey(n.family), NameKey(n.given)});
        RENKEI_RETURN_IF_ERROR(s.Run("name"));
      }
    }
    if (!f.addresses.empty()) {
      RENKEI_RETURN_IF_ERROR(ReplaceRows("addresses", pid));
      int ord = 0;
      for (const Address& a : f.addresses) {
        RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare(
            "INSERT INTO addresses(pid, ord, street, other, city, state, postal_code, country, type) "
            "VALUES(?,?,?,?,?,?,?,?,?)"));
        s.BindAll({pid, int64_t{ord++}, a.street, a.other, a.city, a.state, a.postal_code,
                   a.country, a.type});
        RENKEI_RETURN_IF_ERROR(s.Run("address"));
      }
    }
    if (!f.phones.empty()) {
      RENKEI_RETURN_IF_ERROR(ReplaceRows("phones", pid));
      int ord = 0;
      for (const std::string& p : f.phones) {
        RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare("INSERT INTO phones(pid, ord, value) VALUES(?,?,?)"));
        s.BindAll({pid, int64_t{ord++}, p});
        RENKEI_RETURN_IF_ERROR(s.Run("phone"));
      }
    }
    RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare(
        "UPDATE patients SET birth_date=COALESCE(NULLIF(?, ''), birth_date), "
        "sex=COALESCE(NULLIF(?, ''), sex), updated=? WHERE pid=?"));
    s.BindAll({f.birth_date, f.sex, Now(), pid});
    return s.Run("update patient");
  }

  Result<FeedResult> Outcome(int64_t pid, bool created) {
    RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare("SELECT regional_id FROM patients WHERE pid=?"));
    s.Bind(1, pid);
    if (s.Step() != SQLITE_ROW) return Status::Internal("207", "patient vanished");
    return FeedResult{s.Text(0), created};
  }

  Result<FeedResult> FeedLocked(const PatientFeed& f) {
    RENKEI_RETURN_IF_ERROR(CheckOids(f.identifiers, "PID^1^3"));
    RENKEI_ASSIGN_OR_RETURN(int64_t pid, PatientOf(f.identifiers, "PID^1^3"));
    const bool created = pid == 0;
    if (created) {
      RENKEI_ASSIGN_OR_RETURN(pid, CreatePatient());
    }
    RENKEI_RETURN_IF_ERROR(LinkNew(f.identifiers, pid));
    RENKEI_RETURN_IF_ERROR(UpdateDemographics(f, pid));
    RENKEI_RETURN_IF_ERROR(History("feed", pid, 0, f.event));
    return Outcome(pid, created);
  }

  Result<FeedResult> MergeLocked(const PatientFeed& f) {
    RENKEI_RETURN_IF_ERROR(CheckOids(f.merged, "MRG^1^1"));
    RENKEI_ASSIGN_OR_RETURN(FeedResult survivor, FeedLocked(f));
    RENKEI_ASSIGN_OR_RETURN(int64_t s_pid, PatientOf(f.identifiers, "PID^1^3"));
    std::set<int64_t> merged;
    for (const Cx& id : f.merged) {
      RENKEI_ASSIGN_OR_RETURN(auto found, Resolve(id));
      if (found.first != 0 && found.first != s_pid) merged.insert(found.first);
    }
    if (merged.empty()) {
      // Either unknown, or merged already (idempotent).
      bool any_known = false;
      for (const Cx& id : f.merged) {
        RENKEI_ASSIGN_OR_RETURN(auto found, Resolve(id));
        any_known = any_known || found.first != 0;
      }
      if (!any_known) {
        return Status::InvalidArgument("204", "no identifier of MRG-1 is known", "MRG^1^1");
      }
      return survivor;
    }
    for (int64_t m_pid : merged) {
      // Retired: the merged regional ID, and local IDs in domains the survivor has already.
      RENKEI_ASSIGN_OR_RETURN(Stmt s, Prepare(
          "UPDATE identifiers SET retired = CASE WHEN oid=? OR oid IN "
          "(SELECT oid FROM identifiers WHERE pid=? AND retired=0) THEN 1 ELSE retired END, "
          "pid=? WHERE pid=?"));
      s.BindAll({options.regional_oid, s_pid, s_pid, m_pid});
      RENKEI_RETURN_IF_ERROR(s.Run("merge identifiers"));
      RENKEI_ASSIGN_OR_RETURN(Stmt p, Prepare("UPDATE patients SET merged_into=?, updated=? WHERE pid=?"));
      p.BindAll({s_pid, Now(), m_pid});
      RENKEI_RETURN_IF_ERROR(p.Run("merge patient"));
      RENKEI_RETURN_IF_ERROR(History("merge", s_pid, m_pid, f.event));
    }
    return survivor;
  }

  // Live identifiers of `pid`, the regional ID first (one index range of identifiers_pid).
  Result<std::vector<Cx>> LinkedIdentifiers(int64_t pid, Connection* on = nullptr) {
    Connection& k = on ? *on : *c;
    RENKEI_ASSIGN_OR_RETURN(Stmt s, k.Prepare(
        "SELECT oid, value FROM identifiers WHERE pid=? AND retired=0 "
        "ORDER BY oid<>?, oid, value"));
    s.BindAll({pid, options.regional_oid});
    std::vector<Cx> ids;
    while (s.Step() == SQLITE_ROW) ids.push_back(Cx{s.Text(1), "", s.Text(0), ""});
    if (ids.empty() || ids.front().oid != options.regional_oid) {
      return Status::Internal("207", "patient " + std::to_string(pid) + " has no regional ID");
    }
    return ids;
  }

  Result<PatientRecord> Load(int64_t pid, Connection* on = nullptr) {
    Connection& k = on ? *on : *c;
    PatientRecord r;
    {
      RENKEI_ASSIGN_OR_RETURN(Stmt s, k.Prepare("SELECT regional_id, birth_date, sex FROM patients WHERE pid=?"));
      s.Bind(1, pid);
      if (s.Step() != SQLITE_ROW) return Status::NotFound("204", "no such patient");
      r.regional_id = s.Text(0);
      r.birth_date = s.Text(1);
      r.sex = s.Text(2);
    }
    RENKEI_ASSIGN_OR_RETURN(r.identifiers, LinkedIdentifiers(pid, &k));
    {
      RENKEI_ASSIGN_OR_RETURN(Stmt s, k.Prepare(
          "SELECT family, given, middle, type, representation FROM names WHERE pid=? ORDER BY ord"));
      s.Bind(1, pid);
      while (s.Step() == SQLITE_ROW) {
        r.names.push_back(PersonName{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
      }
    }
    {
      RENKEI_ASSIGN_OR_RETURN(Stmt s, k.Prepare(
          "SELECT street, other, city, state, postal_code, country, type FROM addresses "
          "WHERE pid=? ORDER BY ord"));
      s.Bind(1, pid);
      while (s.Step() == SQLITE_ROW) {
        r.addresses.push_back(Address{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4),
                                      s.Text(5), s.Text(6)});
      }
    }
    {
      RENKEI_ASSIGN_OR_RETURN(Stmt s, k.Prepare("SELECT value FROM phones WHERE pid=? ORDER BY ord"));
      s.Bind(1, pid);
      while (s.Step() == SQLITE_ROW) r.phones.push_back(s.Text(0));
    }
    return r;
  }
};

namespace {

// PDQ search on connection `r`.
Result<SearchPage> SearchOn(SqliteIdentityStore::Impl& impl, Connection& r,
                            const PatientSearch& q) {
  std::string sql = "SELECT p.pid FROM patients p WHERE p.merged_into IS NULL AND p.pid>?";
  std::vector<Value> params{q.after};
  if (!q.identifiers.empty()) {
    sql += " AND p.pid IN (SELECT pid FROM identifiers WHERE ";
    for (size_t i = 0; i < q.identifiers.size(); ++i) {
      if (i) sql += " OR ";
      if (q.identifiers[i].oid.empty()) {
        sql += "value=?";
      } else {
        sql += "(oid=? AND value=?)";
        params.push_back(q.identifiers[i].oid);
      }
      params.push_back(q.identifiers[i].id);
    }
    sql += ")";
  }
  if (!q.family.empty()) {
    sql += " AND p.pid IN (SELECT pid FROM names WHERE family_key LIKE ? ESCAPE '\\')";
    params.push_back(LikeEscaped(NameKey(q.family)) + "%");
  }
  if (!q.regional_id.empty()) {
    sql += " AND p.regional_id=?";
    params.push_back(q.regional_id);
  }
  if (!q.name.empty()) {
    sql += " AND p.pid IN (SELECT pid FROM names WHERE family_key LIKE ? ESCAPE '\\' OR "
           "given_key LIKE ? ESCAPE '\\')";
    params.push_back(LikeEscaped(NameKey(q.name)) + "%");
    params.push_back(LikeEscaped(NameKey(q.name)) + "%");
  }
  if (!q.given.empty()) {
    sql += " AND p.pid IN (SELECT pid FROM names WHERE given_key LIKE ? ESCAPE '\\')";
    params.push_back(LikeEscaped(NameKey(q.given)) + "%");
  }
  if (!q.birth_date.empty()) {
    sql += " AND p.birth_date LIKE ? ESCAPE '\\'";
    params.push_back(LikeEscaped(q.birth_date) + "%");
  }
  if (!q.sex.empty()) {
    sql += " AND p.sex=?";
    params.push_back(q.sex);
  }
  if (!q.address.empty()) {
    sql += " AND p.pid IN (SELECT pid FROM addresses WHERE (street || ' ' || other || ' ' || "
           "city || ' ' || state || ' ' || postal_code || ' ' || country) LIKE ? ESCAPE '\\')";
    params.push_back("%" + LikeEscaped(q.address) + "%");
  }
  if (!q.telecom.empty()) {
    sql += " AND p.pid IN (SELECT pid FROM phones WHERE value LIKE ? ESCAPE '\\')";
    params.push_back("%" + LikeEscaped(q.telecom) + "%");
  }
  const int limit = q.limit > 0 ? q.limit : 100;
  sql += " ORDER BY p.pid LIMIT ?";
  params.push_back(int64_t{limit + 1});
  std::vector<int64_t> pids;
  {
    RENKEI_ASSIGN_OR_RETURN(Stmt s, r.Prepare(sql));
    s.BindAll(params);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) pids.push_back(s.Int(0));
    if (rc != SQLITE_DONE) return r.Error(rc, "search");
  }
  SearchPage page;
  for (size_t i = 0; i < pids.size() && static_cast<int>(i) < limit; ++i) {
    RENKEI_ASSIGN_OR_RETURN(PatientRecord record, impl.Load(pids[i], &r));
    page.patients.push_back(std::move(record));
  }
  if (static_cast<int>(pids.size()) > limit) page.next = pids[static_cast<size_t>(limit - 1)];
  return page;
}

}  // namespace

SqliteIdentityStore::SqliteIdentityStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteIdentityStore::~SqliteIdentityStore() = default;

Result<std::unique_ptr<SqliteIdentityStore>> SqliteIdentityStore::Open(const std::string& path,
                                                                       const Options& options) {
  if (options.regional_oid.empty()) {
    return Status::InvalidArgument("config", "the identity store needs the regional domain OID",
                                   "pix.regional_domain.oid");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  sqlite::OpenOptions open;
  open.cache_kib = 8192;
  RENKEI_ASSIGN_OR_RETURN(impl->c, Connection::Open(path, open, &StoreError));
  {
    RENKEI_ASSIGN_OR_RETURN(Stmt s, impl->Prepare("PRAGMA user_version"));
    const int64_t version = s.Step() == SQLITE_ROW ? s.Int(0) : 0;
    if (version != 0 && version != kSchemaVersion) {
      return Status::Internal("207", path + " has identity schema version " +
                                         std::to_string(version) + ", this program expects " +
                                         std::to_string(kSchemaVersion));
    }
  }
  RENKEI_RETURN_IF_ERROR(impl->Exec(kSchemaSql, "create schema"));
  RENKEI_RETURN_IF_ERROR(impl->Exec(
      ("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str(), "schema version"));
  if (path != ":memory:" && !path.empty()) {
    sqlite::OpenOptions read;
    read.read_only = true;
    read.cache_kib = 4096;
    for (int i = 0; i < std::max(1, options.reader_connections); ++i) {
      RENKEI_ASSIGN_OR_RETURN(std::unique_ptr<Connection> r, Connection::Open(path, read, &StoreError));
      impl->readers.Add(std::move(r));
    }
    impl->pooled = true;
  }
  return std::unique_ptr<SqliteIdentityStore>(new SqliteIdentityStore(std::move(impl)));
}

Result<FeedResult> SqliteIdentityStore::Feed(const PatientFeed& feed) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->InTransaction([&] { return impl_->FeedLocked(feed); });
}

Result<FeedResult> SqliteIdentityStore::Merge(const PatientFeed& feed) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->InTransaction([&] { return impl_->MergeLocked(feed); });
}

Status SqliteIdentityStore::Unlink(const Cx& id) {
  if (id.oid == impl_->options.regional_oid) {
    return Status::InvalidArgument("invalid", "a regional ID cannot be deleted by a feed");
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto r = impl_->InTransaction([&]() -> Result<int64_t> {
    RENKEI_ASSIGN_OR_RETURN(auto found, impl_->Resolve(id));
    if (found.first == 0) return Status::NotFound("204", "unknown patient identifier " + FormatCx(id));
    RENKEI_ASSIGN_OR_RETURN(Stmt s, impl_->Prepare("DELETE FROM identifiers WHERE oid=? AND value=?"));
    s.BindAll({id.oid, id.id});
    RENKEI_RETURN_IF_ERROR(s.Run("unlink"));
    RENKEI_RETURN_IF_ERROR(impl_->History("unlink", found.first, 0, FormatCx(id)));
    return found.first;
  });
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::vector<Cx>> SqliteIdentityStore::CrossReference(const Cx& id) {
  return impl_->WithReader([&](Connection& r) -> Result<std::vector<Cx>> {
    RENKEI_ASSIGN_OR_RETURN(auto found, impl_->Resolve(id, &r));
    if (found.first == 0) return Status::NotFound("204", "unknown patient identifier " + FormatCx(id));
    return impl_->LinkedIdentifiers(found.first, &r);
  });
}

Result<PatientRecord> SqliteIdentityStore::Find(const Cx& id) {
  return impl_->WithReader([&](Connection& r) -> Result<PatientRecord> {
    RENKEI_ASSIGN_OR_RETURN(auto found, impl_->Resolve(id, &r));
    if (found.first == 0) return Status::NotFound("204", "unknown patient identifier " + FormatCx(id));
    return impl_->Load(found.first, &r);
  });
}

Result<SearchPage> SqliteIdentityStore::Search(const PatientSearch& q) {
  return impl_->WithReader([&](Connection& r) { return SearchOn(*impl_, r, q); });
}

Result<bool> SqliteIdentityStore::KnowsDomain(const std::string& oid) {
  if (oid == impl_->options.regional_oid) return true;
  return impl_->WithReader([&](Connection& r) -> Result<bool> {
    RENKEI_ASSIGN_OR_RETURN(Stmt s, r.Prepare("SELECT 1 FROM identifiers WHERE oid=? LIMIT 1"));
    s.Bind(1, oid);
    const int rc = s.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return r.Error(rc, "domain");
    return rc == SQLITE_ROW;
  });
}

const std::string& SqliteIdentityStore::regional_oid() const { return impl_->options.regional_oid; }

}  // namespace renkei::pix
