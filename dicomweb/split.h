// Splitting of DICOMweb parameter and value lists ("a,b", "CT\MR", "Family^Given=…").
#ifndef RENKEI_DICOMWEB_SPLIT_H_
#define RENKEI_DICOMWEB_SPLIT_H_

#include <string>
#include <string_view>
#include <vector>

namespace renkei::dicomweb {

// The pieces of `s` between each `sep` (empty pieces kept; "" gives one empty piece).
inline std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_SPLIT_H_
