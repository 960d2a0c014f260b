#include "pix/pixm_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "common/fhir_outcome.h"
#include "pix/pixm.h"

namespace renkei::pix {

namespace {

constexpr size_t kMaxBody = 1 << 20;

void Answer(Poco::Net::HTTPServerResponse& response, const FhirAnswer& a) {
  SendResponse(response, a.status, kFhirJson, a.json);
}

void Fail(Poco::Net::HTTPServerResponse& response, int status, const char* code,
          const std::string& text) {
  Answer(response, FhirAnswer{status, OperationOutcomeJson(code, text)});
}

bool IsJson(const std::string& content_type) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  return media == "application/fhir+json" || media == "application/json";
}

}  // namespace

HttpHandler MakePixmHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    Result<PixmQuery> query = Status::Internal("", "");
    if (request.getMethod() == "GET") {
      std::vector<std::pair<std::string, std::string>> params;
      try {
        for (const auto& [k, v] : Poco::URI(request.getURI()).getQueryParameters()) {
          params.emplace_back(k, v);
        }
      } catch (const Poco::Exception& e) {
        return Fail(response, 400, "invalid", "malformed query string: " + e.displayText());
      }
      query = PixmQueryFromParams(params);
    } else {
      if (!IsJson(request.getContentType())) {
        return Fail(response, 415, "not-supported",
                    "a $ihe-pix POST body must be application/fhir+json Parameters");
      }
      Result<std::string> body = ReadRequestBody(request, kMaxBody);
      if (!body.ok()) return Fail(response, 413, "too-costly", body.status().message());
      query = PixmQueryFromJson(*body);
    }
    if (!query.ok()) return Fail(response, 400, "invalid", query.status().message());
    Answer(response, AnswerPixm(store, *query));
  };
}

}  // namespace renkei::pix
