// FHIR R4 JSON of the facility directory and consent grants (directory/directory_fhir.h).
#include "directory/directory_fhir.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "directory/instant.h"

namespace renkei::directory {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using Json = rapidjson::Value;

constexpr char kUrnOid[] = "urn:oid:";
constexpr char kOrganizationPrefix[] = "Organization/";
constexpr char kPatientPrefix[] = "Patient/";
constexpr char kOrgTypeSystem[] = "http://terminology.hl7.org/CodeSystem/organization-type";
constexpr char kMcsdEndpointTypes[] =
    "https://profiles.ihe.net/ITI/mCSD/CodeSystem/MCSDEndpointTypes";
constexpr char kConnectionTypeSystem[] =
    "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
constexpr char kPayloadTypeSystem[] = "http://terminology.hl7.org/CodeSystem/endpoint-payload-type";
constexpr char kNameRepresentation[] =
    "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
constexpr char kConsentScopeSystem[] = "http://terminology.hl7.org/CodeSystem/consentscope";
constexpr char kLoinc[] = "http://loinc.org";
constexpr char kActCode[] = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
constexpr char kParticipationType[] = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

void Str(Writer& w, const std::string& s) {
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}
void Field(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  Str(w, value);
}
void Coding(Writer& w, const std::string& system, const std::string& code) {
  w.StartObject();
  if (!system.empty()) Field(w, "system", system);
  Field(w, "code", code);
  w.EndObject();
}
void CodeableConcept(Writer& w, const char* key, const std::string& system,
                     const std::string& code) {
  w.Key(key);
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  Coding(w, system, code);
  w.EndArray();
  w.EndObject();
}
void Identifier(Writer& w, const std::string& system, const std::string& value) {
  w.StartObject();
  Field(w, "system", system);
  Field(w, "value", value);
  w.EndObject();
}
void OrganizationReference(Writer& w, const std::string& oid) {
  w.StartObject();
  Field(w, "reference", kOrganizationPrefix + oid);
  w.Key("identifier");
  Identifier(w, kRfc3986System, kUrnOid + oid);
  w.EndObject();
}

// Splits "id^^^&oid&ISO" into id and oid; false when it is not of that form.
bool SplitCx(const std::string& cx, std::string* id, std::string* oid) {
  const size_t caret = cx.find("^^^&");
  if (caret == std::string::npos || caret == 0) return false;
  const size_t amp = cx.find('&', caret + 4);
  if (amp == std::string::npos || cx.substr(amp) != "&ISO") return false;
  *id = cx.substr(0, caret);
  *oid = cx.substr(caret + 4, amp - caret - 4);
  return !oid->empty();
}

bool IsOid(const std::string& s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

Status Invalid(const std::string& message) { return Status::InvalidArgument("invalid", message); }

// --- reading ------------------------------------------------------------------------------

const Json* Member(const Json& o, const char* key) {
  if (!o.IsObject()) return nullptr;
  auto it = o.FindMember(key);
  return it == o.MemberEnd() ? nullptr : &it->value;
}

// The string member `key` of `o`; "" when absent. False when present and not a string.
bool StringMember(const Json& o, const char* key, std::string* out) {
  out->clear();
  const Json* v = Member(o, key);
  if (v == nullptr) return true;
  if (!v->IsString()) return false;
  out->assign(v->GetString(), v->GetStringLength());
  return true;
}

// Calls `fn` on each item of an array member, or on the member itself when it is an object
// (a one-item array as fhir_xml makes it from XML). False when neither.
bool ForEach(const Json& o, const char* key, const std::function<bool(const Json&)>& fn) {
  const Json* v = Member(o, key);
  if (v == nullptr) return true;
  if (v->IsObject()) return fn(*v);
  if (!v->IsArray()) return false;
  for (const Json& item : v->GetArray()) {
    if (!fn(item)) return false;
  }
  return true;
}

Result<rapidjson::Document> Parse(const std::string& json, const char* resource_type) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  if (d.HasParseError() || !d.IsObject()) return Invalid("the body is not a JSON object");
  std::string type;
  if (!StringMember(d, "resourceType", &type) || type != resource_type) {
    return Invalid(std::string("the body is not a ") + resource_type + " resource");
  }
  return d;
}

// The OID an Organization reference names ("Organization/<oid>" or an identifier
// {urn:ietf:rfc:3986, urn:oid:<oid>} or {urn:oid:..., ...}); "" when it names none.
// `other` is set when it is a reference to something else (not an Organization).
std::string OidOfReference(const Json& ref, bool* other) {
  *other = false;
  std::string reference;
  if (StringMember(ref, "reference", &reference) && !reference.empty()) {
    if (StartsWith(reference, kOrganizationPrefix)) {
      return reference.substr(sizeof(kOrganizationPrefix) - 1);
    }
    *other = true;
    return "";
  }
  const Json* id = Member(ref, "identifier");
  if (id == nullptr) return "";
  std::string system, value;
  StringMember(*id, "system", &system);
  StringMember(*id, "value", &value);
  if (system == kRfc3986System && StartsWith(value, kUrnOid)) {
    return value.substr(sizeof(kUrnOid) - 1);
  }
  if (system.empty() && StartsWith(value, kUrnOid)) return value.substr(sizeof(kUrnOid) - 1);
  *other = true;
  return "";
}

}  // namespace

