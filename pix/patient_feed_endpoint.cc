#include "pix/patient_feed_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "common/fhir_outcome.h"
#include "pix/fhir_codes.h"
#include "pix/fhir_http.h"
#include "pix/fhir_patient.h"
#include "pix/pdqm.h"

namespace renkei::pix {

namespace {

constexpr size_t kMaxBody = 1 << 20;

// The one identifier=urn:oid:X|V of the URL.
Result<Cx> UrlIdentifier(const Poco::Net::HTTPServerRequest& request) {
  RENKEI_ASSIGN_OR_RETURN(QueryParams params, QueryParamsOf(request));
  std::vector<std::string> values;
  for (const auto& [k, v] : params) {
    if (k == "identifier") values.push_back(v);
  }
  if (values.size() != 1) {
    return Status::InvalidArgument("invalid", "exactly one identifier=urn:oid:OID|VALUE is required");
  }
  const std::string& v = values[0];
  const size_t bar = v.find('|');
  const std::string oid = bar == std::string::npos ? "" : OidOfSystem(v.substr(0, bar));
  if (oid.empty() || bar + 1 == v.size()) {
    return Status::InvalidArgument("invalid", "identifier must be urn:oid:OID|VALUE, not " + v);
  }
  return Cx{v.substr(bar + 1), "", oid, ""};
}

bool SameId(const Cx& a, const Cx& b) { return a.id == b.id && a.oid == b.oid; }

int StatusFor(const Status& st) {
  switch (st.code()) {
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kInvalidArgument:
      return st.detail() == "204" ? 404 : 400;
    default:
      return 500;
  }
}

const char* IssueFor(int status) {
  return status == 404 ? "not-found" : status == 409 ? "conflict" : status == 400 ? "invalid" : "exception";
}

}  // namespace

HttpHandler MakePatientUpdateHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto url_id = UrlIdentifier(request);
    if (!url_id.ok()) return SendOutcome(request, response, 400, "invalid", url_id.status().message());
    auto body = ReadFhirBody(request, kMaxBody);
    if (!body.ok()) return SendBodyError(request, response, body.status());
    auto feed = PatientFeedFromJson(*body);
    if (!feed.ok()) return SendOutcome(request, response, 400, feed.status().detail(), feed.status().message());
    bool named = false;
    for (const Cx& id : feed->merged.empty() ? feed->identifiers : feed->merged) {
      named = named || SameId(id, *url_id);
    }
    if (!named) {
      return SendOutcome(request, response, 400, "invalid",
                  "the identifier of the URL is not an identifier of the Patient");
    }
    const bool merge = !feed->merged.empty();
    auto result = merge ? store.Merge(*feed) : store.Feed(*feed);
    if (!result.ok()) {
      const int status = StatusFor(result.status());
      return SendOutcome(request, response, status, IssueFor(status), result.status().message());
    }
    auto patient = store.Find(feed->identifiers.front());
    if (!patient.ok()) return SendOutcome(request, response, 500, "exception", patient.status().message());
    if (result->created) {
      response.set("Location", FhirBase(request) + "/Patient/" + result->regional_id);
    }
    SendFhir(request, response, result->created ? 201 : 200, PatientJson(*patient));
  };
}

HttpHandler MakePatientDeleteHandler(IdentityStore& store) {
  return [&store](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto url_id = UrlIdentifier(request);
    if (!url_id.ok()) return SendOutcome(request, response, 400, "invalid", url_id.status().message());
    Status st = store.Unlink(*url_id);
    if (!st.ok()) {
      const int status = StatusFor(st);
      return SendOutcome(request, response, status, IssueFor(status), st.message());
    }
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    response.setContentLength(0);
    response.send();
  };
}

}  // namespace renkei::pix
