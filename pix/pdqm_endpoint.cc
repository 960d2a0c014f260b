#include "pix/pdqm_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "common/fhir_outcome.h"
#include "pix/fhir_http.h"
#include "pix/pdqm.h"

namespace renkei::pix {

HttpHandler MakePatientSearchHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto params = QueryParamsOf(request);
    if (!params.ok()) return SendOutcome(request, response, 400, "invalid", params.status().message());
    QueryParams used;
    auto search = PatientSearchFromParams(*params, &used);
    if (!search.ok()) return SendOutcome(request, response, 400, "invalid", search.status().message());
    auto page = store.Search(*search);
    if (!page.ok()) return SendOutcome(request, response, 500, "exception", page.status().message());
    SendFhir(request, response, 200,
                 SearchBundleJson(FhirBase(request), used, *page, search->limit));
  };
}

HttpHandler MakePatientReadHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    std::string path = request.getURI().substr(0, request.getURI().find_first_of("?#"));
    const std::string id = path.substr(sizeof(kPatientReadPrefix) - 1);
    if (id.empty() || id.find('/') != std::string::npos) {
      return SendOutcome(request, response, 404, "not-found", "no such Patient resource: " + path);
    }
    PatientSearch q;
    q.regional_id = id;
    q.limit = 1;
    auto page = store.Search(q);
    if (!page.ok()) return SendOutcome(request, response, 500, "exception", page.status().message());
    if (page->patients.empty()) {
      return SendOutcome(request, response, 404, "not-found", "Patient/" + id + " is not known");
    }
    SendFhir(request, response, 200, PatientJson(page->patients.front()));
  };
}

}  // namespace renkei::pix
