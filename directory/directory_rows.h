// The directory store's SQLite form (directory/directory_store.h): the schema, the
// columns and row decoders of each table, and the small query helpers the store's
// operations share. Internal to directory_store*.cc.
#ifndef RENKEI_DIRECTORY_DIRECTORY_ROWS_H_
#define RENKEI_DIRECTORY_DIRECTORY_ROWS_H_

#include <string>
#include <vector>

#include "common/sqlite_connection.h"
#include "common/status.h"
#include "directory/directory_store.h"

namespace renkei::directory::internal {

inline constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS facilities(
  oid TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_romaji TEXT NOT NULL DEFAULT '',
  type INTEGER NOT NULL,                    -- FacilityType
  certificate_pem TEXT NOT NULL DEFAULT '',
  certificate_sha256 TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  recorded INTEGER NOT NULL DEFAULT 0       -- recorded on first use (insecure loopback)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS endpoints(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  facility TEXT NOT NULL,
  kind INTEGER NOT NULL,                    -- EndpointKind
  url TEXT NOT NULL,
  repository_unique_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS endpoints_facility ON endpoints(facility);
CREATE TABLE IF NOT EXISTS repositories(
  repository_unique_id TEXT PRIMARY KEY,
  facility TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staff(
  id TEXT PRIMARY KEY,
  facility TEXT NOT NULL,
  family TEXT NOT NULL,
  given TEXT NOT NULL,
  family_alt TEXT NOT NULL DEFAULT '',
  given_alt TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grants(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  disclosing TEXT NOT NULL,
  patient TEXT NOT NULL,                    -- regional CX
  grantee TEXT NOT NULL,                    -- facility OID or '*'
  classes TEXT NOT NULL DEFAULT '',         -- "code<TAB>system" lines; empty = every class
  start_at TEXT NOT NULL,                   -- YYYYMMDDhhmmss UTC
  end_at TEXT NOT NULL DEFAULT '',          -- '' = open-ended
  status INTEGER NOT NULL DEFAULT 0,        -- 0 active, 1 revoked
  consent_reference TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS grants_access ON grants(patient, grantee) WHERE status = 0;
CREATE INDEX IF NOT EXISTS grants_disclosing ON grants(disclosing);
CREATE TABLE IF NOT EXISTS break_glass(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  requester TEXT NOT NULL,
  patient TEXT NOT NULL,
  reason TEXT NOT NULL,
  started TEXT NOT NULL,
  expires TEXT NOT NULL,
  staff_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS break_glass_access ON break_glass(patient, requester, expires);
)sql";

inline constexpr char kStoreDetail[] = "directory";
inline constexpr char kFacilityColumns[] =
    "oid, name, name_romaji, type, certificate_pem, certificate_sha256, active, recorded";
inline constexpr char kEndpointColumns[] = "id, facility, kind, url, repository_unique_id";
inline constexpr char kStaffColumns[] = "id, facility, family, given, family_alt, given_alt, role";
inline constexpr char kGrantColumns[] =
    "id, disclosing, patient, grantee, classes, start_at, end_at, status, consent_reference, "
    "note, created_at, revoked_at";
inline constexpr char kBreakGlassColumns[] =
    "id, requester, patient, reason, started, expires, staff_id";

Status DirectorySqlError(sqlite3* db, int rc, const std::string& what);
Status Invalid(const std::string& message);
bool Blank(const std::string& s);
bool IsStoredInstant(const std::string& s);
std::string EncodeClasses(const std::vector<GrantClass>& classes);
std::vector<GrantClass> DecodeClasses(const std::string& s);
Facility FacilityRow(sqlite::Stmt& s);
Endpoint EndpointRow(sqlite::Stmt& s);
Staff StaffRow(sqlite::Stmt& s);
Grant GrantRow(sqlite::Stmt& s);
BreakGlass BreakGlassRow(sqlite::Stmt& s);
Status Run(sqlite::Connection& db, const char* sql, const std::vector<sqlite::Value>& values,
           const char* what);

// Runs `sql` with `values` on `db`, collecting every row through `row`.
template <typename T, typename RowFn>
Result<std::vector<T>> Select(sqlite::Connection& db, const std::string& sql,
                              const std::vector<sqlite::Value>& values, RowFn row) {
  auto s = db.Prepare(sql);
  if (!s.ok()) return s.status();
  s->BindAll(values);
  std::vector<T> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(row(*s));
  if (rc != SQLITE_DONE) return db.Error(rc, "read");
  return out;
}

template <typename T, typename RowFn>
Result<T> SelectOne(sqlite::Connection& db, const std::string& sql,
                    const std::vector<sqlite::Value>& values, RowFn row,
                    const std::string& not_found) {
  Result<std::vector<T>> rows = Select<T>(db, sql, values, row);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("not-found", not_found);
  return std::move(rows->front());
}

}  // namespace renkei::directory::internal

#endif  // RENKEI_DIRECTORY_DIRECTORY_ROWS_H_
