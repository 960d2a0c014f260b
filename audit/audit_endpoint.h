// IHE RESTful ATNA at the Audit Record Repository: ITI-20 "Record Audit Event" as a FHIR
// AuditEvent create (POST [base]/fhir/AuditEvent, JSON or XML), ITI-81 "Retrieve ATNA Audit
// Event" (GET [base]/fhir/AuditEvent?… searchset, audit/audit_query.h) and read
// (GET [base]/fhir/AuditEvent/{id}).
//
// Answers: create 201 with Location [base]/AuditEvent/{id} and the stored resource; 400
// OperationOutcome (invalid) for a resource that is no valid AuditEvent, 415 / 413 for
// another media type / a body over the limit; search 200 searchset Bundle ordered by
// recorded (then id), `next` link while a page is full, 400 for an unknown or malformed
// parameter (strict: see audit/audit_query.h); read 404 when there is no such id; 503
// (transient) when the store is busy, 500 (exception) when it fails.
// Authorization (who may read a patient's access log) is the caller's: wrap the handlers.
//
// Thread-safety: handlers run concurrently; the store is thread-safe.
#ifndef RENKEI_AUDIT_AUDIT_ENDPOINT_H_
#define RENKEI_AUDIT_AUDIT_ENDPOINT_H_

#include <cstddef>
#include <functional>
#include <string>

#include "audit/audit_store.h"

#include "common/http_server.h"

namespace renkei::audit {

inline constexpr char kAuditEventPath[] = "/fhir/AuditEvent";

struct AuditRoutesOptions {
  size_t max_body_bytes = 1 << 20;
  // ITI-81 is itself a disclosure (who looked at which patient's records): with this set, a
  // requesting facility (common/peer.h) for which it answers false reads only the records
  // naming it as a participant (searches get `agent=<its OID>` added; a read of another
  // record is 404). Null: every requester reads every record.
  std::function<bool(const std::string& facility)> reads_all;
};

// Registers POST and GET kAuditEventPath and GET kAuditEventPath + "/{id}". `store` must
// outlive the router's server.
void AddAuditRoutes(HttpRouter& router, AuditStore& store, const AuditRoutesOptions& options = {});

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_ENDPOINT_H_
