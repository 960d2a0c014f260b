// IHE ATNA (issue 5) at the centre's identity actors: ITI-8 and ITI-9 over real MLLP, ITI-83
// PIXm and ITI-78 PDQm over real HTTP, each recording its audit event into a StoreSink over a
// temporary AuditStore, success and refusal alike.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "audit/audit_store.h"
#include "audit/audit_test_util.h"
#include "audit/fhir_audit_event.h"
#include "common/http_client.h"
#include "common/http_server.h"
#include "pix/hl7_message.h"
#include "pix/hl7_pix_service.h"
#include "pix/mllp.h"
#include "pix/pdqm_endpoint.h"
#include "pix/pixm_endpoint.h"
#include "pix/sqlite_identity_store.h"

namespace renkei::pix {
namespace {

constexpr char kRegion[] = "1.2.392.200119.6.1";
constexpr char kHospital[] = "1.2.392.100";       // MSH-4 universal id of the sender
constexpr char kHospitalIds[] = "1.2.392.100.1";  // its patient id domain
constexpr char kViewer[] = "1.2.392.300";
constexpr char kSource[] = "renkei-centre-test";
constexpr char kSite[] = "test-region";

std::string Adt(const std::string& control_id, const std::string& pid3) {
  return std::string("MSH|^~\\&|HIS|HOSPA^") + kHospital + "^ISO|RENKEI|CENTRE|20261125||" +
         "ADT^A01^ADT_A01|" + control_id + "|P|2.5\rEVN|A01|20261125\r" + "PID|||" + pid3 +
         "||Yamada^Taro||19700101|M\r";
}

std::string Qbp(const std::string& control_id, const std::string& cx) {
  return std::string("MSH|^~\\&|CLIENT|HOSPA^") + kHospital + "^ISO|RENKEI|CENTRE|20261125||" +
         "QBP^Q23^QBP_Q21|" + control_id + "|P|2.5\rQPD|IHE PIX Query|TAG1|" + cx + "|\rRCP|I\r";
}

class PixAuditEmitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "/tmp/renkei-pix-audit-emit-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".sqlite";
    std::remove(path_.c_str());
    auto audit_store = audit::AuditStore::Open(path_);
    ASSERT_TRUE(audit_store.ok()) << audit_store.status().ToString();
    audit_store_ = std::move(audit_store.value());
    sink_ = std::make_unique<audit::StoreSink>(*audit_store_);

    SqliteIdentityStore::Options o;
    o.regional_oid = kRegion;
    auto store = SqliteIdentityStore::Open(":memory:", o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());

    Hl7AuditOptions ho{sink_.get(), kSource, kSite};
    service_ = std::make_unique<Hl7PixService>(*store_, Domains{}, "RENKEI", "CENTRE", ho);
    auto mllp = mllp::MllpServer::Start(mllp::MllpServerOptions{},
                                        [this](const std::string& m, const Peer& peer) {
                                          return service_->Handle(m, peer);
                                        });
    ASSERT_TRUE(mllp.ok()) << mllp.status().ToString();
    mllp_ = std::move(mllp.value());

    HttpRouter router;
    PixmEndpointOptions po{sink_.get(), kSource, kSite};
    router.Exact("GET", kPixmPath, MakePixmHandler(*store_, po));
    PdqmEndpointOptions qo{sink_.get(), kSource, kSite};
    router.Exact("GET", kPatientSearchPath, MakePatientSearchHandler(*store_, qo));
    router.Prefix("GET", kPatientReadPrefix, MakePatientReadHandler(*store_, qo));
    auto http = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(http.ok()) << http.status().ToString();
    http_ = std::move(http.value());
  }

  void TearDown() override {
    http_.reset();
    mllp_.reset();
    audit_store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  std::string Mllp(const std::string& message, const std::string& field = "MSA") {
    auto reply = mllp::MllpExchange("127.0.0.1", mllp_->port(), message);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    if (!reply.ok()) return "";
    auto parsed = hl7::Parse(*reply);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (!parsed.ok()) return "";
    const hl7::Segment* s = parsed->Find(field);
    return s == nullptr ? "" : s->Value(field == "MSA" ? 1 : 2);
  }

  HttpReply Get(const std::string& path, const std::string& facility) {
    auto client = HttpClient::Create(http_->base_url());
    EXPECT_TRUE(client.ok());
    auto reply = (*client)->Send("GET", path, "", "", {{kFacilityTestHeader, facility}});
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? *reply : HttpReply{};
  }

  std::vector<audit::AuditEvent> Events() { return audit::testing::RecordedEvents(*audit_store_); }

  // Feeds the test patient (one ITI-8 event).
  void FeedPatient() { ASSERT_EQ(Mllp(Adt("F0", PatientCx())), "AA"); }
  static std::string PatientCx() { return std::string("H123^^^&") + kHospitalIds + "&ISO"; }

  std::string path_;
  std::unique_ptr<audit::AuditStore> audit_store_;
  std::unique_ptr<audit::StoreSink> sink_;
  std::unique_ptr<SqliteIdentityStore> store_;
  std::unique_ptr<Hl7PixService> service_;
  std::unique_ptr<mllp::MllpServer> mllp_;
  std::unique_ptr<HttpServer> http_;
};

// The parts every event shares (audit/audit_test_util.h), with this test's source and site.
void ExpectFrame(const audit::AuditEvent& e, const std::string& event_id,
                 const std::string& event_type, int outcome, const std::string& facility) {
  audit::testing::ExpectFrame(e, event_id, event_type, outcome, facility, kSource, kSite);
}

using audit::testing::Patients;

const audit::ParticipantObject* Query(const audit::AuditEvent& e) {
  for (const audit::ParticipantObject& o : e.objects) {
    if (o.role_code == 24) return &o;
  }
  return nullptr;
}

TEST_F(PixAuditEmitTest, Iti8FeedRecordsPatientRecordCreate) {
  ASSERT_EQ(Mllp(Adt("F1", PatientCx())), "AA");
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 1u);
  const audit::AuditEvent& e = events[0];
  ExpectFrame(e, "110110", "ITI-8", 0, kHospital);
  EXPECT_EQ(e.action, "C");
  ASSERT_EQ(Patients(e), std::vector<std::string>{PatientCx()});
  // Source UserID: MSH-3|MSH-4 (no connection peer at this layer).
  bool source = false;
  for (const auto& p : e.participants) source = source || p.user_id == "HIS|HOSPA";
  EXPECT_TRUE(source);
  ASSERT_FALSE(e.objects.empty());
  ASSERT_FALSE(e.objects[0].details.empty());
  EXPECT_EQ(e.objects[0].details[0].value, "F1");  // MSH-10
}

