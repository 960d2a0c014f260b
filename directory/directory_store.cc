// Facility directory, consent grants and break-glass at the centre: the SQLite store
// (directory/directory_store.h).
#include "directory/directory_store.h"

#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>

#include "common/log.h"
#include "common/sqlite_connection.h"
#include "common/tls.h"
#include "directory/directory_rows.h"
#include "directory/instant.h"

namespace renkei::directory {

// The store's SQLite form (directory_rows.h).
using internal::kSchema;
using internal::kStoreDetail;
using internal::kFacilityColumns;
using internal::kEndpointColumns;
using internal::kStaffColumns;
using internal::kGrantColumns;
using internal::kBreakGlassColumns;
using internal::DirectorySqlError;
using internal::Invalid;
using internal::Blank;
using internal::IsStoredInstant;
using internal::EncodeClasses;
using internal::DecodeClasses;
using internal::FacilityRow;
using internal::EndpointRow;
using internal::StaffRow;
using internal::GrantRow;
using internal::BreakGlassRow;
using internal::Select;
using internal::SelectOne;
using internal::Run;

const char* FacilityTypeName(FacilityType type) {
  switch (type) {
    case FacilityType::kDisclosing:
      return "disclosing";
    case FacilityType::kViewing:
      return "viewing";
    case FacilityType::kHostedClinic:
      return "hosted";
  }
  return "viewing";
}

bool ParseFacilityType(const std::string& text, FacilityType* out) {
  for (FacilityType t :
       {FacilityType::kDisclosing, FacilityType::kViewing, FacilityType::kHostedClinic}) {
    if (text == FacilityTypeName(t)) {
      *out = t;
      return true;
    }
  }
  return false;
}

const char* EndpointKindName(EndpointKind kind) {
  switch (kind) {
    case EndpointKind::kIti43:
      return "iti43";
    case EndpointKind::kIti68:
      return "iti68";
    case EndpointKind::kDicomWeb:
      return "dicomweb";
    case EndpointKind::kIti41:
      return "iti41";
  }
  return "iti43";
}

bool ParseEndpointKind(const std::string& text, EndpointKind* out) {
  for (EndpointKind k : {EndpointKind::kIti43, EndpointKind::kIti68, EndpointKind::kDicomWeb,
                         EndpointKind::kIti41}) {
    if (text == EndpointKindName(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

namespace {

// The disclosure policy's working set in memory: every active grant and every break-glass
// window, by patient. AccessOf reads it under a shared lock (about a microsecond; an SQLite
// read transaction costs two fcntl locks and an fstat, ~40 µs). Writes through this store
// update it as they commit; writes by another process (the CLI) are noticed through
// PRAGMA data_version, checked at most every options.external_change_check_ms.
struct CachedGrant {
  int64_t id;
  std::string disclosing;
  std::string grantee;
  std::string start;
  std::string end;
  std::vector<std::string> codes;
};
struct CachedWindow {
  std::string requester;
  std::string started;
  std::string expires;
};
struct AccessIndex {
  std::unordered_map<std::string, std::vector<CachedGrant>> grants;    // by patient
  std::unordered_map<std::string, std::vector<CachedWindow>> windows;  // by patient
};

CachedGrant ToCached(const Grant& g) {
  CachedGrant c{g.id, g.disclosing_facility, g.grantee, g.start, g.end, {}};
  for (const GrantClass& k : g.classes) c.codes.push_back(k.code);
  return c;
}

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct DirectoryStore::Impl {
  DirectoryStoreOptions options;
  std::mutex mu;  // serializes writes on `writer` and (re)loads of `index`
  std::unique_ptr<sqlite::Connection> writer;
  sqlite::ReaderPool readers;

  std::shared_mutex index_mu;  // guards index; taken after mu, never before
  AccessIndex index;
  bool index_loaded = false;  // under mu
  int64_t data_version = -1;  // of `writer` when the index was loaded; under mu
  std::atomic<int64_t> next_check_ms{0};

  // PRAGMA data_version of the writer (changes when another connection commits).
  Result<int64_t> DataVersionLocked() {
    auto st = writer->Prepare("PRAGMA data_version");
    if (!st.ok()) return st.status();
    if (st->Step() != SQLITE_ROW) return writer->Error(SQLITE_ERROR, "data_version");
    return st->Int(0);
  }

  // Loads the index from the tables. REQUIRES: mu held.
  Status LoadIndexLocked() {
    Result<int64_t> version = DataVersionLocked();
    if (!version.ok()) return version.status();
    AccessIndex fresh;
    auto g = writer->Prepare(
        "SELECT id, patient, disclosing, grantee, classes, start_at, end_at FROM grants "
        "WHERE status = 0");
    if (!g.ok()) return g.status();
    int rc;
    while ((rc = g->Step()) == SQLITE_ROW) {
      CachedGrant c{g->Int(0), g->Text(2), g->Text(3), g->Text(5), g->Text(6), {}};
      for (GrantClass& k : DecodeClasses(g->Text(4))) c.codes.push_back(std::move(k.code));
      fresh.grants[g->Text(1)].push_back(std::move(c));
    }
    if (rc != SQLITE_DONE) return writer->Error(rc, "load the grants");
    auto b = writer->Prepare("SELECT patient, requester, started, expires FROM break_glass");
    if (!b.ok()) return b.status();
    while ((rc = b->Step()) == SQLITE_ROW) {
      fresh.windows[b->Text(0)].push_back(CachedWindow{b->Text(1), b->Text(2), b->Text(3)});
    }
    if (rc != SQLITE_DONE) return writer->Error(rc, "load the break-glass windows");
    {
      std::unique_lock<std::shared_mutex> lock(index_mu);
      index = std::move(fresh);
    }
    data_version = *version;
    index_loaded = true;
    return Status::Ok();
  }

  // Makes sure the index is loaded and, when a check is due, that no other process changed
  // the tables since.
  Status RefreshIndex() {
    const int64_t now_ms = SteadyMs();
    if (index_loaded_fast.load(std::memory_order_acquire) &&
        now_ms < next_check_ms.load(std::memory_order_relaxed)) {
      return Status::Ok();
    }
    std::lock_guard<std::mutex> lock(mu);
    if (index_loaded) {
      Result<int64_t> version = DataVersionLocked();
      if (!version.ok()) return version.status();
      if (*version != data_version) RENKEI_RETURN_IF_ERROR(LoadIndexLocked());
    } else {
      RENKEI_RETURN_IF_ERROR(LoadIndexLocked());
    }
    index_loaded_fast.store(true, std::memory_order_release);
    next_check_ms.store(now_ms + options.external_change_check_ms, std::memory_order_relaxed);
    return Status::Ok();
  }
  std::atomic<bool> index_loaded_fast{false};

  // Applies `fn(index)` after a commit of this store. REQUIRES: mu held.
  template <typename Fn>
  void UpdateIndexLocked(Fn&& fn) {
    if (!index_loaded) return;  // loaded later from the tables
    std::unique_lock<std::shared_mutex> lock(index_mu);
    fn(index);
  }

  template <typename Fn>
  auto Read(Fn&& fn) {
    return readers.With(std::forward<Fn>(fn));
  }

  // Runs `fn(writer)` in one IMMEDIATE transaction, under the write lock; commits when it
  // returns OK, rolls back otherwise.
  template <typename Fn>
  Status Write(Fn&& fn) {
    return Write(std::forward<Fn>(fn), [] {});
  }
  // As Write, then `after_commit()` once committed, still under the write lock.
  template <typename Fn, typename After>
  Status Write(Fn&& fn, After&& after_commit) {
    std::lock_guard<std::mutex> lock(mu);
    int rc = writer->Exec("BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return writer->Error(rc, "begin");
    Status st = fn(*writer);
    if (!st.ok()) {
      writer->Exec("ROLLBACK");
      return st;
    }
    rc = writer->Exec("COMMIT");
    if (rc != SQLITE_OK) {
      writer->Exec("ROLLBACK");
      return writer->Error(rc, "commit");
    }
    after_commit();
    return Status::Ok();
  }

  // EnsureFacility on the writer, inside a Write.
  Status EnsureFacilityLocked(sqlite::Connection& db, const std::string& oid, bool record_unknown,
                              FacilityType recorded_type) {
    Result<Facility> f = SelectOne<Facility>(
        db, std::string("SELECT ") + kFacilityColumns + " FROM facilities WHERE oid = ?", {oid},
        FacilityRow, "no facility " + oid);
    if (f.ok()) {
      if (!f->active) {
        return Status::PermissionDenied("facility-inactive", "facility " + oid + " is inactive");
      }
      return Status::Ok();
    }
    if (!f.status().IsNotFound()) return f.status();
    if (!record_unknown) {
      return Status::PermissionDenied("facility-unknown",
                                      "facility " + oid + " is not in the directory");
    }
    RENKEI_RETURN_IF_ERROR(Run(db,
                               "INSERT INTO facilities(oid, name, type, recorded) "
                               "VALUES(?, ?, ?, 1)",
                               {oid, oid, static_cast<int64_t>(recorded_type)},
                               "record a facility"));
    LogInfo("directory: recorded facility " + oid + " on first use (insecure loopback)");
    return Status::Ok();
  }
};

DirectoryStore::DirectoryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DirectoryStore::~DirectoryStore() = default;

const DirectoryStoreOptions& DirectoryStore::options() const { return impl_->options; }

Result<std::unique_ptr<DirectoryStore>> DirectoryStore::Open(const std::string& path,
                                                             DirectoryStoreOptions options) {
  if (options.break_glass_minutes <= 0) {
    return Invalid("break-glass minutes must be positive");
  }
  sqlite::OpenOptions o;
  o.synchronous_full = true;  // a grant or revocation is durable when acknowledged
  o.cache_kib = 2048;
  o.map_whole_file = false;
  o.mmap_bytes = 0;
  auto writer = sqlite::Connection::Open(path, o, &DirectorySqlError);
  if (!writer.ok()) return writer.status();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->writer = std::move(writer.value());
  char* err = nullptr;
  if (sqlite3_exec(impl->writer->db(), kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    return Status::Internal(kStoreDetail, "directory schema: " + m);
  }
  sqlite::OpenOptions ro = o;
  ro.read_only = true;
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    auto reader = sqlite::Connection::Open(path, ro, &DirectorySqlError);
    if (!reader.ok()) return reader.status();
    impl->readers.Add(std::move(reader.value()));
  }
  return std::unique_ptr<DirectoryStore>(new DirectoryStore(std::move(impl)));
}

// --- facilities ---------------------------------------------------------------------------

Status DirectoryStore::PutFacility(const Facility& facility) {
  if (Blank(facility.oid)) return Invalid("a facility needs an OID");
  if (Blank(facility.name)) return Invalid("facility " + facility.oid + " needs a name");
  std::string sha256 = facility.certificate_sha256;
  if (!facility.certificate_pem.empty()) {
    Result<std::string> t = CertificateThumbprintOfPem(facility.certificate_pem);
    if (!t.ok()) return Invalid("facility " + facility.oid + ": " + t.status().message());
    sha256 = *t;
  }
  return impl_->Write([&](sqlite::Connection& db) {
    return Run(db,
               "INSERT OR REPLACE INTO facilities(oid, name, name_romaji, type, certificate_pem, "
               "certificate_sha256, active, recorded) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
               {facility.oid, facility.name, facility.name_romaji,
                static_cast<int64_t>(facility.type), facility.certificate_pem, sha256,
                int64_t{facility.active ? 1 : 0}, int64_t{facility.recorded ? 1 : 0}},
               "store a facility");
  });
}

Result<Facility> DirectoryStore::GetFacility(const std::string& oid) {
  return impl_->Read([&](sqlite::Connection& db) {
    return SelectOne<Facility>(
        db, std::string("SELECT ") + kFacilityColumns + " FROM facilities WHERE oid = ?", {oid},
        FacilityRow, "no facility " + oid);
  });
}

Result<std::vector<Facility>> DirectoryStore::ListFacilities() {
  return impl_->Read([&](sqlite::Connection& db) {
    return Select<Facility>(
        db, std::string("SELECT ") + kFacilityColumns + " FROM facilities ORDER BY oid", {},
        FacilityRow);
  });
}

Status DirectoryStore::EnsureFacility(const std::string& oid, bool record_unknown) {
  if (Blank(oid)) return Status::PermissionDenied("facility-unknown", "no requesting facility");
  // Fast path without the write lock: a known facility.
  Result<Facility> f = GetFacility(oid);
  if (f.ok()) {
    if (f->active) return Status::Ok();
    return Status::PermissionDenied("facility-inactive", "facility " + oid + " is inactive");
  }
  if (!f.status().IsNotFound()) return f.status();
  return impl_->Write([&](sqlite::Connection& db) {
    return impl_->EnsureFacilityLocked(db, oid, record_unknown, FacilityType::kViewing);
  });
}

// --- endpoints and repositories -----------------------------------------------------------

Result<int64_t> DirectoryStore::AddEndpoint(const Endpoint& endpoint) {
  if (Blank(endpoint.facility)) return Invalid("an endpoint needs a facility");
  if (Blank(endpoint.url) && endpoint.kind != EndpointKind::kIti41) {
    return Invalid("an endpoint needs a URL");
  }
  int64_t id = 0;
  Status st = impl_->Write([&](sqlite::Connection& db) -> Status {
    Result<std::vector<std::string>> known =
        Select<std::string>(db, "SELECT oid FROM facilities WHERE oid = ?", {endpoint.facility},
                            [](sqlite::Stmt& s) { return s.Text(0); });
    if (!known.ok()) return known.status();
    if (known->empty()) {
      return Status::NotFound("not-found", "no facility " + endpoint.facility);
    }
    if (!endpoint.repository_unique_id.empty()) {
      Result<std::vector<std::string>> owner = Select<std::string>(
          db, "SELECT facility FROM repositories WHERE repository_unique_id = ?",
          {endpoint.repository_unique_id}, [](sqlite::Stmt& s) { return s.Text(0); });
      if (!owner.ok()) return owner.status();
      if (!owner->empty() && owner->front() != endpoint.facility) {
        return Status::Conflict("conflict", "repository " + endpoint.repository_unique_id +
                                                " belongs to " + owner->front());
      }
      if (owner->empty()) {
        RENKEI_RETURN_IF_ERROR(
            Run(db, "INSERT INTO repositories(repository_unique_id, facility) VALUES(?, ?)",
                {endpoint.repository_unique_id, endpoint.facility}, "store a repository"));
      }
    }
    RENKEI_RETURN_IF_ERROR(Run(db,
                               "INSERT INTO endpoints(facility, kind, url, repository_unique_id) "
                               "VALUES(?, ?, ?, ?)",
                               {endpoint.facility, static_cast<int64_t>(endpoint.kind),
                                endpoint.url, endpoint.repository_unique_id},
                               "store an endpoint"));
    id = sqlite3_last_insert_rowid(db.db());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return id;
}

Result<Endpoint> DirectoryStore::GetEndpoint(int64_t id) {
  return impl_->Read([&](sqlite::Connection& db) {
    return SelectOne<Endpoint>(
        db, std::string("SELECT ") + kEndpointColumns + " FROM endpoints WHERE id = ?", {id},
        EndpointRow, "no endpoint " + std::to_string(id));
  });
}

Result<std::vector<Endpoint>> DirectoryStore::ListEndpoints(const std::string& facility) {
  return impl_->Read([&](sqlite::Connection& db) {
    if (facility.empty()) {
      return Select<Endpoint>(
          db, std::string("SELECT ") + kEndpointColumns + " FROM endpoints ORDER BY id", {},
          EndpointRow);
    }
    return Select<Endpoint>(db,
                            std::string("SELECT ") + kEndpointColumns +
                                " FROM endpoints WHERE facility = ? ORDER BY id",
                            {facility}, EndpointRow);
  });
}

Result<std::string> DirectoryStore::RepositoryOwner(const std::string& repository_unique_id) {
  return impl_->Read([&](sqlite::Connection& db) {
    return SelectOne<std::string>(
        db, "SELECT facility FROM repositories WHERE repository_unique_id = ?",
        {repository_unique_id}, [](sqlite::Stmt& s) { return s.Text(0); },
        "repository " + repository_unique_id + " is not in the directory");
  });
}

Status DirectoryStore::ClaimRepository(const std::string& repository_unique_id,
                                       const std::string& facility, bool record_unknown) {
  if (Blank(facility)) {
    return Status::PermissionDenied("repository-unknown", "no submitting facility");
  }
  if (Blank(repository_unique_id)) {
    return Status::PermissionDenied("repository-unknown", "no repositoryUniqueId");
  }
  auto denied_other = [&](const std::string& owner) {
    return Status::PermissionDenied(
        "repository-of-another-facility",
        "repository " + repository_unique_id + " belongs to " + owner + ", not to " + facility);
  };
  Result<std::string> owner = RepositoryOwner(repository_unique_id);
  if (owner.ok()) return *owner == facility ? Status::Ok() : denied_other(*owner);
  if (!owner.status().IsNotFound()) return owner.status();
  if (!record_unknown) {
    return Status::PermissionDenied(
        "repository-unknown", "repository " + repository_unique_id + " is not in the directory");
  }
  return impl_->Write([&](sqlite::Connection& db) -> Status {
    // Another thread may have recorded it meanwhile.
    Result<std::vector<std::string>> again =
        Select<std::string>(db, "SELECT facility FROM repositories WHERE repository_unique_id = ?",
                            {repository_unique_id}, [](sqlite::Stmt& s) { return s.Text(0); });
    if (!again.ok()) return again.status();
    if (!again->empty())
      return again->front() == facility ? Status::Ok() : denied_other(again->front());
    RENKEI_RETURN_IF_ERROR(
        impl_->EnsureFacilityLocked(db, facility, true, FacilityType::kDisclosing));
    RENKEI_RETURN_IF_ERROR(
        Run(db, "INSERT INTO repositories(repository_unique_id, facility) VALUES(?, ?)",
            {repository_unique_id, facility}, "record a repository"));
    LogInfo("directory: recorded repository " + repository_unique_id + " for facility " + facility +
            " on first use (insecure loopback)");
    return Status::Ok();
  });
}

// --- staff --------------------------------------------------------------------------------

Status DirectoryStore::PutStaff(const Staff& staff) {
  if (Blank(staff.id)) return Invalid("a staff account needs a regional staff ID");
  if (Blank(staff.facility)) return Invalid("staff " + staff.id + " needs a facility");
  if (Blank(staff.family) && Blank(staff.given)) {
    return Invalid("staff " + staff.id + " needs a name");
  }
  return impl_->Write([&](sqlite::Connection& db) -> Status {
    Result<std::vector<std::string>> known =
        Select<std::string>(db, "SELECT oid FROM facilities WHERE oid = ?", {staff.facility},
                            [](sqlite::Stmt& s) { return s.Text(0); });
    if (!known.ok()) return known.status();
    if (known->empty()) return Status::NotFound("not-found", "no facility " + staff.facility);
    return Run(db,
               "INSERT OR REPLACE INTO staff(id, facility, family, given, family_alt, "
               "given_alt, role) VALUES(?, ?, ?, ?, ?, ?, ?)",
               {staff.id, staff.facility, staff.family, staff.given, staff.family_alt,
                staff.given_alt, staff.role},
               "store a staff account");
  });
}

Result<Staff> DirectoryStore::GetStaff(const std::string& id) {
  return impl_->Read([&](sqlite::Connection& db) {
    return SelectOne<Staff>(db, std::string("SELECT ") + kStaffColumns + " FROM staff WHERE id = ?",
                            {id}, StaffRow, "no staff " + id);
  });
}

Result<std::vector<Staff>> DirectoryStore::ListStaff(const std::string& facility) {
  return impl_->Read([&](sqlite::Connection& db) {
    if (facility.empty()) {
      return Select<Staff>(db, std::string("SELECT ") + kStaffColumns + " FROM staff ORDER BY id",
                           {}, StaffRow);
    }
    return Select<Staff>(
        db, std::string("SELECT ") + kStaffColumns + " FROM staff WHERE facility = ? ORDER BY id",
        {facility}, StaffRow);
  });
}

// --- grants -------------------------------------------------------------------------------

namespace {

constexpr char kInsertGrant[] =
    "INSERT INTO grants(disclosing, patient, grantee, classes, start_at, end_at, status, "
    "consent_reference, note, created_at) VALUES(?, ?, ?, ?, ?, ?, 0, ?, ?, ?)";

// AddGrant's checks: `grant` as it is stored (active, created at `now`, start defaulted to
// `now`, id 0), or InvalidArgument.
Result<Grant> GrantToStore(const Grant& grant, const std::string& now) {
  if (Blank(grant.disclosing_facility)) return Invalid("a grant needs a disclosing facility");
  if (Blank(grant.patient_id)) return Invalid("a grant needs a patient");
  if (Blank(grant.grantee)) return Invalid("a grant needs a grantee facility (or '*')");
  if (!IsStoredInstant(now)) return Invalid("bad current time '" + now + "'");
  for (const GrantClass& c : grant.classes) {
    if (Blank(c.code) || c.code.find_first_of("\t\n") != std::string::npos ||
        c.system.find_first_of("\t\n") != std::string::npos) {
      return Invalid("a grant's class code is blank or malformed");
    }
  }
  Grant g = grant;
  g.id = 0;
  g.status = GrantStatus::kActive;
  g.created_at = now;
  g.revoked_at.clear();
  if (g.start.empty()) g.start = now;
  if (!IsStoredInstant(g.start)) return Invalid("bad period start '" + g.start + "'");
  if (!g.end.empty()) {
    if (!IsStoredInstant(g.end)) return Invalid("bad period end '" + g.end + "'");
    if (g.end <= g.start) return Invalid("the period ends before it starts");
  }
  return g;
}

// Inserts `g` with the prepared kInsertGrant `insert` and sets its id.
Status InsertGrant(sqlite::Stmt& insert, Grant& g) {
  sqlite3_reset(insert.raw());
  insert.BindAll({g.disclosing_facility, g.patient_id, g.grantee, EncodeClasses(g.classes),
                  g.start, g.end, g.consent_reference, g.note, g.created_at});
  RENKEI_RETURN_IF_ERROR(insert.Run("store a grant"));
  g.id = sqlite3_last_insert_rowid(insert.db());
  return Status::Ok();
}

}  // namespace

Result<Grant> DirectoryStore::AddGrant(const Grant& grant, const std::string& now) {
  Result<Grant> checked = GrantToStore(grant, now);
  if (!checked.ok()) return checked.status();
  Grant g = std::move(checked.value());
  Status st = impl_->Write(
      [&](sqlite::Connection& db) -> Status {
        auto insert = db.Prepare(kInsertGrant);
        if (!insert.ok()) return insert.status();
        return InsertGrant(*insert, g);
      },
      [&] {
        impl_->UpdateIndexLocked(
            [&](AccessIndex& index) { index.grants[g.patient_id].push_back(ToCached(g)); });
      });
  if (!st.ok()) return st;
  return g;
}

Result<std::vector<Grant>> DirectoryStore::AddGrants(const std::vector<Grant>& grants,
                                                     const std::string& now) {
  std::vector<Grant> stored;
  stored.reserve(grants.size());
  for (size_t i = 0; i < grants.size(); ++i) {
    Result<Grant> checked = GrantToStore(grants[i], now);
    if (!checked.ok()) {
      return Invalid("grant " + std::to_string(i) + ": " + checked.status().message());
    }
    stored.push_back(std::move(checked.value()));
  }
  if (stored.empty()) return stored;
  Status st = impl_->Write(
      [&](sqlite::Connection& db) -> Status {
        auto insert = db.Prepare(kInsertGrant);
        if (!insert.ok()) return insert.status();
        for (Grant& g : stored) RENKEI_RETURN_IF_ERROR(InsertGrant(*insert, g));
        return Status::Ok();
      },
      [&] {
        impl_->UpdateIndexLocked([&](AccessIndex& index) {
          for (const Grant& g : stored) index.grants[g.patient_id].push_back(ToCached(g));
        });
      });
  if (!st.ok()) return st;
  return stored;
}

Result<Grant> DirectoryStore::GetGrant(int64_t id) {
  return impl_->Read([&](sqlite::Connection& db) {
    return SelectOne<Grant>(db,
                            std::string("SELECT ") + kGrantColumns + " FROM grants WHERE id = ?",
                            {id}, GrantRow, "no grant " + std::to_string(id));
  });
}

Result<Grant> DirectoryStore::RevokeGrant(int64_t id, const std::string& facility,
                                          const std::string& now) {
  if (!IsStoredInstant(now)) return Invalid("bad current time '" + now + "'");
  Grant out;
  Status st = impl_->Write(
      [&](sqlite::Connection& db) -> Status {
        Result<Grant> g = SelectOne<Grant>(
            db, std::string("SELECT ") + kGrantColumns + " FROM grants WHERE id = ?", {id},
            GrantRow, "no grant " + std::to_string(id));
        if (!g.ok()) return g.status();
        if (g->disclosing_facility != facility) {
          return Status::PermissionDenied("not-disclosing-facility",
                                          "grant " + std::to_string(id) + " was made by " +
                                              g->disclosing_facility +
                                              "; only that facility can revoke it");
        }
        out = *g;
        if (g->status == GrantStatus::kRevoked) return Status::Ok();
        RENKEI_RETURN_IF_ERROR(Run(db, "UPDATE grants SET status = 1, revoked_at = ? WHERE id = ?",
                                   {now, id}, "revoke a grant"));
        out.status = GrantStatus::kRevoked;
        out.revoked_at = now;
        return Status::Ok();
      },
      [&] {
        if (out.status != GrantStatus::kRevoked) return;
        impl_->UpdateIndexLocked([&](AccessIndex& index) {
          auto it = index.grants.find(out.patient_id);
          if (it == index.grants.end()) return;
          std::erase_if(it->second, [&](const CachedGrant& c) { return c.id == out.id; });
          if (it->second.empty()) index.grants.erase(it);
        });
      });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Grant>> DirectoryStore::ListGrants(const GrantFilter& filter) {
  std::string sql = std::string("SELECT ") + kGrantColumns + " FROM grants WHERE 1";
  std::vector<sqlite::Value> values;
  if (!filter.patient_id.empty()) {
    sql += " AND patient = ?";
    values.push_back(filter.patient_id);
  }
  if (!filter.party.empty()) {
    sql += " AND (disclosing = ? OR grantee = ? OR grantee = '*')";
    values.push_back(filter.party);
    values.push_back(filter.party);
  }
  sql += " ORDER BY id";
  return impl_->Read(
      [&](sqlite::Connection& db) { return Select<Grant>(db, sql, values, GrantRow); });
}

// --- break-glass --------------------------------------------------------------------------

Result<BreakGlass> DirectoryStore::StartBreakGlass(const std::string& requester,
                                                   const std::string& patient_id,
                                                   const std::string& reason,
                                                   const std::string& staff_id,
                                                   const std::string& now) {
  if (Blank(reason)) return Invalid("break-glass access needs a reason");
  if (Blank(requester)) return Invalid("break-glass access needs a requesting facility");
  if (Blank(patient_id)) return Invalid("break-glass access needs a patient");
  if (!IsStoredInstant(now)) return Invalid("bad current time '" + now + "'");
  BreakGlass b{0,          requester,
               patient_id, reason,
               now,        AddSeconds(now, int64_t{impl_->options.break_glass_minutes} * 60),
               staff_id};
  Status st = impl_->Write(
      [&](sqlite::Connection& db) -> Status {
        RENKEI_RETURN_IF_ERROR(
            Run(db,
                "INSERT INTO break_glass(requester, patient, reason, started, "
                "expires, staff_id) VALUES(?, ?, ?, ?, ?, ?)",
                {b.requester, b.patient_id, b.reason, b.started, b.expires, b.staff_id},
                "store a break-glass access"));
        b.id = sqlite3_last_insert_rowid(db.db());
        return Status::Ok();
      },
      [&] {
        impl_->UpdateIndexLocked([&](AccessIndex& index) {
          index.windows[b.patient_id].push_back(CachedWindow{b.requester, b.started, b.expires});
        });
      });
  if (!st.ok()) return st;
  return b;
}

Result<std::vector<BreakGlass>> DirectoryStore::ListBreakGlass(const std::string& patient_id) {
  return impl_->Read([&](sqlite::Connection& db) {
    if (patient_id.empty()) {
      return Select<BreakGlass>(
          db, std::string("SELECT ") + kBreakGlassColumns + " FROM break_glass ORDER BY id", {},
          BreakGlassRow);
    }
    return Select<BreakGlass>(db,
                              std::string("SELECT ") + kBreakGlassColumns +
                                  " FROM break_glass WHERE patient = ? ORDER BY id",
                              {patient_id}, BreakGlassRow);
  });
}

// --- the policy's question ----------------------------------------------------------------

Result<PatientAccess> DirectoryStore::AccessOf(const std::string& requester,
                                               const std::string& patient_id,
                                               const std::string& now) {
  PatientAccess access;
  access.requester = requester;
  if (requester.empty() || patient_id.empty()) return access;
  RENKEI_RETURN_IF_ERROR(impl_->RefreshIndex());
  std::shared_lock<std::shared_mutex> lock(impl_->index_mu);
  if (auto it = impl_->index.grants.find(patient_id); it != impl_->index.grants.end()) {
    for (const CachedGrant& g : it->second) {
      if ((g.grantee == requester || g.grantee == kEveryFacility) && g.start <= now &&
          (g.end.empty() || now < g.end)) {
        access.grants.push_back(GrantInForce{g.disclosing, g.codes});
      }
    }
  }
  if (auto it = impl_->index.windows.find(patient_id); it != impl_->index.windows.end()) {
    for (const CachedWindow& w : it->second) {
      if (w.requester == requester && w.started <= now && now < w.expires) {
        access.break_glass = true;
        break;
      }
    }
  }
  return access;
}

}  // namespace renkei::directory
