// ITI-20 (FHIR feed) and ITI-81 Retrieve ATNA Audit Event over HTTP.
#include "audit/audit_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <charconv>

#include "audit/audit_query.h"
#include "audit/fhir_audit_event.h"
#include "common/log.h"
#include "common/oid.h"
#include "common/peer.h"
#include "fhir/fhir_http.h"
#include "fhir/fhir_search.h"

namespace renkei::audit {

namespace {

using Request = Poco::Net::HTTPServerRequest;
using Response = Poco::Net::HTTPServerResponse;

void SendStoreError(const Request& request, Response& response, const Status& s) {
  if (s.IsUnavailable()) return fhir::SendOutcome(request, response, 503, "transient", s.message());
  LogError("audit store: " + s.ToString());
  fhir::SendOutcome(request, response, 500, "exception", "the audit store failed");
}

void Create(AuditStore& store, const AuditRoutesOptions& options, Request& request,
            Response& response) {
  Result<std::string> body = fhir::ReadFhirBody(request, options.max_body_bytes);
  if (!body.ok()) return fhir::SendBodyError(request, response, body.status());
  Result<AuditEvent> event = DecodeFhirAuditEvent(*body);
  if (!event.ok()) {
    return fhir::SendOutcome(request, response, 400, "invalid", event.status().message());
  }
  Result<int64_t> seq = store.Append(*event);
  if (!seq.ok()) {
    if (seq.status().IsInvalidArgument()) {
      return fhir::SendOutcome(request, response, 400, "invalid", seq.status().message());
    }
    return SendStoreError(request, response, seq.status());
  }
  Result<StoredAuditEvent> stored = store.Get(*seq);
  if (!stored.ok()) return SendStoreError(request, response, stored.status());
  response.set("Location", fhir::FhirBase(request) + "/AuditEvent/" + std::to_string(*seq));
  fhir::SendFhir(request, response, 201, stored->json);
}

// The facility a restricted requester is limited to, or "" when it reads every record.
std::string RestrictedTo(const AuditRoutesOptions& options, Request& request) {
  if (!options.reads_all) return "";
  const std::string& facility = RequestPeer(request).facility_oid;
  if (options.reads_all(facility)) return "";
  return facility.empty() ? "-" : facility;  // "-": no participant has it
}

// An identifier value that can stand in a CX without escaping.
bool IsPlainId(const std::string& s) {
  return !s.empty() && s.find_first_of("^&|~\\,") == std::string::npos;
}

struct NamedPatient {
  std::string oid;
  std::string value;
  std::string Cx() const { return value + "^^^&" + oid + "&ISO"; }
};

// The patient one value of `patient` names (see AuditRoutesOptions::discloses); false when
// it names none exactly.
bool PatientOfValue(const std::string& v, const std::string& domain_oid, NamedPatient* out) {
  constexpr char kUrnOid[] = "urn:oid:";
  const size_t bar = v.find('|');
  if (bar != std::string::npos) {
    std::string system = v.substr(0, bar);
    if (system.rfind(kUrnOid, 0) == 0) system = system.substr(sizeof(kUrnOid) - 1);
    *out = {system.empty() ? domain_oid : system, v.substr(bar + 1)};
  } else if (const size_t caret = v.find('^'); caret != std::string::npos) {
    // CX value^^^&oid&ISO
    const std::string authority = v.substr(caret);
    if (authority.rfind("^^^&", 0) != 0 || authority.size() < 9 ||
        authority.compare(authority.size() - 4, 4, "&ISO") != 0) {
      return false;
    }
    *out = {authority.substr(4, authority.size() - 8), v.substr(0, caret)};
  } else if (const size_t slash = v.rfind("Patient/"); slash != std::string::npos) {
    if (slash > 0 && v[slash - 1] != '/') return false;
    *out = {domain_oid, v.substr(slash + 8)};
  } else {
    *out = {domain_oid, v};
  }
  return IsDottedDecimal(out->oid) && IsPlainId(out->value);
}

// When the search names exactly one patient that `facility` discloses: rewrites its patient
// parameter to that exact patient and answers true.
bool NarrowToDisclosedPatient(const AuditRoutesOptions& options, const std::string& facility,
                              fhir::QueryParams* params) {
  if (!options.discloses || facility.empty()) return false;
  auto patient = params->end();
  for (auto it = params->begin(); it != params->end(); ++it) {
    if (it->first != "patient" && it->first != "patient.identifier") continue;
    if (patient != params->end()) return false;  // more than one
    patient = it;
  }
  if (patient == params->end() || patient->second.find(',') != std::string::npos) return false;
  NamedPatient named;
  if (!PatientOfValue(patient->second, options.patient_domain_oid, &named)) return false;
  if (!options.discloses(facility, named.Cx())) return false;
  *patient = {"patient", named.oid + "|" + named.value};
  return true;
}

// True when `json` (a stored AuditEvent) names `facility` as a participant.
bool NamesParticipant(const std::string& json, const std::string& facility) {
  Result<AuditEvent> event = DecodeFhirAuditEvent(json);
  if (!event.ok()) return false;
  for (const ActiveParticipant& p : event->participants) {
    for (const std::string& id : {p.user_id, p.alt_user_id}) {
      if (id == facility || id == "urn:oid:" + facility) return true;
    }
  }
  return false;
}

void Search(AuditStore& store, const AuditRoutesOptions& options, Request& request,
            Response& response) {
  Result<fhir::QueryParams> params = fhir::QueryParamsOf(request);
  if (!params.ok()) {
    return fhir::SendOutcome(request, response, 400, "invalid", params.status().message());
  }
  // Repeated parameters must all match: the restriction narrows whatever was asked, to the
  // records naming the requester, or to those of one patient whose records it discloses.
  const std::string only = RestrictedTo(options, request);
  if (!only.empty() &&
      !NarrowToDisclosedPatient(options, RequestPeer(request).facility_oid, &*params)) {
    params->emplace_back("agent", only);
  }
  Result<AuditQuery> query = ParseAuditQuery(*params);
  if (!query.ok()) {
    return fhir::SendOutcome(request, response, 400, "invalid", query.status().message());
  }
  Result<std::vector<StoredAuditEvent>> found = store.Search(*query);
  if (!found.ok()) return SendStoreError(request, response, found.status());
  const std::string base = fhir::FhirBase(request);
  std::vector<fhir::SearchEntry> entries;
  entries.reserve(found->size());
  for (StoredAuditEvent& e : *found) {
    entries.push_back({base + "/AuditEvent/" + std::to_string(e.seq), std::move(e.json)});
  }
  fhir::QueryParams page;
  for (const auto& p : *params) {
    if (p.first != "_offset") page.push_back(p);
  }
  std::string self = base + "/AuditEvent";
  std::string next;
  {
    fhir::QueryParams self_params = page;
    if (query->offset > 0) self_params.emplace_back("_offset", std::to_string(query->offset));
    if (!self_params.empty()) self += "?" + fhir::QueryString(self_params);
  }
  if (static_cast<int>(entries.size()) == query->count) {
    fhir::QueryParams next_params = page;
    next_params.emplace_back("_offset", std::to_string(query->offset + query->count));
    next = base + "/AuditEvent?" + fhir::QueryString(next_params);
  }
  fhir::SendFhir(request, response, 200, fhir::SearchsetJson(self, next, entries));
}

void Read(AuditStore& store, const AuditRoutesOptions& options, Request& request,
          Response& response) {
  std::string path = request.getURI();
  const size_t q = path.find('?');
  if (q != std::string::npos) path.resize(q);
  const std::string id = path.substr(sizeof(kAuditEventPath));  // after "/fhir/AuditEvent/"
  int64_t seq = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), seq);
  if (id.empty() || ec != std::errc() || end != id.data() + id.size() || seq <= 0) {
    return fhir::SendOutcome(request, response, 404, "not-found", "no AuditEvent '" + id + "'");
  }
  Result<StoredAuditEvent> stored = store.Get(seq);
  if (stored.status().IsNotFound()) {
    return fhir::SendOutcome(request, response, 404, "not-found", stored.status().message());
  }
  if (!stored.ok()) return SendStoreError(request, response, stored.status());
  const std::string only = RestrictedTo(options, request);
  if (!only.empty() && !NamesParticipant(stored->json, only)) {
    return fhir::SendOutcome(request, response, 404, "not-found", "no AuditEvent '" + id + "'");
  }
  fhir::SendFhir(request, response, 200, stored->json);
}

}  // namespace

void AddAuditRoutes(HttpRouter& router, AuditStore& store, const AuditRoutesOptions& options) {
  router.Exact("POST", kAuditEventPath,
               [&store, options](Request& rq, Response& rs) { Create(store, options, rq, rs); });
  router.Exact("GET", kAuditEventPath,
               [&store, options](Request& rq, Response& rs) { Search(store, options, rq, rs); });
  router.Prefix("GET", std::string(kAuditEventPath) + "/",
                [&store, options](Request& rq, Response& rs) { Read(store, options, rq, rs); });
}

}  // namespace renkei::audit
