// ITI-19 Authenticate Node: the centre's regional certificate authority (RFC 5280 X.509 v3
// certificates and v2 CRLs, PKCS#12 for browsers), on OpenSSL 3.
//
// A CA lives in one directory:
//   ca.key.pem     the CA's private key (PKCS#8 PEM, unencrypted, mode 0600)
//   ca.cert.pem    the self-signed CA certificate
//   ca.crl.pem     the current CRL (rewritten atomically by Crl())
//   index.sqlite   every issued certificate and its revocation (SQLite, WAL)
// The directory is created with mode 0700. Several processes (CLI calls) may use one CA
// directory at the same time: issuance, revocation and CRL numbering are SQLite
// transactions; serial numbers are 128-bit random.
//
// Facility certificates name the facility by its OID in two places: the subject's OU and
// (authoritatively) the subjectAltName URI `urn:oid:<oid>` (see certificate_identity.h).
//
// Thread-safety: a CertificateAuthority is used by one thread at a time.
#ifndef RENKEI_TRUST_CERTIFICATE_AUTHORITY_H_
#define RENKEI_TRUST_CERTIFICATE_AUTHORITY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace renkei::trust {

enum class KeyType {
  kEcP256,   // ECDSA on NIST P-256, signatures ecdsa-with-SHA256
  kRsa3072,  // RSA 3072, signatures sha256WithRSAEncryption
};

// "ec" | "rsa" → KeyType; false when unknown.
bool ParseKeyType(const std::string& text, KeyType* out);

// RFC 5280 §5.3.1 CRLReason (the values are the DER codes).
enum class RevocationReason {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kCaCompromise = 2,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
  kCertificateHold = 6,
  kPrivilegeWithdrawn = 9,
};

// The RFC 5280 names: "unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
// "superseded", "cessationOfOperation", "certificateHold", "privilegeWithdrawn".
const char* RevocationReasonName(RevocationReason reason);
// Parses those names; false when unknown.
bool ParseRevocationReason(const std::string& text, RevocationReason* out);

// True for a dotted-decimal OBJECT IDENTIFIER as XDS and the facility directory use them:
// at least two arcs, digits only, no leading zeros, first arc 0..2 (second arc < 40 under 0
// and 1), at most 64 characters.
bool IsValidOid(const std::string& oid);

struct InitOptions {
  std::string region_name = "Renkei Region";  // subject O of the CA and every certificate
  KeyType key_type = KeyType::kEcP256;
  int validity_days = 3650;
  // Where the centre publishes this CA's CRL (an http:// or https:// URL, e.g.
  // "https://centre.example.jp:8443/pki/crl", trust/crl_endpoint.h). When set, every
  // certificate issued afterwards carries a cRLDistributionPoints extension naming it (RFC
  // 5280 §4.2.1.13); empty: none. Stored in the CA's index.
  std::string crl_url;
};

enum class CertificateUsage {
  kServerAndClient,  // extendedKeyUsage serverAuth + clientAuth (a node's or centre's own)
  kClient,           // extendedKeyUsage clientAuth (a browser or a facility system)
};

struct IssueRequest {
  std::string facility_oid;        // required, IsValidOid
  std::string facility_name;       // UTF-8 (Japanese allowed), at most 64 characters; may be empty
  std::vector<std::string> hosts;  // DNS names (LDH labels; a leading "*." is allowed)
  std::vector<std::string> ips;    // IPv4 or IPv6 literals
  CertificateUsage usage = CertificateUsage::kServerAndClient;
  KeyType key_type = KeyType::kEcP256;
  int validity_days = 825;  // capped at the CA certificate's notAfter
};

struct IssuedCertificate {
  std::string serial_hex;  // upper-case hex, no leading zeros
  std::string key_pem;     // the new private key, PKCS#8 PEM (unencrypted)
  std::string cert_pem;
  int64_t not_after = 0;  // Unix seconds
};

enum class CertificateStatus { kValid, kRevoked, kExpired };

// One row of the CA's index.
struct CertificateRecord {
  std::string serial_hex;
  std::string facility_oid;
  std::string common_name;
  std::vector<std::string> hosts;  // DNS names and IP addresses
  int64_t not_before = 0;          // Unix seconds
  int64_t not_after = 0;
  bool revoked = false;
  int64_t revoked_at = 0;  // Unix seconds; 0 when not revoked
  RevocationReason reason = RevocationReason::kUnspecified;
  std::string cert_pem;

