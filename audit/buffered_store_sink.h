// IHE ATNA Audit Record Repository at the centre: a StoreSink variant for the centre's own
// transactions (ITI-18/42/57/62/66/67/78/83, ITI-8/9) that takes the fsync off the request
// path. Record() validates and encodes the event and puts it on a bounded queue; one writer
// thread appends what queued in the 10 ms after a batch's first event (at most 1,024 before it
// is woken) in one transaction (AuditStore::AppendPrepared: one fsync per batch, group
// commit).
//
// Guarantees: events are stored in the order Record was called; none is dropped while the
// store works (a full queue makes Record wait for room: back-pressure, never loss); the
// destructor and Flush() write everything queued before returning. What is NOT guaranteed:
// an event whose Record returned is on disk only after its batch commits (normally within
// 10 ms and one fsync), so a crash can lose at most the queued events. Use it for the
// centre's own transactions only; the ITI-20 receiver (audit/audit_endpoint.h, syslog) keeps
// appending synchronously so that an acknowledged POST is durable before its 201.
// A batch the store refuses is logged (LogError) and dropped (its events are not retried).
//
// Priority: a thread that calls Record lowers its own scheduling priority once (nice +10), so
// that the writer, a single thread behind all of them, gets the CPU it needs under load
// rather than one share among many (buffered_store_sink.cc).
//
// Thread-safety: Record and Flush may be called from any thread.
#ifndef RENKEI_AUDIT_BUFFERED_STORE_SINK_H_
#define RENKEI_AUDIT_BUFFERED_STORE_SINK_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "audit/audit_sink.h"
#include "audit/audit_store.h"

namespace renkei::audit {

class BufferedStoreSink : public AuditSink {
 public:
  // `store` must outlive the sink. `max_queued`: events waiting at most (>= 1).
  explicit BufferedStoreSink(AuditStore& store, size_t max_queued = 10000);
  ~BufferedStoreSink() override;  // writes what is queued, then stops the writer
  BufferedStoreSink(const BufferedStoreSink&) = delete;
  BufferedStoreSink& operator=(const BufferedStoreSink&) = delete;

  void Record(const AuditEvent& event) override;
  // Returns once every event recorded before the call has been written (or refused).
  void Flush();

 private:
  void Run();

  AuditStore& store_;
  const size_t max_queued_;
  // A batch gathers the events of kGather after its first (group commit), kFullBatch at
  // most before the writer is woken. 10 ms rather than 2: bigger batches rewrite fewer pages
  // of the trail's search keys per record (ITI-18 at 16 connections: -8 % CPU per query).
  static constexpr std::chrono::milliseconds kGather{10};
  static constexpr size_t kFullBatch = 1024;

  std::mutex mu_;
  std::condition_variable work_;  // the writer waits: events queued, a flush, stop
  std::condition_variable room_;  // Record waits for room, Flush for its events written
  std::vector<PreparedAuditEvent> queue_;
  uint64_t recorded_ = 0;  // events ever queued
  uint64_t written_ = 0;   // events ever taken by the writer and committed (or refused)
  int flushing_ = 0;  // Flush calls waiting
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_BUFFERED_STORE_SINK_H_
