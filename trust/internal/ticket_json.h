// RFC 7515 JOSE header, RFC 7519 claims of an access ticket, and RFC 7517 JWK Sets, as
// JSON (RapidJSON is included only in ticket_json.cc).
//
// Thread-safety: pure functions. Private header of renkei_trust.
#ifndef RENKEI_TRUST_INTERNAL_TICKET_JSON_H_
#define RENKEI_TRUST_INTERNAL_TICKET_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "trust/access_ticket.h"
#include "trust/internal/es256.h"

namespace renkei::trust::internal {

struct JoseHeader {
  std::string alg;
  std::string typ;  // empty when absent
  std::string kid;  // empty when absent
  bool has_crit = false;
};

// {"alg":"ES256","typ":"at+jwt","kid":<kid>}
std::string EncodeHeader(const std::string& kid);
// InvalidArgument when `json` is not a JSON object or alg/typ/kid is not a string.
Result<JoseHeader> DecodeHeader(std::string_view json);

std::string EncodeClaims(const AccessTicket& ticket);

struct DecodedClaims {
  AccessTicket ticket;                 // audience left empty
  std::vector<std::string> audiences;  // aud (a string or an array of strings)
  bool has_nbf = false;
};
// InvalidArgument (message names the claim) when `json` is not an object, a required claim
// (iss, sub, aud, iat, exp, jti, cnf.x5t#S256, patient) is missing, or a claim has the wrong
// type.
Result<DecodedClaims> DecodeClaims(std::string_view json);

struct Jwk {
  EcJwk point;
  std::string kid;
};
// {"keys":[{"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"use":"sig","alg":"ES256"}]}
std::string EncodeJwks(const std::vector<Jwk>& keys);
// The EC P-256 signature keys of a JWK Set (others skipped); InvalidArgument when `json` is
// not a JWK Set.
Result<std::vector<Jwk>> DecodeJwks(std::string_view json);

}  // namespace renkei::trust::internal

#endif  // RENKEI_TRUST_INTERNAL_TICKET_JSON_H_
