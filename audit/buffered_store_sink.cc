// IHE ATNA: the centre's group-committing audit sink (see buffered_store_sink.h).
#include "audit/buffered_store_sink.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "audit/audit_store.h"
#include "common/log.h"

namespace renkei::audit {

namespace {

// The writer is the one serial stage behind every request. Under a CPU-bound load, with
// equal priorities, the scheduler gives it one share among the request threads; its queue
// fills and every request waits for room (ITI-18 at 16 connections: p99 of 300-400 ms).
// So a thread that records lowers its own priority, once, by kProducerNice (allowed without
// privileges); the writer, at the process's priority, keeps up (p99 ~20 ms).
constexpr int kProducerNice = 10;

void YieldPriorityToTheWriter() {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  const int nice = ::getpriority(PRIO_PROCESS, tid);
  if (errno == 0) ::setpriority(PRIO_PROCESS, tid, std::min(19, nice + kProducerNice));
}

}  // namespace

BufferedStoreSink::BufferedStoreSink(AuditStore& store, size_t max_queued)
    : store_(store), max_queued_(max_queued == 0 ? 1 : max_queued) {
  writer_ = std::thread([this] { Run(); });
}

BufferedStoreSink::~BufferedStoreSink() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_.notify_all();
  writer_.join();
}

void BufferedStoreSink::Record(const AuditEvent& event) {
  // Validated and encoded here, on the caller's thread: the writer's part is serial.
  Result<PreparedAuditEvent> prepared = AuditStore::Prepare(event);
  if (!prepared.ok()) {
    LogError("audit event " + event.event_id.code +
             " not recorded: " + prepared.status().ToString());
    return;
  }
  YieldPriorityToTheWriter();
  std::unique_lock<std::mutex> lock(mu_);
  room_.wait(lock, [this] { return queue_.size() < max_queued_ || stop_; });
  queue_.push_back(std::move(prepared.value()));
  ++recorded_;
  // The writer is woken when a batch begins and when it is full, not by every event: each
  // wake-up of the higher-priority writer preempts a request thread.
  if (queue_.size() == 1 || queue_.size() == kFullBatch || queue_.size() == max_queued_) {
    work_.notify_one();
  }
}

void BufferedStoreSink::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = recorded_;
  ++flushing_;
  work_.notify_one();
  room_.wait(lock, [this, target] { return written_ >= target; });
  --flushing_;
}

void BufferedStoreSink::Run() {
  pthread_setname_np(pthread_self(), "audit-writer");  // for top -H, perf, gdb
  std::vector<PreparedAuditEvent> batch;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return !queue_.empty() || stop_; });
    if (queue_.empty() && stop_) return;
    // Group commit: the events of the next kGather join this batch (one transaction, one
    // fsync), unless it is full or somebody waits for it.
    work_.wait_for(lock, kGather, [this] {
      return queue_.size() >= kFullBatch || queue_.size() >= max_queued_ || stop_ ||
             flushing_ > 0;
    });
    batch.clear();
    batch.swap(queue_);
    room_.notify_all();  // room for waiting Record calls
    lock.unlock();
    Result<int64_t> appended = store_.AppendPrepared(batch);
    if (!appended.ok()) {
      LogError("audit: " + std::to_string(batch.size()) +
               " event(s) not recorded: " + appended.status().ToString());
    }
    lock.lock();
    written_ += batch.size();
    room_.notify_all();
  }
}

}  // namespace renkei::audit
