// Test-only access to the conformance vectors (../shared/conformance relative to the source
// tree named by RENKEI_SOURCE_DIR, which renkei_test sets). Internal to xds/ tests.
#ifndef RENKEI_XDS_INTERNAL_TEST_VECTORS_H_
#define RENKEI_XDS_INTERNAL_TEST_VECTORS_H_

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace renkei::xds::testing {

// $RENKEI_SOURCE_DIR/../shared/conformance/xds ("" when the variable is unset).
inline std::filesystem::path XdsVectorDir() {
  const char* src = std::getenv("RENKEI_SOURCE_DIR");
  if (src == nullptr) return {};
  return std::filesystem::path(src) / ".." / "shared" / "conformance" / "xds";
}

inline std::filesystem::path WireExample(const std::string& relative) {
  return XdsVectorDir() / "wire-examples" / relative;
}

// The whole file; "" when it cannot be read (tests then fail on the empty input).
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every *.xml file under `dir` whose text contains all of `needles`, sorted.
inline std::vector<std::filesystem::path> FindXml(const std::filesystem::path& dir,
                                                  const std::vector<std::string>& needles) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file() || it->path().extension() != ".xml") continue;
    std::string text = ReadFile(it->path());
    bool all = true;
    for (const std::string& n : needles) all = all && text.find(n) != std::string::npos;
    if (all) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Occurrences of `needle` in `text`.
inline size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

}  // namespace renkei::xds::testing

#endif  // RENKEI_XDS_INTERNAL_TEST_VECTORS_H_
