// RFC 5280 §4.2.1.13 CRL distribution points: `renkei ca init --crl-url` makes every
// certificate issued afterwards name the URL, as the openssl command line reads it; and a
// third-party verifier (openssl verify -crl_download) fetches the CRL from the centre's
// GET /pki/crl (trust/crl_endpoint.h) through that extension and refuses a revoked
// certificate.
#include <gtest/gtest.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "apps/ca.h"
#include "common/http_server.h"
#include "trust/certificate_authority.h"
#include "trust/crl_endpoint.h"
#include "trust/internal/openssl_handles.h"
#include "trust/internal/ca_cli_test_util.h"
#include "trust/internal/test_util.h"

namespace renkei::trust {
namespace {

using testing::ScratchDir;
using testing::Ca;
using testing::CmdResult;
using testing::ReadAll;
using testing::Shell;

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// The certificate's extensions as `openssl x509 -text` prints them.
std::string X509Text(const std::string& cert_path) {
  CmdResult r = Shell("openssl x509 -in " + cert_path + " -noout -text");
  EXPECT_EQ(r.code, 0) << r.out;
  return r.out;
}

// Every fullName URI of every DistributionPoint of the certificate, as OpenSSL decodes the
// extension; {"<no extension>"} when it has none, {"<bad>"} when something else is there.
std::vector<std::string> DistributionPointUris(const std::string& cert_pem) {
  auto cert = internal::CertificateFromPem(cert_pem, "test");
  if (!cert.ok()) return {"<bad>"};
  auto* points = static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(cert->get(), NID_crl_distribution_points, nullptr, nullptr));
  if (points == nullptr) return {"<no extension>"};
  std::vector<std::string> out;
  for (int i = 0; i < sk_DIST_POINT_num(points); ++i) {
    DIST_POINT* p = sk_DIST_POINT_value(points, i);
    if (p->distpoint == nullptr || p->distpoint->type != 0 || p->reasons != nullptr ||
        p->CRLissuer != nullptr) {
      out.push_back("<bad>");
      continue;
    }
    GENERAL_NAMES* names = p->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      GENERAL_NAME* n = sk_GENERAL_NAME_value(names, j);
      if (n->type != GEN_URI) {
        out.push_back("<bad>");
        continue;
      }
      const ASN1_IA5STRING* uri = n->d.uniformResourceIdentifier;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                       static_cast<size_t>(ASN1_STRING_length(uri)));
    }
  }
  CRL_DIST_POINTS_free(points);
  return out;
}

TEST(CrlDistributionTest, IssuedCertificatesNameTheCrlUrl) {
  ScratchDir tmp;
  const std::string url = "https://centre.example.jp:8443/pki/crl";
  const std::string dir = tmp.Sub("ca");
  CmdResult init = Ca({"init", "--dir", dir, "--crl-url", url});
  ASSERT_EQ(init.code, 0);
  EXPECT_NE(init.out.find(url), std::string::npos) << init.out;
  // Each `issue` opens the CA again: the URL comes from the CA's stored state.
  for (const char* usage : {"server", "client"}) {
    std::vector<std::string> args = {"issue",         "--dir", dir,           "--facility",
                                     "1.2.392.100.1", "--out", tmp.Sub(usage)};
    if (std::string(usage) == "client") args.push_back("--client");
    ASSERT_EQ(Ca(args).code, 0) << usage;
    const std::string text = X509Text(tmp.Sub(usage) + ".cert.pem");
    EXPECT_NE(text.find("X509v3 CRL Distribution Points"), std::string::npos) << text;
    EXPECT_NE(text.find("URI:" + url), std::string::npos) << text;
    // Not critical (RFC 5280 §4.2.1.13 SHOULD be non-critical).
    EXPECT_EQ(text.find("X509v3 CRL Distribution Points: critical"), std::string::npos) << text;
    // Exactly one distribution point, with no reasons or cRLIssuer.
    CmdResult ext =
        Shell("openssl x509 -in " + tmp.Sub(usage) + ".cert.pem -noout -ext crlDistributionPoints");
    EXPECT_EQ(ext.code, 0) << ext.out;
    EXPECT_EQ(ext.out.find("Reasons"), std::string::npos) << ext.out;
    EXPECT_EQ(ext.out.find("CRL Issuer"), std::string::npos) << ext.out;
    size_t count = 0;
    for (size_t at = ext.out.find("URI:"); at != std::string::npos;
         at = ext.out.find("URI:", at + 1)) {
      ++count;
    }
    EXPECT_EQ(count, 1u) << ext.out;
    EXPECT_EQ(DistributionPointUris(ReadAll(tmp.Sub(usage) + ".cert.pem")),
              std::vector<std::string>{url});
  }
  // The self-signed CA certificate names none.
  EXPECT_EQ(X509Text(dir + "/ca.cert.pem").find("CRL Distribution Points"), std::string::npos);
  auto ca = CertificateAuthority::Open(dir);
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  EXPECT_EQ(ca->crl_url(), url);
}

