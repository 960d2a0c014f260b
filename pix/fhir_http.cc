#include "pix/fhir_http.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "common/fhir_outcome.h"
#include "common/http_server.h"

namespace renkei::pix {

Result<QueryParams> QueryParamsOf(const Poco::Net::HTTPServerRequest& request) {
  QueryParams params;
  try {
    for (const auto& [k, v] : Poco::URI(request.getURI()).getQueryParameters()) {
      params.emplace_back(k, v);
    }
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("invalid", "malformed query string: " + e.displayText());
  }
  return params;
}

bool IsJsonMediaType(const std::string& content_type) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  return media == "application/fhir+json" || media == "application/json";
}

std::string FhirBase(const Poco::Net::HTTPServerRequest& request) {
  return "http://" + request.getHost() + "/fhir";
}

void SendOutcome(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                 const std::string& text) {
  SendResponse(response, status, kFhirJson, OperationOutcomeJson(code, text));
}

void SendUnrouted(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                  int status) {
  const std::string what = request.getMethod() + " " + request.getURI();
  if (status == 405) {
    SendOutcome(response, 405, "not-supported", what + ": this interaction is not supported");
  } else {
    SendOutcome(response, 404, "not-found", what + ": no such resource type or operation");
  }
}

}  // namespace renkei::pix
