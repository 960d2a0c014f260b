// ITI-43 and ITI-68 with access tickets (issue 5, repository/ticket_guard.h,
// docs/access-tickets.md) over real HTTP: the node's own facility is served without a
// ticket, another facility only with a valid ticket covering the document; the patient a
// ticket names is checked against the one ITI-41 recorded.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/http_server.h"
#include "common/peer.h"
#include "repository/document_repository.h"
#include "repository/document_store.h"
#include "repository/mhd_endpoint.h"
#include "repository/repository_endpoint.h"
#include "repository/ticket_guard.h"
#include "repository/ticket_test_util.h"
#include "xds/repository_codec.h"
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
constexpr char kP2[] = "P2^^^&1.2.392.200&ISO";
constexpr char kDoc1[] = "1.2.392.100.1.77.1";  // P1
constexpr char kDoc2[] = "1.2.392.100.1.77.2";  // P1
constexpr char kDoc3[] = "1.2.392.100.1.77.3";  // P2
constexpr char kAbsent[] = "1.2.392.100.1.77.9";
constexpr char kIssuer[] = "https://centre.test/";

class TicketRetrieveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ticket_retrieve_testXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto store = DocumentStore::Open(dir_, {});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    testing::StoreRegistered(*store_, {{kDoc1, kP1}, {kDoc2, kP1}, {kDoc3, kP2}});
    auto found = store_->Find(kDoc3);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found->patient_id, kP2);  // the store records the patient

    RegistryClientOptions rco;
    rco.registry_url = "http://127.0.0.1:9/xds/registry";  // never called by ITI-43 / ITI-68
    auto client = RegistryClient::Create(rco);
    ASSERT_TRUE(client.ok());
    registry_client_ = std::move(client.value());
    repository_ = std::make_unique<DocumentRepository>(*store_, *registry_client_,
                                                       RepositoryOptions{kRepo, ""});
    recipient_ = std::make_unique<MhdRecipient>(
        *repository_,
        [](const std::string&) -> Result<std::string> { return Status::NotFound("", "none"); },
        MhdRecipientOptions{});

    TicketGuardOptions go;
    go.own_facility_oid = kOwn;
    go.on_refusal = [this](const Peer& peer, const Status& s, const std::string& document) {
      std::lock_guard<std::mutex> lock(mu_);
      refusals_.push_back(peer.facility_oid + "|" + s.detail() + "|" + document);
    };
    testing::TicketKit kit = testing::MakeTicketKit(go, kIssuer);
    ASSERT_NE(kit.guard, nullptr);
    signer_ = std::move(kit.signer);
    std::shared_ptr<const TicketGuard> shared = kit.guard;

    HttpRouter router;
    RepositoryEndpointOptions ro;
    ro.tickets = shared;
    router.Exact("POST", "/xds/repository", MakeRepositoryHandler(*repository_, *store_, ro));
    MhdEndpointOptions mo;
    mo.tickets = shared;
    mo.repository_unique_id = kRepo;
    AddMhdRoutes(router, *recipient_, *store_, mo);
    auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
  }
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Ticket(std::vector<std::string> documents, const std::string& patient = kP1,
                     const std::string& requester = kOther, int64_t expires_in = 300,
                     std::vector<std::string> repositories = {}) {
    trust::AccessTicket t;
    t.issuer = kIssuer;
    t.requester = requester;
    t.audience = kOwn;
    t.holder_thumbprint = requester;  // insecure mode: the facility OID
    t.patient = patient;
    t.documents = std::move(documents);
    t.repositories = std::move(repositories);
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
    std::string challenge;  // WWW-Authenticate
  };
  // Poco directly: HttpClient does not return response headers.
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
    return {static_cast<int>(response.getStatus()), out.str(),
            response.get("WWW-Authenticate", "")};
  }
  Answer Binary(const std::string& uid, const std::string& facility,
                const std::string& authorization) {
    return Send("GET", std::string(kBinaryPrefix) + uid, facility, authorization);
  }
  Answer Retrieve(const std::vector<std::string>& uids, const std::string& facility,
                  const std::string& authorization) {
    std::vector<xds::DocumentRequest> requests;
    for (const std::string& u : uids) requests.push_back({"", kRepo, u});
    const std::string envelope =
        xds::EncodeSoapRequest(xds::kActionRetrieve, "http://node/xds/repository",
                               xds::EncodeRetrieveDocumentSetRequest(requests));
    return Send("POST", "/xds/repository", facility, authorization,
                xds::SoapContentType(xds::kActionRetrieve), envelope);
  }

  std::string dir_;
  std::unique_ptr<DocumentStore> store_;
  std::unique_ptr<RegistryClient> registry_client_;
  std::unique_ptr<DocumentRepository> repository_;
  std::unique_ptr<MhdRecipient> recipient_;
  std::unique_ptr<trust::TicketSigner> signer_;
  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::vector<std::string> refusals_;  // on_refusal: facility|detail|document
};

