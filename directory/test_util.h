// Test helpers of directory_test (not part of the library): a temporary data directory
// removed at the end of the test.
#ifndef RENKEI_DIRECTORY_TEST_UTIL_H_
#define RENKEI_DIRECTORY_TEST_UTIL_H_

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace renkei::directory {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "renkei-directory-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_TEST_UTIL_H_