TEST_F(PixAuditEmitTest, Iti8UnknownDomainIsRefusedAndRecorded) {
  ASSERT_EQ(Mllp(Adt("F2", "X1^^^NOSUCHNS")), "AE");
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 1u);
  ExpectFrame(events[0], "110110", "ITI-8", 8, kHospital);
  EXPECT_NE(events[0].outcome_description.find("204"), std::string::npos);
}

TEST_F(PixAuditEmitTest, Iti9QueryRecordsPatientAndQpd) {
  FeedPatient();
  ASSERT_EQ(Mllp(Qbp("Q1", PatientCx()), "QAK"), "OK");  // the regional ID
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  const audit::AuditEvent& e = events[1];
  ExpectFrame(e, "110112", "ITI-9", 0, kHospital);
  ASSERT_EQ(Patients(e), std::vector<std::string>{PatientCx()});
  const audit::ParticipantObject* q = Query(e);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->query, "QPD|IHE PIX Query|TAG1|" + PatientCx() + "|");
}

TEST_F(PixAuditEmitTest, Iti9UnknownPatientIsRefusedAndRecorded) {
  FeedPatient();
  EXPECT_EQ(Mllp(Qbp("Q2", std::string("NOBODY^^^&") + kHospitalIds + "&ISO")), "AE");
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  ExpectFrame(events[1], "110112", "ITI-9", 8, kHospital);
}

TEST_F(PixAuditEmitTest, Iti83QueryRecordsPatientAndQuery) {
  FeedPatient();
  const std::string query = std::string("sourceIdentifier=urn:oid:") + kHospitalIds + "%7CH123";
  HttpReply r = Get(std::string(kPixmPath) + "?" + query, kViewer);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  const audit::AuditEvent& e = events[1];
  ExpectFrame(e, "110112", "ITI-83", 0, kViewer);
  ASSERT_EQ(Patients(e), std::vector<std::string>{PatientCx()});
  ASSERT_NE(Query(e), nullptr);
  EXPECT_EQ(Query(e)->query, query);
}

TEST_F(PixAuditEmitTest, Iti83UnknownPatientIsRefusedAndRecorded) {
  HttpReply r = Get(std::string(kPixmPath) + "?sourceIdentifier=urn:oid:" + kHospitalIds +
                        "%7CNOBODY",
                    kViewer);
  ASSERT_GE(r.status, 400) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 1u);
  ExpectFrame(events[0], "110112", "ITI-83", 8, kViewer);
  EXPECT_EQ(Patients(events[0]), std::vector<std::string>{std::string("NOBODY^^^&") +
                                                          kHospitalIds + "&ISO"});
}

TEST_F(PixAuditEmitTest, Iti78SearchRecordsEveryPatientOfTheAnswer) {
  FeedPatient();
  HttpReply r = Get(std::string(kPatientSearchPath) + "?family=Yamada", kViewer);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  const audit::AuditEvent& e = events[1];
  ExpectFrame(e, "110112", "ITI-78", 0, kViewer);
  std::vector<std::string> patients = Patients(e);
  ASSERT_EQ(patients.size(), 1u);
  EXPECT_NE(patients[0].find(kRegion), std::string::npos) << patients[0];  // the regional ID
  ASSERT_NE(Query(e), nullptr);
  EXPECT_EQ(Query(e)->query, "family=Yamada");
}

TEST_F(PixAuditEmitTest, Iti78BadParameterIsRefusedAndRecorded) {
  HttpReply r = Get(std::string(kPatientSearchPath) + "?birthdate=notadate", kViewer);
  ASSERT_EQ(r.status, 400) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 1u);
  ExpectFrame(events[0], "110112", "ITI-78", 8, kViewer);
  EXPECT_TRUE(Patients(events[0]).empty());
}

TEST_F(PixAuditEmitTest, Iti78ReadOfAnUnknownPatientIsRefusedAndRecorded) {
  HttpReply r = Get(std::string(kPatientReadPrefix) + "nobody", kViewer);
  ASSERT_EQ(r.status, 404) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 1u);
  ExpectFrame(events[0], "110112", "ITI-78", 8, kViewer);
}

}  // namespace
}  // namespace renkei::pix