// `bearer` with one signature character changed (still base64url, other bytes).
std::string Tampered(std::string bearer) {
  char& c = bearer[bearer.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  return bearer;
}

TEST_F(TicketRetrieveTest, Iti68Table) {
  const std::string doc1 = Ticket({kDoc1});
  struct Case {
    const char* name;
    std::string uid;
    std::string facility;
    std::string authorization;
    int status;
    std::string challenge_has;  // for 401
  };
  const Case cases[] = {
      {"own facility, no ticket", kDoc1, kOwn, "", 200, ""},
      {"valid ticket", kDoc1, kOther, doc1, 200, ""},
      {"repository ticket", kDoc2, kOther, Ticket({}, kP1, kOther, 300, {kRepo}), 200, ""},
      {"no ticket", kDoc1, kOther, "", 401, "Bearer realm="},
      {"not a bearer", kDoc1, kOther, "Basic eDp5", 401, "invalid_request"},
      {"expired", kDoc1, kOther, Ticket({kDoc1}, kP1, kOther, -60), 401, "expired"},
      {"tampered", kDoc1, kOther, Tampered(doc1), 401, "invalid_token"},
      {"ticket of another facility", kDoc1, kThird, doc1, 401, "invalid_token"},
      {"document not covered", kDoc2, kOther, doc1, 403, ""},
      {"ticket for another patient", kDoc3, kOther, Ticket({kDoc3}, kP1), 403, ""},
      {"repository ticket, other patient's document", kDoc3, kOther,
       Ticket({}, kP1, kOther, 300, {kRepo}), 403, ""},
      {"absent document not named", kAbsent, kOther, doc1, 403, ""},
      {"absent document named", kAbsent, kOther, Ticket({kAbsent}), 404, ""},
  };
  for (const Case& c : cases) {
    Answer a = Binary(c.uid, c.facility, c.authorization);
    EXPECT_EQ(a.status, c.status) << c.name << ": " << a.body;
    if (c.status == 200) {
      EXPECT_EQ(a.body, "content of " + c.uid) << c.name;
    } else {
      EXPECT_EQ(a.body.find("content of"), std::string::npos) << c.name;
      EXPECT_NE(a.body.find("OperationOutcome"), std::string::npos) << c.name;
    }
    if (c.status == 401) {
      EXPECT_NE(a.challenge.find(c.challenge_has), std::string::npos)
          << c.name << ": " << a.challenge;
    } else {
      EXPECT_TRUE(a.challenge.empty()) << c.name << ": " << a.challenge;
    }
  }
}

TEST_F(TicketRetrieveTest, Iti43OwnFacilityNeedsNoTicket) {
  Answer a = Retrieve({kDoc1, kDoc3}, kOwn, "");
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_NE(a.body.find("content of " + std::string(kDoc1)), std::string::npos);
  EXPECT_NE(a.body.find("content of " + std::string(kDoc3)), std::string::npos);
  EXPECT_NE(a.body.find(":Success"), std::string::npos);
}

TEST_F(TicketRetrieveTest, Iti43ServesOnlyWhatTheTicketCovers) {
  Answer a = Retrieve({kDoc1, kDoc2, kDoc3, kAbsent}, kOther, Ticket({kDoc1, kDoc3}));
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string prefix = std::string(kOther) + "|not_covered|";
    EXPECT_EQ(refusals_,
              (std::vector<std::string>{prefix + kDoc2, prefix + kDoc3, prefix + kAbsent}));
  }
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_NE(a.body.find("content of " + std::string(kDoc1)), std::string::npos);
  EXPECT_EQ(a.body.find("content of " + std::string(kDoc2)), std::string::npos);  // not named
  EXPECT_EQ(a.body.find("content of " + std::string(kDoc3)), std::string::npos);  // P2
  EXPECT_NE(a.body.find("PartialSuccess"), std::string::npos);
  size_t denied = 0;
  for (size_t at = a.body.find("AuthorizationException"); at != std::string::npos;
       at = a.body.find("AuthorizationException", at + 1)) {
    ++denied;
  }
  EXPECT_EQ(denied, 3u) << a.body;  // doc2, doc3, and the absent one the ticket does not name
  EXPECT_EQ(a.body.find("XDSDocumentUniqueIdError"), std::string::npos);

  Answer none = Retrieve({kDoc2}, kOther, Ticket({kDoc1}));
  EXPECT_EQ(none.status, 200);
  EXPECT_NE(none.body.find(":Failure"), std::string::npos) << none.body;

  Answer named = Retrieve({kAbsent}, kOther, Ticket({kAbsent}));
  EXPECT_NE(named.body.find("XDSDocumentUniqueIdError"), std::string::npos) << named.body;
}

