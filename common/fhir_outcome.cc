#include "common/fhir_outcome.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace renkei {

std::string OperationOutcomeJson(const std::string& issue_code, const std::string& text) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("resourceType");
  w.String("OperationOutcome");
  w.Key("issue");
  w.StartArray();
  w.StartObject();
  w.Key("severity");
  w.String("error");
  w.Key("code");
  w.String(issue_code.c_str(), static_cast<rapidjson::SizeType>(issue_code.size()));
  w.Key("details");
  w.StartObject();
  w.Key("text");
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  w.EndObject();
  w.Key("diagnostics");
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string OperationOutcomeText(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("resourceType") ||
      !d["resourceType"].IsString() || std::string(d["resourceType"].GetString()) != "OperationOutcome" ||
      !d.HasMember("issue") || !d["issue"].IsArray() || d["issue"].Empty() ||
      !d["issue"][0].IsObject()) {
    return "";
  }
  const auto& issue = d["issue"][0];
  if (issue.HasMember("diagnostics") && issue["diagnostics"].IsString()) {
    return issue["diagnostics"].GetString();
  }
  if (issue.HasMember("details") && issue["details"].IsObject() &&
      issue["details"].HasMember("text") && issue["details"]["text"].IsString()) {
    return issue["details"]["text"].GetString();
  }
  return "";
}

}  // namespace renkei
