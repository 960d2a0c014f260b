// HTTP plumbing shared by every FHIR endpoint (the centre's PIXm, PDQm, ITI-104 and MHD, the
// node's ITI-65/68): query parameters, the JSON media check, the base URL of links,
// OperationOutcome answers, content negotiation.
// Thread-safety: pure functions on the request/response given.
#ifndef RENKEI_FHIR_FHIR_HTTP_H_
#define RENKEI_FHIR_FHIR_HTTP_H_

#include <string>
#include <utility>
#include <vector>

#include "common/http_server.h"
#include "common/status.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace renkei::fhir {

// The request's query parameters (common/http_server.h).
using renkei::QueryParams;
using renkei::QueryParamsOf;

// application/fhir+json or application/json (parameters ignored).
bool IsJsonMediaType(const std::string& content_type);

// "http://<Host header>/fhir", the base of the links a FHIR answer carries.
std::string FhirBase(const Poco::Net::HTTPServerRequest& request);

// The syntax of the answer (FHIR R4 http.html#mime-type): the `_format` parameter (json,
// xml, or a FHIR / plain JSON or XML media type) wins over the Accept header; JSON when
// neither names XML.
enum class FhirSyntax { kJson, kXml };
FhirSyntax AnswerSyntax(const Poco::Net::HTTPServerRequest& request);

// Sends the resource `json` with `status`, in the syntax the request asked for.
void SendFhir(const Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response, int status, const std::string& json);

// Answers `status` with an OperationOutcome of issue type `code`, in the asked syntax.
void SendOutcome(const Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                 const std::string& text);

// The request's resource as JSON: a JSON body as it is, a FHIR XML body converted
// (fhir/fhir_xml.h). Errors carry the issue type as detail and answer through
// SendBodyError: not-supported (415: another media type), too-costly (413: more than
// `max_bytes`), invalid (400: XML that is no FHIR resource).
Result<std::string> ReadFhirBody(Poco::Net::HTTPServerRequest& request, size_t max_bytes);
void SendBodyError(const Poco::Net::HTTPServerRequest& request,
                   Poco::Net::HTTPServerResponse& response, const Status& error);

// The answer to a request under /fhir/ that no endpoint serves: 404 OperationOutcome
// not-found (an unknown resource type or interaction), 405 not-supported.
void SendUnrouted(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                  int status);

}  // namespace renkei::fhir

#endif  // RENKEI_FHIR_FHIR_HTTP_H_
