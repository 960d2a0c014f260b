// Background delivery of the outbox (repository/outbox_worker.h).
#include "repository/outbox_worker.h"

#include "common/log.h"
#include "common/utc_time.h"
#include "xds/ebrim_codec.h"

namespace renkei::repository {
namespace {

std::string Describe(const xds::RegistryErrorList& errors) {
  std::string s;
  for (const xds::RegistryError& e : errors) {
    if (!s.empty()) s += "; ";
    s += e.error_code + ": " + e.code_context;
  }
  return s.empty() ? "refused without an error" : s;
}

bool HasErrors(const xds::RegistryErrorList& errors) {
  for (const xds::RegistryError& e : errors) {
    if (e.severity == xds::Severity::kError) return true;
  }
  return false;
}

}  // namespace

OutboxWorker::OutboxWorker(Outbox& outbox, DocumentStore& store, RegistryClient& registry,
                           int64_t poll_ms)
    : outbox_(outbox), store_(store), registry_(registry), poll_ms_(poll_ms) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
  worker_.Start("outbox", 0, [this] {
    Result<OutboxDelivery> d = DeliverDue();
    if (!d.ok()) LogWarning("outbox: " + d.status().message());
    return poll_ms_;
  });
}

void OutboxWorker::Stop() { worker_.Stop(); }

Result<OutboxDelivery> OutboxWorker::DeliverDue() {
  OutboxDelivery d;
  Result<std::vector<OutboxEntry>> due = outbox_.Due(UnixMillisNow(), 50);
  if (!due.ok()) return due.status();
  for (const OutboxEntry& e : *due) {
    Result<xds::SubmitObjectsRequest> request = xds::DecodeSubmitObjectsRequestXml(e.submission_xml);
    if (!request.ok()) {
      RENKEI_RETURN_IF_ERROR(store_.Discard(e.unique_ids));
      RENKEI_RETURN_IF_ERROR(outbox_.MarkRefused(e.id, "unreadable: " + request.status().message()));
      ++d.refused;
      continue;
    }
    Result<xds::RegistryResponse> response = registry_.Register(*request);
    if (!response.ok()) {
      const int64_t next = UnixMillisNow() + OutboxBackoffMs(e.attempts + 1);
      RENKEI_RETURN_IF_ERROR(outbox_.MarkRetry(e.id, response.status().message(), next));
      ++d.retried;
      continue;
    }
    if (!response->success() || HasErrors(response->errors)) {
      LogWarning("outbox: registration " + std::to_string(e.id) + " refused by the registry: " +
                 Describe(response->errors));
      RENKEI_RETURN_IF_ERROR(store_.Discard(e.unique_ids));
      RENKEI_RETURN_IF_ERROR(outbox_.MarkRefused(e.id, Describe(response->errors)));
      ++d.refused;
      continue;
    }
    RENKEI_RETURN_IF_ERROR(store_.MarkRegistered(e.unique_ids));
    RENKEI_RETURN_IF_ERROR(outbox_.MarkDelivered(e.id));
    ++d.delivered;
  }
  if (d.delivered + d.refused > 0) {
    LogInfo("outbox: delivered " + std::to_string(d.delivered) + ", refused " +
            std::to_string(d.refused) + ", retrying " + std::to_string(d.retried));
  }
  return d;
}

}  // namespace renkei::repository
