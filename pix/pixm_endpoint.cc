#include "pix/pixm_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "common/fhir_outcome.h"
#include "pix/fhir_http.h"
#include "pix/pixm.h"

namespace renkei::pix {

namespace {

constexpr size_t kMaxBody = 1 << 20;

void Answer(Poco::Net::HTTPServerResponse& response, const FhirAnswer& a) {
  SendResponse(response, a.status, kFhirJson, a.json);
}

}  // namespace

HttpHandler MakePixmHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    Result<PixmQuery> query = Status::Internal("", "");
    if (request.getMethod() == "GET") {
      auto params = QueryParamsOf(request);
      if (!params.ok()) return SendOutcome(response, 400, "invalid", params.status().message());
      query = PixmQueryFromParams(*params);
    } else {
      if (!IsJsonMediaType(request.getContentType())) {
        return SendOutcome(response, 415, "not-supported",
                    "a $ihe-pix POST body must be application/fhir+json Parameters");
      }
      Result<std::string> body = ReadRequestBody(request, kMaxBody);
      if (!body.ok()) return SendOutcome(response, 413, "too-costly", body.status().message());
      query = PixmQueryFromJson(*body);
    }
    if (!query.ok()) return SendOutcome(response, 400, "invalid", query.status().message());
    Answer(response, AnswerPixm(store, *query));
  };
}

}  // namespace renkei::pix
