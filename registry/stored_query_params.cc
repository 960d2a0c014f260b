// ITI-18 Registry Stored Query: parameter value parsing (ITI TF-2 3.18.4.1.2.3.5).
#include "registry/stored_query_params.h"

#include "xds/xds_errors.h"

namespace renkei::registry {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

Status Malformed(const std::string& why, const std::string& where) {
  return xds::XdsStatus(xds::XdsError::kRegistryError, "malformed stored query parameter: " + why,
                        where);
}

// Reads one item at text[*pos]; stops before ',' or ')' (inside a list) or at the end.
Result<ParamItem> ReadItem(const std::string& text, size_t* pos, bool in_list) {
  size_t i = *pos;
  while (i < text.size() && IsSpace(text[i])) ++i;
  ParamItem item;
  if (i < text.size() && text[i] == '\'') {
    item.quoted = true;
    ++i;
    bool closed = false;
    while (i < text.size()) {
      if (text[i] == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          item.text.push_back('\'');
          i += 2;
          continue;
        }
        ++i;
        closed = true;
        break;
      }
      item.text.push_back(text[i++]);
    }
    if (!closed) return Malformed("unterminated quoted string in " + text, text);
  } else {
    while (i < text.size() && !IsSpace(text[i]) && text[i] != ',' && text[i] != ')' &&
           text[i] != '(' && text[i] != '\'') {
      item.text.push_back(text[i++]);
    }
    if (item.text.empty()) return Malformed("empty value in " + text, text);
  }
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (i < text.size() && !(in_list && (text[i] == ',' || text[i] == ')'))) {
    return Malformed("unexpected '" + std::string(1, text[i]) + "' in " + text, text);
  }
  *pos = i;
  return item;
}

}  // namespace

Result<std::vector<ParamItem>> ParseParamValue(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  std::vector<ParamItem> items;
  if (i < text.size() && text[i] == '(') {
    ++i;
    while (true) {
      auto item = ReadItem(text, &i, true);
      if (!item.ok()) return item.status();
      items.push_back(std::move(item.value()));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == ')') {
        ++i;
        break;
      }
      return Malformed("list not closed with ')' in " + text, text);
    }
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i != text.size()) return Malformed("text after ')' in " + text, text);
    return items;
  }
  auto item = ReadItem(text, &i, false);
  if (!item.ok()) return item.status();
  items.push_back(std::move(item.value()));
  return items;
}

Result<std::pair<std::string, std::string>> ParseCodeParam(const std::string& value,
                                                           const std::string& param) {
  // ITI TF-2 3.18.4.1.2.3.5: coded values are written code^^scheme.
  size_t first = value.find('^');
  size_t last = value.rfind('^');
  if (first == std::string::npos || last == first || first == 0 || last + 1 >= value.size()) {
    return xds::XdsStatus(xds::XdsError::kRegistryError,
                          "code parameter value '" + value + "' is not code^^scheme", param);
  }
  std::string middle = value.substr(first + 1, last - first - 1);
  if (middle.find('^') != std::string::npos) {
    return xds::XdsStatus(xds::XdsError::kRegistryError,
                          "code parameter value '" + value + "' is not code^^scheme", param);
  }
  return std::make_pair(value.substr(0, first), value.substr(last + 1));
}

