// IHE ATNA Audit Record Repository: the hash-chained, append-only SQLite store.
#include "audit/audit_store.h"

#include <openssl/evp.h>

#include <mutex>

#include "audit/fhir_audit_event.h"
#include "common/sqlite_connection.h"
#include "common/utc_time.h"

namespace renkei::audit {

namespace {

constexpr char kStoreError[] = "audit.store";
const std::string kZeroHash(64, '0');

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS audit_record(
  seq INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  recorded_ms INTEGER NOT NULL,
  outcome INTEGER NOT NULL,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_record_recorded ON audit_record(recorded_ms, seq);
CREATE TABLE IF NOT EXISTS audit_key(
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_key_lookup ON audit_key(kind, value, seq);
CREATE INDEX IF NOT EXISTS audit_key_seq ON audit_key(seq);
CREATE TABLE IF NOT EXISTS audit_head(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_record_no_update BEFORE UPDATE ON audit_record
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_record_no_delete BEFORE DELETE ON audit_record
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_key_no_update BEFORE UPDATE ON audit_key
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_key_no_delete BEFORE DELETE ON audit_key
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'the audit head is never deleted'); END;
)sql";

Status StoreError(sqlite3* db, int rc, const std::string& what) {
  if (sqlite::IsBusy(rc)) {
    return Status::Unavailable(kStoreError, what + ": database busy");
  }
  return Status::Internal(kStoreError, what + ": " + (db ? sqlite3_errmsg(db) : "?"));
}

std::string Hex(const unsigned char* bytes, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

// SHA-256(prev_hash || seq (8 bytes, big-endian) || received_at || 0x00 || body), hex.
std::string ChainHash(const std::string& prev_hash, int64_t seq, const std::string& received_at,
                      const std::string& body) {
  unsigned char seq_bytes[8];
  for (int i = 0; i < 8; ++i) seq_bytes[i] = static_cast<unsigned char>(seq >> (56 - 8 * i));
  const unsigned char zero = 0;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) throw std::bad_alloc();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, prev_hash.data(), prev_hash.size());
  EVP_DigestUpdate(ctx, seq_bytes, sizeof seq_bytes);
  EVP_DigestUpdate(ctx, received_at.data(), received_at.size());
  EVP_DigestUpdate(ctx, &zero, 1);
  EVP_DigestUpdate(ctx, body.data(), body.size());
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  return Hex(digest, len);
}

}  // namespace

struct AuditStore::Impl {
  std::mutex mu;
  std::unique_ptr<sqlite::Connection> db;
  bool read_only = false;

  Status Exec(const char* sql, const char* what) {
    const int rc = db->Exec(sql);
    return rc == SQLITE_OK ? Status::Ok() : db->Error(rc, what);
  }

  Result<int64_t> AppendLocked(const AuditEvent& event) {
    RENKEI_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "begin append"));
    Result<int64_t> seq = AppendInTransaction(event);
    if (!seq.ok()) {
      db->Exec("ROLLBACK");
      return seq;
    }
    const Status commit = Exec("COMMIT", "commit append");
    if (!commit.ok()) {
      db->Exec("ROLLBACK");
      return commit;
    }
    return seq;
  }

  Result<int64_t> AppendInTransaction(const AuditEvent& event) {
    int64_t last_seq = 0;
    std::string last_hash = kZeroHash;
    {
      RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt head,
                              db->Prepare("SELECT seq, hash FROM audit_head WHERE id = 1"));
      const int rc = head.Step();
      if (rc == SQLITE_ROW) {
        last_seq = head.Int(0);
        last_hash = head.Text(1);
      } else if (rc != SQLITE_DONE) {
        return db->Error(rc, "read the audit head");
      }
    }
    const int64_t seq = last_seq + 1;
    const std::string received_at = UtcNow(kIso8601Utc);
    const std::string body = EncodeFhirAuditEvent(event, std::to_string(seq));
    const std::string hash = ChainHash(last_hash, seq, received_at, body);
    RENKEI_ASSIGN_OR_RETURN(const int64_t recorded, ParseDateTimeMillis(event.date_time));
    {
      RENKEI_ASSIGN_OR_RETURN(
          sqlite::Stmt insert,
          db->Prepare("INSERT INTO audit_record(seq, received_at, recorded_ms, outcome, body, "
                      "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"));
      insert.BindAll({seq, received_at, recorded, int64_t{event.outcome}, body, last_hash, hash});
      RENKEI_RETURN_IF_ERROR(insert.Run("append an audit record"));
    }
    for (const SearchKey& key : IndexKeys(event)) {
      RENKEI_ASSIGN_OR_RETURN(
          sqlite::Stmt insert,
          db->Prepare("INSERT INTO audit_key(seq, kind, value) VALUES (?, ?, ?)"));
      insert.BindAll({seq, int64_t{static_cast<int>(key.kind)}, key.value});
      RENKEI_RETURN_IF_ERROR(insert.Run("index an audit record"));
    }
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt head,
        db->Prepare("INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"));
    head.BindAll({seq, hash});
    RENKEI_RETURN_IF_ERROR(head.Run("move the audit head"));
    return seq;
  }

  // The search keys stored for `seq`, sorted.
  Result<std::vector<SearchKey>> KeysOf(int64_t seq) {
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt s,
        db->Prepare("SELECT kind, value FROM audit_key WHERE seq = ? ORDER BY kind, value"));
    s.Bind(1, seq);
    std::vector<SearchKey> keys;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      keys.push_back({static_cast<KeyKind>(s.Int(0)), s.Text(1)});
    }
    if (rc != SQLITE_DONE) return db->Error(rc, "read audit keys");
    return keys;
  }
};

