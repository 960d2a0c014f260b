// ITI-19 Authenticate Node: tests of the regional CA (RFC 5280 certificates and CRLs,
// PKCS#12) and of the identity read back from its certificates.
#include "trust/certificate_authority.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <thread>

#include "trust/certificate_identity.h"
#include "trust/credential_files.h"
#include "trust/internal/openssl_handles.h"
#include "trust/internal/test_util.h"

namespace renkei::trust {
namespace {

using testing::ScratchDir;
using testing::VerifyAgainst;

constexpr char kHospitalOid[] = "1.2.392.200119.6.102.11311";

CertificateAuthority NewCa(const std::string& dir, KeyType type = KeyType::kEcP256,
                           const std::string& region = "Kanto Test Region") {
  InitOptions o;
  o.region_name = region;
  o.key_type = type;
  auto ca = CertificateAuthority::Init(dir, o);
  EXPECT_TRUE(ca.ok()) << ca.status().ToString();
  return std::move(ca.value());
}

IssueRequest Hospital() {
  IssueRequest r;
  r.facility_oid = kHospitalOid;
  r.facility_name = "Sakura Hospital";
  r.hosts = {"node.sakura.example.jp", "localhost"};
  r.ips = {"127.0.0.1", "::1"};
  return r;
}

internal::X509Ptr Parse(const std::string& pem) {
  auto c = internal::CertificateFromPem(pem, "test");
  EXPECT_TRUE(c.ok());
  return c.ok() ? std::move(c.value()) : internal::X509Ptr();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(CertificateAuthorityTest, IssuedCertificateVerifiesAgainstItsCaOnly) {
  ScratchDir tmp;
  CertificateAuthority a = NewCa(tmp.Sub("a"));
  CertificateAuthority b = NewCa(tmp.Sub("b"));
  auto issued = a.Issue(Hospital());
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(VerifyAgainst(issued->cert_pem, a.cert_pem()), X509_V_OK);
  EXPECT_NE(VerifyAgainst(issued->cert_pem, b.cert_pem()), X509_V_OK);
  EXPECT_EQ(VerifyAgainst(issued->cert_pem, b.cert_pem()),
            X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  // The CA certificate is a CA and verifies against itself (a trust anchor).
  EXPECT_EQ(VerifyAgainst(a.cert_pem(), a.cert_pem()), X509_V_OK);
  internal::X509Ptr ca_cert = Parse(a.cert_pem());
  EXPECT_EQ(X509_check_ca(ca_cert.get()), 1);
  EXPECT_TRUE(X509_get_key_usage(ca_cert.get()) & (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
}

TEST(CertificateAuthorityTest, FacilityOidInSanUriAndOu) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  auto issued = ca.Issue(Hospital());
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  auto id = IdentityOfPem(issued->cert_pem);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->facility_oid, kHospitalOid);
  EXPECT_EQ(id->common_name, "Sakura Hospital");
  EXPECT_EQ(id->organization, "Kanto Test Region");
  EXPECT_EQ(id->serial_hex, issued->serial_hex);
  EXPECT_EQ(id->not_after, issued->not_after);
  EXPECT_EQ(id->dns_names, (std::vector<std::string>{"node.sakura.example.jp", "localhost"}));
  EXPECT_EQ(id->sha256.size(), 43u);  // 32 bytes base64url

  internal::X509Ptr cert = Parse(issued->cert_pem);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  char ou[128] = {};
  X509_NAME_get_text_by_NID(subject, NID_organizationalUnitName, ou, sizeof ou);
  EXPECT_STREQ(ou, kHospitalOid);
  char c[8] = {};
  X509_NAME_get_text_by_NID(subject, NID_countryName, c, sizeof c);
  EXPECT_STREQ(c, "JP");
  // Host name and IP checks as a TLS client does them.
  EXPECT_EQ(X509_check_host(cert.get(), "node.sakura.example.jp", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert.get(), "other.example.jp", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "::1", 0), 1);
  // Server and client by default; serial 128-bit positive.
  EXPECT_EQ(X509_check_purpose(cert.get(), X509_PURPOSE_SSL_SERVER, 0), 1);
  EXPECT_EQ(X509_check_purpose(cert.get(), X509_PURPOSE_SSL_CLIENT, 0), 1);
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_EQ(issued->serial_hex.size(), 32u);
  EXPECT_EQ(issued->serial_hex.find_first_not_of("0123456789ABCDEF"), std::string::npos);
  EXPECT_TRUE(X509_get_key_usage(cert.get()) & KU_DIGITAL_SIGNATURE);
  EXPECT_FALSE(X509_get_key_usage(cert.get()) & KU_KEY_ENCIPHERMENT);
  EXPECT_NE(X509_get0_authority_key_id(cert.get()), nullptr);
  EXPECT_NE(X509_get0_subject_key_id(cert.get()), nullptr);
}

TEST(CertificateAuthorityTest, ClientUsageHasOnlyClientAuth) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  IssueRequest r;
  r.facility_oid = kHospitalOid;
  r.usage = CertificateUsage::kClient;
  auto issued = ca.Issue(r);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  internal::X509Ptr cert = Parse(issued->cert_pem);
  EXPECT_EQ(X509_check_purpose(cert.get(), X509_PURPOSE_SSL_CLIENT, 0), 1);
  EXPECT_EQ(X509_check_purpose(cert.get(), X509_PURPOSE_SSL_SERVER, 0), 0);
  // Neither name nor host: the CN is the OID.
  auto id = IdentityOfPem(issued->cert_pem);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->common_name, kHospitalOid);
}

TEST(CertificateAuthorityTest, JapaneseNameRoundTripsAsUtf8String) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"), KeyType::kEcP256, "東京都地域医療連携");
  IssueRequest r = Hospital();
  r.facility_name = "医療法人社団 さくら会 さくら病院";
  auto issued = ca.Issue(r);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  auto id = IdentityOfPem(issued->cert_pem);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->common_name, "医療法人社団 さくら会 さくら病院");
  EXPECT_EQ(id->organization, "東京都地域医療連携");
  internal::X509Ptr cert = Parse(issued->cert_pem);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  ASSERT_GE(i, 0);
  EXPECT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))),
            V_ASN1_UTF8STRING);
  auto list = ca.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().common_name, "医療法人社団 さくら会 さくら病院");
}

