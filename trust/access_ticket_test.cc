// IUA-style access tickets (RFC 7519 JWT, RFC 7518 ES256, RFC 8705 cnf x5t#S256): round
// trip, every refusal the node relies on, and the coverage table.
#include "trust/access_ticket.h"

#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include "trust/certificate_authority.h"
#include "trust/certificate_identity.h"
#include "trust/internal/base64url.h"
#include "trust/internal/es256.h"
#include "trust/internal/openssl_handles.h"
#include "trust/internal/test_util.h"
#include "trust/internal/ticket_json.h"

namespace renkei::trust {
namespace {

using internal::Base64UrlDecode;
using internal::Base64UrlEncode;

constexpr int64_t kNow = 1800000000;  // a fixed clock: 2027-01-15
constexpr char kNode[] = "1.2.392.100.20";
constexpr char kViewer[] = "1.2.392.100.10";
constexpr char kCentre[] = "https://centre.region.example.jp";
// A stand-in for a certificate thumbprint (the binding tests use real certificates).
const std::string kHolder = Base64UrlEncode(internal::Sha256("viewer certificate"));

std::string NewKey() {
  auto k = GenerateTicketKeyPem();
  EXPECT_TRUE(k.ok());
  return k.value();
}

AccessTicket Ticket() {
  AccessTicket t;
  t.issuer = kCentre;
  t.requester = kViewer;
  t.audience = kNode;
  t.issued_at = kNow;
  t.holder_thumbprint = kHolder;
  t.patient = "P0001^^^&1.2.392.100.99&ISO";
  t.documents = {"1.2.392.100.20.1.7", "1.2.392.100.20.1.8"};
  t.repositories = {"1.2.392.100.20.5"};
  return t;
}

VerifierOptions Options() {
  VerifierOptions o;
  o.audience = kNode;
  o.issuer = kCentre;
  return o;
}

struct Parts {
  std::string header, claims, sig;  // base64url
};
Parts Split(const std::string& token) {
  size_t a = token.find('.');
  size_t b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}
std::string Decode(const std::string& b64) {
  std::string out;
  EXPECT_TRUE(Base64UrlDecode(b64, &out)) << b64;
  return out;
}
// A JWS over arbitrary header and claims JSON, signed with ES256 under `key_pem`.
std::string SignRaw(const std::string& key_pem, const std::string& header,
                    const std::string& claims) {
  auto key = internal::PrivateKeyFromPem(key_pem, "t");
  EXPECT_TRUE(key.ok());
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(claims);
  auto sig = internal::SignEs256(key->get(), input);
  EXPECT_TRUE(sig.ok());
  return input + "." + Base64UrlEncode(sig.value());
}

class AccessTicketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_pem_ = NewKey();
    auto s = TicketSigner::Create(key_pem_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    signer_ = std::make_unique<TicketSigner>(std::move(s.value()));
    auto v = TicketVerifier::Create({signer_->public_key_pem()}, Options());
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    verifier_ = std::make_unique<TicketVerifier>(std::move(v.value()));
  }

  std::string Issue(const AccessTicket& t = Ticket()) {
    auto token = signer_->Issue(t);
    EXPECT_TRUE(token.ok()) << token.status().ToString();
    return token.ok() ? token.value() : std::string();
  }

  // The refusal detail, or "OK".
  std::string Refusal(const std::string& token, const std::string& holder = kHolder,
                      int64_t now = kNow + 10) {
    auto r = verifier_->Verify(token, holder, now);
    if (r.ok()) return "OK";
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
    return r.status().detail();
  }

  std::string HeaderJson(const std::string& extra = "") {
    return R"({"alg":"ES256","typ":"at+jwt","kid":")" + signer_->kid() + "\"" + extra + "}";
  }

  std::string key_pem_;
  std::unique_ptr<TicketSigner> signer_;
  std::unique_ptr<TicketVerifier> verifier_;
};

