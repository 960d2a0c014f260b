// PKI publication (trust/crl_endpoint.h; RFC 5280 §4.2.1.13, RFC 2585) over real HTTP: the
// CA's current CRL and certificate as DER, re-read when the files change.
#include "trust/crl_endpoint.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "common/http_client.h"
#include "common/http_server.h"
#include "trust/certificate_authority.h"
#include "trust/internal/openssl_handles.h"
#include "trust/internal/test_util.h"

namespace renkei::trust {
namespace {

using testing::ScratchDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path + ".new", std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  std::rename((path + ".new").c_str(), path.c_str());
}

// A DER CRL: its crlNumber and number of revoked entries; number -1 when it does not parse
// as exactly one DER CRL.
struct CrlFacts {
  long number = -1;
  int revoked = 0;
};
CrlFacts ParseDerCrl(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  internal::CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  CrlFacts f;
  if (!crl || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) return f;
  ASN1_INTEGER* n =
      static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr));
  if (n == nullptr) return f;
  f.number = ASN1_INTEGER_get(n);
  ASN1_INTEGER_free(n);
  STACK_OF(X509_REVOKED)* r = X509_CRL_get_REVOKED(crl.get());
  f.revoked = r == nullptr ? 0 : sk_X509_REVOKED_num(r);
  return f;
}

std::string PemCertToDer(const std::string& pem) {
  auto cert = internal::CertificateFromPem(pem, "test");
  if (!cert.ok()) return "";
  unsigned char* der = nullptr;
  int n = i2d_X509(cert->get(), &der);
  std::string out(reinterpret_cast<char*>(der), n > 0 ? static_cast<size_t>(n) : 0);
  OPENSSL_free(der);
  return out;
}

class CrlEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    auto ca = CertificateAuthority::Init(tmp_.Sub("ca"), InitOptions{});
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_ = std::make_unique<CertificateAuthority>(std::move(ca.value()));
    Start({ca_->crl_path(), ca_->cert_path()});
  }

  void Start(const PkiPublicationOptions& options) {
    server_.reset();
    HttpRouter router;
    AddPkiRoutes(router, options);
    auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
  }

  HttpReply Get(const std::string& path, const std::string& method = "GET") {
    auto client = HttpClient::Create(server_->base_url());
    EXPECT_TRUE(client.ok());
    if (!client.ok()) return {};
    auto r = (*client)->Send(method, path, "", "");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : HttpReply{};
  }

  ScratchDir tmp_;
  std::unique_ptr<CertificateAuthority> ca_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(CrlEndpointTest, ServesTheCurrentCrlAsDer) {
  HttpReply r = Get(kCrlPath);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/pkix-crl");
  CrlFacts first = ParseDerCrl(r.body);
  EXPECT_EQ(first.number, 1);
  EXPECT_EQ(first.revoked, 0);

  // `renkei ca revoke` rewrites the file: the next request sees the new CRL.
  IssueRequest req;
  req.facility_oid = "1.2.392.100.1";
  auto issued = ca_->Issue(req);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  ASSERT_TRUE(ca_->Revoke(issued->serial_hex, RevocationReason::kKeyCompromise).ok());
  ASSERT_TRUE(ca_->Crl().ok());
  r = Get(kCrlPath);
  ASSERT_EQ(r.status, 200);
  CrlFacts second = ParseDerCrl(r.body);
  EXPECT_EQ(second.number, 2);
  EXPECT_EQ(second.revoked, 1);
}

TEST_F(CrlEndpointTest, ServesTheCaCertificateAsDer) {
  HttpReply r = Get(kCaCertPath);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/pkix-cert");
  const std::string want = PemCertToDer(ca_->cert_pem());
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(r.body, want);
}

