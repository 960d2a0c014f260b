// ITI-71-style token endpoint (issue 5, registry/ticket_endpoint.h) over real HTTP: tickets
// for what the registry's disclosure filter lets the requester see, one per repository
// holder, and every refusal as RFC 6749 §5.2 JSON.
#include "registry/ticket_endpoint.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/http_server.h"
#include "common/patient_id_source.h"
#include "common/tls.h"
#include "directory/disclosure_policy.h"
#include "registry/sqlite_registry_store.h"
#include "trust/certificate_identity.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

constexpr char kP1[] = "P1^^^&1.2.392.200&ISO";
constexpr char kP2[] = "P2^^^&1.2.392.200&ISO";
constexpr char kA[] = "1.2.392.1";  // hospital A, repositories RA1 and RA2
constexpr char kB[] = "1.2.392.2";  // hospital B, repository RB
constexpr char kX[] = "1.2.392.9";  // a viewing clinic
constexpr char kY[] = "1.2.392.8";  // an emergency department: B's LAB grant + break-glass on P1
constexpr char kRA1[] = "1.2.392.1.50.1";
constexpr char kRA2[] = "1.2.392.1.50.2";
constexpr char kRB[] = "1.2.392.2.50.1";
constexpr char kRNone[] = "1.2.392.7.50.1";  // a repository no facility holds
constexpr char kIssuer[] = "https://centre.test/";
constexpr int64_t kNow = 1'800'000'000;
constexpr char kForm[] = "application/x-www-form-urlencoded";

StoredObject Doc(const std::string& id, const std::string& patient, const std::string& submitter,
                 const std::string& repository, const std::string& class_code) {
  StoredObject o;
  o.kind = EntryKind::kDocumentEntry;
  o.id = "urn:uuid:" + id;
  o.lid = o.id;
  o.status = xds::kStatusApproved;
  o.patient_id = patient;
  o.submitter = submitter;
  o.unique_id = "uid." + id;
  o.repository_unique_id = repository;
  o.object_type = xds::kObjectTypeStableDocument;
  o.codes = {{CodeAttr::kClass, class_code, "S"}};
  o.leaf_xml = "<leaf/>";
  return o;
}

// Grants by (viewer, patient).
class FakePolicy : public directory::DisclosurePolicy {
 public:
  Result<directory::PatientAccess> AccessOf(const std::string& requester,
                                            const std::string& patient_id,
                                            const std::string&) const override {
    if (unavailable) return Status::Unavailable("policy", "locked");
    directory::PatientAccess a;
    a.requester = requester;
    auto it = grants.find({requester, patient_id});
    if (it != grants.end()) a.grants = it->second;
    a.break_glass = break_glass.count({requester, patient_id}) > 0;
    return a;
  }
  std::map<std::pair<std::string, std::string>, std::vector<directory::GrantInForce>> grants;
  std::set<std::pair<std::string, std::string>> break_glass;  // (requester, patient) windows
  bool unavailable = false;
};

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
  rapidjson::Document json;
};

class TicketEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteRegistryStore::Open(":memory:");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
    Status st = store_->Apply([](RegistryTransaction& tx) {
      // P1: A's DA1 (LAB, RA1), DA2 (IMG, RA2), DA3 (LAB, in a repository nobody holds);
      //     B's DB1 (LAB, RB), DB2 (IMG, RB). P2: B's DB3 (LAB, RB).
      for (const StoredObject& o :
           {Doc("DA1", kP1, kA, kRA1, "LAB"), Doc("DA2", kP1, kA, kRA2, "IMG"),
            Doc("DA3", kP1, kA, kRNone, "LAB"), Doc("DB1", kP1, kB, kRB, "LAB"),
            Doc("DB2", kP1, kB, kRB, "IMG"), Doc("DB3", kP2, kB, kRB, "LAB")}) {
        RENKEI_RETURN_IF_ERROR(tx.Put(o));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    // X sees all of A's P1 records and B's LAB records of P1 and P2.
    policy_.grants[{kX, kP1}] = {{kA, {}}, {kB, {"LAB"}}};
    policy_.grants[{kX, kP2}] = {{kB, {"LAB"}}};
    // Y sees B's LAB records of P1 by grant, and everything of P1 through break-glass.
    policy_.grants[{kY, kP1}] = {{kB, {"LAB"}}};
    policy_.break_glass.insert({kY, kP1});
    RegistryAuthorization auth;
    auth.policy = &policy_;
    registry_ =
        std::make_unique<DocumentRegistry>(*store_, patients_, nullptr, RegistryOptions{}, auth);
    auto key = trust::GenerateTicketKeyPem();
    ASSERT_TRUE(key.ok());
    auto signer = trust::TicketSigner::Create(*key);
    ASSERT_TRUE(signer.ok());
    signer_ = std::make_shared<trust::TicketSigner>(std::move(signer.value()));
    Start(Options());
  }

  TicketIssuerOptions Options() {
    TicketIssuerOptions o;
    o.signer = signer_;
    o.issuer = kIssuer;
    o.holder_of = [](const std::string& rid) -> Result<std::string> {
      static const std::map<std::string, std::string> holders = {{kRA1, kA}, {kRA2, kA}, {kRB, kB}};
      auto it = holders.find(rid);
      if (it == holders.end()) return Status::NotFound("", "no holder for " + rid);
      return it->second;
    };
    o.access_of = AccessFromPolicy(policy_);
    o.on_issue = [this](const TicketIssueEvent& e) { events_.push_back(e); };
    o.clock = [] { return kNow; };
    o.insecure_holder_is_facility = true;
    return o;
  }

  void Start(TicketIssuerOptions options) {
    server_.reset();
    HttpRouter router;
    AddTicketRoutes(router, *registry_, std::move(options));
    auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& facility,
             const std::string& content_type, const std::string& body) {
    auto client = HttpClient::Create(server_->base_url());
    EXPECT_TRUE(client.ok());
    std::map<std::string, std::string> headers;
    if (!facility.empty()) headers[kFacilityTestHeader] = facility;
    auto r = (*client)->Send(method, path, content_type, body, headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    Reply reply;
    if (!r.ok()) return reply;
    reply.status = r->status;
    reply.content_type = r->content_type;
    reply.body = r->body;
    reply.json.Parse(reply.body.c_str());
    return reply;
  }
  Reply Token(const std::string& facility, const std::string& form) {
    return Call("POST", kTokenPath, facility, kForm, form);
  }
  static std::string Form(const std::string& patient, const std::vector<std::string>& docs) {
    std::string f = "grant_type=client_credentials&patient=";
    for (char c : patient) f += c == '^' ? "%5E" : c == '&' ? "%26" : std::string(1, c);
    for (const std::string& d : docs) f += "&document=" + d;
    return f;
  }
  static std::string Error(const Reply& r) {
    if (!r.json.IsObject() || !r.json.HasMember("error") || !r.json["error"].IsString()) {
      return "<no error member: " + r.body + ">";
    }
    return r.json["error"].GetString();
  }
  trust::AccessTicket Verify(const std::string& jwt, const std::string& audience,
                             const std::string& holder) {
    trust::VerifierOptions vo;
    vo.audience = audience;
    vo.issuer = kIssuer;
    auto v = trust::TicketVerifier::Create({signer_->public_key_pem()}, vo);
    EXPECT_TRUE(v.ok());
    auto t = v->Verify(jwt, holder, kNow + 1);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? t.value() : trust::AccessTicket{};
  }

  FakePolicy policy_;
  ConfiguredPatientIds patients_{{}, true};
  std::unique_ptr<SqliteRegistryStore> store_;
  std::unique_ptr<DocumentRegistry> registry_;
  std::shared_ptr<trust::TicketSigner> signer_;
  std::unique_ptr<HttpServer> server_;
  std::vector<TicketIssueEvent> events_;
};

TEST_F(TicketEndpointTest, IssuesOneTicketBoundToTheRequester) {
  Reply r = Token(kX, Form(kP1, {"uid.DA1"}) + "&purpose_of_use=TREAT&scope=ignored");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type.substr(0, 16), "application/json");
  ASSERT_TRUE(r.json.IsObject()) << r.body;
  EXPECT_STREQ(r.json["token_type"].GetString(), "Bearer");
  EXPECT_EQ(r.json["expires_in"].GetInt64(), trust::kDefaultTicketLifetimeSeconds);
  ASSERT_EQ(r.json["tickets"].Size(), 1u);
  const auto& entry = r.json["tickets"][0];
  EXPECT_STREQ(entry["audience"].GetString(), kA);
  EXPECT_STREQ(entry["repository"].GetString(), kRA1);
  EXPECT_STREQ(entry["access_token"].GetString(), r.json["access_token"].GetString());
  trust::AccessTicket t = Verify(r.json["access_token"].GetString(), kA, kX);
  EXPECT_EQ(t.requester, kX);
  EXPECT_EQ(t.patient, kP1);
  EXPECT_EQ(t.documents, std::vector<std::string>{"uid.DA1"});
  EXPECT_TRUE(t.repositories.empty());
  EXPECT_EQ(t.holder_thumbprint, kX);  // insecure mode: the facility OID
  EXPECT_EQ(t.issued_at, kNow);
  EXPECT_EQ(t.expires_at, kNow + trust::kDefaultTicketLifetimeSeconds);
  EXPECT_EQ(t.purpose_of_use, "TREAT");
  EXPECT_TRUE(trust::Covers(t, kP1, kRA1, "uid.DA1"));
  // The node of another facility refuses it.
  trust::VerifierOptions vo;
  vo.audience = kB;
  auto other = trust::TicketVerifier::Create({signer_->public_key_pem()}, vo);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->Verify(r.json["access_token"].GetString(), kX, kNow).status().detail(),
            trust::kTicketWrongAudience);

  ASSERT_EQ(events_.size(), 1u);
  EXPECT_TRUE(events_[0].outcome.ok());
  EXPECT_EQ(events_[0].requester, kX);
  EXPECT_EQ(events_[0].patient, kP1);
  EXPECT_EQ(events_[0].purpose_of_use, "TREAT");
  ASSERT_EQ(events_[0].tickets.size(), 1u);
  EXPECT_FALSE(events_[0].tickets[0].id.empty());
}

