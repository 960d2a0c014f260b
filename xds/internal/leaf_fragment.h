// LeafClass query answers from stored registry-object fragments (ITI TF-2 §3.18.4.1.3):
// the store keeps each object's ebRIM element without its status attribute; the current
// status is inserted when the answer is written. Internal to xds/.
#ifndef RENKEI_XDS_INTERNAL_LEAF_FRAGMENT_H_
#define RENKEI_XDS_INTERNAL_LEAF_FRAGMENT_H_

#include <string>
#include <string_view>

namespace renkei::xds::internal {

// Appends `fragment` (one element, "<rim:ExtrinsicObject id=...>...") to `out` with
// ` status="<status, escaped>"` inserted right after the element name of its start tag.
// Leading whitespace before '<' is kept. REQUIRES: fragment starts (after whitespace) with
// an element start tag; otherwise it is appended unchanged.
void AppendFragmentWithStatus(std::string* out, std::string_view fragment, std::string_view status);

}  // namespace renkei::xds::internal

#endif  // RENKEI_XDS_INTERNAL_LEAF_FRAGMENT_H_
