// RFC 5280 §4.2.1.13 CRL distribution points: the cRLDistributionPoints extension the
// regional CA writes into the certificates it issues when it publishes its CRL at a URL
// (`renkei ca init --crl-url`), and the check of that URL.
//
// Thread-safety: pure functions. Private header of renkei_trust.
#ifndef RENKEI_TRUST_INTERNAL_CRL_DISTRIBUTION_POINT_H_
#define RENKEI_TRUST_INTERNAL_CRL_DISTRIBUTION_POINT_H_

#include <openssl/x509.h>

#include <string>

#include "common/status.h"

namespace renkei::trust::internal {

// OK when `url` can name the CRL: an absolute "http://" or "https://" URI (RFC 3986) with a
// host, at most 512 characters of printable ASCII without spaces or the characters RFC 3986
// never allows unescaped (" < > \ ^ ` { | }). InvalidArgument "bad_crl_url" otherwise.
Status CheckCrlUrl(const std::string& url);

// Adds to `cert` a non-critical cRLDistributionPoints extension with one DistributionPoint
// whose distributionPoint is the fullName uniformResourceIdentifier `url` (no reasons, no
// cRLIssuer: the CRL is the issuer's complete CRL, RFC 5280 §4.2.1.13). REQUIRES:
// CheckCrlUrl(url) is OK. Internal on an OpenSSL failure.
Status AddCrlDistributionPoint(X509* cert, const std::string& url);

}  // namespace renkei::trust::internal

#endif  // RENKEI_TRUST_INTERNAL_CRL_DISTRIBUTION_POINT_H_