TEST(CertificateAuthorityTest, RevokedSerialIsInTheCrlAndFailsVerification) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  auto kept = ca.Issue(Hospital());
  auto lost = ca.Issue(Hospital());
  ASSERT_TRUE(kept.ok() && lost.ok());
  ASSERT_NE(kept->serial_hex, lost->serial_hex);

  auto before = ca.Crl();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(VerifyAgainst(lost->cert_pem, ca.cert_pem(), before.value()), X509_V_OK);

  // Lower case is accepted for the serial.
  std::string lower = lost->serial_hex;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  ASSERT_TRUE(ca.Revoke(lower, RevocationReason::kKeyCompromise).ok());
  auto after = ca.Crl(48);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(ReadAll(ca.crl_path()), after.value());

  EXPECT_EQ(VerifyAgainst(lost->cert_pem, ca.cert_pem(), after.value()), X509_V_ERR_CERT_REVOKED);
  EXPECT_EQ(VerifyAgainst(kept->cert_pem, ca.cert_pem(), after.value()), X509_V_OK);

  internal::BioPtr bio(BIO_new_mem_buf(after->data(), static_cast<int>(after->size())));
  internal::CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(crl);
  EXPECT_EQ(X509_CRL_get_version(crl.get()), 1);  // v2
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
  ASSERT_EQ(sk_X509_REVOKED_num(revoked), 1);
  X509_REVOKED* entry = sk_X509_REVOKED_value(revoked, 0);
  EXPECT_EQ(internal::SerialHex(X509_REVOKED_get0_serialNumber(entry)), lost->serial_hex);
  auto* reason = static_cast<ASN1_ENUMERATED*>(
      X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr));
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(ASN1_ENUMERATED_get(reason), 1);  // keyCompromise
  ASN1_ENUMERATED_free(reason);
  // crlNumber: 1 at Init, 2 and 3 after.
  auto* number =
      static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr));
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(ASN1_INTEGER_get(number), 3);
  ASN1_INTEGER_free(number);
  int64_t hours = (internal::UnixTimeOf(X509_CRL_get0_nextUpdate(crl.get())) -
                   internal::UnixTimeOf(X509_CRL_get0_lastUpdate(crl.get()))) /
                  3600;
  EXPECT_EQ(hours, 48);

  auto list = ca.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->at(0).StatusAt(internal::UnixNow()), CertificateStatus::kValid);
  EXPECT_EQ(list->at(1).StatusAt(internal::UnixNow()), CertificateStatus::kRevoked);
  EXPECT_EQ(list->at(1).reason, RevocationReason::kKeyCompromise);
}

