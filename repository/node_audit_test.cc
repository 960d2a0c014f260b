// IHE ATNA at the hospital node (issue 5, ITI TF-2 "Audit Record Considerations"): ITI-41,
// ITI-43, ITI-65 and ITI-68 record their events, and every access-ticket refusal a Security
// Alert, through real HTTP into a StoreSink over a temporary audit::AuditStore.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "audit/audit_store.h"
#include "audit/audit_test_util.h"
#include "audit/dicom_audit_xml.h"
#include "audit/fhir_audit_event.h"
#include "common/http_server.h"
#include "common/peer.h"
#include "repository/document_repository.h"
#include "repository/document_store.h"
#include "repository/mhd_endpoint.h"
#include "repository/repository_endpoint.h"
#include "audit/transaction_events.h"
#include "repository/retrieve_purpose.h"
#include "repository/ticket_guard.h"
#include "repository/ticket_test_util.h"
#include "xds/ebrim_codec.h"
#include "xds/repository_codec.h"
#include "xds/soap.h"
#include "xds/soap_http.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::repository {
namespace {

constexpr char kOwn[] = "1.2.392.100.1";
constexpr char kOther[] = "1.2.392.100.2";
constexpr char kThird[] = "1.2.392.100.3";
constexpr char kRepo[] = "1.2.392.100.1.50";
constexpr char kP1[] = "P1^^^&1.2.392.200&ISO";
constexpr char kDoc1[] = "1.2.392.100.1.77.1";  // P1
constexpr char kDoc2[] = "1.2.392.100.1.77.2";  // P1
constexpr char kAbsent[] = "1.2.392.100.1.77.9";
constexpr char kIssuer[] = "https://centre.test/";
constexpr char kSource[] = "renkei-node-test";
constexpr char kSite[] = "hospital-a";

class NodeAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/node_audit_testXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto audit_store = audit::AuditStore::Open(dir_ + "/audit.sqlite");
    ASSERT_TRUE(audit_store.ok()) << audit_store.status().ToString();
    audit_store_ = std::move(audit_store.value());
    sink_ = std::make_unique<audit::StoreSink>(*audit_store_);

    auto store = DocumentStore::Open(dir_ + "/docs", {});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    testing::StoreRegistered(*store_, {{kDoc1, kP1}, {kDoc2, kP1}});

    // A stand-in Document Registry for ITI-41's ITI-42: Success, or Failure when told.
    HttpRouter registry_router;
    registry_router.Exact(
        "POST", "/xds/registry",
        [this](Poco::Net::HTTPServerRequest& q, Poco::Net::HTTPServerResponse& r) {
          std::string ignored((std::istreambuf_iterator<char>(q.stream())),
                              std::istreambuf_iterator<char>());
          xds::RegistryErrorList errors;
          if (registry_fails_) {
            errors.push_back({"XDSUnknownPatientId", "no such patient", "", xds::Severity::kError});
          }
          SendResponse(r, 200, xds::SoapContentType(xds::kActionRegisterResponse),
                       xds::EncodeSoapResponseStart(xds::kActionRegisterResponse, "") +
                           xds::EncodeRegistryResponse(errors) +
                           std::string(xds::kSoapResponseEnd));
        });
    auto registry = HttpServer::Start(HttpServerOptions{}, std::move(registry_router));
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_server_ = std::move(registry.value());

    RegistryClientOptions rco;
    rco.registry_url = registry_server_->base_url() + "/xds/registry";
    auto client = RegistryClient::Create(rco);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    registry_client_ = std::move(client.value());
    repository_ = std::make_unique<DocumentRepository>(*store_, *registry_client_,
                                                       RepositoryOptions{kRepo, ""});
    recipient_ = std::make_unique<MhdRecipient>(
        *repository_,
        [](const std::string&) -> Result<std::string> { return Status::NotFound("", "none"); },
        MhdRecipientOptions{});

