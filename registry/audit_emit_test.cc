// IHE ATNA (issue 5) at the Document Registry: ITI-42, ITI-57, ITI-18, ITI-62, ITI-67 and
// ITI-66 record their audit events (ITI TF-2 "Audit Record Considerations") through real
// HTTP into a StoreSink over a temporary AuditStore, success and refusal alike.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_sink.h"
#include "audit/audit_store.h"
#include "audit/audit_test_util.h"
#include "audit/buffered_store_sink.h"
#include "audit/fhir_audit_event.h"
#include "common/http_client.h"
#include "common/http_server.h"
#include "registry/internal/test_submissions.h"
#include "registry/mhd_endpoint.h"
#include "registry/registry_endpoint.h"
#include "xds/ebrim_codec.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

using testing::kPid;
using testing::NewOid;
using testing::RequestBuilder;

constexpr char kFacility[] = "1.2.392.200119.6.102";  // the submitter of the test documents
constexpr char kOther[] = "1.2.392.200119.6.999";
constexpr char kSource[] = "renkei-centre-test";
constexpr char kSite[] = "test-region";

class AuditEmitTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    path_ = "/tmp/renkei-audit-emit-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".sqlite";
    std::remove(path_.c_str());
    auto store = audit::AuditStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    audit_store_ = std::move(store.value());
    sink_ = std::make_unique<audit::StoreSink>(*audit_store_);

    MhdResponderOptions mo;
    mo.patient_cx = [](const std::string& id) { return id == "P-1001" ? kPid : ""; };
    mo.patient_of_identifier = [](const std::string&, const std::string&) { return ""; };
    responder_ = std::make_unique<MhdResponder>(*registry_, mo);

    RegistryEndpointOptions ro;
    ro.audit = sink_.get();
    ro.audit_source_id = kSource;
    ro.audit_site = kSite;
    MhdEndpointOptions mho;
    mho.audit = sink_.get();
    mho.audit_source_id = kSource;
    mho.audit_site = kSite;
    HttpRouter router;
    router.Exact("POST", "/xds/registry", MakeRegistryHandler(*registry_, ro));
    router.Exact("GET", kDocumentReferencePath,
                 MakeMhdSearchHandler(*responder_, MhdResource::kDocumentReference, mho));
    router.Exact("GET", kListPath, MakeMhdSearchHandler(*responder_, MhdResource::kList, mho));
    router.Prefix("GET", kDocumentReferenceReadPrefix,
                  MakeMhdReadHandler(*responder_, MhdResource::kDocumentReference, mho));
    auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
  }

  void TearDown() override {
    server_.reset();
    audit_store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  HttpReply Call(const std::string& method, const std::string& path, const std::string& facility,
                 const std::string& content_type = "", const std::string& body = "") {
    auto client = HttpClient::Create(server_->base_url());
    EXPECT_TRUE(client.ok());
    auto reply = (*client)->Send(method, path, content_type, body, {{kFacilityTestHeader, facility}});
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? *reply : HttpReply{};
  }

  HttpReply Soap(const char* action, const std::string& body_xml, const std::string& facility) {
    return Call("POST", "/xds/registry",  facility,
                std::string("application/soap+xml; charset=UTF-8; action=\"") + action + "\"",
                xds::EncodeSoapRequest(action, "http://centre/xds/registry", body_xml));
  }

  // Every recorded event, in order.
  std::vector<audit::AuditEvent> Events() { return audit::testing::RecordedEvents(*audit_store_); }

  audit::AuditEvent OnlyEvent() { return audit::testing::OnlyRecordedEvent(*audit_store_); }

  std::string RegisterOne(const std::string& facility) {
    const std::string uid = NewOid();
    RequestBuilder b;
    b.SubmissionSet().Document({.uid = uid}).Member("hm1", "Document01");
    HttpReply r = Soap(xds::kActionRegister, b.Xml(), facility);
    EXPECT_NE(r.body.find(xds::kResponseSuccess), std::string::npos) << r.body;
    return One(EntryKind::kDocumentEntry, uid).id;
  }

  std::string path_;
  std::unique_ptr<audit::AuditStore> audit_store_;
  std::unique_ptr<audit::StoreSink> sink_;
  std::unique_ptr<MhdResponder> responder_;
  std::unique_ptr<HttpServer> server_;
};

