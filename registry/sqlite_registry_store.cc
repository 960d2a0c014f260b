// ITI-18/42/57/62 storage: SqliteRegistryStore writes, transactions (Apply), the reader pool
// and the WAL checkpointer. Connections: sqlite_connection.cc; schema: sqlite_registry_schema.cc.
// Schema and query plans: registry/sqlite_registry_internal.h.
#include "registry/sqlite_registry_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <fstream>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "registry/leaf_codec.h"
#include "registry/sqlite_registry_internal.h"
#include "xds/xds_constants.h"
#include "xds/xds_errors.h"

namespace renkei::registry {

using namespace sqlite_internal;  // NOLINT: this file implements them

namespace {

// The write side over the writer connection; valid inside one Apply.
class SqliteTransaction : public RegistryTransaction {
 public:
  // `bulk`: fragments go to the staging table of a bulk load (DropIndexes).
  SqliteTransaction(Connection& c, bool bulk) : c_(c), bulk_(bulk) {}

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
    RENKEI_RETURN_IF_ERROR(PutLeaf(seq, o));
    return InsertChildren(seq, o);
  }

  Status Replace(const StoredObject& o) override {
    auto found = Locate(o.id);
    if (!found.ok()) return found.status();
    const int64_t* seq = &found->seq;
    if (found->kind != static_cast<int64_t>(o.kind)) {
      RENKEI_RETURN_IF_ERROR(AddCount(found->kind, -1));
      RENKEI_RETURN_IF_ERROR(AddCount(static_cast<int64_t>(o.kind), 1));
    }
    RENKEI_RETURN_IF_ERROR(DeleteChildren(*found));
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
    RENKEI_RETURN_IF_ERROR(PutLeaf(*seq, o));
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
    auto found = Locate(id);
    if (!found.ok()) return found.status();
    RENKEI_RETURN_IF_ERROR(AddCount(found->kind, -1));
    RENKEI_RETURN_IF_ERROR(DeleteChildren(*found));
    auto st = c_.Prepare("DELETE FROM objects WHERE seq=?");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.Bind(1, found->seq);
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

  // Where the rows of a stored object are: its seq, and its fragment's key in `leaves`.
  struct Located {
    int64_t seq;
    int64_t kind;
    int64_t cluster;
  };
  Result<Located> Locate(const std::string& id) {
    auto st = c_.Prepare("SELECT seq, kind, renkei_cluster(patient_id) FROM objects WHERE id=?");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.Bind(1, id);
    int rc = s.Step();
    if (rc == SQLITE_ROW) return Located{s.Int(0), s.Int(1), s.Int(2)};
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
    // lid = id (every first version) is stored as NULL: no objects_lid entry to write.
    if (o.lid.empty() || o.lid == o.id) {
      s.Bind(2, std::monostate{});
    } else {
      s.Bind(2, o.lid);
    }
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
  Status PutLeaf(int64_t seq, const StoredObject& o) {
    auto st = c_.Prepare(bulk_ ? "INSERT INTO bulk.leaves(cluster, kind, seq, xml) VALUES(?,?,?,?)"
                               : "INSERT OR REPLACE INTO leaves(cluster, kind, seq, xml) "
                                 "VALUES(?,?,?,?)");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.Bind(1, LeafCluster(o.patient_id));
    s.Bind(2, static_cast<int64_t>(o.kind));
    s.Bind(3, seq);
    std::string encoded;
    const std::string* blob = &o.leaf_blob;
    if (blob->empty()) {
      encoded = EncodeLeaf(o.leaf_xml);
      blob = &encoded;
    }
    sqlite3_bind_blob(s.raw(), 4, blob->data(), static_cast<int>(blob->size()), SQLITE_STATIC);
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

  Status DeleteChildren(const Located& at) {
    for (const char* sql : {"DELETE FROM codes WHERE seq=?", "DELETE FROM times WHERE seq=?",
                            "DELETE FROM authors WHERE seq=?", "DELETE FROM refids WHERE seq=?"}) {
      auto st = c_.Prepare(sql);
      if (!st.ok()) return Check(st.status());
      Stmt s = std::move(st.value());
      s.Bind(1, at.seq);
      RENKEI_RETURN_IF_ERROR(Check(s.Run("delete children")));
    }
    auto st = c_.Prepare("DELETE FROM leaves WHERE cluster=? AND kind=? AND seq=?");
    if (!st.ok()) return Check(st.status());
    Stmt s = std::move(st.value());
    s.BindAll({at.cluster, at.kind, at.seq});
    return Check(s.Run("delete leaf"));
  }

  Connection& c_;
  const bool bulk_;
  bool busy_ = false;
};

thread_local const void* t_in_apply = nullptr;

}  // namespace

class SqliteRegistryStore::Impl {
 public:
  Options options;
  bool memory = false;
  // Between DropIndexes and BuildIndexes: fragments are appended to bulk.leaves, a table of
  // the staging database `staging_path` attached to the writer, and moved into `leaves` in
  // cluster order by one sort at the end (see MergeStagedLeaves).
  bool bulk_loading = false;
  std::string staging_path;
  std::recursive_mutex writer_mu;  // recursive: a read on the Apply thread uses the writer
  std::unique_ptr<Connection> writer;
  sqlite::ReaderPool readers;
  // Background WAL checkpointer (Options::checkpoint_interval_ms).
  std::unique_ptr<Connection> checkpoint_conn;
  std::thread checkpointer;
  std::mutex checkpoint_mu;
  std::condition_variable checkpoint_cv;
  bool stopping = false;
  // Group commit (Apply): queued functions, and whether a leader is running a batch.
  struct PendingWrite {
    const std::function<Status(RegistryTransaction&)>* fn;
    Status status;
    std::exception_ptr error;
    bool done = false;
  };
  std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::deque<PendingWrite*> queue;
  bool leader_active = false;

  // Prewarm (Options::prewarm): its thread and connections, one reading with pread (the
  // kernel's readahead: a scan from the disk), then one through the process's mapping (the
  // pages, in memory by then, get mapped there once for every connection).
  std::unique_ptr<Connection> prewarm_scan;
  std::unique_ptr<Connection> prewarm_map;
  std::thread prewarmer;
  std::atomic<bool> stop_prewarm{false};

  ~Impl() {
    if (prewarmer.joinable()) {
      stop_prewarm = true;
      sqlite3_interrupt(prewarm_scan->db());
      sqlite3_interrupt(prewarm_map->db());
      prewarmer.join();
    }
    if (checkpointer.joinable()) {
      {
        std::lock_guard<std::mutex> lock(checkpoint_mu);
        stopping = true;
      }
      checkpoint_cv.notify_all();
      checkpointer.join();
    }
  }

  // Under a steady stream of commits a PASSIVE checkpoint (copies what no reader still
  // needs, never waits for or blocks writers) never catches up with the end of the WAL, so
  // the WAL is never rewound and grows without bound (a bulk load grew it to 13 GB). So when
  // the WAL holds more than Options::wal_restart_bytes, the PASSIVE pass (the long copy) is
  // followed by a RESTART under the writer mutex: no commit is running or can start, the
  // few frames appended meanwhile are copied, and the next commit rewinds the WAL. (Taking
  // SQLite's writer lock through the busy handler instead loses the race against a stream
  // of commits.) Commits wait for that short RESTART only.
  void Checkpoint() {
    sqlite3* db = checkpoint_conn->db();
    int wal_frames = 0;
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, nullptr);
    if (static_cast<int64_t>(wal_frames) * kPageSize > options.wal_restart_bytes) {
      std::lock_guard<std::recursive_mutex> lock(writer_mu);
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    }
  }

  void CheckpointLoop() {
    const auto interval = std::chrono::milliseconds(options.checkpoint_interval_ms);
    std::unique_lock<std::mutex> lock(checkpoint_mu);
    while (!checkpoint_cv.wait_for(lock, interval, [this] { return stopping; })) {
      lock.unlock();
      Checkpoint();
      lock.lock();
    }
    Checkpoint();
  }

  // Runs one function of a batch inside the open transaction. Its own SAVEPOINT when the
  // batch has company, so that a failure rolls back this function alone. Returns false when
  // the database was busy: the whole batch is then rolled back and run again.
  bool RunOne(Connection& c, PendingWrite& w, bool savepoint) {
    struct InApply {
      explicit InApply(const void* s) { t_in_apply = s; }
      ~InApply() { t_in_apply = nullptr; }
    };
    if (savepoint && c.Exec("SAVEPOINT w") != SQLITE_OK) {
      w.status = SqliteError(c.db(), SQLITE_ERROR, "savepoint");
      return !IsBusy(sqlite3_errcode(c.db()));
    }
    SqliteTransaction tx(c, bulk_loading);
    w.error = nullptr;
    {
      InApply guard(this);
      try {
        w.status = (*w.fn)(tx);
      } catch (...) {
        w.error = std::current_exception();
        w.status = xds::XdsStatus(xds::XdsError::kRegistryError, "registration failed");
      }
    }
    if (tx.busy()) {
      if (w.status.ok()) w.status = xds::XdsStatus(xds::XdsError::kRegistryBusy, "database busy");
      return false;
    }
    if (savepoint) {
      if (!w.status.ok()) c.Exec("ROLLBACK TO w");
      c.Exec("RELEASE w");
    }
    return true;
  }

  void RunBatch(const std::vector<PendingWrite*>& batch) {
    std::lock_guard<std::recursive_mutex> lock(writer_mu);
    Connection& c = *writer;
    const bool savepoints = batch.size() > 1;
    Status last;
    for (int attempt = 0; attempt <= options.max_busy_retries; ++attempt) {
      if (attempt > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100, 1 << attempt)));
      }
      int rc = c.Exec("BEGIN IMMEDIATE");
      if (rc != SQLITE_OK) {
        last = SqliteError(c.db(), rc, "begin");
        if (IsBusy(rc)) continue;
        break;
      }
      bool busy = false;
      bool any_ok = false;
      for (PendingWrite* w : batch) {
        if (!RunOne(c, *w, savepoints)) {
          busy = true;
          break;
        }
        any_ok = any_ok || w->status.ok();
      }
      if (busy) {
        c.Exec("ROLLBACK");
        last = xds::XdsStatus(xds::XdsError::kRegistryBusy, "database busy");
        continue;
      }
      if (!any_ok) {  // nothing to keep
        c.Exec("ROLLBACK");
        return;
      }
      rc = c.Exec("COMMIT");
      if (rc == SQLITE_OK) return;
      last = SqliteError(c.db(), rc, "commit");
      c.Exec("ROLLBACK");
      if (!IsBusy(rc)) break;
    }
    // Not committed: no function of the batch took effect.
    for (PendingWrite* w : batch) {
      if (w->status.ok() || IsBusyStatus(w->status)) w->status = last;
    }
  }

  static bool IsBusyStatus(const Status& s) {
    return s.detail() == xds::XdsErrorCode(xds::XdsError::kRegistryBusy);
  }

  // Checkpoints the whole WAL into the database and empties it (the writer's own call; the
  // background checkpointer cannot run a RESTART while a long bulk transaction holds the
  // writer mutex). Best effort: a reader of another process may keep frames.
  void TruncateWal() {
    sqlite3_wal_checkpoint_v2(writer->db(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  }

  // Attaches the staging database (created when missing) as `bulk`.
  Status AttachStaging() {
    Connection& c = *writer;
    auto st = c.Prepare("ATTACH DATABASE ? AS bulk");
    if (!st.ok()) return st.status();
    Stmt s = std::move(st.value());
    s.Bind(1, staging_path);
    RENKEI_RETURN_IF_ERROR(s.Run("attach staging"));
    // Its rollback journal stays in memory and nothing is synced: a load that dies leaves
    // a staging file to merge or, if torn, to load again; never a damaged registry.
    int rc = c.Exec(
        "PRAGMA bulk.journal_mode=MEMORY; PRAGMA bulk.synchronous=OFF; "
        "CREATE TABLE IF NOT EXISTS bulk.leaves(cluster INTEGER NOT NULL, kind INTEGER NOT NULL,"
        " seq INTEGER NOT NULL, xml BLOB NOT NULL)");
    if (rc != SQLITE_OK) return SqliteError(c.db(), rc, "create staging table");
    return Status::Ok();
  }

  // Moves the staged fragments into `leaves` in key order (one external sort, temporary
  // files on disk: the staging table can be larger than memory), then drops the staging
  // database. OR IGNORE: a merge interrupted after its commit and before the file was
  // deleted runs again harmlessly.
  Status MergeStagedLeaves() {
    Connection& c = *writer;
    int rc = c.Exec(
        "PRAGMA temp_store=FILE; BEGIN IMMEDIATE; "
        "INSERT OR IGNORE INTO main.leaves(cluster, kind, seq, xml) "
        "SELECT cluster, kind, seq, xml FROM bulk.leaves ORDER BY cluster, kind, seq; "
        "COMMIT;");
    Status merged = rc == SQLITE_OK ? Status::Ok() : SqliteError(c.db(), rc, "merge staged leaves");
    if (rc != SQLITE_OK) c.Exec("ROLLBACK");
    c.Exec("PRAGMA temp_store=MEMORY; DETACH DATABASE bulk");
    RENKEI_RETURN_IF_ERROR(merged);
    if (!memory) {
      std::remove(staging_path.c_str());
      std::remove((staging_path + "-journal").c_str());
    }
    return Status::Ok();
  }

  // Runs `fn(Connection&)` on a reader (or, for memory databases, the writer).
  template <typename Fn>
  auto WithReader(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    if (memory || t_in_apply == this) {
      std::lock_guard<std::recursive_mutex> lock(writer_mu);
      return fn(*writer);
    }
    // A read is one statement: sqlite gives it one consistent snapshot (WAL).
    return readers.With(fn);
  }
};

SqliteRegistryStore::SqliteRegistryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteRegistryStore::~SqliteRegistryStore() = default;

Result<std::unique_ptr<SqliteRegistryStore>> SqliteRegistryStore::Open(const std::string& path,
                                                                       Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->memory = path == ":memory:" || path.empty();
  auto writer = OpenConnection(impl->memory ? ":memory:" : path, false, options.busy_timeout_ms,
                                 options.writer_cache_kib, options.synchronous_full);
  if (!writer.ok()) return writer.status();
  impl->writer = std::move(writer.value());
  // A WAL left large (a process stopped before it was checkpointed) makes every page read
  // search its index (sqlite3WalFindFrame: most of the time of an index build over a 17 GB
  // WAL): copy it into the database first.
  if (!impl->memory) impl->TruncateWal();
  RENKEI_RETURN_IF_ERROR(EnsureSchema(*impl->writer));
  impl->staging_path = impl->memory ? ":memory:" : path + "-bulk";
  if (!impl->memory && std::ifstream(impl->staging_path).good()) {  // a load stopped half way
    RENKEI_RETURN_IF_ERROR(impl->AttachStaging());
    RENKEI_RETURN_IF_ERROR(impl->MergeStagedLeaves());
  }
  if (!impl->memory && options.checkpoint_interval_ms > 0) {
    std::string pragmas = "PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=" +
                          std::to_string(options.wal_restart_bytes);
    if (impl->writer->Exec(pragmas.c_str()) != SQLITE_OK) {
      return SqliteError(impl->writer->db(), SQLITE_ERROR, "configure checkpoints");
    }
    auto cp = OpenConnection(path, false, options.busy_timeout_ms, 1024, false);
    if (!cp.ok()) return cp.status();
    impl->checkpoint_conn = std::move(cp.value());
    impl->checkpointer = std::thread([p = impl.get()] { p->CheckpointLoop(); });
  }
  if (!impl->memory) {
    int n = options.reader_connections < 1 ? 1 : options.reader_connections;
    for (int i = 0; i < n; ++i) {
      auto r = OpenConnection(path, true, options.busy_timeout_ms, options.cache_kib, false);
      if (!r.ok()) return r.status();
      impl->readers.Add(std::move(r.value()));
    }
  }
  if (!impl->memory && options.prewarm) {
    auto scan = OpenConnection(path, true, options.busy_timeout_ms, 1024, false, false);
    if (!scan.ok()) return scan.status();
    impl->prewarm_scan = std::move(scan.value());
    auto map = OpenConnection(path, true, options.busy_timeout_ms, 1024, false, true);
    if (!map.ok()) return map.status();
    impl->prewarm_map = std::move(map.value());
    impl->prewarmer = std::thread([p = impl.get()] {
      Result<double> s = Prewarm(*p->prewarm_scan, p->stop_prewarm);
      Result<double> m = s.ok() ? Prewarm(*p->prewarm_map, p->stop_prewarm) : s;
      if (!m.ok()) {
        LogWarning("registry: prewarm failed: " + m.status().ToString());
      } else if (!p->stop_prewarm) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f", *s + *m);
        LogInfo(std::string("registry: prewarmed the fragments, uniqueId and patient indexes in ") +
                seconds + " s");
      }
    });
  }
  return std::unique_ptr<SqliteRegistryStore>(new SqliteRegistryStore(std::move(impl)));
}

