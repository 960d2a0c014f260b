// ITI-78 PDQm (see pdqm.h).
#include "pix/pdqm.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdio>

#include "pix/fhir_codes.h"

namespace renkei::pix {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr int kDefaultCount = 20;
constexpr int kMaxCount = 100;

void Str(Writer& w, const std::string& s) {
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}
void Field(Writer& w, const char* key, const std::string& value) {
  if (value.empty()) return;
  w.Key(key);
  Str(w, value);
}

Status Bad(const std::string& message) { return Status::InvalidArgument("invalid", message); }

bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string QueryString(const QueryParams& params) {
  std::string q;
  for (const auto& [k, v] : params) {
    q += q.empty() ? "" : "&";
    q += PercentEncode(k) + "=" + PercentEncode(v);
  }
  return q;
}

}  // namespace

Result<PatientSearch> PatientSearchFromParams(const QueryParams& params, QueryParams* used) {
  PatientSearch q;
  q.limit = kDefaultCount;
  for (const auto& [name, value] : params) {
    if (name.find(':') != std::string::npos) {
      return Bad("search parameter modifier not supported: " + name);
    }
    bool known = true;
    if (name == "_id") {
      q.regional_id = value;
    } else if (name == "identifier") {
      const size_t bar = value.find('|');
      if (bar == std::string::npos) {
        q.identifiers.push_back(Cx{value, "", "", ""});
      } else {
        const std::string system = value.substr(0, bar);
        // A system that is not an OID names no domain of this centre: kept as it is, it
        // equals no stored OID, so nothing matches.
        const std::string oid = OidOfSystem(system);
        q.identifiers.push_back(Cx{value.substr(bar + 1), "", oid.empty() ? system : oid, ""});
      }
    } else if (name == "family") {
      q.family = value;
    } else if (name == "given") {
      q.given = value;
    } else if (name == "name") {
      q.name = value;
    } else if (name == "birthdate") {
      std::string date = value.rfind("eq", 0) == 0 ? value.substr(2) : value;
      q.birth_date = DtmOfDate(date);
      if (q.birth_date.empty()) return Bad("birthdate must be [eq]YYYY[-MM[-DD]], not " + value);
    } else if (name == "gender") {
      q.sex = SexOfGender(value);
      if (q.sex.empty()) return Bad("gender must be male, female, other or unknown");
    } else if (name == "address") {
      q.address = value;
    } else if (name == "telecom") {
      const size_t bar = value.find('|');
      q.telecom = bar == std::string::npos ? value : value.substr(bar + 1);
    } else if (name == "_count") {
      if (!AllDigits(value) || value.size() > 4 || std::stoi(value) < 1) {
        return Bad("_count must be a positive integer");
      }
      q.limit = std::min(std::stoi(value), kMaxCount);
    } else if (name == "_page") {
      if (!AllDigits(value) || value.size() > 18) return Bad("malformed _page cursor");
      q.after = std::stoll(value);
      known = false;  // not part of the self link
    } else {
      known = false;  // lenient: unknown parameters are ignored
    }
    if (known && used) used->emplace_back(name, value);
  }
  return q;
}

std::string PatientJson(const PatientRecord& p) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("resourceType");
  w.String("Patient");
  Field(w, "id", p.regional_id);
  w.Key("identifier");
  w.StartArray();
  for (const Cx& id : p.identifiers) {
    w.StartObject();
    Field(w, "system", SystemOfOid(id.oid));
    Field(w, "value", id.id);
    w.EndObject();
  }
  w.EndArray();
  w.Key("active");
  w.Bool(true);
  if (!p.names.empty()) {
    w.Key("name");
    w.StartArray();
    for (const PersonName& n : p.names) {
      w.StartObject();
      if (const std::string code = CodeOfRepresentation(n.representation); !code.empty()) {
        w.Key("extension");
        w.StartArray();
        w.StartObject();
        Field(w, "url", kNameRepresentationUrl);
        Field(w, "valueCode", code);
        w.EndObject();
        w.EndArray();
      }
      Field(w, "use", n.type == "L" ? "official" : n.type == "B" ? "maiden" : "");
      Field(w, "family", n.family);
      if (!n.given.empty() || !n.middle.empty()) {
        w.Key("given");
        w.StartArray();
        if (!n.given.empty()) Str(w, n.given);
        if (!n.middle.empty()) Str(w, n.middle);
        w.EndArray();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  if (!p.phones.empty()) {
    w.Key("telecom");
    w.StartArray();
    for (const std::string& phone : p.phones) {
      w.StartObject();
      Field(w, "system", "phone");
      Field(w, "value", phone);
      w.EndObject();
    }
    w.EndArray();
  }
  Field(w, "gender", GenderOfSex(p.sex));
  Field(w, "birthDate", DateOfDtm(p.birth_date));
  if (!p.addresses.empty()) {
    w.Key("address");
    w.StartArray();
    for (const Address& a : p.addresses) {
      w.StartObject();
      Field(w, "use", a.type == "H" ? "home" : a.type == "B" || a.type == "O" ? "work" : "");
      Field(w, "text", a.other);
      if (!a.street.empty()) {
        w.Key("line");
        w.StartArray();
        Str(w, a.street);
        w.EndArray();
      }
      Field(w, "city", a.city);
      Field(w, "state", a.state);
      Field(w, "postalCode", a.postal_code);
      Field(w, "country", a.country);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string SearchBundleJson(const std::string& base, const QueryParams& used,
                             const SearchPage& page, int count) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("resourceType");
  w.String("Bundle");
  w.Key("type");
  w.String("searchset");
  w.Key("link");
  w.StartArray();
  const std::string self = base + "/Patient" + (used.empty() ? "" : "?" + QueryString(used));
  w.StartObject();
  Field(w, "relation", "self");
  Field(w, "url", self);
  w.EndObject();
  if (page.next != 0) {
    QueryParams next = used;
    bool has_count = false;
    for (const auto& [k, v] : next) has_count = has_count || k == "_count";
    if (!has_count) next.emplace_back("_count", std::to_string(count));
    next.emplace_back("_page", std::to_string(page.next));
    w.StartObject();
    Field(w, "relation", "next");
    Field(w, "url", base + "/Patient?" + QueryString(next));
    w.EndObject();
  }
  w.EndArray();
  if (!page.patients.empty()) {
    w.Key("entry");
    w.StartArray();
    for (const PatientRecord& p : page.patients) {
      w.StartObject();
      Field(w, "fullUrl", base + "/Patient/" + p.regional_id);
      w.Key("resource");
      const std::string json = PatientJson(p);
      w.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
      w.Key("search");
      w.StartObject();
      Field(w, "mode", "match");
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace renkei::pix