// The parts every event shares (audit/audit_test_util.h), with this test's source and site.
void ExpectFrame(const audit::AuditEvent& e, const std::string& event_id,
                 const std::string& event_type, int outcome, const std::string& facility) {
  audit::testing::ExpectFrame(e, event_id, event_type, outcome, facility, kSource, kSite, "127.0.0.1");
}

using audit::testing::PatientOf;
using audit::testing::ObjectWithRole;

TEST_F(AuditEmitTest, Iti42RegisterRecordsImportWithPatientAndSubmissionSet) {
  const std::string uid = NewOid();
  RequestBuilder b;
  b.SubmissionSet().Document({.uid = uid}).Member("hm1", "Document01");
  HttpReply r = Soap(xds::kActionRegister, b.Xml(), kFacility);
  ASSERT_NE(r.body.find(xds::kResponseSuccess), std::string::npos) << r.body;

  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110107", "ITI-42", 0, kFacility);
  EXPECT_EQ(e.action, "C");
  const audit::ParticipantObject* patient = PatientOf(e);
  ASSERT_NE(patient, nullptr);
  EXPECT_EQ(patient->id, kPid);
  const audit::ParticipantObject* ss = ObjectWithRole(e, 20);
  ASSERT_NE(ss, nullptr);
  EXPECT_EQ(ss->id_type.code, "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd");
  EXPECT_FALSE(ss->id.empty());
}

TEST_F(AuditEmitTest, Iti42FailureRecordsSeriousFailure) {
  // A document for an unknown patient: the registry answers Failure.
  RequestBuilder b;
  b.SubmissionSet("SubmissionSet01", "UNKNOWN^^^&1.2.3&ISO")
      .Document({.pid = "UNKNOWN^^^&1.2.3&ISO"})
      .Member("hm1", "Document01");
  HttpReply r = Soap(xds::kActionRegister, b.Xml(), kFacility);
  ASSERT_NE(r.body.find(xds::kResponseFailure), std::string::npos) << r.body;

  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110107", "ITI-42", 8, kFacility);
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, "UNKNOWN^^^&1.2.3&ISO");
}

TEST_F(AuditEmitTest, Iti57RefusedUpdateRecordsImportFailure) {
  // A new version of a document the registry does not hold: refused, nothing changed.
  RequestBuilder b;
  b.SubmissionSet()
      .Document({.lid = "urn:uuid:8e2a5f9c-0d2b-4c3e-9a61-000000000057"})
      .Member("hm1", "Document01", {{"PreviousVersion", "1"}});
  HttpReply r = Soap(xds::kActionUpdate, b.Xml(), kFacility);
  ASSERT_NE(r.body.find(xds::kResponseFailure), std::string::npos) << r.body;

  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110107", "ITI-57", 8, kFacility);
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, kPid);
  EXPECT_NE(ObjectWithRole(e, 20), nullptr);
}

TEST_F(AuditEmitTest, Iti18RecordsPatientAndTheAdhocQueryRequestAsSent) {
  RegisterOne(kFacility);
  xds::AdhocQueryRequest q;
  q.query_id = xds::kSqFindDocuments;
  q.return_type = "ObjectRef";
  q.params = {{xds::kSqpDocPatientId, "", {std::string("'") + kPid + "'"}},
              {xds::kSqpDocStatus, "", {std::string("('") + xds::kStatusApproved + "')"}}};
  const std::string request_xml = xds::EncodeAdhocQueryRequest(q);
  HttpReply r = Soap(xds::kActionStoredQuery, request_xml, kFacility);
  ASSERT_NE(r.body.find(xds::kResponseSuccess), std::string::npos) << r.body;

  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  const audit::AuditEvent& e = events[1];
  ExpectFrame(e, "110112", "ITI-18", 0, kFacility);
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, kPid);
  const audit::ParticipantObject* query = ObjectWithRole(e, 24);
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->id, xds::kSqFindDocuments);
  EXPECT_EQ(query->id_type.code, "ITI-18");
  // The AdhocQueryRequest element as the consumer sent it (base64 on the wire).
  EXPECT_EQ(query->query, request_xml);
}

