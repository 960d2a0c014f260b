// Test helpers for `renkei ca` (apps/ca.h) checked against the openssl command line: run the
// CLI in-process with its output captured, run a shell command, read a file. Tests only.
#ifndef RENKEI_TRUST_INTERNAL_CA_CLI_TEST_UTIL_H_
#define RENKEI_TRUST_INTERNAL_CA_CLI_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "apps/ca.h"

namespace renkei::trust::testing {

struct CmdResult {
  int code;
  std::string out;
};

// `renkei ca <args>`: its exit code and standard output (standard error discarded).
inline CmdResult Ca(const std::vector<std::string>& args) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int code = apps::RunCa(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  ::testing::internal::GetCapturedStderr();
  return {code, out};
}

// Runs a shell command; its exit status and combined output.
inline CmdResult Shell(const std::string& command) {
  CmdResult r{-1, ""};
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace renkei::trust::testing

#endif  // RENKEI_TRUST_INTERNAL_CA_CLI_TEST_UTIL_H_
