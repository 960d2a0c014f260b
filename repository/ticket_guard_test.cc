// IUA Resource Server (issue 5): the node's access-ticket check, table-driven over every way
// a ticket can be refused (repository/ticket_guard.h).
#include "repository/ticket_guard.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace renkei::repository {
namespace {

constexpr char kOwn[] = "1.2.392.100.1";    // the node's facility
constexpr char kOther[] = "1.2.392.100.2";  // the requesting facility
constexpr char kThird[] = "1.2.392.100.3";
constexpr char kRepo[] = "1.2.392.100.1.9";  // the node's repository
constexpr char kPatient[] = "P1^^^&1.2.392.200&ISO";
constexpr char kDoc[] = "1.2.392.100.1.77.1";
constexpr char kIssuer[] = "https://centre.example/";
constexpr char kThumb[] = "cert-thumbprint-of-other";
constexpr int64_t kNow = 1'800'000'000;

trust::TicketSigner NewSigner() {
  auto pem = trust::GenerateTicketKeyPem();
  EXPECT_TRUE(pem.ok());
  auto s = trust::TicketSigner::Create(*pem);
  EXPECT_TRUE(s.ok());
  return std::move(s.value());
}

trust::AccessTicket BaseTicket() {
  trust::AccessTicket t;
  t.issuer = kIssuer;
  t.requester = kOther;
  t.audience = kOwn;
  t.issued_at = kNow - 10;
  t.holder_thumbprint = kThumb;
  t.patient = kPatient;
  t.documents = {kDoc};
  return t;
}

Peer OtherPeer(const std::string& thumb = kThumb, const std::string& facility = kOther) {
  Peer p;
  p.facility_oid = facility;
  p.source = Peer::Source::kCertificate;
  p.certificate_sha256 = thumb;
  return p;
}

class TicketGuardTest : public ::testing::Test {
 protected:
  TicketGuardTest() : signer_(NewSigner()), stranger_(NewSigner()) {
    trust::VerifierOptions vo;
    vo.audience = kOwn;
    vo.issuer = kIssuer;
    auto v = trust::TicketVerifier::Create({signer_.public_key_pem()}, vo);
    EXPECT_TRUE(v.ok());
    TicketGuardOptions o;
    o.own_facility_oid = kOwn;
    o.clock = [this] { return now_; };
    o.on_refusal = [this](const Peer& peer, const Status& s, const std::string& document) {
      refusals_.push_back(peer.facility_oid + "|" + s.detail() + "|" + document);
    };
    auto g = TicketGuard::Create(std::move(o), std::move(v.value()));
    EXPECT_TRUE(g.ok());
    guard_ = std::move(g.value());
  }
  std::string Bearer(const trust::AccessTicket& t, const trust::TicketSigner* s = nullptr) {
    auto jwt = (s ? s : &signer_)->Issue(t);
    EXPECT_TRUE(jwt.ok()) << jwt.status().ToString();
    return "Bearer " + jwt.value();
  }