  // kRevoked, else kExpired when `now` (Unix seconds) is past not_after, else kValid.
  CertificateStatus StatusAt(int64_t now) const;
};

class CertificateAuthority {
 public:
  // Creates a new CA in `dir` (created with mode 0700 if missing, with parents): a key pair
  // of options.key_type, a self-signed certificate (subject C=JP, O=<region>,
  // CN=<region> Regional CA; basicConstraints critical CA:TRUE; keyUsage critical
  // keyCertSign+cRLSign; subject key identifier), the index and an empty CRL (number 1).
  // Errors: Conflict "ca_exists" when `dir` already holds a CA (or another Init on it is
  // under way); InvalidArgument for an empty region name (or one over 64 characters or not
  // UTF-8) or validity_days outside 1..36500; InvalidArgument "bad_crl_url" for a crl_url
  // that is not an absolute http(s) URL with a host; Internal for file or OpenSSL failures.
  static Result<CertificateAuthority> Init(const std::string& dir, const InitOptions& options);

  // Opens the CA in `dir`. NotFound "not_a_ca" when the key, certificate or index is
  // missing; InvalidArgument "bad_ca" when they do not form a CA (unreadable, key and
  // certificate do not match, not a CA certificate).
  static Result<CertificateAuthority> Open(const std::string& dir);

  CertificateAuthority(CertificateAuthority&&) noexcept;
  CertificateAuthority& operator=(CertificateAuthority&&) noexcept;
  ~CertificateAuthority();

  // Issues a facility certificate with a fresh key pair and records it in the index.
  // Subject C=JP, O=<region>, OU=<facility OID>, CN=<facility name, else the first host,
  // else the OID> (UTF8String); subjectAltName URI:urn:oid:<OID> plus DNS:/IP: entries;
  // keyUsage critical digitalSignature (+keyEncipherment for RSA); extendedKeyUsage per
  // `usage`; basicConstraints CA:FALSE; subject and authority key identifiers; and, when
  // the CA has a crl_url, cRLDistributionPoints (one fullName URI, not critical).
  // Errors: InvalidArgument (detail "bad_facility_oid", "bad_name", "bad_host", "bad_ip",
  // "bad_validity") for a bad request; Internal for OpenSSL or index failures.
  Result<IssuedCertificate> Issue(const IssueRequest& request);

  // Marks the certificate with serial `serial_hex` (any case; ':' separators allowed)
  // revoked now with `reason`. OK (and unchanged) when it is already revoked. NotFound
  // "unknown_serial" when this CA did not issue it; InvalidArgument "bad_serial" when the text
  // is not hexadecimal. The CRL file changes only with Crl().
  Status Revoke(const std::string& serial_hex, RevocationReason reason);

  // Signs a new v2 CRL (crlNumber one above the last, thisUpdate now, nextUpdate now +
  // `next_update_hours`, every revoked certificate with its revocation date and reason,
  // authority key identifier), writes it to <dir>/ca.crl.pem atomically and returns its PEM.
  // InvalidArgument "bad_validity" for next_update_hours < 1; Internal on failure.
  Result<std::string> Crl(int next_update_hours = 24 * 7);

  // The DER bytes of a PKCS#12 bundle of `key_pem` and `cert_pem` (which must match) with
  // this CA's certificate in the chain, encrypted with `password` (OpenSSL 3 defaults:
  // AES-256-CBC, PBKDF2, HMAC-SHA256 MAC). InvalidArgument "bad_pkcs12_input" for an empty
  // password, unreadable PEM or a key that does not match the certificate.
  Result<std::string> Pkcs12(const std::string& key_pem, const std::string& cert_pem,
                             const std::string& password, const std::string& friendly_name) const;

  // Every certificate in the index, oldest first. Internal on index failure.
  Result<std::vector<CertificateRecord>> List() const;

  const std::string& dir() const;
  const std::string& region_name() const;
  const std::string& cert_pem() const;  // the CA certificate
  const std::string& crl_url() const;   // InitOptions::crl_url ("" = none)
  std::string crl_path() const;         // <dir>/ca.crl.pem
  std::string cert_path() const;        // <dir>/ca.cert.pem

 private:
  struct Impl;
  explicit CertificateAuthority(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::trust

#endif  // RENKEI_TRUST_CERTIFICATE_AUTHORITY_H_
