// Document files and their SQLite index (repository/document_store.h).
#include "repository/document_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/UUIDGenerator.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>

#include "common/log.h"
#include "common/sqlite_connection.h"
#include "common/utc_time.h"

namespace renkei::repository {
namespace fs = std::filesystem;

namespace {

constexpr size_t kBufferBytes = 256 * 1024;

Status IoError(const std::string& what) {
  return Status::Internal(kStoreError, what + ": " + std::strerror(errno));
}

// fsync of a directory, so a rename or a new entry in it is durable.
Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open directory " + dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError("cannot fsync directory " + dir);
  return Status::Ok();
}

std::string RandomName() {
  std::string s = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  std::erase(s, '-');
  return s;
}

Status StoreSqlError(sqlite3* db, int rc, const std::string& what) {
  if (sqlite::IsBusy(rc)) {
    return Status::Unavailable(kStoreError, "document index busy: " + what);
  }
  return Status::Internal(kStoreError,
                          "document index: " + what + ": " + sqlite3_errmsg(db));
}

constexpr int kReaders = 4;

Result<std::unique_ptr<sqlite::Connection>> OpenReader(const std::string& dir) {
  sqlite::OpenOptions o;
  o.read_only = true;
  o.cache_kib = 2048;
  o.map_whole_file = false;
  o.mmap_bytes = 0;
  return sqlite::Connection::Open(dir + "/documents.sqlite", o, &StoreSqlError);
}

// {pending, registered}.
Result<std::pair<int64_t, int64_t>> CountStates(sqlite::Connection& db) {
  auto s = db.Prepare("SELECT state, count(*) FROM documents GROUP BY state");
  if (!s.ok()) return s.status();
  std::pair<int64_t, int64_t> c{0, 0};
  while (s->Step() == SQLITE_ROW) (s->Int(0) == 0 ? c.first : c.second) = s->Int(1);
  return c;
}

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS documents(
  unique_id TEXT PRIMARY KEY,
  file TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  state INTEGER NOT NULL,
  staged_at INTEGER NOT NULL,
  patient_id TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_pending ON documents(staged_at) WHERE state = 0;
)sql";

}  // namespace

struct Upload::Hasher {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Hasher() { EVP_MD_CTX_free(ctx); }
};

Upload::Upload(std::string temp_path, int fd, uint64_t max_bytes)
    : temp_path_(std::move(temp_path)), fd_(fd), max_bytes_(max_bytes),
      hasher_(std::make_unique<Hasher>()) {
  EVP_DigestInit_ex(hasher_->ctx, EVP_sha1(), nullptr);
}

Upload::~Upload() {
  if (fd_ >= 0) ::close(fd_);
  if (!staged_) ::unlink(temp_path_.c_str());
}