TEST(CertificateAuthorityTest, RevokeUnknownBadAndRepeated) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  auto issued = ca.Issue(Hospital());
  ASSERT_TRUE(issued.ok());
  Status unknown = ca.Revoke("0123456789ABCDEF", RevocationReason::kUnspecified);
  EXPECT_TRUE(unknown.IsNotFound());
  EXPECT_EQ(unknown.detail(), "unknown_serial");
  Status bad = ca.Revoke("not-hex", RevocationReason::kUnspecified);
  EXPECT_TRUE(bad.IsInvalidArgument());
  EXPECT_EQ(bad.detail(), "bad_serial");
  ASSERT_TRUE(ca.Revoke(issued->serial_hex, RevocationReason::kSuperseded).ok());
  // Again: OK, and the first reason stays.
  ASSERT_TRUE(ca.Revoke(issued->serial_hex, RevocationReason::kKeyCompromise).ok());
  auto list = ca.List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->front().reason, RevocationReason::kSuperseded);
  EXPECT_TRUE(ca.Crl(0).status().IsInvalidArgument());
}

TEST(CertificateAuthorityTest, Pkcs12ParsesBackWithThePasswordOnly) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  auto issued = ca.Issue(Hospital());
  ASSERT_TRUE(issued.ok());
  auto der = ca.Pkcs12(issued->key_pem, issued->cert_pem, "s3cret-パス", "Sakura browser");
  ASSERT_TRUE(der.ok()) << der.status().ToString();

  auto parse = [&](const char* password, EVP_PKEY** key, X509** cert, STACK_OF(X509) * *chain) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der->data());
    internal::Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der->size())));
    if (!p12) return false;
    bool ok = PKCS12_parse(p12.get(), password, key, cert, chain) == 1;
    internal::ClearOpensslErrors();
    return ok;
  };
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;
  ASSERT_TRUE(parse("s3cret-パス", &key, &cert, &chain));
  internal::PkeyPtr key_owner(key);
  internal::X509Ptr cert_owner(cert);
  internal::X509StackPtr chain_owner(chain);
  auto id = IdentityOf(cert);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->serial_hex, issued->serial_hex);
  EXPECT_EQ(X509_check_private_key(cert, key), 1);
  ASSERT_EQ(sk_X509_num(chain), 1);
  auto ca_cert = internal::CertificateToPem(sk_X509_value(chain, 0));
  ASSERT_TRUE(ca_cert.ok());
  EXPECT_EQ(ca_cert.value(), ca.cert_pem());

  EVP_PKEY* k2 = nullptr;
  X509* c2 = nullptr;
  STACK_OF(X509)* ch2 = nullptr;
  EXPECT_FALSE(parse("wrong", &k2, &c2, &ch2));
  EXPECT_FALSE(parse(nullptr, &k2, &c2, &ch2));
  EXPECT_FALSE(parse("", &k2, &c2, &ch2));
  EXPECT_EQ(k2, nullptr);

  EXPECT_TRUE(ca.Pkcs12(issued->key_pem, issued->cert_pem, "", "x").status().IsInvalidArgument());
  auto other = ca.Issue(Hospital());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(ca.Pkcs12(other->key_pem, issued->cert_pem, "pw", "x").status().detail(),
            "bad_pkcs12_input");
}

TEST(CertificateAuthorityTest, RsaVariant) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"), KeyType::kRsa3072);
  IssueRequest r = Hospital();
  r.key_type = KeyType::kRsa3072;
  auto issued = ca.Issue(r);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  internal::X509Ptr cert = Parse(issued->cert_pem);
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  EXPECT_EQ(EVP_PKEY_get_base_id(pub), EVP_PKEY_RSA);
  EXPECT_EQ(EVP_PKEY_get_bits(pub), 3072);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_sha256WithRSAEncryption);
  EXPECT_TRUE(X509_get_key_usage(cert.get()) & KU_KEY_ENCIPHERMENT);
  EXPECT_EQ(VerifyAgainst(issued->cert_pem, ca.cert_pem()), X509_V_OK);
  ASSERT_TRUE(ca.Revoke(issued->serial_hex, RevocationReason::kCessationOfOperation).ok());
  auto crl = ca.Crl();
  ASSERT_TRUE(crl.ok());
  EXPECT_EQ(VerifyAgainst(issued->cert_pem, ca.cert_pem(), crl.value()), X509_V_ERR_CERT_REVOKED);
  // An EC leaf under the RSA CA, too.
  auto ec = ca.Issue(Hospital());
  ASSERT_TRUE(ec.ok());
  internal::X509Ptr ec_cert = Parse(ec->cert_pem);
  EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(ec_cert.get())), EVP_PKEY_EC);
  EXPECT_EQ(VerifyAgainst(ec->cert_pem, ca.cert_pem(), crl.value()), X509_V_OK);
}

