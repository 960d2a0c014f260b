// RFC 5280 certificate profile of the regional CA: key generation, subject names
// (UTF8String), extensions, and validation of the names a request carries.
//
// Thread-safety: pure functions. Private header of renkei_trust.
#ifndef RENKEI_TRUST_INTERNAL_X509_PROFILE_H_
#define RENKEI_TRUST_INTERNAL_X509_PROFILE_H_

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "trust/certificate_authority.h"
#include "trust/internal/openssl_handles.h"

namespace renkei::trust::internal {

using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;

// A fresh key pair.
Result<PkeyPtr> GenerateKey(KeyType type);

// Number of characters of well-formed UTF-8 `text` (no overlongs, surrogates or C0/DEL
// controls); -1 when malformed.
int Utf8Length(const std::string& text);

// InvalidArgument `detail` unless `value` is 1..64 characters of well-formed UTF-8
// (X.520 ub-name lengths, RFC 5280 Appendix A).
Status CheckNameValue(const std::string& value, const std::string& field,
                      const std::string& detail);

// True for a DNS name of LDH labels (1..63 characters each, no leading or trailing '-'),
// at most 253 characters, optionally starting with "*.".
bool IsValidDnsName(const std::string& host);

// C=JP, O=<organization>, [OU=<unit>,] CN=<common_name>; O, OU and CN as UTF8String.
// REQUIRES: the values passed CheckNameValue.
Result<NamePtr> BuildName(const std::string& organization, const std::string& unit,
                          const std::string& common_name);

// Adds an extension given in OpenSSL's configuration syntax ("critical,CA:TRUE", "hash",
// "keyid:always") with `issuer` as the issuer certificate (for the authority key id).
Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value);

// Adds subjectAltName: URI:urn:oid:<oid>, DNS:<host>..., IP:<ip>... (not critical).
// InvalidArgument "bad_ip" for an IP that is not an IPv4/IPv6 literal.
Status AddSubjectAltName(X509* cert, const std::string& oid, const std::vector<std::string>& hosts,
                         const std::vector<std::string>& ips);

// A random positive 128-bit serial number.
Result<Asn1IntegerPtr> RandomSerial();

// The signature digest for a CA key: SHA-256 for EC and RSA.
const EVP_MD* SignatureDigest();

// RFC 5280 §5: a v2 CRL issued by `ca` and signed with `key`: thisUpdate `now`, nextUpdate
// now + `next_update_hours`, crlNumber `number`, authority key identifier, and an entry
// (serial, revocation date, reason code unless unspecified) for each of `revoked`.
Result<CrlPtr> SignCrl(X509* ca, EVP_PKEY* key, int64_t number,
                       const std::vector<CertificateRecord>& revoked, int64_t now,
                       int next_update_hours);

}  // namespace renkei::trust::internal

#endif  // RENKEI_TRUST_INTERNAL_X509_PROFILE_H_
