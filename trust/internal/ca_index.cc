// The regional CA's index (trust/internal/ca_index.h).
#include "trust/internal/ca_index.h"

#include <sys/stat.h>

#include <sstream>

namespace renkei::trust::internal {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS certificates(
  serial TEXT PRIMARY KEY,          -- upper-case hex
  facility_oid TEXT NOT NULL,
  common_name TEXT NOT NULL,
  hosts TEXT NOT NULL,              -- DNS names and IPs, one per line
  not_before INTEGER NOT NULL,      -- Unix seconds
  not_after INTEGER NOT NULL,
  revoked_at INTEGER,               -- Unix seconds; NULL while valid
  reason INTEGER NOT NULL DEFAULT 0,  -- RFC 5280 CRLReason
  cert_pem TEXT NOT NULL,
  issued_seq INTEGER NOT NULL       -- issue order
);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

constexpr char kColumns[] =
    "serial, facility_oid, common_name, hosts, not_before, not_after, revoked_at, reason, "
    "cert_pem";

Status IndexError(sqlite3* db, int rc, const std::string& what) {
  std::string msg = "CA index: " + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (sqlite::IsBusy(rc)) return Status::Unavailable("ca_index_busy", msg);
  return Status::Internal("ca_index", msg);
}

std::string JoinLines(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += x + "\n";
  return s;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) v.push_back(line);
  }
  return v;
}

// Rolls back an open transaction unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite::Connection* db) : db_(db) {}
  ~Transaction() {
    if (open_) db_->Exec("ROLLBACK");
  }
  Status Begin() {
    int rc = db_->Exec("BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return db_->Error(rc, "begin");
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    int rc = db_->Exec("COMMIT");
    if (rc != SQLITE_OK) return db_->Error(rc, "commit");
    open_ = false;
    return Status::Ok();
  }

 private:
  sqlite::Connection* db_;
  bool open_ = false;
};

}  // namespace

Result<std::unique_ptr<CaIndex>> CaIndex::Open(const std::string& path, bool create) {
  struct stat st;
  if (!create && stat(path.c_str(), &st) != 0) {
    return Status::NotFound("not_a_ca", "no CA index at " + path);
  }
  sqlite::OpenOptions o;
  o.synchronous_full = true;  // an issued or revoked certificate is durable when we return
  o.cache_kib = 1024;
  o.map_whole_file = false;
  o.mmap_bytes = 0;
  o.busy_timeout_ms = 30000;
  auto db = sqlite::Connection::Open(path, o, &IndexError);
  if (!db.ok()) return db.status();
  std::unique_ptr<CaIndex> index(new CaIndex(std::move(db.value())));
  char* err = nullptr;
  if (sqlite3_exec(index->db_->db(), kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    return Status::Internal("ca_index", "CA index schema: " + m);
  }
  return index;
}

Status CaIndex::Insert(const CertificateRecord& r) {
  auto s = db_->Prepare(
      "INSERT INTO certificates(serial, facility_oid, common_name, hosts, not_before, "
      "not_after, revoked_at, reason, cert_pem, issued_seq) VALUES(?,?,?,?,?,?,NULL,0,?,"
      "(SELECT COALESCE(MAX(issued_seq), 0) + 1 FROM certificates))");
  if (!s.ok()) return s.status();
  s->BindAll({r.serial_hex, r.facility_oid, r.common_name, JoinLines(r.hosts), r.not_before,
              r.not_after, r.cert_pem});
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
  }
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return Status::Conflict("duplicate_serial", "serial " + r.serial_hex + " already issued");
  }
  if (rc != SQLITE_DONE) return db_->Error(rc, "insert certificate");
  return Status::Ok();
}

Status CaIndex::Revoke(const std::string& serial_hex, RevocationReason reason, int64_t now) {
  Transaction tx(db_.get());
  RENKEI_RETURN_IF_ERROR(tx.Begin());
  {
    auto s = db_->Prepare("SELECT revoked_at FROM certificates WHERE serial = ?");
    if (!s.ok()) return s.status();
    s->Bind(1, serial_hex);
    int rc = s->Step();
    if (rc == SQLITE_DONE) {
      return Status::NotFound("unknown_serial", "this CA issued no certificate " + serial_hex);
    }
    if (rc != SQLITE_ROW) return db_->Error(rc, "find certificate");
    if (!s->IsNull(0)) return Status::Ok();  // already revoked: idempotent
  }
  auto u = db_->Prepare("UPDATE certificates SET revoked_at = ?, reason = ? WHERE serial = ?");
  if (!u.ok()) return u.status();
  u->BindAll({now, static_cast<int64_t>(reason), serial_hex});
  RENKEI_RETURN_IF_ERROR(u->Run("revoke certificate"));
  return tx.Commit();
}

Result<std::vector<CertificateRecord>> CaIndex::Select(const std::string& where) {
  auto s = db_->Prepare(std::string("SELECT ") + kColumns + " FROM certificates " + where +
                        " ORDER BY issued_seq");
  if (!s.ok()) return s.status();
  std::vector<CertificateRecord> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    CertificateRecord r;
    r.serial_hex = s->Text(0);
    r.facility_oid = s->Text(1);
    r.common_name = s->Text(2);
    r.hosts = SplitLines(s->Text(3));
    r.not_before = s->Int(4);
    r.not_after = s->Int(5);
    r.revoked = !s->IsNull(6);
    r.revoked_at = r.revoked ? s->Int(6) : 0;
    r.reason = static_cast<RevocationReason>(s->Int(7));
    r.cert_pem = s->Text(8);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return db_->Error(rc, "list certificates");
  return out;
}

Result<std::vector<CertificateRecord>> CaIndex::All() { return Select(""); }

Result<std::string> CaIndex::WithNextCrlNumber(
    const std::function<Result<std::string>(int64_t, const std::vector<CertificateRecord>&)>&
        sign) {
  Transaction tx(db_.get());
  RENKEI_RETURN_IF_ERROR(tx.Begin());
  int64_t last = 0;
  {
    auto s = db_->Prepare("SELECT value FROM meta WHERE key = 'crl_number'");
    if (!s.ok()) return s.status();
    int rc = s->Step();
    if (rc == SQLITE_ROW) {
      last = std::stoll(s->Text(0));
    } else if (rc != SQLITE_DONE) {
      return db_->Error(rc, "read CRL number");
    }
  }
  auto revoked = Select("WHERE revoked_at IS NOT NULL");
  if (!revoked.ok()) return revoked.status();
  Result<std::string> signed_crl = sign(last + 1, revoked.value());
  if (!signed_crl.ok()) return signed_crl;
  auto u = db_->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('crl_number', ?)");
  if (!u.ok()) return u.status();
  u->Bind(1, std::to_string(last + 1));
  RENKEI_RETURN_IF_ERROR(u->Run("store CRL number"));
  RENKEI_RETURN_IF_ERROR(tx.Commit());
  return signed_crl;
}

Status CaIndex::SetMeta(const std::string& key, const std::string& value) {
  auto u = db_->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  if (!u.ok()) return u.status();
  u->BindAll({key, value});
  return u->Run("store setting");
}

Result<std::string> CaIndex::Meta(const std::string& key) {
  auto s = db_->Prepare("SELECT value FROM meta WHERE key = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, key);
  int rc = s->Step();
  if (rc == SQLITE_ROW) return s->Text(0);
  if (rc != SQLITE_DONE) return db_->Error(rc, "read setting");
  return Status::NotFound("ca_index", "no setting " + key);
}

}  // namespace renkei::trust::internal
