// IHE ATNA Audit Record Repository store (ITI-20 receiver side, ITI-81 source): an
// append-only SQLite log of audit events whose records are hash-chained, with the search
// keys of ITI-81 (audit/audit_query.h).
//
// Each record: seq (1, 2, 3, … without gaps), received_at (UTC ISO 8601), the canonical
// bytes — the event as the FHIR R4 AuditEvent JSON this library writes
// (audit/fhir_audit_event.h) with id = seq — prev_hash and
//   hash = SHA-256(prev_hash || seq as 8 bytes big-endian || received_at || 0x00 || bytes)
// (hashes as lower-case hex; the first record's prev_hash is 64 zeros). A DICOM XML message
// received over syslog is stored in that same canonical form (its decoded AuditEvent): one
// form to hash, search and serve; parts of the XML the model does not hold are not kept.
// A separate head row holds the last seq and hash, written in the same transaction, so that
// removing the last records is detected too. The search keys (audit/audit_query.h IndexKeys,
// about 8 per record) are rows (bucket = seq >> 12, kind, value, seq) of one WITHOUT ROWID
// table: a batch of appends fills the pages of the newest bucket (~9 KB written per record,
// flat as the trail grows; one index over all keys wrote ~27 KB at 100,000 records, more
// beyond), and a search seeks each bucket in turn. Triggers RAISE on UPDATE or DELETE of
// records and key rows. Verify() recomputes the chain, the head, and each record's search
// columns and keys from its bytes (and finds none extra). Anyone with write access to the
// file can still rewrite the whole chain; publish the head hash (`renkei audit verify`
// prints it) elsewhere to catch that.
//
// Durability: synchronous=FULL in WAL mode, so an Append that returned is on disk even after
// an OS crash or power loss — a node deletes its buffered copy once the centre acknowledged
// it. A batch (AppendBatch, AppendPrepared) is one transaction and one fsync.
//
// Thread-safety: all methods may be called concurrently (one connection behind a mutex).
// Several processes may open one file (the centre, `renkei directory` recording a
// permission change, `renkei audit verify`): an append reads the head and writes the record
// and the new head in one BEGIN IMMEDIATE transaction, so appenders take turns and the chain
// never forks; Verify reads records and head in one read transaction (one snapshot). A
// writer waits up to 5 s for another (SQLite busy timeout), then Unavailable.
#ifndef RENKEI_AUDIT_AUDIT_STORE_H_
#define RENKEI_AUDIT_AUDIT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "audit/audit_query.h"
#include "common/status.h"

namespace renkei::audit {

// The store's file name inside a role's data_dir.
inline constexpr char kAuditStoreFile[] = "audit.sqlite";

struct StoredAuditEvent {
  int64_t seq = 0;
  std::string received_at;
  std::string json;  // the canonical bytes: FHIR AuditEvent with "id" = seq
};

struct VerifyReport {
  bool ok = true;
  int64_t records = 0;
  std::string head_hash;      // hash of the last record (empty for an empty store)
  int64_t first_bad_seq = 0;  // when !ok: the first record that is edited, missing or wrong
  std::string problem;        // when !ok: what is wrong with it
};

// An event made ready for the store on the caller's thread: validated, encoded (the
// canonical JSON without its id, which the store splices in as it numbers the record), its
// date and search keys. The store's own work (numbering, the chain hash, the inserts) is
// serial; this part is not.
struct PreparedAuditEvent {
  std::string json_without_id;
  int64_t recorded_ms = 0;
  int outcome = 0;
  std::vector<SearchKey> keys;
};

class AuditStore {
 public:
  // Validates and prepares `event` (any thread). InvalidArgument for an event Validate
  // rejects.
  static Result<PreparedAuditEvent> Prepare(const AuditEvent& event);

  // Opens (creating file and schema unless read-only) the store at `path`. Unavailable /
  // Internal (detail "audit.store") when the file cannot be opened or is no audit store.
  static Result<std::unique_ptr<AuditStore>> Open(const std::string& path, bool read_only = false);
  ~AuditStore();

  // Validates and appends `event`; durable when it returns. Returns its seq (the FHIR id).
  // InvalidArgument for an event Validate rejects (nothing stored); Internal/Unavailable
  // when the database fails (nothing stored).
  Result<int64_t> Append(const AuditEvent& event);

  // Appends `events` in order in one transaction (one fsync for all: group commit); durable
  // when it returns. Returns the seq of the last (0 for none). All or nothing:
  // InvalidArgument when any event is invalid, Internal/Unavailable when the database fails.
  Result<int64_t> AppendBatch(const std::vector<AuditEvent>& events);
  // The same for events Prepare made.
  Result<int64_t> AppendPrepared(const std::vector<PreparedAuditEvent>& events);

  // The record `seq`; NotFound when there is none.
  Result<StoredAuditEvent> Get(int64_t seq);

  // Records matching `query` in order of their EventDateTime (then seq), at most
  // query.count from query.offset.
  Result<std::vector<StoredAuditEvent>> Search(const AuditQuery& query);

  // Walks the whole chain. The Status is for failures to read; tampering is reported in the
  // VerifyReport.
  Result<VerifyReport> Verify();

  struct Impl;

 private:
  explicit AuditStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_STORE_H_
