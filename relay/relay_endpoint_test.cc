// The centre's streaming retrieve relay (relay/relay_endpoint.h) over real HTTP, between a
// consumer (common/http_client.h) and a stand-in node (an HttpServer recording what it got):
// what is forwarded (the relay ticket, the body), what comes back byte for byte (with and
// without Content-Length), and every refusal — which never reaches the node.
#include "relay/relay_endpoint.h"

#include <gtest/gtest.h>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/http_server.h"
#include "common/peer.h"
#include "trust/bearer.h"

namespace renkei::relay {
namespace {

constexpr char kCentre[] = "1.2.392.100.1";  // the relay's facility
constexpr char kNode[] = "1.2.392.100.20";   // the hospital whose node is relayed to
constexpr char kClinic[] = "1.2.392.100.30";
constexpr char kOther[] = "1.2.392.100.31";
constexpr char kIssuer[] = "https://centre.test/";
constexpr char kPatient[] = "P1^^^&1.2.392.200&ISO";
constexpr int64_t kNow = 1'800'000'000;

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = trust::GenerateTicketKeyPem();
    ASSERT_TRUE(key.ok());
    auto signer = trust::TicketSigner::Create(*key);
    ASSERT_TRUE(signer.ok());
    signer_ = std::make_shared<const trust::TicketSigner>(std::move(signer.value()));
    trust::VerifierOptions vo;
    vo.audience = kNode;
    vo.issuer = kIssuer;
    auto verifier = trust::TicketVerifier::Create({signer_->public_key_pem()}, vo);
    ASSERT_TRUE(verifier.ok());
    node_verifier_ = std::make_unique<trust::TicketVerifier>(std::move(verifier.value()));

    // The stand-in node: records each request; /fhir/Binary/big answers 1 MB with a length,
    // /fhir/Binary/chunked 300 KB chunked, /xds/repository echoes the body, /fhir/Binary/
    // denied answers the node's own 401.
    HttpRouter node;
    node.Prefix("GET", "/fhir/", [this](Poco::Net::HTTPServerRequest& q,
                                         Poco::Net::HTTPServerResponse& r) {
      Record(q, "");
      const std::string& uri = q.getURI();
      if (uri == "/fhir/Binary/big?x=1") {
        SendResponse(r, 200, "application/pdf", big_);
      } else if (uri == "/fhir/Binary/chunked") {
        r.setChunkedTransferEncoding(true);
        r.setContentType("text/plain");
        std::ostream& out = r.send();
        const std::string part = Pattern(300 * 1024);
        for (size_t at = 0; at < part.size(); at += 10000) out << part.substr(at, 10000);
      } else {
        r.set("WWW-Authenticate", "Bearer realm=\"node\"");
        SendResponse(r, 401, "application/fhir+json", "{\"resourceType\":\"OperationOutcome\"}");
      }
    });
    node.Exact("POST", "/xds/repository", [this](Poco::Net::HTTPServerRequest& q,
                                                  Poco::Net::HTTPServerResponse& r) {
      auto body = ReadRequestBody(q, 1 << 20);
      Record(q, body.ok() ? *body : "");
      SendResponse(r, 200, q.getContentType(), body.ok() ? *body : "");
    });
    HttpServerOptions no;
    auto n = HttpServer::Start(no, std::move(node));
    ASSERT_TRUE(n.ok());
    node_ = std::move(n.value());

    RelayOptions o;
    o.node_of = [this](const std::string& oid) -> Result<std::string> {
      if (oid == kNode) return node_->base_url();
      if (oid == "1.2.392.100.21") return std::string("http://127.0.0.1:1");  // nobody listens
      return Status::NotFound("directory", "no node for " + oid);
    };
    o.signer = signer_;
    o.issuer = kIssuer;
    o.relay_facility = kCentre;
    o.relay_thumbprint = kCentre;
    o.insecure_holder_is_facility = true;
    o.clock = [] { return kNow; };
    o.on_relay = [this](const RelayEvent& e) {
      std::lock_guard<std::mutex> l(mu_);
      events_.push_back(e);
    };
    HttpRouter router;
    AddRelayRoutes(router, std::move(o));
    auto r = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(r.ok());
    relay_ = std::move(r.value());
  }

  void Record(Poco::Net::HTTPServerRequest& q, const std::string& body) {
    std::lock_guard<std::mutex> l(mu_);
    seen_.push_back({q.getURI(), q.get("Authorization", ""), RequestPeer(q).facility_oid, body,
                     q.getContentType()});
  }

  trust::AccessTicket Ticket() const {
    trust::AccessTicket t;
    t.issuer = kIssuer;
    t.requester = kClinic;
    t.audience = kNode;
    t.issued_at = kNow - 10;
    t.holder_thumbprint = kClinic;  // insecure loopback: bound to the facility OID
    t.patient = kPatient;
    t.documents = {"1.2.392.100.20.9.1"};
    return t;
  }
  std::string Bearer(const trust::AccessTicket& t) {
    auto jwt = signer_->Issue(t);
    EXPECT_TRUE(jwt.ok()) << jwt.status().ToString();
    return jwt.ok() ? "Bearer " + jwt.value() : std::string();
  }

