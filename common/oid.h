// ISO object identifiers (ITU-T X.660) as text: the syntax checks every layer that reads an
// OID from the wire uses (XDS metadata, CX assigning authorities, facility OIDs in URLs and
// search parameters).
// Thread-safety: pure functions.
#ifndef RENKEI_COMMON_OID_H_
#define RENKEI_COMMON_OID_H_

#include <string_view>

namespace renkei {

// ISO OID syntax: at least two arcs, digits only, no leading zeros, first arc 0, 1 or 2.
bool IsOid(std::string_view s);
// Two or more decimal arcs separated by single dots (the OID shape without the first-arc and
// leading-zero rules); used for CX assigning authorities.
bool IsDottedDecimal(std::string_view s);

}  // namespace renkei

#endif  // RENKEI_COMMON_OID_H_
