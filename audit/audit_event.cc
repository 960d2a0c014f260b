// DICOM PS3.15 A.5 Audit Message model: validation and date-time parsing.
#include "audit/audit_event.h"

#include <cstdio>
#include <ctime>

#include "audit/audit_codes.h"

namespace renkei::audit {

namespace {

Status Invalid(const std::string& message, const std::string& location) {
  return Status::InvalidArgument("audit.invalid", message, location);
}

bool ReadDigits(std::string_view s, size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

Result<int64_t> ParseDateTimeMillis(std::string_view s) {
  const Status bad = Invalid("not an ISO 8601 date-time: '" + std::string(s) + "'", "date");
  size_t p = 0;
  int y, mo, d, h, mi, sec = 0, ms = 0;
  if (!ReadDigits(s, &p, 4, &y) || !Expect(s, &p, '-') || !ReadDigits(s, &p, 2, &mo) ||
      !Expect(s, &p, '-') || !ReadDigits(s, &p, 2, &d) || !Expect(s, &p, 'T') ||
      !ReadDigits(s, &p, 2, &h) || !Expect(s, &p, ':') || !ReadDigits(s, &p, 2, &mi)) {
    return bad;
  }
  if (p < s.size() && s[p] == ':') {
    ++p;
    if (!ReadDigits(s, &p, 2, &sec)) return bad;
    if (p < s.size() && s[p] == '.') {
      ++p;
      int digits = 0;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        if (digits < 3) ms = ms * 10 + (s[p] - '0');
        ++digits;
        ++p;
      }
      if (digits == 0) return bad;
      for (int i = digits; i < 3; ++i) ms *= 10;
    }
  }
  int offset_minutes = 0;
  if (p < s.size()) {
    if (s[p] == 'Z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      const int sign = s[p] == '-' ? -1 : 1;
      ++p;
      int oh, om;
      if (!ReadDigits(s, &p, 2, &oh) || !Expect(s, &p, ':') || !ReadDigits(s, &p, 2, &om) ||
          oh > 23 || om > 59) {
        return bad;
      }
      offset_minutes = sign * (oh * 60 + om);
    } else {
      return bad;
    }
  }
  if (p != s.size()) return bad;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || sec > 60) {
    return bad;
  }
  const int64_t days = DaysFromCivil(y, mo, d);
  const int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return seconds * 1000 + ms;
}

std::string FormatMillis(int64_t millis) {
  int64_t secs = millis / 1000;
  int64_t ms = millis % 1000;
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  const time_t t = static_cast<time_t>(secs);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

Status Validate(const AuditEvent& e) {
  if (e.event_id.code.empty()) return Invalid("EventID has no code", "EventID");
  if (!e.action.empty() && e.action != "C" && e.action != "R" && e.action != "U" &&
      e.action != "D" && e.action != "E") {
    return Invalid("EventActionCode must be C, R, U, D or E: '" + e.action + "'",
                   "EventActionCode");
  }
  if (e.date_time.empty()) return Invalid("EventDateTime is missing", "EventDateTime");
  if (!ParseDateTimeMillis(e.date_time).ok()) {
    return Invalid("EventDateTime is no ISO 8601 date-time: '" + e.date_time + "'",
                   "EventDateTime");
  }
  if (e.outcome != 0 && e.outcome != 4 && e.outcome != 8 && e.outcome != 12) {
    return Invalid("EventOutcomeIndicator must be 0, 4, 8 or 12", "EventOutcomeIndicator");
  }
  for (const Code& c : e.event_types) {
    if (c.code.empty()) return Invalid("EventTypeCode has no code", "EventTypeCode");
  }
  if (e.participants.empty()) {
    return Invalid("an audit message needs at least one ActiveParticipant", "ActiveParticipant");
  }
  for (const ActiveParticipant& p : e.participants) {
    if (p.user_id.empty()) return Invalid("ActiveParticipant without UserID", "ActiveParticipant");
    if (p.network_access_point_type < 0 || p.network_access_point_type > 5) {
      return Invalid("NetworkAccessPointTypeCode must be 1..5", "NetworkAccessPointTypeCode");
    }
  }
  if (e.source.id.empty()) {
    return Invalid("AuditSourceIdentification without AuditSourceID", "AuditSourceID");
  }
  for (const ParticipantObject& o : e.objects) {
    if (o.id.empty()) {
      return Invalid("ParticipantObjectIdentification without ParticipantObjectID",
                     "ParticipantObjectID");
    }
    if (o.type_code < 0 || o.type_code > 4) {
      return Invalid("ParticipantObjectTypeCode must be 1..4", "ParticipantObjectTypeCode");
    }
    if (o.role_code < 0 || o.role_code > 24) {
      return Invalid("ParticipantObjectTypeCodeRole must be 1..24",
                     "ParticipantObjectTypeCodeRole");
    }
    if (o.lifecycle < 0 || o.lifecycle > 15) {
      return Invalid("ParticipantObjectDataLifeCycle must be 1..15",
                     "ParticipantObjectDataLifeCycle");
    }
  }
  return Status::Ok();
}

std::string CodeSystemUri(std::string_view name) {
  if (name == kDcm) return kDcmUri;
  if (name == kIheTransactions) return kIheTransactionsUri;
  return std::string(name);
}

std::string CodeSystemName(std::string_view uri) {
  if (uri == kDcmUri) return kDcm;
  if (uri == kIheTransactionsUri) return kIheTransactions;
  return std::string(uri);
}

}  // namespace renkei::audit