// --- identifiers ------------------------------------------------------------------------

Result<std::string> PatientCxOfIdentifier(const std::string& system, const std::string& value) {
  if (!StartsWith(system, kUrnOid) || !IsOid(system.substr(sizeof(kUrnOid) - 1))) {
    return Invalid("the patient identifier's system must be urn:oid:<regional domain OID>, not '" +
                   system + "'");
  }
  if (value.empty() || value.find_first_of("^&~|\\") != std::string::npos) {
    return Invalid("the patient identifier's value is empty or malformed");
  }
  return value + "^^^&" + system.substr(sizeof(kUrnOid) - 1) + "&ISO";
}

Result<std::string> PatientCxOfToken(const std::string& token,
                                     const std::string& regional_domain_oid) {
  std::string id, oid;
  if (SplitCx(token, &id, &oid)) return token;
  const size_t bar = token.find('|');
  if (bar != std::string::npos) {
    return PatientCxOfIdentifier(token.substr(0, bar), token.substr(bar + 1));
  }
  if (!regional_domain_oid.empty()) {
    const std::string value =
        StartsWith(token, kPatientPrefix) ? token.substr(sizeof(kPatientPrefix) - 1) : token;
    return PatientCxOfIdentifier(kUrnOid + regional_domain_oid, value);
  }
  return Invalid(
      "a patient is named as <system>|<value> (urn:oid:<domain>|<id>) or as a CX, not '" + token +
      "'");
}

std::string OidOfOrganizationToken(const std::string& token) {
  std::string t = token;
  const size_t bar = t.find('|');
  if (bar != std::string::npos) t = t.substr(bar + 1);
  if (StartsWith(t, kOrganizationPrefix)) return t.substr(sizeof(kOrganizationPrefix) - 1);
  if (StartsWith(t, kUrnOid)) return t.substr(sizeof(kUrnOid) - 1);
  return t;
}

// --- writing ------------------------------------------------------------------------------

