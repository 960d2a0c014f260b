// Base64 (RFC 4648 §4, the alphabet of XML Schema xs:base64Binary) for the inline document
// content of xdsb:Document and FHIR base64Binary (Binary.data, attachment.data).
#ifndef RENKEI_COMMON_BASE64_H_
#define RENKEI_COMMON_BASE64_H_

#include <string>
#include <string_view>

namespace renkei {

// Appends the base64 form of `bytes` (padded, no line breaks).
void AppendBase64(std::string* out, std::string_view bytes);

// Decodes `text` into `*out` (replacing its contents). XML whitespace (space, TAB, CR, LF)
// anywhere is ignored, as line-wrapped content is common. False, with `*out` unspecified,
// when a character is outside the alphabet, the length (without whitespace) is not a
// multiple of 4, or '=' padding appears anywhere but in the last one or two positions.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace renkei

#endif  // RENKEI_COMMON_BASE64_H_