TEST(CertificateAuthorityTest, EcKeysAreP256WithEcdsaSha256) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  auto issued = ca.Issue(Hospital());
  ASSERT_TRUE(issued.ok());
  internal::X509Ptr cert = Parse(issued->cert_pem);
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  EXPECT_EQ(EVP_PKEY_get_base_id(pub), EVP_PKEY_EC);
  char group[32] = {};
  size_t len = 0;
  EVP_PKEY_get_group_name(pub, group, sizeof group, &len);
  EXPECT_STREQ(group, "prime256v1");
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
}

struct BadRequestCase {
  const char* name;
  void (*edit)(IssueRequest*);
  const char* detail;
};

TEST(CertificateAuthorityTest, BadRequestsAreRefused) {
  static const BadRequestCase kCases[] = {
      {"missing OID", [](IssueRequest* r) { r->facility_oid = ""; }, "bad_facility_oid"},
      {"one arc", [](IssueRequest* r) { r->facility_oid = "1"; }, "bad_facility_oid"},
      {"trailing dot", [](IssueRequest* r) { r->facility_oid = "1.2."; }, "bad_facility_oid"},
      {"leading zero", [](IssueRequest* r) { r->facility_oid = "1.02.3"; }, "bad_facility_oid"},
      {"first arc 3", [](IssueRequest* r) { r->facility_oid = "3.1"; }, "bad_facility_oid"},
      {"second arc 40", [](IssueRequest* r) { r->facility_oid = "1.40"; }, "bad_facility_oid"},
      {"letters", [](IssueRequest* r) { r->facility_oid = "1.2.a"; }, "bad_facility_oid"},
      {"urn prefix", [](IssueRequest* r) { r->facility_oid = "urn:oid:1.2.3"; },
       "bad_facility_oid"},
      {"injection", [](IssueRequest* r) { r->facility_oid = "1.2.3,DNS:evil.example"; },
       "bad_facility_oid"},
      {"name too long", [](IssueRequest* r) { r->facility_name = std::string(65, 'x'); },
       "bad_name"},
      {"name not UTF-8", [](IssueRequest* r) { r->facility_name = "\xff\xfe"; }, "bad_name"},
      {"name control", [](IssueRequest* r) { r->facility_name = "a\nb"; }, "bad_name"},
      {"host space", [](IssueRequest* r) { r->hosts = {"bad host"}; }, "bad_host"},
      {"host empty label", [](IssueRequest* r) { r->hosts = {"a..b"}; }, "bad_host"},
      {"host hyphen", [](IssueRequest* r) { r->hosts = {"-a.example"}; }, "bad_host"},
      {"ip", [](IssueRequest* r) { r->ips = {"300.1.1.1"}; }, "bad_ip"},
      {"ip text", [](IssueRequest* r) { r->ips = {"localhost"}; }, "bad_ip"},
      {"zero days", [](IssueRequest* r) { r->validity_days = 0; }, "bad_validity"},
  };
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  for (const BadRequestCase& c : kCases) {
    IssueRequest r = Hospital();
    c.edit(&r);
    auto issued = ca.Issue(r);
    EXPECT_FALSE(issued.ok()) << c.name;
    EXPECT_TRUE(issued.status().IsInvalidArgument()) << c.name;
    EXPECT_EQ(issued.status().detail(), c.detail) << c.name;
  }
  auto list = ca.List();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());  // nothing recorded for refused requests
}

TEST(CertificateAuthorityTest, OidValidationTable) {
  struct Case {
    const char* oid;
    bool valid;
  };
  static const Case kCases[] = {
      {"1.2.392.200119.6.102.11311", true},
      {"2.999", true},
      {"0.39", true},
      {"2.16.840.1", true},
      {"0.40", false},
      {"", false},
      {".1.2", false},
      {"1..2", false},
      {"1.2.-3", false},
      {"1.2.3 ", false},
      {"4.5", false},
  };
  for (const Case& c : kCases) EXPECT_EQ(IsValidOid(c.oid), c.valid) << c.oid;
}