    TicketGuardOptions go;
    go.own_facility_oid = kOwn;
    testing::TicketKit kit = testing::MakeTicketKit(go, kIssuer);
    ASSERT_NE(kit.guard, nullptr);
    signer_ = std::move(kit.signer);
    std::shared_ptr<const TicketGuard> shared = kit.guard;

    HttpRouter router;
    RepositoryEndpointOptions ro;
    ro.tickets = shared;
    ro.audit = sink_.get();
    ro.audit_source_id = kSource;
    ro.audit_site = kSite;
    router.Exact("POST", "/xds/repository", MakeRepositoryHandler(*repository_, *store_, ro));
    MhdEndpointOptions mo;
    mo.tickets = shared;
    mo.repository_unique_id = kRepo;
    mo.audit = sink_.get();
    mo.audit_source_id = kSource;
    mo.audit_site = kSite;
    mo.regional_domain_oid = "1.2.392.200";
    AddMhdRoutes(router, *recipient_, *store_, mo);
    auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
  }
  void TearDown() override {
    server_.reset();
    registry_server_.reset();
    audit_store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Ticket(std::vector<std::string> documents, const std::string& requester = kOther,
                     int64_t expires_in = 300) {
    trust::AccessTicket t;
    t.issuer = kIssuer;
    t.requester = requester;
    t.audience = kOwn;
    t.holder_thumbprint = requester;  // insecure mode: the facility OID
    t.patient = kP1;
    t.documents = std::move(documents);
    if (expires_in < 0) {
      t.issued_at = time(nullptr) - 600;
      t.expires_at = time(nullptr) + expires_in;
    }
    auto jwt = signer_->Issue(t);
    EXPECT_TRUE(jwt.ok()) << jwt.status().ToString();
    return "Bearer " + jwt.value();
  }

  struct Answer {
    int status = 0;
    std::string body;
  };
  Answer Send(const std::string& method, const std::string& path, const std::string& facility,
              const std::string& authorization, const std::string& content_type = "",
              const std::string& body = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_->port()));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set(kFacilityTestHeader, facility);
    if (!authorization.empty()) request.set("Authorization", authorization);
    if (!content_type.empty()) request.setContentType(content_type);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream out;
    out << in.rdbuf();
    return {static_cast<int>(response.getStatus()), out.str()};
  }
  Answer Retrieve(const std::vector<std::string>& uids, const std::string& facility,
                  const std::string& authorization) {
    std::vector<xds::DocumentRequest> requests;
    for (const std::string& u : uids) requests.push_back({"", kRepo, u});
    return Send("POST", "/xds/repository", facility, authorization,
                xds::SoapContentType(xds::kActionRetrieve),
                xds::EncodeSoapRequest(xds::kActionRetrieve, "http://node/xds/repository",
                                       xds::EncodeRetrieveDocumentSetRequest(requests)));
  }
  // ITI-41 of one inline document for P1 with submission set uniqueId `ss_uid`.
  Answer Provide(const std::string& ss_uid, const std::string& doc_uid) {
    xds::SimpleSubmission s;
    s.patient_id = kP1;
    s.unique_id = ss_uid;
    s.source_id = "1.2.392.100.1.9";
    s.submission_time = "20261126081500";
    s.content_type_code = {"11506-3", "2.16.840.1.113883.6.1", "Progress note"};
    xds::SimpleDocument d;
    d.symbolic_id = "Document01";
    d.unique_id = doc_uid;
    d.mime_type = "text/plain";
    d.creation_time = "20261126081500";
    d.source_patient_id = "L1^^^&1.2.392.100.1.3&ISO";
    d.class_code = {"11506-3", "2.16.840.1.113883.6.1", "Progress note"};
    d.type_code = {"11506-3", "2.16.840.1.113883.6.1", "Progress note"};
    d.format_code = {"urn:ihe:iti:xds-sd:text:2008", "1.3.6.1.4.1.19376.1.2.3", "text"};
    d.healthcare_facility_type_code = {"22232009", "2.16.840.1.113883.6.96", "Hospital"};
    d.practice_setting_code = {"394802001", "2.16.840.1.113883.6.96", "General medicine"};
    d.confidentiality_code = {"N", "2.16.840.1.113883.5.25", "normal"};
    s.documents.push_back(d);
    xds::ProvideAndRegisterRequest req;
    req.submission = xds::BuildSubmitObjectsRequest(s);
    req.documents.push_back({"Document01", "", "hello"});
    return Send("POST", "/xds/repository", kOwn, "",
                xds::SoapContentType(xds::kActionProvideAndRegister),
                xds::EncodeSoapRequest(xds::kActionProvideAndRegister, "http://node/xds/repository",
                                       xds::EncodeProvideAndRegisterRequest(req)));
  }

  // Every recorded event, in order.
  std::vector<audit::AuditEvent> Events() { return audit::testing::RecordedEvents(*audit_store_); }
  audit::AuditEvent OnlyEvent() { return audit::testing::OnlyRecordedEvent(*audit_store_); }

  std::string dir_;
  std::atomic<bool> registry_fails_{false};
  std::unique_ptr<audit::AuditStore> audit_store_;
  std::unique_ptr<audit::StoreSink> sink_;
  std::unique_ptr<DocumentStore> store_;
  std::unique_ptr<HttpServer> registry_server_;
  std::unique_ptr<RegistryClient> registry_client_;
  std::unique_ptr<DocumentRepository> repository_;
  std::unique_ptr<MhdRecipient> recipient_;
  std::unique_ptr<trust::TicketSigner> signer_;
  std::unique_ptr<HttpServer> server_;
};

