// IUA-style access tickets: RFC 7519 JWT, ES256, RFC 8705 certificate binding
// (trust/access_ticket.h).
#include "trust/access_ticket.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <strings.h>

#include <algorithm>

#include "trust/internal/base64url.h"
#include "trust/internal/es256.h"
#include "trust/internal/openssl_handles.h"
#include "trust/internal/ticket_json.h"

namespace renkei::trust {

using internal::PkeyPtr;

namespace {

Status Refuse(const char* detail, const std::string& message) {
  return Status::PermissionDenied(detail, "access ticket refused: " + message);
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return !item.empty() && std::find(list.begin(), list.end(), item) != list.end();
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool AcceptableTyp(const std::string& typ) {
  return typ.empty() || strcasecmp(typ.c_str(), "at+jwt") == 0 ||
         strcasecmp(typ.c_str(), "application/at+jwt") == 0 || strcasecmp(typ.c_str(), "JWT") == 0;
}

}  // namespace

bool Covers(const AccessTicket& ticket, std::string_view patient,
            std::string_view repository_unique_id, std::string_view document_unique_id) {
  if (ticket.patient.empty() || patient != ticket.patient) return false;
  return Contains(ticket.documents, document_unique_id) ||
         Contains(ticket.repositories, repository_unique_id);
}

Result<std::string> GenerateTicketKeyPem() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return internal::OpensslError("openssl", "generate ticket key");
  return internal::PrivateKeyToPem(key.get());
}

// --- TicketSigner

struct TicketSigner::Impl {
  PkeyPtr key;
  std::string kid;
  std::string public_key_pem;
  std::string jwks;
};

TicketSigner::TicketSigner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TicketSigner::TicketSigner(TicketSigner&&) noexcept = default;
TicketSigner& TicketSigner::operator=(TicketSigner&&) noexcept = default;
TicketSigner::~TicketSigner() = default;

const std::string& TicketSigner::kid() const { return impl_->kid; }
const std::string& TicketSigner::public_key_pem() const { return impl_->public_key_pem; }
const std::string& TicketSigner::jwks() const { return impl_->jwks; }

Result<TicketSigner> TicketSigner::Create(const std::string& private_key_pem) {
  auto key = internal::PrivateKeyFromPem(private_key_pem, "bad_key");
  if (!key.ok()) return key.status();
  if (!internal::IsP256(key->get())) {
    return Status::InvalidArgument("bad_key", "the ticket signing key must be EC P-256 (ES256)");
  }
  auto jwk = internal::JwkOf(key->get());
  if (!jwk.ok()) return jwk.status();
  auto pub = internal::PublicKeyToPem(key->get());
  if (!pub.ok()) return pub.status();
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key.value());
  impl->kid = internal::JwkThumbprint(jwk.value());
  impl->public_key_pem = std::move(pub.value());
  impl->jwks = internal::EncodeJwks({{jwk.value(), impl->kid}});
  return TicketSigner(std::move(impl));
}

Result<std::string> TicketSigner::Issue(const AccessTicket& ticket, AccessTicket* issued) const {
  AccessTicket t = ticket;
  if (t.issued_at == 0) t.issued_at = internal::UnixNow();
  if (t.not_before == 0) t.not_before = t.issued_at;
  if (t.expires_at == 0) t.expires_at = t.issued_at + kDefaultTicketLifetimeSeconds;
  if (t.id.empty()) {
    unsigned char jti[16];
    if (RAND_bytes(jti, sizeof jti) != 1) return internal::OpensslError("openssl", "ticket id");
    t.id = internal::Base64UrlEncode(std::string_view(reinterpret_cast<char*>(jti), sizeof jti));
  }
  auto bad = [](const std::string& m) { return Status::InvalidArgument("bad_ticket", m); };
  if (t.issuer.empty()) return bad("a ticket needs an issuer");
  if (t.requester.empty()) return bad("a ticket needs the requesting facility");
  if (t.audience.empty()) return bad("a ticket needs an audience");
  if (t.holder_thumbprint.empty()) return bad("a ticket needs the requester's certificate");
  if (t.patient.empty()) return bad("a ticket needs a patient");
  if (t.documents.empty() && t.repositories.empty()) {
    return bad("a ticket needs documents or repositories");
  }
  if (t.expires_at <= t.issued_at || t.issued_at < 0) {
    return bad("a ticket must expire after it is issued");
  }
  const std::string input = internal::Base64UrlEncode(internal::EncodeHeader(impl_->kid)) + "." +
                            internal::Base64UrlEncode(internal::EncodeClaims(t));
  auto sig = internal::SignEs256(impl_->key.get(), input);
  if (!sig.ok()) return sig.status();
  if (issued != nullptr) *issued = t;
  return input + "." + internal::Base64UrlEncode(sig.value());
}

// --- TicketVerifier

struct TicketVerifier::Impl {
  struct Key {
    std::string kid;
    PkeyPtr key;
  };
  std::vector<Key> keys;
  VerifierOptions options;
};

TicketVerifier::TicketVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TicketVerifier::TicketVerifier(TicketVerifier&&) noexcept = default;
TicketVerifier& TicketVerifier::operator=(TicketVerifier&&) noexcept = default;
TicketVerifier::~TicketVerifier() = default;