TEST_F(AccessTicketTest, RoundTrip) {
  AccessTicket in = Ticket();
  in.purpose_of_use = kPurposeBreakGlass;
  AccessTicket issued;
  auto token = signer_->Issue(in, &issued);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(issued.expires_at, kNow + kDefaultTicketLifetimeSeconds);
  EXPECT_EQ(issued.not_before, kNow);
  EXPECT_EQ(Decode(issued.id).size(), 16u);

  auto out = verifier_->Verify(token.value(), kHolder, kNow + 1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->issuer, kCentre);
  EXPECT_EQ(out->requester, kViewer);
  EXPECT_EQ(out->audience, kNode);
  EXPECT_EQ(out->issued_at, kNow);
  EXPECT_EQ(out->not_before, kNow);
  EXPECT_EQ(out->expires_at, kNow + 300);
  EXPECT_EQ(out->id, issued.id);
  EXPECT_EQ(out->holder_thumbprint, kHolder);
  EXPECT_EQ(out->patient, in.patient);
  EXPECT_EQ(out->documents, in.documents);
  EXPECT_EQ(out->repositories, in.repositories);
  EXPECT_EQ(out->purpose_of_use, "BTG");
  EXPECT_TRUE(out->actor.empty());

  // Two tickets never share a jti.
  AccessTicket second;
  ASSERT_TRUE(signer_->Issue(in, &second).ok());
  EXPECT_NE(second.id, issued.id);
}

