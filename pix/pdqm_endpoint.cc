// ITI-78 PDQm over HTTP (see pdqm_endpoint.h), with its ATNA record.
#include "pix/pdqm_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <vector>

#include "audit/request_exchange.h"
#include "audit/transaction_events.h"
#include "common/fhir_outcome.h"
#include "pix/fhir_http.h"
#include "pix/pdqm.h"

namespace renkei::pix {

namespace {

// The ITI-78 event for one answer (see pdqm_endpoint.h).
void RecordPdqm(const PdqmEndpointOptions& o, const Poco::Net::HTTPServerRequest& request,
                const std::vector<PatientRecord>* patients, const std::string& query,
                int http_status, const std::string& problem) {
  if (o.audit == nullptr) return;
  audit::Exchange x =
      audit::RequestExchange(request, o.audit_source_id, o.audit_site, FhirBase(request) + "/Patient");
  if (http_status != 200) {
    x.outcome = 8;
    x.outcome_description = problem;
  }
  std::vector<std::string> ids;
  if (patients != nullptr) {
    for (const PatientRecord& p : *patients) {
      ids.push_back(p.identifiers.empty() ? p.regional_id : FormatCx(p.identifiers.front()));
    }
  }
  o.audit->Record(audit::PdqmQuery(x, ids, query));
}

}  // namespace

HttpHandler MakePatientSearchHandler(IdentityStore& store, PdqmEndpointOptions options) {
  return [&store, options](Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
    const std::string uri = request.getURI();
    const size_t q = uri.find('?');
    const std::string query = q == std::string::npos ? "" : uri.substr(q + 1);
    auto refuse = [&](int status, const std::string& code, const std::string& text) {
      RecordPdqm(options, request, nullptr, query, status, text);
      SendOutcome(request, response, status, code, text);
    };
    auto params = QueryParamsOf(request);
    if (!params.ok()) return refuse(400, "invalid", params.status().message());
    QueryParams used;
    auto search = PatientSearchFromParams(*params, &used);
    if (!search.ok()) return refuse(400, "invalid", search.status().message());
    auto page = store.Search(*search);
    if (!page.ok()) return refuse(500, "exception", page.status().message());
    std::string bundle = SearchBundleJson(FhirBase(request), used, *page, search->limit);
    RecordPdqm(options, request, &page->patients, query, 200, "");
    SendFhir(request, response, 200, std::move(bundle));
  };
}

HttpHandler MakePatientReadHandler(IdentityStore& store, PdqmEndpointOptions options) {
  return [&store, options](Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
    std::string path = request.getURI().substr(0, request.getURI().find_first_of("?#"));
    const std::string id = path.substr(sizeof(kPatientReadPrefix) - 1);
    const std::string query = "_id=" + id;
    auto refuse = [&](int status, const std::string& code, const std::string& text) {
      RecordPdqm(options, request, nullptr, query, status, text);
      SendOutcome(request, response, status, code, text);
    };
    if (id.empty() || id.find('/') != std::string::npos) {
      return refuse(404, "not-found", "no such Patient resource: " + path);
    }
    PatientSearch q;
    q.regional_id = id;
    q.limit = 1;
    auto page = store.Search(q);
    if (!page.ok()) return refuse(500, "exception", page.status().message());
    if (page->patients.empty()) {
      return refuse(404, "not-found", "Patient/" + id + " is not known");
    }
    std::string json = PatientJson(page->patients.front());
    RecordPdqm(options, request, &page->patients, query, 200, "");
    SendFhir(request, response, 200, std::move(json));
  };
}

HttpHandler MakePatientSearchHandler(IdentityStore& store) {
  return MakePatientSearchHandler(store, PdqmEndpointOptions{});
}

HttpHandler MakePatientReadHandler(IdentityStore& store) {
  return MakePatientReadHandler(store, PdqmEndpointOptions{});
}

}  // namespace renkei::pix
