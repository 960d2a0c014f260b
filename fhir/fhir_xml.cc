// FHIR R4 XML <-> JSON (see fhir_xml.h).
#include "fhir/fhir_xml.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

namespace renkei::fhir {
namespace {

Status Invalid(const std::string& message) { return Status::InvalidArgument("invalid", message); }

// --- JSON -> XML

void AppendEscaped(std::string* out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '&': out->append("&amp;"); break;
      case '<': out->append("&lt;"); break;
      case '>': out->append("&gt;"); break;
      case '"':
        if (attribute) {
          out->append("&quot;");
        } else {
          out->push_back(c);
        }
        break;
      case '\n': out->append(attribute ? "&#xA;" : "\n"); break;
      case '\r': out->append("&#xD;"); break;
      case '\t': out->append(attribute ? "&#x9;" : "\t"); break;
      default: out->push_back(c);
    }
  }
}

using Json = rapidjson::Value;

class XmlWriter {
 public:
  Status Resource(const Json& object, bool root) {
    if (!object.IsObject() || !object.HasMember("resourceType") ||
        !object["resourceType"].IsString()) {
      return Invalid("a FHIR resource must be a JSON object with a resourceType");
    }
    const std::string type = object["resourceType"].GetString();
    if (type.empty() || !std::isupper(static_cast<unsigned char>(type[0]))) {
      return Invalid("'" + type + "' is not a resource type");
    }
    out_ += "<" + type;
    if (root) out_ += std::string(" xmlns=\"") + kFhirNamespace + "\"";
    out_ += ">";
    const size_t content_start = out_.size();
    RENKEI_RETURN_IF_ERROR(Members(object, /*resource=*/true, /*extension=*/false));
    Close(type, content_start);
    return Status::Ok();
  }

  std::string Take() { return std::move(out_); }

 private:
  // The members of an object as child elements (`resource`: `id` is an element, not an
  // attribute; `extension`: `url` was written as an attribute).
  Status Members(const Json& object, bool resource, bool extension) {
    for (auto m = object.MemberBegin(); m != object.MemberEnd(); ++m) {
      const std::string name(m->name.GetString(), m->name.GetStringLength());
      if (resource && name == "resourceType") continue;
      if (!resource && name == "id") continue;          // attribute
      if (extension && name == "url") continue;         // attribute
      if (!name.empty() && name[0] == '_') {
        const std::string base = name.substr(1);
        if (!object.HasMember(base.c_str())) {           // extension-only primitive(s)
          RENKEI_RETURN_IF_ERROR(Property(base, nullptr, &m->value));
        }
        continue;
      }
      const std::string companion = "_" + name;
      const Json* ext = object.HasMember(companion.c_str()) ? &object[companion.c_str()] : nullptr;
      RENKEI_RETURN_IF_ERROR(Property(name, &m->value, ext));
    }
    return Status::Ok();
  }

  Status Property(const std::string& name, const Json* value, const Json* ext) {
    const Json* v = value ? value : ext;
    if (v->IsArray()) {
      const rapidjson::SizeType n = v->Size();
      if (value && ext && (!ext->IsArray() || ext->Size() != n)) {
        return Invalid("_" + name + " does not align with " + name);
      }
      for (rapidjson::SizeType i = 0; i < n; ++i) {
        const Json* vi = value ? &(*value)[i] : nullptr;
        const Json* ei = ext ? &(*ext)[i] : nullptr;
        if (vi && vi->IsNull()) vi = nullptr;
        if (ei && ei->IsNull()) ei = nullptr;
        if (!vi && !ei) continue;
        RENKEI_RETURN_IF_ERROR(Element(name, vi, ei));
      }
      return Status::Ok();
    }
    return Element(name, value, ext);
  }

