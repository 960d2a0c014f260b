// ITI-78 PDQm (see pdqm.h).
#include "pix/pdqm.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdio>

namespace renkei::pix {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr int kDefaultCount = 20;
constexpr int kMaxCount = 100;
constexpr char kOid[] = "urn:oid:";
constexpr char kRepresentation[] =
    "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

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

// "1960-01-02" -> "19600102" (also YYYY, YYYY-MM); "" when malformed.
std::string DateToDtm(const std::string& date) {
  static const size_t kLengths[] = {4, 7, 10};
  bool ok = false;
  for (size_t n : kLengths) ok = ok || date.size() == n;
  if (!ok) return "";
  std::string out;
  for (size_t i = 0; i < date.size(); ++i) {
    if (i == 4 || i == 7) {
      if (date[i] != '-') return "";
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return "";
    out.push_back(date[i]);
  }
  return out;
}

// "19600102..." -> "1960-01-02" (YYYY, YYYYMM too); "" when malformed.
std::string DtmToDate(const std::string& dtm) {
  const std::string digits = dtm.substr(0, std::min<size_t>(dtm.size(), 8));
  if (!AllDigits(digits) || (digits.size() != 4 && digits.size() != 6 && digits.size() != 8)) {
    return "";
  }
  std::string out = digits.substr(0, 4);
  if (digits.size() >= 6) out += "-" + digits.substr(4, 2);
  if (digits.size() == 8) out += "-" + digits.substr(6, 2);
  return out;
}

std::string Gender(const std::string& v2) {
  if (v2 == "M") return "male";
  if (v2 == "F") return "female";
  if (v2 == "O" || v2 == "A") return "other";
  if (v2 == "U" || v2 == "N") return "unknown";
  return "";
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
        // A system that is not an OID names no domain of this centre: nothing matches it.
        const std::string oid = system.rfind(kOid, 0) == 0 ? system.substr(sizeof(kOid) - 1)
                                                            : "\x01" + system;
        q.identifiers.push_back(Cx{value.substr(bar + 1), "", oid, ""});
      }
    } else if (name == "family") {
      q.family = value;
    } else if (name == "given") {
      q.given = value;
    } else if (name == "name") {
      q.name = value;
    } else if (name == "birthdate") {
      std::string date = value.rfind("eq", 0) == 0 ? value.substr(2) : value;
      q.birth_date = DateToDtm(date);
      if (q.birth_date.empty()) return Bad("birthdate must be [eq]YYYY[-MM[-DD]], not " + value);
    } else if (name == "gender") {
      static const std::pair<const char*, const char*> kGender[] = {
          {"male", "M"}, {"female", "F"}, {"other", "O"}, {"unknown", "U"}};
      q.sex.clear();
      for (const auto& [fhir, v2] : kGender) {
        if (value == fhir) q.sex = v2;
      }
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
    Field(w, "system", kOid + id.oid);
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
      static const std::pair<const char*, const char*> kRep[] = {
          {"I", "IDE"}, {"P", "SYL"}, {"A", "ABC"}};
      for (const auto& [v2, code] : kRep) {
        if (n.representation != v2) continue;
        w.Key("extension");
        w.StartArray();
        w.StartObject();
        Field(w, "url", kRepresentation);
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
  Field(w, "gender", Gender(p.sex));
  Field(w, "birthDate", DtmToDate(p.birth_date));
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
