// Hospital B views hospital A's images in the demo (issue 6): without an access ticket A's
// node answers 401; with the ticket the centre issued B for one study's XDS-I.b manifest,
// QIDO-RS at A's node finds that study and no other, WADO-RS retrieves it (and is refused,
// 403, each other study of the patient) and RAD-69 (SOAP + MTOM at /xds/repository) one of
// its instances. All over mutual TLS, the ticket
// bound to B's certificate.
#ifndef RENKEI_APPS_DEMO_IMAGE_ACCESS_H_
#define RENKEI_APPS_DEMO_IMAGE_ACCESS_H_

#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/status.h"

namespace renkei::apps {

struct DemoImageAccess {
  std::string regional_id;           // the patient (CX)
  std::string manifest_unique_id;    // the manifest B was shown by the registry
  std::string repository_unique_id;  // A's
  std::string repository_url;        // A's /xds/repository (wsa:To)
  std::vector<std::string> studies;  // all of the patient's studies at A's node
};

// `centre` and `node_a` present B's certificate. The study the ticket opened, or Internal
// naming the step that failed.
Result<std::string> ShowImageAccess(HttpClient& centre, HttpClient& node_a,
                                    const DemoImageAccess& access);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_IMAGE_ACCESS_H_
