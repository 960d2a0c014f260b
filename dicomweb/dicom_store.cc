// DICOM store: Part 10 files renamed into place after fsync, an SQLite index of QIDO
// attributes and cached metadata.
#include "dicomweb/dicom_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <chrono>
#include <condition_variable>
#include <map>
#include <thread>
#include <mutex>
#include <set>

#include "common/log.h"
#include "common/sqlite_connection.h"
#include "common/utc_time.h"
#include "dicomweb/dicom_reader.h"
#include "dicomweb/qido_sql.h"

namespace renkei::dicomweb {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS studies(
  study_uid TEXT PRIMARY KEY, patient_id TEXT, issuer TEXT, patient_name TEXT,
  birth_date TEXT, sex TEXT, study_date TEXT, study_time TEXT, accession TEXT,
  study_id TEXT, description TEXT, referring TEXT, regional_id TEXT);
CREATE INDEX IF NOT EXISTS studies_patient ON studies(patient_id);
CREATE INDEX IF NOT EXISTS studies_date ON studies(study_date);
CREATE INDEX IF NOT EXISTS studies_accession ON studies(accession);
CREATE TABLE IF NOT EXISTS series(
  series_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL, modality TEXT, series_number TEXT,
  description TEXT, pps_date TEXT, pps_time TEXT);
CREATE INDEX IF NOT EXISTS series_study ON series(study_uid, modality);
CREATE TABLE IF NOT EXISTS instances(
  sop_uid TEXT PRIMARY KEY, series_uid TEXT NOT NULL, study_uid TEXT NOT NULL,
  sop_class TEXT, instance_number TEXT, rows INTEGER, columns INTEGER, frames INTEGER,
  samples INTEGER, bits INTEGER, pixel_offset INTEGER,
  transfer_syntax TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,
  metadata TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS instances_series ON instances(series_uid);
CREATE INDEX IF NOT EXISTS instances_study ON instances(study_uid);
CREATE TABLE IF NOT EXISTS manifests(uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL) WITHOUT ROWID;
)sql";

// Columns added after a store's first version: added to an older index when it opens.
constexpr struct {
  const char* table;
  const char* column;
  const char* type;
} kAddedColumns[] = {{"studies", "regional_id", "TEXT"},
                     {"studies", "last_stored_ms", "INTEGER"},
                     {"studies", "manifest_count", "INTEGER"},
                     {"studies", "manifest_uid", "TEXT"},
                     {"studies", "manifest_entry", "TEXT"},
                     {"instances", "patient_id", "TEXT"},
                     {"instances", "issuer", "TEXT"}};

// A study whose instances do not all name its patient (PatientID and IssuerOfPatientID of its
// last stored instance): e.g. one misfiled instance. It is neither published nor opened to
// another facility until they agree again. `st` is the study row.
constexpr char kMixedPatients[] =
    "EXISTS (SELECT 1 FROM instances i WHERE i.study_uid = st.study_uid AND "
    "(i.patient_id IS NOT st.patient_id OR i.issuer IS NOT st.issuer))";

Status IoError(int reason, const std::string& what) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "dicom.0x%04X", reason);
  return Status::Internal(buf, what + ": " + std::strerror(errno));
}

Status FsyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return IoError(kFailureProcessing, "cannot open directory " + dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError(kFailureProcessing, "cannot fsync directory " + dir);
  return Status::Ok();
}

// mkdir that accepts an existing directory; fsyncs the parent when it made one.
Status MakeDir(const std::string& dir, const std::string& parent) {
  if (::mkdir(dir.c_str(), 0750) == 0) return FsyncDir(parent);
  if (errno == EEXIST) return Status::Ok();
  return IoError(kFailureOutOfResources, "cannot create directory " + dir);
}

Status StoreError(sqlite3* db, int rc, const std::string& what) {
  return Status::Internal("dicom.0x0110", "DICOM index: " + what + ": " + sqlite3_errmsg(db));
}

