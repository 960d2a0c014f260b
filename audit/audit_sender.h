// IHE ATNA on a node: ITI-20 Record Audit Event as FHIR feed (POST [centre]/fhir/AuditEvent)
// with a durable SQLite queue, so that events survive restarts and outages of the centre.
// Record / Enqueue write the event to the queue (synchronous=FULL: on disk when it returns);
// a worker thread delivers the queue in order, deleting an event only when the centre
// answered 201 (or 200), retrying with exponential backoff while the centre is unreachable
// or answers 5xx / 408 / 429. An event the centre refuses for good (another 4xx) is set
// aside as "refused" with the answer, logged, and not retried (never silently dropped).
//
// Thread-safety: all methods may be called from any thread.
#ifndef RENKEI_AUDIT_AUDIT_SENDER_H_
#define RENKEI_AUDIT_AUDIT_SENDER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "audit/audit_sink.h"
#include "common/status.h"
#include "common/tls.h"

namespace renkei::audit {

struct AuditSenderOptions {
  std::string centre_url;           // "https://host:port" of the centre (config key centre.url)
  std::shared_ptr<TlsContext> tls;  // client context for https (null: the process default)
  std::string path = "/fhir/AuditEvent";
  int timeout_seconds = 10;
  int initial_backoff_ms = 500;
  int max_backoff_ms = 60000;
  int idle_poll_ms = 5000;  // the worker also looks at the queue this often
};

struct AuditQueueCounts {
  int64_t pending = 0;
  int64_t refused = 0;
};

class AuditSender : public AuditSink {
 public:
  // Opens (creating) the queue at `queue_path`; the worker is not started. Internal /
  // Unavailable (detail "audit.queue") when the file cannot be opened.
  static Result<std::unique_ptr<AuditSender>> Open(const std::string& queue_path,
                                                   const AuditSenderOptions& options);
  ~AuditSender() override;  // stops the worker

  // AuditSink: Enqueue, logging a failure.
  void Record(const AuditEvent& event) override;
  // Validates and queues `event` durably; wakes the worker. InvalidArgument for an invalid
  // event; Internal / Unavailable when the queue cannot be written.
  Result<int64_t> Enqueue(const AuditEvent& event);

  // Starts / stops the delivery thread (Stop waits for it; queued events stay queued).
  void Start();
  void Stop();

  // One delivery pass in this thread: sends pending events oldest first until one cannot be
  // delivered now. Returns how many were delivered; Unavailable when the centre could not be
  // reached or answered a retryable status (the rest stays queued).
  Result<int64_t> DeliverPending();

  Result<AuditQueueCounts> Counts();

  struct Impl;

 private:
  explicit AuditSender(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_SENDER_H_
