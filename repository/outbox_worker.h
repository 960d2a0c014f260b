// Delivers the outbox (repository/outbox.h) to the registry in the background: every
// `poll_ms`, each due registration is sent (ITI-42); Success marks its documents registered,
// a refusal discards them and keeps the registry's errors, no answer schedules another
// attempt with exponential backoff (OutboxBackoffMs).
//
// Thread-safety: Start/Stop from one thread; DeliverDue is not to be called concurrently.
#ifndef RENKEI_REPOSITORY_OUTBOX_WORKER_H_
#define RENKEI_REPOSITORY_OUTBOX_WORKER_H_

#include <cstdint>

#include "common/periodic_worker.h"
#include "repository/document_store.h"
#include "repository/outbox.h"
#include "repository/registry_client.h"

namespace renkei::repository {

struct OutboxDelivery {
  int delivered = 0;
  int refused = 0;
  int retried = 0;
};

class OutboxWorker {
 public:
  OutboxWorker(Outbox& outbox, DocumentStore& store, RegistryClient& registry,
               int64_t poll_ms = 1000);
  ~OutboxWorker();  // stops
  void Start();
  void Stop();
  // One pass over what is due now.
  Result<OutboxDelivery> DeliverDue();

 private:
  Outbox& outbox_;
  DocumentStore& store_;
  RegistryClient& registry_;
  const int64_t poll_ms_;
  PeriodicWorker worker_;  // last: stopped before the rest goes
};

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_OUTBOX_WORKER_H_
