// The hospital EMR's side of the demo: ITI-41 Provide and Register (MTOM/XOP, one part per
// document) to its node, and the ITI-43 request a consumer sends to get one back.
#ifndef RENKEI_APPS_DEMO_PUBLISH_H_
#define RENKEI_APPS_DEMO_PUBLISH_H_

#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/status.h"
#include "xds/submission_builder.h"

namespace renkei::apps {

// Sends `submission` with `contents[i]` as the bytes of its document i to the node's
// /xds/repository. Internal with the node's answer when it is not a Success.
Status ProvideAndRegister(HttpClient& node, const std::string& repository_url,
                          const xds::SimpleSubmission& submission,
                          const std::vector<std::string>& contents);

// A SOAP 1.2 ITI-43 request for one document (plain SOAP; the answer is MTOM).
std::string RetrieveRequest(const std::string& repository_url, const std::string& repository_id,
                            const std::string& document_unique_id);

// `text` percent-encoded for an application/x-www-form-urlencoded value (a token request).
std::string FormValue(const std::string& text);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_PUBLISH_H_
