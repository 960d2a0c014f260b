// The node's outbox (architecture §6; issue 4): registrations the node originates itself —
// its connectors and `renkei node publish` — as opposed to ITI-41, whose caller waits for
// the registry's answer. A queued registration is durable (SQLite, fsync) together with its
// documents (pending in the document store), survives restarts, and is delivered to the
// registry (ITI-42) by a background worker that retries with exponential backoff while the
// registry cannot be reached. A registration the registry refuses is kept as 'refused' with
// the registry's errors (for `renkei node status`) and its documents are discarded.
//
// Thread-safety: Outbox is thread-safe.
#ifndef RENKEI_REPOSITORY_OUTBOX_H_
#define RENKEI_REPOSITORY_OUTBOX_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "xds/rim.h"

namespace renkei::repository {

enum class OutboxState { kQueued, kDelivered, kRefused };

struct OutboxEntry {
  int64_t id = 0;
  OutboxState state = OutboxState::kQueued;
  std::string submission_xml;           // lcm:SubmitObjectsRequest, as it will be sent
  std::vector<std::string> unique_ids;  // its documents (pending in the document store)
  int attempts = 0;
  int64_t created_ms = 0;
  int64_t next_attempt_ms = 0;
  std::string last_error;  // why the last attempt failed, or the registry's refusal
};

struct OutboxCounts {
  int64_t queued = 0, delivered = 0, refused = 0;
  int64_t oldest_queued_ms = 0;  // created_ms of the oldest queued entry; 0 when none
};

class Outbox {
 public:
  // Opens (creating) the outbox at `path` (an SQLite file). read_only: for status only.
  static Result<std::unique_ptr<Outbox>> Open(const std::string& path, bool read_only = false);
  ~Outbox();

  // Queues a registration (durable when this returns). Its documents must be staged.
  Result<int64_t> Enqueue(const xds::SubmitObjectsRequest& submission,
                          const std::vector<std::string>& unique_ids);
  // Queued entries whose next attempt is due at `now_ms`, oldest first, at most `limit`.
  Result<std::vector<OutboxEntry>> Due(int64_t now_ms, int limit);
  Status MarkDelivered(int64_t id);
  // Another attempt at `next_attempt_ms`; `error` says why this one failed.
  Status MarkRetry(int64_t id, const std::string& error, int64_t next_attempt_ms);
  Status MarkRefused(int64_t id, const std::string& errors);
  // uniqueIds of every queued entry's documents (the reconciler leaves them alone).
  Result<std::set<std::string>> QueuedUniqueIds();
  Result<OutboxCounts> Counts();
  // The most recent entries (any state), newest first.
  Result<std::vector<OutboxEntry>> Recent(int limit);

  struct Impl;

 private:
  explicit Outbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The delay before attempt number `attempts` + 1: 1 s doubling per failed attempt, at most
// 5 minutes.
int64_t OutboxBackoffMs(int attempts);

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_OUTBOX_H_