std::string OrganizationJson(const Facility& f, const std::vector<Endpoint>& endpoints) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Field(w, "resourceType", "Organization");
  Field(w, "id", f.oid);
  if (!f.certificate_sha256.empty()) {
    w.Key("extension");
    w.StartArray();
    w.StartObject();
    Field(w, "url", kCertificateThumbprintExtension);
    Field(w, "valueString", f.certificate_sha256);
    w.EndObject();
    w.EndArray();
  }
  w.Key("identifier");
  w.StartArray();
  Identifier(w, kRfc3986System, kUrnOid + f.oid);
  w.EndArray();
  w.Key("active");
  w.Bool(f.active);
  w.Key("type");
  w.StartArray();
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  Coding(w, kOrgTypeSystem, "prov");
  Coding(w, kFacilityTypeSystem, FacilityTypeName(f.type));
  w.EndArray();
  w.EndObject();
  w.EndArray();
  Field(w, "name", f.name);
  if (!f.name_romaji.empty()) {
    w.Key("alias");
    w.StartArray();
    Str(w, f.name_romaji);
    w.EndArray();
  }
  if (!endpoints.empty()) {
    w.Key("endpoint");
    w.StartArray();
    for (const Endpoint& e : endpoints) {
      w.StartObject();
      Field(w, "reference", "Endpoint/" + std::to_string(e.id));
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return buf.GetString();
}

std::string EndpointJson(const Endpoint& e) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Field(w, "resourceType", "Endpoint");
  Field(w, "id", std::to_string(e.id));
  w.Key("extension");
  w.StartArray();
  w.StartObject();
  Field(w, "url", kEndpointKindExtension);
  Field(w, "valueCode", EndpointKindName(e.kind));
  w.EndObject();
  w.EndArray();
  if (!e.repository_unique_id.empty()) {
    w.Key("identifier");
    w.StartArray();
    Identifier(w, kRfc3986System, kUrnOid + e.repository_unique_id);
    w.EndArray();
  }
  Field(w, "status", "active");
  w.Key("connectionType");
  switch (e.kind) {
    case EndpointKind::kIti43:
    case EndpointKind::kIti41:
      Coding(w, kMcsdEndpointTypes, "ihe-xds");
      break;
    case EndpointKind::kIti68:
      Coding(w, kMcsdEndpointTypes, "ihe-mhd");
      break;
    case EndpointKind::kDicomWeb:
      Coding(w, kConnectionTypeSystem, "dicom-wado-rs");
      break;
  }
  const char* name = e.kind == EndpointKind::kIti43   ? "ITI-43 Retrieve Document Set"
                     : e.kind == EndpointKind::kIti68 ? "ITI-68 Retrieve Document"
                     : e.kind == EndpointKind::kIti41 ? "ITI-41 Provide and Register Document Set-b"
                                                      : "DICOMweb";
  Field(w, "name", name);
  w.Key("managingOrganization");
  OrganizationReference(w, e.facility);
  w.Key("payloadType");
  w.StartArray();
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  Coding(w, kPayloadTypeSystem, "any");
  w.EndArray();
  w.EndObject();
  w.EndArray();
  if (!e.url.empty()) Field(w, "address", e.url);
  w.EndObject();
  return buf.GetString();
}

std::string PractitionerJson(const Staff& s, const std::string& staff_id_system) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  auto name = [&](const std::string& family, const std::string& given, const char* rep) {
    w.StartObject();
    w.Key("extension");
    w.StartArray();
    w.StartObject();
    Field(w, "url", kNameRepresentation);
    Field(w, "valueCode", rep);
    w.EndObject();
    w.EndArray();
    Field(w, "use", "official");
    if (!family.empty()) Field(w, "family", family);
    if (!given.empty()) {
      w.Key("given");
      w.StartArray();
      Str(w, given);
      w.EndArray();
    }
    w.EndObject();
  };
  w.StartObject();
  Field(w, "resourceType", "Practitioner");
  Field(w, "id", s.id);
  w.Key("identifier");
  w.StartArray();
  Identifier(w, staff_id_system, s.id);
  w.EndArray();
  w.Key("active");
  w.Bool(true);
  w.Key("name");
  w.StartArray();
  name(s.family, s.given, "IDE");
  if (!s.family_alt.empty() || !s.given_alt.empty()) name(s.family_alt, s.given_alt, "SYL");
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

