// IHE ATNA Secure Node / Secure Application side: where an actor's audit events go. Every
// endpoint records through an AuditSink and does not know whether it runs at the centre
// (StoreSink: straight into the Audit Record Repository's store) or on a node (AuditSender
// in audit/audit_sender.h: a durable queue shipped to the centre, ITI-20 FHIR feed).
//
// Thread-safety: Record may be called from any thread.
#ifndef RENKEI_AUDIT_AUDIT_SINK_H_
#define RENKEI_AUDIT_AUDIT_SINK_H_

#include "audit/audit_event.h"

namespace renkei::audit {

class AuditStore;

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Records `event`. Never throws and never fails the caller's transaction: an event that
  // cannot be kept is logged as an error (the store or the queue says why).
  virtual void Record(const AuditEvent& event) = 0;
};

// The centre's sink: appends to the local store. `store` must outlive the sink.
class StoreSink : public AuditSink {
 public:
  explicit StoreSink(AuditStore& store) : store_(store) {}
  void Record(const AuditEvent& event) override;

 private:
  AuditStore& store_;
};

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_SINK_H_