  HttpReply Call(const std::string& method, const std::string& path, const std::string& auth,
                 const std::string& as = kClinic, const std::string& body = "",
                 const std::string& content_type = "") {
    auto c = HttpClient::Create(relay_->base_url());
    EXPECT_TRUE(c.ok());
    std::map<std::string, std::string> h = {{kFacilityTestHeader, as}};
    if (!auth.empty()) h["Authorization"] = auth;
    auto r = (*c)->Send(method, path, content_type, body, h);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : HttpReply{};
  }

  // The relay records its event after the answer went out: wait (2 s at most) until `n` are
  // recorded, then a copy of them.
  std::vector<RelayEvent> EventsAtLeast(size_t n) {
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard<std::mutex> l(mu_);
        if (events_.size() >= n) return events_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard<std::mutex> l(mu_);
    return events_;
  }

  struct Seen {
    std::string uri, authorization, facility, body, content_type;
  };
  std::shared_ptr<const trust::TicketSigner> signer_;
  std::unique_ptr<trust::TicketVerifier> node_verifier_;
  const std::string big_ = Pattern(1 << 20);
  std::unique_ptr<HttpServer> node_;
  std::unique_ptr<HttpServer> relay_;
  std::mutex mu_;
  std::vector<Seen> seen_;
  std::vector<RelayEvent> events_;
};

TEST_F(RelayTest, ForwardsWithARelayTicketAndStreamsTheAnswerBack) {
  HttpReply r = Call("GET", "/relay/1.2.392.100.20/fhir/Binary/big?x=1", Bearer(Ticket()));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/pdf");
  ASSERT_EQ(r.body.size(), big_.size());
  EXPECT_TRUE(r.body == big_);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].uri, "/fhir/Binary/big?x=1");
  // The node sees the centre (test header in insecure mode), with a ticket the node's own
  // verifier accepts from the centre: the consumer's claims, act = the centre.
  EXPECT_EQ(seen_[0].facility, kCentre);
  ASSERT_EQ(seen_[0].authorization.rfind("Bearer ", 0), 0u);
  auto t = node_verifier_->Verify(seen_[0].authorization.substr(7), kCentre, kNow);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->requester, kClinic);
  EXPECT_EQ(t->actor, kCentre);
  EXPECT_EQ(t->patient, kPatient);
  EXPECT_EQ(t->documents, Ticket().documents);
  EXPECT_LE(t->expires_at, Ticket().issued_at + trust::kDefaultTicketLifetimeSeconds);
  // The consumer's own ticket never reaches the node.
  EXPECT_EQ(seen_[0].authorization.find(Bearer(Ticket()).substr(7)), std::string::npos);
  const std::vector<RelayEvent> events = EventsAtLeast(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].outcome.ok()) << events[0].outcome.ToString();
  EXPECT_EQ(events[0].requester, kClinic);
  EXPECT_EQ(events[0].target, kNode);
  EXPECT_EQ(events[0].path, "/fhir/Binary/big");
  EXPECT_EQ(events[0].patient, kPatient);
  EXPECT_EQ(events[0].status, 200);
  EXPECT_EQ(events[0].bytes, big_.size());
}

TEST_F(RelayTest, ChunkedAnswersPostBodiesAndTheNodesOwnRefusalsPassThrough) {
  HttpReply chunked = Call("GET", "/relay/1.2.392.100.20/fhir/Binary/chunked", Bearer(Ticket()));
  EXPECT_EQ(chunked.status, 200);
  EXPECT_TRUE(chunked.body == Pattern(300 * 1024)) << chunked.body.size();

  const std::string soap = "<Envelope>" + Pattern(5000) + "</Envelope>";
  const std::string ct = "application/soap+xml; charset=UTF-8";
  HttpReply post = Call("POST", "/relay/1.2.392.100.20/xds/repository", Bearer(Ticket()), kClinic,
                        soap, ct);
  EXPECT_EQ(post.status, 200);
  EXPECT_EQ(post.body, soap);
  EXPECT_EQ(post.content_type, ct);
  ASSERT_EQ(seen_.size(), 2u);
  EXPECT_EQ(seen_[1].body, soap);
  EXPECT_EQ(seen_[1].content_type, ct);

  HttpReply denied = Call("GET", "/relay/1.2.392.100.20/fhir/Binary/other", Bearer(Ticket()));
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.body, "{\"resourceType\":\"OperationOutcome\"}");
  const std::vector<RelayEvent> events = EventsAtLeast(3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].status, 401);
  EXPECT_TRUE(events[2].outcome.ok());  // relayed: the refusal is the node's
}