TEST_F(AccessTicketTest, WireFormIsAnEs256JwsWithRawSignature) {
  const std::string token = Issue();
  Parts p = Split(token);
  EXPECT_EQ(Decode(p.header), HeaderJson());
  const std::string claims = Decode(p.claims);
  EXPECT_NE(claims.find(R"("cnf":{"x5t#S256":")" + kHolder + "\"}"), std::string::npos) << claims;
  EXPECT_NE(claims.find(R"("aud":"1.2.392.100.20")"), std::string::npos) << claims;
  EXPECT_NE(claims.find(R"("exp":1800000300)"), std::string::npos) << claims;
  // RFC 7518 §3.4: 64 bytes R||S. Verify it independently: R||S → DER ECDSA-Sig →
  // EVP_DigestVerify with the public key.
  const std::string sig = Decode(p.sig);
  ASSERT_EQ(sig.size(), 64u);
  const auto* raw = reinterpret_cast<const unsigned char*>(sig.data());
  internal::EcdsaSigPtr ecdsa(ECDSA_SIG_new());
  ECDSA_SIG_set0(ecdsa.get(), BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(ecdsa.get(), &der);
  auto pub = internal::PublicKeyFromPem(signer_->public_key_pem(), "t");
  ASSERT_TRUE(pub.ok());
  internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  const std::string input = p.header + "." + p.claims;
  ASSERT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pub->get()), 1);
  EXPECT_EQ(EVP_DigestVerify(ctx.get(), der, der_len,
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  OPENSSL_free(der);
}

TEST_F(AccessTicketTest, JwksCarriesTheKeyAndItsRfc7638Thumbprint) {
  const std::string jwks = signer_->jwks();
  auto field = [&](const std::string& name) {
    size_t at = jwks.find("\"" + name + "\":\"");
    EXPECT_NE(at, std::string::npos) << name;
    at += name.size() + 4;
    return jwks.substr(at, jwks.find('"', at) - at);
  };
  EXPECT_EQ(field("kty"), "EC");
  EXPECT_EQ(field("crv"), "P-256");
  EXPECT_EQ(field("use"), "sig");
  EXPECT_EQ(field("alg"), "ES256");
  EXPECT_EQ(field("kid"), signer_->kid());
  EXPECT_EQ(Decode(field("x")).size(), 32u);
  // RFC 7638 §3: SHA-256 over the required members in lexicographic order.
  const std::string canonical =
      R"({"crv":"P-256","kty":"EC","x":")" + field("x") + R"(","y":")" + field("y") + R"("})";
  unsigned char md[32];
  unsigned int md_len = 0;
  EVP_Digest(canonical.data(), canonical.size(), md, &md_len, EVP_sha256(), nullptr);
  EXPECT_EQ(signer_->kid(), Base64UrlEncode(std::string(reinterpret_cast<char*>(md), md_len)));

  // A node that fetched the JWKS verifies the centre's tickets with it.
  auto from_jwks = TicketVerifier::FromJwks(jwks, Options());
  ASSERT_TRUE(from_jwks.ok()) << from_jwks.status().ToString();
  EXPECT_TRUE(from_jwks->Verify(Issue(), kHolder, kNow).ok());
  auto other = TicketSigner::Create(NewKey());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(from_jwks->Verify(other->Issue(Ticket()).value(), kHolder, kNow).status().detail(),
            kTicketBadSignature);
}

TEST_F(AccessTicketTest, JwksWithBadPointsOrNoEcKeysIsRefused) {
  // RFC 7517 Appendix A.1's EC public key is on P-256; altering y takes it off the curve.
  const std::string good =
      R"({"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",)"
      R"("y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"}]})";
  EXPECT_EQ(TicketVerifier::FromJwks(good, Options()).status().detail(), "bad_key");  // use enc
  std::string sig = good;
  sig.replace(sig.find("\"enc\""), 5, "\"sig\"");
  EXPECT_TRUE(TicketVerifier::FromJwks(sig, Options()).ok());
  std::string off_curve = sig;
  off_curve.replace(off_curve.find("4Etl6"), 5, "5Etl6");
  EXPECT_EQ(TicketVerifier::FromJwks(off_curve, Options()).status().detail(), "bad_key");
  EXPECT_EQ(TicketVerifier::FromJwks(R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]})", Options())
                .status()
                .detail(),
            "bad_key");
  EXPECT_EQ(TicketVerifier::FromJwks("not json", Options()).status().detail(), "bad_key");
  EXPECT_EQ(TicketVerifier::FromJwks(sig, VerifierOptions{}).status().detail(), "bad_options");
}

TEST_F(AccessTicketTest, TamperedTicketsAreRefused) {
  const std::string token = Issue();
  Parts p = Split(token);

  // Payload: another patient, original signature.
  std::string claims = Decode(p.claims);
  std::string other_patient = claims;
  other_patient.replace(other_patient.find("P0001"), 5, "P0002");
  EXPECT_EQ(Refusal(p.header + "." + Base64UrlEncode(other_patient) + "." + p.sig),
            kTicketBadSignature);
  // Payload: a longer lifetime.
  std::string longer = claims;
  longer.replace(longer.find("1800000300"), 10, "1800003000");
  EXPECT_EQ(Refusal(p.header + "." + Base64UrlEncode(longer) + "." + p.sig), kTicketBadSignature);
  // Header: other typ, same kid.
  EXPECT_EQ(
      Refusal(Base64UrlEncode(R"({"alg":"ES256","typ":"JWT","kid":")" + signer_->kid() + "\"}") +
              "." + p.claims + "." + p.sig),
      kTicketBadSignature);
  // Header: unknown kid.
  EXPECT_EQ(Refusal(Base64UrlEncode(R"({"alg":"ES256","typ":"at+jwt","kid":"x"})") + "." +
                    p.claims + "." + p.sig),
            kTicketBadSignature);
  // Signature: one character changed, truncated, or another ticket's signature.
  std::string flipped = p.sig;
  flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Refusal(p.header + "." + p.claims + "." + flipped), kTicketBadSignature);
  EXPECT_EQ(Refusal(p.header + "." + p.claims + "." + p.sig.substr(0, 84)), kTicketBadSignature);
  AccessTicket t = Ticket();
  t.patient = "P0002^^^&1.2.392.100.99&ISO";
  EXPECT_EQ(Refusal(p.header + "." + p.claims + "." + Split(Issue(t)).sig), kTicketBadSignature);
  // The signature's last character with non-zero unused bits (another encoding of a
  // neighbouring value) is not base64url we accept.
  std::string last = p.sig;
  last.back() = last.back() == 'A' ? 'B' : 'A';
  EXPECT_NE(Refusal(p.header + "." + p.claims + "." + last), "OK");
  // The untouched token passes (the checks above can fail).
  EXPECT_EQ(Refusal(token), "OK");
}

