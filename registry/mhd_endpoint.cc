// ITI-66 / ITI-67 over HTTP (see mhd_endpoint.h).
#include "registry/mhd_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <exception>

#include "audit/request_exchange.h"
#include "audit/transaction_events.h"
#include "common/log.h"
#include "common/peer.h"
#include "fhir/fhir_http.h"
#include "fhir/fhir_search.h"

namespace renkei::registry {

namespace {

const char* TypeName(MhdResource r) {
  return r == MhdResource::kDocumentReference ? "DocumentReference" : "List";
}

int HttpStatusOf(const Status& s) {
  if (s.detail() == "invalid") return 400;
  if (s.detail() == "not-found") return 404;
  if (s.detail() == "too-costly") return 413;
  return 500;
}

void SendError(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               const Status& s) {
  fhir::SendOutcome(request, response, HttpStatusOf(s),
                    s.detail().empty() ? "exception" : s.detail(), s.message());
}

// ITI-19: the requesting facility of the connection (common/peer.h).
RequestContext ContextOf(const Poco::Net::HTTPServerRequest& request, const MhdEndpointOptions&) {
  RequestContext rc;
  rc.facility = RequestPeer(request).facility_oid;
  return rc;
}

// ATNA: one ITI-67 / ITI-66 event (see mhd_endpoint.h).
void RecordQuery(const Poco::Net::HTTPServerRequest& request, MhdResource resource,
                 const MhdEndpointOptions& o, const std::string& patient,
                 const std::string& query, const Status& status) {
  if (o.audit == nullptr) return;
  audit::Exchange x =
      audit::RequestExchange(request, o.audit_source_id, o.audit_site, fhir::FhirBase(request) + "/" + TypeName(resource));
  if (!status.ok()) {
    x.outcome = 8;
    x.outcome_description = status.message();
  }
  o.audit->Record(resource == MhdResource::kDocumentReference
                      ? audit::FindDocumentReferences(x, patient, query)
                      : audit::FindDocumentLists(x, patient, query));
}

std::string PatientParam(const fhir::QueryParams& params) {
  for (const auto& [k, v] : params) {
    if (k == "patient" || k == "patient.identifier") return v;
  }
  return "";
}

std::string RawQuery(const Poco::Net::HTTPServerRequest& request) {
  const size_t q = request.getURI().find('?');
  return q == std::string::npos ? "" : request.getURI().substr(q + 1);
}

// The URL's parameters, then those of a POST _search form body.
Result<fhir::QueryParams> SearchParams(Poco::Net::HTTPServerRequest& request, size_t max_bytes) {
  RENKEI_ASSIGN_OR_RETURN(fhir::QueryParams params, fhir::QueryParamsOf(request));
  if (request.getMethod() != "POST") return params;
  const std::string type = request.getContentType();
  if (type.substr(0, type.find(';')) != "application/x-www-form-urlencoded") {
    return Status::InvalidArgument("invalid",
                                   "_search takes application/x-www-form-urlencoded "
                                   "parameters, not '" +
                                       type + "'");
  }
  Result<std::string> body = ReadRequestBody(request, max_bytes);
  if (!body.ok()) return Status::InvalidArgument("invalid", body.status().message());
  try {
    for (const auto& [k, v] : Poco::URI("?" + *body).getQueryParameters())
      params.emplace_back(k, v);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("invalid", "malformed _search body: " + e.displayText());
  }
  return params;
}

void Search(MhdResponder& responder, MhdResource resource, const MhdEndpointOptions& o,
            Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  auto params = SearchParams(request, o.max_search_body_bytes);
  if (!params.ok()) {
    RecordQuery(request, resource, o, "", RawQuery(request), params.status());
    return SendError(request, response, params.status());
  }
  const std::string query = fhir::QueryString(*params);
  profiles::MhdContext mc = o.context;
  mc.fhir_base = fhir::FhirBase(request);
  const RequestContext rc = ContextOf(request, o);
  auto page = resource == MhdResource::kDocumentReference
                  ? responder.FindDocumentReferences(*params, rc, mc)
                  : responder.FindLists(*params, rc, mc);
  if (!page.ok()) {
    RecordQuery(request, resource, o, PatientParam(*params), query, page.status());
    return SendError(request, response, page.status());
  }
  const std::string type_url = mc.fhir_base + "/" + TypeName(resource);
  auto link = [&](const MhdParams& p) {
    return p.empty() ? type_url : type_url + "?" + fhir::QueryString(p);
  };
  std::string next;
  if (page->next != 0) {
    MhdParams p = page->used;
    bool has_count = false;
    for (const auto& [k, v] : p) has_count = has_count || k == "_count";
    if (!has_count) p.emplace_back("_count", std::to_string(page->count));
    p.emplace_back("_page", std::to_string(page->next));
    next = link(p);
  }
  std::vector<fhir::SearchEntry> entries;
  for (auto& [id, json] : page->resources) {
    entries.push_back({type_url + "/" + id, std::move(json)});
  }
  std::string bundle = fhir::SearchsetJson(link(page->used), next, entries, page->total);
  RecordQuery(request, resource, o, PatientParam(*params), query, Status::Ok());
  fhir::SendFhir(request, response, 200, std::move(bundle));
}

void Read(MhdResponder& responder, MhdResource resource, const MhdEndpointOptions& o,
          Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  const std::string path = request.getURI().substr(0, request.getURI().find_first_of("?#"));
  const std::string prefix = std::string("/fhir/") + TypeName(resource) + "/";
  const std::string id = path.substr(prefix.size());
  profiles::MhdContext mc = o.context;
  mc.fhir_base = fhir::FhirBase(request);
  const RequestContext rc = ContextOf(request, o);
  auto json = resource == MhdResource::kDocumentReference
                  ? responder.ReadDocumentReference(id, rc, mc)
                  : responder.ReadList(id, rc, mc);
  RecordQuery(request, resource, o, "", "_id=" + id, json.ok() ? Status::Ok() : json.status());
  if (!json.ok()) return SendError(request, response, json.status());
  fhir::SendFhir(request, response, 200, *json);
}

using Fn = void (*)(MhdResponder&, MhdResource, const MhdEndpointOptions&,
                    Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&);

HttpHandler Guarded(MhdResponder& responder, MhdResource resource, MhdEndpointOptions options,
                    Fn fn) {
  return [&responder, resource, options, fn](Poco::Net::HTTPServerRequest& request,
                                             Poco::Net::HTTPServerResponse& response) {
    try {
      fn(responder, resource, options, request, response);
    } catch (const std::exception& e) {
      LogError(std::string("mhd: request failed: ") + e.what());
      if (!response.sent()) {
        fhir::SendOutcome(request, response, 500, "exception",
                          "the request could not be processed");
      }
    }
  };
}

}  // namespace

HttpHandler MakeMhdSearchHandler(MhdResponder& responder, MhdResource resource,
                                 MhdEndpointOptions options) {
  return Guarded(responder, resource, std::move(options), &Search);
}

HttpHandler MakeMhdReadHandler(MhdResponder& responder, MhdResource resource,
                               MhdEndpointOptions options) {
  return Guarded(responder, resource, std::move(options), &Read);
}

}  // namespace renkei::registry