  Status Element(const std::string& name, const Json* value, const Json* ext) {
    if (value && value->IsObject()) {
      if (value->HasMember("resourceType")) {
        out_ += "<" + name + ">";
        RENKEI_RETURN_IF_ERROR(Resource(*value, false));
        out_ += "</" + name + ">";
        return Status::Ok();
      }
      const bool extension = name == "extension" || name == "modifierExtension";
      out_ += "<" + name;
      Attribute(*value, "id");
      if (extension) Attribute(*value, "url");
      out_ += ">";
      const size_t content_start = out_.size();
      RENKEI_RETURN_IF_ERROR(Members(*value, false, extension));
      Close(name, content_start);
      return Status::Ok();
    }
    if (name == "div" && value && value->IsString()) {  // Narrative XHTML, verbatim
      out_.append(value->GetString(), value->GetStringLength());
      return Status::Ok();
    }
    if (value && value->IsArray()) return Invalid(name + ": nested arrays are not FHIR JSON");
    out_ += "<" + name;
    if (ext) {
      if (!ext->IsObject()) return Invalid("_" + name + " must be an object");
      Attribute(*ext, "id");
    }
    if (value) {
      out_ += " value=\"";
      if (value->IsString()) {
        AppendEscaped(&out_, std::string_view(value->GetString(), value->GetStringLength()), true);
      } else if (value->IsBool()) {
        out_ += value->GetBool() ? "true" : "false";
      } else if (value->IsNumber()) {
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> w(buf);
        value->Accept(w);
        out_.append(buf.GetString(), buf.GetSize());
      } else {
        return Invalid(name + ": a primitive must be a string, number or boolean");
      }
      out_ += "\"";
    }
    if (ext && ext->HasMember("extension")) {
      out_ += ">";
      RENKEI_RETURN_IF_ERROR(Property("extension", &(*ext)["extension"], nullptr));
      out_ += "</" + name + ">";
    } else {
      out_ += "/>";
    }
    return Status::Ok();
  }

  // Ends element `name` whose start tag ended at `content_start`: "<a/>" when nothing was
  // written into it since.
  void Close(const std::string& name, size_t content_start) {
    if (out_.size() == content_start) {
      out_.insert(out_.size() - 1, "/");
    } else {
      out_ += "</" + name + ">";
    }
  }

  void Attribute(const Json& object, const char* name) {
    if (!object.HasMember(name) || !object[name].IsString()) return;
    out_ += std::string(" ") + name + "=\"";
    AppendEscaped(&out_, std::string_view(object[name].GetString(), object[name].GetStringLength()),
                  true);
    out_ += "\"";
  }

  std::string out_;
};

// --- XML -> JSON

// Elements that are arrays in FHIR JSON: anywhere, or below a parent of this name.
const std::set<std::string>& RepeatingAnywhere() {
  static const std::set<std::string> kNames = {
      "extension", "modifierExtension", "contained", "coding", "given", "prefix", "suffix",
      "line", "profile", "tag", "security"};
  return kNames;
}
const std::set<std::pair<std::string, std::string>>& RepeatingBelow() {
  static const std::set<std::pair<std::string, std::string>> kPairs = {
      {"Parameters", "parameter"}, {"parameter", "part"}, {"part", "part"},
      {"Patient", "identifier"}, {"Patient", "name"}, {"Patient", "telecom"},
      {"Patient", "address"}, {"Patient", "contact"}, {"Patient", "communication"},
      {"Patient", "generalPractitioner"}, {"Patient", "link"}, {"Patient", "photo"},
      {"contact", "relationship"}, {"contact", "telecom"},
      {"Bundle", "link"}, {"Bundle", "entry"}, {"entry", "link"},
      {"OperationOutcome", "issue"}, {"issue", "location"}, {"issue", "expression"},
      {"CapabilityStatement", "format"}, {"CapabilityStatement", "rest"},
      {"CapabilityStatement", "instantiates"}, {"CapabilityStatement", "implementationGuide"},
      {"rest", "resource"}, {"rest", "interaction"}, {"rest", "operation"},
      {"resource", "interaction"}, {"resource", "searchParam"}, {"resource", "operation"},
      {"resource", "supportedProfile"}, {"resource", "searchInclude"},
      // MHD (ITI-65 bundles): DocumentReference, List and the resources they contain.
      {"DocumentReference", "identifier"}, {"DocumentReference", "category"},
      {"DocumentReference", "author"}, {"DocumentReference", "relatesTo"},
      {"DocumentReference", "securityLabel"}, {"DocumentReference", "content"},
      {"context", "event"}, {"context", "encounter"}, {"context", "related"},
      {"List", "identifier"}, {"List", "entry"}, {"List", "note"},
      {"Practitioner", "identifier"}, {"Practitioner", "name"}, {"Practitioner", "telecom"},
      {"Practitioner", "address"}, {"Practitioner", "qualification"},
      {"Organization", "identifier"}, {"Organization", "type"}, {"Organization", "alias"},
      {"Organization", "telecom"}, {"Organization", "address"},
      {"PractitionerRole", "identifier"}, {"PractitionerRole", "code"},
      {"PractitionerRole", "specialty"}, {"PractitionerRole", "telecom"}};
  return kPairs;
}

