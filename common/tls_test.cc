// ITI-19 Authenticate Node: mutual TLS listeners and clients (common/tls.h, HttpServer,
// HttpClient) against a PKI made by the openssl command line (testdata/make_test_pki.sh).
#include "common/tls.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "common/http_client.h"
#include "common/http_server.h"

namespace renkei {
namespace {

constexpr char kServerOid[] = "1.2.392.100495.20.3.51.1.99";
constexpr char kGoodOid[] = "1.2.392.100495.20.3.51.1.11";

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(std::filesystem::temp_directory_path() /
                           ("renkei-tls-" + std::to_string(::getpid())));
    const std::string script = std::string(std::getenv("RENKEI_SOURCE_DIR")) +
                               "/common/testdata/make_test_pki.sh";
    ASSERT_EQ(std::system((script + " " + *dir_ + " >/dev/null").c_str()), 0);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string F(const std::string& name) { return *dir_ + "/" + name; }
  static TlsFiles Files(const std::string& who, const std::string& crl = "") {
    return {F(who + ".cert.pem"), F(who + ".key.pem"), F("ca.cert.pem"), crl};
  }

  void SetUp() override {
    std::filesystem::copy_file(F("crl.pem"), F("live-crl.pem"),
                               std::filesystem::copy_options::overwrite_existing);
    auto ctx = TlsContext::Server(Files("server", F("live-crl.pem")));
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    server_tls_ = *ctx;
    HttpRouter router;
    router.Exact("GET", "/whoami", [](Poco::Net::HTTPServerRequest& req,
                                      Poco::Net::HTTPServerResponse& resp) {
      const Peer& p = RequestPeer(req);
      SendResponse(resp, 200, "text/plain", p.facility_oid + "|" + p.common_name + "|" +
                                                std::to_string(static_cast<int>(p.source)));
    });
    router.Exact("GET", "/big", [](Poco::Net::HTTPServerRequest& req,
                                   Poco::Net::HTTPServerResponse& resp) {
      static const std::string a(70000, 'a'), b(90000, 'b');
      resp.setContentType("text/plain");
      SendWhole(req, resp, {a, b});
    });
    router.Exact("GET", "/file", [this](Poco::Net::HTTPServerRequest& req,
                                        Poco::Net::HTTPServerResponse& resp) {
      resp.setContentType("application/octet-stream");
      (void)SendStreamed(req, resp, file_size_, [this](ResponseBodyWriter& w) {
        return w.WriteFile(F("payload.bin"), file_size_);
      });
    });
    HttpServerOptions opts;
    opts.tls = server_tls_;
    auto server = HttpServer::Start(opts, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
    SetTlsRefusalHook([this](const std::string& address, const std::string& reason) {
      std::lock_guard<std::mutex> lock(mu_);
      refusals_.push_back(reason);
    });
  }
  void TearDown() override {
    SetTlsRefusalHook(nullptr);
    server_.reset();
  }

  // A GET with a client context of `who` (empty: no client certificate). Returns the body,
  // or "ERROR: ..." when the connection was refused.
  std::string Get(const std::string& who, const std::string& path,
                  const std::map<std::string, std::string>& headers = {}) {
    try {
      Poco::Net::Context::Ptr ctx =
          who.empty() ? new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, F("ca.cert.pem"),
                                               Poco::Net::Context::VERIFY_RELAXED)
                      : new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE,
                                               F(who + ".key.pem"), F(who + ".cert.pem"),
                                               F("ca.cert.pem"), Poco::Net::Context::VERIFY_RELAXED);
      Poco::Net::HTTPSClientSession s("127.0.0.1", static_cast<Poco::UInt16>(server_->port()),
                                      ctx);
      s.setTimeout(Poco::Timespan(10, 0));
      Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
      for (const auto& [k, v] : headers) req.set(k, v);
      s.sendRequest(req);
      Poco::Net::HTTPResponse resp;
      std::istream& in = s.receiveResponse(resp);
      std::string body;
      Poco::StreamCopier::copyToString(in, body);
      return body;
    } catch (const Poco::Exception& e) {
      return "ERROR: " + e.displayText();
    }
  }

  // The refusals reported so far, after waiting (up to 5 s) for at least `want`: the client
  // sees the failed handshake before the server's thread has reported it.
  std::vector<std::string> Refusals(size_t want = 1) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (refusals_.size() >= want) return refusals_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard<std::mutex> lock(mu_);
    return refusals_;
  }
  void ClearRefusals() {
    std::lock_guard<std::mutex> lock(mu_);
    refusals_.clear();
  }

  static std::string* dir_;
  std::shared_ptr<TlsContext> server_tls_;
  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::vector<std::string> refusals_;
  uint64_t file_size_ = 0;
};

std::string* TlsTest::dir_ = nullptr;

TEST_F(TlsTest, FacilityComesFromTheVerifiedCertificateNeverFromTheHeader) {
  EXPECT_EQ(server_->base_url().rfind("https://", 0), 0u);
  const std::string body = Get("good", "/whoami", {{kFacilityTestHeader, "9.9.9"}});
  EXPECT_EQ(body, std::string(kGoodOid) + "|Good Clinic|0");
  EXPECT_TRUE(Refusals(0).empty());
}

