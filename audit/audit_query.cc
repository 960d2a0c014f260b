// ITI-81 Retrieve ATNA Audit Event: search parameters and index keys.
#include "audit/audit_query.h"

#include <algorithm>
#include <charconv>

#include "audit/audit_codes.h"

namespace renkei::audit {

namespace {

constexpr char kUrnOid[] = "urn:oid:";

std::string StripUrnOid(const std::string& s) {
  return s.rfind(kUrnOid, 0) == 0 ? s.substr(sizeof(kUrnOid) - 1) : s;
}

// "id|oid" of a CX id^check^scheme^&oid&ISO; "id|" of an ID without an authority.
std::string PatientKey(const std::string& id) {
  const size_t caret = id.find('^');
  if (caret == std::string::npos) return id + "|";
  const std::string value = id.substr(0, caret);
  size_t field = 0, start = 0;
  for (size_t i = 0; i <= id.size() && field < 3; ++i) {
    if (i == id.size() || id[i] == '^') {
      ++field;
      start = i + 1;
    }
  }
  std::string oid;
  if (field == 3 && start <= id.size()) {
    const std::string authority = id.substr(start);
    const size_t amp1 = authority.find('&');
    if (amp1 != std::string::npos) {
      const size_t amp2 = authority.find('&', amp1 + 1);
      oid = authority.substr(amp1 + 1,
                             amp2 == std::string::npos ? std::string::npos : amp2 - amp1 - 1);
    }
  }
  return value + "|" + oid;
}

void AddCodeKey(const Code& c, std::vector<SearchKey>* out) {
  if (c.code.empty()) return;
  out->push_back(
      {KeyKind::kType, c.code + "|" + (c.system.empty() ? "" : CodeSystemName(c.system))});
}

Status Bad(const std::string& name, const std::string& message) {
  return Status::InvalidArgument("audit.search", message, name);
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

KeyMatch Exact(std::string v) { return {std::move(v), false}; }
KeyMatch Prefix(std::string v) { return {std::move(v), true}; }

// `system|value` (system with or without "urn:oid:"), a bare value, `Patient/{id}` or a CX.
KeyMatch PatientMatch(const std::string& v) {
  const size_t bar = v.find('|');
  if (bar != std::string::npos) {
    const std::string system = StripUrnOid(v.substr(0, bar));
    const std::string value = v.substr(bar + 1);
    return system.empty() ? Prefix(value + "|") : Exact(value + "|" + system);
  }
  if (v.find('^') != std::string::npos) return Exact(PatientKey(v));
  const size_t slash = v.rfind("Patient/");
  return Prefix((slash != std::string::npos ? v.substr(slash + 8) : v) + "|");
}

std::string ValueAfterBar(const std::string& v) {
  const size_t bar = v.find('|');
  return bar == std::string::npos ? v : v.substr(bar + 1);
}

KeyMatch AgentMatch(const std::string& v) { return Exact(StripUrnOid(ValueAfterBar(v))); }
KeyMatch EntityMatch(const std::string& v) { return Exact(ValueAfterBar(v)); }

// `system|code` (system a DICOM name or FHIR URI) or a bare code (any system).
KeyMatch TypeMatch(const std::string& v) {
  const size_t bar = v.find('|');
  if (bar == std::string::npos) return Prefix(v + "|");
  const std::string system = v.substr(0, bar);
  const std::string code = v.substr(bar + 1);
  return system.empty() ? Prefix(code + "|") : Exact(code + "|" + CodeSystemName(system));
}

// The [lo, hi) range in ms that a FHIR date or date-time value spans.
Status DateRange(const std::string& text, int64_t* lo, int64_t* hi) {
  const size_t n = text.size();
  auto date_only = [&](const std::string& full, int64_t* out) -> bool {
    auto r = ParseDateTimeMillis(full);
    if (!r.ok()) return false;
    *out = *r;
    return true;
  };
  auto digits = [&](size_t from, size_t count) {
    for (size_t i = from; i < from + count; ++i) {
      if (i >= n || text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  if (n == 4 && digits(0, 4)) {
    const int y = std::stoi(text);
    if (date_only(text + "-01-01T00:00:00Z", lo) &&
        date_only(std::to_string(y + 1) + "-01-01T00:00:00Z", hi)) {
      return Status::Ok();
    }
  } else if (n == 7 && digits(0, 4) && text[4] == '-' && digits(5, 2)) {
    int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2));
    char next[32];
    if (m == 12) {
      ++y;
      m = 1;
    } else {
      ++m;
    }
    std::snprintf(next, sizeof next, "%04d-%02d", y, m);
    if (date_only(text + "-01T00:00:00Z", lo) &&
        date_only(std::string(next) + "-01T00:00:00Z", hi)) {
      return Status::Ok();
    }
  } else if (n == 10) {
    if (date_only(text + "T00:00:00Z", lo)) {
      *hi = *lo + 86400000;
      return Status::Ok();
    }
  } else if (date_only(text, lo)) {
    // A date-time: its precision (seconds or finer given) spans one second, or one minute.
    const bool has_seconds = n > 16 && text[16] == ':';
    *hi = *lo + (has_seconds ? 1000 : 60000);
    if (text.find('.') != std::string::npos) *hi = *lo + 1;
    return Status::Ok();
  }
  return Bad("date", "not a FHIR date or dateTime: '" + text + "'");
}

}  // namespace

std::vector<SearchKey> IndexKeys(const AuditEvent& e) {
  std::vector<SearchKey> keys;
  AddCodeKey(e.event_id, &keys);
  for (const Code& c : e.event_types) AddCodeKey(c, &keys);
  for (const ActiveParticipant& p : e.participants) {
    for (const std::string* id : {&p.user_id, &p.alt_user_id}) {
      if (!id->empty()) keys.push_back({KeyKind::kAgent, StripUrnOid(*id)});
    }
  }
  for (const ParticipantObject& o : e.objects) {
    keys.push_back({KeyKind::kEntity, o.id});
    if (o.type_code == kObjectPerson && o.role_code == kRolePatient) {
      keys.push_back({KeyKind::kPatient, PatientKey(o.id)});
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Result<AuditQuery> ParseAuditQuery(const std::vector<std::pair<std::string, std::string>>& params) {
  AuditQuery q;
  int occurrences[5] = {0, 0, 0, 0, 0};
  for (const auto& [name, value] : params) {
    KeyKind kind;
    KeyMatch (*normalize)(const std::string&) = nullptr;
    if (name == "patient" || name == "patient.identifier") {
      kind = KeyKind::kPatient;
      normalize = &PatientMatch;
    } else if (name == "agent" || name == "agent.identifier" || name == "altid") {
      kind = KeyKind::kAgent;
      normalize = &AgentMatch;
    } else if (name == "entity" || name == "entity.identifier" || name == "entity-identifier") {
      kind = KeyKind::kEntity;
      normalize = &EntityMatch;
    } else if (name == "type" || name == "subtype") {
      kind = KeyKind::kType;
      normalize = &TypeMatch;
    } else if (name == "outcome") {
      for (const std::string& v : SplitCommas(value)) {
        const std::string code = ValueAfterBar(v);
        if (code != "0" && code != "4" && code != "8" && code != "12") {
          return Bad(name, "outcome must be 0, 4, 8 or 12: '" + v + "'");
        }
        q.outcomes.push_back(std::stoi(code));
      }
      continue;
    } else if (name == "date") {
      std::string v = value;
      std::string prefix = "eq";
      if (v.size() > 2 && std::isalpha(static_cast<unsigned char>(v[0])) &&
          std::isalpha(static_cast<unsigned char>(v[1]))) {
        prefix = v.substr(0, 2);
        v = v.substr(2);
      }
      int64_t lo, hi;
      RENKEI_RETURN_IF_ERROR(DateRange(v, &lo, &hi));
      if (prefix == "eq") {
        q.from_millis = std::max(q.from_millis, lo);
        q.to_millis = std::min(q.to_millis, hi);
      } else if (prefix == "ge" || prefix == "sa") {
        q.from_millis = std::max(q.from_millis, prefix == "ge" ? lo : hi);
      } else if (prefix == "gt") {
        q.from_millis = std::max(q.from_millis, hi);
      } else if (prefix == "le") {
        q.to_millis = std::min(q.to_millis, hi);
      } else if (prefix == "lt" || prefix == "eb") {
        q.to_millis = std::min(q.to_millis, lo);
      } else {
        return Bad(name, "date prefix must be eq, ge, gt, le or lt: '" + prefix + "'");
      }
      continue;
    } else if (name == "_count" || name == "_offset") {
      int64_t n = -1;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size()) n = -1;
      if (name == "_count") {
        if (n < 1 || n > kMaxCount) {
          return Bad(name, "_count must be 1.." + std::to_string(kMaxCount));
        }
        q.count = static_cast<int>(n);
      } else {
        if (n < 0) return Bad(name, "_offset must be a non-negative number");
        q.offset = n;
      }
      continue;
    } else if (name == "_format" || name == "_pretty") {
      continue;
    } else {
      return Bad(name, "unknown search parameter '" + name +
                           "' (supported: patient, date, agent, entity, type, subtype, outcome, "
                           "_count)");
    }
    if (++occurrences[static_cast<int>(kind)] > 10) {
      return Bad(name, "more than 10 occurrences of " + name);
    }
    std::vector<KeyMatch> values;
    for (const std::string& v : SplitCommas(value)) {
      if (v.empty()) return Bad(name, "empty value in " + name);
      values.push_back(normalize(v));
    }
    if (values.size() > 20) return Bad(name, "more than 20 values in " + name);
    q.keys.emplace_back(kind, std::move(values));
  }
  return q;
}

}  // namespace renkei::audit
