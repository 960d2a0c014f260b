// IHE ATNA Audit Record Repository: the hash-chained, append-only SQLite store.
#include "audit/audit_store.h"

#include <openssl/evp.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "audit/fhir_audit_event.h"
#include "common/log.h"
#include "common/sqlite_connection.h"
#include "common/utc_time.h"

namespace renkei::audit {

namespace {

constexpr char kStoreError[] = "audit.store";

// Search keys are grouped by bucket = seq >> kBucketBits (4,096 records): a batch of
// appends fills the pages of the newest buckets instead of one page per key all over an
// index of every record's keys (which wrote ~25 KB per record at 100,000 records, growing
// with the trail); a search seeks each bucket in turn (~2,500 seeks at 10 million records).
constexpr int kBucketBits = 12;
const std::string kZeroHash(64, '0');
constexpr char kInsertKey[] =
    "INSERT INTO audit_search(bucket, kind, value, seq) VALUES (?, ?, ?, ?)";

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
CREATE TABLE IF NOT EXISTS audit_search(
  bucket INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (bucket, kind, value, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_head(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_record_no_update BEFORE UPDATE ON audit_record
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_record_no_delete BEFORE DELETE ON audit_record
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_search_no_update BEFORE UPDATE ON audit_search
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_search_no_delete BEFORE DELETE ON audit_search
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'the audit head is never deleted'); END;
)sql";

// Stores written before the search keys were bucketed (a rowid table `audit_key` with two
// indexes, three forms of each patient and code): their keys are derived again from the
// records, once (MigrateKeys), and the old table goes.
constexpr char kDropOldKeys[] = R"sql(
DROP TRIGGER IF EXISTS audit_key_no_update;
DROP TRIGGER IF EXISTS audit_key_no_delete;
DROP TABLE audit_key;
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

// The least string greater than every string starting with `prefix` ("" when there is none).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
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

// Copies the WAL into the database file on a thread and connection of its own: SQLite's
// automatic checkpoint runs inside an append's COMMIT, which then waits for tens of MiB to
// be written and fsynced while the centre's requests wait for room in the audit queue.
// Woken by the appending connection's WAL hook once the WAL holds kCheckpointPages pages;
// PASSIVE, so it never blocks an append. The WAL starts over only once a checkpoint caught up
// with the last commit, which under a steady stream of appends the background one never
// does: at twice the size the appender checkpoints itself, copying only the few pages
// committed since the background checkpoint began.
class Checkpointer {
 public:
  static constexpr int kCheckpointPages = 16384;  // 64 MiB

  // nullptr when the second connection cannot be opened (SQLite then checkpoints itself).
  static std::unique_ptr<Checkpointer> Start(const std::string& path,
                                             const sqlite::OpenOptions& options) {
    auto db = sqlite::Connection::Open(path, options, &StoreError);
    if (!db.ok()) return nullptr;
    return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(db.value())));
  }
  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // Installs the hook on the appending connection `writer`.
  void Watch(sqlite3* writer) {
    sqlite3_wal_hook(
        writer,
        [](void* self, sqlite3* db, const char*, int pages) {
          if (pages >= 2 * kCheckpointPages) {
            sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
          } else if (pages >= kCheckpointPages) {
            static_cast<Checkpointer*>(self)->Poke();
          }
          return SQLITE_OK;
        },
        this);
  }

 private:
  explicit Checkpointer(std::unique_ptr<sqlite::Connection> db) : db_(std::move(db)) {
    thread_ = std::thread([this] { Run(); });
  }
  void Poke() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      poked_ = true;
    }
    cv_.notify_one();
  }
  void Run() {
    pthread_setname_np(pthread_self(), "audit-ckpt");
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return poked_ || stop_; });
      if (stop_) return;
      poked_ = false;
      lock.unlock();
      int wal_pages = 0, copied = 0;
      const int rc = sqlite3_wal_checkpoint_v2(db_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                               &wal_pages, &copied);
      if (rc != SQLITE_OK && !sqlite::IsBusy(rc)) {
        LogError(std::string("audit: checkpoint: ") + sqlite3_errmsg(db_->db()));
      }
      lock.lock();
    }
  }

  std::unique_ptr<sqlite::Connection> db_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ = false;
  bool stop_ = false;
  std::thread thread_;
};

