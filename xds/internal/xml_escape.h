// XML 1.0 §2.4 / §3.3.3 character escaping for the encoders of this folder (SOAP envelopes,
// ebRS responses, ebRIM fragments). Internal to xds/.
//
// Text escapes & < > and CR (so it survives end-of-line normalisation); attribute values
// also escape " TAB LF CR (so they survive attribute-value normalisation). C0 control
// characters that XML 1.0 cannot carry are written as U+FFFD.
#ifndef RENKEI_XDS_INTERNAL_XML_ESCAPE_H_
#define RENKEI_XDS_INTERNAL_XML_ESCAPE_H_

#include <string>
#include <string_view>

namespace renkei::xds::internal {

void AppendEscapedText(std::string* out, std::string_view text);
void AppendEscapedAttribute(std::string* out, std::string_view value);

// Appends ` name="escaped value"`.
inline void AppendAttribute(std::string* out, std::string_view name, std::string_view value) {
  out->push_back(' ');
  out->append(name);
  out->append("=\"");
  AppendEscapedAttribute(out, value);
  out->push_back('"');
}

}  // namespace renkei::xds::internal

#endif  // RENKEI_XDS_INTERNAL_XML_ESCAPE_H_
