#include "pix/pixm_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "common/fhir_outcome.h"
#include "pix/fhir_http.h"
#include "pix/pixm.h"

namespace renkei::pix {

namespace {

constexpr size_t kMaxBody = 1 << 20;

}  // namespace

HttpHandler MakePixmHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    Result<PixmQuery> query = Status::Internal("", "");
    if (request.getMethod() == "GET") {
      auto params = QueryParamsOf(request);
      if (!params.ok()) return SendOutcome(request, response, 400, "invalid", params.status().message());
      query = PixmQueryFromParams(*params);
    } else {
      Result<std::string> body = ReadFhirBody(request, kMaxBody);
      if (!body.ok()) return SendBodyError(request, response, body.status());
      query = PixmQueryFromJson(*body);
    }
    if (!query.ok()) return SendOutcome(request, response, 400, "invalid", query.status().message());
    const FhirAnswer a = AnswerPixm(store, *query);
    SendFhir(request, response, a.status, a.json);
  };
}

}  // namespace renkei::pix
