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
// Authorization (who reads which records) is the caller's, through AuditRoutesOptions.
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
  // A patient's access log (issue 5; architecture §5): a facility that discloses records of
  // a patient may read who looked at them. A search by a requester restricted by reads_all
  // that carries exactly one patient — one `patient` (or `patient.identifier`) parameter
  // with one value that names a patient as a CX (below) — and for which
  // discloses(facility, patient_cx) answers true is narrowed to that exact patient
  // (`oid|value`; not a bare id that other domains may share) instead of to the records
  // naming the requester; every other parameter still applies. Reads by id stay
  // restricted. Null: only reads_all decides. Called from the server's threads; must be
  // thread-safe and should be cheap (it runs once per such search).
  //   patient_cx is `value^^^&oid&ISO`, made from `oid|value` / `urn:oid:oid|value`, from
  //   a CX `value^^^&oid&ISO`, or, with patient_domain_oid set, from `Patient/{id}`,
  //   `…/Patient/{id}` or a bare `{id}` (an id in that domain).
  std::function<bool(const std::string& facility, const std::string& patient_cx)> discloses;
  // The assigning authority OID of Patient references and bare ids in `patient` (the
  // regional domain, pix.regional_domain.oid). Empty: those never name a patient for
  // `discloses`.
  std::string patient_domain_oid;
};

// Registers POST and GET kAuditEventPath and GET kAuditEventPath + "/{id}". `store` must
// outlive the router's server.
void AddAuditRoutes(HttpRouter& router, AuditStore& store, const AuditRoutesOptions& options = {});

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_ENDPOINT_H_