// The parts every event shares (audit/audit_test_util.h), with this test's source and site.
void ExpectFrame(const audit::AuditEvent& e, const std::string& event_id,
                 const std::string& event_type, int outcome, const std::string& facility) {
  audit::testing::ExpectFrame(e, event_id, event_type, outcome, facility, kSource, kSite);
}

using audit::testing::PatientOf;
using audit::testing::ObjectWithId;

TEST_F(NodeAuditTest, Iti41RecordsImportWithPatientAndSubmissionSet) {
  Answer a = Provide("1.2.392.100.1.88.1", "1.2.392.100.1.77.41");
  ASSERT_NE(a.body.find(xds::kResponseSuccess), std::string::npos) << a.body;
  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110107", "ITI-41", 0, kOwn);
  EXPECT_EQ(e.action, "C");
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, kP1);
  const audit::ParticipantObject* ss = ObjectWithId(e, "1.2.392.100.1.88.1");
  ASSERT_NE(ss, nullptr);
  EXPECT_EQ(ss->role_code, 20);
}

TEST_F(NodeAuditTest, Iti41FailureRecordsSeriousFailure) {
  registry_fails_ = true;
  Answer a = Provide("1.2.392.100.1.88.2", "1.2.392.100.1.77.42");
  ASSERT_NE(a.body.find(xds::kResponseFailure), std::string::npos) << a.body;
  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110107", "ITI-41", 8, kOwn);
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, kP1);
  EXPECT_NE(ObjectWithId(e, "1.2.392.100.1.88.2"), nullptr);
}

TEST_F(NodeAuditTest, Iti43RecordsExportOfEachDocumentToTheRequester) {
  Answer a = Retrieve({kDoc1, kDoc2}, kOther, Ticket({kDoc1, kDoc2}));
  ASSERT_NE(a.body.find(":Success"), std::string::npos) << a.body;
  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110106", "ITI-43", 0, kOther);
  EXPECT_EQ(e.action, "R");
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, kP1);
  for (const char* uid : {kDoc1, kDoc2}) {
    const audit::ParticipantObject* d = ObjectWithId(e, uid);
    ASSERT_NE(d, nullptr) << uid;
    bool repository_named = false;
    for (const auto& detail : d->details) repository_named |= detail.value == kRepo;
    EXPECT_TRUE(repository_named) << uid;
  }
}