TEST_F(AuditEmitTest, Iti18BadParameterRecordsFailure) {
  xds::AdhocQueryRequest q;
  q.query_id = xds::kSqFindDocuments;
  q.return_type = "ObjectRef";
  q.params = {{xds::kSqpDocPatientId, "", {std::string("'") + kPid + "'"}},
              {xds::kSqpDocStatus, "", {"('urn:not-a-status')"}},
              {xds::kSqpDocCreationTimeFrom, "", {"not-a-time"}}};
  HttpReply r = Soap(xds::kActionStoredQuery, xds::EncodeAdhocQueryRequest(q), kFacility);
  ASSERT_NE(r.body.find(xds::kResponseFailure), std::string::npos) << r.body;

  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110112", "ITI-18", 8, kFacility);
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, kPid);
}

TEST_F(AuditEmitTest, Iti62OfAnotherFacilitysObjectIsRefusedAndRecorded) {
  const std::string id = RegisterOne(kFacility);
  const std::string body = std::string("<lcm:RemoveObjectsRequest xmlns:lcm=\"") + xds::kNsLcm +
                           "\" xmlns:rim=\"" + xds::kNsRim +
                           "\"><rim:ObjectRefList><rim:ObjectRef id=\"" + id +
                           "\"/></rim:ObjectRefList></lcm:RemoveObjectsRequest>";
  HttpReply refused = Soap(xds::kActionRemove, body, kOther);
  ASSERT_NE(refused.body.find(xds::kResponseFailure), std::string::npos) << refused.body;
  EXPECT_EQ(StatusOf(id), xds::kStatusApproved);  // nothing removed

  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  ExpectFrame(events[1], "110110", "ITI-62", 8, kOther);
  EXPECT_EQ(events[1].action, "D");
  const audit::ParticipantObject* removed = ObjectWithRole(events[1], 3);
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(removed->id, id);
}

TEST_F(AuditEmitTest, Iti62RecordsThePatientOfTheObjectsItNames) {
  const std::string id = RegisterOne(kFacility);
  const std::string body = std::string("<lcm:RemoveObjectsRequest xmlns:lcm=\"") + xds::kNsLcm +
                           "\" xmlns:rim=\"" + xds::kNsRim +
                           "\"><rim:ObjectRefList><rim:ObjectRef id=\"" + id +
                           "\"/></rim:ObjectRefList></lcm:RemoveObjectsRequest>";
  // Its own DocumentEntry, still referenced by the submission's association: refused
  // (ReferencesExistException), and the record names the patient all the same.
  HttpReply r = Soap(xds::kActionRemove, body, kFacility);
  ASSERT_NE(r.body.find("ReferencesExistException"), std::string::npos) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  ExpectFrame(events[1], "110110", "ITI-62", 8, kFacility);
  ASSERT_NE(PatientOf(events[1]), nullptr);
  EXPECT_EQ(PatientOf(events[1])->id, kPid);
}

TEST_F(AuditEmitTest, SoapFaultOfAKnownActionRecordsFailure) {
  // ITI-18's action with a SubmitObjectsRequest body: a SOAP Fault.
  RequestBuilder b;
  b.SubmissionSet();
  HttpReply r = Soap(xds::kActionStoredQuery, b.Xml(), kFacility);
  EXPECT_NE(r.body.find("Fault"), std::string::npos) << r.body;
  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110112", "ITI-18", 8, kFacility);
}