TEST_F(AccessTicketTest, AlgNoneAndHs256AreRefused) {
  const std::string claims = Decode(Split(Issue()).claims);
  // alg none, empty signature.
  EXPECT_EQ(Refusal(Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                    Base64UrlEncode(claims) + "."),
            kTicketInvalid);
  // HS256 keyed with the public key PEM (the classic algorithm-confusion attack).
  const std::string input =
      Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." + Base64UrlEncode(claims);
  unsigned char mac[32];
  unsigned int mac_len = 0;
  const std::string& secret = signer_->public_key_pem();
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len);
  EXPECT_EQ(
      Refusal(input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), mac_len))),
      kTicketInvalid);
  // ES384/RS256 headers over an ES256 signature, a crit header, and a typ of another kind.
  const std::string sig_of = "";
  EXPECT_EQ(Refusal(SignRaw(key_pem_, R"({"alg":"ES384"})", claims)), kTicketInvalid);
  EXPECT_EQ(Refusal(SignRaw(key_pem_, R"({"alg":"RS256"})", claims)), kTicketInvalid);
  EXPECT_EQ(Refusal(SignRaw(key_pem_, HeaderJson(R"(,"crit":["exp"])"), claims)), kTicketInvalid);
  EXPECT_EQ(Refusal(SignRaw(key_pem_, R"({"alg":"ES256","typ":"dpop+jwt"})", claims)),
            kTicketInvalid);
  // Well-formed ES256 without kid is tried against every key.
  EXPECT_EQ(Refusal(SignRaw(key_pem_, R"({"alg":"ES256"})", claims)), "OK");
}

TEST_F(AccessTicketTest, ExpiryNotBeforeAndClockSkew) {
  const std::string token = Issue();  // iat kNow, exp kNow + 300
  EXPECT_EQ(Refusal(token, kHolder, kNow), "OK");
  EXPECT_EQ(Refusal(token, kHolder, kNow + 329), "OK");  // within 30 s skew
  EXPECT_EQ(Refusal(token, kHolder, kNow + 330), kTicketExpired);
  EXPECT_EQ(Refusal(token, kHolder, kNow + 86400), kTicketExpired);
  EXPECT_EQ(Refusal(token, kHolder, kNow - 30), "OK");
  EXPECT_EQ(Refusal(token, kHolder, kNow - 31), kTicketNotYetValid);

  AccessTicket later = Ticket();
  later.not_before = kNow + 100;
  const std::string deferred = Issue(later);
  EXPECT_EQ(Refusal(deferred, kHolder, kNow + 50), kTicketNotYetValid);
  EXPECT_EQ(Refusal(deferred, kHolder, kNow + 70), "OK");

  // Tickets living longer than max_lifetime_seconds are not accepted at all.
  AccessTicket forever = Ticket();
  forever.expires_at = kNow + 86400 * 365;
  EXPECT_EQ(Refusal(Issue(forever), kHolder, kNow + 10), kTicketInvalid);
}

TEST_F(AccessTicketTest, WrongAudienceIssuerAndHolder) {
  AccessTicket t = Ticket();
  t.audience = "1.2.392.100.21";  // another node
  EXPECT_EQ(Refusal(Issue(t)), kTicketWrongAudience);
  // aud as an array (RFC 7519 §4.1.3) containing this node is accepted.
  std::string claims = Decode(Split(Issue()).claims);
  std::string array = claims;
  array.replace(array.find(R"("aud":"1.2.392.100.20")"), 22,
                R"("aud":["1.2.392.100.21","1.2.392.100.20"])");
  EXPECT_EQ(Refusal(SignRaw(key_pem_, HeaderJson(), array)), "OK");

  t = Ticket();
  t.issuer = "https://impostor.example.jp";
  EXPECT_EQ(Refusal(Issue(t)), kTicketWrongIssuer);

  const std::string token = Issue();
  EXPECT_EQ(Refusal(token, Base64UrlEncode(internal::Sha256("another certificate"))),
            kTicketWrongHolder);
  EXPECT_EQ(Refusal(token, ""), kTicketWrongHolder);
  EXPECT_EQ(Refusal(token, kHolder.substr(0, 42)), kTicketWrongHolder);
}