TEST(CertificateAuthorityTest, OpenRefusesWhatIsNotACa) {
  ScratchDir tmp;
  auto missing = CertificateAuthority::Open(tmp.Sub("nothing-here"));
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_EQ(missing.status().detail(), "not_a_ca");

  std::filesystem::create_directories(tmp.Sub("junk"));
  std::ofstream(tmp.Sub("junk/ca.cert.pem")) << "not a certificate";
  std::ofstream(tmp.Sub("junk/ca.key.pem")) << "not a key";
  auto junk = CertificateAuthority::Open(tmp.Sub("junk"));
  EXPECT_TRUE(junk.status().IsInvalidArgument());
  EXPECT_EQ(junk.status().detail(), "bad_ca");

  // A leaf certificate and its key are not a CA.
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  auto leaf = ca.Issue(Hospital());
  ASSERT_TRUE(leaf.ok());
  std::filesystem::create_directories(tmp.Sub("leaf"));
  std::ofstream(tmp.Sub("leaf/ca.cert.pem")) << leaf->cert_pem;
  std::ofstream(tmp.Sub("leaf/ca.key.pem")) << leaf->key_pem;
  std::filesystem::copy_file(tmp.Sub("ca/index.sqlite"), tmp.Sub("leaf/index.sqlite"));
  EXPECT_EQ(CertificateAuthority::Open(tmp.Sub("leaf")).status().detail(), "bad_ca");

  // Another CA's key with this CA's certificate.
  CertificateAuthority other = NewCa(tmp.Sub("other"));
  std::filesystem::create_directories(tmp.Sub("mixed"));
  std::filesystem::copy_file(tmp.Sub("ca/ca.cert.pem"), tmp.Sub("mixed/ca.cert.pem"));
  std::filesystem::copy_file(tmp.Sub("other/ca.key.pem"), tmp.Sub("mixed/ca.key.pem"));
  std::filesystem::copy_file(tmp.Sub("ca/index.sqlite"), tmp.Sub("mixed/index.sqlite"));
  EXPECT_EQ(CertificateAuthority::Open(tmp.Sub("mixed")).status().detail(), "bad_ca");

  // The real one opens and issues, and its index is shared.
  auto reopened = CertificateAuthority::Open(tmp.Sub("ca"));
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(reopened->region_name(), "Kanto Test Region");
  ASSERT_TRUE(reopened->Issue(Hospital()).ok());
  auto list = ca.List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
}

