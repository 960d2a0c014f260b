#include "pix/fhir_codes.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace renkei::pix {

namespace {

constexpr char kOid[] = "urn:oid:";

using Pair = std::pair<const char*, const char*>;
constexpr Pair kGenders[] = {{"male", "M"}, {"female", "F"}, {"other", "O"}, {"unknown", "U"}};
constexpr Pair kRepresentations[] = {{"IDE", "I"}, {"SYL", "P"}, {"ABC", "A"}};

template <size_t N>
std::string Second(const Pair (&table)[N], const std::string& first) {
  for (const auto& [a, b] : table) {
    if (first == a) return b;
  }
  return "";
}

template <size_t N>
std::string First(const Pair (&table)[N], const std::string& second) {
  for (const auto& [a, b] : table) {
    if (second == b) return a;
  }
  return "";
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::string OidOfSystem(const std::string& system) {
  return system.rfind(kOid, 0) == 0 ? system.substr(sizeof(kOid) - 1) : "";
}

std::string SystemOfOid(const std::string& oid) { return kOid + oid; }

std::string SexOfGender(const std::string& gender) { return Second(kGenders, gender); }

std::string GenderOfSex(const std::string& sex) {
  if (sex == "A") return "other";
  if (sex == "N") return "unknown";
  return First(kGenders, sex);
}

std::string DtmOfDate(const std::string& date) {
  if (date.size() != 4 && date.size() != 7 && date.size() != 10) return "";
  std::string out;
  for (size_t i = 0; i < date.size(); ++i) {
    if (i == 4 || i == 7) {
      if (date[i] != '-') return "";
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return "";
    out.push_back(date[i]);
  }
  return out;
}

std::string DateOfDtm(const std::string& dtm) {
  const std::string digits = dtm.substr(0, std::min<size_t>(dtm.size(), 8));
  if (!AllDigits(digits) || (digits.size() != 4 && digits.size() != 6 && digits.size() != 8)) {
    return "";
  }
  std::string out = digits.substr(0, 4);
  if (digits.size() >= 6) out += "-" + digits.substr(4, 2);
  if (digits.size() == 8) out += "-" + digits.substr(6, 2);
  return out;
}

std::string RepresentationOfCode(const std::string& code) { return Second(kRepresentations, code); }

std::string CodeOfRepresentation(const std::string& representation) {
  return First(kRepresentations, representation);
}

}  // namespace renkei::pix
