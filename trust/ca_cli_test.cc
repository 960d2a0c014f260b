// ITI-19 Authenticate Node: `renkei ca` end to end, with the files it writes checked by a
// third party (the openssl command line: verify -crl_check, pkcs12).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "apps/ca.h"
#include "trust/access_ticket.h"
#include "trust/certificate_identity.h"
#include "trust/internal/ca_cli_test_util.h"
#include "trust/internal/test_util.h"

namespace renkei::apps {
namespace {

using trust::testing::ScratchDir;
using trust::testing::Ca;
using trust::testing::CmdResult;
using trust::testing::ReadAll;
using trust::testing::Shell;

int Mode(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
}

TEST(CaCliTest, InitIssueRevokeCrlCheckedByOpensslVerify) {
  ScratchDir tmp;
  const std::string dir = tmp.Sub("ca");
  ASSERT_EQ(Ca({"init", "--dir", dir, "--name", "千葉地域医療ネット"}).code, 0);

  CmdResult issued =
      Ca({"issue", "--dir", dir, "--facility", "1.2.392.100.1", "--name", "さくら病院", "--host",
          "node.sakura.example.jp", "--host", "localhost", "--ip", "127.0.0.1", "--out",
          tmp.Sub("sakura"), "--p12-password", "pw-1"});
  ASSERT_EQ(issued.code, 0);
  const std::string serial = issued.out.substr(0, issued.out.find('\n'));
  EXPECT_EQ(serial.size(), 32u);
  EXPECT_EQ(Mode(tmp.Sub("sakura.key.pem")), 0600);
  EXPECT_EQ(Mode(tmp.Sub("sakura.p12")), 0600);
  auto id = trust::IdentityOfPem(ReadAll(tmp.Sub("sakura.cert.pem")));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->facility_oid, "1.2.392.100.1");
  EXPECT_EQ(id->serial_hex, serial);

  ASSERT_EQ(Ca({"issue", "--dir", dir, "--facility", "1.2.392.100.2", "--client", "--key", "rsa",
                "--days", "30", "--out", tmp.Sub("clinic")})
                .code,
            0);

  const std::string verify =
      "openssl verify -CAfile " + dir + "/ca.cert.pem -crl_check -CRLfile " + dir + "/ca.crl.pem ";
  CmdResult ok = Shell(verify + tmp.Sub("sakura.cert.pem"));
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find(": OK"), std::string::npos) << ok.out;
  EXPECT_EQ(Shell(verify + tmp.Sub("clinic.cert.pem")).code, 0);
  // The host name check a TLS client makes, and the key matching the certificate.
  EXPECT_EQ(Shell("openssl verify -CAfile " + dir + "/ca.cert.pem -verify_hostname " +
                  "node.sakura.example.jp " + tmp.Sub("sakura.cert.pem"))
                .code,
            0);
  EXPECT_NE(Shell("openssl verify -CAfile " + dir + "/ca.cert.pem -verify_hostname " +
                  "evil.example.jp " + tmp.Sub("sakura.cert.pem"))
                .code,
            0);

  // The browser bundle opens with its password only.
  CmdResult p12 =
      Shell("openssl pkcs12 -in " + tmp.Sub("sakura.p12") + " -passin pass:pw-1 -nokeys -info");
  EXPECT_EQ(p12.code, 0) << p12.out;
  EXPECT_NE(p12.out.find("AES-256-CBC"), std::string::npos) << p12.out;
  EXPECT_NE(
      Shell("openssl pkcs12 -in " + tmp.Sub("sakura.p12") + " -passin pass:wrong -nokeys").code, 0);

  CmdResult revoked = Ca({"revoke", "--dir", dir, "--serial", serial, "--reason", "keyCompromise"});
  ASSERT_EQ(revoked.code, 0);
  CmdResult refused = Shell(verify + tmp.Sub("sakura.cert.pem"));
  EXPECT_NE(refused.code, 0) << refused.out;
  EXPECT_NE(refused.out.find("certificate revoked"), std::string::npos) << refused.out;
  EXPECT_EQ(Shell(verify + tmp.Sub("clinic.cert.pem")).code, 0);
  CmdResult crl_text = Shell("openssl crl -in " + dir + "/ca.crl.pem -noout -text");
  EXPECT_NE(crl_text.out.find(serial), std::string::npos) << crl_text.out;
  EXPECT_NE(crl_text.out.find("Key Compromise"), std::string::npos) << crl_text.out;

  // crl --out and crl to stdout.
  ASSERT_EQ(Ca({"crl", "--dir", dir, "--out", tmp.Sub("published.crl.pem"), "--hours", "24"}).code,
            0);
  EXPECT_EQ(ReadAll(tmp.Sub("published.crl.pem")), ReadAll(dir + "/ca.crl.pem"));
  CmdResult printed = Ca({"crl", "--dir", dir});
  EXPECT_EQ(printed.code, 0);
  EXPECT_EQ(printed.out, ReadAll(dir + "/ca.crl.pem"));

