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
#include <Poco/URI.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
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
    // Consecutive slices of Pattern() of the sizes in ?sizes=a,b,c,d: four parts of one
    // SendWhole, or one Write each of a SendStreamed (a size "f" there: the file).
    router.Exact("GET", "/pieces", [](Poco::Net::HTTPServerRequest& req,
                                      Poco::Net::HTTPServerResponse& resp) {
      std::vector<std::string_view> p = Slices(SizesOf(req));
      p.resize(4);
      resp.setContentType("application/octet-stream");
      SendWhole(req, resp, {p[0], p[1], p[2], p[3]});
    });
    router.Exact("GET", "/streamed", [this](Poco::Net::HTTPServerRequest& req,
                                            Poco::Net::HTTPServerResponse& resp) {
      const std::vector<size_t> sizes = SizesOf(req);
      const std::vector<std::string_view> p = Slices(sizes);
      uint64_t length = 0;
      for (size_t n : sizes) length += n == kFile ? file_size_ : n;
      resp.setContentType("application/octet-stream");
      (void)SendStreamed(req, resp, length, [&](ResponseBodyWriter& w) -> Status {
        for (size_t i = 0; i < sizes.size(); ++i) {
          RENKEI_RETURN_IF_ERROR(sizes[i] == kFile ? w.WriteFile(F("payload.bin"), file_size_)
                                                   : w.Write(p[i]));
        }
        return Status::Ok();
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

  // The bytes the framing routes send: slices of one pattern, in order.
  static const std::string& Pattern() {
    static const std::string* p = [] {
      auto* s = new std::string;
      for (int i = 0; i < 400000; ++i) {
        s->push_back(static_cast<char>(' ' + (i * 7 + i / 97) % 95));
      }
      return s;
    }();
    return *p;
  }
  static constexpr size_t kFile = static_cast<size_t>(-1);
  static std::vector<size_t> SizesOf(const Poco::Net::HTTPServerRequest& req) {
    std::vector<size_t> sizes;
    for (const auto& [k, v] : Poco::URI(req.getURI()).getQueryParameters()) {
      if (k != "sizes") continue;
      std::stringstream in(v);
      for (std::string n; std::getline(in, n, ',');) {
        sizes.push_back(n == "f" ? kFile : std::stoul(n));
      }
    }
    return sizes;
  }
  // Consecutive slices of Pattern() (the file: an empty slice, the file starts the pattern
  // over).
  static std::vector<std::string_view> Slices(const std::vector<size_t>& sizes) {
    std::vector<std::string_view> out;
    size_t at = 0;
    for (size_t n : sizes) {
      if (n == kFile) {
        out.emplace_back();
        continue;
      }
      out.push_back(std::string_view(Pattern()).substr(at, n));
      at += n;
    }
    return out;
  }

  // GETs `paths` in order on one keep-alive TLS session as "good"; returns the bodies and
  // the number of TLS records the client received for each answer.
  std::vector<std::pair<std::string, int>> GetCountingRecords(
      const std::vector<std::string>& paths) {
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, F("good.key.pem"), F("good.cert.pem"),
        F("ca.cert.pem"), Poco::Net::Context::VERIFY_RELAXED);
    static thread_local int records = 0;
    SSL_CTX_set_msg_callback(ctx->sslContext(), [](int write_p, int, int content_type,
                                                   const void*, size_t, SSL*, void*) {
      if (write_p == 0 && content_type == SSL3_RT_HEADER) ++records;
    });
    Poco::Net::HTTPSClientSession s("127.0.0.1", static_cast<Poco::UInt16>(server_->port()),
                                    ctx);
    s.setTimeout(Poco::Timespan(10, 0));
    s.setKeepAlive(true);
    std::vector<std::pair<std::string, int>> out;
    for (const std::string& path : paths) {
      Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      s.sendRequest(req);
      records = 0;
      Poco::Net::HTTPResponse resp;
      std::istream& in = s.receiveResponse(resp);
      std::string body;
      Poco::StreamCopier::copyToString(in, body);
      out.emplace_back(body, records);
    }
    return out;
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

// Pieces gathered into TLS records (common/http_server.cc TlsGather) arrive whole and in
// order whatever their sizes relative to the 16 KiB record.
TEST_F(TlsTest, PiecesAcrossRecordBoundariesArriveByteExact) {
  std::string payload;
  for (int i = 0; i < 50000; ++i) payload.push_back(static_cast<char>('0' + i % 43));
  std::ofstream(F("payload.bin"), std::ios::binary) << payload;
  file_size_ = payload.size();
  struct Case {
    std::string path;
    std::string want;  // "" : the pattern's first bytes, as many as the sizes add up to
  };
  const std::string& p = Pattern();
  const std::vector<Case> cases = {
      {"/pieces?sizes=0,0,0,0", ""},
      {"/pieces?sizes=1,2,3,4", p.substr(0, 10)},
      {"/pieces?sizes=16384,16384,1,16383", p.substr(0, 49152)},
      {"/pieces?sizes=16000,700,40000,5", p.substr(0, 56705)},
      {"/pieces?sizes=200000,0,1,70000", p.substr(0, 270001)},
      {"/streamed?sizes=5,16379,16384,16385,3", p.substr(0, 49156)},
      {"/streamed?sizes=100,100,100,100,100,100,100,100,100,100", p.substr(0, 1000)},
      {"/streamed?sizes=10,f,20", p.substr(0, 10) + payload + p.substr(10, 20)},
      {"/streamed?sizes=f,f", payload + payload},
  };
  std::vector<std::string> paths;
  for (const Case& c : cases) paths.push_back(c.path);
  const auto got = GetCountingRecords(paths);
  ASSERT_EQ(got.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(got[i].first.size(), cases[i].want.size()) << cases[i].path;
    EXPECT_TRUE(got[i].first == cases[i].want) << cases[i].path;
  }
}

// Every TLS record is one SSL_write and one write(2) on the server and a read on the
// client: an answer of headers and small pieces leaves as one record, a larger one in as
// few records of 16 KiB as its size needs (here the headers are ~100 bytes).
TEST_F(TlsTest, SmallPiecesLeaveAsOneRecord) {
  struct Case {
    std::string path;
    int records;
  };
  const std::vector<Case> cases = {
      {"/pieces?sizes=300,400,200,0", 1},     // envelope start, body, end
      {"/pieces?sizes=10,15000,10,10", 1},    // a LeafClass answer's size
      {"/pieces?sizes=10,20000,19990,0", 3},  // ~40.1 KB: 16 + 16 + 8
      {"/streamed?sizes=100,100,100,100,100,100,100,100,100,100", 1},
      {"/streamed?sizes=1,32768,1", 3},
  };
  std::vector<std::string> paths = {"/whoami"};  // the handshake's tickets come first
  for (const Case& c : cases) paths.push_back(c.path);
  const auto got = GetCountingRecords(paths);
  ASSERT_EQ(got.size(), cases.size() + 1);
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(got[i + 1].second, cases[i].records) << cases[i].path;
  }
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
