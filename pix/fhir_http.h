// HTTP plumbing shared by the centre's FHIR endpoints (PIXm, PDQm, ITI-104): query
// parameters, the JSON media check, the base URL of links, OperationOutcome answers.
// Thread-safety: pure functions on the request/response given.
#ifndef RENKEI_PIX_FHIR_HTTP_H_
#define RENKEI_PIX_FHIR_HTTP_H_

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace renkei::pix {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// The request's query parameters, decoded, in order. InvalidArgument when malformed.
Result<QueryParams> QueryParamsOf(const Poco::Net::HTTPServerRequest& request);

// application/fhir+json or application/json (parameters ignored).
bool IsJsonMediaType(const std::string& content_type);

// "http://<Host header>/fhir", the base of the links a FHIR answer carries.
std::string FhirBase(const Poco::Net::HTTPServerRequest& request);

// Answers `status` with an OperationOutcome of issue type `code`.
void SendOutcome(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                 const std::string& text);

// The answer to a request under /fhir/ that no endpoint serves: 404 OperationOutcome
// not-found (an unknown resource type or interaction), 405 not-supported.
void SendUnrouted(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                  int status);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_FHIR_HTTP_H_
