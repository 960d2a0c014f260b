// ITI-19 Authenticate Node: the regional CA (trust/certificate_authority.h).
#include "trust/certificate_authority.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "trust/certificate_identity.h"
#include "trust/credential_files.h"
#include "trust/internal/ca_index.h"
#include "trust/internal/crl_distribution_point.h"
#include "trust/internal/openssl_handles.h"
#include "trust/internal/x509_profile.h"

namespace renkei::trust {

using internal::CaIndex;
using internal::OpensslError;
using internal::PkeyPtr;
using internal::X509Ptr;

namespace {

constexpr char kKeyFile[] = "ca.key.pem";
constexpr char kCertFile[] = "ca.cert.pem";
constexpr char kCrlFile[] = "ca.crl.pem";
constexpr char kIndexFile[] = "index.sqlite";
constexpr char kMetaCrlUrl[] = "crl_url";  // InitOptions::crl_url, when set
constexpr int kBackdateSeconds = 300;      // notBefore slightly in the past for clock skew

struct ReasonName {
  RevocationReason reason;
  const char* name;
};
constexpr ReasonName kReasons[] = {
    {RevocationReason::kUnspecified, "unspecified"},
    {RevocationReason::kKeyCompromise, "keyCompromise"},
    {RevocationReason::kCaCompromise, "cACompromise"},
    {RevocationReason::kAffiliationChanged, "affiliationChanged"},
    {RevocationReason::kSuperseded, "superseded"},
    {RevocationReason::kCessationOfOperation, "cessationOfOperation"},
    {RevocationReason::kCertificateHold, "certificateHold"},
    {RevocationReason::kPrivilegeWithdrawn, "privilegeWithdrawn"},
};

std::string Join(const std::string& dir, const char* file) {
  return (std::filesystem::path(dir) / file).string();
}

Status FileError(const std::string& what, const std::string& path) {
  return Status::Internal("ca_file", what + " " + path + ": " + std::strerror(errno));
}

// Replaces `path` atomically (temporary file, fsync, rename).
Status ReplaceFile(const std::string& path, const std::string& data, mode_t mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  ::unlink(tmp.c_str());
  RENKEI_RETURN_IF_ERROR(WriteNewFile(tmp, data, mode));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = FileError("rename", path);
    ::unlink(tmp.c_str());
    return st;
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("not_a_ca", "cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Sets notBefore = now - backdate, notAfter = min(now + days, cap) (cap <= 0: none).
Status SetValidity(X509* cert, int days, int64_t cap) {
  const int64_t now = internal::UnixNow();
  int64_t not_after = now + int64_t{days} * 86400;
  if (cap > 0) not_after = std::min(not_after, cap);
  if (ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(now - kBackdateSeconds)) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(not_after)) == nullptr) {
    return OpensslError("openssl", "set validity");
  }
  return Status::Ok();
}

bool IsCaCertificate(X509* cert) {
  return X509_check_ca(cert) >= 1 && (X509_get_extension_flags(cert) & EXFLAG_CA) != 0;
}

}  // namespace

bool ParseKeyType(const std::string& text, KeyType* out) {
  if (text == "ec") {
    *out = KeyType::kEcP256;
  } else if (text == "rsa") {
    *out = KeyType::kRsa3072;
  } else {
    return false;
  }
  return true;
}

const char* RevocationReasonName(RevocationReason reason) {
  for (const ReasonName& r : kReasons) {
    if (r.reason == reason) return r.name;
  }
  return "unspecified";
}

bool ParseRevocationReason(const std::string& text, RevocationReason* out) {
  for (const ReasonName& r : kReasons) {
    if (text == r.name) {
      *out = r.reason;
      return true;
    }
  }
  return false;
}

bool IsValidOid(const std::string& oid) {
  if (oid.empty() || oid.size() > 64) return false;
  std::vector<std::string> arcs;
  size_t start = 0;
  while (true) {
    size_t dot = oid.find('.', start);
    arcs.push_back(oid.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (arcs.size() < 2) return false;
  for (const std::string& a : arcs) {
    if (a.empty() || a.size() > 20) return false;
    if (a.size() > 1 && a[0] == '0') return false;
    for (char c : a) {
      if (c < '0' || c > '9') return false;
    }
  }
  if (arcs[0].size() != 1 || arcs[0][0] > '2') return false;
  if (arcs[0][0] != '2' && (arcs[1].size() > 2 || std::stoi(arcs[1]) >= 40)) return false;
  return true;
}

CertificateStatus CertificateRecord::StatusAt(int64_t now) const {
  if (revoked) return CertificateStatus::kRevoked;
  if (now > not_after) return CertificateStatus::kExpired;
  return CertificateStatus::kValid;
}

struct CertificateAuthority::Impl {
  std::string dir;
  std::string region_name;
  std::string cert_pem;
  std::string crl_url;
  X509Ptr cert;
  PkeyPtr key;
  std::unique_ptr<CaIndex> index;
};

CertificateAuthority::CertificateAuthority(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CertificateAuthority::CertificateAuthority(CertificateAuthority&&) noexcept = default;
CertificateAuthority& CertificateAuthority::operator=(CertificateAuthority&&) noexcept = default;
CertificateAuthority::~CertificateAuthority() = default;

const std::string& CertificateAuthority::dir() const { return impl_->dir; }
const std::string& CertificateAuthority::region_name() const { return impl_->region_name; }
const std::string& CertificateAuthority::cert_pem() const { return impl_->cert_pem; }
const std::string& CertificateAuthority::crl_url() const { return impl_->crl_url; }
std::string CertificateAuthority::crl_path() const { return Join(impl_->dir, kCrlFile); }
std::string CertificateAuthority::cert_path() const { return Join(impl_->dir, kCertFile); }

Result<CertificateAuthority> CertificateAuthority::Init(const std::string& dir,
                                                        const InitOptions& options) {
  RENKEI_RETURN_IF_ERROR(internal::CheckNameValue(options.region_name, "region_name", "bad_name"));
  const std::string ca_cn = options.region_name + " Regional CA";
  RENKEI_RETURN_IF_ERROR(internal::CheckNameValue(ca_cn, "region_name", "bad_name"));
  if (options.validity_days < 1 || options.validity_days > 36500) {
    return Status::InvalidArgument("bad_validity", "validity_days must be 1..36500");
  }
  if (!options.crl_url.empty()) RENKEI_RETURN_IF_ERROR(internal::CheckCrlUrl(options.crl_url));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("ca_file", "create " + dir + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);

  // The key file, created exclusively, claims the directory for this Init.
  const std::string key_path = Join(dir, kKeyFile);
  struct stat st;
  if (::stat(Join(dir, kCertFile).c_str(), &st) == 0 || ::stat(key_path.c_str(), &st) == 0) {
    return Status::Conflict("ca_exists", dir + " already holds a CA");
  }
  auto key = internal::GenerateKey(options.key_type);
  if (!key.ok()) return key.status();
  auto key_pem = internal::PrivateKeyToPem(key->get());
  if (!key_pem.ok()) return key_pem.status();
  Status written = WriteNewFile(key_path, key_pem.value(), 0600);
  if (written.IsConflict()) return Status::Conflict("ca_exists", dir + " already holds a CA");
  RENKEI_RETURN_IF_ERROR(written);
  // This Init owns the directory now; on failure it leaves it as it found it.
  struct Cleanup {
    std::string dir;
    bool armed = true;
    ~Cleanup() {
      if (!armed) return;
      for (const char* f : {kCrlFile, kKeyFile, kIndexFile}) ::unlink(Join(dir, f).c_str());
      ::unlink((Join(dir, kIndexFile) + "-wal").c_str());
      ::unlink((Join(dir, kIndexFile) + "-shm").c_str());
    }
  } cleanup{dir};

  X509Ptr cert(X509_new());
  auto serial = internal::RandomSerial();
  if (!cert || !serial.ok()) return OpensslError("openssl", "new CA certificate");
  auto name = internal::BuildName(options.region_name, "", ca_cn);
  if (!name.ok()) return name.status();
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(cert.get(), serial->get()) != 1 ||
      X509_set_subject_name(cert.get(), name->get()) != 1 ||
      X509_set_issuer_name(cert.get(), name->get()) != 1 ||
      X509_set_pubkey(cert.get(), key->get()) != 1) {
    return OpensslError("openssl", "CA certificate fields");
  }
  RENKEI_RETURN_IF_ERROR(SetValidity(cert.get(), options.validity_days, 0));
  X509* c = cert.get();
  RENKEI_RETURN_IF_ERROR(internal::AddExtension(c, c, NID_basic_constraints, "critical,CA:TRUE"));
  RENKEI_RETURN_IF_ERROR(
      internal::AddExtension(c, c, NID_key_usage, "critical,keyCertSign,cRLSign"));
  RENKEI_RETURN_IF_ERROR(internal::AddExtension(c, c, NID_subject_key_identifier, "hash"));
  RENKEI_RETURN_IF_ERROR(
      internal::AddExtension(c, c, NID_authority_key_identifier, "keyid:always"));
  if (X509_sign(c, key->get(), internal::SignatureDigest()) <= 0) {
    return OpensslError("openssl", "sign CA certificate");
  }
  auto cert_pem = internal::CertificateToPem(c);
  if (!cert_pem.ok()) return cert_pem.status();

  auto index = CaIndex::Open(Join(dir, kIndexFile), /*create=*/true);
  if (!index.ok()) return index.status();
  RENKEI_RETURN_IF_ERROR(index.value()->SetMeta("region_name", options.region_name));
  if (!options.crl_url.empty()) {
    RENKEI_RETURN_IF_ERROR(index.value()->SetMeta(kMetaCrlUrl, options.crl_url));
  }

  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->region_name = options.region_name;
  impl->crl_url = options.crl_url;
  impl->cert_pem = cert_pem.value();
  impl->cert = std::move(cert);
  impl->key = std::move(key.value());
  impl->index = std::move(index.value());
  CertificateAuthority ca(std::move(impl));
  auto crl = ca.Crl();
  if (!crl.ok()) return crl.status();
  // The certificate last: until it exists, Open() does not take the directory for a CA.
  RENKEI_RETURN_IF_ERROR(ReplaceFile(ca.cert_path(), ca.cert_pem(), 0644));
  cleanup.armed = false;
  return ca;
}

Result<CertificateAuthority> CertificateAuthority::Open(const std::string& dir) {
  auto cert_pem = ReadFile(Join(dir, kCertFile));
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = ReadFile(Join(dir, kKeyFile));
  if (!key_pem.ok()) return key_pem.status();
  auto cert = internal::CertificateFromPem(cert_pem.value(), "bad_ca");
  if (!cert.ok()) return cert.status();
  auto key = internal::PrivateKeyFromPem(key_pem.value(), "bad_ca");
  if (!key.ok()) return key.status();
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    internal::ClearOpensslErrors();
    return Status::InvalidArgument("bad_ca", "the CA key does not match the CA certificate");
  }
  if (!IsCaCertificate(cert->get())) {
    return Status::InvalidArgument("bad_ca", "ca.cert.pem is not a CA certificate");
  }
  auto index = CaIndex::Open(Join(dir, kIndexFile), /*create=*/false);
  if (!index.ok()) return index.status();
  auto region = index.value()->Meta("region_name");
  if (!region.ok()) return Status::InvalidArgument("bad_ca", "the CA index names no region");
  // A CA made before CRL URLs, or without one, has no setting.
  auto crl_url = index.value()->Meta(kMetaCrlUrl);
  if (!crl_url.ok() && !crl_url.status().IsNotFound()) return crl_url.status();
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->region_name = region.value();
  if (crl_url.ok()) impl->crl_url = crl_url.value();
  impl->cert_pem = cert_pem.value();
  impl->cert = std::move(cert.value());
  impl->key = std::move(key.value());
  impl->index = std::move(index.value());
  return CertificateAuthority(std::move(impl));
}

Result<IssuedCertificate> CertificateAuthority::Issue(const IssueRequest& request) {
  if (request.facility_oid.empty()) {
    return Status::InvalidArgument("bad_facility_oid", "the facility OID is required",
                                   "facility_oid");
  }
  if (!IsValidOid(request.facility_oid)) {
    return Status::InvalidArgument(
        "bad_facility_oid", "not a dotted OID: '" + request.facility_oid + "'", "facility_oid");
  }
  if (!request.facility_name.empty()) {
    RENKEI_RETURN_IF_ERROR(
        internal::CheckNameValue(request.facility_name, "facility_name", "bad_name"));
  }
  for (const std::string& h : request.hosts) {
    if (!internal::IsValidDnsName(h)) {
      return Status::InvalidArgument("bad_host", "not a DNS name: '" + h + "'", "hosts");
    }
  }
  if (request.validity_days < 1 || request.validity_days > 3650) {
    return Status::InvalidArgument("bad_validity", "validity_days must be 1..3650");
  }
  const std::string cn = !request.facility_name.empty() ? request.facility_name
                         : !request.hosts.empty()       ? request.hosts.front()
                                                        : request.facility_oid;

  auto key = internal::GenerateKey(request.key_type);
  if (!key.ok()) return key.status();
  X509Ptr cert(X509_new());
  auto serial = internal::RandomSerial();
  if (!cert || !serial.ok()) return OpensslError("openssl", "new certificate");
  auto name = internal::BuildName(impl_->region_name, request.facility_oid, cn);
  if (!name.ok()) return name.status();
  X509* c = cert.get();
  X509* ca = impl_->cert.get();
  if (X509_set_version(c, X509_VERSION_3) != 1 || X509_set_serialNumber(c, serial->get()) != 1 ||
      X509_set_subject_name(c, name->get()) != 1 ||
      X509_set_issuer_name(c, X509_get_subject_name(ca)) != 1 ||
      X509_set_pubkey(c, key->get()) != 1) {
    return OpensslError("openssl", "certificate fields");
  }
  RENKEI_RETURN_IF_ERROR(
      SetValidity(c, request.validity_days, internal::UnixTimeOf(X509_get0_notAfter(ca))));
  RENKEI_RETURN_IF_ERROR(internal::AddExtension(c, ca, NID_basic_constraints, "CA:FALSE"));
  RENKEI_RETURN_IF_ERROR(internal::AddExtension(c, ca, NID_key_usage,
                                                request.key_type == KeyType::kRsa3072
                                                    ? "critical,digitalSignature,keyEncipherment"
                                                    : "critical,digitalSignature"));
  RENKEI_RETURN_IF_ERROR(internal::AddExtension(
      c, ca, NID_ext_key_usage,
      request.usage == CertificateUsage::kClient ? "clientAuth" : "serverAuth,clientAuth"));
  RENKEI_RETURN_IF_ERROR(internal::AddExtension(c, ca, NID_subject_key_identifier, "hash"));
  RENKEI_RETURN_IF_ERROR(
      internal::AddExtension(c, ca, NID_authority_key_identifier, "keyid:always"));
  RENKEI_RETURN_IF_ERROR(
      internal::AddSubjectAltName(c, request.facility_oid, request.hosts, request.ips));
  if (!impl_->crl_url.empty()) {
    RENKEI_RETURN_IF_ERROR(internal::AddCrlDistributionPoint(c, impl_->crl_url));
  }
  if (X509_sign(c, impl_->key.get(), internal::SignatureDigest()) <= 0) {
    return OpensslError("openssl", "sign certificate");
  }

  IssuedCertificate out;
  out.serial_hex = internal::SerialHex(X509_get0_serialNumber(c));
  auto key_pem = internal::PrivateKeyToPem(key->get());
  if (!key_pem.ok()) return key_pem.status();
  auto cert_pem = internal::CertificateToPem(c);
  if (!cert_pem.ok()) return cert_pem.status();
  out.key_pem = std::move(key_pem.value());
  out.cert_pem = std::move(cert_pem.value());
  out.not_after = internal::UnixTimeOf(X509_get0_notAfter(c));

  CertificateRecord record;
  record.serial_hex = out.serial_hex;
  record.facility_oid = request.facility_oid;
  record.common_name = cn;
  record.hosts = request.hosts;
  record.hosts.insert(record.hosts.end(), request.ips.begin(), request.ips.end());
  record.not_before = internal::UnixTimeOf(X509_get0_notBefore(c));
  record.not_after = out.not_after;
  record.cert_pem = out.cert_pem;
  RENKEI_RETURN_IF_ERROR(impl_->index->Insert(record));
  return out;
}

Status CertificateAuthority::Revoke(const std::string& serial_hex, RevocationReason reason) {
  auto serial = internal::CanonicalSerialHex(serial_hex);
  if (!serial.ok()) return serial.status();
  return impl_->index->Revoke(serial.value(), reason, internal::UnixNow());
}

Result<std::string> CertificateAuthority::Crl(int next_update_hours) {
  if (next_update_hours < 1) {
    return Status::InvalidArgument("bad_validity", "next_update_hours must be at least 1");
  }
  Impl* impl = impl_.get();
  auto sign = [impl, next_update_hours](
                  int64_t number,
                  const std::vector<CertificateRecord>& revoked) -> Result<std::string> {
    auto crl = internal::SignCrl(impl->cert.get(), impl->key.get(), number, revoked,
                                 internal::UnixNow(), next_update_hours);
    if (!crl.ok()) return crl.status();
    auto pem = internal::CrlToPem(crl->get());
    if (!pem.ok()) return pem;
    RENKEI_RETURN_IF_ERROR(ReplaceFile(Join(impl->dir, kCrlFile), pem.value(), 0644));
    return pem;
  };
  return impl_->index->WithNextCrlNumber(sign);
}

Result<std::string> CertificateAuthority::Pkcs12(const std::string& key_pem,
                                                 const std::string& cert_pem,
                                                 const std::string& password,
                                                 const std::string& friendly_name) const {
  if (password.empty()) {
    return Status::InvalidArgument("bad_pkcs12_input", "a PKCS#12 bundle needs a password");
  }
  auto key = internal::PrivateKeyFromPem(key_pem, "bad_pkcs12_input");
  if (!key.ok()) return key.status();
  auto cert = internal::CertificateFromPem(cert_pem, "bad_pkcs12_input");
  if (!cert.ok()) return cert.status();
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    internal::ClearOpensslErrors();
    return Status::InvalidArgument("bad_pkcs12_input", "the key does not match the certificate");
  }
  internal::X509StackPtr chain(sk_X509_new_null());
  if (!chain || sk_X509_push(chain.get(), impl_->cert.get()) == 0) {
    return OpensslError("openssl", "PKCS#12 chain");
  }
  X509_up_ref(impl_->cert.get());
  // nid_key / nid_cert / iter / mac_iter 0: OpenSSL 3's defaults (AES-256-CBC with PBKDF2,
  // 2048 iterations, SHA-256 MAC).
  internal::Pkcs12Ptr p12(PKCS12_create(password.c_str(),
                                        friendly_name.empty() ? nullptr : friendly_name.c_str(),
                                        key->get(), cert->get(), chain.get(), 0, 0, 0, 0, 0));
  if (!p12) return OpensslError("openssl", "create PKCS#12");
  unsigned char* der = nullptr;
  int n = i2d_PKCS12(p12.get(), &der);
  if (n <= 0) return OpensslError("openssl", "encode PKCS#12");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

Result<std::vector<CertificateRecord>> CertificateAuthority::List() const {
  return impl_->index->All();
}

}  // namespace renkei::trust
