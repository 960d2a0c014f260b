// Directory and disclosure policy (issue 5): the UTC instants grants, revocations and
// break-glass windows are stored and compared in. One form inside Renkei's directory,
// "YYYYMMDDhhmmss" (UTC, 14 digits, the `now` of DisclosurePolicy::AccessOf), which orders
// as text; FHIR dateTime/instant (RFC 3339 with a zone, or a date) at the edge.
//
// Thread-safety: pure functions.
#ifndef RENKEI_DIRECTORY_INSTANT_H_
#define RENKEI_DIRECTORY_INSTANT_H_

#include <cstdint>
#include <string>

#include "common/status.h"

namespace renkei::directory {

// The current UTC time as "YYYYMMDDhhmmss".
std::string NowInstant();

// Parses "YYYYMMDDhhmmss" (taken as UTC), a FHIR date "YYYY-MM-DD" (00:00:00 UTC) or a FHIR
// dateTime "YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)" (fraction dropped, converted
// to UTC) into "YYYYMMDDhhmmss". InvalidArgument (detail "invalid") for anything else,
// including out-of-range fields and a time without a zone.
Result<std::string> ParseInstant(const std::string& text);

// "YYYY-MM-DDThh:mm:ssZ" (a FHIR instant) of a stored instant; `instant` as is when it is
// not of the stored form.
std::string IsoOfInstant(const std::string& instant);

// The stored instant `seconds` after `instant` (REQUIRES: `instant` of the stored form).
std::string AddSeconds(const std::string& instant, int64_t seconds);

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_INSTANT_H_
