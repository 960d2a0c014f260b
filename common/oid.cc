// ISO object identifiers as text (common/oid.h).
#include "common/oid.h"

namespace renkei {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsOid(std::string_view s) {
  if (s.empty()) return false;
  int arcs = 0;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view arc = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (arc.empty()) return false;
    for (char c : arc) {
      if (!IsDigit(c)) return false;
    }
    if (arc.size() > 1 && arc[0] == '0') return false;
    if (arcs == 0 && !(arc == "0" || arc == "1" || arc == "2")) return false;
    ++arcs;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return arcs >= 2;
}

bool IsDottedDecimal(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  bool dot = false;
  for (char c : s) {
    if (c == '.') {
      if (dot) return false;  // empty arc
      dot = true;
    } else if (IsDigit(c)) {
      dot = false;
    } else {
      return false;
    }
  }
  return s.find('.') != std::string_view::npos;
}

}  // namespace renkei
