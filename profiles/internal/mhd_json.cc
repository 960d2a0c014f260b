// MHD mapping building blocks: JSON helpers, identifiers, codes, times (see mhd_json.h).
#include "profiles/internal/mhd_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdio>
#include <ctime>

namespace renkei::profiles::internal {

Status Invalid(const std::string& message, const std::string& location) {
  return Status::InvalidArgument("invalid", message, location);
}
Status Required(const std::string& message, const std::string& location) {
  return Status::InvalidArgument("required", message, location);
}
Status CodeInvalid(const std::string& message, const std::string& location) {
  return Status::InvalidArgument("code-invalid", message, location);
}
Status NotFound(const std::string& message, const std::string& location) {
  return Status::NotFound("not-found", message, location);
}
Status NotSupported(const std::string& message, const std::string& location) {
  return Status::InvalidArgument("not-supported", message, location);
}

// --- reading

const Json* Member(const Json& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string Str(const Json& obj, const char* key) {
  const Json* v = Member(obj, key);
  return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : "";
}

const Json* Array(const Json& obj, const char* key) {
  const Json* v = Member(obj, key);
  return v != nullptr && v->IsArray() ? v : nullptr;
}

const Json* Object(const Json& obj, const char* key) {
  const Json* v = Member(obj, key);
  return v != nullptr && v->IsObject() ? v : nullptr;
}

const Json* FindContained(const Json& resource, const std::string& reference) {
  if (reference.size() < 2 || reference[0] != '#') return nullptr;
  const Json* contained = Array(resource, "contained");
  if (contained == nullptr) return nullptr;
  for (const Json& r : contained->GetArray()) {
    if (Str(r, "id") == reference.substr(1)) return &r;
  }
  return nullptr;
}

std::vector<const Json*> Extensions(const Json& obj, const char* url, const char* value_key) {
  std::vector<const Json*> out;
  if (const Json* ext = Array(obj, "extension")) {
    for (const Json& e : ext->GetArray()) {
      if (Str(e, "url") != url) continue;
      if (const Json* v = Member(e, value_key)) out.push_back(v);
    }
  }
  return out;
}

const Json* Extension(const Json& obj, const char* url, const char* value_key) {
  std::vector<const Json*> all = Extensions(obj, url, value_key);
  return all.empty() ? nullptr : all.front();
}

// --- writing

Json Text(const std::string& s, Alloc& a) {
  return Json(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), a);
}

void Put(Json& obj, const char* key, const std::string& value, Alloc& a) {
  if (!value.empty()) obj.AddMember(rapidjson::StringRef(key), Text(value, a), a);
}

void Put(Json& obj, const char* key, Json&& value, Alloc& a) {
  if (value.IsNull()) return;
  if (value.IsArray() && value.Empty()) return;
  if (value.IsObject() && value.ObjectEmpty()) return;
  obj.AddMember(rapidjson::StringRef(key), value, a);
}

std::string Write(const Json& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Json Reference(const std::string& reference, Alloc& a) {
  Json r(rapidjson::kObjectType);
  Put(r, "reference", reference, a);
  return r;
}

Json ExtensionJson(const char* url, const char* value_key, Json&& value, Alloc& a) {
  Json e(rapidjson::kObjectType);
  e.AddMember("url", rapidjson::StringRef(url), a);
  e.AddMember(rapidjson::StringRef(value_key), value, a);
  return e;
}

// --- identifiers

bool IsOid(const std::string& s) {
  if (s.empty()) return false;  // the 64-character limit is XDS validation's business
  bool digit = false;
  for (char c : s) {
    if (c == '.') {
      if (!digit) return false;
      digit = false;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else {
      return false;
    }
  }
  return digit;
}

bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string ResourceIdOf(const std::string& entry_uuid) {
  return entry_uuid.rfind(kUrnUuid, 0) == 0 ? entry_uuid.substr(9) : entry_uuid;
}

std::string UriOfXdsId(const std::string& id) {
  if (IsOid(id)) return kUrnOid + id;
  if (IsUuid(id)) return kUrnUuid + id;
  return id;
}

std::string XdsIdOfUri(const std::string& uri) {
  if (uri.rfind(kUrnOid, 0) == 0) return uri.substr(8);
  if (uri.rfind(kUrnUuid, 0) == 0) return uri.substr(9);
  return uri;
}

Json IdentifierJson(const char* use, const std::string& system, const std::string& value,
                    Alloc& a) {
  Json id(rapidjson::kObjectType);
  if (use != nullptr) id.AddMember("use", rapidjson::StringRef(use), a);
  Put(id, "system", system, a);
  Put(id, "value", value, a);
  return id;
}

Json UniqueIdIdentifier(const char* use, const std::string& unique_id, Alloc& a) {
  const size_t caret = unique_id.find('^');
  if (caret != std::string::npos && IsOid(unique_id.substr(0, caret))) {
    return IdentifierJson(use, kUrnOid + unique_id.substr(0, caret), unique_id.substr(caret + 1),
                          a);
  }
  return IdentifierJson(use, kSystemRfc3986, UriOfXdsId(unique_id), a);
}

std::string UniqueIdOf(const Json& identifier) {
  const std::string system = Str(identifier, "system");
  const std::string value = Str(identifier, "value");
  if (value.empty()) return "";
  if (system.rfind(kUrnOid, 0) == 0) return system.substr(8) + "^" + value;
  return XdsIdOfUri(value);
}

// --- codes

namespace {
struct SystemRow {
  const char* oid;
  const char* uri;
};
constexpr SystemRow kSystems[] = {
    {"2.16.840.1.113883.6.1", "http://loinc.org"},
    {"2.16.840.1.113883.6.96", "http://snomed.info/sct"},
    {"2.16.840.1.113883.5.25", "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"},
    {"2.16.840.1.113883.5.4", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
    {"2.16.840.1.113883.5.1", "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender"},
    {"1.3.6.1.4.1.19376.1.2.3", "http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode"},
    {"1.2.840.10008.2.16.4", "http://dicom.nema.org/resources/ontology/DCM"},
};
}  // namespace

std::string SystemOfScheme(const std::string& scheme) {
  for (const SystemRow& row : kSystems) {
    if (scheme == row.oid) return row.uri;
  }
  if (IsOid(scheme)) return kUrnOid + scheme;
  // A FHIR uri has no whitespace (e.g. the Connectathon scheme "Connect-a-thon
  // practiceSettingCodes"): spaces travel as %20 and come back in SchemeOfSystem.
  std::string system;
  for (char c : scheme) {
    if (c == ' ') {
      system += "%20";
    } else {
      system += c;
    }
  }
  return system;
}

std::string SchemeOfSystem(const std::string& system) {
  for (const SystemRow& row : kSystems) {
    if (system == row.uri) return row.oid;
  }
  if (system.rfind(kUrnOid, 0) == 0) return system.substr(8);
  std::string scheme = system;
  for (size_t p = scheme.find("%20"); p != std::string::npos; p = scheme.find("%20", p + 1)) {
    scheme.replace(p, 3, " ");
  }
  return scheme;
}

Json CodingJson(const xds::Code& code, Alloc& a) {
  Json c(rapidjson::kObjectType);
  Put(c, "system", SystemOfScheme(code.scheme), a);
  Put(c, "code", code.code, a);
  Put(c, "display", code.display, a);
  return c;
}

Json CodeableConceptJson(const xds::Code& code, Alloc& a) {
  Json cc(rapidjson::kObjectType);
  if (code.empty()) return cc;
  Json codings(rapidjson::kArrayType);
  codings.PushBack(CodingJson(code, a), a);
  cc.AddMember("coding", codings, a);
  return cc;
}

xds::Code CodeOfCoding(const Json& coding) {
  return xds::Code{Str(coding, "code"), SchemeOfSystem(Str(coding, "system")),
                   Str(coding, "display")};
}

xds::Code CodeOfCodeableConcept(const Json& cc_json) {
  if (const Json* codings = Array(cc_json, "coding")) {
    for (const Json& c : codings->GetArray()) {
      if (!Str(c, "code").empty()) return CodeOfCoding(c);
    }
  }
  return xds::Code{};
}

// --- times

std::string FhirTimeOfDtm(const std::string& dtm, bool instant) {
  const size_t n = dtm.size();
  if (n < 4 || n > 14 || n % 2 != 0) return "";
  for (char c : dtm) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return "";
  }
  auto part = [&](size_t at, const char* fill) { return n > at ? dtm.substr(at, 2) : fill; };
  std::string out = dtm.substr(0, 4);
  if (n == 4 && !instant) return out;
  out += "-" + part(4, "01");
  if (n == 6 && !instant) return out;
  out += "-" + part(6, "01");
  if (n == 8 && !instant) return out;
  return out + "T" + part(8, "00") + ":" + part(10, "00") + ":" + part(12, "00") + "Z";
}

Result<std::string> DtmOfFhirTime(const std::string& fhir, const std::string& location) {
  if (fhir.empty()) return std::string();
  auto bad = [&] {
    return Invalid(location + ": '" + fhir + "' is not a FHIR date/dateTime with a time zone",
                   location);
  };
  auto digits = [&](size_t at, size_t len) {
    if (fhir.size() < at + len) return false;
    for (size_t i = at; i < at + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(fhir[i]))) return false;
    }
    return true;
  };
  if (!digits(0, 4)) return bad();
  if (fhir.size() == 4) return fhir;
  if (fhir[4] != '-' || !digits(5, 2)) return bad();
  if (fhir.size() == 7) return fhir.substr(0, 4) + fhir.substr(5, 2);
  if (fhir[7] != '-' || !digits(8, 2)) return bad();
  const std::string date = fhir.substr(0, 4) + fhir.substr(5, 2) + fhir.substr(8, 2);
  if (fhir.size() == 10) return date;
  if (fhir[10] != 'T' || !digits(11, 2) || fhir[13] != ':' || !digits(14, 2) || fhir[16] != ':' ||
      !digits(17, 2)) {
    return bad();
  }
  size_t pos = 19;
  if (pos < fhir.size() && fhir[pos] == '.') {
    ++pos;
    while (pos < fhir.size() && std::isdigit(static_cast<unsigned char>(fhir[pos]))) ++pos;
  }
  int offset_minutes = 0;
  if (pos < fhir.size() && fhir[pos] == 'Z' && pos + 1 == fhir.size()) {
    offset_minutes = 0;
  } else if (pos + 6 == fhir.size() && (fhir[pos] == '+' || fhir[pos] == '-') &&
             digits(pos + 1, 2) && fhir[pos + 3] == ':' && digits(pos + 4, 2)) {
    offset_minutes = std::stoi(fhir.substr(pos + 1, 2)) * 60 + std::stoi(fhir.substr(pos + 4, 2));
    if (fhir[pos] == '-') offset_minutes = -offset_minutes;
  } else {
    return bad();  // a dateTime with a time needs a time zone (FHIR R4 §2.24.0.1)
  }
  std::tm tm{};
  tm.tm_year = std::stoi(fhir.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(fhir.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(fhir.substr(8, 2));
  tm.tm_hour = std::stoi(fhir.substr(11, 2));
  tm.tm_min = std::stoi(fhir.substr(14, 2));
  tm.tm_sec = std::stoi(fhir.substr(17, 2));
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return bad();
  }
  const time_t utc = timegm(&tm) - static_cast<time_t>(offset_minutes) * 60;
  std::tm out{};
  gmtime_r(&utc, &out);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", out.tm_year + 1900, out.tm_mon + 1,
                out.tm_mday, out.tm_hour, out.tm_min, out.tm_sec);
  return std::string(buf);
}

}  // namespace renkei::profiles::internal