  trust::TicketSigner signer_;
  trust::TicketSigner stranger_;  // a key the node does not trust
  int64_t now_ = kNow;
  std::unique_ptr<TicketGuard> guard_;
  std::vector<std::string> refusals_;  // on_refusal: facility|detail|document
};

TEST_F(TicketGuardTest, Table) {
  const std::string good = Bearer(BaseTicket());
  auto with = [&](auto edit) {
    trust::AccessTicket t = BaseTicket();
    edit(t);
    return Bearer(t);
  };
  std::string tampered = good;
  {
    // Change one claim character in the payload: the signature no longer matches.
    const size_t dot = tampered.find('.');
    char& c = tampered[dot + 5];
    c = c == 'A' ? 'B' : 'A';
  }
  std::string bad_sig = good;
  {
    // A character inside the signature (the last one carries padding bits a strict decoder
    // refuses as invalid_token): still base64url, other bytes.
    char& c = bad_sig[bad_sig.size() - 10];
    c = c == 'A' ? 'B' : 'A';
  }

  struct Case {
    const char* name;
    Peer peer;
    std::string header;
    std::string patient = kPatient;
    std::string repo = kRepo;
    std::string doc = kDoc;
    std::string want;  // "" = OK, else the refusal detail
    int http = 0;
  };
  Peer own;
  own.facility_oid = kOwn;
  own.source = Peer::Source::kCertificate;
  own.certificate_sha256 = "own-emr";
  const Case cases[] = {
      {"own facility needs no ticket", own, "", kPatient, kRepo, kDoc, ""},
      {"own facility with garbage header", own, "Bearer x", kPatient, kRepo, kDoc, ""},
      {"valid ticket", OtherPeer(), good, kPatient, kRepo, kDoc, ""},
      {"valid ticket, lower-case scheme", OtherPeer(), "bearer " + good.substr(7), kPatient, kRepo,
       kDoc, ""},
      {"ticket naming the repository", OtherPeer(), with([](trust::AccessTicket& t) {
         t.documents.clear();
         t.repositories = {kRepo};
       }),
       kPatient, kRepo, "1.2.392.100.1.77.2", ""},
      {"expired", OtherPeer(), with([](trust::AccessTicket& t) {
         t.issued_at = kNow - 400;
         t.expires_at = kNow - 100;
       }),
       kPatient, kRepo, kDoc, trust::kTicketExpired, 401},
      {"not yet valid", OtherPeer(), with([](trust::AccessTicket& t) {
         t.issued_at = kNow + 100;
         t.not_before = kNow + 100;
       }),
       kPatient, kRepo, kDoc, trust::kTicketNotYetValid, 401},
      {"tampered payload", OtherPeer(), tampered, kPatient, kRepo, kDoc, "",
       401},  // invalid_token or bad_signature: checked below
      {"tampered signature", OtherPeer(), bad_sig, kPatient, kRepo, kDoc,
       trust::kTicketBadSignature, 401},
      {"signed by another key", OtherPeer(), Bearer(BaseTicket(), &stranger_), kPatient, kRepo,
       kDoc, trust::kTicketBadSignature, 401},
      {"wrong audience", OtherPeer(), with([](trust::AccessTicket& t) { t.audience = kThird; }),
       kPatient, kRepo, kDoc, trust::kTicketWrongAudience, 401},
      {"wrong issuer", OtherPeer(),
       with([](trust::AccessTicket& t) { t.issuer = "https://elsewhere/"; }), kPatient, kRepo, kDoc,
       trust::kTicketWrongIssuer, 401},
      {"wrong holder thumbprint", OtherPeer("another-certificate"), good, kPatient, kRepo, kDoc,
       trust::kTicketWrongHolder, 401},
      {"no client certificate", OtherPeer(""), good, kPatient, kRepo, kDoc,
       trust::kTicketWrongHolder, 401},
      {"ticket of another requester (same certificate)", OtherPeer(kThumb, kThird), good, kPatient,
       kRepo, kDoc, kTicketWrongRequester, 401},
      {"relayed: the centre's relay presents it for the requester (act)", OtherPeer(kThumb, kThird),
       with([](trust::AccessTicket& t) { t.actor = kThird; }), kPatient, kRepo, kDoc, ""},
      {"relay ticket presented by its requester, not its actor", OtherPeer(),
       with([](trust::AccessTicket& t) { t.actor = kThird; }), kPatient, kRepo, kDoc,
       kTicketWrongRequester, 401},
      {"document not covered", OtherPeer(), good, kPatient, kRepo, "1.2.392.100.1.77.2",
       kTicketNotCovered, 403},
      {"patient mismatch", OtherPeer(), good, "P2^^^&1.2.392.200&ISO", kRepo, kDoc,
       kTicketNotCovered, 403},
      {"document without a recorded patient", OtherPeer(), good, "", kRepo, kDoc, kTicketNotCovered,
       403},
      {"repository ticket, other repository", OtherPeer(), with([](trust::AccessTicket& t) {
         t.documents.clear();
         t.repositories = {"1.2.392.100.1.8"};
       }),
       kPatient, kRepo, kDoc, kTicketNotCovered, 403},
      {"missing header", OtherPeer(), "", kPatient, kRepo, kDoc, kTicketMissing, 401},
      {"blank header", OtherPeer(), "   ", kPatient, kRepo, kDoc, kTicketMissing, 401},
      {"basic scheme", OtherPeer(), "Basic dXNlcjpwYXNz", kPatient, kRepo, kDoc, kTicketBadRequest,
       401},
      {"bearer without token", OtherPeer(), "Bearer ", kPatient, kRepo, kDoc, kTicketBadRequest,
       401},
      {"bearer with two tokens", OtherPeer(), good + " x", kPatient, kRepo, kDoc, kTicketBadRequest,
       401},
      {"garbage token", OtherPeer(), "Bearer not.a.jwt", kPatient, kRepo, kDoc,
       trust::kTicketInvalid, 401},
      {"alg none", OtherPeer(), "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", kPatient, kRepo,
       kDoc, trust::kTicketInvalid, 401},
      {"huge token", OtherPeer(), "Bearer " + std::string(20000, 'a'), kPatient, kRepo, kDoc,
       trust::kTicketInvalid, 401},
  };
  for (const Case& c : cases) {
    refusals_.clear();
    Status s = guard_->Check(c.peer, c.header, c.patient, c.repo, c.doc);
    if (c.want.empty() && c.http == 0) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.ToString();
      EXPECT_TRUE(refusals_.empty()) << c.name;
      continue;
    }
    // Every refusal is reported once, with the document when the ticket itself was valid.
    ASSERT_EQ(refusals_.size(), 1u) << c.name;
    EXPECT_EQ(refusals_[0], c.peer.facility_oid + "|" + s.detail() + "|" +
                                (s.detail() == kTicketNotCovered ? c.doc : ""))
        << c.name;
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << c.name;
    if (c.want.empty()) {
      EXPECT_TRUE(s.detail() == trust::kTicketInvalid || s.detail() == trust::kTicketBadSignature)
          << c.name << ": " << s.detail();
    } else {
      EXPECT_EQ(s.detail(), c.want) << c.name;
    }
    EXPECT_EQ(TicketRefusalHttpStatus(s), c.http) << c.name;
    EXPECT_EQ(s.message().find(good.substr(7)), std::string::npos) << c.name << ": token echoed";
  }
}

