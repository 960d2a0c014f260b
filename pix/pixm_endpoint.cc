// ITI-83 PIXm Query over HTTP (see pixm_endpoint.h), with its ATNA record.
#include "pix/pixm_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "audit/request_exchange.h"
#include "audit/transaction_events.h"
#include "common/fhir_outcome.h"
#include "pix/fhir_http.h"
#include "pix/pixm.h"

namespace renkei::pix {

namespace {

constexpr size_t kMaxBody = 1 << 20;

// The ITI-83 event for one answer (see pixm_endpoint.h).
void RecordPixm(const PixmEndpointOptions& o, const Poco::Net::HTTPServerRequest& request,
                const std::string& patient, const std::string& query, int http_status,
                const std::string& problem) {
  if (o.audit == nullptr) return;
  audit::Exchange x =
      audit::RequestExchange(request, o.audit_source_id, o.audit_site, FhirBase(request) + "/Patient/$ihe-pix");
  if (http_status != 200) {
    x.outcome = 8;
    x.outcome_description = problem.empty() ? "HTTP " + std::to_string(http_status) : problem;
  }
  o.audit->Record(audit::PixmQuery(x, patient, query));
}

std::string SourceParam(const QueryParams& params) {
  for (const auto& [k, v] : params) {
    if (k == "sourceIdentifier") return v;
  }
  return "";
}

}  // namespace

HttpHandler MakePixmHandler(IdentityStore& store, PixmEndpointOptions options) {
  return [&store, options](Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
    const std::string uri = request.getURI();
    const size_t q = uri.find('?');
    std::string query_text = q == std::string::npos ? "" : uri.substr(q + 1);
    std::string patient;
    auto refuse = [&](int status, const std::string& code, const std::string& text) {
      RecordPixm(options, request, patient, query_text, status, text);
      SendOutcome(request, response, status, code, text);
    };
    Result<PixmQuery> query = Status::Internal("", "");
    if (request.getMethod() == "GET") {
      auto params = QueryParamsOf(request);
      if (!params.ok()) return refuse(400, "invalid", params.status().message());
      patient = SourceParam(*params);
      query = PixmQueryFromParams(*params);
    } else {
      Result<std::string> body = ReadFhirBody(request, kMaxBody);
      if (!body.ok()) {
        RecordPixm(options, request, patient, query_text, 400, body.status().message());
        return SendBodyError(request, response, body.status());
      }
      query_text = *body;
      query = PixmQueryFromJson(*body);
    }
    if (!query.ok()) return refuse(400, "invalid", query.status().message());
    Cx source = query->source;
    if (source.oid.rfind("urn:oid:", 0) == 0) source.oid.erase(0, 8);
    patient = FormatCx(source);
    const FhirAnswer a = AnswerPixm(store, *query);
    RecordPixm(options, request, patient, query_text, a.status, "");
    SendFhir(request, response, a.status, a.json);
  };
}

HttpHandler MakePixmHandler(IdentityStore& store) {
  return MakePixmHandler(store, PixmEndpointOptions{});
}

}  // namespace renkei::pix