AuditStore::AuditStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AuditStore::~AuditStore() = default;

Result<std::unique_ptr<AuditStore>> AuditStore::Open(const std::string& path, bool read_only) {
  sqlite::OpenOptions o;
  o.read_only = read_only;
  o.synchronous_full = true;  // see the header: an acknowledged record survives power loss
  o.cache_kib = 4096;
  o.map_whole_file = false;
  o.mmap_bytes = 0;
  auto db = sqlite::Connection::Open(path, o, &StoreError);
  if (!db.ok()) return db.status();
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db.value());
  impl->read_only = read_only;
  if (!read_only) {
    char* err = nullptr;
    if (sqlite3_exec(impl->db->db(), kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      return Status::Internal(kStoreError, "audit store schema: " + m);
    }
  } else {
    auto check = impl->db->Prepare("SELECT count(*) FROM audit_record");
    if (!check.ok()) return Status::Internal(kStoreError, path + " is no audit store");
  }
  return std::unique_ptr<AuditStore>(new AuditStore(std::move(impl)));
}

Result<int64_t> AuditStore::Append(const AuditEvent& event) {
  RENKEI_RETURN_IF_ERROR(Validate(event));
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->read_only) return Status::Internal(kStoreError, "the audit store is open read-only");
  return impl_->AppendLocked(event);
}

Result<int64_t> AuditStore::AppendBatch(const std::vector<AuditEvent>& events) {
  for (const AuditEvent& e : events) RENKEI_RETURN_IF_ERROR(Validate(e));
  if (events.empty()) return int64_t{0};
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->read_only) return Status::Internal(kStoreError, "the audit store is open read-only");
  RENKEI_RETURN_IF_ERROR(impl_->Exec("BEGIN IMMEDIATE", "begin append"));
  int64_t last = 0;
  for (const AuditEvent& e : events) {
    Result<int64_t> seq = impl_->AppendInTransaction(e);
    if (!seq.ok()) {
      impl_->db->Exec("ROLLBACK");
      return seq;
    }
    last = *seq;
  }
  const Status commit = impl_->Exec("COMMIT", "commit append");
  if (!commit.ok()) {
    impl_->db->Exec("ROLLBACK");
    return commit;
  }
  return last;
}

Result<StoredAuditEvent> AuditStore::Get(int64_t seq) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  RENKEI_ASSIGN_OR_RETURN(
      sqlite::Stmt s,
      impl_->db->Prepare("SELECT seq, received_at, body FROM audit_record WHERE seq = ?"));
  s.Bind(1, seq);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) {
    return Status::NotFound(kStoreError, "no AuditEvent " + std::to_string(seq));
  }
  if (rc != SQLITE_ROW) return impl_->db->Error(rc, "read an audit record");
  return StoredAuditEvent{s.Int(0), s.Text(1), s.Text(2)};
}

Result<std::vector<StoredAuditEvent>> AuditStore::Search(const AuditQuery& q) {
  std::string sql =
      "SELECT seq, received_at, body FROM audit_record WHERE recorded_ms >= ? AND recorded_ms < ?";
  std::vector<sqlite::Value> values{q.from_millis, q.to_millis};
  if (!q.outcomes.empty()) {
    sql += " AND outcome IN (";
    for (size_t i = 0; i < q.outcomes.size(); ++i) {
      sql += i ? ",?" : "?";
      values.push_back(int64_t{q.outcomes[i]});
    }
    sql += ")";
  }
  for (const auto& [kind, alternatives] : q.keys) {
    sql += " AND seq IN (SELECT seq FROM audit_key WHERE kind = ? AND value IN (";
    values.push_back(int64_t{static_cast<int>(kind)});
    for (size_t i = 0; i < alternatives.size(); ++i) {
      sql += i ? ",?" : "?";
      values.push_back(alternatives[i]);
    }
    sql += "))";
  }
  sql += " ORDER BY recorded_ms, seq LIMIT ? OFFSET ?";
  values.push_back(int64_t{q.count});
  values.push_back(q.offset);

  std::lock_guard<std::mutex> lock(impl_->mu);
  RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt s, impl_->db->Prepare(sql));
  s.BindAll(values);
  std::vector<StoredAuditEvent> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Int(0), s.Text(1), s.Text(2)});
  if (rc != SQLITE_DONE) return impl_->db->Error(rc, "search audit records");
  return out;
}

