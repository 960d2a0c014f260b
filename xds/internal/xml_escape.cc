// XML 1.0 §2.4 / §3.3.3 character escaping (see xml_escape.h).
#include "xds/internal/xml_escape.h"

namespace renkei::xds::internal {
namespace {

constexpr char kReplacementChar[] = "\xEF\xBF\xBD";  // U+FFFD

// Returns the escape for `c`, or nullptr when `c` is written as is.
inline const char* Escape(unsigned char c, bool attribute) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '\r':
      return "&#13;";
    case '"':
      return attribute ? "&quot;" : nullptr;
    case '\n':
      return attribute ? "&#10;" : nullptr;
    case '\t':
      return attribute ? "&#9;" : nullptr;
    default:
      return c < 0x20 ? kReplacementChar : nullptr;
  }
}

inline bool NeedsEscape(unsigned char c, bool attribute) {
  return c < 0x20 ? (attribute || (c != '\n' && c != '\t'))
                  : (c == '&' || c == '<' || c == '>' || (attribute && c == '"'));
}

void AppendEscaped(std::string* out, std::string_view s, bool attribute) {
  size_t run_start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!NeedsEscape(c, attribute)) continue;
    out->append(s.data() + run_start, i - run_start);
    out->append(Escape(c, attribute));
    run_start = i + 1;
  }
  out->append(s.data() + run_start, s.size() - run_start);
}

}  // namespace

void AppendEscapedText(std::string* out, std::string_view text) {
  AppendEscaped(out, text, /*attribute=*/false);
}

void AppendEscapedAttribute(std::string* out, std::string_view value) {
  AppendEscaped(out, value, /*attribute=*/true);
}

}  // namespace renkei::xds::internal
