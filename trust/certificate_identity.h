// ITI-19 Authenticate Node: the identity a regional certificate carries (RFC 5280 §4.2.1.6
// subjectAltName URI `urn:oid:<facility OID>`), and its RFC 8705 §3.1 `x5t#S256`
// thumbprint, to which access tickets are bound.
//
// Thread-safety: pure functions; the X509 passed in is only read.
#ifndef RENKEI_TRUST_CERTIFICATE_IDENTITY_H_
#define RENKEI_TRUST_CERTIFICATE_IDENTITY_H_

#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace renkei::trust {

struct CertificateIdentity {
  std::string facility_oid;            // from the SAN URI urn:oid:<oid>; never empty on success
  std::string common_name;             // subject CN (UTF-8); empty when the subject has none
  std::string organization;            // subject O (the region)
  std::string serial_hex;              // upper-case hex, no leading zeros
  int64_t not_before = 0;              // Unix seconds
  int64_t not_after = 0;               // Unix seconds
  std::string sha256;                  // x5t#S256: SHA-256 of the DER, base64url without padding
  std::vector<std::string> dns_names;  // SAN DNS entries
};

// Reads the identity of `cert` (not owned; REQUIRES: non-null). The facility comes only from
// the subjectAltName URI "urn:oid:<oid>" (case-insensitive "urn:oid:" prefix), never from
// the subject alone. InvalidArgument "no_facility_oid" when the certificate has no such URI
// with a valid OID, or "ambiguous_facility_oid" when it names two different OIDs.
// It does not verify the certificate: call it on a certificate TLS (or X509_verify_cert)
// already verified against the regional CA and CRL.
Result<CertificateIdentity> IdentityOf(X509* cert);

// The same from a PEM certificate; InvalidArgument "bad_certificate" for text that is not one.
Result<CertificateIdentity> IdentityOfPem(const std::string& cert_pem);

}  // namespace renkei::trust

#endif  // RENKEI_TRUST_CERTIFICATE_IDENTITY_H_
