// ITI-104 Patient JSON -> PatientFeed (see fhir_patient.h).
#include "pix/fhir_patient.h"

#include <rapidjson/document.h>

#include "pix/fhir_codes.h"

namespace renkei::pix {

namespace {

using Json = rapidjson::Value;

Status Bad(const std::string& message) { return Status::InvalidArgument("invalid", message); }

std::string Str(const Json& obj, const char* key) {
  if (!obj.IsObject()) return "";
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

const Json* Array(const Json& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsArray() ? &it->value : nullptr;
}

Result<Cx> Identifier(const Json& id) {
  const std::string system = Str(id, "system");
  const std::string value = Str(id, "value");
  if (value.empty()) return Bad("an identifier has no value");
  const std::string oid = OidOfSystem(system);
  if (oid.empty()) {
    return Status::InvalidArgument(
        "code-invalid", "identifier system '" + system + "' is not an urn:oid: domain");
  }
  return Cx{value, "", oid, ""};
}

}  // namespace

Result<PatientFeed> PatientFeedFromJson(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str(), body.size());
  if (d.HasParseError() || !d.IsObject()) return Bad("the body is not a JSON object");
  if (Str(d, "resourceType") != "Patient") return Bad("the body must be a Patient resource");
  PatientFeed f;
  f.event = "ITI-104";
  if (const Json* ids = Array(d, "identifier")) {
    for (const Json& id : ids->GetArray()) {
      RENKEI_ASSIGN_OR_RETURN(Cx cx, Identifier(id));
      f.identifiers.push_back(std::move(cx));
    }
  }
  if (f.identifiers.empty()) return Bad("the Patient has no identifier");
  if (const Json* names = Array(d, "name")) {
    for (const Json& n : names->GetArray()) {
      PersonName name;
      name.family = Str(n, "family");
      if (const Json* given = Array(n, "given")) {
        if (given->Size() > 0 && (*given)[0].IsString()) name.given = (*given)[0].GetString();
        if (given->Size() > 1 && (*given)[1].IsString()) name.middle = (*given)[1].GetString();
      }
      const std::string use = Str(n, "use");
      name.type = use == "official" ? "L" : use == "maiden" ? "B" : "";
      if (const Json* ext = Array(n, "extension")) {
        for (const Json& e : ext->GetArray()) {
          if (Str(e, "url") == kNameRepresentationUrl) {
            name.representation = RepresentationOfCode(Str(e, "valueCode"));
          }
        }
      }
      if (!name.family.empty() || !name.given.empty()) f.names.push_back(std::move(name));
    }
  }
  const std::string gender = Str(d, "gender");
  if (!gender.empty()) {
    f.sex = SexOfGender(gender);
    if (f.sex.empty()) return Bad("gender '" + gender + "' is not male, female, other or unknown");
  }
  const std::string birth = Str(d, "birthDate");
  if (!birth.empty()) {
    f.birth_date = DtmOfDate(birth);
    if (f.birth_date.empty()) return Bad("bad birthDate " + birth);
  }
  if (const Json* addresses = Array(d, "address")) {
    for (const Json& a : addresses->GetArray()) {
      Address addr;
      if (const Json* lines = Array(a, "line")) {
        if (lines->Size() > 0 && (*lines)[0].IsString()) addr.street = (*lines)[0].GetString();
      }
      addr.other = Str(a, "text");
      addr.city = Str(a, "city");
      addr.state = Str(a, "state");
      addr.postal_code = Str(a, "postalCode");
      addr.country = Str(a, "country");
      const std::string use = Str(a, "use");
      addr.type = use == "home" ? "H" : use == "work" ? "B" : "";
      f.addresses.push_back(std::move(addr));
    }
  }
  if (const Json* telecom = Array(d, "telecom")) {
    for (const Json& t : telecom->GetArray()) {
      if (Str(t, "system") == "phone" && !Str(t, "value").empty()) f.phones.push_back(Str(t, "value"));
    }
  }
  // A merge: active=false and replaced-by another identifier.
  auto active = d.FindMember("active");
  const bool inactive = active != d.MemberEnd() && active->value.IsBool() && !active->value.GetBool();
  if (const Json* links = Array(d, "link"); links && inactive) {
    for (const Json& l : links->GetArray()) {
      if (Str(l, "type") != "replaced-by") continue;
      auto other = l.FindMember("other");
      if (other == l.MemberEnd() || !other->value.IsObject()) continue;
      auto id = other->value.FindMember("identifier");
      if (id == other->value.MemberEnd()) return Bad("a replaced-by link needs other.identifier");
      RENKEI_ASSIGN_OR_RETURN(Cx survivor, Identifier(id->value));
      f.merged = std::move(f.identifiers);
      f.identifiers = {std::move(survivor)};
      f.event = "A40";
      f.names.clear();  // the merged record's demographics are not the survivor's
      f.addresses.clear();
      f.phones.clear();
      f.birth_date.clear();
      f.sex.clear();
    }
  }
  return f;
}

}  // namespace renkei::pix
