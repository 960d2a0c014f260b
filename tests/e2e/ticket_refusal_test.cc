// IUA-style access tickets refused by a node (issue 5 "Proof"): ITI-68 and ITI-43 at a real
// `renkei node` presented with tickets signed by the centre's own ticket key but expired, not
// yet valid or addressed to another facility, and with a ticket signed by another key. Each
// is refused with 401 and recorded as a security alert (110113, outcome 8) that the node
// ships to the centre's Audit Record Repository, where ITI-81 finds it naming the requester
// and the reason. Insecure loopback: the facility comes from the X-Renkei-Facility test
// header and tickets are bound (`cnf` x5t#S256) to the facility OID, as the centre's token
// endpoint binds them in that mode.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"
#include "tests/e2e/ticketed_region.h"
#include "trust/access_ticket.h"

namespace renkei::e2e {
namespace {

constexpr char kClinic[] = "2.999.392.99.300";   // a viewing clinic
constexpr char kOtherNode[] = "2.999.392.99.8";  // a facility other than the node's
constexpr char kAuditor[] = "2.999.392.99.900";  // reads the whole audit trail
constexpr char kFacility[] = "X-Renkei-Facility";
constexpr char kRetrieve[] = "urn:ihe:iti:2007:RetrieveDocumentSet";
constexpr char kClinicAlerts[] =
    "type=http://dicom.nema.org/resources/ontology/DCM%7C110113&outcome=8&"
    "agent=urn:oid:2.999.392.99.300&_count=1000";

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

class TicketRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(region_.Start({std::string("audit.readers=[\"") + kAuditor + "\"]"}, "TICKET-E2E\n"), "");
    centre_ = &region_.centre();
    node_ = &region_.node();
    sub_ = region_.submission();
    // The centre's signer, from the key file the centre signs with.
    auto signer = trust::TicketSigner::Create(ReadFileOrDie(region_.key_file()));
    ASSERT_TRUE(signer.ok()) << signer.status().ToString();
    signer_ = std::make_unique<trust::TicketSigner>(std::move(signer.value()));
  }

  // The ticket the centre would issue the clinic for the published document (issuer as the
  // centre names itself: its base URL), valid now; tests change one claim of it.
  trust::AccessTicket ValidTicket() const {
    trust::AccessTicket t;
    t.issuer = centre_->base_url();
    t.requester = kClinic;
    t.audience = kNodeFacility;
    t.holder_thumbprint = kClinic;  // insecure loopback: bound to the facility OID
    t.patient = PatientId(1);
    t.documents = {sub_.document_unique_ids[0]};
    t.issued_at = Now();
    t.expires_at = t.issued_at + 300;
    return t;
  }
  std::string Sign(const trust::AccessTicket& t, const trust::TicketSigner& signer) {
    auto jws = signer.Issue(t);
    EXPECT_TRUE(jws.ok()) << jws.status().ToString();
    return jws.ok() ? *jws : "";
  }
  std::string Sign(const trust::AccessTicket& t) { return Sign(t, *signer_); }

  // ITI-68 of the published document at the node as the clinic with `ticket`.
  HttpAnswer Fetch(const std::string& ticket) {
    return Request("GET", node_->base_url(), "/fhir/Binary/" + sub_.document_unique_ids[0], "", "",
                   {{kFacility, kClinic}, {"Authorization", "Bearer " + ticket}});
  }
  // ITI-43 of the published document at the node as the clinic with `ticket`.
  HttpAnswer Retrieve(const std::string& ticket) {
    return Post(node_->base_url(), "/xds/repository",
                std::string("application/soap+xml; charset=UTF-8; action=\"") + kRetrieve + "\"",
                Soap12(kRetrieve, node_->repository_url(),
                       RetrieveXml({{kNodeRepositoryId, sub_.document_unique_ids[0]}})),
                {{kFacility, kClinic}, {"Authorization", "Bearer " + ticket}});
  }