// dicom_match(pattern, value, nocase): DICOM wildcard matching (qido_query.h).
void DicomMatch(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const char* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const char* v = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  if (p == nullptr || v == nullptr) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  std::string pattern = p, value = v;
  if (sqlite3_value_int(argv[2]) != 0) {
    for (char& c : pattern) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  sqlite3_result_int(ctx, WildcardMatch(pattern, value) ? 1 : 0);
}

Result<std::unique_ptr<sqlite::Connection>> OpenIndex(const std::string& path, bool read_only) {
  sqlite::OpenOptions o;
  o.read_only = read_only;
  o.synchronous_full = true;  // an acknowledged instance survives an OS crash
  o.cache_kib = 8192;
  RENKEI_ASSIGN_OR_RETURN(auto c, sqlite::Connection::Open(path, o, &StoreError));
  sqlite3_create_function(c->db(), "dicom_match", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                          nullptr, &DicomMatch, nullptr, nullptr);
  return c;
}

}  // namespace

struct DicomStore::Impl {
  std::string dir;
  Options options;

  // --- PIX linking: studies waiting for their patient's regional ID.
  struct LinkJob {
    std::string study_uid, issuer, patient_id;
  };
  std::mutex link_mu;
  std::condition_variable link_cv;
  std::vector<LinkJob> link_queue;
  std::map<std::string, std::string> linked;  // issuer|id -> regional CX
  std::map<std::string, std::chrono::steady_clock::time_point> link_failed;
  bool link_stop = false;
  std::thread linker;

  void QueueLink(const DicomInstance& d) {
    if (!options.linker || d.patient_id.empty()) return;
    const std::string issuer =
        d.issuer_of_patient_id.empty() ? options.default_issuer : d.issuer_of_patient_id;
    if (issuer.empty()) return;
    {
      std::lock_guard<std::mutex> lock(link_mu);
      link_queue.push_back({d.study_uid, issuer, d.patient_id});
    }
    link_cv.notify_one();
  }

  void RunLinker() {
    pthread_setname_np(pthread_self(), "dicom-pix-link");
    std::unique_lock<std::mutex> lock(link_mu);
    for (;;) {
      link_cv.wait(lock, [this] { return link_stop || !link_queue.empty(); });
      if (link_stop) return;
      std::vector<LinkJob> jobs;
      jobs.swap(link_queue);
      lock.unlock();
      // One link per study and patient: a study's instances arrive together.
      std::set<std::string> done;
      for (const LinkJob& job : jobs) {
        if (done.insert(job.study_uid + '|' + job.issuer + '|' + job.patient_id).second) Link(job);
      }
      lock.lock();
    }
  }

  void Link(const LinkJob& job) {
    const std::string key = job.issuer + "|" + job.patient_id;
    std::string regional;
    {
      std::lock_guard<std::mutex> lock(link_mu);
      if (auto it = linked.find(key); it != linked.end()) regional = it->second;
      auto failed = link_failed.find(key);
      if (regional.empty() && failed != link_failed.end() &&
          std::chrono::steady_clock::now() - failed->second <
              std::chrono::seconds(options.retry_seconds)) {
        return;
      }
    }
    if (regional.empty()) {
      Result<std::string> r = options.linker(job.issuer, job.patient_id);
      std::lock_guard<std::mutex> lock(link_mu);
      if (!r.ok()) {
        link_failed[key] = std::chrono::steady_clock::now();
        LogInfo("dicomweb: patient " + job.patient_id + " of " + job.issuer +
                " not linked to a regional ID yet: " + r.status().message());
        return;
      }
      regional = *r;
      linked[key] = regional;
      link_failed.erase(key);
    }
    std::lock_guard<std::mutex> lock(write_mu);
    // Only while the study is still this patient's (a corrected study re-sent under another
    // PatientID lost its link in the upsert, and an older job must not restore it). An
    // issuer the study does not name is the default one.
    auto st = writer->Prepare(
        "UPDATE studies SET regional_id = ? WHERE study_uid = ? AND patient_id = ? AND "
        "(issuer = ? OR (COALESCE(issuer, '') = '' AND ? = ?))");
    if (!st.ok()) return;
    st->BindAll({regional, job.study_uid, job.patient_id, job.issuer, job.issuer,
                 options.default_issuer});
    Status done = st->Run("link the study's patient");
    if (!done.ok()) LogError("dicomweb: " + done.ToString());
  }

