// ITI-19 for `renkei demo`: the region's CA and every party's certificate, made with
// `renkei ca`'s library (trust/) in the demo's data dir, so the demo runs over mutual TLS
// like a real region.
#ifndef RENKEI_APPS_DEMO_PKI_H_
#define RENKEI_APPS_DEMO_PKI_H_

#include <memory>
#include <string>
#include <vector>

#include "apps/demo_data.h"
#include "common/status.h"
#include "common/tls.h"

namespace renkei::apps {

struct DemoParty {
  std::string facility_oid;
  std::string cert, key;  // PEM files
};

struct DemoPki {
  std::string dir;      // <data_dir>/pki
  std::string ca_cert;  // <dir>/ca/ca.cert.pem
  std::string crl;      // <dir>/ca/ca.crl.pem
  DemoParty centre;
  std::vector<DemoParty> hospitals;  // as DemoRegion::hospitals
  DemoParty clinic;                  // a viewing clinic (client certificate)
  std::string clinic_p12;            // the clinic's PKCS#12 bundle for a browser
  std::string p12_password;
  std::string ticket_key;  // the centre's access-ticket signing key (PEM)
  std::string ticket_jwks; // its public key as a JWK Set, for the nodes

  // The --set overrides of a role presenting `party`'s certificate.
  std::vector<std::string> TlsSets(const DemoParty& party) const;
  // A client context presenting `party`'s certificate.
  Result<std::shared_ptr<TlsContext>> Client(const DemoParty& party) const;
};

// Creates the CA in `dir` (removed first) and issues the centre's and the hospitals' server
// certificates (127.0.0.1, localhost) and the clinic's client certificate with a PKCS#12,
// and the centre's access-ticket key.
Result<DemoPki> MakeDemoPki(const std::string& dir, const DemoRegion& region);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_PKI_H_