bool IsDtmParam(const std::string& value) {
  size_t n = value.size();
  if (n < 4 || n > 14 || n % 2 != 0) return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Result<StoredQueryParams> StoredQueryParams::Parse(const std::vector<xds::Slot>& slots) {
  StoredQueryParams p;
  for (const xds::Slot& slot : slots) {
    std::vector<ParamItem> items;
    for (const std::string& v : slot.values) {
      auto parsed = ParseParamValue(v);
      if (!parsed.ok()) {
        return Status(parsed.status().code(), parsed.status().detail(), parsed.status().message(),
                      slot.name);
      }
      for (ParamItem& item : parsed.value()) items.push_back(std::move(item));
    }
    if (items.empty()) {
      return Malformed("parameter has no value", slot.name);
    }
    p.slots_[slot.name].push_back(std::move(items));
  }
  return p;
}

namespace {
Status ParamNumber(const std::string& name, const std::string& why) {
  return xds::XdsStatus(xds::XdsError::kStoredQueryParamNumber, name + " " + why, name);
}
Status Missing(const std::string& name) {
  return xds::XdsStatus(xds::XdsError::kStoredQueryMissingParam,
                        "required parameter " + name + " is missing", name);
}
}  // namespace

Result<std::vector<std::string>> StoredQueryParams::Strings(
    const std::string& name, const std::vector<ParamItem>& items) const {
  std::vector<std::string> out;
  for (const ParamItem& item : items) {
    if (!item.quoted) {
      return Malformed("string value " + item.text + " must be in single quotes", name);
    }
    out.push_back(item.text);
  }
  return out;
}

Result<std::optional<std::string>> StoredQueryParams::String(const std::string& name) const {
  auto it = slots_.find(name);
  if (it == slots_.end()) return std::optional<std::string>();
  if (it->second.size() > 1) return ParamNumber(name, "is given in more than one Slot");
  if (it->second[0].size() > 1) return ParamNumber(name, "accepts a single value");
  auto s = Strings(name, it->second[0]);
  if (!s.ok()) return s.status();
  return std::optional<std::string>(std::move(s->front()));
}

Result<std::optional<int64_t>> StoredQueryParams::Integer(const std::string& name) const {
  auto it = slots_.find(name);
  if (it == slots_.end()) return std::optional<int64_t>();
  if (it->second.size() > 1) return ParamNumber(name, "is given in more than one Slot");
  if (it->second[0].size() > 1) return ParamNumber(name, "accepts a single value");
  const std::string& v = it->second[0][0].text;
  bool digits = !v.empty() && v.size() <= 18;
  for (char c : v) digits = digits && c >= '0' && c <= '9';
  if (!digits) {
    return xds::XdsStatus(xds::XdsError::kRegistryError,
                          "parameter value '" + v + "' is not a number", name);
  }
  return std::optional<int64_t>(std::stoll(v));
}

Result<std::string> StoredQueryParams::Time(const std::string& name) const {
  auto it = slots_.find(name);
  if (it == slots_.end()) return std::string();
  if (it->second.size() > 1) return ParamNumber(name, "is given in more than one Slot");
  if (it->second[0].size() > 1) return ParamNumber(name, "accepts a single value");
  const std::string& v = it->second[0][0].text;
  if (!IsDtmParam(v)) {
    return xds::XdsStatus(
        xds::XdsError::kRegistryError,
        "time parameter value '" + v + "' is not a DTM (YYYY[MM[DD[hh[mm[ss]]]]])", name);
  }
  return v;
}

Result<std::vector<std::string>> StoredQueryParams::StringList(const std::string& name) const {
  auto it = slots_.find(name);
  if (it == slots_.end()) return std::vector<std::string>();
  if (it->second.size() > 1) return ParamNumber(name, "is given in more than one Slot");
  return Strings(name, it->second[0]);
}

Result<std::vector<std::pair<std::string, std::string>>> StoredQueryParams::CodeList(
    const std::string& name) const {
  auto it = slots_.find(name);
  std::vector<std::pair<std::string, std::string>> out;
  if (it == slots_.end()) return out;
  if (it->second.size() > 1) return ParamNumber(name, "is given in more than one Slot");
  auto strings = Strings(name, it->second[0]);
  if (!strings.ok()) return strings.status();
  for (const std::string& s : *strings) {
    auto code = ParseCodeParam(s, name);
    if (!code.ok()) return code.status();
    out.push_back(std::move(code.value()));
  }
  return out;
}

Result<std::vector<std::vector<std::pair<std::string, std::string>>>> StoredQueryParams::CodeAndOr(
    const std::string& name) const {
  std::vector<std::vector<std::pair<std::string, std::string>>> out;
  auto it = slots_.find(name);
  if (it == slots_.end()) return out;
  for (const std::vector<ParamItem>& slot : it->second) {
    auto strings = Strings(name, slot);
    if (!strings.ok()) return strings.status();
    std::vector<std::pair<std::string, std::string>> any_of;
    for (const std::string& s : *strings) {
      auto code = ParseCodeParam(s, name);
      if (!code.ok()) return code.status();
      any_of.push_back(std::move(code.value()));
    }
    out.push_back(std::move(any_of));
  }
  return out;
}

Result<std::string> StoredQueryParams::RequiredString(const std::string& name) const {
  auto v = String(name);
  if (!v.ok()) return v.status();
  if (!v->has_value()) return Missing(name);
  return std::move(**v);
}

Result<std::vector<std::string>> StoredQueryParams::RequiredStringList(
    const std::string& name) const {
  if (!Has(name)) return Missing(name);
  return StringList(name);
}

}  // namespace renkei::registry