  void StopLinker() {
    {
      std::lock_guard<std::mutex> lock(link_mu);
      link_stop = true;
    }
    link_cv.notify_all();
    if (linker.joinable()) linker.join();
  }
  std::mutex write_mu;
  std::unique_ptr<sqlite::Connection> writer;
  sqlite::ReaderPool readers;

  std::string FileDir(const DicomInstance& d) const {
    return dir + "/files/" + d.study_uid + "/" + d.series_uid;
  }

  // The index rows of one instance, in the caller's transaction; `replaced_path` gets the
  // file of an instance with the same SOP Instance UID stored before.
  Status IndexRows(const DicomInstance& d, const std::string& path, uint64_t size,
                   std::string* replaced_path) {
    sqlite::Connection& c = *writer;
    {
      RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt old,
                              c.Prepare("SELECT path FROM instances WHERE sop_uid = ?"));
      old.Bind(1, d.sop_instance_uid);
      if (old.Step() == SQLITE_ROW) *replaced_path = old.Text(0);
    }
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt st,
        c.Prepare("INSERT INTO studies(study_uid, patient_id, issuer, patient_name, "
                  "birth_date, sex, study_date, study_time, accession, study_id, description, "
                  "referring, last_stored_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON "
                  "CONFLICT(study_uid) DO "
                  "UPDATE SET regional_id = CASE WHEN patient_id IS excluded.patient_id AND "
                  "issuer IS excluded.issuer THEN regional_id END, "
                  "patient_id = excluded.patient_id, issuer = excluded.issuer, "
                  "patient_name = excluded.patient_name, birth_date = excluded.birth_date, "
                  "sex = excluded.sex, study_date = excluded.study_date, "
                  "study_time = excluded.study_time, accession = excluded.accession, "
                  "study_id = excluded.study_id, description = excluded.description, "
                  "referring = excluded.referring, last_stored_ms = excluded.last_stored_ms"));
    st.BindAll({d.study_uid, d.patient_id, d.issuer_of_patient_id, d.patient_name,
                d.patient_birth_date, d.patient_sex, d.study_date, d.study_time,
                d.accession_number, d.study_id, d.study_description,
                d.referring_physician_name, UnixMillisNow()});
    RENKEI_RETURN_IF_ERROR(st.Run("index the study"));
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt se,
        c.Prepare("INSERT INTO series(series_uid, study_uid, modality, series_number, "
                  "description, pps_date, pps_time) VALUES (?,?,?,?,?,?,?) "
                  "ON CONFLICT(series_uid) DO UPDATE SET study_uid = excluded.study_uid, "
                  "modality = excluded.modality, series_number = excluded.series_number, "
                  "description = excluded.description, pps_date = excluded.pps_date, "
                  "pps_time = excluded.pps_time"));
    se.BindAll({d.series_uid, d.study_uid, d.modality, d.series_number, d.series_description,
                d.performed_start_date, d.performed_start_time});
    RENKEI_RETURN_IF_ERROR(se.Run("index the series"));
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt in,
        c.Prepare("INSERT OR REPLACE INTO instances(sop_uid, series_uid, study_uid, sop_class, "
                  "instance_number, rows, columns, frames, samples, bits, pixel_offset, "
                  "transfer_syntax, path, size, metadata, patient_id, issuer) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    in.BindAll({d.sop_instance_uid, d.series_uid, d.study_uid, d.sop_class_uid,
                d.instance_number, d.rows, d.columns, d.number_of_frames, d.samples_per_pixel,
                d.bits_allocated, d.pixel_offset, d.transfer_syntax_uid, path,
                static_cast<int64_t>(size), d.metadata_json, d.patient_id,
                d.issuer_of_patient_id});
    return in.Run("index the instance");
  }

  // Group commit of stored instances: concurrent Store calls share the directory fsyncs
  // and one index commit (one WAL fsync). One of them (the leader) commits everything
  // queued, each instance in its own savepoint so that one failure never affects another.
  struct Pending {
    const DicomInstance* instance;
    std::string temp_path;
    int fd;  // the temp file's, fdatasynced by the batch
    uint64_t size;
    Status result;
    bool done = false;
    std::string final_path;  // set by the batch
  };
  std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::vector<Pending*> queue;
  bool leader_active = false;

  // Queues `ps` and returns once all are committed (by this thread as leader or another).
  void GroupCommit(const std::vector<Pending*>& ps) {
    std::unique_lock<std::mutex> lock(queue_mu);
    queue.insert(queue.end(), ps.begin(), ps.end());
    auto all_done = [&] {
      for (Pending* p : ps) {
        if (!p->done) return false;
      }
      return true;
    };
    while (!all_done()) {
      if (leader_active) {
        queue_cv.wait(lock);
        continue;
      }
      leader_active = true;
      std::vector<Pending*> batch;
      batch.swap(queue);
      lock.unlock();
      CommitBatch(batch);
      lock.lock();
      for (Pending* x : batch) x->done = true;
      leader_active = false;
      queue_cv.notify_all();
    }
  }

  // A name of its own for each stored copy, "<sop>.<tag>.dcm": a copy never overwrites the
  // file the index names until its own row is committed (the old file goes after that).
  // `temp_path`'s unique suffix is the tag; a counter is added in the unlikely case of a
  // file of that name.
  std::string NewFinalPath(const DicomInstance& d, const std::string& temp_path) const {
    const std::string tag = temp_path.substr(temp_path.rfind('-') + 1);
    std::string path = FileDir(d) + "/" + d.sop_instance_uid + "." + tag + ".dcm";
    struct stat st;
    for (int n = 1; ::stat(path.c_str(), &st) == 0; ++n) {
      path = FileDir(d) + "/" + d.sop_instance_uid + "." + tag + "-" + std::to_string(n) + ".dcm";
    }
    return path;
  }

  void CommitBatch(const std::vector<Pending*>& batch) {
    std::lock_guard<std::mutex> lock(write_mu);
    // The batch's file data first, one file after another: on ext4 the first fdatasync's
    // journal commit carries the others' block allocations, so the rest only flush data
    // (concurrent fdatasyncs from the request threads each waited for a commit of their own).
    for (Pending* p : batch) {
      if (::fdatasync(p->fd) != 0) {
        p->result = IoError(kFailureOutOfResources, "cannot fsync " + p->temp_path);
      }
    }
    // Files into place; each series directory fsynced once for the batch.
    std::set<std::string> dirs;
    for (Pending* p : batch) {
      if (!p->result.ok()) continue;
      const DicomInstance& d = *p->instance;
      const std::string study_dir = dir + "/files/" + d.study_uid;
      p->result = MakeDir(study_dir, dir + "/files");
      if (p->result.ok()) p->result = MakeDir(FileDir(d), study_dir);
      if (p->result.ok()) p->final_path = NewFinalPath(d, p->temp_path);
      if (p->result.ok() && ::rename(p->temp_path.c_str(), p->final_path.c_str()) != 0) {
        p->result = IoError(kFailureOutOfResources, "cannot move " + p->temp_path + " into place");
      }
      if (p->result.ok()) dirs.insert(FileDir(d));
    }
    for (const std::string& d : dirs) {
      Status synced = FsyncDir(d);
      if (synced.ok()) continue;
      for (Pending* p : batch) {
        if (p->result.ok() && FileDir(*p->instance) == d) p->result = synced;
      }
    }
    // One transaction, a savepoint per instance.
    sqlite::Connection& c = *writer;
    std::vector<std::string> replaced(batch.size());
    int rc = c.Exec("BEGIN IMMEDIATE");
    Status begun = rc == SQLITE_OK ? Status::Ok() : c.Error(rc, "begin");
    for (size_t i = 0; i < batch.size(); ++i) {
      Pending* p = batch[i];
      if (!p->result.ok()) continue;
      if (!begun.ok()) {
        p->result = begun;
        continue;
      }
      c.Exec("SAVEPOINT instance");
      p->result = IndexRows(*p->instance, p->final_path, p->size, &replaced[i]);
      if (!p->result.ok()) c.Exec("ROLLBACK TO instance");
      c.Exec("RELEASE instance");
    }
    if (begun.ok()) {
      rc = c.Exec("COMMIT");
      if (rc != SQLITE_OK) {
        const Status failed = c.Error(rc, "commit");
        c.Exec("ROLLBACK");
        for (Pending* p : batch) {
          if (p->result.ok()) p->result = failed;
        }
      }
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      Pending* p = batch[i];
      if (p->result.ok()) {
        // Committed: the copy it replaced goes (the index no longer names it).
        if (!replaced[i].empty() && replaced[i] != p->final_path) ::unlink(replaced[i].c_str());
      } else {
        // Not acknowledged: its own file goes; a copy stored before stays as it was.
        if (!p->final_path.empty()) ::unlink(p->final_path.c_str());
        ::unlink(p->temp_path.c_str());
      }
    }
  }

  Result<std::vector<std::pair<StoredFile, std::string>>> Read(const std::string& study,
                                                               const std::string& series,
                                                               const std::string& sop,
                                                               bool with_metadata) {
    std::string sql = std::string("SELECT study_uid, series_uid, sop_uid, transfer_syntax, path, "
                                  "size, rows, columns, frames, samples, bits, pixel_offset, ") +
                      (with_metadata ? "metadata" : "''") +
                      " FROM instances WHERE study_uid = ?";
    std::vector<sqlite::Value> params{study};
    if (!series.empty()) {
      sql += " AND series_uid = ?";
      params.push_back(series);
    }
    if (!sop.empty()) {
      sql += " AND sop_uid = ?";
      params.push_back(sop);
    }
    sql += " ORDER BY series_uid, CAST(instance_number AS INTEGER), rowid";
    return readers.With(
        [&](sqlite::Connection& c) -> Result<std::vector<std::pair<StoredFile, std::string>>> {
          RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt s, c.Prepare(sql));
          s.BindAll(params);
          std::vector<std::pair<StoredFile, std::string>> out;
          int rc;
          while ((rc = s.Step()) == SQLITE_ROW) {
            StoredFile f{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4),
                         static_cast<uint64_t>(s.Int(5)), s.Int(6), s.Int(7), s.Int(8),
                         s.Int(9), s.Int(10), s.Int(11)};
            out.emplace_back(std::move(f), s.Text(12));
          }
          if (rc != SQLITE_DONE) return c.Error(rc, "read instances");
          if (out.empty()) {
            return Status::NotFound("dicom", "no such " + std::string(!sop.empty()      ? "instance"
                                                                     : !series.empty() ? "series"
                                                                                       : "study"));
          }
          return out;
        });
  }
};