TEST_F(TicketEndpointTest, OneTicketPerRepository) {
  Reply r = Token(kX, Form(kP1, {"uid.DB1", "uid.DA1", "uid.DA2", "uid.DA1"}));
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["tickets"].Size(), 3u) << r.body;
  const struct {
    const char* audience;
    const char* repository;
    std::vector<std::string> documents;
  } want[] = {{kB, kRB, {"uid.DB1"}}, {kA, kRA1, {"uid.DA1"}}, {kA, kRA2, {"uid.DA2"}}};
  for (size_t i = 0; i < 3; ++i) {
    const auto& e = r.json["tickets"][static_cast<rapidjson::SizeType>(i)];
    EXPECT_STREQ(e["audience"].GetString(), want[i].audience);
    EXPECT_STREQ(e["repository"].GetString(), want[i].repository);
    trust::AccessTicket t = Verify(e["access_token"].GetString(), want[i].audience, kX);
    EXPECT_EQ(t.documents, want[i].documents) << i;
    ASSERT_EQ(e["documents"].Size(), want[i].documents.size());
    EXPECT_EQ(e["documents"][0].GetString(), want[i].documents[0]);
  }
  EXPECT_STREQ(r.json["access_token"].GetString(),
               r.json["tickets"][0]["access_token"].GetString());
}

