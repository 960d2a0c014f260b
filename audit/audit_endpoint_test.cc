// ITI-20 (FHIR feed) / ITI-81 endpoints through real HTTP: POST then search by each
// parameter, read, errors.
#include "audit/audit_endpoint.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

#include "audit/fhir_audit_event.h"
#include "audit/transaction_events.h"
#include "common/http_client.h"
#include "common/peer.h"
#include "fhir/fhir_xml.h"

namespace renkei::audit {
namespace {

namespace fs = std::filesystem;

// The ids of the entries of a searchset Bundle, in order; a test failure if `body` is none.
std::vector<std::string> BundleEntryIds(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  std::vector<std::string> ids;
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("resourceType") ||
      std::string(d["resourceType"].GetString()) != "Bundle") {
    ADD_FAILURE() << body;
    return ids;
  }
  if (!d.HasMember("entry")) return ids;
  for (const auto& e : d["entry"].GetArray()) ids.push_back(e["resource"]["id"].GetString());
  return ids;
}

class AuditEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("audit_endpoint_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::move(AuditStore::Open((dir_ / "audit.sqlite").string()).value());
    HttpRouter router;
    AddAuditRoutes(router, *store_);
    auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
    client_ = std::move(HttpClient::Create(server_->base_url()).value());
  }
  void TearDown() override {
    server_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  AuditEvent Event(int i) {
    Exchange x;
    x.requester_user_id = "https://node-" + std::to_string(i) + ".example/fhir";
    x.requester_address = "192.0.2.1";
    x.responder_user_id = "https://centre.example/fhir";
    x.requesting_facility = "1.2.392.100." + std::to_string(i);
    x.audit_source_id = "node";
    x.date_time = "2026-11-1" + std::to_string(i) + "T08:00:00+09:00";
    x.outcome = i == 1 ? 4 : 0;
    const std::string patient = (i == 2 ? "Q" : "P") + std::string("7^^^&1.2.392.200&ISO");
    if (i == 1) return RegistryStoredQuery(x, patient, "urn:uuid:q", "<AdhocQueryRequest/>");
    return RetrieveDocumentSet(x, Side::kSender, patient, {{"1.2.4." + std::to_string(i), "", ""}});
  }

  std::vector<std::string> Ids(const HttpReply& reply) { return BundleEntryIds(reply.body); }

  fs::path dir_;
  std::unique_ptr<AuditStore> store_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(AuditEndpointTest, PostThenSearchByEachParameter) {
  for (int i = 0; i < 3; ++i) {
    auto reply =
        client_->Post("/fhir/AuditEvent", "application/fhir+json", EncodeFhirAuditEvent(Event(i)));
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->status, 201) << reply->body;
    EXPECT_NE(reply->body.find("\"id\":\"" + std::to_string(i + 1) + "\""), std::string::npos);
  }
  struct Case {
    std::string query;
    std::vector<std::string> ids;
  };
  const std::vector<Case> cases = {
      {"", {"1", "2", "3"}},
      {"patient=urn:oid:1.2.392.200%7CP7", {"1", "2"}},
      {"patient=Patient/Q7", {"3"}},
      // Dates are UTC: event i is recorded 2026-11-1<i>T08:00+09:00 = the day before, 23:00Z.
      {"date=ge2026-11-11&date=lt2026-11-12", {"3"}},
      {"date=2026-11-10", {"2"}},
      {"date=lt2026-11-10T00:00:00Z", {"1"}},  // 2026-11-10T08:00+09:00 is the 9th 23:00Z
      {"agent=urn:oid:1.2.392.100.2", {"3"}},
      {"agent=https://node-1.example/fhir", {"2"}},
      {"entity=1.2.4.2", {"3"}},
      {"entity=urn:uuid:q", {"2"}},
      {"type=urn:ihe:event-type-code%7CITI-18", {"2"}},
      {"type=http://dicom.nema.org/resources/ontology/DCM%7C110106", {"1", "3"}},
      {"outcome=4", {"2"}},
      {"outcome=0&patient=P7", {"1"}},
      {"_count=2", {"1", "2"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    auto reply = client_->Send("GET", "/fhir/AuditEvent?" + c.query, "", "");
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ(reply->status, 200) << reply->body;
    EXPECT_EQ(Ids(*reply), c.ids);
  }
  // A full page links to the next one.
  auto page = client_->Send("GET", "/fhir/AuditEvent?_count=2", "", "");
  ASSERT_TRUE(page.ok());
  const size_t next = page->body.find("_offset=2");
  EXPECT_NE(next, std::string::npos) << page->body;
  auto second = client_->Send("GET", "/fhir/AuditEvent?_count=2&_offset=2", "", "");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Ids(*second), std::vector<std::string>{"3"});
}

TEST_F(AuditEndpointTest, AcceptsXmlAndReadsById) {
  auto xml = fhir::JsonToXml(EncodeFhirAuditEvent(Event(1)));
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  auto reply = client_->Post("/fhir/AuditEvent", "application/fhir+xml", *xml);
  ASSERT_TRUE(reply.ok());
  ASSERT_EQ(reply->status, 201) << reply->body;
  auto read = client_->Send("GET", "/fhir/AuditEvent/1", "", "");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status, 200);
  auto decoded = DecodeFhirAuditEvent(read->body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, Event(1));
  for (const char* missing :
       {"/fhir/AuditEvent/2", "/fhir/AuditEvent/abc", "/fhir/AuditEvent/-1"}) {
    auto r = client_->Send("GET", missing, "", "");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 404) << missing;
    EXPECT_NE(r->body.find("OperationOutcome"), std::string::npos);
  }
}

