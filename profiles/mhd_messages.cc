#include "profiles/mhd_messages.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/base64.h"

namespace renkei::profiles {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

std::string TransactionResponseJson(const std::vector<std::string>& locations) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Field(w, "resourceType", "Bundle");
  Field(w, "type", "transaction-response");
  w.Key("entry");
  w.StartArray();
  for (const std::string& location : locations) {
    w.StartObject();
    w.Key("response");
    w.StartObject();
    Field(w, "status", "201 Created");
    Field(w, "location", location);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string BinaryJson(const std::string& id, const std::string& content_type,
                       std::string_view bytes) {
  std::string data;
  AppendBase64(&data, bytes);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Field(w, "resourceType", "Binary");
  Field(w, "id", id);
  Field(w, "contentType", content_type);
  Field(w, "data", data);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string PatientCxInDomain(const std::string& patient_json, const std::string& oid) {
  rapidjson::Document d;
  d.Parse(patient_json.data(), patient_json.size());
  if (d.HasParseError() || !d.IsObject()) return "";
  auto type = d.FindMember("resourceType");
  if (type == d.MemberEnd() || !type->value.IsString() ||
      std::string(type->value.GetString()) != "Patient") {
    return "";
  }
  auto ids = d.FindMember("identifier");
  if (ids == d.MemberEnd() || !ids->value.IsArray()) return "";
  const std::string system = "urn:oid:" + oid;
  for (const auto& id : ids->value.GetArray()) {
    if (!id.IsObject()) continue;
    auto s = id.FindMember("system");
    auto v = id.FindMember("value");
    if (s == id.MemberEnd() || v == id.MemberEnd() || !s->value.IsString() ||
        !v->value.IsString()) {
      continue;
    }
    if (system == s->value.GetString() && v->value.GetStringLength() > 0) {
      return std::string(v->value.GetString()) + "^^^&" + oid + "&ISO";
    }
  }
  return "";
}

}  // namespace renkei::profiles