TEST_F(TlsTest, RefusedClientsAreReportedAndGetNoAnswer) {
  struct Case {
    std::string who;
    std::string reason_part;
  };
  const std::vector<Case> cases = {
      {"", "certificate"},                // no client certificate
      {"stranger", "unable to get local issuer"},  // another CA
      {"expired", "expired"},
      {"nooid", "facility OID"},
  };
  for (const Case& c : cases) {
    ClearRefusals();
    const std::string body = Get(c.who, "/whoami");
    EXPECT_EQ(body.rfind("ERROR", 0), 0u) << c.who << ": " << body;
    std::vector<std::string> r = Refusals();
    ASSERT_EQ(r.size(), 1u) << c.who;
    EXPECT_NE(r[0].find(c.reason_part), std::string::npos) << c.who << ": " << r[0];
  }
}

TEST_F(TlsTest, RevocationTakesEffectWhenTheCrlIsReloaded) {
  EXPECT_EQ(Get("revoked", "/whoami").rfind("1.2.392.100495.20.3.51.1.12|", 0), 0u);
  std::filesystem::copy_file(F("crl-revoked.pem"), F("live-crl.pem"),
                             std::filesystem::copy_options::overwrite_existing);
  ASSERT_TRUE(server_tls_->ReloadCrl().ok());
  EXPECT_EQ(Get("revoked", "/whoami").rfind("ERROR", 0), 0u);
  std::vector<std::string> r = Refusals();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].find("revoked"), std::string::npos) << r[0];
  EXPECT_EQ(Get("good", "/whoami").rfind(kGoodOid, 0), 0u);
}

TEST_F(TlsTest, ACrlAtStartIsCheckedByTheHandshake) {
  server_.reset();
  auto ctx = TlsContext::Server(Files("server", F("crl-revoked.pem")));
  ASSERT_TRUE(ctx.ok());
  HttpRouter router;
  router.Exact("GET", "/", [](Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& r) {
    SendResponse(r, 200, "text/plain", "ok");
  });
  HttpServerOptions opts;
  opts.tls = *ctx;
  auto server = HttpServer::Start(opts, std::move(router));
  ASSERT_TRUE(server.ok());
  server_ = std::move(server.value());
  EXPECT_EQ(Get("revoked", "/").rfind("ERROR", 0), 0u);
  std::vector<std::string> r = Refusals();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].find("revoked"), std::string::npos) << r[0];
  EXPECT_EQ(Get("good", "/"), "ok");
}

TEST_F(TlsTest, LargeAnswersAndFilesAreSentThroughTls) {
  const std::string big = Get("good", "/big");
  ASSERT_EQ(big.size(), 160000u);
  EXPECT_EQ(big.substr(0, 70000), std::string(70000, 'a'));
  EXPECT_EQ(big.substr(70000), std::string(90000, 'b'));
  std::string payload;
  for (int i = 0; i < 700000; ++i) payload.push_back(static_cast<char>('0' + i % 43));
  std::ofstream(F("payload.bin"), std::ios::binary) << payload;
  file_size_ = payload.size();
  EXPECT_EQ(Get("good", "/file"), payload);
}

TEST_F(TlsTest, HttpClientSpeaksMutualTlsWithTheProcessCertificate) {
  auto client_ctx = TlsContext::Client(Files("good"));
  ASSERT_TRUE(client_ctx.ok()) << client_ctx.status().ToString();
  SetClientTls(*client_ctx);
  auto client = HttpClient::Create(server_->base_url());
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  for (int i = 0; i < 3; ++i) {  // keep-alive: one handshake, several requests
    auto reply = (*client)->Send("GET", "/whoami", "", "");
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body.rfind(kGoodOid, 0), 0u);
  }
  // Without a client certificate for the process, https:// is refused up front.
  SetClientTls(nullptr);
  EXPECT_FALSE(HttpClient::Create(server_->base_url()).ok());
}

TEST_F(TlsTest, ContextsRefuseMissingOrMismatchedFiles) {
  TlsFiles f = Files("server", F("crl.pem"));
  f.key = F("good.key.pem");
  auto mismatched = TlsContext::Server(f);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.status().message().find("tls.key"), std::string::npos);
  auto no_crl = TlsContext::Server(Files("server"));
  ASSERT_FALSE(no_crl.ok());
  EXPECT_NE(no_crl.status().message().find("tls.crl"), std::string::npos);
  TlsFiles forged = Files("server", F("crl.pem"));
  forged.ca = F("other-ca.cert.pem");  // the CRL is not signed by this CA
  EXPECT_FALSE(TlsContext::Server(forged).ok());
}

TEST(PlainPeerTest, InsecureLoopbackReadsTheTestHeaderElseTheDefault) {
  HttpRouter router;
  router.Exact("GET", "/whoami", [](Poco::Net::HTTPServerRequest& req,
                                    Poco::Net::HTTPServerResponse& resp) {
    const Peer& p = RequestPeer(req);
    SendResponse(resp, 200, "text/plain",
                 p.facility_oid + "|" + std::to_string(static_cast<int>(p.source)));
  });
  HttpServerOptions opts;
  opts.default_facility = "1.2.3.4";
  auto server = HttpServer::Start(opts, std::move(router));
  ASSERT_TRUE(server.ok());
  auto client = HttpClient::Create((*server)->base_url());
  ASSERT_TRUE(client.ok());
  auto a = (*client)->Send("GET", "/whoami", "", "", {{kFacilityTestHeader, "5.6.7"}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "5.6.7|1");
  auto b = (*client)->Send("GET", "/whoami", "", "");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->body, "1.2.3.4|2");
}

}  // namespace
}  // namespace renkei
