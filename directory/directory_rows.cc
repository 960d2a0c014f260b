// The directory store's SQLite form (see directory_rows.h).
#include "directory/directory_rows.h"

#include <cctype>
#include <sstream>

#include "directory/instant.h"

namespace renkei::directory::internal {

Status DirectorySqlError(sqlite3* db, int rc, const std::string& what) {
  if (sqlite::IsBusy(rc)) return Status::Unavailable(kStoreDetail, "directory busy: " + what);
  return Status::Internal(kStoreDetail, "directory: " + what + ": " + sqlite3_errmsg(db));
}

Status Invalid(const std::string& message) { return Status::InvalidArgument("invalid", message); }

bool Blank(const std::string& s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsStoredInstant(const std::string& s) {
  Result<std::string> parsed = ParseInstant(s);
  return s.size() == 14 && parsed.ok() && *parsed == s;
}

std::string EncodeClasses(const std::vector<GrantClass>& classes) {
  std::string s;
  for (const GrantClass& c : classes) s += c.code + "\t" + c.system + "\n";
  return s;
}

std::vector<GrantClass> DecodeClasses(const std::string& s) {
  std::vector<GrantClass> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      out.push_back(GrantClass{"", line});
    } else {
      out.push_back(GrantClass{line.substr(tab + 1), line.substr(0, tab)});
    }
  }
  return out;
}

Facility FacilityRow(sqlite::Stmt& s) {
  Facility f;
  f.oid = s.Text(0);
  f.name = s.Text(1);
  f.name_romaji = s.Text(2);
  f.type = static_cast<FacilityType>(s.Int(3));
  f.certificate_pem = s.Text(4);
  f.certificate_sha256 = s.Text(5);
  f.active = s.Int(6) != 0;
  f.recorded = s.Int(7) != 0;
  return f;
}

Endpoint EndpointRow(sqlite::Stmt& s) {
  Endpoint e;
  e.id = s.Int(0);
  e.facility = s.Text(1);
  e.kind = static_cast<EndpointKind>(s.Int(2));
  e.url = s.Text(3);
  e.repository_unique_id = s.Text(4);
  return e;
}

Staff StaffRow(sqlite::Stmt& s) {
  return Staff{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6)};
}

Grant GrantRow(sqlite::Stmt& s) {
  Grant g;
  g.id = s.Int(0);
  g.disclosing_facility = s.Text(1);
  g.patient_id = s.Text(2);
  g.grantee = s.Text(3);
  g.classes = DecodeClasses(s.Text(4));
  g.start = s.Text(5);
  g.end = s.Text(6);
  g.status = s.Int(7) == 0 ? GrantStatus::kActive : GrantStatus::kRevoked;
  g.consent_reference = s.Text(8);
  g.note = s.Text(9);
  g.created_at = s.Text(10);
  g.revoked_at = s.Text(11);
  return g;
}

BreakGlass BreakGlassRow(sqlite::Stmt& s) {
  return BreakGlass{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6)};
}

Status Run(sqlite::Connection& db, const char* sql, const std::vector<sqlite::Value>& values,
           const char* what) {
  auto s = db.Prepare(sql);
  if (!s.ok()) return s.status();
  s->BindAll(values);
  return s->Run(what);
}

}  // namespace renkei::directory::internal
