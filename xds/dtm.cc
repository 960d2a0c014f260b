// ITI TF-3 4.2.3.1.7 metadata data type DTM (YYYY[MM[DD[hh[mm[ss]]]]], UTC).
#include "xds/dtm.h"

namespace renkei::xds {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeap(y)) ? 29 : kDays[m - 1];
}

int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

std::string DtmProblem(std::string_view text) {
  const size_t n = text.size();
  if (n != 4 && n != 6 && n != 8 && n != 10 && n != 12 && n != 14) {
    return "has " + std::to_string(n) +
           " characters; a DTM is YYYY[MM[DD[hh[mm[ss]]]]] (4, 6, 8, 10, 12 or 14 digits, UTC, "
           "no time zone)";
  }
  for (char c : text) {
    if (c < '0' || c > '9') return "contains a non-digit character; a DTM is digits only, UTC";
  }
  const int year = Digits(text, 0, 4);
  if (n >= 6) {
    const int month = Digits(text, 4, 2);
    if (month < 1 || month > 12) return "month " + std::to_string(month) + " is not 01-12";
    if (n >= 8) {
      const int day = Digits(text, 6, 2);
      if (day < 1 || day > DaysInMonth(year, month)) {
        return "day " + std::to_string(day) + " does not exist in that month";
      }
    }
  }
  if (n >= 10 && Digits(text, 8, 2) > 23) return "hour is not 00-23";
  if (n >= 12 && Digits(text, 10, 2) > 59) return "minute is not 00-59";
  if (n >= 14 && Digits(text, 12, 2) > 59) return "second is not 00-59";
  return {};
}

bool ParseDtm(std::string_view text, Dtm* out) {
  if (!DtmProblem(text).empty()) return false;
  if (out != nullptr) {
    const size_t n = text.size();
    Dtm d;
    d.digits = static_cast<int>(n);
    d.year = Digits(text, 0, 4);
    if (n >= 6) d.month = Digits(text, 4, 2);
    if (n >= 8) d.day = Digits(text, 6, 2);
    if (n >= 10) d.hour = Digits(text, 8, 2);
    if (n >= 12) d.minute = Digits(text, 10, 2);
    if (n >= 14) d.second = Digits(text, 12, 2);
    *out = d;
  }
  return true;
}

}  // namespace renkei::xds
