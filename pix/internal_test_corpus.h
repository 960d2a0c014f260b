// Test-only: files of the shared PIX corpus ($RENKEI_SOURCE_DIR/../shared/conformance/pix,
// RENKEI_SOURCE_DIR set by renkei_test). Internal to pix/ tests.
#ifndef RENKEI_PIX_INTERNAL_TEST_CORPUS_H_
#define RENKEI_PIX_INTERNAL_TEST_CORPUS_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace renkei::pix::testing {

inline std::filesystem::path PixCorpusDir() {
  const char* src = std::getenv("RENKEI_SOURCE_DIR");
  return std::filesystem::path(src ? src : ".") / ".." / "shared" / "conformance" / "pix";
}

// The bytes of `relative` (under PixCorpusDir); "" when unreadable (tests then fail).
inline std::string PixCorpusFile(const std::string& relative) {
  std::ifstream in(PixCorpusDir() / relative, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace renkei::pix::testing

#endif  // RENKEI_PIX_INTERNAL_TEST_CORPUS_H_