TEST_F(AccessTicketTest, AnotherSignersKeyIsRefused) {
  auto other = TicketSigner::Create(NewKey());
  ASSERT_TRUE(other.ok());
  auto token = other->Issue(Ticket());
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(Refusal(token.value()), kTicketBadSignature);
  // The same token with our kid in the header is still not ours.
  Parts p = Split(token.value());
  EXPECT_EQ(Refusal(Base64UrlEncode(HeaderJson()) + "." + p.claims + "." + p.sig),
            kTicketBadSignature);
  // A verifier trusting both (key rollover) accepts both.
  auto both =
      TicketVerifier::Create({signer_->public_key_pem(), other->public_key_pem()}, Options());
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->Verify(token.value(), kHolder, kNow).ok());
  EXPECT_TRUE(both->Verify(Issue(), kHolder, kNow).ok());
}

TEST_F(AccessTicketTest, MalformedTokensAreInvalid) {
  const std::string claims = Decode(Split(Issue()).claims);
  auto without = [&](const std::string& member) {
    std::string c = claims;
    size_t at = c.find("\"" + member + "\":");
    size_t end = c.find_first_of(",}", c.find(':', at) + (member == "cnf" ? 50 : 1));
    if (member == "cnf") end = c.find('}', at) + 1;
    c.erase(at, end - at + (c[end] == ',' ? 1 : 0));
    return c;
  };
  // Still JSON objects after the edits (so the refusals below are for the claims).
  for (const char* m : {"iss", "sub", "aud", "exp", "iat", "jti", "cnf", "patient"}) {
    EXPECT_TRUE(internal::DecodeHeader(without(m)).ok()) << without(m);
    EXPECT_EQ(without(m).find(std::string("\"") + m + "\":"), std::string::npos) << m;
  }
  std::string documents_object = claims;
  documents_object.replace(documents_object.find("\"documents\":["), 13,
                           "\"documents\":\"1.2.3\",\"other\":[");
  EXPECT_TRUE(internal::DecodeHeader(documents_object).ok()) << documents_object;
  const std::string big(kMaxTicketBytes + 1, 'A');
  const std::vector<std::pair<std::string, std::string>> kCases = {
      {"empty", ""},
      {"one part", "abc"},
      {"two parts", "abc.def"},
      {"four parts", "a.b.c.d"},
      {"bad base64", "!!!.abc.def"},
      {"padding", Split(Issue()).header + "=." + Split(Issue()).claims + "." + Split(Issue()).sig},
      {"whitespace", " " + Issue()},
      {"too long", big + "." + big + "." + big},
      {"header not JSON", Base64UrlEncode("{alg") + "." + Base64UrlEncode(claims) + ".AAAA"},
      {"header array", Base64UrlEncode("[1]") + "." + Base64UrlEncode(claims) + ".AAAA"},
      {"claims not JSON", SignRaw(key_pem_, HeaderJson(), "not json")},
      {"claims array", SignRaw(key_pem_, HeaderJson(), "[]")},
      {"no iss", SignRaw(key_pem_, HeaderJson(), without("iss"))},
      {"no sub", SignRaw(key_pem_, HeaderJson(), without("sub"))},
      {"no aud", SignRaw(key_pem_, HeaderJson(), without("aud"))},
      {"no exp", SignRaw(key_pem_, HeaderJson(), without("exp"))},
      {"no iat", SignRaw(key_pem_, HeaderJson(), without("iat"))},
      {"no jti", SignRaw(key_pem_, HeaderJson(), without("jti"))},
      {"no cnf", SignRaw(key_pem_, HeaderJson(), without("cnf"))},
      {"no patient", SignRaw(key_pem_, HeaderJson(), without("patient"))},
      {"exp string",
       SignRaw(key_pem_, HeaderJson(),
               std::string(claims).replace(claims.find("1800000300"), 10, "\"1800000300\""))},
      {"aud number",
       SignRaw(key_pem_, HeaderJson(),
               std::string(claims).replace(claims.find("\"1.2.392.100.20\""), 16, "7"))},
      {"documents not array", SignRaw(key_pem_, HeaderJson(), documents_object)},
      {"invalid UTF-8", SignRaw(key_pem_, HeaderJson(),
                                std::string(claims).replace(claims.find("P0001"), 1, "\xff"))},
  };
  for (const auto& [name, token] : kCases) {
    EXPECT_EQ(Refusal(token), kTicketInvalid) << name;
  }
  // The unmodified claims signed the same way pass.
  EXPECT_EQ(Refusal(SignRaw(key_pem_, HeaderJson(), claims)), "OK");
}