TEST_F(TicketEndpointTest, OwnRecordsNeedNoGrant) {
  Reply r = Token(kB, Form(kP1, {"uid.DB2"}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Verify(r.json["access_token"].GetString(), kB, kB).requester, kB);
}

TEST_F(TicketEndpointTest, Refusals) {
  const std::string p1 = Form(kP1, {});
  struct Case {
    const char* name;
    std::string facility;
    std::string content_type;
    std::string body;
    int status;
    const char* error;
  };
  const Case cases[] = {
      {"document not visible (class not granted)", kX, kForm, Form(kP1, {"uid.DB2"}), 403,
       "access_denied"},
      {"one of two not visible", kX, kForm, Form(kP1, {"uid.DA1", "uid.DB2"}), 403,
       "access_denied"},
      {"unknown document", kX, kForm, Form(kP1, {"uid.nothing"}), 403, "access_denied"},
      {"no grant at all", "1.2.392.66", kForm, Form(kP1, {"uid.DA1"}), 403, "access_denied"},
      {"document of another patient", kX, kForm, Form(kP1, {"uid.DB3"}), 400, "invalid_request"},
      {"no grant_type", kX, kForm, "patient=x&document=uid.DA1", 400, "invalid_request"},
      {"password grant", kX, kForm, "grant_type=password&patient=x&document=uid.DA1", 400,
       "unsupported_grant_type"},
      {"no patient", kX, kForm, "grant_type=client_credentials&document=uid.DA1", 400,
       "invalid_request"},
      {"patient twice", kX, kForm, Form(kP1, {"uid.DA1"}) + "&patient=Q", 400, "invalid_request"},
      {"grant_type twice", kX, kForm, Form(kP1, {"uid.DA1"}) + "&grant_type=client_credentials",
       400, "invalid_request"},
      {"no document", kX, kForm, p1, 400, "invalid_request"},
      {"empty document", kX, kForm, p1 + "&document=", 400, "invalid_request"},
      {"document with a space", kX, kForm, p1 + "&document=a+b", 400, "invalid_request"},
      {"quote in a document id", kX, kForm, p1 + "&document=x')%20OR%20('1", 400,
       "invalid_request"},
      {"bad escape", kX, kForm, p1 + "&document=%zz", 400, "invalid_request"},
      {"truncated escape", kX, kForm, p1 + "&document=%4", 400, "invalid_request"},
      {"JSON body", kX, "application/json", "{\"grant_type\":\"client_credentials\"}", 400,
       "invalid_request"},
      {"no requesting facility", "", kForm, Form(kP1, {"uid.DA1"}), 401, "invalid_client"},
      {"holder unknown", kX, kForm, Form(kP1, {"uid.DA3"}), 500, "server_error"},
      {"too large", kX, kForm, Form(kP1, {"uid.DA1"}) + "&pad=" + std::string(70000, 'a'), 413,
       "invalid_request"},
  };
  for (const Case& c : cases) {
    events_.clear();
    Reply r = Call("POST", kTokenPath, c.facility, c.content_type, c.body);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    EXPECT_EQ(Error(r), c.error) << c.name;
    EXPECT_FALSE(r.json.HasParseError()) << c.name;
    EXPECT_EQ(r.body.find("access_token"), std::string::npos) << c.name;
    ASSERT_EQ(events_.size(), 1u) << c.name;
    EXPECT_FALSE(events_[0].outcome.ok()) << c.name;
    EXPECT_EQ(events_[0].outcome.detail(), c.error) << c.name;
    EXPECT_TRUE(events_[0].tickets.empty()) << c.name;
  }
  // An invisible document and an unknown one are refused alike: nothing says which exists.
  Reply hidden = Token(kX, Form(kP1, {"uid.DB2"}));
  Reply unknown = Token(kX, Form(kP1, {"uid.nothing"}));
  EXPECT_EQ(hidden.body, unknown.body);
}

TEST_F(TicketEndpointTest, PlainHttpWithoutInsecureModeIsRefused) {
  TicketIssuerOptions o = Options();
  o.insecure_holder_is_facility = false;
  Start(std::move(o));
  Reply r = Token(kX, Form(kP1, {"uid.DA1"}));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Error(r), "invalid_request");
}

