// ITI-18/42/57/62 storage: the Document Registry's metadata index on SQLite (WAL).
//
// SqliteRegistryStore implements RegistryStore (registry/registry_store.h) on one SQLite
// database file:
//   - one writer connection (Apply runs its function in BEGIN IMMEDIATE ... COMMIT, rolls
//     back on error, retries on SQLITE_BUSY; concurrent Applys share a transaction and its
//     commit, each in its own savepoint: group commit) and a small pool of readers; in WAL
//     mode a reader sees the last committed snapshot and never blocks the writer;
//   - ":memory:" (tests) uses the writer connection for everything, serialised by a mutex;
//   - every statement is prepared once per connection and reused; values are bound, never
//     spliced into SQL text;
//   - the schema and its query plans are described in sqlite_registry_internal.h.
//
// Durability: an acknowledged Apply survives a process kill (see Options::synchronous_full).
//
// Thread-safety: all methods may be called from any number of threads.
#ifndef RENKEI_REGISTRY_SQLITE_REGISTRY_STORE_H_
#define RENKEI_REGISTRY_SQLITE_REGISTRY_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "registry/registry_store.h"

namespace renkei::registry {

class SqliteRegistryStore : public RegistryStore {
 public:
  struct Options {
    // Reader connections for Find/Get/Count outside Apply (ignored for ":memory:").
    int reader_connections = 4;
    // How long a connection waits for a lock held by another process before SQLITE_BUSY.
    int busy_timeout_ms = 5000;
    // How many times Apply re-runs its function after SQLITE_BUSY before giving up
    // (Unavailable, XDSRegistryBusy).
    int max_busy_retries = 20;
    // false: PRAGMA synchronous=NORMAL. In WAL mode a commit is then in the WAL file (the OS
    // page cache) before Apply returns, so it survives a crash or kill of this process; only
    // an OS crash or power loss may lose the last commits (never corrupts). That meets the
    // registry's contract (an acknowledged registration survives a process kill) at several
    // thousand commits/s. true: synchronous=FULL, the WAL is fsynced on every commit and
    // also survives power loss, at the cost of one fsync per transaction.
    bool synchronous_full = false;
    // Page cache per reader connection, KiB.
    int cache_kib = 16384;
    // Page cache of the writer connection, KiB. Each registration inserts into B-trees at
    // places no recent one touched (uniqueIds, the patient's fragments, the patient index):
    // at 10 million entries 16 MiB held too few of those pages and each insert re-read
    // them from the OS (ITI-42 +20 % with 256 MiB; 1 GiB gained nothing more).
    int writer_cache_kib = 262144;
    // > 0: a background thread checkpoints the WAL into the database this often
    // (PRAGMA wal_checkpoint(PASSIVE)), and commits never run a checkpoint themselves: the
    // checkpoint's fsync stays off the registration path (it was the p99 of ITI-42).
    // A page that every registration changes (a table's last page, the counts row, the
    // index pages where new time-ordered ids go) is copied once per checkpoint, so a longer
    // interval copies less: ITI-42 at 10 million entries 1,480/s at 100 ms, 1,710-1,820/s
    // at 1 s (bench/README.md, session 5); longer still gained little more against a
    // higher p99 (the checkpoint's writeback throttles the WAL's writes).
    // 0: SQLite's automatic checkpoint inside the committing transaction.
    int checkpoint_interval_ms = 1000;
    // With the background checkpointer: a WAL larger than this is checkpointed with RESTART
    // (commits wait for it: two fsyncs, 0.1–0.8 s on the benchmark VM's disk) so that it is
    // rewound, and truncated back to this size. At the most registrations this machine
    // takes (~80 MB of WAL per second) that is one wait every ~12 s; readers never wait.
    // Readers search only the WAL frames after the last checkpoint, so a large WAL that the
    // checkpointer keeps up with costs disk space, not query time.
    int64_t wal_restart_bytes = int64_t{1} << 30;
    // After Open, a background thread reads the fragments and the uniqueId and patient
    // indexes once (with pread, then through the process's mapping of the file), and logs
    // (info) "registry: prewarmed ..." when done. Their pages then stay mapped: a centre restarted with a
    // 10-million-entry store would otherwise answer from the disk for hours, and the host's
    // reclaim of unmapped page cache would keep it so (common/sqlite_mapped_vfs.h).
    bool prewarm = false;
    // Group commit: at most this many concurrent Apply calls share one transaction (each in
    // its own savepoint) and one commit. 1: one transaction per Apply.
    int max_batch = 64;
  };

  // Opens (creating when missing) the database at `path`, or an in-memory one for
  // ":memory:", creates or checks the schema and opens the connections.
  // Returns Unavailable/Internal (detail XDSRegistryError) when the file cannot be opened or
  // is not a registry database of this schema version.
  static Result<std::unique_ptr<SqliteRegistryStore>> Open(const std::string& path,
                                                           Options options);
  static Result<std::unique_ptr<SqliteRegistryStore>> Open(const std::string& path) {
    return Open(path, Options());
  }

  ~SqliteRegistryStore() override;
  SqliteRegistryStore(const SqliteRegistryStore&) = delete;
  SqliteRegistryStore& operator=(const SqliteRegistryStore&) = delete;

  // RegistryStore. Apply must not be called from inside an Apply function on the same
  // thread (returns Internal).
  Status Apply(const std::function<Status(RegistryTransaction&)>& fn) override;
  Result<std::vector<StoredObject>> Find(const ObjectFilter& filter) override;
  Result<std::vector<StoredObject>> FindAssociations(const AssociationFilter& filter) override;
  Result<StoredObject> Get(const std::string& id) override;
  Result<int64_t> Count(EntryKind kind) override;

  // Bulk loading (filling a store in one go: bench_registry load, an import). DropIndexes
  // drops the secondary indexes (objects_patient, _unique, _lid, _source, _target);
  // BuildIndexes creates them again, each by one sort of the table instead of one random
  // B-tree insert per object, which at millions of entries rewrote most index pages on
  // every commit. The ebRIM fragments written in between are staged in `<path>-bulk` and
  // moved into their patient clusters by one sort in BuildIndexes (inserted where they
  // belong, each would touch a random page of the `leaves` B-tree). In between, every
  // operation still works and answers correctly (Find scans), except that the fragments of
  // objects put during the load (LeafClass answers) appear only after BuildIndexes.
  // Opening the store also builds any missing index and merges a staging file left behind,
  // so a load killed half way leaves a usable store. Both wait for running Applys; Internal
  // on an SQLite error.
  Status DropIndexes();
  Status BuildIndexes();

  // The EXPLAIN QUERY PLAN lines of the statement Find(filter) runs (tests, benchmarks,
  // operators checking that a query is an index range scan).
  Result<std::vector<std::string>> ExplainFind(const ObjectFilter& filter);
  Result<std::vector<std::string>> ExplainFindAssociations(const AssociationFilter& filter);

  class Impl;  // sqlite_registry_store.cc

 private:
  explicit SqliteRegistryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_SQLITE_REGISTRY_STORE_H_