TEST_F(TicketGuardTest, ClockDecidesExpiry) {
  trust::AccessTicket t = BaseTicket();
  t.issued_at = kNow;
  t.expires_at = kNow + 120;
  const std::string h = Bearer(t);
  EXPECT_TRUE(guard_->Check(OtherPeer(), h, kPatient, kRepo, kDoc).ok());
  now_ = kNow + 120 + 31;  // past exp plus the verifier's 30 s skew
  EXPECT_EQ(guard_->Check(OtherPeer(), h, kPatient, kRepo, kDoc).detail(), trust::kTicketExpired);
}

TEST_F(TicketGuardTest, AdmissionNamesWhatTheTicketLists) {
  auto a = guard_->Admit(OtherPeer(), Bearer(BaseTicket()));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->own());
  EXPECT_TRUE(a->Names(kRepo, kDoc));
  EXPECT_FALSE(a->Names(kRepo, "1.2.392.100.1.77.2"));
  auto own = Admission::Own();
  EXPECT_TRUE(own.Names("x", "y"));
  EXPECT_TRUE(own.Allows("", "", "").ok());
}

TEST_F(TicketGuardTest, InsecureModeHolderIsTheFacility) {
  trust::VerifierOptions vo;
  vo.audience = kOwn;
  auto v = trust::TicketVerifier::Create({signer_.public_key_pem()}, vo);
  ASSERT_TRUE(v.ok());
  TicketGuardOptions o;
  o.own_facility_oid = kOwn;
  o.insecure_holder_is_facility = true;
  o.clock = [] { return kNow; };
  auto g = TicketGuard::Create(std::move(o), std::move(v.value()));
  ASSERT_TRUE(g.ok());
  trust::AccessTicket t = BaseTicket();
  t.holder_thumbprint = kOther;
  Peer plain;
  plain.facility_oid = kOther;
  plain.source = Peer::Source::kTestHeader;
  EXPECT_TRUE((*g)->Check(plain, Bearer(t), kPatient, kRepo, kDoc).ok());
  // A certificate peer still presents its certificate.
  EXPECT_EQ((*g)->Check(OtherPeer(""), Bearer(t), kPatient, kRepo, kDoc).detail(),
            trust::kTicketWrongHolder);
  // Without the option a plain peer has no holder.
  EXPECT_EQ(guard_->Check(plain, Bearer(t), kPatient, kRepo, kDoc).detail(),
            trust::kTicketWrongHolder);
}