TEST_F(TicketEndpointTest, PolicyUnavailable) {
  policy_.unavailable = true;
  Reply r = Token(kX, Form(kP1, {"uid.DA1"}));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Error(r), "temporarily_unavailable");
}

TEST_F(TicketEndpointTest, UnconfiguredAnswersServerError) {
  TicketIssuerOptions o = Options();
  o.holder_of = nullptr;
  Start(std::move(o));
  Reply r = Token(kX, Form(kP1, {"uid.DA1"}));
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(Error(r), "server_error");
}

// Break-glass (docs/access-tickets.md): a ticket holding a document the requester sees only
// through a break-glass window says BTG whatever was asked; BTG without a window is refused;
// other purposes are copied. Y: B's LAB records of P1 by grant, the rest of P1 by
// break-glass. X: grants only. B: its own records, no window.
TEST_F(TicketEndpointTest, PurposeOfUseFollowsBreakGlass) {
  struct Case {
    const char* name;
    const char* facility;
    std::vector<std::string> documents;
    const char* asked;  // purpose_of_use sent ("" = none)
    int status;
    std::map<std::string, std::string> purpose_by_repository;  // 200: each ticket's purpose
    const char* event_purpose;
  };
  const Case cases[] = {
      {"granted, nothing asked", kY, {"uid.DB1"}, "", 200, {{kRB, ""}}, ""},
      {"granted, TREAT copied", kY, {"uid.DB1"}, "TREAT", 200, {{kRB, "TREAT"}}, "TREAT"},
      {"break-glass only, nothing asked", kY, {"uid.DA1"}, "", 200, {{kRA1, "BTG"}}, "BTG"},
      {"break-glass only, TREAT overridden", kY, {"uid.DA1"}, "TREAT", 200, {{kRA1, "BTG"}}, "BTG"},
      {"granted and break-glass in two tickets",
       kY,
       {"uid.DB1", "uid.DA2"},
       "TREAT",
       200,
       {{kRB, "TREAT"}, {kRA2, "BTG"}},
       "BTG"},
      {"granted and break-glass in one ticket",
       kY,
       {"uid.DB1", "uid.DB2"},
       "",
       200,
       {{kRB, "BTG"}},
       "BTG"},
      {"BTG asked with a window in force", kY, {"uid.DB1"}, "BTG", 200, {{kRB, "BTG"}}, "BTG"},
      {"btg is not BTG: copied", kX, {"uid.DA1"}, "btg", 200, {{kRA1, "btg"}}, "btg"},
      {"grant only, TREAT copied", kX, {"uid.DA1"}, "TREAT", 200, {{kRA1, "TREAT"}}, "TREAT"},
      {"BTG asked with grants but no window", kX, {"uid.DA1"}, "BTG", 403, {}, "BTG"},
      {"BTG asked for own records, no window", kB, {"uid.DB2"}, "BTG", 403, {}, "BTG"},
      {"own records, TREAT copied", kB, {"uid.DB2"}, "TREAT", 200, {{kRB, "TREAT"}}, "TREAT"},
      {"break-glass of another patient does not count", kY, {"uid.DB3"}, "", 403, {}, ""},
  };
  for (const Case& c : cases) {
    events_.clear();
    const std::string patient = c.documents[0] == "uid.DB3" ? kP2 : kP1;
    std::string form = Form(patient, c.documents);
    if (*c.asked) form += std::string("&purpose_of_use=") + c.asked;
    Reply r = Token(c.facility, form);
    ASSERT_EQ(r.status, c.status) << c.name << ": " << r.body;
    ASSERT_EQ(events_.size(), 1u) << c.name;
    EXPECT_EQ(events_[0].purpose_of_use, c.event_purpose) << c.name;
    EXPECT_EQ(events_[0].requested_purpose_of_use, c.asked) << c.name;
    if (c.status != 200) {
      EXPECT_EQ(Error(r), "access_denied") << c.name;
      EXPECT_EQ(events_[0].outcome.detail(), "access_denied") << c.name;
      EXPECT_TRUE(events_[0].tickets.empty()) << c.name;
      EXPECT_EQ(r.body.find("access_token"), std::string::npos) << c.name;
      continue;
    }
    ASSERT_EQ(r.json["tickets"].Size(), c.purpose_by_repository.size()) << c.name << r.body;
    ASSERT_EQ(events_[0].tickets.size(), c.purpose_by_repository.size()) << c.name;
    for (rapidjson::SizeType i = 0; i < r.json["tickets"].Size(); ++i) {
      const auto& e = r.json["tickets"][i];
      const std::string repository = e["repository"].GetString();
      ASSERT_EQ(c.purpose_by_repository.count(repository), 1u) << c.name << ": " << repository;
      const std::string& want = c.purpose_by_repository.at(repository);
      // The signed claim, not only the answer, says it.
      trust::AccessTicket t =
          Verify(e["access_token"].GetString(), e["audience"].GetString(), c.facility);
      EXPECT_EQ(t.purpose_of_use, want) << c.name << ": " << repository;
      EXPECT_EQ(events_[0].tickets[i].purpose_of_use, want) << c.name << ": " << repository;
    }
  }
}