  // True once the clinic's security alerts at the centre (ITI-81, read by the auditor)
  // contain `text`; false after 10 s (the node ships its records a moment after answering).
  bool AlertedWith(const std::string& text) {
    HttpAnswer a;
    for (int i = 0; i < 100; ++i) {
      a = Request("GET", centre_->base_url(), std::string("/fhir/AuditEvent?") + kClinicAlerts, "",
                  "", {{kFacility, kAuditor}});
      if (a.status == 200 && a.body.find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no security alert with '" << text << "' among: " << a.body.substr(0, 4000);
    return false;
  }

  // `ticket` is refused over ITI-68 (401 naming `reason`) and ITI-43 (401), neither answer
  // carries the document, and the node audited both refusals.
  void ExpectRefusedOnBothAndAudited(const std::string& ticket, const std::string& reason) {
    HttpAnswer fetched = Fetch(ticket);
    EXPECT_EQ(fetched.status, 401) << fetched.body;
    EXPECT_NE(fetched.body.find("access ticket refused: " + reason), std::string::npos)
        << fetched.body;
    EXPECT_EQ(fetched.body.find("TICKET-E2E"), std::string::npos);
    HttpAnswer retrieved = Retrieve(ticket);
    EXPECT_EQ(retrieved.status, 401) << retrieved.body;
    EXPECT_EQ(retrieved.body.find("TICKET-E2E"), std::string::npos);
    EXPECT_TRUE(AlertedWith("ITI-68 access ticket refused: " + reason));
    EXPECT_TRUE(AlertedWith("ITI-43 access ticket refused: " + reason));
  }

  TicketedRegion region_;
  CentreProcess* centre_ = nullptr;  // region_'s
  NodeProcess* node_ = nullptr;
  TestSubmission sub_;
  std::unique_ptr<trust::TicketSigner> signer_;
};

TEST_F(TicketRefusalTest, AValidTicketSignedWithTheCentresKeyIsServed) {
  // The control for the cases below: the crafted claims are those the node accepts.
  const std::string ticket = Sign(ValidTicket());
  HttpAnswer served = Fetch(ticket);
  EXPECT_EQ(served.status, 200) << served.body;
  EXPECT_EQ(served.body, "TICKET-E2E\n");
  HttpAnswer retrieved = Retrieve(ticket);
  EXPECT_EQ(retrieved.status, 200) << retrieved.body;
  EXPECT_NE(retrieved.body.find("ResponseStatusType:Success"), std::string::npos) << retrieved.body;
  EXPECT_NE(retrieved.body.find("TICKET-E2E"), std::string::npos);
}

TEST_F(TicketRefusalTest, AnExpiredTicketIsRefusedAndAudited) {
  trust::AccessTicket t = ValidTicket();
  t.issued_at = Now() - 1200;
  t.expires_at = t.issued_at + 300;  // ended 15 minutes ago, beyond any clock skew
  ExpectRefusedOnBothAndAudited(Sign(t), "expired");
}

TEST_F(TicketRefusalTest, ATicketNotYetValidIsRefusedAndAudited) {
  trust::AccessTicket t = ValidTicket();
  t.issued_at = Now() + 600;  // starts in 10 minutes, beyond any clock skew
  t.expires_at = t.issued_at + 300;
  HttpAnswer fetched = Fetch(Sign(t));
  EXPECT_EQ(fetched.status, 401) << fetched.body;
  EXPECT_EQ(fetched.body.find("TICKET-E2E"), std::string::npos);
  EXPECT_TRUE(AlertedWith("ITI-68 access ticket refused: not_yet_valid"));
}

TEST_F(TicketRefusalTest, AWrongAudienceTicketIsRefusedAndAudited) {
  // A genuine ticket of the centre for the same clinic and document, addressed to another
  // facility's node: this node is not its audience.
  trust::AccessTicket t = ValidTicket();
  t.audience = kOtherNode;
  ExpectRefusedOnBothAndAudited(Sign(t), "wrong_audience");
}

TEST_F(TicketRefusalTest, ATicketSignedWithAnotherKeyIsRefusedAndAudited) {
  auto key = trust::GenerateTicketKeyPem();
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto forger = trust::TicketSigner::Create(*key);
  ASSERT_TRUE(forger.ok()) << forger.status().ToString();
  HttpAnswer fetched = Fetch(Sign(ValidTicket(), *forger));
  EXPECT_EQ(fetched.status, 401) << fetched.body;
  EXPECT_EQ(fetched.body.find("TICKET-E2E"), std::string::npos);
  EXPECT_TRUE(AlertedWith("ITI-68 access ticket refused: bad_signature"));
}

}  // namespace
}  // namespace renkei::e2e