TEST(CertificateAuthorityTest, InitTwiceConflictsAndFilesArePrivate) {
  ScratchDir tmp;
  CertificateAuthority ca = NewCa(tmp.Sub("ca"));
  std::string cert_before = ca.cert_pem();
  auto again = CertificateAuthority::Init(tmp.Sub("ca"), InitOptions{});
  EXPECT_TRUE(again.status().IsConflict());
  EXPECT_EQ(again.status().detail(), "ca_exists");
  EXPECT_EQ(ReadAll(tmp.Sub("ca/ca.cert.pem")), cert_before);  // untouched
  struct stat st;
  ASSERT_EQ(stat(tmp.Sub("ca").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat(tmp.Sub("ca/ca.key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The initial CRL is there and empty.
  std::string crl = ReadAll(tmp.Sub("ca/ca.crl.pem"));
  EXPECT_NE(crl.find("BEGIN X509 CRL"), std::string::npos);

  InitOptions bad;
  bad.region_name = "";
  EXPECT_EQ(CertificateAuthority::Init(tmp.Sub("bad"), bad).status().detail(), "bad_name");
  bad.region_name = "R";
  bad.validity_days = 0;
  EXPECT_EQ(CertificateAuthority::Init(tmp.Sub("bad"), bad).status().detail(), "bad_validity");
}

TEST(CertificateAuthorityTest, LeafValidityIsCappedByTheCa) {
  ScratchDir tmp;
  InitOptions o;
  o.validity_days = 10;
  auto ca = CertificateAuthority::Init(tmp.Sub("ca"), o);
  ASSERT_TRUE(ca.ok());
  auto issued = ca->Issue(Hospital());  // asks for 825 days
  ASSERT_TRUE(issued.ok());
  auto ca_id = internal::CertificateFromPem(ca->cert_pem(), "t");
  ASSERT_TRUE(ca_id.ok());
  EXPECT_LE(issued->not_after, internal::UnixTimeOf(X509_get0_notAfter(ca_id->get())));
  EXPECT_GT(issued->not_after, internal::UnixNow() + 9 * 86400);
}

TEST(CertificateAuthorityTest, ConcurrentUsersOfOneDirectory) {
  // Separate CertificateAuthority objects (as separate CLI processes would be) issue,
  // revoke and sign CRLs at the same time; every certificate is recorded once and the CRL
  // numbers are distinct.
  ScratchDir tmp;
  { CertificateAuthority ca = NewCa(tmp.Sub("ca")); }
  constexpr int kThreads = 4;
  constexpr int kEach = 5;
  std::vector<std::vector<std::string>> serials(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto ca = CertificateAuthority::Open(tmp.Sub("ca"));
      if (!ca.ok()) {
        failures[t] = ca.status().ToString();
        return;
      }
      for (int i = 0; i < kEach; ++i) {
        auto issued = ca->Issue(Hospital());
        if (!issued.ok()) {
          failures[t] = issued.status().ToString();
          return;
        }
        serials[t].push_back(issued->serial_hex);
        if (i == 0) {
          Status st = ca->Revoke(issued->serial_hex, RevocationReason::kSuperseded);
          if (!st.ok()) failures[t] = st.ToString();
          auto crl = ca->Crl();
          if (!crl.ok()) failures[t] = crl.status().ToString();
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (const std::string& f : failures) EXPECT_EQ(f, "");
  auto ca = CertificateAuthority::Open(tmp.Sub("ca"));
  ASSERT_TRUE(ca.ok());
  auto list = ca->List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), static_cast<size_t>(kThreads * kEach));
  std::set<std::string> unique;
  for (const auto& r : list.value()) unique.insert(r.serial_hex);
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kEach));
  auto crl = ca->Crl();
  ASSERT_TRUE(crl.ok());
  internal::BioPtr bio(BIO_new_mem_buf(crl->data(), static_cast<int>(crl->size())));
  internal::CrlPtr parsed(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(parsed.get())), kThreads);
  auto* number = static_cast<ASN1_INTEGER*>(
      X509_CRL_get_ext_d2i(parsed.get(), NID_crl_number, nullptr, nullptr));
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(ASN1_INTEGER_get(number), 1 + kThreads + 1);
  ASN1_INTEGER_free(number);
}

TEST(CertificateIdentityTest, CertificateWithoutFacilityIsRefused) {
  // A self-signed certificate without SAN (as a stranger would present).
  internal::PkeyPtr key(EVP_EC_gen("P-256"));
  internal::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "OU", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(kHospitalOid), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  X509_set_pubkey(cert.get(), key.get());
  ASSERT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
  auto id = IdentityOf(cert.get());
  EXPECT_TRUE(id.status().IsInvalidArgument());
  EXPECT_EQ(id.status().detail(), "no_facility_oid");
  EXPECT_EQ(IdentityOfPem("garbage").status().detail(), "bad_certificate");
}

}  // namespace
}  // namespace renkei::trust

namespace renkei::trust {
namespace {

TEST(CredentialFilesTest, SaveCredentialsNeverOverwrites) {
  testing::ScratchDir tmp;
  auto ca = CertificateAuthority::Init(tmp.Sub("ca"), InitOptions{});
  ASSERT_TRUE(ca.ok());
  IssueRequest r;
  r.facility_oid = "1.2.392.100.1";
  auto first = ca->Issue(r);
  auto second = ca->Issue(r);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(SaveCredentials(first.value(), tmp.Sub("node")).ok());
  struct stat st;
  ASSERT_EQ(stat(tmp.Sub("node.key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(tmp.Sub("node.cert.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  Status again = SaveCredentials(second.value(), tmp.Sub("node"));
  EXPECT_TRUE(again.IsConflict());
  EXPECT_EQ(ReadAll(tmp.Sub("node.key.pem")), first->key_pem);
  EXPECT_EQ(ReadAll(tmp.Sub("node.cert.pem")), first->cert_pem);
  // Only the certificate exists: the key is not written either.
  std::ofstream(tmp.Sub("half.cert.pem")) << "x";
  EXPECT_TRUE(SaveCredentials(second.value(), tmp.Sub("half")).IsConflict());
  EXPECT_FALSE(std::filesystem::exists(tmp.Sub("half.key.pem")));
  EXPECT_EQ(WriteNewFile(tmp.Sub("no/such/dir/f"), "x", 0600).detail(), "file");
}

}  // namespace
}  // namespace renkei::trust
