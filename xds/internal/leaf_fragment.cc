// LeafClass answers from stored fragments: status insertion (ITI TF-2 §3.18.4.1.3).
#include "xds/internal/leaf_fragment.h"

#include "xds/internal/ebrim_names.h"
#include "xds/internal/xml_escape.h"

namespace renkei::xds::internal {

void AppendFragmentWithStatus(std::string* out, std::string_view fragment,
                              std::string_view status) {
  size_t i = 0;
  while (i < fragment.size() && (fragment[i] == ' ' || fragment[i] == '\t' || fragment[i] == '\n' ||
                                 fragment[i] == '\r')) {
    ++i;
  }
  if (i >= fragment.size() || fragment[i] != '<') {
    out->append(fragment);
    return;
  }
  size_t name_end = i + 1;
  while (name_end < fragment.size()) {
    char c = fragment[name_end];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/') break;
    ++name_end;
  }
  if (name_end == i + 1 || name_end >= fragment.size()) {  // "<" or "<name" without an end
    out->append(fragment);
    return;
  }
  out->append(fragment.data(), name_end);
  AppendAttribute(out, kAtStatus, status);
  out->append(fragment.data() + name_end, fragment.size() - name_end);
}

}  // namespace renkei::xds::internal
