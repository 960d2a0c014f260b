// SQLite plumbing for the registry store: connections, cached prepared statements, bound
// values, error mapping and the xds_like() SQL function (ITI TF-2 3.18.4.1.2.3.5 LIKE rules).
#include <string>
#include <vector>

#include "registry/sqlite_registry_internal.h"
#include "xds/xds_errors.h"

namespace renkei::registry::sqlite_internal {

bool IsBusy(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Status SqliteError(sqlite3* db, int rc, const std::string& what) {
  std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (IsBusy(rc)) return xds::XdsStatus(xds::XdsError::kRegistryBusy, msg);
  return xds::XdsStatus(xds::XdsError::kRegistryError, msg);
}

// --- Stmt

Stmt::~Stmt() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    --*outstanding_;
  }
}

void Stmt::Bind(int index, const Value& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    sqlite3_bind_null(stmt_, index);
  } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
    sqlite3_bind_int64(stmt_, index, *i);
  } else {
    const std::string& s = std::get<std::string>(value);
    sqlite3_bind_text(stmt_, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
}

void Stmt::BindAll(const std::vector<Value>& values) {
  for (size_t i = 0; i < values.size(); ++i) Bind(static_cast<int>(i + 1), values[i]);
}

int Stmt::Step() { return sqlite3_step(stmt_); }

Status Stmt::Run(const char* what) {
  int rc;
  while ((rc = Step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return SqliteError(db_, rc, what);
  return Status::Ok();
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

// --- xds_like(value, pattern): the LIKE of stored-query wildcard parameters
// (ITI TF-2 3.18.4.1.2.3.5: '%' matches any string, '_' any single character; '\' makes
// the next character literal). Case-sensitive, as SQL LIKE in ebRS 3.0 stored queries;
// '_' matches one UTF-8 character, not one byte.
namespace {

size_t Utf8Len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xe) return 3;
  if ((c >> 3) == 0x1e) return 4;
  return 1;
}

bool LikeMatch(const char* v, size_t vn, const char* p, size_t pn) {
  size_t vi = 0, pi = 0;
  size_t star_p = std::string::npos, star_v = 0;
  while (vi < vn) {
    if (pi < pn && p[pi] == '%') {
      star_p = ++pi;
      star_v = vi;
      continue;
    }
    if (pi < pn && p[pi] == '_') {
      vi += Utf8Len(static_cast<unsigned char>(v[vi]));
      ++pi;
      continue;
    }
    if (pi < pn) {
      size_t lit = pi;
      if (p[pi] == '\\' && pi + 1 < pn) lit = pi + 1;
      if (p[lit] == v[vi]) {
        pi = lit + 1;
        ++vi;
        continue;
      }
    }
    if (star_p == std::string::npos) return false;
    star_v += Utf8Len(static_cast<unsigned char>(v[star_v]));
    vi = star_v;
    pi = star_p;
  }
  while (pi < pn && p[pi] == '%') ++pi;
  return pi == pn;
}

void XdsLikeFunc(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  const char* v = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const char* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  if (v == nullptr || p == nullptr) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  sqlite3_result_int(ctx, LikeMatch(v, static_cast<size_t>(sqlite3_value_bytes(argv[0])), p,
                                    static_cast<size_t>(sqlite3_value_bytes(argv[1])))
                              ? 1
                              : 0);
}

}  // namespace

// --- Connection

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only,
                                                     int busy_timeout_ms, int cache_kib,
                                                     bool synchronous_full) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
              (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqliteError(db, rc, "open " + path);
    sqlite3_close(db);
    return st;
  }
  std::unique_ptr<Connection> c(new Connection(db));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_create_function(db, "xds_like", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                          &XdsLikeFunc, nullptr, nullptr);
  // mmap: readers map the file instead of copying every page through pread (the bench saw
  // 10-35 % of a FindDocuments in pread's copies). The map is address space, not memory: the
  // pages are the OS page cache's, clean and shared. 2 GiB is the most Debian's SQLite allows
  // (SQLITE_MAX_MMAP_SIZE); beyond, pages are read with pread. Pages of 4 KiB (SQLite's
  // default): compressed fragments (~700 bytes) are far smaller than a page, and each
  // registration writes ~25 pages at random places of the B-trees into the WAL.
  std::string pragmas = "PRAGMA cache_size=-" + std::to_string(cache_kib) +
                        "; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=2147418112;";
  if (!read_only) {
    pragmas = "PRAGMA page_size=" + std::to_string(kPageSize) + "; " + pragmas;
    pragmas += std::string(" PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
               (synchronous_full ? "FULL;" : "NORMAL;");
  }
  rc = c->Exec(pragmas.c_str());
  if (rc != SQLITE_OK) return SqliteError(db, rc, "configure " + path);
  return c;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Stmt> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(db_, it->second, &outstanding_);
  // Dynamic statements differ by the number of IN-list items and filters; keep the cache
  // bounded.
  if (cache_.size() >= 512 && outstanding_ == 0) {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
  cache_.emplace(sql, stmt);
  return Stmt(db_, stmt, &outstanding_);
}

int Connection::Exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

}  // namespace renkei::registry::sqlite_internal