bool Repeats(const std::string& parent, const std::string& name) {
  return RepeatingAnywhere().count(name) > 0 || RepeatingBelow().count({parent, name}) > 0;
}

bool EndsWith(const std::string& s, const char* suffix) {
  const size_t n = std::char_traits<char>::length(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// The JSON type of a primitive element of this name (FHIR JSON: boolean and numeric
// primitives are JSON booleans and numbers; value[x] choices by their type suffix).
enum class Primitive { kString, kBool, kNumber };
Primitive PrimitiveOf(const std::string& name) {
  static const std::set<std::string> kBools = {"active", "preferred", "experimental",
                                               "deceasedBoolean", "multipleBirthBoolean"};
  static const std::set<std::string> kNumbers = {"total", "rank", "count", "multipleBirthInteger",
                                                 "size"};  // Attachment.size
  if (kBools.count(name) || EndsWith(name, "Boolean")) return Primitive::kBool;
  if (kNumbers.count(name) || EndsWith(name, "Integer") || EndsWith(name, "Decimal") ||
      EndsWith(name, "PositiveInt") || EndsWith(name, "UnsignedInt")) {
    return Primitive::kNumber;
  }
  return Primitive::kString;
}

class JsonBuilder {
 public:
  explicit JsonBuilder(rapidjson::Document* doc) : a_(doc->GetAllocator()) {}

  Status Resource(pugi::xml_node el, Json* out) {
    if (!InFhirNamespace(el)) {
      return Invalid(std::string("<") + el.name() + "> is not in the FHIR namespace");
    }
    const std::string type = LocalName(el);
    if (type.empty() || !std::isupper(static_cast<unsigned char>(type[0]))) {
      return Invalid("<" + type + "> is not a FHIR resource");
    }
    out->SetObject();
    out->AddMember("resourceType", Str(type), a_);
    return Children(el, type, out);
  }

 private:
  static std::string LocalName(pugi::xml_node el) {
    const std::string name = el.name();
    const size_t colon = name.find(':');
    return colon == std::string::npos ? name : name.substr(colon + 1);
  }
  static bool InFhirNamespace(pugi::xml_node el) {
    const std::string name = el.name();
    const size_t colon = name.find(':');
    const std::string attr = colon == std::string::npos ? "xmlns" : "xmlns:" + name.substr(0, colon);
    for (pugi::xml_node n = el; n; n = n.parent()) {
      pugi::xml_attribute a = n.attribute(attr.c_str());
      if (a) return std::string_view(a.value()) == kFhirNamespace;
    }
    return false;
  }

  Json Str(const std::string& s) { return Json(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), a_); }

  Status Children(pugi::xml_node el, const std::string& context, Json* out) {
    // Children grouped by name, in the order each name first occurs.
    std::vector<std::pair<std::string, std::vector<pugi::xml_node>>> groups;
    RENKEI_RETURN_IF_ERROR(NoText(el, context));
    for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const std::string name = LocalName(c);
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const auto& g) { return g.first == name; });
      if (it == groups.end()) {
        groups.push_back({name, {c}});
      } else {
        it->second.push_back(c);
      }
    }
    for (const auto& [name, nodes] : groups) {
      const bool array = nodes.size() > 1 || Repeats(context, name);
      Json values(rapidjson::kArrayType), extras(rapidjson::kArrayType);
      bool any_value = false, any_extra = false;
      for (pugi::xml_node n : nodes) {
        Json value, extra;
        RENKEI_RETURN_IF_ERROR(Element(n, name, &value, &extra));
        any_value = any_value || !value.IsNull();
        any_extra = any_extra || !extra.IsNull();
        values.PushBack(value, a_);
        extras.PushBack(extra, a_);
      }
      if (array) {
        if (any_value) out->AddMember(Str(name), values, a_);
        if (any_extra) out->AddMember(Str("_" + name), extras, a_);
      } else {
        if (any_value) out->AddMember(Str(name), values[0], a_);
        if (any_extra) out->AddMember(Str("_" + name), extras[0], a_);
      }
    }
    return Status::Ok();
  }

  static Status NoText(pugi::xml_node el, const std::string& name) {
    for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_pcdata && c.type() != pugi::node_cdata) continue;
      if (std::any_of(c.value(), c.value() + std::char_traits<char>::length(c.value()),
                      [](char ch) { return !std::isspace(static_cast<unsigned char>(ch)); })) {
        return Invalid("text is not allowed in <" + name + "> (FHIR values are attributes)");
      }
    }
    return Status::Ok();
  }

  // One element: `value` (null for an extension-only primitive) and `extra` (the `_name`
  // object of a primitive's id/extension, else null).
  Status Element(pugi::xml_node el, const std::string& name, Json* value, Json* extra) {
    if (name == "div") {  // Narrative XHTML, as text
      std::ostringstream xhtml;
      el.print(xhtml, "", pugi::format_raw);
      *value = Str(xhtml.str());
      return Status::Ok();
    }
    pugi::xml_node first = el.first_child();
    while (first && first.type() != pugi::node_element) first = first.next_sibling();
    const std::string first_name = first ? LocalName(first) : "";
    if (first && !first_name.empty() && std::isupper(static_cast<unsigned char>(first_name[0]))) {
      return Resource(first, value);  // resource / contained
    }
    pugi::xml_attribute v = el.attribute("value");
    const bool primitive = v || (!first && !el.attribute("url"));
    if (!primitive) {
      value->SetObject();
      for (const char* attr : {"id", "url"}) {
        if (el.attribute(attr)) value->AddMember(Str(attr), Str(el.attribute(attr).value()), a_);
      }
      return Children(el, name, value);
    }
    RENKEI_RETURN_IF_ERROR(NoText(el, name));
    if (v) RENKEI_RETURN_IF_ERROR(PrimitiveValue(name, v.value(), value));
    if (el.attribute("id") || first) {
      extra->SetObject();
      if (el.attribute("id")) extra->AddMember("id", Str(el.attribute("id").value()), a_);
      RENKEI_RETURN_IF_ERROR(Children(el, name, extra));
    }
    return Status::Ok();
  }

  Status PrimitiveValue(const std::string& name, const std::string& text, Json* out) {
    switch (PrimitiveOf(name)) {
      case Primitive::kBool:
        if (text != "true" && text != "false") {
          return Invalid(name + " must be true or false, not '" + text + "'");
        }
        out->SetBool(text == "true");
        return Status::Ok();
      case Primitive::kNumber: {
        rapidjson::Document number;
        number.Parse(text.c_str(), text.size());
        if (number.HasParseError() || !number.IsNumber()) {
          return Invalid(name + " must be a number, not '" + text + "'");
        }
        out->CopyFrom(number, a_);
        return Status::Ok();
      }
      case Primitive::kString:
        *out = Str(text);
        return Status::Ok();
    }
    return Status::Ok();
  }

  rapidjson::Document::AllocatorType& a_;
};

}  // namespace

Result<std::string> JsonToXml(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(json.data(), json.size());
  if (doc.HasParseError()) return Invalid("the body is not JSON");
  XmlWriter w;
  RENKEI_RETURN_IF_ERROR(w.Resource(doc, /*root=*/true));
  return w.Take();
}

Result<std::string> XmlToJson(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype);
  if (!parsed) return Invalid(std::string("the body is not well-formed XML: ") + parsed.description());
  for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_doctype) return Invalid("a DOCTYPE is not allowed in FHIR XML");
  }
  rapidjson::Document out;
  JsonBuilder b(&out);
  RENKEI_RETURN_IF_ERROR(b.Resource(doc.document_element(), &out));
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  out.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace renkei::fhir