// The window closed between the registry's answer and access_of, or the policy cannot say:
// nothing is issued.
TEST_F(TicketEndpointTest, AccessOfDecidesWhenThePolicyChanged) {
  struct Case {
    const char* name;
    std::function<Result<directory::PatientAccess>(const std::string&, const std::string&)>
        access_of;
    int status;
    const char* error;
  };
  const Case cases[] = {
      {"window closed",
       [](const std::string& r, const std::string&) -> Result<directory::PatientAccess> {
         directory::PatientAccess a;
         a.requester = r;
         return a;
       },
       403, "access_denied"},
      {"policy locked",
       [](const std::string&, const std::string&) -> Result<directory::PatientAccess> {
         return Status::Unavailable("policy", "locked");
       },
       503, "temporarily_unavailable"},
      {"policy broken",
       [](const std::string&, const std::string&) -> Result<directory::PatientAccess> {
         return Status::Internal("policy", "corrupt");
       },
       500, "server_error"},
  };
  for (const Case& c : cases) {
    TicketIssuerOptions o = Options();
    o.access_of = c.access_of;
    Start(std::move(o));
    events_.clear();
    Reply r = Token(kY, Form(kP1, {"uid.DA1"}));
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    EXPECT_EQ(Error(r), c.error) << c.name;
    ASSERT_EQ(events_.size(), 1u) << c.name;
    EXPECT_EQ(events_[0].outcome.detail(), c.error) << c.name;
    EXPECT_TRUE(events_[0].tickets.empty()) << c.name;
  }
}

// Without access_of (a centre not wired for it) nothing can be confirmed as break-glass:
// BTG is refused, other purposes are copied, no ticket says BTG.
TEST_F(TicketEndpointTest, WithoutAccessOfBtgIsNeverIssued) {
  TicketIssuerOptions o = Options();
  o.access_of = nullptr;
  Start(std::move(o));
  const struct {
    const char* name;
    const char* facility;
    const char* document;
    const char* asked;
    int status;
  } cases[] = {
      {"break-glass window, BTG asked", kY, "uid.DA1", "BTG", 403},
      {"own records, BTG asked", kB, "uid.DB2", "BTG", 403},
      {"grant, TREAT asked", kX, "uid.DA1", "TREAT", 200},
      {"break-glass window, nothing asked", kY, "uid.DA1", "", 200},
  };
  for (const auto& c : cases) {
    events_.clear();
    std::string form = Form(kP1, {c.document});
    if (*c.asked) form += std::string("&purpose_of_use=") + c.asked;
    Reply r = Token(c.facility, form);
    ASSERT_EQ(r.status, c.status) << c.name << ": " << r.body;
    ASSERT_EQ(events_.size(), 1u) << c.name;
    if (c.status != 200) {
      EXPECT_EQ(Error(r), "access_denied") << c.name;
      continue;
    }
    EXPECT_EQ(Verify(r.json["access_token"].GetString(),
                     r.json["tickets"][0]["audience"].GetString(), c.facility)
                  .purpose_of_use,
              c.asked)
        << c.name;
    EXPECT_EQ(events_[0].purpose_of_use, c.asked) << c.name;
  }
}

