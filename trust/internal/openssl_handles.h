// RFC 5280 / OpenSSL 3 plumbing for the regional CA and the access tickets: owning handles
// (unique_ptr with the matching OpenSSL free function), PEM and DER conversions, and the
// OpenSSL error queue as a Status.
//
// Thread-safety: the functions are safe from any thread; a handle is used by one thread at a
// time. Private header of renkei_trust.
#ifndef RENKEI_TRUST_INTERNAL_OPENSSL_HANDLES_H_
#define RENKEI_TRUST_INTERNAL_OPENSSL_HANDLES_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace renkei::trust::internal {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p != nullptr) Free(p);
  }
};

inline void FreeX509Stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
inline void FreeGeneralNames(GENERAL_NAMES* n) { GENERAL_NAMES_free(n); }

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
using RevokedPtr = std::unique_ptr<X509_REVOKED, Deleter<X509_REVOKED, X509_REVOKED_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>>;
using Asn1EnumPtr =
    std::unique_ptr<ASN1_ENUMERATED, Deleter<ASN1_ENUMERATED, ASN1_ENUMERATED_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, FreeGeneralNames>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), FreeX509Stack>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, Deleter<PKCS12, PKCS12_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

// The OpenSSL error queue (drained) appended to `what`, as Internal with `detail`.
Status OpensslError(const std::string& detail, const std::string& what);
// Drains the error queue (after an expected failure, e.g. a wrong password).
void ClearOpensslErrors();

// PEM ⇄ objects. Parsing returns InvalidArgument (detail `detail`) for text that is not the
// expected PEM block.
Result<PkeyPtr> PrivateKeyFromPem(std::string_view pem, const std::string& detail);
Result<PkeyPtr> PublicKeyFromPem(std::string_view pem, const std::string& detail);
Result<X509Ptr> CertificateFromPem(std::string_view pem, const std::string& detail);
Result<std::string> PrivateKeyToPem(EVP_PKEY* key);  // PKCS#8, unencrypted
Result<std::string> PublicKeyToPem(EVP_PKEY* key);   // SubjectPublicKeyInfo
Result<std::string> CertificateToPem(X509* cert);
Result<std::string> CrlToPem(X509_CRL* crl);

// SHA-256 of `bytes` (32 bytes).
std::string Sha256(std::string_view bytes);

// Upper-case hexadecimal of a non-negative ASN.1 INTEGER without leading zeros ("0" for 0).
std::string SerialHex(const ASN1_INTEGER* serial);
// Parses hex (either case, optional "0x" prefix and ':' separators) into the canonical
// upper-case form of SerialHex; InvalidArgument "bad_serial" when not hex or longer than 20
// bytes (RFC 5280 §4.1.2.2).
Result<std::string> CanonicalSerialHex(std::string_view text);

// Seconds since the Unix epoch of an ASN.1 time; -1 when unreadable.
int64_t UnixTimeOf(const ASN1_TIME* t);
// "YYYY-MM-DDTHH:MM:SSZ" of Unix seconds.
std::string IsoTime(int64_t unix_seconds);
// Now, Unix seconds.
int64_t UnixNow();

}  // namespace renkei::trust::internal

#endif  // RENKEI_TRUST_INTERNAL_OPENSSL_HANDLES_H_
