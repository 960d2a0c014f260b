// Test helpers of renkei_trust's tests: a scratch directory and X509_verify_cert against a
// CA (RFC 5280 §6 path validation, with or without the CRL).
#ifndef RENKEI_TRUST_INTERNAL_TEST_UTIL_H_
#define RENKEI_TRUST_INTERNAL_TEST_UTIL_H_

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "trust/internal/openssl_handles.h"

namespace renkei::trust::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/renkei-trust-XXXXXX";
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// X509_verify_cert of `cert_pem` against the CA `ca_pem` (and `crl_pem` with CRL checking
// when non-empty); X509_V_OK or the verification error; -1 when the input does not parse.
inline int VerifyAgainst(const std::string& cert_pem, const std::string& ca_pem,
                         const std::string& crl_pem = std::string()) {
  auto cert = internal::CertificateFromPem(cert_pem, "test");
  auto ca = internal::CertificateFromPem(ca_pem, "test");
  if (!cert.ok() || !ca.ok()) return -1;
  internal::StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca->get());
  if (!crl_pem.empty()) {
    internal::BioPtr bio(BIO_new_mem_buf(crl_pem.data(), static_cast<int>(crl_pem.size())));
    internal::CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    if (!crl) return -1;
    X509_STORE_add_crl(store.get(), crl.get());
    X509_STORE_set_flags(store.get(), X509_V_FLAG_CRL_CHECK);
  }
  internal::StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), cert->get(), nullptr);
  int ok = X509_verify_cert(ctx.get());
  int err = X509_STORE_CTX_get_error(ctx.get());
  internal::ClearOpensslErrors();
  return ok == 1 ? X509_V_OK : (err == X509_V_OK ? -2 : err);
}

}  // namespace renkei::trust::testing

#endif  // RENKEI_TRUST_INTERNAL_TEST_UTIL_H_