TEST_F(TicketRetrieveTest, Iti43RefusesAMissingOrInvalidTicketWithAFault) {
  for (const auto& [name, facility, authorization, detail] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"none", kOther, "", ""},
           {"expired", kOther, Ticket({kDoc1}, kP1, kOther, -60), "expired"},
           {"other requester", kThird, Ticket({kDoc1}), "invalid_token"},
           {"garbage", kOther, "Bearer abc.def.ghi", "invalid_token"}}) {
    Answer a = Retrieve({kDoc1}, facility, authorization);
    EXPECT_EQ(a.status, 401) << name << ": " << a.body;
    EXPECT_NE(a.body.find("Fault"), std::string::npos) << name;
    EXPECT_EQ(a.body.find("content of"), std::string::npos) << name;
    EXPECT_NE(a.challenge.find("Bearer"), std::string::npos) << name;
    EXPECT_NE(a.challenge.find(detail), std::string::npos) << name << ": " << a.challenge;
  }
}

// A document index written before the patient was recorded gets the column; its documents
// have no patient, so another facility's ticket never covers them (the own facility is still
// served).
TEST(DocumentStoreUpgrade, OldIndexGetsAnEmptyPatient) {
  char tmpl[] = "/tmp/ticket_store_upgradeXXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  std::filesystem::create_directories(dir + "/documents/ab");
  std::ofstream(dir + "/documents/ab/old") << "old bytes";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/documents.sqlite").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE documents(unique_id TEXT PRIMARY KEY, file TEXT NOT NULL,"
                         " mime_type TEXT NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL,"
                         " state INTEGER NOT NULL, staged_at INTEGER NOT NULL) WITHOUT ROWID;"
                         "INSERT INTO documents VALUES('1.9.9', 'ab/old', 'text/plain', 'h', 9,"
                         " 1, 0);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  {
    auto store = DocumentStore::Open(dir, {});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto d = (*store)->Find("1.9.9");
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->patient_id, "");
    EXPECT_EQ(d->size, 9u);
  }
  // Opening again (the column exists now) changes nothing.
  auto again = DocumentStore::Open(dir, {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE((*again)->Find("1.9.9").ok());
  again->reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace renkei::repository