TEST_F(AccessTicketTest, IncompleteTicketsAreNotIssued) {
  struct Case {
    const char* name;
    void (*edit)(AccessTicket*);
  };
  static const Case kCases[] = {
      {"issuer", [](AccessTicket* t) { t->issuer.clear(); }},
      {"requester", [](AccessTicket* t) { t->requester.clear(); }},
      {"audience", [](AccessTicket* t) { t->audience.clear(); }},
      {"holder", [](AccessTicket* t) { t->holder_thumbprint.clear(); }},
      {"patient", [](AccessTicket* t) { t->patient.clear(); }},
      {"content",
       [](AccessTicket* t) {
         t->documents.clear();
         t->repositories.clear();
       }},
      {"backwards", [](AccessTicket* t) { t->expires_at = t->issued_at - 1; }},
  };
  for (const Case& c : kCases) {
    AccessTicket t = Ticket();
    c.edit(&t);
    EXPECT_EQ(signer_->Issue(t).status().detail(), "bad_ticket") << c.name;
  }
  // Keys that cannot sign ES256.
  EXPECT_EQ(TicketSigner::Create("garbage").status().detail(), "bad_key");
  internal::PkeyPtr rsa(EVP_RSA_gen(2048));
  auto rsa_pem = internal::PrivateKeyToPem(rsa.get());
  ASSERT_TRUE(rsa_pem.ok());
  EXPECT_EQ(TicketSigner::Create(rsa_pem.value()).status().detail(), "bad_key");
  internal::PkeyPtr p384(EVP_EC_gen("P-384"));
  auto p384_pem = internal::PrivateKeyToPem(p384.get());
  ASSERT_TRUE(p384_pem.ok());
  EXPECT_EQ(TicketSigner::Create(p384_pem.value()).status().detail(), "bad_key");
  auto rsa_pub = internal::PublicKeyToPem(rsa.get());
  ASSERT_TRUE(rsa_pub.ok());
  EXPECT_EQ(TicketVerifier::Create({rsa_pub.value()}, Options()).status().detail(), "bad_key");
  EXPECT_EQ(TicketVerifier::Create({}, Options()).status().detail(), "bad_key");
  EXPECT_EQ(
      TicketVerifier::Create({signer_->public_key_pem()}, VerifierOptions{}).status().detail(),
      "bad_options");
}

TEST(AccessTicketCoversTest, Table) {
  AccessTicket t;
  t.patient = "P1^^^&1.2.3&ISO";
  t.documents = {"doc.1", "doc.2"};
  t.repositories = {"repo.A"};
  struct Case {
    const char* patient;
    const char* repository;
    const char* document;
    bool covered;
  };
  static const Case kCases[] = {
      {"P1^^^&1.2.3&ISO", "repo.A", "doc.9", true},  // the whole repository
      {"P1^^^&1.2.3&ISO", "repo.B", "doc.1", true},  // a listed document
      {"P1^^^&1.2.3&ISO", "", "doc.2", true},
      {"P1^^^&1.2.3&ISO", "repo.A", "", true},
      {"P1^^^&1.2.3&ISO", "repo.B", "doc.9", false},  // neither
      {"P1^^^&1.2.3&ISO", "", "", false},
      {"P2^^^&1.2.3&ISO", "repo.A", "doc.1", false},  // another patient
      {"p1^^^&1.2.3&ISO", "repo.A", "doc.1", false},  // exact match only
      {"", "repo.A", "doc.1", false},
      {"P1^^^&1.2.3&ISO", "REPO.A", "DOC.1", false},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(Covers(t, c.patient, c.repository, c.document), c.covered)
        << c.patient << " " << c.repository << " " << c.document;
  }
  AccessTicket documents_only = t;
  documents_only.repositories.clear();
  EXPECT_FALSE(Covers(documents_only, t.patient, "repo.A", "doc.9"));
  EXPECT_TRUE(Covers(documents_only, t.patient, "repo.A", "doc.1"));
  AccessTicket no_patient = t;
  no_patient.patient.clear();
  EXPECT_FALSE(Covers(no_patient, "", "repo.A", "doc.1"));
}