Status Upload::Write(const char* data, size_t n) {
  if (fd_ < 0) return Status::Internal(kStoreError, "upload already finished");
  if (size_ + n > max_bytes_) {
    return Status::ResourceExhausted(kStoreFull, "document larger than the repository's limit of " +
                                                     std::to_string(max_bytes_) + " bytes");
  }
  EVP_DigestUpdate(hasher_->ctx, data, n);
  size_ += n;
  while (n > 0) {
    ssize_t w = ::write(fd_, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write " + temp_path_);
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

Status Upload::WriteFrom(std::istream& in) {
  // One buffer per request thread (not per upload: no 256 KiB to clear for each document).
  thread_local std::vector<char> buffer(kBufferBytes);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    RENKEI_RETURN_IF_ERROR(Write(buffer.data(), static_cast<size_t>(got)));
  }
  if (in.bad()) return Status::Internal(kStoreError, "reading the document stream failed");
  return Status::Ok();
}

Status Upload::Finish() {
  if (fd_ < 0) return Status::Internal(kStoreError, "upload already finished");
  if (::fdatasync(fd_) != 0) return IoError("cannot fsync " + temp_path_);
  ::close(fd_);
  fd_ = -1;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(hasher_->ctx, md, &len);
  static const char kHex[] = "0123456789abcdef";
  sha1_hex_.clear();
  for (unsigned int i = 0; i < len; ++i) {
    sha1_hex_.push_back(kHex[md[i] >> 4]);
    sha1_hex_.push_back(kHex[md[i] & 15]);
  }
  return Status::Ok();
}

// One index row of a Stage call.
struct StageRow {
  std::string unique_id, file, mime_type, hash;
  uint64_t size;
  std::string patient_id;
};

// Stores made before patient_id was recorded (access tickets) get the column, empty.
Status AddPatientColumn(sqlite::Connection& db) {
  auto s = db.Prepare("SELECT 1 FROM pragma_table_info('documents') WHERE name = 'patient_id'");
  if (!s.ok()) return s.status();
  if (s->Step() == SQLITE_ROW) return Status::Ok();
  if (int rc = db.Exec("ALTER TABLE documents ADD COLUMN patient_id TEXT NOT NULL DEFAULT ''");
      rc != SQLITE_OK) {
    return db.Error(rc, "add the patient_id column");
  }
  LogInfo("repository: document index upgraded (patient_id; older documents have none)");
  return Status::Ok();
}

struct DocumentStore::Impl {
  std::string dir, tmp_dir, docs_dir;
  Options options;
  std::mutex mu;  // the one writer connection
  std::unique_ptr<sqlite::Connection> db;
  // Read-only connections for lookups (ITI-43, ITI-68, the reconciler): in WAL mode they
  // never wait for the writer, which holds `mu` through each group commit's fsync.
  sqlite::ReaderPool readers;

  // Group commit of Stage calls: concurrent submissions share one fsync. Each waits in the
  // queue; one of them (the leader) commits everything queued in one transaction, each
  // submission in its own savepoint so that one refused submission never affects another.
  struct Waiter {
    const std::vector<StageRow>* rows;
    Status result;
    bool done = false;
  };
  std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::vector<Waiter*> queue;
  bool leader_active = false;

  Status GroupCommit(const std::vector<StageRow>& rows) {
    Waiter w{&rows, Status::Ok(), false};
    std::unique_lock<std::mutex> lock(queue_mu);
    queue.push_back(&w);
    while (!w.done) {
      if (leader_active) {
        queue_cv.wait(lock);
        continue;
      }
      leader_active = true;
      std::vector<Waiter*> batch;
      batch.swap(queue);
      lock.unlock();
      CommitBatch(batch);
      lock.lock();
      for (Waiter* x : batch) x->done = true;
      leader_active = false;
      queue_cv.notify_all();
    }
    return w.result;
  }

  void CommitBatch(const std::vector<Waiter*>& batch) {
    std::lock_guard<std::mutex> lock(mu);
    // This commit alone is synchronous FULL (see Open), restored to NORMAL after it.
    db->Exec("PRAGMA synchronous=FULL");
    struct Normal {
      sqlite::Connection& db;
      ~Normal() { db.Exec("PRAGMA synchronous=NORMAL"); }
    } normal{*db};
    if (int rc = db->Exec("BEGIN IMMEDIATE"); rc != SQLITE_OK) {
      const Status s = db->Error(rc, "begin");
      for (Waiter* w : batch) w->result = s;
      return;
    }
    const int64_t now = UnixMillisNow();
    for (Waiter* w : batch) {
      db->Exec("SAVEPOINT stage");
      w->result = InsertRows(*w->rows, now);
      if (!w->result.ok()) db->Exec("ROLLBACK TO stage");
      db->Exec("RELEASE stage");
    }
    if (int rc = db->Exec("COMMIT"); rc != SQLITE_OK) {
      const Status s = db->Error(rc, "commit");
      db->Exec("ROLLBACK");
      for (Waiter* w : batch) {
        if (w->result.ok()) w->result = s;
      }
    }
  }

  // The rows of one submission (inside its savepoint). Conflict for a uniqueId already here.
  Status InsertRows(const std::vector<StageRow>& rows, int64_t now) {
    for (const StageRow& r : rows) {
      auto find = db->Prepare("SELECT hash FROM documents WHERE unique_id = ?");
      if (!find.ok()) return find.status();
      find->Bind(1, r.unique_id);
      if (find->Step() == SQLITE_ROW) {
        const bool same = find->Text(0) == r.hash;
        return Status::Conflict(
            same ? "XDSDuplicateUniqueIdInRegistry" : "XDSNonIdenticalHash",
            "document uniqueId " + r.unique_id + " is already in this repository" +
                (same ? "" : " with another hash"),
            r.unique_id);
      }
      auto ins = db->Prepare(
          "INSERT INTO documents(unique_id, file, mime_type, hash, size, state, staged_at, "
          "patient_id) VALUES(?, ?, ?, ?, ?, 0, ?, ?)");
      if (!ins.ok()) return ins.status();
      ins->BindAll({r.unique_id, r.file, r.mime_type, r.hash, static_cast<int64_t>(r.size), now,
                    r.patient_id});
      RENKEI_RETURN_IF_ERROR(ins->Run("stage a document"));
    }
    return Status::Ok();
  }

  std::string Absolute(const std::string& file) const { return docs_dir + "/" + file; }

  // `sql` with one parameter, once per id, in one transaction (REQUIRES: mu held).
  Status RunForEach(const char* sql, const std::vector<std::string>& ids, const char* what) {
    if (int rc = db->Exec("BEGIN IMMEDIATE"); rc != SQLITE_OK) return db->Error(rc, "begin");
    for (const std::string& id : ids) {
      auto st = db->Prepare(sql);
      Status s = st.ok() ? Status::Ok() : st.status();
      if (s.ok()) {
        st->Bind(1, id);
        s = st->Run(what);
      }
      if (!s.ok()) {
        db->Exec("ROLLBACK");
        return s;
      }
    }
    if (int rc = db->Exec("COMMIT"); rc != SQLITE_OK) {
      db->Exec("ROLLBACK");
      return db->Error(rc, "commit");
    }
    return Status::Ok();
  }

  StoredDocument Row(sqlite::Stmt& s) const {
    StoredDocument d;
    d.unique_id = s.Text(0);
    d.path = Absolute(s.Text(1));
    d.mime_type = s.Text(2);
    d.hash = s.Text(3);
    d.size = static_cast<uint64_t>(s.Int(4));
    d.state = s.Int(5) == 0 ? DocumentState::kPending : DocumentState::kRegistered;
    d.staged_at_ms = s.Int(6);
    d.patient_id = s.Text(7);
    return d;
  }
};

DocumentStore::DocumentStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DocumentStore::~DocumentStore() = default;

const std::string& DocumentStore::dir() const { return impl_->dir; }

Result<std::unique_ptr<DocumentStore>> DocumentStore::Open(const std::string& dir,
                                                           Options options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->tmp_dir = dir + "/tmp";
  impl->docs_dir = dir + "/documents";
  impl->options = options;
  std::error_code ec;
  for (const std::string& d : {impl->dir, impl->tmp_dir, impl->docs_dir}) {
    fs::create_directories(d, ec);
    if (ec) {
      return Status::Internal(kStoreError, "cannot create " + d + ": " + ec.message());
    }
  }
  // Temp files of a previous run were never acknowledged.
  size_t stale = 0;
  for (const auto& e : fs::directory_iterator(impl->tmp_dir, ec)) {
    if (!options.remove_stale_temp_files) break;
    fs::remove(e.path(), ec);
    ++stale;
  }
  if (stale > 0) LogInfo("repository: removed " + std::to_string(stale) + " stale temp files");

  sqlite::OpenOptions o;
  // NORMAL: a commit survives a crash of the process; Stage alone switches to FULL (fsync),
  // since a staged row must be durable before the registry hears of it. Losing a later
  // MarkRegistered or Discard to an OS crash leaves a pending row, which the reconciler
  // settles with the registry.
  o.synchronous_full = false;
  o.cache_kib = 8192;
  o.map_whole_file = false;
  o.mmap_bytes = 0;
  auto db = sqlite::Connection::Open(dir + "/documents.sqlite", o, &StoreSqlError);
  if (!db.ok()) return db.status();
  impl->db = std::move(db.value());
  char* err = nullptr;
  if (sqlite3_exec(impl->db->db(), kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    return Status::Internal(kStoreError, "document index schema: " + m);
  }
  RENKEI_RETURN_IF_ERROR(AddPatientColumn(*impl->db));
  for (int i = 0; i < kReaders; ++i) {
    auto reader = OpenReader(dir);
    if (!reader.ok()) return reader.status();
    impl->readers.Add(std::move(reader.value()));
  }
  return std::unique_ptr<DocumentStore>(new DocumentStore(std::move(impl)));
}

Result<std::pair<int64_t, int64_t>> DocumentStore::ReadCounts(const std::string& dir) {
  if (!fs::exists(dir + "/documents.sqlite")) {
    return Status::NotFound(kStoreError, "no document store at " + dir);
  }
  auto db = OpenReader(dir);
  if (!db.ok()) return db.status();
  return CountStates(**db);
}

Result<std::unique_ptr<Upload>> DocumentStore::BeginUpload() {
  std::string path = impl_->tmp_dir + "/" + RandomName() + ".part";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return IoError("cannot create " + path);
  return std::unique_ptr<Upload>(new Upload(std::move(path), fd, impl_->options.max_document_bytes));
}

Status DocumentStore::Stage(const std::vector<StageEntry>& entries) {
  struct Move {
    const StageEntry* entry;
    std::string file;  // relative to documents/
  };
  std::vector<Move> moves;
  std::set<std::string> subdirs;
  for (const StageEntry& e : entries) {
    if (e.upload == nullptr || e.upload->fd_ >= 0) {
      return Status::Internal(kStoreError, "staging an unfinished upload of " + e.unique_id);
    }
    const std::string name = RandomName();
    const std::string sub = name.substr(0, 2);
    subdirs.insert(sub);
    moves.push_back({&e, sub + "/" + name});
  }
  // The subdirectories first (a new one is made durable in documents/).
  for (const std::string& sub : subdirs) {
    const std::string d = impl_->docs_dir + "/" + sub;
    if (::mkdir(d.c_str(), 0750) == 0) {
      RENKEI_RETURN_IF_ERROR(SyncDir(impl_->docs_dir));
    } else if (errno != EEXIST) {
      return IoError("cannot create " + d);
    }
  }
  std::vector<StageRow> rows;
  for (const Move& m : moves) {
    rows.push_back({m.entry->unique_id, m.file, m.entry->mime_type, m.entry->upload->sha1_hex(),
                    m.entry->upload->size(), m.entry->patient_id});
  }
  RENKEI_RETURN_IF_ERROR(impl_->GroupCommit(rows));
  // Rows are durable; now the files. A failure here discards the rows again.
  for (const Move& m : moves) {
    const std::string to = impl_->Absolute(m.file);
    if (::rename(m.entry->upload->temp_path_.c_str(), to.c_str()) != 0) {
      Status s = IoError("cannot move a document to " + to);
      std::vector<std::string> ids;
      for (const Move& x : moves) ids.push_back(x.entry->unique_id);
      (void)Discard(ids);
      return s;
    }
    m.entry->upload->staged_ = true;
  }
  for (const std::string& sub : subdirs) {
    RENKEI_RETURN_IF_ERROR(SyncDir(impl_->docs_dir + "/" + sub));
  }
  return Status::Ok();
}

Status DocumentStore::MarkRegistered(const std::vector<std::string>& unique_ids) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->RunForEach("UPDATE documents SET state = 1 WHERE unique_id = ?", unique_ids,
                           "mark registered");
}

Status DocumentStore::Discard(const std::vector<std::string>& unique_ids) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  // The files first: a crash in between leaves a pending row without its file, which the
  // reconciler discards again; never a file that no row names (an orphan no scan finds).
  for (const std::string& id : unique_ids) {
    auto file = impl_->db->Prepare("SELECT file FROM documents WHERE unique_id = ? AND state = 0");
    if (!file.ok()) return file.status();
    file->Bind(1, id);
    if (file->Step() == SQLITE_ROW) ::unlink(impl_->Absolute(file->Text(0)).c_str());
  }
  return impl_->RunForEach("DELETE FROM documents WHERE unique_id = ? AND state = 0", unique_ids,
                           "discard a document");
}

Result<StoredDocument> DocumentStore::Find(const std::string& unique_id) {
  return impl_->readers.With([&](sqlite::Connection& db) -> Result<StoredDocument> {
    auto s = db.Prepare(
        "SELECT unique_id, file, mime_type, hash, size, state, staged_at, patient_id "
        "FROM documents "
        "WHERE unique_id = ? AND state = 1");
    if (!s.ok()) return s.status();
    s->Bind(1, unique_id);
    if (s->Step() != SQLITE_ROW) {
      return Status::NotFound("XDSDocumentUniqueIdError",
                              "no document with uniqueId " + unique_id + " in this repository",
                              unique_id);
    }
    return impl_->Row(*s);
  });
}

Result<std::vector<StoredDocument>> DocumentStore::Pending() {
  return impl_->readers.With([&](sqlite::Connection& db) -> Result<std::vector<StoredDocument>> {
    auto s = db.Prepare(
        "SELECT unique_id, file, mime_type, hash, size, state, staged_at, patient_id "
        "FROM documents "
        "WHERE state = 0 ORDER BY staged_at");
    if (!s.ok()) return s.status();
    std::vector<StoredDocument> out;
    while (s->Step() == SQLITE_ROW) out.push_back(impl_->Row(*s));
    return out;
  });
}

Result<std::pair<int64_t, int64_t>> DocumentStore::Counts() {
  return impl_->readers.With([](sqlite::Connection& db) { return CountStates(db); });
}

}  // namespace renkei::repository