struct AuditStore::Impl {
  std::mutex mu;
  std::unique_ptr<sqlite::Connection> db;
  bool read_only = false;
  std::unique_ptr<Checkpointer> checkpointer;  // declared after db: stops before it closes

  Status Exec(const char* sql, const char* what) {
    const int rc = db->Exec(sql);
    return rc == SQLITE_OK ? Status::Ok() : db->Error(rc, what);
  }

  // Appends `events` in one BEGIN IMMEDIATE transaction: the head is read once, each
  // record and its search keys inserted, the head moved once. Returns the last seq.
  Result<int64_t> AppendAll(const PreparedAuditEvent* const* events, size_t n) {
    RENKEI_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "begin append"));
    Result<int64_t> seq = AppendInTransaction(events, n);
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

  Result<int64_t> AppendInTransaction(const PreparedAuditEvent* const* events, size_t n) {
    int64_t seq = 0;
    std::string hash = kZeroHash;
    {
      RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt head,
                              db->Prepare("SELECT seq, hash FROM audit_head WHERE id = 1"));
      const int rc = head.Step();
      if (rc == SQLITE_ROW) {
        seq = head.Int(0);
        hash = head.Text(1);
      } else if (rc != SQLITE_DONE) {
        return db->Error(rc, "read the audit head");
      }
    }
    const std::string received_at = UtcNow(kIso8601Utc);
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt insert,
        db->Prepare("INSERT INTO audit_record(seq, received_at, recorded_ms, outcome, body, "
                    "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt key, db->Prepare(kInsertKey));
    for (size_t i = 0; i < n; ++i) {
      const PreparedAuditEvent& event = *events[i];
      ++seq;
      const std::string body = WithFhirId(event.json_without_id, std::to_string(seq));
      if (body.empty()) return Status::Internal(kStoreError, "an audit event not prepared");
      std::string prev_hash = std::move(hash);
      hash = ChainHash(prev_hash, seq, received_at, body);
      insert.Reset();
      insert.BindAll({seq, received_at, event.recorded_ms, int64_t{event.outcome}, body,
                      prev_hash, hash});
      RENKEI_RETURN_IF_ERROR(insert.Run("append an audit record"));
      RENKEI_RETURN_IF_ERROR(IndexRecord(key, seq, event.keys));
    }
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt head,
        db->Prepare("INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"));
    head.BindAll({seq, hash});
    RENKEI_RETURN_IF_ERROR(head.Run("move the audit head"));
    return seq;
  }

  // Inserts the search keys of record `seq` through `key` (a prepared kInsertKey).
  static Status IndexRecord(sqlite::Stmt& key, int64_t seq, const std::vector<SearchKey>& keys) {
    for (const SearchKey& k : keys) {
      key.Reset();
      key.Bind(1, seq >> kBucketBits);
      key.Bind(2, int64_t{static_cast<int>(k.kind)});
      key.Bind(3, k.value);
      key.Bind(4, seq);
      RENKEI_RETURN_IF_ERROR(key.Run("index an audit record"));
    }
    return Status::Ok();
  }

  // 0 when the search table holds exactly `expected` keys (each of which Verify found);
  // otherwise the lowest seq with a key its record does not call for (a slow walk, only
  // when something is wrong).
  Result<int64_t> FirstExtraKey(int64_t expected) {
    {
      RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt n, db->Prepare("SELECT count(*) FROM audit_search"));
      const int rc = n.Step();
      if (rc != SQLITE_ROW) return db->Error(rc, "count audit keys");
      if (n.Int(0) == expected) return int64_t{0};
    }
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt all,
        db->Prepare("SELECT k.seq, k.kind, k.value, r.body FROM audit_search k "
                    "LEFT JOIN audit_record r ON r.seq = k.seq ORDER BY k.seq"));
    int rc;
    while ((rc = all.Step()) == SQLITE_ROW) {
      const SearchKey key{static_cast<KeyKind>(all.Int(1)), all.Text(2)};
      auto event = DecodeFhirAuditEvent(all.Text(3));
      if (!event.ok()) return all.Int(0);
      const std::vector<SearchKey> want = IndexKeys(*event);
      if (!std::binary_search(want.begin(), want.end(), key)) return all.Int(0);
    }
    if (rc != SQLITE_DONE) return db->Error(rc, "read audit keys");
    return int64_t{0};
  }

  Status MigrateKeys() {
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt old,
        db->Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_key'"));
    const int rc = old.Step();
    old.Reset();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return db->Error(rc, "read the audit schema");
    RENKEI_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "begin migrating audit keys"));
    // Once per store, and minutes for a trail of millions of records: say so.
    LogInfo("audit: indexing the records of a trail written by an earlier version again "
            "(once; the store is unavailable until it is done)");
    const auto started = std::chrono::steady_clock::now();
    Status st = RekeyAll();
    if (st.ok()) {
      char* err = nullptr;
      if (sqlite3_exec(db->db(), kDropOldKeys, nullptr, nullptr, &err) != SQLITE_OK) {
        st = Status::Internal(kStoreError,
                              std::string("drop the old audit keys: ") + (err ? err : "?"));
        sqlite3_free(err);
      }
    }
    if (st.ok()) st = Exec("COMMIT", "commit migrating audit keys");
    if (!st.ok()) {
      db->Exec("ROLLBACK");
      return st;
    }
    LogInfo("audit: trail indexed again in " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now() - started)
                               .count()) +
            " s");
    return st;
  }

  // Indexes every record again from its canonical bytes (in the caller's transaction).
  Status RekeyAll() {
    RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt records,
                            db->Prepare("SELECT seq, body FROM audit_record ORDER BY seq"));
    RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt key, db->Prepare(kInsertKey));
    int rc;
    while ((rc = records.Step()) == SQLITE_ROW) {
      const int64_t seq = records.Int(0);
      auto event = DecodeFhirAuditEvent(records.Text(1));
      if (!event.ok()) continue;  // an unreadable record: Verify names it
      RENKEI_RETURN_IF_ERROR(IndexRecord(key, seq, IndexKeys(*event)));
    }
    if (rc != SQLITE_DONE) return db->Error(rc, "read audit records");
    return Status::Ok();
  }

  // Whether `key` of record `seq` is in the search table.
  Result<bool> HasKey(const SearchKey& key, int64_t seq) {
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt s,
        db->Prepare("SELECT 1 FROM audit_search "
                    "WHERE bucket = ? AND kind = ? AND value = ? AND seq = ?"));
    s.BindAll({seq >> kBucketBits, int64_t{static_cast<int>(key.kind)}, key.value, seq});
    const int rc = s.Step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return db->Error(rc, "read audit keys");
  }
};

