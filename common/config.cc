// Role configuration: JSON + --set overrides checked against a schema (architecture §9).
#include "common/config.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <functional>
#include <sstream>

namespace renkei {
namespace {

using Poco::Dynamic::Var;

Status BadKey(const std::string& key, const std::string& why) {
  return Status::InvalidArgument("config", "config key '" + key + "': " + why, key);
}

// Removes // line comments and /* */ block comments outside JSON strings (Poco 1.11's own
// comment support rejects them at the start of a value).
std::string StripComments(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      out += '\n';
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 1;
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Parses JSON text; comments allowed.
Result<Var> ParseJson(const std::string& text, const std::string& what) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(StripComments(text));
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("config", what + ": malformed JSON: " + e.displayText());
  }
}

// Flattens nested objects into dotted paths; arrays and scalars are leaves.
void Flatten(const Poco::JSON::Object::Ptr& obj, const std::string& prefix,
             std::map<std::string, Var>* out) {
  for (const auto& [name, value] : *obj) {
    std::string path = prefix.empty() ? name : prefix + "." + name;
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
      Flatten(value.extract<Poco::JSON::Object::Ptr>(), path, out);
    } else {
      (*out)[path] = value;
    }
  }
}

const char* TypeName(ConfigType t) {
  switch (t) {
    case ConfigType::kString: return "a string";
    case ConfigType::kInt: return "an integer";
    case ConfigType::kBool: return "true or false";
    case ConfigType::kStringList: return "an array of strings";
  }
  return "?";
}

bool IsJsonObject(const Var& v) { return v.type() == typeid(Poco::JSON::Object::Ptr); }
bool IsJsonArray(const Var& v) { return v.type() == typeid(Poco::JSON::Array::Ptr); }

}  // namespace

Result<Config> Config::Load(const std::vector<ConfigKey>& schema, const std::string& file,
                            const std::vector<std::string>& overrides) {
  std::map<std::string, Var> given;
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::InvalidArgument("config", "cannot read config file '" + file + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    Result<Var> root = ParseJson(ss.str(), "config file '" + file + "'");
    if (!root.ok()) return root.status();
    if (!IsJsonObject(*root)) {
      return Status::InvalidArgument("config", "config file '" + file + "' is not a JSON object");
    }
    Flatten(root->extract<Poco::JSON::Object::Ptr>(), "", &given);
  }
  for (const std::string& o : overrides) {
    size_t eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("config", "--set expects KEY=VALUE, got '" + o + "'");
    }
    std::string key = o.substr(0, eq);
    std::string text = o.substr(eq + 1);
    Result<Var> parsed = ParseJson("{\"v\":" + text + "}", "--set " + key);
    if (parsed.ok()) {
      given[key] = parsed->extract<Poco::JSON::Object::Ptr>()->get("v");
    } else {
      given[key] = Var(text);  // not a JSON literal: a plain string
    }
  }

  Config config;
  std::map<std::string, const ConfigKey*> by_path;
  for (const ConfigKey& k : schema) by_path[k.path] = &k;
  for (const auto& [path, value] : given) {
    if (!by_path.count(path)) return BadKey(path, "unknown key (see `renkei config example`)");
  }
  for (const ConfigKey& k : schema) {
    Var v;
    auto it = given.find(k.path);
    if (it != given.end()) {
      v = it->second;
    } else {
      Result<Var> d = ParseJson("{\"v\":" + k.default_json + "}", "default of " + k.path);
      if (!d.ok()) return d.status();
      v = d->extract<Poco::JSON::Object::Ptr>()->get("v");
    }
    Value out;
    out.type = k.type;
    switch (k.type) {
      case ConfigType::kString:
        if (!v.isString()) return BadKey(k.path, std::string("must be ") + TypeName(k.type));
        out.s = v.extract<std::string>();
        break;
      case ConfigType::kInt:
        if (!v.isInteger()) return BadKey(k.path, std::string("must be ") + TypeName(k.type));
        out.i = v.convert<int64_t>();
        break;
      case ConfigType::kBool:
        if (!v.isBoolean()) return BadKey(k.path, std::string("must be ") + TypeName(k.type));
        out.b = v.extract<bool>();
        break;
      case ConfigType::kStringList: {
        if (!IsJsonArray(v)) return BadKey(k.path, std::string("must be ") + TypeName(k.type));
        auto arr = v.extract<Poco::JSON::Array::Ptr>();
        for (size_t i = 0; i < arr->size(); ++i) {
          Var e = arr->get(i);
          if (!e.isString()) return BadKey(k.path, "must be an array of strings");
          out.list.push_back(e.extract<std::string>());
        }
        break;
      }
    }
    config.values_[k.path] = std::move(out);
  }
  return config;
}

const std::string& Config::GetString(const std::string& path) const { return values_.at(path).s; }
int64_t Config::GetInt(const std::string& path) const { return values_.at(path).i; }
bool Config::GetBool(const std::string& path) const { return values_.at(path).b; }
const std::vector<std::string>& Config::GetStringList(const std::string& path) const {
  return values_.at(path).list;
}

std::string Config::Example(const std::vector<ConfigKey>& schema, const std::string& title) {
  // Group keys by their dotted prefix, in schema order, one nesting level per segment.
  struct Node {
    std::vector<std::string> order;
    std::map<std::string, Node> children;
    const ConfigKey* key = nullptr;
  };
  Node root;
  for (const ConfigKey& k : schema) {
    Node* n = &root;
    std::stringstream ss(k.path);
    std::string seg;
    while (std::getline(ss, seg, '.')) {
      if (!n->children.count(seg)) n->order.push_back(seg);
      n = &n->children[seg];
    }
    n->key = &k;
  }
  std::string out = "// " + title + "\n";
  std::function<void(const Node&, int)> emit = [&](const Node& n, int depth) {
    std::string pad(depth * 2, ' ');
    out += "{\n";
    for (size_t i = 0; i < n.order.size(); ++i) {
      const std::string& name = n.order[i];
      const Node& c = n.children.at(name);
      std::string inner(depth * 2 + 2, ' ');
      if (c.key) out += inner + "// " + c.key->help + "\n";
      out += inner + "\"" + name + "\": ";
      if (c.key) {
        out += c.key->default_json;
      } else {
        emit(c, depth + 1);
      }
      out += (i + 1 < n.order.size()) ? ",\n" : "\n";
    }
    out += pad + "}";
  };
  emit(root, 0);
  out += "\n";
  return out;
}

Status ParseHostPort(const std::string& key, const std::string& value, std::string* host,
                     int* port) {
  size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= value.size()) {
    return BadKey(key, "must be host:port, got '" + value + "'");
  }
  *host = value.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  const std::string p = value.substr(colon + 1);
  for (char c : p) {
    if (c < '0' || c > '9') return BadKey(key, "port must be a number, got '" + p + "'");
  }
  long n = std::stol(p);
  if (n > 65535) return BadKey(key, "port out of range: " + p);
  *port = static_cast<int>(n);
  return Status::Ok();
}

}  // namespace renkei