TEST_F(TicketGuardTest, ChallengeAndStatus) {
  EXPECT_EQ(TicketChallenge(Status::PermissionDenied(kTicketMissing, "")),
            "Bearer realm=\"renkei\"");
  EXPECT_EQ(TicketChallenge(Status::PermissionDenied(trust::kTicketExpired, "")),
            "Bearer realm=\"renkei\", error=\"invalid_token\", error_description=\"expired\"");
  EXPECT_EQ(TicketRefusalHttpStatus(Status::Internal("", "x")), 500);
}

TEST(TicketGuardCreate, RefusesEmptyFacilityAndMissingFiles) {
  auto pem = trust::GenerateTicketKeyPem();
  ASSERT_TRUE(pem.ok());
  auto signer = trust::TicketSigner::Create(*pem);
  ASSERT_TRUE(signer.ok());
  trust::VerifierOptions vo;
  vo.audience = kOwn;
  auto v = trust::TicketVerifier::Create({signer->public_key_pem()}, vo);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(
      TicketGuard::Create(TicketGuardOptions{}, std::move(v.value())).status().IsInvalidArgument());

  TicketGuardOptions o;
  o.own_facility_oid = kOwn;
  EXPECT_TRUE(TicketGuard::FromFiles(o, "", "", "").status().IsInvalidArgument());
  EXPECT_TRUE(TicketGuard::FromFiles(o, "/nonexistent/jwks.json", "", "").status().IsNotFound());

  // From a JWKS file and from a public key file, each verifying a real ticket.
  char dir[] = "/tmp/ticket_guard_testXXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string jwks = std::string(dir) + "/jwks.json";
  const std::string pub = std::string(dir) + "/ticket.pub.pem";
  std::ofstream(jwks) << signer->jwks();
  std::ofstream(pub) << signer->public_key_pem();
  trust::AccessTicket t = BaseTicket();
  t.issued_at = 0;  // now
  auto jwt = signer->Issue(t);
  ASSERT_TRUE(jwt.ok());
  for (const auto& [j, p] : {std::pair<std::string, std::string>{jwks, ""}, {"", pub}}) {
    auto g = TicketGuard::FromFiles(o, j, p, kIssuer);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_TRUE((*g)->Check(OtherPeer(), "Bearer " + *jwt, kPatient, kRepo, kDoc).ok());
  }
  auto g = TicketGuard::FromFiles(o, jwks, "", "https://other-issuer/");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)->Check(OtherPeer(), "Bearer " + *jwt, kPatient, kRepo, kDoc).detail(),
            trust::kTicketWrongIssuer);
  std::ofstream(pub) << "not a key";
  EXPECT_TRUE(TicketGuard::FromFiles(o, "", pub, "").status().IsInvalidArgument());
  std::remove(jwks.c_str());
  std::remove(pub.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace renkei::repository