  CmdResult list = Ca({"list", "--dir", dir});
  ASSERT_EQ(list.code, 0);
  EXPECT_NE(list.out.find(serial), std::string::npos);
  EXPECT_NE(list.out.find("revoked(keyCompromise)"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("1.2.392.100.2"), std::string::npos);
  EXPECT_NE(list.out.find("valid"), std::string::npos);
  EXPECT_NE(list.out.find("さくら病院"), std::string::npos);
}

TEST(CaCliTest, ThumbprintMatchesOpensslAndTicketKeyWorks) {
  ScratchDir tmp;
  const std::string dir = tmp.Sub("ca");
  ASSERT_EQ(Ca({"init", "--dir", dir}).code, 0);
  ASSERT_EQ(Ca({"issue", "--dir", dir, "--facility", "1.2.392.100.1", "--out", tmp.Sub("n")}).code,
            0);
  // x5t#S256 as a third party computes it: SHA-256 of the DER, base64url, no padding.
  CmdResult digest = Shell("openssl x509 -in " + tmp.Sub("n.cert.pem") +
                           " -outform DER | openssl dgst -sha256 -binary | basenc --base64url");
  ASSERT_EQ(digest.code, 0) << digest.out;
  std::string expected = digest.out.substr(0, digest.out.find_first_of("=\n"));
  auto id = trust::IdentityOfPem(ReadAll(tmp.Sub("n.cert.pem")));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->sha256, expected);

  CmdResult key = Ca({"ticket-key", "--out", tmp.Sub("ticket.key.pem")});
  ASSERT_EQ(key.code, 0);
  EXPECT_EQ(Mode(tmp.Sub("ticket.key.pem")), 0600);
  auto signer = trust::TicketSigner::Create(ReadAll(tmp.Sub("ticket.key.pem")));
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(key.out, signer->kid() + "\n");
  CmdResult check = Shell("openssl ec -in " + tmp.Sub("ticket.key.pem") + " -noout -text");
  EXPECT_NE(check.out.find("P-256"), std::string::npos) << check.out;
  // Never overwritten; --out required.
  EXPECT_EQ(Ca({"ticket-key", "--out", tmp.Sub("ticket.key.pem")}).code, 1);
  EXPECT_EQ(Ca({"ticket-key"}).code, 2);
}

TEST(CaCliTest, UsageErrorsExit2AndFailuresExit1) {
  ScratchDir tmp;
  const std::string dir = tmp.Sub("ca");
  struct Case {
    std::vector<std::string> args;
    int code;
  };
  const std::vector<Case> usage = {
      {{}, 2},
      {{"frobnicate", "--dir", dir}, 2},
      {{"init"}, 2},
      {{"init", "--dir", dir, "--key", "dsa"}, 2},
      {{"init", "--dir", dir, "--days", "ten"}, 2},
      {{"init", "--dir", dir, "--bogus", "1"}, 2},
      {{"init", "--dir"}, 2},
      {{"issue", "--dir", dir, "--out", tmp.Sub("x")}, 2},
      {{"issue", "--dir", dir, "--facility", "1.2.3"}, 2},
      {{"revoke", "--dir", dir}, 2},
      {{"revoke", "--dir", dir, "--serial", "AB", "--reason", "boredom"}, 2},
      {{"crl", "--dir", dir, "--hours", "0"}, 2},
  };
  for (const Case& c : usage) {
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    EXPECT_EQ(Ca(c.args).code, c.code) << joined;
  }
  // Nothing was created by the refused init calls.
  EXPECT_FALSE(std::filesystem::exists(dir + "/ca.key.pem"));

  EXPECT_EQ(Ca({"list", "--dir", dir}).code, 1);  // not a CA (yet)
  ASSERT_EQ(Ca({"init", "--dir", dir}).code, 0);
  EXPECT_EQ(Ca({"init", "--dir", dir}).code, 1);  // already a CA
  const std::vector<Case> failures = {
      {{"issue", "--dir", dir, "--facility", "not.an.oid", "--out", tmp.Sub("x")}, 1},
      {{"issue", "--dir", dir, "--facility", "1.2.3", "--host", "bad host", "--out", tmp.Sub("x")},
       1},
      {{"revoke", "--dir", dir, "--serial", "ABCDEF"}, 1},
      {{"revoke", "--dir", dir, "--serial", "xyz"}, 1},
      {{"crl", "--dir", tmp.Sub("elsewhere")}, 1},
  };
  for (const Case& c : failures) {
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    EXPECT_EQ(Ca(c.args).code, c.code) << joined;
  }
  EXPECT_FALSE(std::filesystem::exists(tmp.Sub("x.key.pem")));
  // An existing output file is never overwritten.
  ASSERT_EQ(Ca({"issue", "--dir", dir, "--facility", "1.2.3", "--out", tmp.Sub("y")}).code, 0);
  std::string key = ReadAll(tmp.Sub("y.key.pem"));
  EXPECT_EQ(Ca({"issue", "--dir", dir, "--facility", "1.2.3", "--out", tmp.Sub("y")}).code, 1);
  EXPECT_EQ(ReadAll(tmp.Sub("y.key.pem")), key);
}

}  // namespace
}  // namespace renkei::apps