Result<TicketVerifier> TicketVerifier::Create(const std::vector<std::string>& public_key_pems,
                                              const VerifierOptions& options) {
  if (options.audience.empty()) {
    return Status::InvalidArgument("bad_options", "the verifier needs its audience");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  for (const std::string& pem : public_key_pems) {
    auto key = internal::PublicKeyFromPem(pem, "bad_key");
    if (!key.ok()) return key.status();
    if (!internal::IsP256(key->get())) {
      return Status::InvalidArgument("bad_key", "ticket keys must be EC P-256 (ES256)");
    }
    auto jwk = internal::JwkOf(key->get());
    if (!jwk.ok()) return jwk.status();
    impl->keys.push_back({internal::JwkThumbprint(jwk.value()), std::move(key.value())});
  }
  if (impl->keys.empty()) return Status::InvalidArgument("bad_key", "no ticket key given");
  return TicketVerifier(std::move(impl));
}

Result<TicketVerifier> TicketVerifier::FromJwks(const std::string& jwks_json,
                                                const VerifierOptions& options) {
  if (options.audience.empty()) {
    return Status::InvalidArgument("bad_options", "the verifier needs its audience");
  }
  auto jwks = internal::DecodeJwks(jwks_json);
  if (!jwks.ok()) return jwks.status();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  for (const internal::Jwk& jwk : jwks.value()) {
    auto key = internal::PublicKeyFromJwk(jwk.point);
    if (!key.ok()) continue;
    // The kid is always the RFC 7638 thumbprint, whatever the set says.
    impl->keys.push_back({internal::JwkThumbprint(jwk.point), std::move(key.value())});
  }
  if (impl->keys.empty()) {
    return Status::InvalidArgument("bad_key", "the JWK Set holds no usable ES256 key");
  }
  return TicketVerifier(std::move(impl));
}

Result<AccessTicket> TicketVerifier::Verify(std::string_view token,
                                            std::string_view presenter_thumbprint,
                                            int64_t now) const {
  return VerifyFor(impl_->options.audience, token, presenter_thumbprint, now);
}

Result<AccessTicket> TicketVerifier::VerifyFor(std::string_view audience, std::string_view token,
                                               std::string_view presenter_thumbprint,
                                               int64_t now) const {
  const VerifierOptions& opt = impl_->options;
  if (token.empty() || token.size() > kMaxTicketBytes) {
    return Refuse(kTicketInvalid, "empty or too long");
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Refuse(kTicketInvalid, "not a compact JWS (three parts)");
  }
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view claims_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view sig_b64 = token.substr(dot2 + 1);
  std::string header_json, claims_json, sig;
  if (!internal::Base64UrlDecode(header_b64, &header_json) ||
      !internal::Base64UrlDecode(claims_b64, &claims_json) ||
      !internal::Base64UrlDecode(sig_b64, &sig) || header_json.empty() || claims_json.empty()) {
    return Refuse(kTicketInvalid, "a part is not base64url");
  }
  auto header = internal::DecodeHeader(header_json);
  if (!header.ok()) return Refuse(kTicketInvalid, header.status().message());
  // RFC 8725 §3.1: accept the one algorithm we sign with, never "none" or an HMAC.
  if (header->alg != "ES256") {
    return Refuse(kTicketInvalid, "alg must be ES256");
  }
  if (!AcceptableTyp(header->typ)) return Refuse(kTicketInvalid, "typ must be at+jwt");
  if (header->has_crit) return Refuse(kTicketInvalid, "unsupported crit header");

  const std::string_view signing_input = token.substr(0, dot2);
  bool verified = false;
  for (const Impl::Key& k : impl_->keys) {
    if (!header->kid.empty() && header->kid != k.kid) continue;
    if (internal::VerifyEs256(k.key.get(), signing_input, sig)) {
      verified = true;
      break;
    }
  }
  if (!verified) return Refuse(kTicketBadSignature, "the signature does not verify");

  auto claims = internal::DecodeClaims(claims_json);
  if (!claims.ok()) return Refuse(kTicketInvalid, claims.status().message());
  AccessTicket& t = claims->ticket;
  if (t.expires_at <= t.issued_at || t.expires_at - t.issued_at > opt.max_lifetime_seconds) {
    return Refuse(kTicketInvalid, "lifetime out of bounds");
  }
  if (now >= t.expires_at + opt.clock_skew_seconds) return Refuse(kTicketExpired, "expired");
  if (now + opt.clock_skew_seconds < t.issued_at ||
      (claims->has_nbf && now + opt.clock_skew_seconds < t.not_before)) {
    return Refuse(kTicketNotYetValid, "not yet valid");
  }
  if (!opt.issuer.empty() && t.issuer != opt.issuer) {
    return Refuse(kTicketWrongIssuer, "issued by another issuer");
  }
  if (audience.empty() || std::find(claims->audiences.begin(), claims->audiences.end(),
                                     audience) == claims->audiences.end()) {
    return Refuse(kTicketWrongAudience, "issued for another audience");
  }
  if (presenter_thumbprint.empty() ||
      !ConstantTimeEqual(t.holder_thumbprint, presenter_thumbprint)) {
    return Refuse(kTicketWrongHolder, "bound to another certificate");
  }
  if (!claims->has_nbf) t.not_before = t.issued_at;
  t.audience = std::string(audience);
  return std::move(t);
}

}  // namespace renkei::trust
