// Settles a node's pending documents with the registry in the background
// (repository/document_repository.h Reconcile): once soon after start, then every interval,
// so bytes whose registration outcome was unknown (a crash, an unreachable registry) are
// either served or removed.
//
// Thread-safety: Start/Stop from one thread.
#ifndef RENKEI_REPOSITORY_RECONCILER_H_
#define RENKEI_REPOSITORY_RECONCILER_H_

#include <cstdint>

#include "common/periodic_worker.h"
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
  // One pass; the milliseconds until the next.
  int64_t Pass();

  DocumentRepository& repository_;
  const ReconcilerOptions options_;
  Outbox* outbox_;
  int64_t min_age_ms_;  // the first pass's until one succeeded, then options_.min_age_ms
  PeriodicWorker worker_;  // last: stopped before the rest goes
};

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_RECONCILER_H_