TEST(AccessTicketBindingTest, BoundToTheRequestersRealCertificate) {
  // The centre binds the ticket to the viewer's certificate; the node compares with the
  // certificate the TLS client presented.
  testing::ScratchDir tmp;
  auto ca = CertificateAuthority::Init(tmp.Sub("ca"), InitOptions{});
  ASSERT_TRUE(ca.ok());
  IssueRequest viewer;
  viewer.facility_oid = kViewer;
  IssueRequest intruder;
  intruder.facility_oid = "1.2.392.100.66";
  auto viewer_cert = ca->Issue(viewer);
  auto intruder_cert = ca->Issue(intruder);
  ASSERT_TRUE(viewer_cert.ok() && intruder_cert.ok());
  auto viewer_id = IdentityOfPem(viewer_cert->cert_pem);
  auto intruder_id = IdentityOfPem(intruder_cert->cert_pem);
  ASSERT_TRUE(viewer_id.ok() && intruder_id.ok());

  auto signer = TicketSigner::Create(GenerateTicketKeyPem().value());
  ASSERT_TRUE(signer.ok());
  AccessTicket t = Ticket();
  t.requester = viewer_id->facility_oid;
  t.holder_thumbprint = viewer_id->sha256;
  t.issued_at = 0;  // now
  auto token = signer->Issue(t);
  ASSERT_TRUE(token.ok());
  auto verifier = TicketVerifier::Create({signer->public_key_pem()}, Options());
  ASSERT_TRUE(verifier.ok());
  const int64_t now = internal::UnixNow();
  auto ok = verifier->Verify(token.value(), viewer_id->sha256, now);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->requester, kViewer);
  EXPECT_EQ(verifier->Verify(token.value(), intruder_id->sha256, now).status().detail(),
            kTicketWrongHolder);
}

}  // namespace
// RFC 8693 §4.1: a ticket the centre's relay presents on behalf of the requester names the
// relay as `act`; it round-trips and a malformed `act` is refused.
TEST_F(AccessTicketTest, ActorRoundTripsAndAMalformedActorIsRefused) {
  AccessTicket in = Ticket();
  in.actor = "1.2.392.100.1";
  auto token = signer_->Issue(in);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  auto out = verifier_->Verify(token.value(), kHolder, kNow + 1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->actor, "1.2.392.100.1");
  EXPECT_EQ(out->requester, kViewer);
  for (const char* act : {R"("act":"1.2.3")", R"("act":{})", R"("act":{"sub":""})",
                          R"("act":{"sub":7})"}) {
    std::string claims = Decode(Split(Issue()).claims);
    claims.insert(claims.size() - 1, std::string(",") + act);
    EXPECT_EQ(Refusal(SignRaw(key_pem_, HeaderJson(), claims), kHolder, kNow + 1),
              "invalid_token")
        << act;
  }
}

// VerifyFor checks another audience than the verifier's own, and only that one.
TEST_F(AccessTicketTest, VerifyForChecksTheGivenAudience) {
  auto token = signer_->Issue(Ticket());
  ASSERT_TRUE(token.ok());
  auto out = verifier_->VerifyFor(kNode, token.value(), kHolder, kNow + 1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->audience, kNode);
  for (const char* audience : {"", "1.2.392.100.99"}) {
    auto r = verifier_->VerifyFor(audience, token.value(), kHolder, kNow + 1);
    ASSERT_FALSE(r.ok()) << audience;
    EXPECT_EQ(r.status().detail(), kTicketWrongAudience) << audience;
  }
}

}  // namespace renkei::trust
