// HTTP side of the centre's facility directory, Consent API and $break-glass (issue 5;
// directory/directory_endpoint.h).
#include "directory/directory_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "common/log.h"
#include "common/peer.h"
#include "directory/instant.h"
#include "fhir/fhir_http.h"
#include "fhir/fhir_search.h"

namespace renkei::directory {
namespace {

using Request = Poco::Net::HTTPServerRequest;
using Response = Poco::Net::HTTPServerResponse;

struct Context {
  DirectoryStore* store;
  DirectoryEndpointOptions options;

  std::string Now() const { return options.now ? options.now() : NowInstant(); }
  void Notify(const PolicyChange& change) const {
    if (options.on_change) options.on_change(change);
  }
};

std::string PathOf(const Request& request) {
  const std::string& uri = request.getURI();
  return uri.substr(0, uri.find_first_of("?#"));
}

// The {id} after `prefix` (percent-decoded); "" when absent or not one segment.
std::string IdAfter(const Request& request, const std::string& prefix) {
  const std::string path = PathOf(request);
  if (path.size() <= prefix.size()) return "";
  std::string raw = path.substr(prefix.size());
  if (raw.find('/') != std::string::npos) return "";
  std::string id;
  try {
    Poco::URI::decode(raw, id);
  } catch (const Poco::Exception&) {
    return "";
  }
  return id;
}

bool ParseId(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  int64_t v = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Answers a store failure.
void SendStoreError(const Request& request, Response& response, const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
      return fhir::SendOutcome(request, response, 400, "invalid", st.message());
    case StatusCode::kNotFound:
      return fhir::SendOutcome(request, response, 404, "not-found", st.message());
    case StatusCode::kPermissionDenied:
      return fhir::SendOutcome(request, response, 403, "forbidden", st.message());
    case StatusCode::kConflict:
      return fhir::SendOutcome(request, response, 409, "conflict", st.message());
    case StatusCode::kUnavailable:
      return fhir::SendOutcome(request, response, 503, "transient", st.message());
    default:
      LogError("directory: " + st.ToString());
      return fhir::SendOutcome(request, response, 500, "exception", st.message());
  }
}

void SendInvalid(const Request& request, Response& response, const Status& st) {
  fhir::SendOutcome(request, response, 400, st.detail().empty() ? "invalid" : st.detail(),
                    st.message());
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// FHIR string search: case-insensitive "starts with".
bool StringMatches(const std::string& value, const std::string& wanted) {
  return Lower(value).rfind(Lower(wanted), 0) == 0;
}

// Sends a searchset of `entries` (resource type, id, json).
void SendSearchset(const Request& request, Response& response, const std::string& type,
                   const fhir::QueryParams& used,
                   const std::vector<std::pair<std::string, std::string>>& id_json) {
  const std::string base = fhir::FhirBase(request);
  std::vector<fhir::SearchEntry> entries;
  entries.reserve(id_json.size());
  for (const auto& [id, json] : id_json) {
    entries.push_back(fhir::SearchEntry{base + "/" + type + "/" + id, json});
  }
  std::string self = base + "/" + type;
  if (!used.empty()) self += "?" + fhir::QueryString(used);
  fhir::SendFhir(request, response, 200,
                 fhir::SearchsetJson(self, "", entries, static_cast<int64_t>(entries.size())));
}

// --- Organization ---------------------------------------------------------------------------

void SearchOrganizations(const Context& c, Request& request, Response& response) {
  auto params = fhir::QueryParamsOf(request);
  if (!params.ok()) return SendInvalid(request, response, params.status());
  auto facilities = c.store->ListFacilities();
  if (!facilities.ok()) return SendStoreError(request, response, facilities.status());
  auto endpoints = c.store->ListEndpoints();
  if (!endpoints.ok()) return SendStoreError(request, response, endpoints.status());
  fhir::QueryParams used;
  std::vector<Facility> match = *facilities;
  for (const auto& [name, value] : *params) {
    std::function<bool(const Facility&)> keep;
    if (name == "identifier" || name == "_id") {
      const std::string oid = OidOfOrganizationToken(value);
      keep = [oid](const Facility& f) { return f.oid == oid; };
    } else if (name == "name") {
      keep = [value](const Facility& f) {
        return StringMatches(f.name, value) || StringMatches(f.name_romaji, value);
      };
    } else if (name == "type") {
      const std::string code =
          value.substr(value.find('|') == std::string::npos ? 0 : value.find('|') + 1);
      keep = [code](const Facility& f) { return code == FacilityTypeName(f.type); };
    } else if (name == "active") {
      const bool active = value == "true";
      keep = [active](const Facility& f) { return f.active == active; };
    } else {
      continue;  // unknown parameters are ignored (FHIR lenient handling)
    }
    used.emplace_back(name, value);
    match.erase(
        std::remove_if(match.begin(), match.end(), [&](const Facility& f) { return !keep(f); }),
        match.end());
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const Facility& f : match) {
    std::vector<Endpoint> own;
    for (const Endpoint& e : *endpoints) {
      if (e.facility == f.oid) own.push_back(e);
    }
    out.emplace_back(f.oid, OrganizationJson(f, own));
  }
  SendSearchset(request, response, "Organization", used, out);
}

void ReadOrganization(const Context& c, Request& request, Response& response) {
  const std::string id = IdAfter(request, std::string(kOrganizationPath) + "/");
  auto f = c.store->GetFacility(id);
  if (!f.ok()) return SendStoreError(request, response, f.status());
  auto endpoints = c.store->ListEndpoints(f->oid);
  if (!endpoints.ok()) return SendStoreError(request, response, endpoints.status());
  fhir::SendFhir(request, response, 200, OrganizationJson(*f, *endpoints));
}

// --- Endpoint -------------------------------------------------------------------------------

void SearchEndpoints(const Context& c, Request& request, Response& response) {
  auto params = fhir::QueryParamsOf(request);
  if (!params.ok()) return SendInvalid(request, response, params.status());
  auto endpoints = c.store->ListEndpoints();
  if (!endpoints.ok()) return SendStoreError(request, response, endpoints.status());
  fhir::QueryParams used;
  std::vector<Endpoint> match = *endpoints;
  for (const auto& [name, value] : *params) {
    std::function<bool(const Endpoint&)> keep;
    if (name == "organization") {
      const std::string oid = OidOfOrganizationToken(value);
      keep = [oid](const Endpoint& e) { return e.facility == oid; };
    } else if (name == "identifier") {
      const std::string rid = OidOfOrganizationToken(value);  // [system|]urn:oid:<id>
      keep = [rid](const Endpoint& e) { return e.repository_unique_id == rid; };
    } else if (name == "_id") {
      keep = [value](const Endpoint& e) { return std::to_string(e.id) == value; };
    } else {
      continue;
    }
    used.emplace_back(name, value);
    match.erase(
        std::remove_if(match.begin(), match.end(), [&](const Endpoint& e) { return !keep(e); }),
        match.end());
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const Endpoint& e : match) out.emplace_back(std::to_string(e.id), EndpointJson(e));
  SendSearchset(request, response, "Endpoint", used, out);
}

void ReadEndpoint(const Context& c, Request& request, Response& response) {
  int64_t id = 0;
  const std::string text = IdAfter(request, std::string(kEndpointPath) + "/");
  if (!ParseId(text, &id)) {
    return fhir::SendOutcome(request, response, 404, "not-found", "no Endpoint/" + text);
  }
  auto e = c.store->GetEndpoint(id);
  if (!e.ok()) return SendStoreError(request, response, e.status());
  fhir::SendFhir(request, response, 200, EndpointJson(*e));
}

// --- Practitioner ---------------------------------------------------------------------------

void SearchPractitioners(const Context& c, Request& request, Response& response) {
  auto params = fhir::QueryParamsOf(request);
  if (!params.ok()) return SendInvalid(request, response, params.status());
  auto staff = c.store->ListStaff();
  if (!staff.ok()) return SendStoreError(request, response, staff.status());
  fhir::QueryParams used;
  std::vector<Staff> match = *staff;
  for (const auto& [name, value] : *params) {
    std::function<bool(const Staff&)> keep;
    if (name == "identifier" || name == "_id") {
      const size_t bar = value.find('|');
      const std::string system = bar == std::string::npos ? "" : value.substr(0, bar);
      const std::string id = bar == std::string::npos ? value : value.substr(bar + 1);
      const bool system_ok = system.empty() || system == c.options.staff_id_system;
      keep = [id, system_ok](const Staff& s) { return system_ok && s.id == id; };
    } else if (name == "name" || name == "family" || name == "given") {
      const bool family = name != "given", given = name != "family";
      keep = [value, family, given](const Staff& s) {
        return (family && (StringMatches(s.family, value) || StringMatches(s.family_alt, value))) ||
               (given && (StringMatches(s.given, value) || StringMatches(s.given_alt, value)));
      };
    } else {
      continue;
    }
    used.emplace_back(name, value);
    match.erase(
        std::remove_if(match.begin(), match.end(), [&](const Staff& s) { return !keep(s); }),
        match.end());
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const Staff& s : match)
    out.emplace_back(s.id, PractitionerJson(s, c.options.staff_id_system));
  SendSearchset(request, response, "Practitioner", used, out);
}

void ReadPractitioner(const Context& c, Request& request, Response& response) {
  const std::string id = IdAfter(request, std::string(kPractitionerPath) + "/");
  auto s = c.store->GetStaff(id);
  if (!s.ok()) return SendStoreError(request, response, s.status());
  fhir::SendFhir(request, response, 200, PractitionerJson(*s, c.options.staff_id_system));
}

// --- Consent --------------------------------------------------------------------------------

bool Visible(const Grant& g, const std::string& requester) {
  return !requester.empty() && (g.disclosing_facility == requester || g.grantee == requester ||
                                g.grantee == kEveryFacility);
}

std::string ClassList(const Grant& g) {
  if (g.classes.empty()) return "all";
  std::string s;
  for (const GrantClass& c : g.classes) s += (s.empty() ? "" : ",") + c.code;
  return s;
}

void CreateConsent(const Context& c, Request& request, Response& response) {
  const std::string requester = RequestPeer(request).facility_oid;
  if (requester.empty()) {
    return fhir::SendOutcome(request, response, 403, "forbidden",
                             "the requesting facility is unknown: only a facility may grant "
                             "access to its records");
  }
  Result<std::string> body = fhir::ReadFhirBody(request, c.options.max_body_bytes);
  if (!body.ok()) return fhir::SendBodyError(request, response, body.status());
  Result<ConsentDraft> draft =
      ConsentDraftFromJson(*body, c.options.class_systems, c.options.regional_domain_oid);
  if (!draft.ok()) return SendInvalid(request, response, draft.status());
  for (const std::string& oid : draft->named_organizations) {
    if (oid != requester) {
      return fhir::SendOutcome(request, response, 403, "forbidden",
                               "the Consent names " + oid +
                                   " as performer/organization, but only the disclosing "
                                   "facility itself (" +
                                   requester +
                                   ") may grant access to "
                                   "its records");
    }
  }
  Grant grant = std::move(draft->grant);
  grant.disclosing_facility = requester;
  Result<Grant> stored = c.store->AddGrant(grant, c.Now());
  if (!stored.ok()) return SendStoreError(request, response, stored.status());
  PolicyChange change;
  change.kind = PolicyChange::Kind::kGrant;
  change.facility = requester;
  change.patient_id = stored->patient_id;
  change.grant_id = stored->id;
  change.grantee = stored->grantee;
  change.detail = "to " + stored->grantee + " classes " + ClassList(*stored) + " " + stored->start +
                  ".." + stored->end;
  c.Notify(change);
  response.set("Location", fhir::FhirBase(request) + "/Consent/" + std::to_string(stored->id));
  fhir::SendFhir(request, response, 201, ConsentJson(*stored));
}

void SearchConsents(const Context& c, Request& request, Response& response) {
  auto params = fhir::QueryParamsOf(request);
  if (!params.ok()) return SendInvalid(request, response, params.status());
  const std::string requester = RequestPeer(request).facility_oid;
  GrantFilter filter;
  filter.party = requester;
  fhir::QueryParams used;
  std::string status, id;
  for (const auto& [name, value] : *params) {
    if (name == "patient" || name == "patient.identifier") {
      Result<std::string> cx = PatientCxOfToken(value, c.options.regional_domain_oid);
      if (!cx.ok()) return SendInvalid(request, response, cx.status());
      filter.patient_id = *cx;
    } else if (name == "status") {
      if (value != "active" && value != "inactive") {
        return fhir::SendOutcome(request, response, 400, "invalid",
                                 "status must be active or inactive");
      }
      status = value;
    } else if (name == "_id") {
      id = value;
    } else {
      continue;
    }
    used.emplace_back(name, value);
  }
  std::vector<std::pair<std::string, std::string>> out;
  if (!requester.empty()) {
    auto grants = c.store->ListGrants(filter);
    if (!grants.ok()) return SendStoreError(request, response, grants.status());
    for (const Grant& g : *grants) {
      if (!Visible(g, requester)) continue;
      if (!status.empty() && (status == "active") != (g.status == GrantStatus::kActive)) continue;
      if (!id.empty() && std::to_string(g.id) != id) continue;
      out.emplace_back(std::to_string(g.id), ConsentJson(g));
    }
  }
  SendSearchset(request, response, "Consent", used, out);
}

// The grant /fhir/Consent/{n} names, or null with an answer already sent (404).
std::unique_ptr<Grant> GrantOfPath(const Context& c, Request& request, Response& response) {
  int64_t id = 0;
  const std::string text = IdAfter(request, std::string(kConsentPath) + "/");
  if (!ParseId(text, &id)) {
    fhir::SendOutcome(request, response, 404, "not-found", "no Consent/" + text);
    return nullptr;
  }
  auto g = c.store->GetGrant(id);
  if (!g.ok()) {
    SendStoreError(request, response, g.status());
    return nullptr;
  }
  return std::make_unique<Grant>(std::move(g.value()));
}

void ReadConsent(const Context& c, Request& request, Response& response) {
  std::unique_ptr<Grant> g = GrantOfPath(c, request, response);
  if (g == nullptr) return;
  if (!Visible(*g, RequestPeer(request).facility_oid)) {
    return fhir::SendOutcome(request, response, 404, "not-found",
                             "no Consent/" + std::to_string(g->id));
  }
  fhir::SendFhir(request, response, 200, ConsentJson(*g));
}

// PUT with status inactive, or DELETE: revokes.
void RevokeConsent(const Context& c, Request& request, Response& response, bool put) {
  const std::string requester = RequestPeer(request).facility_oid;
  std::string wanted_status = "inactive";
  if (put) {
    Result<std::string> body = fhir::ReadFhirBody(request, c.options.max_body_bytes);
    if (!body.ok()) return fhir::SendBodyError(request, response, body.status());
    Result<ConsentUpdate> update = ConsentUpdateFromJson(*body);
    if (!update.ok()) return SendInvalid(request, response, update.status());
    const std::string path_id = IdAfter(request, std::string(kConsentPath) + "/");
    if (!update->id.empty() && update->id != path_id) {
      return fhir::SendOutcome(
          request, response, 400, "invalid",
          "the Consent's id " + update->id + " is not the id of the URL (" + path_id + ")");
    }
    wanted_status = update->status;
  }
  std::unique_ptr<Grant> g = GrantOfPath(c, request, response);
  if (g == nullptr) return;
  if (requester.empty() || g->disclosing_facility != requester) {
    return fhir::SendOutcome(
        request, response, 403, "forbidden",
        "only the disclosing facility of Consent/" + std::to_string(g->id) + " may change it");
  }
  const bool active = g->status == GrantStatus::kActive;
  if (wanted_status == "active" && active) {
    return fhir::SendFhir(request, response, 200, ConsentJson(*g));  // unchanged
  }
  if (wanted_status != "inactive") {
    return fhir::SendOutcome(request, response, 400, "invalid",
                             "a Consent can only be revoked (status inactive); a revoked grant "
                             "is not reactivated: create a new Consent");
  }
  Result<Grant> revoked = c.store->RevokeGrant(g->id, requester, c.Now());
  if (!revoked.ok()) return SendStoreError(request, response, revoked.status());
  if (active) {
    PolicyChange change;
    change.kind = PolicyChange::Kind::kRevoke;
    change.facility = requester;
    change.patient_id = revoked->patient_id;
    change.grant_id = revoked->id;
    change.grantee = revoked->grantee;
    change.detail = "grant " + std::to_string(revoked->id);
    c.Notify(change);
  }
  fhir::SendFhir(request, response, 200, ConsentJson(*revoked));
}

// --- $break-glass ---------------------------------------------------------------------------

void BreakTheGlass(const Context& c, Request& request, Response& response) {
  const std::string requester = RequestPeer(request).facility_oid;
  if (requester.empty()) {
    return fhir::SendOutcome(request, response, 403, "forbidden",
                             "the requesting facility is unknown");
  }
  Result<std::string> body = fhir::ReadFhirBody(request, c.options.max_body_bytes);
  if (!body.ok()) return fhir::SendBodyError(request, response, body.status());
  Result<BreakGlassRequest> ask = BreakGlassRequestFromJson(*body, c.options.regional_domain_oid);
  if (!ask.ok()) {
    // A refused emergency access is audited too (issue 5: break-glass without a reason).
    PolicyChange refused;
    refused.kind = PolicyChange::Kind::kBreakGlassRefused;
    refused.facility = requester;
    refused.detail = ask.status().message();
    c.Notify(refused);
    return SendInvalid(request, response, ask.status());
  }
  Result<BreakGlass> window =
      c.store->StartBreakGlass(requester, ask->patient_id, ask->reason, ask->practitioner, c.Now());
  if (!window.ok()) return SendStoreError(request, response, window.status());
  LogWarning("directory: break-glass by " + requester + " on " + window->patient_id + " until " +
             window->expires + ": " + window->reason);
  PolicyChange change;
  change.kind = PolicyChange::Kind::kBreakGlass;
  change.facility = requester;
  change.patient_id = window->patient_id;
  change.detail = window->reason;
  change.grant_id = window->id;
  change.staff_id = window->staff_id;
  change.expires = window->expires;
  c.Notify(change);
  fhir::SendFhir(request, response, 200, BreakGlassResultJson(*window));
}

}  // namespace

const char* PolicyChangeKindName(PolicyChange::Kind kind) {
  switch (kind) {
    case PolicyChange::Kind::kGrant:
      return "grant";
    case PolicyChange::Kind::kRevoke:
      return "revoke";
    case PolicyChange::Kind::kBreakGlass:
      return "break_glass";
    case PolicyChange::Kind::kBreakGlassRefused:
      return "break_glass_refused";
  }
  return "grant";
}

void AddDirectoryRoutes(HttpRouter& router, DirectoryStore& store,
                        DirectoryEndpointOptions options) {
  auto c = std::make_shared<const Context>(Context{&store, std::move(options)});
  auto route = [c](void (*fn)(const Context&, Request&, Response&)) -> HttpHandler {
    return [c, fn](Request& request, Response& response) { fn(*c, request, response); };
  };
  const std::string slash = "/";
  router.Exact("GET", kOrganizationPath, route(&SearchOrganizations));
  router.Prefix("GET", kOrganizationPath + slash, route(&ReadOrganization));
  router.Exact("GET", kEndpointPath, route(&SearchEndpoints));
  router.Prefix("GET", kEndpointPath + slash, route(&ReadEndpoint));
  router.Exact("GET", kPractitionerPath, route(&SearchPractitioners));
  router.Prefix("GET", kPractitionerPath + slash, route(&ReadPractitioner));
  router.Exact("POST", kConsentPath, route(&CreateConsent));
  router.Exact("GET", kConsentPath, route(&SearchConsents));
  router.Prefix("GET", kConsentPath + slash, route(&ReadConsent));
  router.Prefix("PUT", kConsentPath + slash, [c](Request& request, Response& response) {
    RevokeConsent(*c, request, response, true);
  });
  router.Prefix("DELETE", kConsentPath + slash, [c](Request& request, Response& response) {
    RevokeConsent(*c, request, response, false);
  });
  router.Exact("POST", kBreakGlassPath, route(&BreakTheGlass));
  router.Exact("POST", kBreakGlassPathEncoded, route(&BreakTheGlass));
}

}  // namespace renkei::directory