TEST_F(NodeAuditTest, Iti43PartlyCoveredRecordsAlertAndPartialExport) {
  Answer a = Retrieve({kDoc1, kDoc2}, kOther, Ticket({kDoc1}));
  ASSERT_NE(a.body.find("PartialSuccess"), std::string::npos) << a.body;
  std::vector<audit::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  ExpectFrame(events[0], "110113", "110126", 8, kOther);
  EXPECT_NE(events[0].outcome_description.find("not_covered"), std::string::npos);
  EXPECT_NE(events[0].outcome_description.find(kDoc2), std::string::npos);
  ExpectFrame(events[1], "110106", "ITI-43", 4, kOther);
  EXPECT_NE(ObjectWithId(events[1], kDoc1), nullptr);
  EXPECT_EQ(ObjectWithId(events[1], kDoc2), nullptr);
}

TEST_F(NodeAuditTest, Iti65RecordsImportWithPatientAndSubmissionSet) {
  // The Patient cannot be resolved at the centre: refused, recorded as a serious failure.
  const std::string bundle =
      R"({"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:1",)"
      R"("resource":{"resourceType":"List","id":"ss1","status":"current","mode":"working",)"
      R"("identifier":[{"use":"usual","value":"urn:oid:1.2.392.100.1.88.65"}],)"
      R"("subject":{"reference":"http://centre/fhir/Patient/P-1"}},)"
      R"("request":{"method":"POST","url":"List"}}]})";
  Answer a = Send("POST", "/fhir", kOwn, "", "application/fhir+json", bundle);
  EXPECT_NE(a.status, 200) << a.body;
  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110107", "ITI-65", 8, kOwn);
  ASSERT_NE(PatientOf(e), nullptr);
  // As the regional CX (the centre's Patient.id is the regional ID), which ITI-81 finds.
  EXPECT_EQ(PatientOf(e)->id, "P-1^^^&1.2.392.200&ISO");
  EXPECT_NE(ObjectWithId(e, "urn:oid:1.2.392.100.1.88.65"), nullptr);
}

TEST_F(NodeAuditTest, Iti68RecordsExportOfTheDocument) {
  Answer a = Send("GET", std::string(kBinaryPrefix) + kDoc1, kOther, Ticket({kDoc1}));
  ASSERT_EQ(a.status, 200) << a.body;
  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110106", "ITI-68", 0, kOther);
  ASSERT_NE(PatientOf(e), nullptr);
  EXPECT_EQ(PatientOf(e)->id, kP1);
  EXPECT_NE(ObjectWithId(e, kDoc1), nullptr);
}

TEST_F(NodeAuditTest, Iti68UnknownDocumentRecordsFailure) {
  Answer a = Send("GET", std::string(kBinaryPrefix) + kAbsent, kOwn, "");
  ASSERT_EQ(a.status, 404) << a.body;
  audit::AuditEvent e = OnlyEvent();
  ExpectFrame(e, "110106", "ITI-68", 8, kOwn);
  EXPECT_NE(ObjectWithId(e, kAbsent), nullptr);
}

TEST_F(NodeAuditTest, EveryTicketRefusalLeavesASecurityAlert) {
  struct Case {
    const char* name;
    bool soap;  // ITI-43, else ITI-68
    std::string facility;
    std::string authorization;
    std::string detail;  // in EventOutcomeDescription
  };
  const Case cases[] = {
      {"ITI-68 missing ticket", false, kOther, "", "missing_ticket"},
      {"ITI-68 expired", false, kOther, Ticket({kDoc1}, kOther, -60), "expired"},
      {"ITI-68 wrong holder", false, kThird, Ticket({kDoc1}), "wrong_"},
      {"ITI-68 not covered", false, kOther, Ticket({kDoc2}), "not_covered"},
      {"ITI-43 missing ticket", true, kOther, "", "missing_ticket"},
      {"ITI-43 expired", true, kOther, Ticket({kDoc1}, kOther, -60), "expired"},
      {"ITI-43 wrong holder", true, kThird, Ticket({kDoc1}), "wrong_"},
  };
  size_t seen = 0;
  for (const Case& c : cases) {
    Answer a = c.soap
                   ? Retrieve({kDoc1}, c.facility, c.authorization)
                   : Send("GET", std::string(kBinaryPrefix) + kDoc1, c.facility, c.authorization);
    EXPECT_TRUE(a.status == 401 || a.status == 403) << c.name << ": " << a.status;
    EXPECT_EQ(a.body.find("content of"), std::string::npos) << c.name;
    std::vector<audit::AuditEvent> events = Events();
    ASSERT_EQ(events.size(), seen + 1) << c.name;
    seen = events.size();
    const audit::AuditEvent& e = events.back();
    ExpectFrame(e, "110113", "110126", 8, c.facility);
    EXPECT_NE(e.outcome_description.find(c.detail), std::string::npos)
        << c.name << ": " << e.outcome_description;
    EXPECT_NE(e.outcome_description.find(c.soap ? "ITI-43" : "ITI-68"), std::string::npos)
        << c.name;
  }
}

