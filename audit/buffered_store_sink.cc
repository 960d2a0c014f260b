// IHE ATNA: the centre's group-committing audit sink (see buffered_store_sink.h).
#include "audit/buffered_store_sink.h"

#include <utility>

#include "audit/audit_store.h"
#include "common/log.h"

namespace renkei::audit {

BufferedStoreSink::BufferedStoreSink(AuditStore& store, size_t max_queued)
    : store_(store), max_queued_(max_queued == 0 ? 1 : max_queued) {
  writer_ = std::thread([this] { Run(); });
}

BufferedStoreSink::~BufferedStoreSink() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  writer_.join();
}

void BufferedStoreSink::Record(const AuditEvent& event) {
  const Status valid = Validate(event);
  if (!valid.ok()) {
    LogError("audit event " + event.event_id.code + " not recorded: " + valid.ToString());
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [this] { return queue_.size() < max_queued_ || stop_; });
  queue_.push_back(event);
  ++recorded_;
  changed_.notify_all();
}

void BufferedStoreSink::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = recorded_;
  changed_.wait(lock, [this, target] { return written_ >= target; });
}

void BufferedStoreSink::Run() {
  std::vector<AuditEvent> batch;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    changed_.wait(lock, [this] { return !queue_.empty() || stop_; });
    if (queue_.empty() && stop_) return;
    batch.clear();
    batch.swap(queue_);
    changed_.notify_all();  // room for waiting Record calls
    lock.unlock();
    Result<int64_t> appended = store_.AppendBatch(batch);
    if (!appended.ok()) {
      LogError("audit: " + std::to_string(batch.size()) +
               " event(s) not recorded: " + appended.status().ToString());
    }
    lock.lock();
    written_ += batch.size();
    changed_.notify_all();
  }
}

}  // namespace renkei::audit