Incoming::~Incoming() {
  if (fd_ >= 0) ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
}

Status Incoming::Write(std::string_view bytes) {
  if (bytes.size() > max_bytes_ - size_) {
    return Status::ResourceExhausted(
        "dicom.0xA700", "instance over the limit of " + std::to_string(max_bytes_) + " bytes");
  }
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(kFailureOutOfResources, "cannot write " + path_);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  size_ += bytes.size();
  return Status::Ok();
}

Status Incoming::TakeWrittenFile() {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) return IoError(kFailureProcessing, "cannot stat " + path_);
  size_ = static_cast<uint64_t>(st.st_size);
  if (size_ > max_bytes_) {
    return Status::ResourceExhausted(
        "dicom.0xA700", "instance over the limit of " + std::to_string(max_bytes_) + " bytes");
  }
  return Status::Ok();
}

DicomStore::DicomStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DicomStore::~DicomStore() { impl_->StopLinker(); }

Result<std::unique_ptr<DicomStore>> DicomStore::Open(const std::string& dir,
                                                     const Options& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = options;
  for (const std::string& d : {dir, dir + "/tmp", dir + "/files"}) {
    if (::mkdir(d.c_str(), 0750) != 0 && errno != EEXIST) {
      return IoError(kFailureProcessing, "cannot create " + d);
    }
  }
  // Temp files of a crash were never acknowledged.
  if (DIR* tmp = ::opendir((dir + "/tmp").c_str())) {
    while (dirent* e = ::readdir(tmp)) {
      if (e->d_name[0] != '.') ::unlink((dir + "/tmp/" + e->d_name).c_str());
    }
    ::closedir(tmp);
  }
  const std::string index = dir + "/index.sqlite";
  RENKEI_ASSIGN_OR_RETURN(impl->writer, OpenIndex(index, false));
  char* err = nullptr;
  if (sqlite3_exec(impl->writer->db(), kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::Internal("dicom", std::string("DICOM index schema: ") + (err ? err : "?"));
    sqlite3_free(err);
    return s;
  }
  for (const auto& added : kAddedColumns) {
    bool present = false;
    {
      RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt info, impl->writer->Prepare(
                                                     std::string("PRAGMA table_info(") + added.table + ")"));
      while (info.Step() == SQLITE_ROW) present = present || info.Text(1) == added.column;
    }
    if (!present) {
      const std::string sql = std::string("ALTER TABLE ") + added.table + " ADD COLUMN " +
                              added.column + " " + added.type;
      if (int rc = impl->writer->Exec(sql.c_str()); rc != SQLITE_OK) {
        return impl->writer->Error(rc, "add column " + std::string(added.column));
      }
    }
  }
  // Instances indexed before their patient was kept per instance: from their metadata.
  if (int rc = impl->writer->Exec(
          "UPDATE instances SET patient_id = COALESCE(json_extract(metadata, "
          "'$.\"00100020\".Value[0]'), ''), issuer = COALESCE(json_extract(metadata, "
          "'$.\"00100021\".Value[0]'), '') WHERE patient_id IS NULL");
      rc != SQLITE_OK) {
    return impl->writer->Error(rc, "record the instances' patients");
  }
  // An index older than the manifests table knows each study's last manifest only.
  if (int rc = impl->writer->Exec(
          "INSERT OR IGNORE INTO manifests(uid, study_uid) SELECT manifest_uid, study_uid "
          "FROM studies WHERE manifest_uid IS NOT NULL AND manifest_uid <> ''");
      rc != SQLITE_OK) {
    return impl->writer->Error(rc, "list the studies' manifests");
  }
  for (int i = 0; i < 4; ++i) {
    RENKEI_ASSIGN_OR_RETURN(auto r, OpenIndex(index, true));
    impl->readers.Add(std::move(r));
  }
  if (impl->options.linker) {
    Impl* raw = impl.get();
    impl->linker = std::thread([raw] { raw->RunLinker(); });
  }
  return std::unique_ptr<DicomStore>(new DicomStore(std::move(impl)));
}

