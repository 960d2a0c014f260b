// RFC 7518 §3.4 ES256 (ECDSA P-256 with SHA-256; the JWS signature is R||S, 64 bytes, not
// DER) and the RFC 7517 / RFC 7638 JWK form and thumbprint of a P-256 public key.
//
// Thread-safety: pure functions; an EVP_PKEY may be shared read-only by threads.
// Private header of renkei_trust.
#ifndef RENKEI_TRUST_INTERNAL_ES256_H_
#define RENKEI_TRUST_INTERNAL_ES256_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "trust/internal/openssl_handles.h"

namespace renkei::trust::internal {

// True when `key` is an EC key on P-256.
bool IsP256(EVP_PKEY* key);

// R||S (64 bytes) over `input`. REQUIRES: IsP256(key) with a private key.
Result<std::string> SignEs256(EVP_PKEY* key, std::string_view input);

// True when `signature` (R||S, 64 bytes) is valid for `input` under `key`.
bool VerifyEs256(EVP_PKEY* key, std::string_view input, std::string_view signature);

// The public point as base64url x and y (32 bytes each).
struct EcJwk {
  std::string x;
  std::string y;
};
Result<EcJwk> JwkOf(EVP_PKEY* key);

// RFC 7638 thumbprint: base64url SHA-256 of {"crv":"P-256","kty":"EC","x":..,"y":..}.
std::string JwkThumbprint(const EcJwk& jwk);

// A P-256 public key from its JWK coordinates; InvalidArgument "bad_jwk" when they are not
// 32-byte base64url values of a point on the curve.
Result<PkeyPtr> PublicKeyFromJwk(const EcJwk& jwk);

}  // namespace renkei::trust::internal

#endif  // RENKEI_TRUST_INTERNAL_ES256_H_
