// The node's document store (architecture §6): document bytes as files under
// `<dir>/documents/`, written first to `<dir>/tmp/`, hashed (SHA-1, the XDS hash) and
// counted on the way in, fsynced and renamed; an index (SQLite, WAL) from document uniqueId
// to its file, mime type, hash, size and state.
//
// The life of a document:
//   BeginUpload → Upload::Write... → Upload::Finish (data fsynced)
//   → Stage: index rows 'pending' committed (fsync), then files renamed into documents/
//     and the directories fsynced; the registry has not been told yet
//   → the registry accepts: MarkRegistered ('registered': Find serves it)
//   → the registry refuses: Discard (rows and files removed).
// The index is authoritative: a file is only ever in documents/ after its row is durable, so
// no directory scan is needed after a crash. Pending rows survive a crash; the node settles
// them with the registry (repository/reconciler.h). Temp files left by a crash are removed
// when the store opens: they were never acknowledged.
//
// Thread-safety: DocumentStore is thread-safe; an Upload belongs to one thread.
#ifndef RENKEI_REPOSITORY_DOCUMENT_STORE_H_
#define RENKEI_REPOSITORY_DOCUMENT_STORE_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace renkei::repository {

// Error details of this store (the endpoint maps them to XDS codes).
inline constexpr char kStoreError[] = "XDSRepositoryError";
inline constexpr char kStoreFull[] = "XDSRepositoryOutOfResources";

enum class DocumentState { kPending, kRegistered };

struct StoredDocument {
  std::string unique_id;
  std::string mime_type;
  std::string hash;  // SHA-1, lower-case hex
  uint64_t size = 0;
  std::string path;  // absolute
  DocumentState state = DocumentState::kPending;
  // The DocumentEntry's patientId (regional CX) as ITI-41 submitted it (access tickets,
  // repository/ticket_guard.h); empty for documents stored before it was recorded.
  std::string patient_id;
  int64_t staged_at_ms = 0;  // Unix time
};

class DocumentStore;

// A document being received: a temp file, hashed and counted while written. Destroying an
// Upload that was not staged removes its file.
class Upload {
 public:
  ~Upload();
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;

  // ResourceExhausted (kStoreFull) past the store's max_document_bytes; Internal
  // (kStoreError) when the disk refuses.
  Status Write(const char* data, size_t n);
  // Reads `in` to its end.
  Status WriteFrom(std::istream& in);
  // Flushes and fsyncs the data, closes the file and fixes the hash. Once.
  Status Finish();

  uint64_t size() const { return size_; }
  const std::string& sha1_hex() const { return sha1_hex_; }  // after Finish
  const std::string& temp_path() const { return temp_path_; }

 private:
  friend class DocumentStore;
  struct Hasher;
  Upload(std::string temp_path, int fd, uint64_t max_bytes);

  std::string temp_path_;
  int fd_ = -1;
  uint64_t max_bytes_;
  uint64_t size_ = 0;
  std::unique_ptr<Hasher> hasher_;
  std::string sha1_hex_;
  bool staged_ = false;
};

// One document of a Stage call.
struct StageEntry {
  std::string unique_id;
  std::string mime_type;
  Upload* upload = nullptr;  // finished
  std::string patient_id;    // the DocumentEntry's patientId (may be empty)
};

class DocumentStore {
 public:
  struct Options {
    uint64_t max_document_bytes = uint64_t{4} << 30;
    // Remove temp files left by a crash. Only the node that owns the store: another process
    // (`renkei node publish`) opening it while the node runs must leave them alone.
    bool remove_stale_temp_files = true;
  };

  // Opens (creating) the store under `dir`; removes stale temp files (see Options).
  static Result<std::unique_ptr<DocumentStore>> Open(const std::string& dir, Options options);
  ~DocumentStore();

  // A new temp file under tmp/.
  Result<std::unique_ptr<Upload>> BeginUpload();

  // Records the finished uploads as pending documents and moves their files into
  // documents/, all or nothing. Conflict with detail XDSDuplicateUniqueIdInRegistry (same
  // hash) or XDSNonIdenticalHash (another hash) when a uniqueId is already stored.
  Status Stage(const std::vector<StageEntry>& entries);
  // pending → registered. Unknown ids are ignored.
  Status MarkRegistered(const std::vector<std::string>& unique_ids);
  // Removes pending documents (row and file). Registered ones are left alone.
  Status Discard(const std::vector<std::string>& unique_ids);

  // A registered document; NotFound (detail XDSDocumentUniqueIdError) otherwise.
  Result<StoredDocument> Find(const std::string& unique_id);
  // Every pending document, oldest first.
  Result<std::vector<StoredDocument>> Pending();
  // Counts by state, for `renkei node status`.
  Result<std::pair<int64_t, int64_t>> Counts();  // {pending, registered}

  const std::string& dir() const;

  // {pending, registered} of the store under `dir`, read without opening it for writing
  // (`renkei node status` while the node runs). NotFound when there is no store.
  static Result<std::pair<int64_t, int64_t>> ReadCounts(const std::string& dir);

  struct Impl;

 private:
  explicit DocumentStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_DOCUMENT_STORE_H_