Result<std::unique_ptr<Incoming>> DicomStore::Begin() {
  std::string path = impl_->dir + "/tmp/in-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return IoError(kFailureOutOfResources, "cannot create a temp file in " + impl_->dir);
  return std::unique_ptr<Incoming>(new Incoming(path, fd, impl_->options.max_instance_bytes));
}

Result<DicomInstance> DicomStore::Decode(const Incoming& incoming, const std::string& study_uid) {
  // Start writing the file back now: the commit's fdatasync then mostly finds it done, and a
  // request's later instances are received while its earlier ones go to disk.
  ::sync_file_range(incoming.fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
  RENKEI_ASSIGN_OR_RETURN(DicomInstance d, ReadDicomFile(incoming.path_));
  if (!study_uid.empty() && d.study_uid != study_uid) {
    return Status::InvalidArgument("dicom.0xA900", "the instance's StudyInstanceUID " +
                                                       d.study_uid + " is not the study " +
                                                       study_uid + " of the request URL");
  }
  return d;
}

std::vector<Status> DicomStore::Commit(const std::vector<Decoded>& instances) {
  std::vector<Impl::Pending> pending;
  pending.reserve(instances.size());
  for (const Decoded& x : instances) {
    pending.push_back({x.instance, x.incoming->path_, x.incoming->fd_, x.incoming->size(),
                       Status::Ok()});
  }
  std::vector<Impl::Pending*> ptrs;
  for (Impl::Pending& p : pending) ptrs.push_back(&p);
  impl_->GroupCommit(ptrs);
  std::vector<Status> out;
  for (size_t i = 0; i < instances.size(); ++i) {
    // Moved into place: no longer the Incoming's to remove.
    if (pending[i].result.ok()) {
      instances[i].incoming->path_.clear();
      impl_->QueueLink(*instances[i].instance);
    }
    out.push_back(pending[i].result);
  }
  return out;
}

Result<DicomInstance> DicomStore::Store(Incoming& incoming, const std::string& study_uid) {
  RENKEI_ASSIGN_OR_RETURN(DicomInstance d, Decode(incoming, study_uid));
  RENKEI_RETURN_IF_ERROR(Commit({{&incoming, &d}}).front());
  return d;
}

Result<std::vector<std::string>> DicomStore::StudiesDueForManifest(int64_t quiet_before_ms) {
  return impl_->readers.With([&](sqlite::Connection& c) -> Result<std::vector<std::string>> {
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt s,
        c.Prepare(std::string("SELECT st.study_uid FROM studies st WHERE st.regional_id IS NOT "
                              "NULL AND st.last_stored_ms < ? AND (SELECT count(*) FROM "
                              "instances i WHERE i.study_uid = st.study_uid) <> "
                              "COALESCE(st.manifest_count, 0) AND NOT ") +
                  kMixedPatients));
    s.Bind(1, quiet_before_ms);
    std::vector<std::string> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(s.Text(0));
    if (rc != SQLITE_DONE) return c.Error(rc, "studies due for a manifest");
    return out;
  });
}

