// RFC 5280 / OpenSSL 3 plumbing (trust/internal/openssl_handles.h).
#include "trust/internal/openssl_handles.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <cctype>
#include <chrono>
#include <ctime>

namespace renkei::trust::internal {
namespace {

BioPtr MemoryBio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n > 0 ? n : 0));
}

template <typename Write>
Result<std::string> ToPem(Write write, const char* what) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) return OpensslError("openssl", what);
  return BioText(bio.get());
}

}  // namespace

Status OpensslError(const std::string& detail, const std::string& what) {
  std::string msg = what;
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof buf);
    msg += msg == what ? ": " : "; ";
    msg += buf;
  }
  return Status::Internal(detail, msg);
}

void ClearOpensslErrors() { ERR_clear_error(); }

Result<PkeyPtr> PrivateKeyFromPem(std::string_view pem, const std::string& detail) {
  BioPtr bio = MemoryBio(pem);
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    ClearOpensslErrors();
    return Status::InvalidArgument(detail, "not a PEM private key");
  }
  return key;
}

Result<PkeyPtr> PublicKeyFromPem(std::string_view pem, const std::string& detail) {
  BioPtr bio = MemoryBio(pem);
  PkeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    ClearOpensslErrors();
    return Status::InvalidArgument(detail, "not a PEM public key (SubjectPublicKeyInfo)");
  }
  return key;
}

Result<X509Ptr> CertificateFromPem(std::string_view pem, const std::string& detail) {
  BioPtr bio = MemoryBio(pem);
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    ClearOpensslErrors();
    return Status::InvalidArgument(detail, "not a PEM certificate");
  }
  return cert;
}

Result<std::string> PrivateKeyToPem(EVP_PKEY* key) {
  return ToPem(
      [key](BIO* b) {
        return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
      },
      "write private key");
}

Result<std::string> PublicKeyToPem(EVP_PKEY* key) {
  return ToPem([key](BIO* b) { return PEM_write_bio_PUBKEY(b, key); }, "write public key");
}

Result<std::string> CertificateToPem(X509* cert) {
  return ToPem([cert](BIO* b) { return PEM_write_bio_X509(b, cert); }, "write certificate");
}

Result<std::string> CrlToPem(X509_CRL* crl) {
  return ToPem([crl](BIO* b) { return PEM_write_bio_X509_CRL(b, crl); }, "write CRL");
}

std::string Sha256(std::string_view bytes) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}

std::string SerialHex(const ASN1_INTEGER* serial) {
  BnPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return std::string();
  char* hex = BN_bn2hex(bn.get());
  std::string out = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  return out;
}

Result<std::string> CanonicalSerialHex(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
  }
  std::string digits;
  for (char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return Status::InvalidArgument("bad_serial", "serial number is not hexadecimal");
    }
    digits += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  if (digits.empty() || digits.size() > 40) {
    return Status::InvalidArgument("bad_serial", "serial number is empty or longer than 20 bytes");
  }
  return digits;
}

int64_t UnixTimeOf(const ASN1_TIME* t) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return -1;
  return static_cast<int64_t>(timegm(&tm));
}

std::string IsoTime(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm = {};
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace renkei::trust::internal
