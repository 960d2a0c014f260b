// Background settling of pending documents (repository/reconciler.h).
#include "repository/reconciler.h"

#include "common/log.h"

namespace renkei::repository {

Reconciler::Reconciler(DocumentRepository& repository, ReconcilerOptions options, Outbox* outbox)
    : repository_(repository),
      options_(options),
      outbox_(outbox),
      min_age_ms_(options.first_min_age_ms) {}

Reconciler::~Reconciler() { Stop(); }

void Reconciler::Start() {
  worker_.Start("reconciler", options_.first_min_age_ms, [this] { return Pass(); });
}

void Reconciler::Stop() { worker_.Stop(); }

int64_t Reconciler::Pass() {
  std::set<std::string> queued;
  if (outbox_ != nullptr) {
    Result<std::set<std::string>> q = outbox_->QueuedUniqueIds();
    if (!q.ok()) {
      LogWarning("repository: cannot read the outbox; reconciling later: " + q.status().message());
      return options_.interval_ms;
    }
    queued = std::move(q.value());
  }
  Result<ReconcileCounts> counts = repository_.Reconcile(min_age_ms_, queued);
  if (!counts.ok()) {
    LogWarning("repository: cannot reconcile pending documents yet: " +
               counts.status().message());
    // After a failed first pass, keep the short age: nothing of this process is older.
  } else {
    min_age_ms_ = options_.min_age_ms;
  }
  return options_.interval_ms;
}

}  // namespace renkei::repository
