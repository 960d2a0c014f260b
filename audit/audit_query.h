// IHE ITI-81 Retrieve ATNA Audit Event: the search parameters of a FHIR R4 AuditEvent search
// (`patient`, `date`, `agent`, `entity`, `type`, `outcome`, `_count`) as a plain query, and
// the search keys an AuditEvent is indexed under, so that the store and the endpoint agree
// on what matches.
//
// Matching (case-sensitive). An event is indexed under one key per identifier, and a search
// value becomes that key (exact) or its start (prefix):
//   patient  a patient object's CX `id^^^&oid&ISO` is the key `id|oid` (an ID without an
//            authority: `id|`). Searched as token `system|value` (system an OID, with or
//            without "urn:oid:"), a CX, a bare value or a reference `Patient/{id}` /
//            `…/Patient/{id}` (these two: any authority).
//   agent    an ActiveParticipant UserID or AlternativeUserID, without "urn:oid:" (`system|`
//            is ignored; a "urn:oid:" prefix is optional).
//   entity   a ParticipantObjectID (`system|` ignored).
//   type     EventID and EventTypeCode, each the key `code|system` (system as its DICOM name,
//            e.g. "DCM"); searched as `system|code` (the DICOM name or the FHIR URI) or a
//            bare `code` (any system).
//   outcome  0, 4, 8, 12.
//   date     ISO date or date-time with prefix eq (default), ge, gt, le, lt; a partial date
//            ("2026-11", "2026-11-26") is the range it spans; repeatable (all must hold).
// Comma-separated values in one parameter are alternatives (OR); repeated parameters must
// all match (AND). Unknown parameters are InvalidArgument: an access log that silently
// ignored a filter would show records that were not asked for ("strict" handling, FHIR
// http.html#search errors). `_format` and `_pretty` are accepted and left to the transport.
//
// Thread-safety: pure functions.
#ifndef RENKEI_AUDIT_AUDIT_QUERY_H_
#define RENKEI_AUDIT_AUDIT_QUERY_H_

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_event.h"
#include "common/status.h"

namespace renkei::audit {

enum class KeyKind : int { kPatient = 1, kAgent = 2, kEntity = 3, kType = 4 };

struct SearchKey {
  KeyKind kind;
  std::string value;
  bool operator==(const SearchKey&) const = default;
  bool operator<(const SearchKey& o) const {
    return kind != o.kind ? kind < o.kind : value < o.value;
  }
};

// The keys `event` is found under (sorted, without duplicates).
std::vector<SearchKey> IndexKeys(const AuditEvent& event);

// One search value: the records with a key of the parameter's kind equal to `value`, or
// (prefix) starting with it.
struct KeyMatch {
  std::string value;
  bool prefix = false;
  bool operator==(const KeyMatch&) const = default;
};

struct AuditQuery {
  // Each inner vector is one parameter occurrence (OR of its values); all must match.
  std::vector<std::pair<KeyKind, std::vector<KeyMatch>>> keys;
  std::vector<int> outcomes;                                  // empty: any
  int64_t from_millis = std::numeric_limits<int64_t>::min();  // recorded >= from
  int64_t to_millis = std::numeric_limits<int64_t>::max();    // recorded < to
  int count = 100;
  int64_t offset = 0;
};

inline constexpr int kMaxCount = 1000;

// Parses the query parameters of an ITI-81 search. InvalidArgument (location the parameter)
// for an unknown parameter, a malformed date or outcome, a `_count` not in 1..kMaxCount, more
// than 20 values or 10 occurrences of a parameter.
Result<AuditQuery> ParseAuditQuery(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_QUERY_H_
