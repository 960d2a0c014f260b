// ITI-19 Authenticate Node: writing a facility's credentials (PEM key and certificate, as
// the TLS configuration of every role reads them) without ever overwriting a file.
//
// Thread-safety: the functions may be called from any thread; two callers writing the same
// path get one success and one Conflict.
#ifndef RENKEI_TRUST_CREDENTIAL_FILES_H_
#define RENKEI_TRUST_CREDENTIAL_FILES_H_

#include <sys/types.h>

#include <string>

#include "common/status.h"
#include "trust/certificate_authority.h"

namespace renkei::trust {

// Creates `path` (O_EXCL) with permission bits `mode`, writes `data` and fsyncs it.
// Conflict "file_exists" when the path exists; Internal "file" for other failures (a
// partially written file is removed).
Status WriteNewFile(const std::string& path, const std::string& data, mode_t mode);

// Writes PREFIX.key.pem (0600) and PREFIX.cert.pem (0644) of `issued`. Conflict
// "file_exists" (nothing written) when either exists already.
Status SaveCredentials(const IssuedCertificate& issued, const std::string& prefix);

}  // namespace renkei::trust

#endif  // RENKEI_TRUST_CREDENTIAL_FILES_H_
