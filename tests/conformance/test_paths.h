// Where the conformance replay finds the NIST/IPF vector corpus and the renkei binary.
#ifndef RENKEI_TESTS_CONFORMANCE_TEST_PATHS_H_
#define RENKEI_TESTS_CONFORMANCE_TEST_PATHS_H_

#include <cstdlib>
#include <filesystem>
#include <string>

namespace renkei::conformance {

// $RENKEI_CONFORMANCE_DIR, else <source>/../shared/conformance, else /work/shared/conformance.
inline std::string CorpusDir() {
  if (const char* d = std::getenv("RENKEI_CONFORMANCE_DIR")) return d;
  if (const char* s = std::getenv("RENKEI_SOURCE_DIR")) {
    std::filesystem::path p = std::filesystem::path(s) / ".." / "shared" / "conformance";
    if (std::filesystem::exists(p / "xds")) return p.lexically_normal().string();
  }
  return "/work/shared/conformance";
}

// The CMake build directory: $RENKEI_BINARY_DIR, else two levels above this test binary
// (<build>/tests/<binary>), read from /proc/self/exe.
inline std::string BinaryDir() {
  if (const char* b = std::getenv("RENKEI_BINARY_DIR")) return b;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return ".";
  return exe.parent_path().parent_path().string();
}

// tests/conformance in the source tree (data files registry_cases.txt, wire_cases.txt).
inline std::string HarnessDir() {
  if (const char* s = std::getenv("RENKEI_SOURCE_DIR")) return std::string(s) + "/tests/conformance";
  return std::filesystem::path(__FILE__).parent_path().string();
}

}  // namespace renkei::conformance

#endif  // RENKEI_TESTS_CONFORMANCE_TEST_PATHS_H_
