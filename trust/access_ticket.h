// IUA-style access tickets (IHE ITI TF-1 34 / ITI-71 token, RFC 9068 JWT access token
// profile): short-lived JWTs (RFC 7519) signed by the centre with ES256 (RFC 7518 §3.4),
// bound to the requester's TLS client certificate (RFC 8705 §3.1 `cnf` `x5t#S256`), naming
// the requester, the patient and the documents or repositories it may fetch. A node
// verifies a ticket before it serves ITI-43 / ITI-68 to another facility.
//
// Claims (JWS header {"alg":"ES256","typ":"at+jwt","kid":<RFC 7638 thumbprint>}):
//   iss             the centre (URL or OID)
//   sub             the requesting facility's OID (the facility in its certificate)
//   aud             the facility OID of the node that holds the content (the node checks
//                   its own facility OID; repositoryUniqueIds go in `repositories`)
//   iat, nbf, exp   NumericDate (Unix seconds); exp - iat is 300 s by default
//   jti             random, unique per ticket
//   cnf             {"x5t#S256": base64url SHA-256 of the requester certificate's DER}
//   patient         the patient (regional CX, e.g. "P123^^^&1.2.3&ISO")
//   documents       the DocumentEntry.uniqueIds it may fetch (optional)
//   repositories    the repositoryUniqueIds it may fetch from (optional)
//   purpose_of_use  optional, e.g. "BTG" for break-glass
//   act             optional {"sub": <facility OID>} (RFC 8693 §4.1 actor): the party that
//                   presents the ticket on behalf of `sub` — the centre's retrieve relay
//                   (relay/); `cnf` is then the actor's certificate
//
// Thread-safety: TicketSigner and TicketVerifier are immutable after construction; their
// const methods may be called from any number of threads at once.
#ifndef RENKEI_TRUST_ACCESS_TICKET_H_
#define RENKEI_TRUST_ACCESS_TICKET_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace renkei::trust {

inline constexpr int64_t kDefaultTicketLifetimeSeconds = 300;
inline constexpr size_t kMaxTicketBytes = 8192;  // longer tokens are refused unread

// Status::detail() of a refused ticket (all PermissionDenied).
inline constexpr char kTicketInvalid[] = "invalid_token";       // malformed, wrong alg/typ
inline constexpr char kTicketBadSignature[] = "bad_signature";  // or unknown key
inline constexpr char kTicketExpired[] = "expired";
inline constexpr char kTicketNotYetValid[] = "not_yet_valid";
inline constexpr char kTicketWrongAudience[] = "wrong_audience";
inline constexpr char kTicketWrongIssuer[] = "wrong_issuer";
inline constexpr char kTicketWrongHolder[] = "wrong_holder";  // cnf ≠ presenting certificate

// The purpose_of_use of an emergency ("break-glass") access.
inline constexpr char kPurposeBreakGlass[] = "BTG";

struct AccessTicket {
  std::string issuer;             // iss
  std::string requester;          // sub: requesting facility OID
  std::string audience;           // aud: the data holder's facility OID
  int64_t issued_at = 0;          // iat (Unix seconds); 0 in Issue(): now
  int64_t not_before = 0;         // nbf; 0 in Issue(): issued_at
  int64_t expires_at = 0;         // exp; 0 in Issue(): issued_at + kDefaultTicketLifetimeSeconds
  std::string id;                 // jti; empty in Issue(): 128 random bits, base64url
  std::string holder_thumbprint;  // cnf x5t#S256 (CertificateIdentity::sha256)
  std::string patient;
  std::vector<std::string> documents;
  std::vector<std::string> repositories;
  std::string purpose_of_use;  // optional
  std::string actor;           // act.sub: the presenting facility when it is not `requester`
};

// True when `ticket` allows fetching `document_unique_id` of `patient` from repository
// `repository_unique_id`: the patient must equal ticket.patient (exactly), and either the
// document is listed in `documents` or the repository in `repositories` (either list
// suffices; an empty id matches nothing). It does not know which patient a document
// belongs to: the node must check that the document it serves is `patient`'s.
bool Covers(const AccessTicket& ticket, std::string_view patient,
            std::string_view repository_unique_id, std::string_view document_unique_id);