AuditStore::AuditStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AuditStore::~AuditStore() = default;

Result<std::unique_ptr<AuditStore>> AuditStore::Open(const std::string& path, bool read_only) {
  sqlite::OpenOptions o;
  o.read_only = read_only;
  o.synchronous_full = true;  // see the header: an acknowledged record survives power loss
  o.cache_kib = 65536;
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
    RENKEI_RETURN_IF_ERROR(impl->MigrateKeys());
    // Checkpoints of 64 MiB rather than 4: a page that several batches change reaches the
    // database file once (bench/audit: ~20 % fewer bytes written per record).
    impl->db->Exec("PRAGMA wal_autocheckpoint=16384");
    impl->checkpointer = Checkpointer::Start(path, o);
    if (impl->checkpointer) impl->checkpointer->Watch(impl->db->db());
  } else {
    auto check = impl->db->Prepare("SELECT count(*) FROM audit_record");
    if (!check.ok()) return Status::Internal(kStoreError, path + " is no audit store");
  }
  return std::unique_ptr<AuditStore>(new AuditStore(std::move(impl)));
}

Result<PreparedAuditEvent> AuditStore::Prepare(const AuditEvent& event) {
  RENKEI_RETURN_IF_ERROR(Validate(event));
  PreparedAuditEvent p;
  RENKEI_ASSIGN_OR_RETURN(p.recorded_ms, ParseDateTimeMillis(event.date_time));
  p.json_without_id = EncodeFhirAuditEvent(event);
  p.outcome = event.outcome;
  p.keys = IndexKeys(event);
  return p;
}