TEST_F(RelayTest, RefusalsNeverReachTheNode) {
  auto with = [&](auto edit) {
    trust::AccessTicket t = Ticket();
    edit(t);
    return Bearer(t);
  };
  const std::string good = Bearer(Ticket());
  struct Case {
    const char* name;
    std::string path;
    std::string auth;
    std::string as;
    int status;
    std::string detail;  // of the RelayEvent's outcome
  };
  const std::string binary = "/relay/1.2.392.100.20/fhir/Binary/big?x=1";
  const Case cases[] = {
      {"no ticket", binary, "", kClinic, 401, trust::kTicketMissing},
      {"not bearer", binary, "Basic eDp5", kClinic, 401, trust::kTicketBadRequest},
      {"garbage", binary, "Bearer a.b.c", kClinic, 401, trust::kTicketInvalid},
      {"ticket for another node", binary,
       with([](trust::AccessTicket& t) { t.audience = "1.2.392.100.29"; }), kClinic, 401,
       trust::kTicketWrongAudience},
      {"another facility's ticket", binary, good, kOther, 401, trust::kTicketWrongHolder},
      {"issued to another facility, same holder", binary,
       with([](trust::AccessTicket& t) { t.requester = kOther; }), kClinic, 401,
       trust::kTicketWrongRequester},
      {"a relay ticket relayed again", binary,
       with([](trust::AccessTicket& t) { t.actor = kCentre; }), kClinic, 401,
       trust::kTicketWrongRequester},
      {"expired", binary,
       with([](trust::AccessTicket& t) {
         t.issued_at = kNow - 600;
         t.expires_at = kNow - 300;
       }),
       kClinic, 401, trust::kTicketExpired},
      {"unknown facility", "/relay/1.2.392.100.29/fhir/Binary/x",
       with([](trust::AccessTicket& t) { t.audience = "1.2.392.100.29"; }), kClinic, 404,
       "relay"},
      {"node down", "/relay/1.2.392.100.21/fhir/Binary/x",
       with([](trust::AccessTicket& t) { t.audience = "1.2.392.100.21"; }), kClinic, 502,
       "relay"},
  };
  for (const Case& c : cases) {
    const size_t events_before = EventsAtLeast(0).size();
    HttpReply r = Call("GET", c.path, c.auth, c.as);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    const std::vector<RelayEvent> events = EventsAtLeast(events_before + 1);
    ASSERT_EQ(events.size(), events_before + 1) << c.name;
    EXPECT_FALSE(events.back().outcome.ok()) << c.name;
    EXPECT_EQ(events.back().outcome.detail(), c.detail) << c.name;
    EXPECT_EQ(events.back().status, c.status) << c.name;
    EXPECT_EQ(events.back().requester, c.as) << c.name;
  }
  // Paths outside the node's protocol paths, or escaping them: 400 before any ticket check.
  for (const char* path :
       {"/relay/1.2.392.100.20", "/relay/1.2.392.100.20/", "/relay/1.2.392.100.20/etc/passwd",
        "/relay/1.2.392.100.20/fhir/../oauth2/token", "/relay/1.2.392.100.20/fhir/%2e%2e/x",
        "/relay/1.2.392.100.20/fhir/Binary%2F..%2Fx", "/relay/1.2.392.100.20/fhir//Binary",
        "/relay/1.2.392.100.20/fhir/a\\b", "/relay/1.2.392.100.20/fhir/./Binary",
        "/relay/abc/fhir/Binary/x", "/relay/1..2/fhir/Binary/x", "/relay//fhir/Binary/x",
        "/relay/1.2.392.100.20/xds/registry"}) {
    HttpReply r = Call("GET", path, good);
    EXPECT_EQ(r.status, 400) << path << ": " << r.body;
  }
  EXPECT_TRUE(seen_.empty()) << seen_.size() << " requests reached the node";
  // A FHIR path gets an OperationOutcome, the SOAP path plain text.
  EXPECT_NE(Call("GET", binary, "").body.find("OperationOutcome"), std::string::npos);
  EXPECT_EQ(Call("POST", "/relay/1.2.392.100.20/xds/repository", "", kClinic, "<x/>",
                 "application/soap+xml")
                .body.find("OperationOutcome"),
            std::string::npos);
}

TEST(RelayOrigin, OfAnEndpointUrl) {
  EXPECT_EQ(OriginOf("https://node.example:8443/xds/repository").value(), "https://node.example:8443");
  EXPECT_EQ(OriginOf("http://127.0.0.1:9000/fhir/Binary").value(), "http://127.0.0.1:9000");
  EXPECT_FALSE(OriginOf("ftp://x/y").ok());
  EXPECT_FALSE(OriginOf("/relative").ok());
}

TEST(RelayConfig, ABrokenRelayAnswers500) {
  HttpRouter router;
  AddRelayRoutes(router, RelayOptions{});
  auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
  ASSERT_TRUE(server.ok());
  auto c = HttpClient::Create((*server)->base_url());
  ASSERT_TRUE(c.ok());
  auto r = (*c)->Send("GET", "/relay/1.2.3/fhir/Binary/x", "", "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
}

}  // namespace
}  // namespace renkei::relay
