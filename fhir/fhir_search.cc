#include "fhir/fhir_search.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdio>

namespace renkei::fhir {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
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

void Link(Writer& w, const char* relation, const std::string& url) {
  w.StartObject();
  Field(w, "relation", relation);
  Field(w, "url", url);
  w.EndObject();
}

}  // namespace

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string q;
  for (const auto& [k, v] : params) {
    q += q.empty() ? "" : "&";
    q += PercentEncode(k) + "=" + PercentEncode(v);
  }
  return q;
}

std::string SearchsetJson(const std::string& self_url, const std::string& next_url,
                          const std::vector<SearchEntry>& entries, std::optional<int64_t> total) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Field(w, "resourceType", "Bundle");
  Field(w, "type", "searchset");
  if (total.has_value()) {
    w.Key("total");
    w.Int64(*total);
  }
  w.Key("link");
  w.StartArray();
  Link(w, "self", self_url);
  if (!next_url.empty()) Link(w, "next", next_url);
  w.EndArray();
  if (!entries.empty()) {
    w.Key("entry");
    w.StartArray();
    for (const SearchEntry& e : entries) {
      w.StartObject();
      Field(w, "fullUrl", e.full_url);
      w.Key("resource");
      w.RawValue(e.resource_json.c_str(), e.resource_json.size(), rapidjson::kObjectType);
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

}  // namespace renkei::fhir
