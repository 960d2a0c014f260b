// FHIR R4 search answers (http.html#search, bundle.html searchset) shared by the centre's
// search endpoints: the query string of self / next links and the searchset Bundle that
// wraps resources already written as JSON.
// Thread-safety: pure functions.
#ifndef RENKEI_FHIR_FHIR_SEARCH_H_
#define RENKEI_FHIR_FHIR_SEARCH_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace renkei::fhir {

// "k=v&k2=v2", every name and value percent-encoded (RFC 3986 unreserved kept).
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params);

struct SearchEntry {
  std::string full_url;
  std::string resource_json;  // one FHIR resource (JSON object text)
};

// A Bundle type "searchset": link self (and next when `next_url` is not empty), `total`
// when known, one entry per resource with search.mode "match".
std::string SearchsetJson(const std::string& self_url, const std::string& next_url,
                          const std::vector<SearchEntry>& entries,
                          std::optional<int64_t> total = std::nullopt);

}  // namespace renkei::fhir

#endif  // RENKEI_FHIR_FHIR_SEARCH_H_