std::string ConsentJson(const Grant& g) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Field(w, "resourceType", "Consent");
  Field(w, "id", std::to_string(g.id));
  w.Key("meta");
  w.StartObject();
  Field(w, "lastUpdated", IsoOfInstant(g.revoked_at.empty() ? g.created_at : g.revoked_at));
  w.EndObject();
  Field(w, "status", g.status == GrantStatus::kActive ? "active" : "inactive");
  CodeableConcept(w, "scope", kConsentScopeSystem, "patient-privacy");
  w.Key("category");
  w.StartArray();
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  Coding(w, kLoinc, "59284-0");
  w.EndArray();
  w.EndObject();
  w.EndArray();
  std::string id, oid;
  w.Key("patient");
  w.StartObject();
  if (SplitCx(g.patient_id, &id, &oid)) {
    w.Key("identifier");
    Identifier(w, kUrnOid + oid, id);
  } else {
    Field(w, "display", g.patient_id);
  }
  w.EndObject();
  Field(w, "dateTime", IsoOfInstant(g.created_at));
  for (const char* key : {"performer", "organization"}) {
    w.Key(key);
    w.StartArray();
    OrganizationReference(w, g.disclosing_facility);
    w.EndArray();
  }
  if (!g.consent_reference.empty() || !g.note.empty()) {
    w.Key("sourceReference");
    w.StartObject();
    if (!g.consent_reference.empty()) Field(w, "reference", g.consent_reference);
    if (!g.note.empty()) Field(w, "display", g.note);
    w.EndObject();
  }
  CodeableConcept(w, "policyRule", kActCode, "OPTIN");
  w.Key("provision");
  w.StartObject();
  Field(w, "type", "permit");
  w.Key("period");
  w.StartObject();
  Field(w, "start", IsoOfInstant(g.start));
  if (!g.end.empty()) Field(w, "end", IsoOfInstant(g.end));
  w.EndObject();
  w.Key("actor");
  w.StartArray();
  w.StartObject();
  CodeableConcept(w, "role", kParticipationType, "IRCP");
  w.Key("reference");
  if (g.grantee == kEveryFacility) {
    w.StartObject();
    Field(w, "reference", kEveryFacilityReference);
    Field(w, "display", "every participating facility");
    w.EndObject();
  } else {
    OrganizationReference(w, g.grantee);
  }
  w.EndObject();
  w.EndArray();
  if (!g.classes.empty()) {
    w.Key("class");
    w.StartArray();
    for (const GrantClass& c : g.classes) Coding(w, c.system, c.code);
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

// --- Consent input ------------------------------------------------------------------------

Result<ConsentDraft> ConsentDraftFromJson(const std::string& json,
                                          const std::vector<std::string>& class_systems,
                                          const std::string& regional_domain_oid) {
  Result<rapidjson::Document> parsed = Parse(json, "Consent");
  if (!parsed.ok()) return parsed.status();
  const rapidjson::Document& d = *parsed;
  ConsentDraft draft;
  Grant& g = draft.grant;

  std::string status;
  if (!StringMember(d, "status", &status)) return Invalid("Consent.status must be a code");
  if (status != "active") {
    return Invalid("Consent.status must be 'active' to grant access (not '" + status + "')");
  }

  const Json* patient = Member(d, "patient");
  const Json* patient_id = patient ? Member(*patient, "identifier") : nullptr;
  std::string patient_reference;
  if (patient != nullptr && patient_id == nullptr && !regional_domain_oid.empty() &&
      StringMember(*patient, "reference", &patient_reference) &&
      StartsWith(patient_reference, kPatientPrefix)) {
    Result<std::string> cx = PatientCxOfToken(patient_reference, regional_domain_oid);
    if (!cx.ok()) return cx.status();
    g.patient_id = *cx;
  } else {
    if (patient_id == nullptr || !patient_id->IsObject()) {
      return Status::InvalidArgument("required",
                                     "Consent.patient.identifier (the regional patient ID) is "
                                     "required");
    }
    std::string system, value;
    if (!StringMember(*patient_id, "system", &system) ||
        !StringMember(*patient_id, "value", &value)) {
      return Invalid("Consent.patient.identifier is malformed");
    }
    Result<std::string> cx = PatientCxOfIdentifier(system, value);
    if (!cx.ok()) return cx.status();
    g.patient_id = *cx;
  }

  for (const char* key : {"performer", "organization"}) {
    bool ok = ForEach(d, key, [&](const Json& ref) {
      bool other = false;
      const std::string oid = OidOfReference(ref, &other);
      if (!oid.empty()) draft.named_organizations.push_back(oid);
      return ref.IsObject();
    });
    if (!ok) return Invalid(std::string("Consent.") + key + " must be a list of references");
  }

  const Json* source = Member(d, "sourceReference");
  if (source != nullptr) {
    if (!StringMember(*source, "reference", &g.consent_reference) ||
        !StringMember(*source, "display", &g.note)) {
      return Invalid("Consent.sourceReference is malformed");
    }
  }

  const Json* provision = Member(d, "provision");
  if (provision == nullptr || !provision->IsObject()) {
    return Status::InvalidArgument("required",
                                   "Consent.provision (type permit, actor) is required");
  }
  std::string type;
  if (!StringMember(*provision, "type", &type) || (!type.empty() && type != "permit")) {
    return Invalid("Consent.provision.type must be 'permit'");
  }
  const Json* period = Member(*provision, "period");
  if (period != nullptr) {
    std::string start, end;
    if (!period->IsObject() || !StringMember(*period, "start", &start) ||
        !StringMember(*period, "end", &end)) {
      return Invalid("Consent.provision.period is malformed");
    }
    if (!start.empty()) {
      Result<std::string> s = ParseInstant(start);
      if (!s.ok()) return Invalid("Consent.provision.period.start: " + s.status().message());
      g.start = *s;
    }
    if (!end.empty()) {
      Result<std::string> e = ParseInstant(end);
      if (!e.ok()) return Invalid("Consent.provision.period.end: " + e.status().message());
      g.end = *e;
    }
    if (!g.start.empty() && !g.end.empty() && g.end <= g.start) {
      return Invalid("Consent.provision.period ends before it starts");
    }
  }

  std::vector<std::string> grantees;
  bool actors_ok = ForEach(*provision, "actor", [&](const Json& actor) {
    const Json* ref = Member(actor, "reference");
    if (ref == nullptr || !ref->IsObject()) return false;
    std::string reference;
    StringMember(*ref, "reference", &reference);
    if (reference == kEveryFacilityReference) {
      grantees.push_back(kEveryFacility);
      return true;
    }
    bool other = false;
    const std::string oid = OidOfReference(*ref, &other);
    if (oid.empty()) return false;
    grantees.push_back(oid);
    return true;
  });
  if (!actors_ok) {
    return Invalid(
        "Consent.provision.actor.reference must name an Organization (Organization/"
        "<oid> or identifier urn:ietf:rfc:3986 urn:oid:<oid>) or " +
        std::string(kEveryFacilityReference));
  }
  if (grantees.size() != 1) {
    return Status::InvalidArgument("required",
                                   "Consent.provision.actor must name exactly one grantee "
                                   "(a facility or every participating facility)");
  }
  g.grantee = grantees.front();

  std::string bad_class;
  bool classes_ok = ForEach(*provision, "class", [&](const Json& coding) {
    GrantClass c;
    if (!StringMember(coding, "system", &c.system) || !StringMember(coding, "code", &c.code) ||
        c.code.empty() || c.code.find_first_of("\t\n") != std::string::npos) {
      bad_class = "Consent.provision.class needs a system and a code";
      return false;
    }
    if (std::find(class_systems.begin(), class_systems.end(), c.system) == class_systems.end()) {
      bad_class = "Consent.provision.class system '" + c.system +
                  "' is not a classCode scheme of this region";
      return false;
    }
    g.classes.push_back(std::move(c));
    return true;
  });
  if (!classes_ok) {
    return Status::InvalidArgument(
        bad_class.find("scheme") != std::string::npos ? "code-invalid" : "invalid",
        bad_class.empty() ? "Consent.provision.class is malformed" : bad_class);
  }
  return draft;
}

Result<ConsentUpdate> ConsentUpdateFromJson(const std::string& json) {
  Result<rapidjson::Document> parsed = Parse(json, "Consent");
  if (!parsed.ok()) return parsed.status();
  ConsentUpdate u;
  if (!StringMember(*parsed, "id", &u.id) || !StringMember(*parsed, "status", &u.status) ||
      u.status.empty()) {
    return Invalid("Consent.status is required");
  }
  return u;
}

// --- $break-glass -------------------------------------------------------------------------

Result<BreakGlassRequest> BreakGlassRequestFromJson(const std::string& json,
                                                    const std::string& regional_domain_oid) {
  Result<rapidjson::Document> parsed = Parse(json, "Parameters");
  if (!parsed.ok()) return parsed.status();
  BreakGlassRequest r;
  Status bad;
  bool ok = ForEach(*parsed, "parameter", [&](const Json& p) {
    std::string name;
    if (!StringMember(p, "name", &name)) return false;
    if (name == "patient") {
      std::string token;
      Result<std::string> cx = Status::InvalidArgument("invalid", "malformed patient");
      if (const Json* id = Member(p, "valueIdentifier")) {
        std::string system, value;
        if (!StringMember(*id, "system", &system) || !StringMember(*id, "value", &value)) {
          return false;
        }
        cx = PatientCxOfIdentifier(system, value);
      } else if (const Json* ref = Member(p, "valueReference")) {
        if (StringMember(*ref, "reference", &token) && StartsWith(token, kPatientPrefix)) {
          cx = PatientCxOfToken(token, regional_domain_oid);
        }
      } else if (StringMember(p, "valueString", &token) && !token.empty()) {
        cx = PatientCxOfToken(token, regional_domain_oid);
      }
      if (!cx.ok()) {
        bad = cx.status();
        return false;
      }
      r.patient_id = *cx;
    } else if (name == "reason") {
      if (!StringMember(p, "valueString", &r.reason)) return false;
    } else if (name == "practitioner") {
      if (const Json* id = Member(p, "valueIdentifier")) {
        if (!StringMember(*id, "value", &r.practitioner)) return false;
      } else if (!StringMember(p, "valueString", &r.practitioner)) {
        return false;
      }
    }
    return true;
  });
  if (!bad.ok()) return bad;
  if (!ok) return Invalid("the Parameters are malformed");
  if (r.patient_id.empty()) {
    return Status::InvalidArgument("required", "$break-glass needs the parameter 'patient'");
  }
  if (std::all_of(r.reason.begin(), r.reason.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    return Status::InvalidArgument("required",
                                   "$break-glass needs a non-empty 'reason' (valueString)");
  }
  return r;
}

std::string BreakGlassResultJson(const BreakGlass& b) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  auto param = [&](const char* name, const char* type, const std::string& value) {
    w.StartObject();
    Field(w, "name", name);
    Field(w, type, value);
    w.EndObject();
  };
  w.StartObject();
  Field(w, "resourceType", "Parameters");
  w.Key("parameter");
  w.StartArray();
  param("expires", "valueInstant", IsoOfInstant(b.expires));
  param("started", "valueInstant", IsoOfInstant(b.started));
  std::string id, oid;
  if (SplitCx(b.patient_id, &id, &oid)) {
    w.StartObject();
    Field(w, "name", "patient");
    w.Key("valueIdentifier");
    Identifier(w, kUrnOid + oid, id);
    w.EndObject();
  }
  param("id", "valueString", std::to_string(b.id));
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

}  // namespace renkei::directory