Result<VerifyReport> AuditStore::Verify() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  // One read transaction: records and head from one snapshot, so that a record another
  // process appends meanwhile (the CLI while the centre runs) is no false "removed".
  RENKEI_RETURN_IF_ERROR(impl_->Exec("BEGIN", "begin verify"));
  struct EndRead {
    sqlite::Connection* db;
    ~EndRead() { db->Exec("COMMIT"); }
  } end_read{impl_->db.get()};  // declared before the statements: runs after their reset
  VerifyReport report;
  auto fail = [&](int64_t seq, std::string problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
    return report;
  };
  int64_t last_seq = 0;
  std::string last_hash = kZeroHash;
  {
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt s,
        impl_->db->Prepare("SELECT seq, received_at, recorded_ms, outcome, body, prev_hash, hash "
                           "FROM audit_record ORDER BY seq"));
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      const int64_t seq = s.Int(0);
      const std::string received_at = s.Text(1);
      const std::string body = s.Text(4);
      const std::string prev_hash = s.Text(5);
      const std::string hash = s.Text(6);
      const int64_t expected = last_seq + 1;
      if (seq != expected) {
        return fail(expected, seq > expected
                                  ? "record " + std::to_string(expected) +
                                        (seq - 1 > expected ? ".." + std::to_string(seq - 1) : "") +
                                        " removed (gap in the sequence)"
                                  : "unexpected sequence number " + std::to_string(seq));
      }
      if (prev_hash != last_hash) {
        return fail(seq, "record " + std::to_string(seq) +
                             " does not link to the previous record (prev_hash differs)");
      }
      if (ChainHash(prev_hash, seq, received_at, body) != hash) {
        return fail(seq, "record " + std::to_string(seq) + " edited (hash mismatch)");
      }
      auto event = DecodeFhirAuditEvent(body);
      if (!event.ok()) {
        return fail(seq,
                    "record " + std::to_string(seq) + " unreadable: " + event.status().message());
      }
      auto recorded = ParseDateTimeMillis(event->date_time);
      if (!recorded.ok() || *recorded != s.Int(2) || event->outcome != s.Int(3)) {
        return fail(seq, "record " + std::to_string(seq) +
                             " search columns edited (date or outcome differ from the record)");
      }
      RENKEI_ASSIGN_OR_RETURN(std::vector<SearchKey> keys, impl_->KeysOf(seq));
      if (keys != IndexKeys(*event)) {
        return fail(seq, "record " + std::to_string(seq) +
                             " search keys edited (they differ from the record)");
      }
      last_seq = seq;
      last_hash = hash;
      ++report.records;
    }
    if (rc != SQLITE_DONE) return impl_->db->Error(rc, "read audit records");
  }
  RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt head,
                          impl_->db->Prepare("SELECT seq, hash FROM audit_head WHERE id = 1"));
  const int rc = head.Step();
  if (rc == SQLITE_ROW) {
    const int64_t head_seq = head.Int(0);
    const std::string head_hash = head.Text(1);
    if (head_seq > last_seq) {
      return fail(last_seq + 1,
                  "record " + std::to_string(last_seq + 1) +
                      (head_seq > last_seq + 1 ? ".." + std::to_string(head_seq) : "") +
                      " removed (the head names record " + std::to_string(head_seq) + ")");
    }
    if (head_seq < last_seq) {
      return fail(head_seq + 1, "record " + std::to_string(head_seq + 1) +
                                    " was not appended through the store (beyond the head)");
    }
    if (head_hash != last_hash) {
      return fail(last_seq, "record " + std::to_string(last_seq) + " does not match the head hash");
    }
  } else if (rc == SQLITE_DONE) {
    if (last_seq != 0) return fail(1, "the head row is missing");
  } else {
    return impl_->db->Error(rc, "read the audit head");
  }
  report.head_hash = last_seq == 0 ? "" : last_hash;
  return report;
}

}  // namespace renkei::audit
