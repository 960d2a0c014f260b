// Directory and disclosure policy (issue 5): UTC instants (directory/instant.h).
#include "directory/instant.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "common/utc_time.h"

namespace renkei::directory {
namespace {

constexpr char kCompact[] = "%Y%m%d%H%M%S";

bool Digits(const std::string& s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

bool Valid(const Fields& f) {
  return f.year >= 1 && f.month >= 1 && f.month <= 12 && f.day >= 1 &&
         f.day <= DaysIn(f.year, f.month) && f.hour <= 23 && f.minute <= 59 && f.second <= 59;
}

std::string Format(const Fields& f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", f.year, f.month, f.day, f.hour,
                f.minute, f.second);
  return buf;
}

// Seconds since the epoch of UTC fields, and back.
int64_t ToEpoch(const Fields& f) {
  std::tm tm{};
  tm.tm_year = f.year - 1900;
  tm.tm_mon = f.month - 1;
  tm.tm_mday = f.day;
  tm.tm_hour = f.hour;
  tm.tm_min = f.minute;
  tm.tm_sec = f.second;
  return static_cast<int64_t>(timegm(&tm));
}

Fields FromEpoch(int64_t t) {
  const time_t tt = static_cast<time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return Fields{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

bool ParseCompact(const std::string& s, Fields* f) {
  return s.size() == 14 && Digits(s, 0, 4, &f->year) && Digits(s, 4, 2, &f->month) &&
         Digits(s, 6, 2, &f->day) && Digits(s, 8, 2, &f->hour) && Digits(s, 10, 2, &f->minute) &&
         Digits(s, 12, 2, &f->second) && Valid(*f);
}

Status Bad(const std::string& text) {
  return Status::InvalidArgument("invalid", "'" + text +
                                                "' is not a date-time (YYYY-MM-DD, "
                                                "YYYY-MM-DDThh:mm:ss with Z or an offset, or "
                                                "YYYYMMDDhhmmss UTC)");
}

}  // namespace

std::string NowInstant() { return UtcNow(kCompact); }

Result<std::string> ParseInstant(const std::string& text) {
  Fields f;
  if (ParseCompact(text, &f)) return Format(f);
  if (text.size() < 10 || !Digits(text, 0, 4, &f.year) || text[4] != '-' ||
      !Digits(text, 5, 2, &f.month) || text[7] != '-' || !Digits(text, 8, 2, &f.day)) {
    return Bad(text);
  }
  if (text.size() == 10) {
    if (!Valid(f)) return Bad(text);
    return Format(f);
  }
  if (text[10] != 'T' || !Digits(text, 11, 2, &f.hour) || text.size() < 19 || text[13] != ':' ||
      !Digits(text, 14, 2, &f.minute) || text[16] != ':' || !Digits(text, 17, 2, &f.second)) {
    return Bad(text);
  }
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t digits_start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == digits_start) return Bad(text);
  }
  int offset_seconds = 0;
  if (pos + 1 == text.size() && text[pos] == 'Z') {
    // UTC
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') &&
             text[pos + 3] == ':') {
    int oh = 0, om = 0;
    if (!Digits(text, pos + 1, 2, &oh) || !Digits(text, pos + 4, 2, &om) || oh > 14 || om > 59) {
      return Bad(text);
    }
    offset_seconds = (oh * 3600 + om * 60) * (text[pos] == '+' ? 1 : -1);
  } else {
    return Bad(text);
  }
  if (!Valid(f)) return Bad(text);
  return Format(FromEpoch(ToEpoch(f) - offset_seconds));
}

std::string IsoOfInstant(const std::string& instant) {
  Fields f;
  if (!ParseCompact(instant, &f)) return instant;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", f.year, f.month, f.day, f.hour,
                f.minute, f.second);
  return buf;
}

std::string AddSeconds(const std::string& instant, int64_t seconds) {
  Fields f;
  if (!ParseCompact(instant, &f)) return instant;
  return Format(FromEpoch(ToEpoch(f) + seconds));
}

}  // namespace renkei::directory
