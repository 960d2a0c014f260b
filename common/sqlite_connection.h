// SQLite plumbing shared by the centre's stores (registry, identities): one connection with
// a cache of prepared statements, bound values, and the mapping of SQLite failures to
// Status that the owning store chooses (the registry answers XDSRegistryError /
// XDSRegistryBusy, others their own details).
//
// Thread-safety: a Connection and its Stmts are used by one thread at a time.
#ifndef RENKEI_COMMON_SQLITE_CONNECTION_H_
#define RENKEI_COMMON_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace renkei::sqlite {

// A bound value: NULL, integer or text.
using Value = std::variant<std::monostate, int64_t, std::string>;

// Maps a failed call (its result code) to the owner's Status.
using ErrorFn = Status (*)(sqlite3* db, int rc, const std::string& what);

// SQLITE_BUSY / SQLITE_LOCKED (any extended code).
bool IsBusy(int rc);
// Unavailable (detail "sqlite.busy") for busy, Internal (detail "sqlite") otherwise; the
// message names `what` and SQLite's own text.
Status DefaultError(sqlite3* db, int rc, const std::string& what);

// One prepared statement, reset and cleared on destruction (it stays cached).
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt, int* outstanding, ErrorFn error)
      : db_(db), stmt_(stmt), outstanding_(outstanding), error_(error) {
    ++*outstanding_;
  }
  ~Stmt();
  Stmt(Stmt&& other) noexcept
      : db_(other.db_), stmt_(other.stmt_), outstanding_(other.outstanding_),
        error_(other.error_) {
    other.stmt_ = nullptr;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  void Bind(int index, const Value& value);
  void BindAll(const std::vector<Value>& values);
  // SQLITE_ROW / SQLITE_DONE / error code.
  int Step();
  // Runs to completion; the owner's Status for an error.
  Status Run(const char* what);
  // Back to the start, bindings kept, so that the statement can be bound and run again.
  void Reset() { sqlite3_reset(stmt_); }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const;
  sqlite3* db() const { return db_; }
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int* outstanding_;  // the connection's count of live Stmts
  ErrorFn error_;
};

struct OpenOptions {
  bool read_only = false;
  int busy_timeout_ms = 5000;
  int cache_kib = 16384;  // page cache of this connection
  // false: synchronous=NORMAL (in WAL mode a commit survives a process crash, not an OS
  // crash); true: FULL (fsync per commit).
  bool synchronous_full = false;
  int page_size = 4096;  // for a new database
  // > 0: pages are read through a mapping of the file instead of copied through pread
  // (SQLite's memory-mapped I/O). 2 GiB is the most Debian's SQLite maps itself
  // (SQLITE_MAX_MMAP_SIZE); with map_whole_file the mapping covers the whole file.
  int64_t mmap_bytes = 2147418112;
  // Open through the whole-file mapping VFS (common/sqlite_mapped_vfs.h). false: the
  // default VFS (pread with the kernel's readahead: for a connection that scans).
  bool map_whole_file = true;
};

class Connection {
 public:
  // Opens (creating unless read-only) the database at `path` (":memory:" for a private
  // in-memory one) in WAL mode with `options`; failures through `error`.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  const OpenOptions& options,
                                                  ErrorFn error = &DefaultError);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement for `sql` (prepared on first use).
  Result<Stmt> Prepare(const std::string& sql);
  // Runs SQL without results (DDL, BEGIN/COMMIT); the SQLite result code.
  int Exec(const char* sql);
  // The owner's Status for result code `rc` of this connection.
  Status Error(int rc, const std::string& what) const { return error_(db_, rc, what); }
  sqlite3* db() const { return db_; }

 private:
  Connection(sqlite3* db, ErrorFn error) : db_(db), error_(error) {}
  sqlite3* db_;
  ErrorFn error_;
  std::map<std::string, sqlite3_stmt*> cache_;
  int outstanding_ = 0;  // live Stmt objects: the cache is only trimmed when none is
};

// Read-only connections shared by the threads of a store: With() lends one for the time of
// `fn` (waiting while all are lent). In WAL mode each statement reads the last commit and
// never waits for the writer. Thread-safe.
class ReaderPool {
 public:
  void Add(std::unique_ptr<Connection> c) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(c));
  }
  bool empty() const {
    std::lock_guard<std::mutex> lock(mu_);
    return idle_.empty();
  }

  template <typename Fn>
  auto With(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    std::unique_ptr<Connection> c;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty(); });
      c = std::move(idle_.back());
      idle_.pop_back();
    }
    struct GiveBack {
      ReaderPool* pool;
      std::unique_ptr<Connection>* c;
      ~GiveBack() {
        {
          std::lock_guard<std::mutex> lock(pool->mu_);
          pool->idle_.push_back(std::move(*c));
        }
        pool->cv_.notify_one();
      }
    } give_back{this, &c};
    return fn(*c);
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace renkei::sqlite

#endif  // RENKEI_COMMON_SQLITE_CONNECTION_H_