Result<std::vector<DicomInstance>> DicomStore::StudyInstances(const std::string& study_uid,
                                                              std::string* regional_id,
                                                              std::string* manifest_entry) {
  return impl_->readers.With([&](sqlite::Connection& c) -> Result<std::vector<DicomInstance>> {
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt s,
        c.Prepare("SELECT st.patient_id, st.issuer, st.patient_name, st.birth_date, st.sex, "
                  "st.study_date, st.study_time, st.accession, st.study_id, st.description, "
                  "st.referring, COALESCE(st.regional_id, ''), i.series_uid, i.sop_class, "
                  "i.sop_uid, se.modality, COALESCE(st.manifest_entry, '') FROM instances i "
                  "JOIN studies st ON "
                  "st.study_uid = i.study_uid JOIN series se ON se.series_uid = i.series_uid "
                  "WHERE i.study_uid = ? ORDER BY i.series_uid, CAST(i.instance_number AS "
                  "INTEGER), i.rowid"));
    s.Bind(1, study_uid);
    std::vector<DicomInstance> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      DicomInstance d;
      d.patient_id = s.Text(0);
      d.issuer_of_patient_id = s.Text(1);
      d.patient_name = s.Text(2);
      d.patient_birth_date = s.Text(3);
      d.patient_sex = s.Text(4);
      d.study_date = s.Text(5);
      d.study_time = s.Text(6);
      d.accession_number = s.Text(7);
      d.study_id = s.Text(8);
      d.study_description = s.Text(9);
      d.referring_physician_name = s.Text(10);
      *regional_id = s.Text(11);
      d.study_uid = study_uid;
      d.series_uid = s.Text(12);
      d.sop_class_uid = s.Text(13);
      d.sop_instance_uid = s.Text(14);
      d.modality = s.Text(15);
      if (manifest_entry != nullptr) *manifest_entry = s.Text(16);
      out.push_back(std::move(d));
    }
    if (rc != SQLITE_DONE) return c.Error(rc, "read a study");
    if (out.empty()) return Status::NotFound("dicom", "no such study");
    return out;
  });
}