TEST_F(AuditEmitTest, Iti67SearchRecordsQueryAndPatient) {
  RegisterOne(kFacility);
  HttpReply r = Call("GET", "/fhir/DocumentReference?patient=P-1001&status=current", kFacility);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  const audit::AuditEvent& e = events[1];
  ExpectFrame(e, "110112", "ITI-67", 0, kFacility);
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, "P-1001");
  const audit::ParticipantObject* query = ObjectWithRole(e, 24);
  ASSERT_NE(query, nullptr);
  EXPECT_NE(query->query.find("patient=P-1001"), std::string::npos) << query->query;
}

TEST_F(AuditEmitTest, Iti67BadParameterIsRefusedAndRecorded) {
  HttpReply r = Call("GET", "/fhir/DocumentReference?patient=P-1001&date=notadate", kFacility);
  ASSERT_EQ(r.status, 400) << r.body;
  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110112", "ITI-67", 8, kFacility);
}

TEST_F(AuditEmitTest, Iti67ReadOfAnotherFacilitysDocumentIsRefusedAndRecorded) {
  const std::string id = RegisterOne(kFacility);
  const std::string bare = id.substr(id.rfind(':') + 1);
  HttpReply r = Call("GET", std::string(kDocumentReferenceReadPrefix) + bare, kOther);
  ASSERT_EQ(r.status, 404) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  ExpectFrame(events[1], "110112", "ITI-67", 8, kOther);
}

TEST_F(AuditEmitTest, Iti66SearchRecordsQueryAndPatient) {
  RegisterOne(kFacility);
  HttpReply r = Call("GET", "/fhir/List?patient=P-1001&code=submissionset", kFacility);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  ExpectFrame(events[1], "110112", "ITI-66", 0, kFacility);
  ASSERT_NE(PatientOf(events[1]), nullptr);
  EXPECT_EQ(PatientOf(events[1])->id, "P-1001");
}

TEST_F(AuditEmitTest, NoSinkRecordsNothingAndAnswersAsBefore) {
  RegistryEndpointOptions ro;  // audit = nullptr
  HttpRouter router;
  router.Exact("POST", "/xds/registry", MakeRegistryHandler(*registry_, ro));
  auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
  ASSERT_TRUE(server.ok());
  server_ = std::move(server.value());
  RegisterOne(kFacility);
  EXPECT_TRUE(Events().empty());
}

// The group-committing sink: every event of concurrent requests stored, in a verified chain.
TEST_F(AuditEmitTest, BufferedStoreSinkKeepsEveryEventOfConcurrentQueries) {
  auto buffered = std::make_unique<audit::BufferedStoreSink>(*audit_store_, 4);
  RegistryEndpointOptions ro;
  ro.audit = buffered.get();
  ro.audit_source_id = kSource;
  ro.audit_site = kSite;
  HttpRouter router;
  router.Exact("POST", "/xds/registry", MakeRegistryHandler(*registry_, ro));
  auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
  ASSERT_TRUE(server.ok());
  server_ = std::move(server.value());
  RegisterOne(kFacility);
  xds::AdhocQueryRequest q;
  q.query_id = xds::kSqFindDocuments;
  q.return_type = "ObjectRef";
  q.params = {{xds::kSqpDocPatientId, "", {std::string("'") + kPid + "'"}},
              {xds::kSqpDocStatus, "", {std::string("('") + xds::kStatusApproved + "')"}}};
  const std::string body = xds::EncodeAdhocQueryRequest(q);
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      for (int i = 0; i < 10; ++i) Soap(xds::kActionStoredQuery, body, kFacility);
    });
  }
  for (std::thread& c : clients) c.join();
  buffered->Flush();
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 41u);
  EXPECT_EQ(events[0].event_types[0].code, "ITI-42");
  for (size_t i = 1; i < events.size(); ++i) ExpectFrame(events[i], "110112", "ITI-18", 0, kFacility);
  auto verify = audit_store_->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
  EXPECT_EQ(verify->records, 41);
  server_.reset();
  buffered.reset();
}

}  // namespace
}  // namespace renkei::registry
