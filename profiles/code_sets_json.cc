// Affinity-domain code sets: the JSON data-file loader (format in code_sets.h). The only
// file of profiles/ that includes RapidJSON.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>

#include "profiles/code_sets.h"

namespace renkei::profiles {
namespace {

Status Bad(const std::string& origin, const std::string& what) {
  return Status::InvalidArgument("CodeSetError", origin + ": " + what, origin);
}

// A member that must be a non-empty string.
bool GetString(const rapidjson::Value& obj, const char* name, std::string* out) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0) {
    return false;
  }
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

}  // namespace

Status CodeSets::MergeJson(std::string_view json, const std::string& origin) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return Bad(origin, std::string("not valid JSON at offset ") +
                           std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return Bad(origin, "the top level must be an object");
  auto attrs = doc.FindMember("attributes");
  if (attrs == doc.MemberEnd() || !attrs->value.IsArray()) {
    return Bad(origin, "\"attributes\" must be an array");
  }
  // Validate everything first so a bad file changes nothing.
  CodeSets staged = *this;
  for (rapidjson::SizeType i = 0; i < attrs->value.Size(); ++i) {
    const rapidjson::Value& a = attrs->value[i];
    const std::string path = "attributes[" + std::to_string(i) + "]";
    if (!a.IsObject()) return Bad(origin, path + " must be an object");
    std::string scheme;
    std::string attribute;
    if (!GetString(a, "classificationScheme", &scheme) || scheme.rfind("urn:uuid:", 0) != 0) {
      return Bad(origin, path + ".classificationScheme must be a urn:uuid: string");
    }
    if (a.HasMember("attribute") && !GetString(a, "attribute", &attribute)) {
      return Bad(origin, path + ".attribute must be a non-empty string");
    }
    auto codes = a.FindMember("codes");
    if (codes == a.MemberEnd() || !codes->value.IsArray()) {
      return Bad(origin, path + ".codes must be an array");
    }
    staged.codes_[scheme];  // listed (even with no codes) = restricted
    if (!attribute.empty()) staged.attribute_names_.emplace(scheme, attribute);
    for (rapidjson::SizeType j = 0; j < codes->value.Size(); ++j) {
      const rapidjson::Value& c = codes->value[j];
      const std::string cpath = path + ".codes[" + std::to_string(j) + "]";
      if (!c.IsObject()) return Bad(origin, cpath + " must be an object");
      CodeEntry e;
      if (!GetString(c, "code", &e.code)) {
        return Bad(origin, cpath + ".code must be a non-empty string");
      }
      if (!GetString(c, "codingScheme", &e.coding_scheme)) {
        return Bad(origin, cpath + ".codingScheme must be a non-empty string");
      }
      auto display = c.FindMember("display");
      if (display != c.MemberEnd()) {
        if (!display->value.IsString()) return Bad(origin, cpath + ".display must be a string");
        e.display.assign(display->value.GetString(), display->value.GetStringLength());
      }
      staged.Add(scheme, attribute, std::move(e));
    }
  }
  auto mimes = doc.FindMember("mimeTypes");
  if (mimes != doc.MemberEnd()) {
    if (!mimes->value.IsArray()) return Bad(origin, "\"mimeTypes\" must be an array of strings");
    for (rapidjson::SizeType i = 0; i < mimes->value.Size(); ++i) {
      if (!mimes->value[i].IsString()) {
        return Bad(origin, "mimeTypes[" + std::to_string(i) + "] must be a string");
      }
      std::string mime(mimes->value[i].GetString(), mimes->value[i].GetStringLength());
      bool seen = false;
      for (const std::string& m : staged.mime_types_) seen = seen || m == mime;
      if (!seen) staged.mime_types_.push_back(std::move(mime));
    }
  }
  *this = std::move(staged);
  return Status::Ok();
}

}  // namespace renkei::profiles