Status DicomStore::RecordManifest(const std::string& study_uid, int64_t instance_count,
                                  const std::string& manifest_unique_id,
                                  const std::string& manifest_entry) {
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  sqlite::Connection& c = *impl_->writer;
  if (int rc = c.Exec("BEGIN IMMEDIATE"); rc != SQLITE_OK) return c.Error(rc, "begin");
  Status s = [&]() -> Status {
    RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt u,
                            c.Prepare("UPDATE studies SET manifest_count = ?, manifest_uid = ?, "
                                      "manifest_entry = ? WHERE study_uid = ?"));
    u.BindAll({instance_count, manifest_unique_id, manifest_entry, study_uid});
    RENKEI_RETURN_IF_ERROR(u.Run("record the study's manifest"));
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt m, c.Prepare("INSERT OR REPLACE INTO manifests(uid, study_uid) VALUES(?, ?)"));
    m.BindAll({manifest_unique_id, study_uid});
    return m.Run("list the manifest");
  }();
  if (s.ok()) {
    if (int rc = c.Exec("COMMIT"); rc != SQLITE_OK) s = c.Error(rc, "commit the manifest");
  }
  if (!s.ok()) c.Exec("ROLLBACK");
  return s;
}

Result<std::vector<ManifestStudy>> DicomStore::StudiesOfManifests(
    const std::vector<std::string>& manifest_unique_ids) {
  return impl_->readers.With([&](sqlite::Connection& c) -> Result<std::vector<ManifestStudy>> {
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt s,
        c.Prepare(std::string("SELECT m.study_uid, CASE WHEN ") + kMixedPatients +
                  " THEN '' ELSE COALESCE(st.regional_id, '') END FROM manifests m JOIN "
                  "studies st ON st.study_uid = m.study_uid WHERE m.uid = ?"));
    std::vector<ManifestStudy> out;
    for (const std::string& uid : manifest_unique_ids) {
      s.Reset();
      s.Bind(1, uid);
      int rc = s.Step();
      if (rc == SQLITE_ROW) out.push_back({uid, s.Text(0), s.Text(1)});
      else if (rc != SQLITE_DONE) return c.Error(rc, "find a manifest's study");
    }
    return out;
  });
}

