// Settles a node's pending documents with the registry in the background
// (repository/document_repository.h Reconcile): once soon after start, then every interval,
// so bytes whose registration outcome was unknown (a crash, an unreachable registry) are
// either served or removed.
//
// Thread-safety: Start/Stop from one thread.
#ifndef RENKEI_REPOSITORY_RECONCILER_H_
#define RENKEI_REPOSITORY_RECONCILER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "repository/document_repository.h"
#include "repository/outbox.h"

namespace renkei::repository {

struct ReconcilerOptions {
  int64_t interval_ms = 30000;
  // Pending documents younger than this are left alone (their ITI-42 may still be under
  // way in the registry): more than the registry client's timeout.
  int64_t min_age_ms = 35000;
  // The first pass after start: only crashes of an earlier process can have left pending
  // documents, so a short age suffices.
  int64_t first_min_age_ms = 2000;
};

class Reconciler {
 public:
  // `outbox` (may be null): its queued documents are left alone.
  Reconciler(DocumentRepository& repository, ReconcilerOptions options, Outbox* outbox = nullptr);
  ~Reconciler();  // stops
  void Start();
  void Stop();

 private:
  void Run();

  DocumentRepository& repository_;
  const ReconcilerOptions options_;
  Outbox* outbox_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_RECONCILER_H_
