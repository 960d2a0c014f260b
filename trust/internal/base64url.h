// RFC 4648 §5 base64url without padding, as JWS (RFC 7515 §2) and JWK (RFC 7517) use it.
// Private header of renkei_trust. Thread-safety: pure functions.
#ifndef RENKEI_TRUST_INTERNAL_BASE64URL_H_
#define RENKEI_TRUST_INTERNAL_BASE64URL_H_

#include <string>
#include <string_view>

namespace renkei::trust::internal {

// The unpadded base64url form of `bytes`.
std::string Base64UrlEncode(std::string_view bytes);

// Strict decoding: false (with *out unspecified) for a character outside the url alphabet
// (including '=' padding and whitespace), a length of 1 mod 4, or non-zero unused trailing
// bits (so that every byte string has exactly one accepted encoding).
bool Base64UrlDecode(std::string_view text, std::string* out);

}  // namespace renkei::trust::internal

#endif  // RENKEI_TRUST_INTERNAL_BASE64URL_H_
