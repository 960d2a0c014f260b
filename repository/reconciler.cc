// Background settling of pending documents (repository/reconciler.h).
#include "repository/reconciler.h"

#include <chrono>

#include "common/log.h"

namespace renkei::repository {

Reconciler::Reconciler(DocumentRepository& repository, ReconcilerOptions options, Outbox* outbox)
    : repository_(repository), options_(options), outbox_(outbox) {}

Reconciler::~Reconciler() { Stop(); }

void Reconciler::Start() { thread_ = std::thread([this] { Run(); }); }

void Reconciler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Reconciler::Run() {
  int64_t wait_ms = options_.first_min_age_ms;
  int64_t min_age_ms = options_.first_min_age_ms;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stop_; })) return;
    }
    std::set<std::string> queued;
    if (outbox_ != nullptr) {
      Result<std::set<std::string>> q = outbox_->QueuedUniqueIds();
      if (!q.ok()) {
        LogWarning("repository: cannot read the outbox; reconciling later: " + q.status().message());
        wait_ms = options_.interval_ms;
        continue;
      }
      queued = std::move(q.value());
    }
    Result<ReconcileCounts> counts = repository_.Reconcile(min_age_ms, queued);
    if (!counts.ok()) {
      LogWarning("repository: cannot reconcile pending documents yet: " +
                 counts.status().message());
      // After a failed first pass, keep the short age: nothing of this process is older.
    } else {
      min_age_ms = options_.min_age_ms;
    }
    wait_ms = options_.interval_ms;
  }
}

}  // namespace renkei::repository