TEST_F(CrlEndpointTest, KeepsTheLastGoodCopyWhenTheFileBreaks) {
  const std::string good = Get(kCrlPath).body;
  ASSERT_EQ(ParseDerCrl(good).number, 1);
  const struct {
    const char* name;
    bool remove;
    std::string content;
  } cases[] = {
      {"garbage", false, "not a CRL"},
      {"a certificate instead", false, ca_->cert_pem()},
      {"truncated PEM", false, ReadAll(ca_->crl_path()).substr(0, 60)},
      {"removed", true, ""},
  };
  for (const auto& c : cases) {
    if (c.remove) {
      std::remove(ca_->crl_path().c_str());
    } else {
      WriteAll(ca_->crl_path(), c.content);
    }
    HttpReply r = Get(kCrlPath);
    EXPECT_EQ(r.status, 200) << c.name;
    EXPECT_EQ(r.body, good) << c.name;
  }
  // A good file again is published.
  ASSERT_TRUE(ca_->Crl().ok());
  EXPECT_EQ(ParseDerCrl(Get(kCrlPath).body).number, 2);
}

TEST_F(CrlEndpointTest, NoGoodFileAnswers503) {
  const struct {
    const char* name;
    bool exists;
    std::string content;
  } cases[] = {
      {"missing", false, ""},
      {"garbage", true, "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"},
      {"empty", true, ""},
  };
  for (const auto& c : cases) {
    const std::string path = tmp_.Sub(std::string("crl-") + c.name);
    if (c.exists) WriteAll(path, c.content);
    Start({path, tmp_.Sub("no-ca.pem")});
    HttpReply r = Get(kCrlPath);
    EXPECT_EQ(r.status, 503) << c.name;
    EXPECT_EQ(r.content_type.rfind("text/plain", 0), 0u) << c.name << ": " << r.content_type;
    EXPECT_EQ(Get(kCaCertPath).status, 503) << c.name;
  }
}

TEST_F(CrlEndpointTest, AcceptsDerFiles) {
  const std::string der = Get(kCrlPath).body;
  const std::string cert_der = Get(kCaCertPath).body;
  WriteAll(tmp_.Sub("crl.der"), der);
  WriteAll(tmp_.Sub("ca.der"), cert_der);
  Start({tmp_.Sub("crl.der"), tmp_.Sub("ca.der")});
  EXPECT_EQ(Get(kCrlPath).body, der);
  EXPECT_EQ(Get(kCaCertPath).body, cert_der);
  // DER with trailing bytes is not one CRL.
  WriteAll(tmp_.Sub("crl2.der"), der + "x");
  Start({tmp_.Sub("crl2.der"), ""});
  EXPECT_EQ(Get(kCrlPath).status, 503);
}

TEST_F(CrlEndpointTest, RoutesOnlyWhatIsNamedAndOnlyGet) {
  EXPECT_EQ(Get(kCrlPath, "POST").status, 405);
  EXPECT_EQ(Get(kCaCertPath, "DELETE").status, 405);
  Start({"", ""});
  EXPECT_EQ(Get(kCrlPath).status, 404);
  EXPECT_EQ(Get(kCaCertPath).status, 404);
}

// ETag / If-None-Match (RFC 9110 §13.1.2): an unchanged CRL is answered 304 without a body;
// a new CRL changes the tag.
TEST_F(CrlEndpointTest, RevalidatesWithEtag) {
  auto fetch = [this](const std::string& if_none_match, std::string* etag, std::string* body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_->port()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, kCrlPath,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (!if_none_match.empty()) request.set("If-None-Match", if_none_match);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    body->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    *etag = response.get("ETag", "");
    EXPECT_EQ(response.get("Cache-Control", ""), "no-cache");
    return static_cast<int>(response.getStatus());
  };
  std::string etag, body;
  ASSERT_EQ(fetch("", &etag, &body), 200);
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(ParseDerCrl(body).number, 1);
  std::string again;
  EXPECT_EQ(fetch(etag, &again, &body), 304);
  EXPECT_TRUE(body.empty());
  EXPECT_EQ(fetch("\"something-else\"", &again, &body), 200);
  ASSERT_TRUE(ca_->Crl().ok());
  std::string next;
  EXPECT_EQ(fetch(etag, &next, &body), 200);
  EXPECT_NE(next, etag);
  EXPECT_EQ(ParseDerCrl(body).number, 2);
}

}  // namespace
}  // namespace renkei::trust
