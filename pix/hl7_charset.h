// Character sets of HL7 v2 messages (MSH-18, HL7 Table 0211) and their conversion to and
// from UTF-8, the only encoding used inside Renkei.
//
//   MSH-18 (first repetition, else the   Charset     on the wire
//   first non-empty one)
//   (absent), ASCII, ISO IR6             kDefault    ASCII; other bytes are taken as UTF-8
//                                                    when they form valid UTF-8, else as
//                                                    ISO-8859-1 (nothing is rejected or lost)
//   UNICODE UTF-8                        kUtf8       UTF-8, validated
//   8859/1, ISO IR100                    kLatin1     ISO-8859-1
//   ISO IR87, ISO IR159, ISO IR13,       kIso2022Jp  ISO/IEC 2022 with escape sequences as
//   ISO 2022-1994, ISO2022-1994                      used in Japan (JAHIS / SS-MIX2: ASCII,
//                                                    JIS X 0208 kanji and kana, JIS X 0201
//                                                    half-width katakana, JIS X 0212)
//
// Japanese senders write "~ISO IR87" (an empty default then the alternate set) and
// "ISO 2022-1994" in MSH-20; any of these names selects kIso2022Jp. ISO 2022 text is decoded
// by iconv (glibc, "ISO-2022-JP-3" which reads JIS X 0208 and 0201) and encoded as
// "ISO-2022-JP" (JIS X 0208, the set JAHIS prescribes).
//
// Thread-safety: pure functions.
#ifndef RENKEI_PIX_HL7_CHARSET_H_
#define RENKEI_PIX_HL7_CHARSET_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace renkei::hl7 {

enum class Charset { kDefault, kUtf8, kLatin1, kIso2022Jp };

// The charset named by the repetitions of MSH-18 (raw field text, `repetition` its
// separator) and MSH-20. InvalidArgument (detail "hl7.charset") for a name not above.
Result<Charset> CharsetFromMsh(std::string_view msh18, char repetition, std::string_view msh20);

// The MSH-18 value to write for `c` ("" for kDefault).
std::string Msh18Value(Charset c);

// Bytes in `c` -> UTF-8. InvalidArgument (detail "hl7.bytes") on bytes invalid in `c`.
Result<std::string> ToUtf8(std::string_view bytes, Charset c);
// UTF-8 -> bytes in `c`. InvalidArgument (detail "hl7.bytes") when a character has no
// representation in `c`.
Result<std::string> FromUtf8(std::string_view utf8, Charset c);

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace renkei::hl7

#endif  // RENKEI_PIX_HL7_CHARSET_H_