Result<std::vector<QidoRow>> DicomStore::Search(const QidoQuery& q, int64_t max_rows) {
  std::vector<const AttrDef*> columns;
  const QidoSql sql = BuildQidoSql(q, max_rows, &columns);
  return impl_->readers.With([&](sqlite::Connection& c) -> Result<std::vector<QidoRow>> {
    RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt s, c.Prepare(sql.text));
    s.BindAll(sql.params);
    std::vector<QidoRow> rows;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      QidoRow row;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (s.IsNull(static_cast<int>(i))) continue;
        std::string v = s.Text(static_cast<int>(i));
        if (v.empty() || (std::string(columns[i]->vr) == "US" && v == "0") ||
            (std::string(columns[i]->keyword) == "NumberOfFrames" && v == "0")) {
          continue;
        }
        row.values.emplace_back(columns[i], std::move(v));
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return c.Error(rc, "search");
    return rows;
  });
}

Result<std::vector<StoredFile>> DicomStore::Files(const std::string& study_uid,
                                                  const std::string& series_uid,
                                                  const std::string& sop_instance_uid) {
  RENKEI_ASSIGN_OR_RETURN(auto rows, impl_->Read(study_uid, series_uid, sop_instance_uid, false));
  std::vector<StoredFile> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(std::move(r.first));
  return out;
}

Result<std::vector<std::pair<StoredFile, std::string>>> DicomStore::Metadata(
    const std::string& study_uid, const std::string& series_uid,
    const std::string& sop_instance_uid) {
  return impl_->Read(study_uid, series_uid, sop_instance_uid, true);
}

}  // namespace renkei::dicomweb