TEST_F(AuditEndpointTest, RefusesBadInputAndStoresNothing) {
  struct Case {
    const char* content_type;
    std::string body;
    int status;
  };
  const std::vector<Case> posts = {
      {"application/fhir+json", "{", 400},
      {"application/fhir+json", "{\"resourceType\":\"Patient\"}", 400},
      {"application/fhir+json", "{\"resourceType\":\"AuditEvent\"}", 400},
      {"text/plain", "hello", 415},
      {"application/fhir+json", std::string(2 << 20, ' '), 413},
  };
  for (const Case& c : posts) {
    auto reply = client_->Post("/fhir/AuditEvent", c.content_type, c.body);
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->status, c.status) << c.body.substr(0, 80) << " " << reply->body;
    EXPECT_NE(reply->body.find("OperationOutcome"), std::string::npos);
  }
  for (const char* query : {"bogus=1", "date=tomorrow", "outcome=5", "_count=0"}) {
    auto reply = client_->Send("GET", std::string("/fhir/AuditEvent?") + query, "", "");
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->status, 400) << query;
    EXPECT_NE(reply->body.find("OperationOutcome"), std::string::npos);
  }
  auto verify = store_->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_EQ(verify->records, 0);
}

// A patient's access log (issue 5): the facility that discloses a patient's records reads
// every record of that patient; others read only the records naming them.
class AuditAccessLogTest : public ::testing::Test {
 protected:
  static constexpr char kRegional[] = "1.2.392.200";
  static constexpr char kDiscloser[] = "1.2.392.100.10";  // registered P7's records
  static constexpr char kViewer[] = "1.2.392.100.20";     // queried P7 and Q7
  static constexpr char kOther[] = "1.2.392.100.30";      // neither

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("audit_access_log_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::move(AuditStore::Open((dir_ / "audit.sqlite").string()).value());
    AuditRoutesOptions options;
    options.reads_all = [](const std::string&) { return false; };
    options.discloses = [this](const std::string& facility, const std::string& patient_cx) {
      std::lock_guard<std::mutex> lock(mu_);
      asked_.push_back(facility + " " + patient_cx);
      return facility == kDiscloser && patient_cx == std::string("P7^^^&") + kRegional + "&ISO";
    };
    options.patient_domain_oid = kRegional;
    HttpRouter router;
    AddAuditRoutes(router, *store_, options);
    auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
    client_ = std::move(HttpClient::Create(server_->base_url()).value());
    // 1: the viewer queries P7; 2: the viewer queries Q7; 3: the viewer queries P7 of another
    // domain (same id value); 4: the discloser registers P7's documents.
    const std::string p7 = std::string("P7^^^&") + kRegional + "&ISO";
    const std::string q7 = std::string("Q7^^^&") + kRegional + "&ISO";
    ASSERT_TRUE(store_->Append(RegistryStoredQuery(By(kViewer, 1), p7, "urn:uuid:q", "<q/>")).ok());
    ASSERT_TRUE(store_->Append(RegistryStoredQuery(By(kViewer, 2), q7, "urn:uuid:q", "<q/>")).ok());
    ASSERT_TRUE(store_
                    ->Append(RegistryStoredQuery(By(kViewer, 3), "P7^^^&1.2.392.300&ISO",
                                                 "urn:uuid:q", "<q/>"))
                    .ok());
    ASSERT_TRUE(
        store_->Append(RegisterDocumentSet(By(kDiscloser, 4), Side::kReceiver, p7, "1.2.5.1"))
            .ok());
  }
  void TearDown() override {
    server_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  static Exchange By(const std::string& facility, int day) {
    Exchange x = RequesterExchange(facility, "192.0.2.7:4431", "");
    x.responder_user_id = "urn:oid:1.2.392.999";
    x.date_time = "2026-11-0" + std::to_string(day) + "T08:00:00Z";
    return x;
  }

  std::vector<std::string> Search(const std::string& facility, const std::string& query) {
    auto reply = client_->Send("GET", "/fhir/AuditEvent?" + query, "", "",
                               {{kFacilityTestHeader, facility}});
    if (!reply.ok() || reply->status != 200) {
      ADD_FAILURE() << query << ": " << (reply.ok() ? reply->body : reply.status().ToString());
      return {};
    }
    return BundleEntryIds(reply->body);
  }

  fs::path dir_;
  std::unique_ptr<AuditStore> store_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpClient> client_;
  std::mutex mu_;
  std::vector<std::string> asked_;  // "facility cx" per discloses call, guarded by mu_
};

TEST_F(AuditAccessLogTest, DiscloserReadsEveryRecordOfItsPatientOnly) {
  struct Case {
    const char* facility;
    std::string query;
    std::vector<std::string> ids;
  };
  const std::vector<Case> cases = {
      // The discloser sees the viewer's query of its patient, by every form of the patient;
      // not the record of another domain's P7.
      {kDiscloser, "patient=Patient/P7", {"1", "4"}},
      {kDiscloser, "patient=https://centre.example/fhir/Patient/P7", {"1", "4"}},
      {kDiscloser, "patient=urn:oid:1.2.392.200%7CP7", {"1", "4"}},
      {kDiscloser, "patient.identifier=1.2.392.200%7CP7", {"1", "4"}},
      {kDiscloser, "patient=P7%5E%5E%5E%261.2.392.200%26ISO", {"1", "4"}},
      {kDiscloser, "patient=P7", {"1", "4"}},
      // Other parameters still apply.
      {kDiscloser, "patient=Patient/P7&agent=urn:oid:1.2.392.100.20", {"1"}},
      {kDiscloser, "patient=Patient/P7&date=2026-11-04", {"4"}},
      // Not its patient, several patients, no patient: only the records naming it.
      {kDiscloser, "patient=Patient/Q7", {}},
      {kDiscloser, "patient=1.2.392.300%7CP7", {}},
      {kDiscloser, "patient=Patient/P7,Patient/Q7", {"4"}},
      {kDiscloser, "patient=Patient/P7&patient=P7", {"4"}},
      {kDiscloser, "", {"4"}},
      // A facility that does not disclose P7 sees only the records naming it.
      {kOther, "patient=Patient/P7", {}},
      // (A bare id matches that id in every domain, as before.)
      {kViewer, "patient=Patient/P7", {"1", "3"}},
      {kViewer, "", {"1", "2", "3"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.facility) + " " + c.query);
    EXPECT_EQ(Search(c.facility, c.query), c.ids);
  }
  // A read by id stays restricted to the records naming the requester.
  auto read =
      client_->Send("GET", "/fhir/AuditEvent/1", "", "", {{kFacilityTestHeader, kDiscloser}});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status, 404);
}

TEST_F(AuditAccessLogTest, AsksOnlyAboutExactlyOnePatientNamedAsCx) {
  Search(kDiscloser, "patient=Patient/P7");
  Search(kDiscloser, "patient=1.2.392.300%7CP7");
  Search(kDiscloser, "patient=Patient/P7,Patient/Q7");
  Search(kDiscloser, "agent=x");
  Search(kDiscloser, "patient=http://example.org/ids%7CP7");  // no OID: names no CX
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_EQ(asked_, (std::vector<std::string>{std::string(kDiscloser) + " P7^^^&1.2.392.200&ISO",
                                              std::string(kDiscloser) + " P7^^^&1.2.392.300&ISO"}));
}

}  // namespace
}  // namespace renkei::audit
