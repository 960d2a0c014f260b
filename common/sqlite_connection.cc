// SQLite connections and statements (see sqlite_connection.h).
#include "common/sqlite_connection.h"
#include "common/sqlite_mapped_vfs.h"

namespace renkei::sqlite {

bool IsBusy(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Status DefaultError(sqlite3* db, int rc, const std::string& what) {
  std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (IsBusy(rc)) return Status::Unavailable("sqlite.busy", msg);
  return Status::Internal("sqlite", msg);
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
  if (rc != SQLITE_DONE) return error_(db_, rc, what);
  return Status::Ok();
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

// --- Connection


Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     const OpenOptions& options,
                                                     ErrorFn error) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
              (options.read_only ? SQLITE_OPEN_READONLY
                                 : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  const char* vfs = options.map_whole_file ? RegisterMappedVfs() : nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs);
  if (rc != SQLITE_OK) {
    Status st = error(db, rc, "open " + path);
    sqlite3_close(db);
    return st;
  }
  std::unique_ptr<Connection> c(new Connection(db, error));
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  // The map is address space, not memory: the pages are the OS page cache's, clean and
  // shared; beyond mmap_bytes (without map_whole_file), pages are read with pread.
  std::string pragmas = "PRAGMA cache_size=-" + std::to_string(options.cache_kib) +
                        "; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=" +
                        std::to_string(options.mmap_bytes) + ";";
  if (!options.read_only) {
    pragmas = "PRAGMA page_size=" + std::to_string(options.page_size) + "; " + pragmas;
    pragmas += std::string(" PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
               (options.synchronous_full ? "FULL;" : "NORMAL;");
  }
  rc = c->Exec(pragmas.c_str());
  if (rc != SQLITE_OK) return error(db, rc, "configure " + path);
  return c;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Stmt> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(db_, it->second, &outstanding_, error_);
  // Dynamic statements differ by the number of IN-list items and filters; keep the cache
  // bounded.
  if (cache_.size() >= 512 && outstanding_ == 0) {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return error_(db_, rc, "prepare");
  cache_.emplace(sql, stmt);
  return Stmt(db_, stmt, &outstanding_, error_);
}

int Connection::Exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

}  // namespace renkei::sqlite
