// End-to-end fixture: the real `renkei` binary as a child process (architecture §9).
#include "tests/e2e/centre_process.h"

#include <Poco/Exception.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "e2e fixture: %s\n", why.c_str());
  std::abort();
}

std::string EnvOrDie(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    Die(std::string(name) + " is not set (run through ctest, or export it)");
  }
  return v;
}

}  // namespace

std::string RenkeiBinary() {
  const char* dir = std::getenv("RENKEI_BINARY_DIR");
  if (dir != nullptr && *dir != '\0') return std::string(dir) + "/apps/renkei";
  // Not in the environment: the test binaries live in $RENKEI_BINARY_DIR/tests/.
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) Die("RENKEI_BINARY_DIR is not set and /proc/self/exe is unreadable");
  return (exe.parent_path().parent_path() / "apps" / "renkei").string();
}

std::string ConformanceDir() { return EnvOrDie("RENKEI_SOURCE_DIR") + "/../shared/conformance"; }

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFileOrDie(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) Die("cannot write " + path);
}

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/renkei-e2e-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) Die("mkdtemp failed for " + templ);
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

ChildProcess::ChildProcess(const std::string& command, const std::vector<std::string>& args) {
  Poco::Process::Args a(args.begin(), args.end());
  try {
    handle_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(command, a, nullptr, &out_pipe_, &err_pipe_));
  } catch (const Poco::Exception& e) {
    Die("cannot start " + command + ": " + e.displayText());
  }
  pid_ = handle_->id();
  out_thread_ = std::thread([this] { Drain(out_pipe_, true); });
  err_thread_ = std::thread([this] { Drain(err_pipe_, false); });
}

ChildProcess::~ChildProcess() {
  if (!reaped_) Stop();
  JoinOutput();
}

void ChildProcess::JoinOutput() {
  if (out_thread_.joinable()) out_thread_.join();
  if (err_thread_.joinable()) err_thread_.join();
}

void ChildProcess::Drain(Poco::Pipe pipe, bool is_out) {
  char buf[4096];
  for (;;) {
    int n = 0;
    try {
      n = pipe.readBytes(buf, sizeof buf);
    } catch (const Poco::Exception&) {
      n = 0;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (n <= 0) {
      if (is_out) out_closed_ = true;
      cv_.notify_all();
      break;
    }
    std::string& sink = is_out ? out_ : err_;
    sink.append(buf, static_cast<size_t>(n));
    // Keep a bounded tail of a chatty stream.
    if (sink.size() > (8u << 20)) sink.erase(0, sink.size() - (4u << 20));
    cv_.notify_all();
  }
  pipe.close(Poco::Pipe::CLOSE_READ);
}

std::string ChildProcess::WaitForLine(const std::string& prefix,
                                      std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  std::string found;
  auto has_line = [&] {
    size_t pos = 0;
    while (pos < out_.size()) {
      size_t nl = out_.find('\n', pos);
      if (nl == std::string::npos) break;
      std::string line = out_.substr(pos, nl - pos);
      if (line.rfind(prefix, 0) == 0) {
        found = line;
        return true;
      }
      pos = nl + 1;
    }
    return out_closed_;
  };
  cv_.wait_for(lock, timeout, has_line);
  return found;
}

int ChildProcess::WaitForExit(std::chrono::milliseconds timeout) {
  if (reaped_) return exit_code_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int rc = -1;
    try {
      rc = handle_->tryWait();
    } catch (const Poco::Exception&) {
      rc = -1;
    }
    if (rc != -1) {
      exit_code_ = rc;
      reaped_ = true;
      return rc;
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool ChildProcess::Running() { return WaitForExit(std::chrono::milliseconds(0)) == -1; }

void ChildProcess::Signal(int sig) {
  if (!reaped_) ::kill(pid_, sig);
}

int ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (reaped_) return exit_code_;
  Signal(SIGTERM);
  int rc = WaitForExit(grace);
  if (rc != -1) return rc;
  Signal(SIGKILL);
  return WaitForExit(std::chrono::seconds(30));
}

std::string ChildProcess::out() const {
  std::lock_guard<std::mutex> lock(mu_);
  return out_;
}

std::string ChildProcess::err() const {
  std::lock_guard<std::mutex> lock(mu_);
  return err_;
}

long ChildProcess::VmRssKb() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

RunResult RunRenkei(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  RunResult r;
  {
    ChildProcess child(RenkeiBinary(), args);
    r.exit_code = child.WaitForExit(timeout);
    if (r.exit_code == -1) child.Stop(std::chrono::seconds(2));
    child.JoinOutput();
    r.out = child.out();
    r.err = child.err();
  }
  return r;
}

std::vector<std::string> DefaultCentreOverrides() {
  // Requests without the X-Renkei-Facility test header act for the e2e node's facility
  // (node_process.h kNodeFacility): what it registers through its node, they see.
  return {"http.listen=127.0.0.1:0", "mllp.listen=127.0.0.1:0", "tls.insecure_loopback=true",
          "registry.default_facility=2.999.392.99.7",
          std::string("pix.regional_domain.oid=") + kRegionalDomain,
          "registry.known_patient_ids=[\"" + PatientId(1) + "\",\"" + PatientId(2) + "\",\"" +
              PatientId(3) + "\"]",
          "log.level=warning"};
}

std::unique_ptr<CentreProcess> CentreProcess::Start(const CentreOptions& options,
                                                    std::string* error) {
  std::unique_ptr<CentreProcess> c(new CentreProcess());
  if (options.data_dir.empty()) {
    c->owned_dir_ = std::make_unique<TempDir>();
    c->data_dir_ = c->owned_dir_->path() + "/centre";
  } else {
    c->data_dir_ = options.data_dir;
  }
  std::vector<std::string> args = {"centre"};
  if (!options.config_file.empty()) {
    args.push_back("--config");
    args.push_back(options.config_file);
  }
  std::vector<std::string> sets;
  if (options.default_overrides) sets = DefaultCentreOverrides();
  sets.push_back("data_dir=" + c->data_dir_);
  sets.insert(sets.end(), options.overrides.begin(), options.overrides.end());
  for (const std::string& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  c->child_ = std::make_unique<ChildProcess>(RenkeiBinary(), args);
  c->ready_line_ = c->child_->WaitForLine("ready centre ", options.ready_timeout);
  static const std::regex kReady(
      R"(ready centre (https?://127\.0\.0\.1:([0-9]+)) (mllps?://127\.0\.0\.1:([0-9]+)))");
  std::smatch m;
  if (!std::regex_match(c->ready_line_, m, kReady)) {
    c->child_->Stop(std::chrono::seconds(5));
    *error = "no 'ready centre http://127.0.0.1:PORT mllp://127.0.0.1:PORT' line (got '" + c->ready_line_ +
             "'); stdout: " + c->child_->out() + "\nstderr: " + c->child_->err();
    return nullptr;
  }
  c->base_url_ = m[1];
  c->port_ = std::stoi(m[2]);
  c->mllp_port_ = std::stoi(m[4]);
  return c;
}

}  // namespace renkei::e2e