// Group commit: every Apply queues its function; whichever caller finds no batch running
// becomes the leader, takes up to Options::max_batch queued functions and runs them in one
// transaction, each inside its own SAVEPOINT (a function that fails is rolled back alone,
// and each function sees the writes of those before it, exactly as if they had run one after
// the other). One COMMIT then makes the whole batch durable, and only then does any of its
// callers return: nothing is acknowledged before its commit. Under load the per-commit cost
// (the WAL frames of the pages every registration touches, and with synchronous_full the
// fsync) is shared by the batch; alone, a batch is one function and no savepoint.
Status SqliteRegistryStore::Apply(const std::function<Status(RegistryTransaction&)>& fn) {
  if (t_in_apply == impl_.get()) {
    return xds::XdsStatus(xds::XdsError::kRegistryError, "nested RegistryStore::Apply");
  }
  Impl::PendingWrite me{&fn, Status::Ok(), nullptr, false};
  std::unique_lock<std::mutex> lock(impl_->queue_mu);
  impl_->queue.push_back(&me);
  while (!me.done) {
    if (impl_->leader_active) {
      impl_->queue_cv.wait(lock);
      continue;
    }
    impl_->leader_active = true;
    std::vector<Impl::PendingWrite*> batch;
    size_t max_batch = static_cast<size_t>(std::max(1, impl_->options.max_batch));
    while (!impl_->queue.empty() && batch.size() < max_batch) {
      batch.push_back(impl_->queue.front());
      impl_->queue.pop_front();
    }
    lock.unlock();
    impl_->RunBatch(batch);
    lock.lock();
    for (Impl::PendingWrite* w : batch) w->done = true;
    impl_->queue_cv.notify_all();
    impl_->leader_active = false;
    impl_->queue_cv.notify_all();
  }
  lock.unlock();
  if (me.error) std::rethrow_exception(me.error);
  return me.status;
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

Status SqliteRegistryStore::DropIndexes() {
  std::lock_guard<std::recursive_mutex> lock(impl_->writer_mu);
  if (!impl_->bulk_loading) {
    RENKEI_RETURN_IF_ERROR(impl_->AttachStaging());
    impl_->bulk_loading = true;
  }
  return DropSecondaryIndexes(*impl_->writer);
}

Status SqliteRegistryStore::BuildIndexes() {
  std::lock_guard<std::recursive_mutex> lock(impl_->writer_mu);
  if (impl_->bulk_loading) {
    impl_->bulk_loading = false;
    RENKEI_RETURN_IF_ERROR(impl_->MergeStagedLeaves());
  }
  // The load and the merge left their frames in the WAL (the checkpointer waits for this
  // mutex): an index build reading through a WAL of many GB spends its time searching it.
  if (!impl_->memory) impl_->TruncateWal();
  Status built = EnsureSchema(*impl_->writer);
  if (!impl_->memory) impl_->TruncateWal();
  return built;
}

Result<std::vector<std::string>> SqliteRegistryStore::ExplainFind(const ObjectFilter& filter) {
  return impl_->WithReader([&](Connection& c) { return Explain(c, &filter, nullptr); });
}

Result<std::vector<std::string>> SqliteRegistryStore::ExplainFindAssociations(
    const AssociationFilter& filter) {
  return impl_->WithReader([&](Connection& c) { return Explain(c, nullptr, &filter); });
}

}  // namespace renkei::registry
