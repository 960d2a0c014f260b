// ITI-20 (FHIR feed) / ITI-81 endpoints through real HTTP: POST then search by each
// parameter, read, errors.
#include "audit/audit_endpoint.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>

#include "audit/fhir_audit_event.h"
#include "audit/transaction_events.h"
#include "common/http_client.h"
#include "fhir/fhir_xml.h"

namespace renkei::audit {
namespace {

namespace fs = std::filesystem;

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

  // The ids of the entries of a searchset answer, in order; -1 entries if not a Bundle.
  std::vector<std::string> Ids(const HttpReply& reply) {
    rapidjson::Document d;
    d.Parse(reply.body.c_str());
    std::vector<std::string> ids;
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("resourceType") ||
        std::string(d["resourceType"].GetString()) != "Bundle") {
      ADD_FAILURE() << reply.body;
      return ids;
    }
    if (!d.HasMember("entry")) return ids;
    for (const auto& e : d["entry"].GetArray()) ids.push_back(e["resource"]["id"].GetString());
    return ids;
  }

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

}  // namespace
}  // namespace renkei::audit
