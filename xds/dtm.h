// ITI TF-3 4.2.3.1.7 (Table 4.2.3.1.7-2) metadata data type DTM: a UTC point in time written
// YYYY[MM[DD[hh[mm[ss]]]]] (4, 6, 8, 10, 12 or 14 digits, no time zone, no fraction).
// Used for DocumentEntry.creationTime / serviceStartTime / serviceStopTime,
// SubmissionSet.submissionTime and Folder.lastUpdateTime.
//
// Thread-safety: pure functions.
#ifndef RENKEI_XDS_DTM_H_
#define RENKEI_XDS_DTM_H_

#include <string>
#include <string_view>

namespace renkei::xds {

// A parsed DTM. Fields beyond `precision` digits are 0 (month/day are 1 when absent).
struct Dtm {
  int year = 0;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int digits = 0;  // 4, 6, 8, 10, 12 or 14: how much was given
};

// Parses `text` as a DTM. Returns false (and leaves *out unspecified) when the length is not
// one of 4/6/8/10/12/14, a character is not a digit, or a field is out of range (month 1-12,
// day valid for that month including leap years, hour 0-23, minute 0-59, second 0-59).
// `out` may be null when only validity matters.
bool ParseDtm(std::string_view text, Dtm* out);

inline bool IsValidDtm(std::string_view text) { return ParseDtm(text, nullptr); }

// Why `text` is not a DTM, for a RegistryError codeContext; "" when it is valid.
std::string DtmProblem(std::string_view text);

}  // namespace renkei::xds

#endif  // RENKEI_XDS_DTM_H_
