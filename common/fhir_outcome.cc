#include "common/fhir_outcome.h"

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

}  // namespace renkei