TEST(CrlDistributionTest, WithoutCrlUrlNone) {
  ScratchDir tmp;
  const std::string dir = tmp.Sub("ca");
  ASSERT_EQ(Ca({"init", "--dir", dir}).code, 0);
  ASSERT_EQ(Ca({"issue", "--dir", dir, "--facility", "1.2.392.100.1", "--out", tmp.Sub("n")}).code,
            0);
  const std::string text = X509Text(tmp.Sub("n.cert.pem"));
  EXPECT_NE(text.find("X509v3 Subject Alternative Name"), std::string::npos) << text;
  EXPECT_EQ(text.find("CRL Distribution Points"), std::string::npos) << text;
  EXPECT_EQ(DistributionPointUris(ReadAll(tmp.Sub("n.cert.pem"))),
            std::vector<std::string>{"<no extension>"});
  auto ca = CertificateAuthority::Open(dir);
  ASSERT_TRUE(ca.ok());
  EXPECT_EQ(ca->crl_url(), "");
}

TEST(CrlDistributionTest, CrlUrlsAccepted) {
  const struct {
    const char* url;
    bool ok;
  } cases[] = {
      {"http://centre/crl", true},
      {"https://10.0.0.1:8443/pki/crl", true},
      {"https://[::1]:8443/pki/crl", true},
      {"http://centre.example.jp/pki/crl?region=chiba", true},
      {"ftp://centre/crl", false},
      {"ldap://centre/cn=CA", false},
      {"centre.example.jp/pki/crl", false},
      {"https://", false},
      {"https:///pki/crl", false},
      {"https://:8443/pki/crl", false},
      {"https://user@centre/pki/crl", false},
      {"https://centre/a b", false},
      {"https://centre/a,URI:http://evil/", true},  // ',' is a URI character: stays one URI
      {"https://centre/\"crl\"", false},
      {"https://centre/\xe3\x81\x82", false},
  };
  for (const auto& c : cases) {
    ScratchDir tmp;
    InitOptions options;
    options.crl_url = c.url;
    auto ca = CertificateAuthority::Init(tmp.Sub("ca"), options);
    EXPECT_EQ(ca.ok(), c.ok) << c.url << ": " << (ca.ok() ? "" : ca.status().ToString());
    if (!ca.ok()) {
      EXPECT_EQ(ca.status().detail(), "bad_crl_url") << c.url;
      EXPECT_FALSE(Exists(tmp.Sub("ca") + "/ca.key.pem")) << c.url;  // nothing created
      continue;
    }
    // Whatever the URL holds, the certificate names exactly it: one distribution point,
    // one URI (nothing smuggled in through OpenSSL's configuration syntax).
    IssueRequest req;
    req.facility_oid = "1.2.392.100.1";
    auto issued = ca->Issue(req);
    ASSERT_TRUE(issued.ok());
    EXPECT_EQ(DistributionPointUris(issued->cert_pem), std::vector<std::string>{c.url});
  }
}

// The whole path as a relying party walks it: certificate → its cRLDistributionPoints URL →
// the centre's GET /pki/crl → revoked. The CRL endpoint listens on 127.0.0.1 (plain HTTP
// here: openssl's CRL download speaks only http://).
TEST(CrlDistributionTest, OpensslDownloadsTheCrlFromTheDistributionPoint) {
  ScratchDir tmp;
  const std::string dir = tmp.Sub("ca");
  HttpRouter router;
  AddPkiRoutes(router, {dir + "/ca.crl.pem", dir + "/ca.cert.pem"});
  auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const std::string url = (*server)->base_url() + kCrlPath;
  ASSERT_EQ(Ca({"init", "--dir", dir, "--crl-url", url}).code, 0);
  CmdResult issued =
      Ca({"issue", "--dir", dir, "--facility", "1.2.392.100.1", "--out", tmp.Sub("a")});
  ASSERT_EQ(issued.code, 0);
  ASSERT_EQ(Ca({"issue", "--dir", dir, "--facility", "1.2.392.100.2", "--out", tmp.Sub("b")}).code,
            0);
  const std::string serial = issued.out.substr(0, issued.out.find('\n'));
  const std::string verify =
      "env -u http_proxy -u HTTP_PROXY no_proxy=127.0.0.1 "
      "openssl verify -crl_check -crl_download -CAfile " +
      dir + "/ca.cert.pem ";
  CmdResult before = Shell(verify + tmp.Sub("a.cert.pem"));
  EXPECT_EQ(before.code, 0) << before.out;
  ASSERT_EQ(Ca({"revoke", "--dir", dir, "--serial", serial, "--reason", "keyCompromise"}).code, 0);
  CmdResult after = Shell(verify + tmp.Sub("a.cert.pem"));
  EXPECT_NE(after.code, 0) << after.out;
  EXPECT_NE(after.out.find("certificate revoked"), std::string::npos) << after.out;
  CmdResult other = Shell(verify + tmp.Sub("b.cert.pem"));
  EXPECT_EQ(other.code, 0) << other.out;
}

}  // namespace
}  // namespace renkei::trust
