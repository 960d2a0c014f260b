// QIDO-RS searches (PS3.18 §10.6) as plain values: the level, the UIDs the path fixes, the
// matching keys (PS3.4 §C.2.2.2: single value, wildcard * ?, range "A-B", a list of UIDs or
// of code strings separated by ',' or '\\' (any of them)), the
// includefield attributes, limit and offset — parsed from the query string at the edge.
//
// Thread-safety: free functions and immutable tables.
#ifndef RENKEI_DICOMWEB_QIDO_QUERY_H_
#define RENKEI_DICOMWEB_QIDO_QUERY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace renkei::dicomweb {

enum class Level { kStudy = 0, kSeries = 1, kInstance = 2 };

// An attribute the index holds: matched on, and returned at its level and below
// (PS3.18 Tables 10.6.3-3 to 10.6.3-5). `computed`: derived from the index, not a column
// (counts, ModalitiesInStudy, RetrieveURL) — returned, and ModalitiesInStudy matched.
struct AttrDef {
  uint32_t tag;
  const char* keyword;
  const char* vr;
  Level level;
  const char* column;  // the index column, or null when computed
};

// Every attribute the index answers, in tag order.
const std::vector<AttrDef>& IndexedAttributes();
// By keyword ("PatientID") or tag ("00100020", upper or lower case hex); null if not indexed.
const AttrDef* FindAttribute(std::string_view name);

enum class MatchKind { kSingle, kWildcard, kRange, kValueList };

struct Match {
  const AttrDef* attr = nullptr;
  MatchKind kind = MatchKind::kSingle;
  std::string value;             // kSingle, kWildcard (with its * and ?)
  std::string from, to;          // kRange (either may be empty: open)
  std::vector<std::string> values;  // kValueList: any of them
};

struct QidoQuery {
  Level level = Level::kStudy;
  std::string study_uid;   // from the path (…/studies/{study}/series), else empty
  std::string series_uid;  // from the path
  std::vector<Match> matches;
  std::vector<const AttrDef*> includes;  // includefield beyond the level's defaults
  bool include_all = false;              // includefield=all
  int64_t limit = 0;                     // 0: the server's maximum
  int64_t offset = 0;
  bool fuzzy = false;                    // accepted; matching stays exact (PS3.18 §8.3.4.5)
};

// Parses the query string's pairs (decoded) into `q` (level and path UIDs already set).
// InvalidArgument naming the parameter for: an attribute the index does not hold, a bad
// limit/offset, a malformed range or UID. `ignored` gets the includefield names that are
// DICOM attributes the index does not hold (answered without them: a Warning header).
Status ParseQidoParams(const std::vector<std::pair<std::string, std::string>>& params,
                       QidoQuery* q, std::vector<std::string>* ignored);

// DICOM wildcard matching (PS3.4 §C.2.2.2.4): * any run, ? one character; exact otherwise.
bool WildcardMatch(std::string_view pattern, std::string_view value);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_QIDO_QUERY_H_