// A fresh EC P-256 private key (PKCS#8 PEM) for signing tickets.
Result<std::string> GenerateTicketKeyPem();

class TicketSigner {
 public:
  // From an EC P-256 private key (PEM). InvalidArgument "bad_key" otherwise.
  static Result<TicketSigner> Create(const std::string& private_key_pem);

  TicketSigner(TicketSigner&&) noexcept;
  TicketSigner& operator=(TicketSigner&&) noexcept;
  ~TicketSigner();

  // The compact JWS of `ticket` with the defaults above filled in (and copied to `*issued`
  // when non-null). InvalidArgument "bad_ticket" when issuer, requester, audience,
  // holder_thumbprint or patient is empty, neither documents nor repositories is given,
  // or expires_at is not after issued_at.
  Result<std::string> Issue(const AccessTicket& ticket, AccessTicket* issued = nullptr) const;

  // RFC 7638 thumbprint of the public key; the JWS header's kid.
  const std::string& kid() const;
  // The public key, SubjectPublicKeyInfo PEM (for TicketVerifier::Create).
  const std::string& public_key_pem() const;
  // JWK Set (RFC 7517 §5) of the public key, for /.well-known/jwks.json:
  // {"keys":[{"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"use":"sig","alg":"ES256"}]}
  const std::string& jwks() const;

 private:
  struct Impl;
  explicit TicketSigner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct VerifierOptions {
  std::string audience;  // required: the node's own facility OID
  std::string issuer;    // when non-empty, iss must equal it
  int64_t clock_skew_seconds = 30;
  int64_t max_lifetime_seconds = 3600;  // exp - iat above this: invalid_token
};

class TicketVerifier {
 public:
  // From the signers' public keys (SubjectPublicKeyInfo PEM, EC P-256). InvalidArgument
  // "bad_key" for another key or none; "bad_options" for an empty audience.
  static Result<TicketVerifier> Create(const std::vector<std::string>& public_key_pems,
                                       const VerifierOptions& options);
  // From a JWK Set (as TicketSigner::jwks() writes it); EC P-256 keys with alg ES256 (or no
  // alg) are taken, others ignored. InvalidArgument "bad_key" when none is usable.
  static Result<TicketVerifier> FromJwks(const std::string& jwks_json,
                                         const VerifierOptions& options);

  TicketVerifier(TicketVerifier&&) noexcept;
  TicketVerifier& operator=(TicketVerifier&&) noexcept;
  ~TicketVerifier();

  // Checks `token` presented over TLS by the client whose certificate thumbprint is
  // `presenter_thumbprint` (CertificateIdentity::sha256), at `now` (Unix seconds), and
  // returns its claims (audience set to the matched one). PermissionDenied with detail:
  //   invalid_token   not three base64url parts of JSON objects, longer than
  //                   kMaxTicketBytes, alg other than ES256 (none, HS256, ...), a typ other
  //                   than at+jwt, application/at+jwt or JWT (absent is accepted), a crit
  //                   header, a missing or mistyped claim, or exp - iat outside
  //                   1..max_lifetime_seconds
  //   bad_signature   the signature does not verify under any of the keys (or kid unknown)
  //   expired         now >= exp + skew
  //   not_yet_valid   now + skew < nbf (or < iat)
  //   wrong_issuer    iss differs from options.issuer (when set)
  //   wrong_audience  options.audience is not (one of) aud
  //   wrong_holder    cnf x5t#S256 differs from presenter_thumbprint (or that is empty)
  // The message never echoes the token.
  Result<AccessTicket> Verify(std::string_view token, std::string_view presenter_thumbprint,
                              int64_t now) const;
  // Verify with `audience` in place of options.audience (the centre's relay checks tickets
  // addressed to the facility it relays to). wrong_audience for an empty `audience`.
  Result<AccessTicket> VerifyFor(std::string_view audience, std::string_view token,
                                 std::string_view presenter_thumbprint, int64_t now) const;

 private:
  struct Impl;
  explicit TicketVerifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::trust

#endif  // RENKEI_TRUST_ACCESS_TICKET_H_