TEST_F(TicketEndpointTest, JwksVerifiesIssuedTickets) {
  Reply keys = Call("GET", kJwksPath, kX, "", "");
  ASSERT_EQ(keys.status, 200);
  EXPECT_EQ(keys.content_type, "application/jwk-set+json");
  Reply r = Token(kX, Form(kP1, {"uid.DA1"}));
  ASSERT_EQ(r.status, 200) << r.body;
  trust::VerifierOptions vo;
  vo.audience = kA;
  auto v = trust::TicketVerifier::FromJwks(keys.body, vo);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->Verify(r.json["access_token"].GetString(), kX, kNow).ok());
  Reply post = Call("POST", kJwksPath, kX, kForm, "");
  EXPECT_EQ(post.status, 405);
}

// Over mutual TLS the ticket is bound to the requester's certificate (RFC 8705 §3.1): `cnf`
// `x5t#S256` is the SHA-256 thumbprint of the certificate it presented, and `sub` the
// facility in it. PKI from common/testdata/make_test_pki.sh (client "good", facility ...11).
TEST_F(TicketEndpointTest, BindsTheTicketToTheClientCertificate) {
  namespace fs = std::filesystem;
  constexpr char kGood[] = "1.2.392.100495.20.3.51.1.11";
  const fs::path pki =
      fs::temp_directory_path() / ("ticket_endpoint_pki_" + std::to_string(getpid()));
  fs::remove_all(pki);
  const std::string script =
      std::string(RENKEI_REGISTRY_SOURCE_ROOT) + "/common/testdata/make_test_pki.sh";
  ASSERT_EQ(std::system((script + " " + pki.string() + " >/dev/null 2>&1").c_str()), 0);
  auto files = [&](const std::string& who) {
    return TlsFiles{(pki / (who + ".cert.pem")).string(), (pki / (who + ".key.pem")).string(),
                    (pki / "ca.cert.pem").string(), (pki / "crl.pem").string()};
  };
  std::ifstream in(files("good").cert);
  std::stringstream pem;
  pem << in.rdbuf();
  auto good = trust::IdentityOfPem(pem.str());
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  policy_.grants[{kGood, kP1}] = {{kA, {}}};

  HttpRouter router;
  TicketIssuerOptions o = Options();
  o.insecure_holder_is_facility = false;
  AddTicketRoutes(router, *registry_, std::move(o));
  auto server_tls = TlsContext::Server(files("server"));
  ASSERT_TRUE(server_tls.ok()) << server_tls.status().ToString();
  HttpServerOptions so;
  so.tls = *server_tls;
  auto server = HttpServer::Start(so, std::move(router));
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto client_tls = TlsContext::Client(files("good"));
  ASSERT_TRUE(client_tls.ok()) << client_tls.status().ToString();
  auto client = HttpClient::Create((*server)->base_url(), 30, *client_tls);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  // The test header is ignored under TLS: the facility is the certificate's.
  auto reply = (*client)->Send("POST", kTokenPath, kForm, Form(kP1, {"uid.DA1"}),
                               {{kFacilityTestHeader, kX}});
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_EQ(reply->status, 200) << reply->body;
  rapidjson::Document json;
  json.Parse(reply->body.c_str());
  ASSERT_TRUE(json.IsObject());
  trust::AccessTicket t = Verify(json["access_token"].GetString(), kA, good->sha256);
  EXPECT_EQ(t.requester, kGood);
  EXPECT_EQ(t.holder_thumbprint, good->sha256);
  server->reset();
  fs::remove_all(pki);
}

}  // namespace
}  // namespace renkei::registry
