#include "pix/pdqm_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "common/fhir_outcome.h"
#include "pix/pdqm.h"

namespace renkei::pix {

namespace {

std::string Base(const Poco::Net::HTTPServerRequest& request) {
  return "http://" + request.getHost() + "/fhir";
}

void Fail(Poco::Net::HTTPServerResponse& response, int status, const char* code,
          const std::string& text) {
  SendResponse(response, status, kFhirJson, OperationOutcomeJson(code, text));
}

}  // namespace

HttpHandler MakePatientSearchHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    QueryParams params;
    try {
      for (const auto& [k, v] : Poco::URI(request.getURI()).getQueryParameters()) {
        params.emplace_back(k, v);
      }
    } catch (const Poco::Exception& e) {
      return Fail(response, 400, "invalid", "malformed query string: " + e.displayText());
    }
    QueryParams used;
    auto search = PatientSearchFromParams(params, &used);
    if (!search.ok()) return Fail(response, 400, "invalid", search.status().message());
    auto page = store.Search(*search);
    if (!page.ok()) return Fail(response, 500, "exception", page.status().message());
    SendResponse(response, 200, kFhirJson,
                 SearchBundleJson(Base(request), used, *page, search->limit));
  };
}

HttpHandler MakePatientReadHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    std::string path = request.getURI().substr(0, request.getURI().find_first_of("?#"));
    const std::string id = path.substr(sizeof(kPatientReadPrefix) - 1);
    if (id.empty() || id.find('/') != std::string::npos) {
      return Fail(response, 404, "not-found", "no such Patient resource: " + path);
    }
    PatientSearch q;
    q.regional_id = id;
    q.limit = 1;
    auto page = store.Search(q);
    if (!page.ok()) return Fail(response, 500, "exception", page.status().message());
    if (page->patients.empty()) {
      return Fail(response, 404, "not-found", "Patient/" + id + " is not known");
    }
    SendResponse(response, 200, kFhirJson, PatientJson(page->patients.front()));
  };
}

}  // namespace renkei::pix
