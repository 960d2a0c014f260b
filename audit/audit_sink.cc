// IHE ATNA: the centre's audit sink (straight into the Audit Record Repository store).
#include "audit/audit_sink.h"

#include "audit/audit_store.h"
#include "common/log.h"

namespace renkei::audit {

void StoreSink::Record(const AuditEvent& event) {
  Result<int64_t> seq = store_.Append(event);
  if (!seq.ok()) {
    LogError("audit event " + event.event_id.code + " not recorded: " + seq.status().ToString());
  }
}

}  // namespace renkei::audit
