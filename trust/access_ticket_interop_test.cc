// IUA-style access tickets against a third-party JWT implementation (Poco::JWT, RFC 7519 /
// RFC 7518 ES256): each side verifies what the other signs with the same P-256 key.
#include <Poco/Crypto/ECKey.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <gtest/gtest.h>

#include <sstream>

#include "trust/access_ticket.h"

namespace renkei::trust {
namespace {

constexpr int64_t kNow = 1800000000;

struct Keys {
  std::string private_pem;
  std::unique_ptr<TicketSigner> signer;
  Poco::SharedPtr<Poco::Crypto::ECKey> poco;
};

Keys NewKeys() {
  Keys k;
  k.private_pem = GenerateTicketKeyPem().value();
  k.signer = std::make_unique<TicketSigner>(std::move(TicketSigner::Create(k.private_pem).value()));
  std::istringstream pub(k.signer->public_key_pem()), priv(k.private_pem);
  k.poco = new Poco::Crypto::ECKey(&pub, &priv);
  return k;
}

VerifierOptions Options() {
  VerifierOptions o;
  o.audience = "1.2.392.100.20";
  return o;
}

TEST(AccessTicketInteropTest, PocoJwtVerifiesOurTickets) {
  Keys k = NewKeys();
  AccessTicket t;
  t.issuer = "https://centre.example.jp";
  t.requester = "1.2.392.100.10";
  t.audience = "1.2.392.100.20";
  t.issued_at = kNow;
  t.holder_thumbprint = "abc";
  t.patient = "P1^^^&1.2.3&ISO";
  t.documents = {"1.2.3.4"};
  auto token = k.signer->Issue(t);
  ASSERT_TRUE(token.ok());

  Poco::JWT::Signer poco(k.poco);
  poco.addAlgorithm(Poco::JWT::Signer::ALGO_ES256);
  Poco::JWT::Token read;
  ASSERT_TRUE(poco.tryVerify(token.value(), read));
  EXPECT_EQ(read.getAlgorithm(), "ES256");
  EXPECT_EQ(read.getIssuer(), "https://centre.example.jp");
  EXPECT_EQ(read.getSubject(), "1.2.392.100.10");
  EXPECT_EQ(read.getExpiration().epochTime(), kNow + 300);
  EXPECT_EQ(read.getId(), std::string(Poco::JWT::Token(token.value()).getId()));
  EXPECT_EQ(read.payload().getValue<std::string>("patient"), "P1^^^&1.2.3&ISO");
  EXPECT_EQ(read.payload().getObject("cnf")->getValue<std::string>("x5t#S256"), "abc");

  // A different key: Poco refuses it too.
  Keys other = NewKeys();
  Poco::JWT::Signer wrong(other.poco);
  wrong.addAlgorithm(Poco::JWT::Signer::ALGO_ES256);
  EXPECT_FALSE(wrong.tryVerify(token.value(), read));
}

TEST(AccessTicketInteropTest, WeVerifyPocoJwtTickets) {
  Keys k = NewKeys();
  Poco::JWT::Token token;
  token.setType("at+jwt");
  token.setIssuer("https://centre.example.jp");
  token.setSubject("1.2.392.100.10");
  token.setAudience("1.2.392.100.20");
  token.setIssuedAt(Poco::Timestamp::fromEpochTime(kNow));
  token.setExpiration(Poco::Timestamp::fromEpochTime(kNow + 120));
  token.setId("jti-1");
  Poco::JSON::Object::Ptr cnf = new Poco::JSON::Object;
  cnf->set("x5t#S256", "holder");
  token.payload().set("cnf", cnf);
  token.payload().set("patient", "P1^^^&1.2.3&ISO");
  Poco::JSON::Array::Ptr repositories = new Poco::JSON::Array;
  repositories->add("1.2.392.100.20.5");
  token.payload().set("repositories", repositories);
  Poco::JWT::Signer poco(k.poco);
  poco.addAlgorithm(Poco::JWT::Signer::ALGO_ES256);
  const std::string jwt = poco.sign(token, Poco::JWT::Signer::ALGO_ES256);

  auto verifier = TicketVerifier::Create({k.signer->public_key_pem()}, Options());
  ASSERT_TRUE(verifier.ok());
  auto t = verifier->Verify(jwt, "holder", kNow + 60);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->requester, "1.2.392.100.10");
  EXPECT_EQ(t->expires_at, kNow + 120);
  EXPECT_TRUE(Covers(t.value(), "P1^^^&1.2.3&ISO", "1.2.392.100.20.5", "any"));
  EXPECT_EQ(verifier->Verify(jwt, "holder", kNow + 200).status().detail(), kTicketExpired);

  // Poco's HS256 token over the same claims is refused as the wrong algorithm.
  Poco::JWT::Signer hmac("a shared secret");
  const std::string hs = hmac.sign(token, Poco::JWT::Signer::ALGO_HS256);
  EXPECT_EQ(verifier->Verify(hs, "holder", kNow + 60).status().detail(), kTicketInvalid);
}

}  // namespace
}  // namespace renkei::trust
