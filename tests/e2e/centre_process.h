// End-to-end fixture (architecture §9 operating contract): runs the real `renkei` binary as
// a child process, the way an operator or a conformance tester does, and talks to it only
// through its command line, stdout/stderr and its HTTP listener.
//
// Paths come from the environment ctest sets for every test (tests/CMakeLists.txt):
// RENKEI_BINARY_DIR (the build tree; the binary is $RENKEI_BINARY_DIR/apps/renkei) and
// RENKEI_SOURCE_DIR (the source tree; the shared conformance corpus is its sibling
// ../shared/conformance).
//
// Thread-safety: one CentreProcess per test; its accessors may be read from any thread.
#ifndef RENKEI_TESTS_E2E_CENTRE_PROCESS_H_
#define RENKEI_TESTS_E2E_CENTRE_PROCESS_H_

#include <Poco/Pipe.h>
#include <Poco/Process.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace renkei::e2e {

// $RENKEI_BINARY_DIR/apps/renkei; without RENKEI_BINARY_DIR, ../apps/renkei relative to the
// test executable's directory (<build>/tests/).
std::string RenkeiBinary();
// $RENKEI_SOURCE_DIR/../shared/conformance. Aborts the test program when RENKEI_SOURCE_DIR
// is unset (a broken test environment is an error, never a skip).
std::string ConformanceDir();
// Whole file as bytes; aborts when it cannot be read.
std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& bytes);

// A fresh directory under $TMPDIR (or /tmp), removed recursively on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A finished run of `renkei ARGS...`.
struct RunResult {
  int exit_code = -1;  // 0..255, or 256 + signal number, or -1 when it timed out (killed)
  std::string out;
  std::string err;
};
// Runs the binary to completion (stdout and stderr are pipes), killing it after `timeout`.
RunResult RunRenkei(const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A running child process whose stdout and stderr are drained by two threads into buffers.
class ChildProcess {
 public:
  // Starts `command args...` with stdout/stderr on pipes. Aborts if it cannot be started.
  ChildProcess(const std::string& command, const std::vector<std::string>& args);
  // Kills the process (SIGTERM, then SIGKILL after 10 s) by pid if still running, and reaps it.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Waits until stdout holds a complete line starting with `prefix`; returns that line
  // (without the newline), or "" when the process exited or `timeout` passed first.
  std::string WaitForLine(const std::string& prefix, std::chrono::milliseconds timeout);
  // Waits for exit; the exit code (as RunResult::exit_code), or -1 on timeout.
  int WaitForExit(std::chrono::milliseconds timeout);
  bool Running();
  // Sends `sig` to the pid (never to a group). No-op when already reaped.
  void Signal(int sig);
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit code.
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Waits until the child closed stdout and stderr (REQUIRES: it exited or was stopped).
  void JoinOutput();
  std::string out() const;
  std::string err() const;
  // VmRSS of the process in KiB from /proc/<pid>/status; -1 when unreadable.
  long VmRssKb() const;

 private:
  void Drain(Poco::Pipe pipe, bool is_out);

  Poco::Pipe out_pipe_, err_pipe_;
  std::unique_ptr<Poco::ProcessHandle> handle_;
  pid_t pid_ = -1;
  std::atomic<bool> reaped_{false};
  int exit_code_ = -1;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string out_, err_;
  bool out_closed_ = false;
  std::thread out_thread_, err_thread_;
};

// `renkei centre` on 127.0.0.1 with a free port (http.listen=127.0.0.1:0), plain HTTP
// (tls.insecure_loopback=true), a data_dir (a fresh temp dir unless given), and the given
// extra `--set K=V` overrides (applied after the defaults, so they win).
struct CentreOptions {
  std::string data_dir;                // empty: a fresh TempDir owned by the CentreProcess
  std::string config_file;             // empty: no --config
  std::vector<std::string> overrides;  // "key=value"
  bool default_overrides = true;       // false: only `overrides` (and data_dir if given)
  std::chrono::milliseconds ready_timeout = std::chrono::seconds(30);
};

class CentreProcess {
 public:
  // Starts the centre and waits for `ready centre <url>`. On failure returns null and puts
  // the reason (with the child's stderr) in *error.
  static std::unique_ptr<CentreProcess> Start(const CentreOptions& options, std::string* error);

  const std::string& ready_line() const { return ready_line_; }
  const std::string& base_url() const { return base_url_; }  // "http://127.0.0.1:PORT"
  int port() const { return port_; }
  int mllp_port() const { return mllp_port_; }  // ITI-8 / ITI-9
  const std::string& data_dir() const { return data_dir_; }
  std::string registry_url() const { return base_url_ + "/xds/registry"; }
  ChildProcess& process() { return *child_; }
  bool alive() { return child_->Running(); }

 private:
  CentreProcess() = default;
  std::unique_ptr<TempDir> owned_dir_;
  std::string data_dir_;
  std::unique_ptr<ChildProcess> child_;
  std::string ready_line_, base_url_;
  int port_ = 0;
  int mllp_port_ = 0;
};

// The --set overrides every e2e centre uses: the test patient's domain, the known patient
// ids of tests/e2e/soap_wire.h, loopback HTTP on a free port.
std::vector<std::string> DefaultCentreOverrides();

}  // namespace renkei::e2e

#endif  // RENKEI_TESTS_E2E_CENTRE_PROCESS_H_
