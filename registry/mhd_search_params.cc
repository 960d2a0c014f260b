#include "registry/mhd_search_params.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "profiles/mhd_mapping.h"

namespace renkei::registry::mhd {

namespace {

Status Bad(const std::string& message) { return Status::InvalidArgument("invalid", message); }

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

bool StartsWithNoCase(const std::string& s, const std::string& prefix) {
  if (prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

}  // namespace

std::vector<Token> ParseTokens(const std::string& value) {
  std::vector<Token> out;
  for (const std::string& v : Split(value, ',')) {
    Token t;
    const size_t bar = v.find('|');
    if (bar == std::string::npos) {
      t.code = v;
    } else {
      t.has_system = true;
      t.system = v.substr(0, bar);
      t.scheme = profiles::XdsSchemeOfFhirSystem(t.system);
      t.code = v.substr(bar + 1);
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool TokenMatches(const std::vector<Token>& any_of, const xds::Code& code) {
  if (code.code.empty()) return false;
  for (const Token& t : any_of) {
    if (t.has_system && t.scheme != code.scheme) continue;
    if (!t.code.empty() && t.code != code.code) continue;
    return true;
  }
  return false;
}

bool TokenMatchesAny(const std::vector<Token>& any_of, const std::vector<xds::Code>& codes) {
  for (const xds::Code& c : codes) {
    if (TokenMatches(any_of, c)) return true;
  }
  return false;
}

bool TimeRange::Contains(const std::string& dtm) const {
  if (empty()) return true;
  if (dtm.empty()) return false;
  return (from.empty() || dtm >= from) && (to.empty() || dtm < to);
}

std::string NextDtm(const std::string& dtm) {
  const size_t n = dtm.size();
  auto num = [&](size_t at, int fallback) {
    return n >= at + 2 ? std::stoi(dtm.substr(at, 2)) : fallback;
  };
  std::tm tm{};
  tm.tm_year = std::stoi(dtm.substr(0, 4)) - 1900;
  tm.tm_mon = num(4, 1) - 1;
  tm.tm_mday = num(6, 1);
  tm.tm_hour = num(8, 0);
  tm.tm_min = num(10, 0);
  tm.tm_sec = num(12, 0);
  if (n <= 4)
    ++tm.tm_year;
  else if (n <= 6)
    ++tm.tm_mon;
  else if (n <= 8)
    ++tm.tm_mday;
  else if (n <= 10)
    ++tm.tm_hour;
  else if (n <= 12)
    ++tm.tm_min;
  else
    ++tm.tm_sec;
  const time_t t = timegm(&tm);
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &out);
  return std::string(buf).substr(0, n);
}

Status NarrowTimeRange(const std::string& param, const std::string& value, TimeRange* range) {
  std::string prefix = "eq";
  std::string date = value;
  if (value.size() > 2 && std::isalpha(static_cast<unsigned char>(value[0]))) {
    prefix = value.substr(0, 2);
    date = value.substr(2);
  }
  if (prefix != "eq" && prefix != "ge" && prefix != "gt" && prefix != "le" && prefix != "lt") {
    return Bad(param + ": the prefix '" + prefix + "' is not supported (eq, ge, gt, le, lt)");
  }
  Result<std::string> dtm = profiles::DtmOfFhirDateTime(date);
  if (!dtm.ok()) return Bad(param + ": '" + value + "' is not a FHIR date or dateTime");
  std::string from, to;
  if (prefix == "eq") {
    from = *dtm;
    to = NextDtm(*dtm);
  } else if (prefix == "ge") {
    from = *dtm;
  } else if (prefix == "gt") {
    from = NextDtm(*dtm);
  } else if (prefix == "lt") {
    to = *dtm;
  } else {
    to = NextDtm(*dtm);
  }
  if (!from.empty() && (range->from.empty() || from > range->from)) range->from = from;
  if (!to.empty() && (range->to.empty() || to < range->to)) range->to = to;
  return Status::Ok();
}

bool XcnNameStartsWith(const std::string& xcn, int component, const std::string& prefix) {
  const std::vector<std::string> parts = Split(xcn, '^');
  const size_t at = static_cast<size_t>(component - 1);
  return at < parts.size() && !parts[at].empty() && StartsWithNoCase(parts[at], prefix);
}

bool IdentifierMatches(const std::string& token, const std::string& entry_uuid,
                       const std::string& unique_id) {
  std::string v = token;
  const size_t bar = token.find('|');
  if (bar != std::string::npos) {
    const std::string system = token.substr(0, bar);
    v = token.substr(bar + 1);
    // "urn:oid:root|ext" names the uniqueId root^ext.
    if (system.rfind("urn:oid:", 0) == 0) v = system.substr(8) + "^" + v;
  }
  if (v.empty()) return false;
  for (const char* scheme : {"", "urn:uuid:", "urn:oid:"}) {
    if (v == scheme + entry_uuid || (!unique_id.empty() && v == scheme + unique_id)) return true;
  }
  return false;
}

Result<int> ParseCount(const std::string& value) {
  if (!AllDigits(value) || value.size() > 4 || std::stoi(value) < 1) {
    return Bad("_count must be a positive integer");
  }
  return std::min(std::stoi(value), 100);
}

Result<int64_t> ParsePage(const std::string& value) {
  if (!AllDigits(value) || value.size() > 12)
    return Bad("_page is not a paging cursor of this server");
  return static_cast<int64_t>(std::stoll(value));
}

}  // namespace renkei::registry::mhd