Result<int64_t> AuditStore::Append(const AuditEvent& event) {
  RENKEI_ASSIGN_OR_RETURN(const PreparedAuditEvent prepared, Prepare(event));
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->read_only) return Status::Internal(kStoreError, "the audit store is open read-only");
  const PreparedAuditEvent* one = &prepared;
  return impl_->AppendAll(&one, 1);
}

Result<int64_t> AuditStore::AppendBatch(const std::vector<AuditEvent>& events) {
  std::vector<PreparedAuditEvent> prepared;
  prepared.reserve(events.size());
  for (const AuditEvent& e : events) {
    RENKEI_ASSIGN_OR_RETURN(PreparedAuditEvent p, Prepare(e));
    prepared.push_back(std::move(p));
  }
  return AppendPrepared(prepared);
}

Result<int64_t> AuditStore::AppendPrepared(const std::vector<PreparedAuditEvent>& events) {
  if (events.empty()) return int64_t{0};
  std::vector<const PreparedAuditEvent*> all;
  all.reserve(events.size());
  for (const PreparedAuditEvent& e : events) all.push_back(&e);
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->read_only) return Status::Internal(kStoreError, "the audit store is open read-only");
  return impl_->AppendAll(all.data(), all.size());
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
    // Bucket by bucket (a seek each), from the first to the head's; one seek per value (a
    // prefix: a range) in each.
    sql += " AND seq IN (WITH RECURSIVE b(n) AS (VALUES(0) UNION ALL SELECT n + 1 FROM b "
           "WHERE n < (SELECT seq >> " + std::to_string(kBucketBits) +
           " FROM audit_head WHERE id = 1)) ";
    for (size_t i = 0; i < alternatives.size(); ++i) {
      const KeyMatch& m = alternatives[i];
      sql += i ? " UNION ALL " : "";
      sql += "SELECT k.seq FROM b, audit_search k WHERE k.bucket = b.n AND k.kind = ? AND ";
      values.push_back(int64_t{static_cast<int>(kind)});
      const std::string end = m.prefix ? PrefixEnd(m.value) : "";
      if (!m.prefix) {
        sql += "k.value = ?";
      } else if (end.empty()) {
        sql += "k.value >= ?";
      } else {
        sql += "k.value >= ? AND k.value < ?";
      }
      values.push_back(m.value);
      if (!end.empty()) values.push_back(end);
    }
    sql += ")";
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
  int64_t keys = 0;  // search keys the records call for: each found, so none may be extra
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
      for (const SearchKey& key : IndexKeys(*event)) {
        RENKEI_ASSIGN_OR_RETURN(const bool has, impl_->HasKey(key, seq));
        if (!has) {
          return fail(seq, "record " + std::to_string(seq) +
                               " search keys edited (one of the record's is missing)");
        }
        ++keys;
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
  RENKEI_ASSIGN_OR_RETURN(const int64_t first_extra, impl_->FirstExtraKey(keys));
  if (first_extra != 0) {
    return fail(first_extra, "record " + std::to_string(first_extra) +
                                 " search keys edited (a key the record does not call for)");
  }
  report.head_hash = last_seq == 0 ? "" : last_hash;
  return report;
}

}  // namespace renkei::audit
