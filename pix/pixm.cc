// ITI-83 PIXm $ihe-pix (see pixm.h).
#include "pix/pixm.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/fhir_outcome.h"
#include "pix/fhir_codes.h"

namespace renkei::pix {

namespace {

Status Invalid(const std::string& message) {
  return Status::InvalidArgument("invalid", message);
}

Result<Cx> ParseToken(const std::string& token) {
  const size_t bar = token.find('|');
  if (bar == std::string::npos || bar == 0 || bar + 1 == token.size()) {
    return Invalid("sourceIdentifier must be system|value, not '" + token + "'");
  }
  return Cx{token.substr(bar + 1), "", token.substr(0, bar), ""};  // oid holds the system
}

void AddTargets(const std::string& value, std::vector<std::string>* out) {
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    if (comma > start) out->push_back(value.substr(start, comma - start));
    start = comma + 1;
  }
}

Result<PixmQuery> Finish(Cx source, bool have_source, const std::vector<std::string>& targets) {
  if (!have_source) return Invalid("the sourceIdentifier parameter is required");
  PixmQuery q;
  q.source = std::move(source);
  q.target_oids = targets;  // systems for now; AnswerPixm maps them
  return q;
}

FhirAnswer Outcome(int status, const std::string& code, const std::string& text) {
  return FhirAnswer{status, OperationOutcomeJson(code, text)};
}

void WriteString(rapidjson::Writer<rapidjson::StringBuffer>& w, const std::string& s) {
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

Result<PixmQuery> PixmQueryFromParams(
    const std::vector<std::pair<std::string, std::string>>& params) {
  Cx source;
  bool have_source = false;
  std::vector<std::string> targets;
  for (const auto& [name, value] : params) {
    if (name == "sourceIdentifier") {
      if (have_source) return Invalid("sourceIdentifier is given more than once");
      RENKEI_ASSIGN_OR_RETURN(source, ParseToken(value));
      have_source = true;
    } else if (name == "targetSystem") {
      AddTargets(value, &targets);
    }
  }
  return Finish(std::move(source), have_source, targets);
}

Result<PixmQuery> PixmQueryFromJson(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return Invalid("the body is not a JSON object");
  auto type = doc.FindMember("resourceType");
  if (type == doc.MemberEnd() || !type->value.IsString() ||
      std::string(type->value.GetString()) != "Parameters") {
    return Invalid("the body must be a Parameters resource");
  }
  Cx source;
  bool have_source = false;
  std::vector<std::string> targets;
  auto params = doc.FindMember("parameter");
  if (params != doc.MemberEnd() && params->value.IsArray()) {
    for (const auto& p : params->value.GetArray()) {
      if (!p.IsObject() || !p.HasMember("name") || !p["name"].IsString()) continue;
      const std::string name = p["name"].GetString();
      if (name == "sourceIdentifier") {
        if (have_source) return Invalid("sourceIdentifier is given more than once");
        if (p.HasMember("valueString") && p["valueString"].IsString()) {
          RENKEI_ASSIGN_OR_RETURN(source, ParseToken(p["valueString"].GetString()));
        } else if (p.HasMember("valueIdentifier") && p["valueIdentifier"].IsObject()) {
          const auto& id = p["valueIdentifier"];
          if (!id.HasMember("system") || !id["system"].IsString() || !id.HasMember("value") ||
              !id["value"].IsString()) {
            return Invalid("sourceIdentifier.valueIdentifier needs system and value");
          }
          source = Cx{id["value"].GetString(), "", id["system"].GetString(), ""};
        } else {
          return Invalid("sourceIdentifier needs valueString or valueIdentifier");
        }
        have_source = true;
      } else if (name == "targetSystem") {
        for (const char* key : {"valueUri", "valueString"}) {
          if (p.HasMember(key) && p[key].IsString()) AddTargets(p[key].GetString(), &targets);
        }
      }
    }
  }
  return Finish(std::move(source), have_source, targets);
}

FhirAnswer AnswerPixm(IdentityStore& store, const PixmQuery& query) {
  const std::string source_oid = OidOfSystem(query.source.oid);
  if (source_oid.empty()) {
    return Outcome(400, "code-invalid", "sourceIdentifier Assigning Authority not found");
  }
  std::vector<std::string> wanted;
  for (const std::string& system : query.target_oids) {
    const std::string oid = OidOfSystem(system);
    auto known = oid.empty() ? Result<bool>(false) : store.KnowsDomain(oid);
    if (!known.ok()) return Outcome(500, "exception", known.status().message());
    if (!*known) return Outcome(403, "code-invalid", "targetSystem not found: " + system);
    wanted.push_back(oid);
  }
  auto linked = store.CrossReference(Cx{query.source.id, "", source_oid, ""});
  if (!linked.ok()) {
    if (linked.status().code() != StatusCode::kNotFound) {
      return Outcome(500, "exception", linked.status().message());
    }
    // Only a miss asks whether the source domain exists at all (400) or not the id (404).
    auto known_source = store.KnowsDomain(source_oid);
    if (!known_source.ok()) return Outcome(500, "exception", known_source.status().message());
    if (!*known_source) {
      return Outcome(400, "code-invalid", "sourceIdentifier Assigning Authority not found");
    }
    return Outcome(404, "not-found", "sourceIdentifier Patient Identifier not found");
  }
  std::vector<const Cx*> selected;
  for (const Cx& id : *linked) {
    if (id.oid == source_oid) continue;  // never the source itself
    bool take = wanted.empty();
    for (const std::string& oid : wanted) take = take || oid == id.oid;
    if (take) selected.push_back(&id);
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("resourceType");
  w.String("Parameters");
  if (!selected.empty()) {  // FHIR arrays are never empty: no match, no "parameter"
    w.Key("parameter");
    w.StartArray();
    for (const Cx* id : selected) {
      w.StartObject();
      w.Key("name");
      w.String("targetIdentifier");
      w.Key("valueIdentifier");
      w.StartObject();
      w.Key("system");
      WriteString(w, SystemOfOid(id->oid));
      w.Key("value");
      WriteString(w, id->id);
      w.EndObject();
      w.EndObject();
    }
    w.StartObject();
    w.Key("name");
    w.String("targetId");
    w.Key("valueReference");
    w.StartObject();
    w.Key("reference");
    WriteString(w, "Patient/" + linked->front().id);  // the regional ID
    w.EndObject();
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
  return FhirAnswer{200, std::string(buf.GetString(), buf.GetSize())};
}

Result<std::vector<Cx>> PixmTargetsFromJson(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("resourceType") ||
      !doc["resourceType"].IsString() || doc["resourceType"].GetString() != std::string("Parameters")) {
    return Invalid("a PIXm answer must be a Parameters resource");
  }
  std::vector<Cx> out;
  if (!doc.HasMember("parameter")) return out;
  if (!doc["parameter"].IsArray()) return Invalid("Parameters.parameter must be an array");
  for (const auto& p : doc["parameter"].GetArray()) {
    if (!p.IsObject() || !p.HasMember("name") || !p["name"].IsString() ||
        p["name"].GetString() != std::string("targetIdentifier")) {
      continue;
    }
    if (!p.HasMember("valueIdentifier") || !p["valueIdentifier"].IsObject()) {
      return Invalid("targetIdentifier without valueIdentifier");
    }
    const auto& id = p["valueIdentifier"];
    if (!id.HasMember("system") || !id["system"].IsString() || !id.HasMember("value") ||
        !id["value"].IsString()) {
      return Invalid("targetIdentifier.valueIdentifier needs system and value");
    }
    std::string oid = OidOfSystem(id["system"].GetString());
    if (oid.empty()) continue;
    out.push_back(Cx{id["value"].GetString(), "", std::move(oid), ""});
  }
  return out;
}

}  // namespace renkei::pix
