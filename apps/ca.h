// ITI-19 Authenticate Node: `renkei ca`, the operator's command for the regional CA
// (trust/certificate_authority.h).
//
//   renkei ca init   --dir D [--name REGION] [--key ec|rsa] [--days N]
//   renkei ca issue  --dir D --facility OID [--name NAME] [--host H]... [--ip IP]...
//                    [--client] [--key ec|rsa] [--days N] --out PREFIX
//                    [--p12-password PW | --p12-password-file FILE]
//   renkei ca revoke --dir D --serial HEX [--reason REASON] [--hours N]
//   renkei ca crl    --dir D [--out FILE] [--hours N]
//   renkei ca list   --dir D
//   renkei ca ticket-key --out FILE    an EC P-256 key for signing access tickets
//
// `issue` writes PREFIX.key.pem (0600), PREFIX.cert.pem and, with a password, PREFIX.p12
// (0600); it refuses to overwrite any of them, and prints the serial on stdout. `revoke`
// also publishes a new CRL. Exit status: 0 done, 1 refused or failed, 2 usage error.
#ifndef RENKEI_APPS_CA_H_
#define RENKEI_APPS_CA_H_

#include <string>
#include <vector>

namespace renkei::apps {

// `args` are the words after "ca".
int RunCa(const std::vector<std::string>& args);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_CA_H_
