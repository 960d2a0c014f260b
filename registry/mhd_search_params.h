// ITI-66/67 search parameter values (FHIR R4 search.html) as plain criteria, for
// registry/mhd_responder.cc. Private to the registry; unit-tested in mhd_responder_test.cc.
// Thread-safety: pure functions.
#ifndef RENKEI_REGISTRY_MHD_SEARCH_PARAMS_H_
#define RENKEI_REGISTRY_MHD_SEARCH_PARAMS_H_

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "xds/metadata.h"

namespace renkei::registry::mhd {

// One token value: "system|code" (scheme = the XDS scheme of system), "code" (any scheme,
// has_system false) or "system|" (any code of the scheme).
struct Token {
  std::string system;  // as given
  std::string scheme;  // XDS scheme of `system`
  std::string code;
  bool has_system = false;
};
// A token parameter: its comma-separated values (OR-ed).
std::vector<Token> ParseTokens(const std::string& value);
bool TokenMatches(const std::vector<Token>& any_of, const xds::Code& code);
bool TokenMatchesAny(const std::vector<Token>& any_of, const std::vector<xds::Code>& codes);

// A DTM range [from, to) (either open when empty); ranges of repeated parameters intersect.
struct TimeRange {
  std::string from;
  std::string to;
  bool Contains(const std::string& dtm) const;  // false for an empty dtm when constrained
  bool empty() const { return from.empty() && to.empty(); }
};
// "[eq|ge|gt|le|lt]date" narrows `range`. InvalidArgument "invalid" for another prefix or a
// value that is no FHIR date/dateTime.
Status NarrowTimeRange(const std::string& param, const std::string& value, TimeRange* range);
// The next DTM at the precision of `dtm` ("2024" → "2025", "20240131" → "20240201").
std::string NextDtm(const std::string& dtm);

// String search (FHIR: starts with, case-insensitive) on XCN family (component 2) or given
// name (component 3).
bool XcnNameStartsWith(const std::string& xcn, int component, const std::string& prefix);

// Identifier match of an XDS object: value (or "system|value") against entryUUID and
// uniqueId, with or without urn:uuid: / urn:oid:.
bool IdentifierMatches(const std::string& token, const std::string& entry_uuid,
                       const std::string& unique_id);

// _count: 1..100. InvalidArgument otherwise.
Result<int> ParseCount(const std::string& value);
// _page: a non-negative offset. InvalidArgument otherwise.
Result<int64_t> ParsePage(const std::string& value);

}  // namespace renkei::registry::mhd

#endif  // RENKEI_REGISTRY_MHD_SEARCH_PARAMS_H_