// A document served under a break-glass ticket (the centre sets purpose_of_use BTG only when
// the requester sees it through a break-glass window, registry/ticket_endpoint.h) is recorded
// with PurposeOfUse BTG (DICOM PS3.15 A.5.1, HL7 v3 ActReason); the EventID / EventTypeCode
// stay ITI-43 / ITI-68; other purposes, the client's own claim, are not recorded.
TEST_F(NodeAuditTest, BreakGlassTicketRecordsPurposeOfUse) {
  auto ticket = [this](const std::string& purpose) {
    trust::AccessTicket t;
    t.issuer = kIssuer;
    t.requester = kOther;
    t.audience = kOwn;
    t.holder_thumbprint = kOther;
    t.patient = kP1;
    t.documents = {kDoc1};
    t.purpose_of_use = purpose;
    auto jwt = signer_->Issue(t);
    EXPECT_TRUE(jwt.ok()) << jwt.status().ToString();
    return "Bearer " + jwt.value();
  };
  struct Case {
    const char* name;
    bool soap;  // ITI-43, else ITI-68
    std::string facility;
    std::string authorization;
    bool break_glass;  // PurposeOfUse BTG expected
  };
  const Case cases[] = {
      {"ITI-43 BTG", true, kOther, ticket("BTG"), true},
      {"ITI-68 BTG", false, kOther, ticket("BTG"), true},
      {"ITI-43 TREAT", true, kOther, ticket("TREAT"), false},
      {"ITI-68 TREAT", false, kOther, ticket("TREAT"), false},
      {"ITI-68 no purpose", false, kOther, ticket(""), false},
      {"ITI-68 btg (not the code)", false, kOther, ticket("btg"), false},
      {"ITI-43 own facility", true, kOwn, "", false},
      {"ITI-68 own facility", false, kOwn, "", false},
  };
  size_t seen = 0;
  for (const Case& c : cases) {
    Answer a = c.soap
                   ? Retrieve({kDoc1}, c.facility, c.authorization)
                   : Send("GET", std::string(kBinaryPrefix) + kDoc1, c.facility, c.authorization);
    EXPECT_NE(a.body.find("content of"), std::string::npos) << c.name << ": " << a.body;
    std::vector<audit::AuditEvent> events = Events();
    ASSERT_EQ(events.size(), seen + 1) << c.name;
    seen = events.size();
    const audit::AuditEvent& e = events.back();
    ExpectFrame(e, "110106", c.soap ? "ITI-43" : "ITI-68", 0, c.facility);
    if (!c.break_glass) {
      EXPECT_TRUE(e.purpose_of_use.empty()) << c.name;
      continue;
    }
    ASSERT_EQ(e.purpose_of_use.size(), 1u) << c.name;
    EXPECT_EQ(e.purpose_of_use[0], audit::BreakGlassPurposeOfUse()) << c.name;
    EXPECT_EQ(e.purpose_of_use[0].code, "BTG") << c.name;
    // As the DICOM audit message carries it: EventIdentification/PurposeOfUse.
    const std::string xml = audit::EncodeDicomAuditXml(e);
    EXPECT_NE(xml.find("<PurposeOfUse csd-code=\"BTG\""), std::string::npos) << xml;
  }
}

}  // namespace
}  // namespace renkei::repository
