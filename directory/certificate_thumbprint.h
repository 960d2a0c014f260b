// ITI-19 / RFC 8705 §3.1: the `x5t#S256` thumbprint of a facility's certificate (SHA-256 of
// its DER, base64url without padding), the form common/peer.h gives for a TLS peer, so the
// directory can list which certificate a facility presents.
// Thread-safety: pure function.
#ifndef RENKEI_DIRECTORY_CERTIFICATE_THUMBPRINT_H_
#define RENKEI_DIRECTORY_CERTIFICATE_THUMBPRINT_H_

#include <string>

#include "common/status.h"

namespace renkei::directory {

// The thumbprint of the first certificate in `pem`. InvalidArgument (detail "invalid") when
// `pem` holds no X.509 certificate.
Result<std::string> CertificateSha256(const std::string& pem);

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_CERTIFICATE_THUMBPRINT_H_
